import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DkimRecords, DkimRecordsProps } from '../../src/constructs/dkim-records';
import { Dkim } from '../../src/records/dkim';
import { Severity } from '../../src/records/finding';
import { TxtChunks } from '../../src/records/txt';
import { DkimRecordType, Sender, SenderDkimRecord } from '../../src/senders/sender';
import { TemplateLinter } from '../util/cfn-lint';
import { ZONE_ID, recordSets, stackWithZone, thrownBy, warnings } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const M365 = Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' });

/** Fixed keys from the DKIM fixtures, so snapshots are stable. */
const FIXTURES: Array<{ name: string; value: string }> = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'dkim.json'), 'utf8'));
const key = (selector: string) => TxtChunks.parse(FIXTURES.find((f) => f.name.startsWith(`${selector}._domainkey.`))!.value);
const RSA_2048 = key('google');
const RSA_1024 = key('selector1');
const RSA_512 = key('old');
const ED25519 = key('ed');

function dkim(props: Partial<DkimRecordsProps>, zoneName?: string) {
  const { app, stack, zone } = stackWithZone(zoneName);
  const construct = new DkimRecords(stack, 'Dkim', { zone, ...props });
  return { app, stack, zone, construct };
}

describe('DkimRecords: what it publishes', () => {
  test('Microsoft 365: a CNAME per selector to the tenant, one record set each, ids from the selectors', () => {
    // GIVEN a zone
    // WHEN the DKIM records of Microsoft 365 are published
    const { stack, construct } = dkim({ senders: [M365] });
    const template = lint.template(stack);
    // THEN two CNAMEs with the exact names, TTL and targets
    expect(recordSets(template)).toEqual([
      ['selector1._domainkey.dept.gov.uk.', 'CNAME', '3600', ['selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com']],
      ['selector2._domainkey.dept.gov.uk.', 'CNAME', '3600', ['selector2-dept-gov-uk._domainkey.dept.onmicrosoft.com']],
    ]);
    expect(Object.keys(template.toJSON().Resources)).toEqual([expect.stringMatching(/^Dkimselector1[0-9A-F]{8}$/), expect.stringMatching(/^Dkimselector2[0-9A-F]{8}$/)]);
    expect(construct.records.map((r) => r.selector)).toEqual(['selector1', 'selector2']);
    expect(warnings(stack)).toEqual([]);
    // AND each CNAME to the tenant's key is noted as delegated (DKIM-DELEGATED), for gov-email check to verify live
    expect(Annotations.fromStack(stack).findInfo('/Test/Dkim', Match.stringLikeRegexp('DKIM-DELEGATED')).map((m) => m.entry.data)).toEqual([
      expect.stringMatching(/^\[cdk-gov-email:DKIM-DELEGATED\] selector1\._domainkey\.dept\.gov\.uk → selector1-dept-gov-uk\._domainkey\.dept\.onmicrosoft\.com: .*`gov-email check dept\.gov\.uk` verifies it live\.$/),
      expect.stringMatching(/^\[cdk-gov-email:DKIM-DELEGATED\] selector2\._domainkey\.dept\.gov\.uk → selector2-dept-gov-uk\._domainkey/),
    ]);
  });

  test('a 2048-bit TXT key is split into 255-octet strings; an Ed25519 key and a CNAME with a trailing dot sit beside it', () => {
    // GIVEN a Google key, an Ed25519 key and a CNAME written with a trailing dot
    const records: SenderDkimRecord[] = [
      { selector: 'ed', recordType: DkimRecordType.TXT, value: ED25519 },
      { selector: 'S1.Relay', recordType: DkimRecordType.CNAME, value: 's1.dkim.relay.example.' },
    ];
    // WHEN they are published at a subdomain with a TTL
    const { stack } = dkim({ domainName: 'notify.dept.gov.uk', senders: [Sender.googleWorkspace({ dkimRecord: RSA_2048 })], records, ttl: Duration.minutes(5) });
    const template = lint.template(stack);
    // THEN each is at <selector>._domainkey.<domain> (selectors in lower case), the long key in two strings
    expect(RSA_2048.length).toBeGreaterThan(255);
    expect(recordSets(template)).toEqual([
      ['ed._domainkey.notify.dept.gov.uk.', 'TXT', '300', [`"${ED25519}"`]],
      ['s1.relay._domainkey.notify.dept.gov.uk.', 'CNAME', '300', ['s1.dkim.relay.example']],
      ['google._domainkey.notify.dept.gov.uk.', 'TXT', '300', [`"${RSA_2048.slice(0, 255)}" "${RSA_2048.slice(255)}"`]],
    ]);
    expect(warnings(stack)).toEqual([]);
  });

  test('a 1024-bit key is published with the warning DKIM-RSA-KEY-UNDER-2048', () => {
    // GIVEN / WHEN a legacy 1024-bit key
    const { stack } = dkim({ records: [{ selector: 'legacy', recordType: DkimRecordType.TXT, value: RSA_1024 }] });
    lint.template(stack);
    // THEN one warning, with the rule's id and the key's size
    expect(warnings(stack)).toEqual(['The RSA key is 1024 bits; use 2048 or more. (RFC 8301 §3.2) [ack: cdk-gov-email:DKIM-RSA-KEY-UNDER-2048]']);
  });

  test('a 512-bit key fails synth with DKIM-RSA-KEY-UNDER-1024, naming the record', () => {
    // GIVEN / WHEN a 512-bit key
    const { app } = dkim({ records: [{ selector: 'old', recordType: DkimRecordType.TXT, value: RSA_512 }] });
    // THEN synth fails
    expect(() => app.synth()).toThrow(
      'Validation failed with the following errors:\n  [Test/Dkim] [DKIM-RSA-KEY-UNDER-1024] The RSA key is 512 bits; the minimum is 1024. (RFC 8301 §3.2)');
  });

  test('a key restricted to SHA-1 fails synth with DKIM-HASH-SHA256', () => {
    // GIVEN / WHEN a key with h=sha1
    const { app } = dkim({ records: [{ selector: 'sha1', recordType: DkimRecordType.TXT, value: `v=DKIM1; h=sha1; k=rsa; p=${Dkim.parse(RSA_2048).publicKey}` }] });
    // THEN synth fails
    expect(() => app.synth()).toThrow('[Test/Dkim] [DKIM-HASH-SHA256] The key allows only SHA-1 ("h=sha1"), which RFC 8301 forbids');
  });

  test('a CNAME target that is a token is published as it is, and a TXT key that is a token is noted as not evaluated', () => {
    // GIVEN / WHEN values imported from another stack
    const { stack } = dkim({
      records: [
        { selector: 'a', recordType: DkimRecordType.CNAME, value: Fn.importValue('Target') },
        { selector: 'b', recordType: DkimRecordType.TXT, value: Fn.importValue('Key') },
      ],
    });
    const template = lint.template(stack);
    // THEN the values are joined at deployment
    expect(recordSets(template)).toEqual([
      ['a._domainkey.dept.gov.uk.', 'CNAME', '3600', [{ 'Fn::ImportValue': 'Target' }]],
      ['b._domainkey.dept.gov.uk.', 'TXT', '3600', [{ 'Fn::Join': ['', ['"', { 'Fn::ImportValue': 'Key' }, '"']] }]],
    ]);
    // AND DKIM is reported as not evaluated, once, naming the posture field; no delegation is claimed
    expect(warnings(stack)).toEqual([
      expect.stringMatching(/^dept\.gov\.uk: dkim could not be evaluated .*\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\]$/),
    ]);
    expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('DKIM-DELEGATED'))).toEqual([]);
  });

  test('a selector published by two constructs fails synth, naming both paths; a CNAME and a TXT at one name too', () => {
    // GIVEN Microsoft 365's DKIM records
    const { app, stack, zone } = dkim({ senders: [M365] });
    // WHEN another construct publishes a TXT key at selector1
    new DkimRecords(stack, 'More', { zone, records: [{ selector: 'selector1', recordType: DkimRecordType.TXT, value: RSA_2048 }] });
    // THEN synth fails: a CNAME must be alone at its name
    expect(() => app.synth()).toThrow(
      '[Test/More] [ROUTE53-RECORD-CONFLICT] TXT and CNAME at "selector1._domainkey.dept.gov.uk" in one hosted zone is published by both Test/More and Test/Dkim.');
  });
});

describe('DkimRecords: bad input fails synth', () => {
  const P = 'Test/Dkim';
  const SELECTOR = 'DKIM-SELECTOR-SYNTAX] A DKIM selector is one or more dot-separated labels of letters, digits and inner hyphens, each at most 63 octets.';
  const SELECTOR_ALLOWED = 'Allowed: dot-separated labels of letters, digits and inner hyphens, such as "selector1" or "s2026.ses".';
  const TARGET = 'DKIM-CNAME-TARGET] A DKIM CNAME points at a domain name: at least two dot-separated labels of letters, digits, hyphens and underscores, each at most 63 octets, at most 253 in all.';
  const cname = (selector: string, value: string): SenderDkimRecord => ({ selector, recordType: DkimRecordType.CNAME, value });
  test.each<[string, Partial<DkimRecordsProps>, string]>([
    ['nothing to publish', {},
      `${P}: [GOVUK-DKIM-MISSING] A domain that sends mail publishes a DKIM key for each sending service. Got: []. Allowed: at least one DKIM record, in records or from senders that publish DKIM records (Amazon SES publishes its own through SesSendingIdentity).`],
    ['only a sender that publishes no DKIM record', { senders: [Sender.amazonSes()] },
      `${P}: [GOVUK-DKIM-MISSING] A domain that sends mail publishes a DKIM key for each sending service. Got: []. Allowed: at least one DKIM record, in records or from senders that publish DKIM records (Amazon SES publishes its own through SesSendingIdentity).`],
    ['a selector with an underscore', { records: [cname('my_selector', 'a.relay.example')] }, `${P}: [${SELECTOR} Got: "my_selector". ${SELECTOR_ALLOWED}`],
    ['a selector with a leading hyphen', { records: [cname('-s1', 'a.relay.example')] }, `${P}: [${SELECTOR} Got: "-s1". ${SELECTOR_ALLOWED}`],
    ['a selector with an empty label', { records: [cname('s1..relay', 'a.relay.example')] }, `${P}: [${SELECTOR} Got: "s1..relay". ${SELECTOR_ALLOWED}`],
    ['an empty selector', { records: [cname('', 'a.relay.example')] }, `${P}: [${SELECTOR} Got: "". ${SELECTOR_ALLOWED}`],
    ['the wildcard selector', { records: [cname('*', 'a.relay.example')] }, `${P}: [${SELECTOR} Got: "*". ${SELECTOR_ALLOWED}`],
    ['a selector that is a token', { records: [cname(Fn.importValue('Selector'), 'a.relay.example')] },
      `${P}: [${SELECTOR} Got: "\${Token[TOKEN.000]}". Allowed: a selector known at synth, such as "selector1".`],
    ['the same selector twice', { records: [cname('s1', 'a.relay.example'), cname('S1', 'b.relay.example')] },
      `${P}: [GOVUK-DKIM-SELECTOR-PER-SERVICE] Each sending service signs with its own DKIM key and selector. Got: "S1". Allowed: one record per selector: "S1" is used by both records[0] and records[1]; give each service its own selector.`],
    ['a record reusing a sender\'s selector', { senders: [M365], records: [cname('selector2', 'a.relay.example')] },
      `${P}: [GOVUK-DKIM-SELECTOR-PER-SERVICE] Each sending service signs with its own DKIM key and selector. Got: "selector2". Allowed: one record per selector: "selector2" is used by both records[0] and Microsoft 365; give each service its own selector.`],
    ['a CNAME to a single label', { records: [cname('s1', 'localhost')] },
      `${P}: [${TARGET} Got: "localhost". Allowed: a domain name for selector "s1", such as "selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com".`],
    ['a CNAME to a URL', { records: [cname('s1', 'https://relay.example/dkim')] },
      `${P}: [${TARGET} Got: "https://relay.example/dkim". Allowed: a domain name for selector "s1", such as "selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com".`],
    ['a record type that is not one', { records: [{ selector: 's1', recordType: 'A' as DkimRecordType, value: '192.0.2.1' }] },
      `${P}: [DKIM-RECORD-TYPE] A DKIM record is a CNAME to the key a service publishes, or a TXT record holding the key. Got: "A". Allowed: DkimRecordType.CNAME or DkimRecordType.TXT for selector "s1".`],
    ['a Microsoft 365 sender with one DKIM target', { senders: [Sender.microsoft365({ dkimTargets: ['selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com'] })] },
      `${P}: [SENDER-DKIM-TARGETS] Microsoft 365 signs with selector1 and selector2: its DKIM CNAMEs need exactly two targets (selector1's, then selector2's), or the tenant's initial domain to derive them from. Got: ["selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com"]. Allowed: Sender.microsoft365() dkimTargets holding exactly 2 targets, selector1's then selector2's, as the Microsoft Defender portal shows them (senders[0], Microsoft 365).`],
    ['a Microsoft 365 sender with a single-label initial domain', { senders: [Sender.microsoft365({ initialDomain: 'dept' })] },
      `${P}: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. Got: "dept". Allowed: a Sender.microsoft365() initialDomain that is the tenant's initial domain name, such as dept.onmicrosoft.com (senders[0], Microsoft 365).`],
    ['a TXT key that is not ASCII', { records: [{ selector: 's1', recordType: DkimRecordType.TXT, value: 'v=DKIM1; n=clé; p=' }] },
      `${P}: [TXT-NON-ASCII] SPF, DMARC, MTA-STS, TLS-RPT and DKIM key records are ASCII only. Got: "v=DKIM1; n=clé; p=". Allowed: printable ASCII only (U+0020 to U+007E).`],
  ])('%s', (_name, props, message) => {
    // GIVEN a zone
    const { stack, zone } = stackWithZone();
    // WHEN DKIM records are given the bad input
    // THEN construction fails with the path, rule id, value and what is allowed
    expect(thrownBy(() => new DkimRecords(stack, 'Dkim', { zone, ...props })).replace(/TOKEN\.[0-9]+/, 'TOKEN.000')).toBe(message);
  });

  test('senders with a domain known only at deployment fail synth: their records are derived from the name', () => {
    // GIVEN a zone whose name is a token
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: Fn.importValue('ZoneName') });
    // WHEN DKIM records of a sender are published at its apex
    // THEN the construct asks for the domain name
    expect(thrownBy(() => new DkimRecords(stack, 'Dkim', { zone, senders: [M365] })).replace(/TOKEN\.[0-9]+/, 'TOKEN.000')).toBe(
      'Test/Dkim: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone\'s own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "${Token[TOKEN.000]}". Allowed: a domainName known at synth: the senders\' DKIM records are derived from the domain name.');
  });
});

/** The scenarios snapshotted, and whose TXT values are read back through the foundation parsers. */
const SCENARIOS: Array<[string, () => Stack]> = [
  ['Microsoft 365', () => dkim({ senders: [M365] }).stack],
  ['TXT keys and a CNAME at a subdomain', () => dkim({
    domainName: 'notify.dept.gov.uk',
    senders: [Sender.googleWorkspace({ dkimRecord: RSA_2048 })],
    records: [{ selector: 'ed', recordType: DkimRecordType.TXT, value: ED25519 }, { selector: 's1.relay', recordType: DkimRecordType.CNAME, value: 's1.dkim.relay.example' }],
    ttl: Duration.minutes(5),
  }).stack],
];

describe('DkimRecords: snapshots', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN / WHEN the scenario is synthesised
    const template = lint.template(build());
    // THEN the template (and so every logical id) is unchanged
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('DkimRecords: every TXT value reads back through the foundation parsers', () => {
  test('each TXT key has no error-level finding and is the key given', () => {
    // GIVEN the TXT values the scenarios publish, as Route 53 holds them
    const txt = SCENARIOS.flatMap(([, build]) => recordSets(lint.template(build())))
      .filter(([, type]) => type === 'TXT').map(([name, , , values]) => [name, (values as string[])[0]] as const);
    expect(txt).toHaveLength(2);
    // WHEN each is read back
    for (const [name, value] of txt) {
      // THEN it checks clean and holds the key that was given
      expect(Dkim.check(value, { name: String(name) }).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
      expect([RSA_2048, ED25519]).toContain(TxtChunks.parse(value));
    }
  });
});
