import * as fc from 'fast-check';
import { Severity } from '../../src/records/finding';
import { Spf, SpfMechanism, SpfModel, SpfQualifier, SpfTerm } from '../../src/records/spf';
import { TxtChunks } from '../../src/records/txt';

// ---- Arbitraries generating VALID models (RFC 7208 §12) ----

const qualifier = fc.option(fc.constantFrom(SpfQualifier.PASS, SpfQualifier.FAIL, SpfQualifier.SOFTFAIL, SpfQualifier.NEUTRAL), { nil: undefined });
const label = fc.stringMatching(/^[a-zA-Z0-9_]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/);
const topLabel = fc.oneof(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,5}$/), fc.stringMatching(/^[0-9]{1,3}-[a-z0-9]{1,3}$/));

/** A macro-expand (RFC 7208 §7.1); c, r and t only when `explain` is set. */
function macroExpand(explain: boolean) {
  const letters = explain ? 'slodiphvcrtSLODIPHVCRT' : 'slodiphvSLODIPHV';
  return fc.oneof(
    fc.record({
      letter: fc.constantFrom(...letters.split('')),
      digits: fc.option(fc.integer({ min: 1, max: 128 }), { nil: undefined }),
      reverse: fc.constantFrom('', 'r', 'R'),
      delimiters: fc.stringMatching(/^[.\-+,/_=]{0,3}$/),
    }).map(({ letter, digits, reverse, delimiters }) => `%{${letter}${digits ?? ''}${reverse}${delimiters}}`),
    fc.constantFrom('%%', '%_', '%-'),
  );
}

/** A domain-spec: macro-string then domain-end ("." toplabel ["."] or a macro-expand). */
const domainSpec = fc.oneof(
  fc.tuple(fc.array(fc.oneof(label, label, macroExpand(false)), { minLength: 1, maxLength: 3 }), topLabel, fc.boolean())
    .map(([parts, top, dot]) => `${parts.join('.')}.${top}${dot ? '.' : ''}`),
  fc.tuple(fc.array(fc.oneof(label, macroExpand(false)), { maxLength: 3 }), macroExpand(false))
    .map(([parts, end]) => [...parts, end].join('.')),
);

/** An unknown modifier's value: any macro-string, even empty. */
const macroString = fc.array(fc.oneof(fc.stringMatching(/^[!-$&-~]{1,6}$/), macroExpand(true)), { maxLength: 4 }).map((p) => p.join(''));

function term(fields: Record<string, unknown>): SpfTerm {
  // Leave absent fields out rather than set to undefined, as parse does.
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as SpfTerm;
}

const cidr4 = fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined });
const cidr6 = fc.option(fc.integer({ min: 0, max: 128 }), { nil: undefined });

/** Mechanisms that query DNS (RFC 7208 §4.6.4). */
const lookupTerm: fc.Arbitrary<SpfTerm> = fc.oneof(
  fc.record({ qualifier, domainSpec }).map((f) => term({ mechanism: SpfMechanism.INCLUDE, ...f })),
  fc.record({ qualifier, domainSpec }).map((f) => term({ mechanism: SpfMechanism.EXISTS, ...f })),
  fc.record({ qualifier, domainSpec: fc.option(domainSpec, { nil: undefined }) }).map((f) => term({ mechanism: SpfMechanism.PTR, ...f })),
  fc.record({ m: fc.constantFrom(SpfMechanism.A, SpfMechanism.MX), qualifier, domainSpec: fc.option(domainSpec, { nil: undefined }), cidr4, cidr6 })
    .map(({ m, ...f }) => term({ mechanism: m, ...f })),
);

/** Mechanisms that do not query DNS. */
const ipTerm: fc.Arbitrary<SpfTerm> = fc.oneof(
  fc.record({ qualifier, ip: fc.ipV4(), cidr4 }).map((f) => term({ mechanism: SpfMechanism.IP4, ...f })),
  fc.record({ qualifier, ip: fc.ipV6(), cidr6 }).map((f) => term({ mechanism: SpfMechanism.IP6, ...f })),
);
const allTerm: fc.Arbitrary<SpfTerm> = qualifier.map((q) => term({ mechanism: SpfMechanism.ALL, qualifier: q }));
const expTerm: fc.Arbitrary<SpfTerm> = domainSpec.map((d) => ({ modifier: 'exp', domainSpec: d }));
const unknownModifier: fc.Arbitrary<SpfTerm> = fc.record({
  modifier: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/).filter((n) => n !== 'redirect' && n !== 'exp'),
  domainSpec: macroString,
});

/** Valid models: at most 7 lookups, at most one redirect and one exp, in any order. */
const model: fc.Arbitrary<SpfModel> = fc.tuple(
  fc.array(lookupTerm, { maxLength: 6 }),
  fc.array(fc.oneof(ipTerm, allTerm), { maxLength: 5 }),
  fc.option(domainSpec.map((d): SpfTerm => ({ modifier: 'redirect', domainSpec: d })), { nil: undefined }),
  fc.option(expTerm, { nil: undefined }),
  fc.array(unknownModifier, { maxLength: 2 }),
).chain(([lookups, others, redirect, exp, unknown]) => {
  const all = [...lookups, ...others, ...unknown, ...(redirect ? [redirect] : []), ...(exp ? [exp] : [])];
  return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
}).map((terms) => ({ terms }));

const nonCounting: fc.Arbitrary<SpfTerm> = fc.oneof(ipTerm, expTerm);

// ---- Properties ----

describe('Spf properties', () => {
  test('generated models are valid: no error findings', () => {
    fc.assert(fc.property(model, (m) => {
      expect(Spf.validate(m).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    }));
  });

  test('parse(render(m)) deep-equals m', () => {
    fc.assert(fc.property(model, (m) => {
      expect(Spf.parse(Spf.render(m))).toEqual(m);
    }));
  });

  test('render(m) starts with v=spf1 and is selected as SPF', () => {
    fc.assert(fc.property(model, (m) => {
      const text = Spf.render(m);
      expect(text.startsWith('v=spf1')).toBe(true);
      expect(Spf.isSpf(text)).toBe(true);
    }));
  });

  test('parse reads the record back from quoted, split strings and from extra whitespace', () => {
    fc.assert(fc.property(model, fc.array(fc.constantFrom(' ', '  ', ' \t '), { minLength: 40, maxLength: 40 }), (m, gaps) => {
      const text = Spf.render(m);
      expect(Spf.parse(TxtChunks.toRoute53Value(text))).toEqual(m);
      let i = 0;
      const spaced = ` ${text.replace(/ /g, () => gaps[i++ % gaps.length])}  `;
      expect(Spf.parse(spaced)).toEqual(m);
    }));
  });

  test('check of a rendered, split record reports no error', () => {
    fc.assert(fc.property(model, (m) => {
      const errors = Spf.check(TxtChunks.toRoute53Value(Spf.render(m))).filter((f) => f.severity === Severity.ERROR);
      expect(errors).toEqual([]);
    }));
  });

  test('lookupCount counts nothing for ip4, ip6, all and exp', () => {
    fc.assert(fc.property(fc.array(fc.oneof(ipTerm, allTerm), { maxLength: 8 }), fc.option(expTerm, { nil: undefined }), (terms, exp) => {
      expect(Spf.lookupCount({ terms: exp ? [...terms, exp] : terms }).lookups).toBe(0);
    }));
  });

  test('inserting ip4, ip6 or exp terms anywhere does not change lookupCount', () => {
    fc.assert(fc.property(model, fc.array(fc.tuple(fc.nat(), nonCounting), { maxLength: 5 }), (m, inserts) => {
      const terms = [...m.terms];
      for (const [at, t] of inserts) terms.splice(at % (terms.length + 1), 0, t);
      expect(Spf.lookupCount({ terms })).toEqual(Spf.lookupCount(m));
    }));
  });

  test('appending "all" to a record without redirect does not change lookupCount', () => {
    fc.assert(fc.property(model, allTerm, (m, all) => {
      const terms = m.terms.filter((t) => t.modifier !== 'redirect');
      expect(Spf.lookupCount({ terms: [...terms, all] })).toEqual(Spf.lookupCount({ terms }));
    }));
  });

  const spfish = fc.array(fc.constantFrom(
    'v=spf1', ' ', 'include:', 'a', 'mx', 'ptr', 'exists:', 'ip4:', 'ip6:', 'all', 'redirect=', 'exp=', '-', '~', '+', '?',
    '/', '//', '%', '%{', '}', ':', '=', '.', '::', '1', '300', 'example.com', '"', '\\', '\\"', '\\065', '\t', '\u2013', '\u{1F600}', '\0',
  ), { maxLength: 30 }).map((p) => p.join(''));

  test.each<[string, fc.Arbitrary<string>]>([
    ['ASCII strings', fc.string()],
    ['full Unicode strings', fc.string({ unit: 'binary' })],
    ['v=spf1 and any string', fc.string({ unit: 'binary' }).map((s) => `v=spf1 ${s}`)],
    ['SPF-shaped token soup', spfish],
    ['v=spf1 and token soup', spfish.map((s) => `v=spf1 ${s}`)],
  ])('check never throws on %s', (_, arb) => {
    fc.assert(fc.property(arb, (text) => {
      const findings = Spf.check(text, { name: 'example.gov.uk' });
      expect(Array.isArray(findings)).toBe(true);
      expect(Spf.checkRecordSet([text, text]).length).toBeGreaterThanOrEqual(0);
      expect(typeof Spf.isSpf(text)).toBe('boolean');
    }));
  });
});
