import { generateKeyPairSync } from 'node:crypto';
import * as fc from 'fast-check';
import { Caa, CaaModel } from '../../src/records/caa';
import { Dkim, DkimKeyModel, DkimKeyType } from '../../src/records/dkim';
import { Dmarc, DmarcAlignment, DmarcModel, DmarcPolicy } from '../../src/records/dmarc';
import { Finding, Severity } from '../../src/records/finding';
import { MtaSts, MtaStsMode, MtaStsPolicyModel, MtaStsRecordModel } from '../../src/records/mta-sts';
import { Mx, MxModel } from '../../src/records/mx';
import { Spf, SpfMechanism, SpfModel, SpfQualifier, SpfTerm } from '../../src/records/spf';
import { TlsRpt, TlsRptModel } from '../../src/records/tls-rpt';

// One contract for every record model: `render` returns only a valid record (it throws when
// `validate` reports an error), so the text it returns, checked as DNS would hold it, has no
// error either. The models below mix valid and invalid values, so both paths are taken.

/** The model, what `render` and `check` do with it, and how many runs rendered. */
interface Contract<M> {
  readonly name: string;
  readonly model: fc.Arbitrary<M>;
  readonly render: (m: M) => string;
  readonly validate: (m: M) => Finding[];
  readonly check: (text: string) => Finding[];
}

const errors = (findings: Finding[]) => findings.filter((f) => f.severity === Severity.ERROR);
/** Fields left out rather than set to undefined, as `parse` gives them. */
const defined = <T>(fields: Record<string, unknown>): T => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Mostly a valid value, sometimes one that is not. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: invalid, weight: 1 });
/** A few odd values every model should handle: non-ASCII, separators, empty, spaces. */
const odd = fc.constantFrom('', 'é', 'a;b', 'a b', 'x=y', '"q"', 'caf\u00e9', '\u2603', 'a,b', 'a!1');

const domain = fc.oneof(fc.constantFrom('example.gov.uk', 'mail.example.gov.uk', '_spf.google.com', 'xn--dpt-bma.gov.uk'), odd);

const spfTerm: fc.Arbitrary<SpfTerm> = fc.oneof(
  fc.record({
    mechanism: fc.constantFrom(SpfMechanism.INCLUDE, SpfMechanism.A, SpfMechanism.MX, SpfMechanism.EXISTS, SpfMechanism.PTR),
    qualifier: maybe(fc.constantFrom(SpfQualifier.PASS, SpfQualifier.FAIL, SpfQualifier.SOFTFAIL)),
    domainSpec: maybe(domain),
  }).map((t) => defined<SpfTerm>(t)),
  fc.record({ mechanism: fc.constant(SpfMechanism.IP4), ip: fc.oneof(fc.ipV4(), odd), cidr4: maybe(fc.integer({ min: -1, max: 40 })) })
    .map((t) => defined<SpfTerm>(t)),
  fc.record({ mechanism: fc.constant(SpfMechanism.IP6), ip: fc.oneof(fc.ipV6(), odd), cidr6: maybe(fc.integer({ min: 0, max: 130 })) })
    .map((t) => defined<SpfTerm>(t)),
  maybe(fc.constantFrom(SpfQualifier.FAIL, SpfQualifier.SOFTFAIL, SpfQualifier.PASS))
    .map((q) => defined<SpfTerm>({ mechanism: SpfMechanism.ALL, qualifier: q })),
  fc.record({ modifier: fc.constantFrom('redirect', 'exp', 'unknown', 'x y'), domainSpec: domain }),
);

const reportUri = fc.oneof(
  fc.constantFrom('mailto:dmarc@example.gov.uk', 'mailto:a%2Cb@example.gov.uk', 'https://reports.example.gov.uk/v1', 'dmarc@example.gov.uk', 'ftp://x.example'),
  domain.map((d) => `mailto:reports@${d}`),
);

const dmarc: fc.Arbitrary<DmarcModel> = fc.record({
  policy: mostly(fc.constantFrom(DmarcPolicy.NONE, DmarcPolicy.QUARANTINE, DmarcPolicy.REJECT), fc.constantFrom(undefined, 'bogus' as DmarcPolicy)),
  subdomainPolicy: maybe(mostly(fc.constant(DmarcPolicy.REJECT), fc.constant('x' as DmarcPolicy))),
  dkimAlignment: maybe(mostly(fc.constantFrom(DmarcAlignment.RELAXED, DmarcAlignment.STRICT), fc.constant('strict' as DmarcAlignment))),
  failureOptions: maybe(fc.array(mostly(fc.constantFrom('0', '1', 'd', 's'), fc.constantFrom('x', '')), { minLength: 1, maxLength: 2 })),
  aggregateReportUris: maybe(fc.array(fc.record({ uri: mostly(fc.constant('mailto:dmarc@example.gov.uk'), reportUri), maxSize: maybe(fc.constantFrom('10m', 'lots')) })
    .map((u) => defined<{ uri: string }>(u)), { maxLength: 2 })),
  testing: maybe(fc.boolean()),
  percentage: maybe(fc.integer({ min: -5, max: 120 })),
  unknownTags: maybe(fc.array(fc.record({ name: fc.oneof(fc.constantFrom('p', 'zz', 'ri'), odd), value: fc.oneof(fc.constantFrom('1', 'none'), odd) }), { maxLength: 1 })),
}).map((m) => defined<DmarcModel>(m));

const tlsRpt: fc.Arbitrary<TlsRptModel> = fc.record({
  reportUris: fc.array(reportUri, { maxLength: 3 }),
  extensions: maybe(fc.array(fc.record({ name: fc.oneof(fc.constantFrom('ext', 'rua', 'v'), odd), value: fc.oneof(fc.constant('1'), odd) }), { maxLength: 2 })),
}).map((m) => defined<TlsRptModel>(m));

const mtaStsRecord: fc.Arbitrary<MtaStsRecordModel> = fc.record({
  id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,34}$/), odd),
  extensions: maybe(fc.array(fc.record({ name: fc.oneof(fc.constantFrom('ext', 'id', 'v'), odd), value: fc.oneof(fc.constant('1'), odd) }), { maxLength: 2 })),
}).map((m) => defined<MtaStsRecordModel>(m));

const mtaStsPolicy: fc.Arbitrary<MtaStsPolicyModel> = fc.record({
  mode: fc.constantFrom(MtaStsMode.ENFORCE, MtaStsMode.TESTING, MtaStsMode.NONE, 'report' as MtaStsMode),
  maxAge: fc.integer({ min: -10, max: 40000000 }),
  mx: fc.array(fc.oneof(fc.constantFrom('mail.example.gov.uk', '*.mail.protection.outlook.com', '*mx.example.com'), domain), { maxLength: 3 }),
  extensions: maybe(fc.array(fc.record({ name: fc.oneof(fc.constantFrom('ext', 'mode', 'mx'), odd), value: fc.oneof(fc.constant('1'), odd) }), { maxLength: 2 })),
}).map((m) => defined<MtaStsPolicyModel>(m));

const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const dkim: fc.Arbitrary<DkimKeyModel> = fc.record({
  version: maybe(mostly(fc.constant('DKIM1'), fc.constant('dkim1'))),
  keyType: maybe(fc.constantFrom(DkimKeyType.RSA, DkimKeyType.ED25519)),
  publicKey: mostly(fc.constantFrom(rsa2048, rsa1024, '', Buffer.alloc(32, 7).toString('base64')), fc.oneof(fc.constant('not base64!'), odd)),
  hashAlgorithms: maybe(fc.array(fc.constantFrom('sha256', 'sha1'), { minLength: 1, maxLength: 2 })),
  flags: maybe(fc.array(fc.constantFrom('y', 's'), { minLength: 1, maxLength: 2 })),
  notes: maybe(mostly(fc.constant('key one'), odd)),
  unknownTags: maybe(fc.array(fc.record({ name: mostly(fc.constant('zz'), fc.oneof(fc.constant('p'), odd)), value: mostly(fc.constant('1'), odd) }), { maxLength: 1 })),
}).map((m) => defined<DkimKeyModel>(m));

const mx: fc.Arbitrary<MxModel> = fc.record({
  preference: fc.oneof(fc.integer({ min: -1, max: 70000 }), fc.constant(0)),
  exchange: fc.oneof(fc.constantFrom('.', '198.51.100.1', 'mail.example.gov.uk.'), domain),
});

const caa: fc.Arbitrary<CaaModel> = fc.record({
  flags: mostly(fc.constantFrom(0, 128), fc.integer({ min: -1, max: 300 })),
  tag: mostly(fc.constantFrom('issue', 'issuewild', 'iodef', 'Issue'), fc.oneof(fc.constant('verylongtagnamexyz'), odd)),
  value: mostly(fc.constantFrom(';', 'letsencrypt.org', 'amazon.com; cansignhttpexchanges=yes', 'mailto:security@example.gov.uk'), odd),
});

const CONTRACTS: Array<Contract<any>> = [
  { name: 'Spf', model: fc.array(spfTerm, { maxLength: 8 }).map((terms): SpfModel => ({ terms })), render: Spf.render, validate: (m) => Spf.validate(m), check: (t) => Spf.check(t) },
  { name: 'Dmarc', model: dmarc, render: Dmarc.render, validate: (m) => Dmarc.validate(m), check: (t) => Dmarc.check(t) },
  { name: 'TlsRpt', model: tlsRpt, render: TlsRpt.render, validate: (m) => TlsRpt.validate(m), check: (t) => TlsRpt.check(t) },
  { name: 'MtaSts record', model: mtaStsRecord, render: MtaSts.renderRecord, validate: (m) => MtaSts.validateRecord(m), check: (t) => MtaSts.checkRecord(t) },
  { name: 'MtaSts policy', model: mtaStsPolicy, render: MtaSts.renderPolicy, validate: (m) => MtaSts.validatePolicy(m), check: (t) => MtaSts.checkPolicy(t) },
  { name: 'Dkim', model: dkim, render: Dkim.render, validate: (m) => Dkim.validate(m), check: (t) => Dkim.check(t) },
  { name: 'Mx', model: mx, render: Mx.render, validate: (m) => Mx.validate(m), check: (t) => Mx.check(t) },
  { name: 'Caa', model: caa, render: Caa.render, validate: (m) => Caa.validate(m), check: (t) => Caa.check(t) },
];

describe.each(CONTRACTS.map((c) => [c.name, c] as const))('%s: render gives only valid records', (_name, contract) => {
  test('when render does not throw, check(render(m)) has no error; when validate has an error, render throws', () => {
    let rendered = 0;
    let refused = 0;
    fc.assert(fc.property(contract.model, (m) => {
      const validationErrors = errors(contract.validate(m));
      let text: string;
      try {
        text = contract.render(m);
      } catch (err) {
        refused++;
        // render refuses exactly what validate calls an error, and says which rules.
        expect(validationErrors.length).toBeGreaterThan(0);
        expect(String(err)).toContain(`[${validationErrors[0].ruleId}]`);
        return;
      }
      rendered++;
      expect(validationErrors).toEqual([]);
      expect(errors(contract.check(text))).toEqual([]);
    }), { numRuns: 300 });
    // Both paths were taken, so the property says something about each.
    expect(rendered).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  });
});
