import * as fc from 'fast-check';
import { Dmarc } from '../../src/records/dmarc';
import { Mx } from '../../src/records/mx';
import { Spf } from '../../src/records/spf';
import { TxtChunks } from '../../src/records/txt';
import { CleanRecordSets, KeptByText, TEXTS_KEPT } from '../../src/standard/kept-texts';
import { DomainPosture } from '../../src/standard/posture';
import { GovUkProfile } from '../../src/standard/profile';

/** Texts that are often alike: record texts, near misses, quoted forms and the empty text. */
const recordText = fc.oneof(
  fc.constantFrom('v=spf1 -all', 'v=spf1 ~all', 'v=spf1 +all', 'v=spf1-all', '"v=spf1 " "-all"', '',
    'v=DMARC1; p=reject; rua=mailto:a@b.gov.uk', 'v=DMARC1; p=none', 'v=dmarc1; p=reject', 'v=DMARC1; p=reject; sp=none',
    '0 .', '10 .', '0 mail.dept.gov.uk.', '10 192.0.2.1', 'x', '"unterminated'),
  fc.string({ maxLength: 30 }),
);

describe('KeptByText', () => {
  test('gives each text its own reading, never another text\'s, in any order of asking', () => {
    fc.assert(fc.property(fc.array(recordText, { maxLength: 60 }), (texts) => {
      const kept = new KeptByText((t) => ({ text: t, length: t.length }));
      for (const t of texts) {
        expect(kept.of(t)).toEqual({ text: t, length: t.length });
      }
    }));
  });

  test('reads a text once, and again only after the kept texts are let go', () => {
    let reads = 0;
    const kept = new KeptByText((t) => {
      reads++;
      return t.toUpperCase();
    });
    expect(kept.of('v=spf1 -all')).toBe('V=SPF1 -ALL');
    expect(kept.of('v=spf1 -all')).toBe('V=SPF1 -ALL');
    expect(reads).toBe(1);
    for (let i = 0; i < TEXTS_KEPT; i++) kept.of(`text ${i}`);
    expect(kept.size).toBeLessThanOrEqual(TEXTS_KEPT);
    const before = reads;
    expect(kept.of('v=spf1 -all')).toBe('V=SPF1 -ALL');
    expect(reads).toBe(before + 1);
  });

  test('keeps a reading that is undefined, and does not keep one that throws', () => {
    let reads = 0;
    const kept = new KeptByText((t) => {
      reads++;
      if (t === 'bad') throw new Error('unreadable');
      return undefined;
    });
    expect(kept.of('x')).toBeUndefined();
    expect(kept.of('x')).toBeUndefined();
    expect(reads).toBe(1);
    expect(() => kept.of('bad')).toThrow('unreadable');
    expect(() => kept.of('bad')).toThrow('unreadable');
    expect(reads).toBe(3);
  });

  test('a kept model cannot be changed through one of the callers that share it', () => {
    const kept = new KeptByText((t) => ({ terms: [{ text: t }] }));
    const model = kept.of('v=spf1 -all');
    expect(() => {
      (model.terms as Array<{ text: string }>).push({ text: 'x' });
    }).toThrow(TypeError);
    expect(() => {
      (model.terms[0] as { text: string }).text = 'changed';
    }).toThrow(TypeError);
    expect(kept.of('v=spf1 -all')).toEqual({ terms: [{ text: 'v=spf1 -all' }] });
  });
});

describe('CleanRecordSets', () => {
  test('gives the check\'s own findings for any values and names, in any order', () => {
    const check = (values: string[], name: string) => values.filter((v) => v.includes('x')).map((v) => `${name}: ${v}`);
    fc.assert(fc.property(fc.array(fc.tuple(fc.array(recordText, { maxLength: 3 }), fc.constantFrom('a.gov.uk', 'b.gov.uk')), { maxLength: 40 }), (calls) => {
      const sets = new CleanRecordSets(check);
      for (const [values, name] of calls) {
        expect(sets.findings(values, name)).toEqual(check(values, name));
      }
    }));
  });

  test('runs the check again for values with findings, so each finding names its own record set', () => {
    let checks = 0;
    const sets = new CleanRecordSets((values, name) => {
      checks++;
      return values.includes('bad') ? [name] : [];
    });
    expect(sets.findings(['good'], 'a.gov.uk')).toEqual([]);
    expect(sets.findings(['good'], 'b.gov.uk')).toEqual([]);
    expect(checks).toBe(1);
    expect(sets.findings(['bad'], 'a.gov.uk')).toEqual(['a.gov.uk']);
    expect(sets.findings(['bad'], 'b.gov.uk')).toEqual(['b.gov.uk']);
    expect(checks).toBe(3);
    // ['a', 'b'] and ['a,b'] are different record sets.
    expect(sets.findings(['go', 'od'], 'a.gov.uk')).toEqual([]);
    expect(sets.findings(['go,od'], 'a.gov.uk')).toEqual([]);
    expect(checks).toBe(5);
  });

  // What CleanRecordSets relies on for the profile's checks: the name is only the findings' path
  // and subject, so the same values have findings at every name or at none.
  test.each([
    ['Spf', (values: string[], name: string) => Spf.checkRecordSet(values, { name })],
    ['Dmarc', (values: string[], name: string) => Dmarc.checkRecordSet(values, { name })],
    ['Mx', (values: string[], name: string) => Mx.checkRecordSet(values, { name })],
  ])('%s.checkRecordSet finds the same rules in the same values at any name', (_, check) => {
    fc.assert(fc.property(fc.array(recordText, { maxLength: 3 }), (values) => {
      const a = check(values, 'parked-0001.gov.uk');
      const b = check(values, '_dmarc.other.example.org');
      expect(b.map((f) => [f.ruleId, f.severity, f.message])).toEqual(a.map((f) => [f.ruleId, f.severity, f.message]));
    }));
  });
});

describe('the profile, reading each text once', () => {
  const parked = (domainName: string, over: Partial<DomainPosture> = {}): DomainPosture => ({
    domainName,
    apexTxt: ['"v=spf1 -all"'],
    mx: ['0 .'],
    dmarc: ['"v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=mailto:dmarc-reports@dept.gov.uk"'],
    dkimWildcard: ['"v=DKIM1; p="'],
    caa: ['0 issue ";"'],
    ...over,
  });

  test('judges each domain by its own records, whatever was judged before it', () => {
    const records = fc.record({
      apexTxt: fc.array(fc.constantFrom('"v=spf1 -all"', '"v=spf1 ~all"', '"v=spf1-all"', 'MS=ms1', '"v=spf1 " "-all"'), { maxLength: 3 }),
      mx: fc.array(fc.constantFrom('0 .', '10 .', '10 mail.dept.gov.uk.', 'nonsense'), { maxLength: 2 }),
      dmarc: fc.array(fc.constantFrom('"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:r@dept.gov.uk"', '"v=DMARC1; p=none"', 'v=dmarc1; p=reject'), { maxLength: 2 }),
      dkimWildcard: fc.array(fc.constantFrom('"v=DKIM1; p="', '"v=DKIM1; p=MIIB"', 'garbage'), { maxLength: 2 }),
      caa: fc.array(fc.constantFrom('0 issue ";"', '0 issue "letsencrypt.org"', 'bad'), { maxLength: 2 }),
    });
    // The postures are judged in order, then in the reverse order by a fresh copy of the profile
    // (no text kept yet): each domain's findings are the same, whatever was read before it.
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('a.gov.uk', 'b.gov.uk', 'c.gov.uk'), records), { minLength: 1, maxLength: 8 }), (domains) => {
      const judged = domains.map(([name, r]) => GovUkProfile.evaluateParked(parked(name, r)));
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('../../src/standard/profile') as typeof import('../../src/standard/profile');
        for (let i = domains.length - 1; i >= 0; i--) {
          const [name, r] = domains[i];
          expect(fresh.GovUkProfile.evaluateParked(parked(name, r))).toEqual(judged[i]);
        }
      });
    }), { numRuns: 30 });
  });

  test('a parked domain\'s records are read as the texts they are', () => {
    expect(GovUkProfile.evaluateParked(parked('a.gov.uk'))).toEqual([]);
    const weak = GovUkProfile.evaluateParked(parked('b.gov.uk', { apexTxt: ['"v=spf1 ~all"'] }));
    expect(weak.map((f) => f.ruleId)).toContain('GOVUK-PARKED-SPF');
    expect(weak.find((f) => f.ruleId === 'GOVUK-PARKED-SPF')?.message).toContain(`got: "${TxtChunks.parse('"v=spf1 ~all"')}"`);
    expect(GovUkProfile.evaluateParked(parked('c.gov.uk'))).toEqual([]);
  });
});
