import { App, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DkimRecords } from '../../src/constructs/dkim-records';
import { DmarcRecord } from '../../src/constructs/dmarc-record';
import { GovEmailDomain } from '../../src/constructs/gov-email-domain';
import { ParkedDomain } from '../../src/constructs/parked-domain';
import { SpfRecord, SpfRecordProps } from '../../src/constructs/spf-record';
import { TlsRptRecord } from '../../src/constructs/tls-rpt-record';
import { Severity } from '../../src/records/finding';
import { Spf, SpfQualifier } from '../../src/records/spf';
import { TxtChunks } from '../../src/records/txt';
import { DkimRecordType, Sender } from '../../src/senders/sender';
import { TemplateLinter } from '../util/cfn-lint';
import { ZONE_ID, infoIds, infos, recordSets, stackWithZone, thrownBy, warningIds, warnings } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const M365 = Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' });

function spf(props: Partial<SpfRecordProps> = {}, zoneName?: string) {
  const { app, stack, zone } = stackWithZone(zoneName);
  const construct = new SpfRecord(stack, 'Spf', { zone, ...props });
  return { app, stack, zone, construct };
}

describe('SpfRecord: what it publishes', () => {
  test('with no senders the domain authorises nobody: one TXT record set "v=spf1 -all" at the apex, TTL 3600', () => {
    // GIVEN a zone
    // WHEN an SPF record is published with the defaults
    const { stack, construct } = spf();
    const template = lint.template(stack);
    // THEN there is exactly one resource: the apex TXT record set
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(1);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: ZONE_ID, Name: 'dept.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: ['"v=spf1 -all"'],
    });
    expect(construct.spf).toBe('v=spf1 -all');
    expect(construct.domainName).toBe('dept.gov.uk');
    // AND nothing to warn about
    expect(warnings(stack)).toEqual([]);
    expect(infos(stack)).toEqual([]);
  });

  test('the senders\' includes and mechanisms, each once and in order, then -all; SES adds nothing at the apex', () => {
    // GIVEN Microsoft 365, Google Workspace, SES, GOV.UK Notify and a custom relay
    const relay = Sender.custom({ name: 'Relay', spfMechanisms: ['ip4:192.0.2.0/24'], spfIncludes: [{ domain: '_spf.relay.example', lookups: 2 }] });
    // WHEN the SPF record is built from them, with Microsoft 365 given twice
    const { stack, construct } = spf({
      senders: [M365, Sender.googleWorkspace(), Sender.amazonSes(), Sender.govUkNotify(), relay, M365],
      additionalMechanisms: ['ip6:2001:db8::/32'],
    });
    const template = lint.template(stack);
    // THEN the record lists each include once, the custom mechanisms, and ends with -all
    const text = 'v=spf1 include:spf.protection.outlook.com include:_spf.google.com ip4:192.0.2.0/24 include:_spf.relay.example ip6:2001:db8::/32 -all';
    expect(construct.spf).toBe(text);
    expect(recordSets(template)).toEqual([['dept.gov.uk.', 'TXT', '3600', [`"${text}"`]]]);
    // AND the known costs are kept for the lookup budget (1 + 3 + 2 nested, plus 3 includes = 9)
    expect(construct.includeCosts.map((c) => c.domain)).toEqual(['spf.protection.outlook.com', '_spf.google.com', '_spf.relay.example']);
    expect(Spf.lookupCount(Spf.parse(text), { includeCosts: construct.includeCosts }).lookups).toBe(9);
    expect(warnings(stack)).toEqual([]);
  });

  test('additional values are merged into the ONE record set, each once; a long one is split into 255-octet strings', () => {
    // GIVEN site-verification tokens, one given twice, and one of 300 characters
    const long = `verification=${'a'.repeat(287)}`;
    // WHEN they are published with the SPF record
    const { stack, construct } = spf({ senders: [M365], additionalValues: ['MS=ms12345678', 'google-site-verification=abc', 'MS=ms12345678', long] });
    const template = lint.template(stack);
    // THEN one TXT record set holds SPF first, then each value once
    expect(recordSets(template)).toEqual([['dept.gov.uk.', 'TXT', '3600', [
      '"v=spf1 include:spf.protection.outlook.com -all"',
      '"MS=ms12345678"',
      '"google-site-verification=abc"',
      `"${long.slice(0, 255)}" "${long.slice(255)}"`,
    ]]]);
    expect(construct.values).toEqual(['v=spf1 include:spf.protection.outlook.com -all', 'MS=ms12345678', 'google-site-verification=abc', long]);
  });

  test('a domain under the zone, and a TTL', () => {
    // GIVEN the zone dept.gov.uk
    // WHEN the SPF record is for notify.dept.gov.uk, written in mixed case, with a 5-minute TTL
    const { stack, construct } = spf({ domainName: 'Notify.Dept.gov.uk', ttl: Duration.minutes(5) });
    // THEN the record is at the subdomain, fully qualified, with the TTL in seconds
    expect(recordSets(lint.template(stack))).toEqual([['notify.dept.gov.uk.', 'TXT', '300', ['"v=spf1 -all"']]]);
    expect(construct.domainName).toBe('notify.dept.gov.uk');
  });

  test('a zone imported by id only: the domain name given is used fully qualified', () => {
    // GIVEN a zone imported without its name
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', ZONE_ID);
    // WHEN the domain name is given
    new SpfRecord(stack, 'Spf', { zone, domainName: 'dept.gov.uk' });
    // THEN the record is at that name, and nothing is left unchecked
    expect(recordSets(lint.template(stack))).toEqual([['dept.gov.uk.', 'TXT', '3600', ['"v=spf1 -all"']]]);
    expect(warnings(stack)).toEqual([]);
  });

  test('a zone whose name is a token: the record is at the token, and a warning says the name was not checked', () => {
    // GIVEN a zone imported from another stack's exports
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: Fn.importValue('ZoneId'), zoneName: Fn.importValue('ZoneName') });
    // WHEN an SPF record is published at its apex
    new SpfRecord(stack, 'Spf', { zone, senders: [M365] });
    const template = lint.template(stack);
    // THEN the name is the zone's name as it resolves (Route 53 reads a name without a dot as fully qualified)
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: { 'Fn::ImportValue': 'ZoneId' },
      Name: { 'Fn::ImportValue': 'ZoneName' },
      Type: 'TXT',
      ResourceRecords: ['"v=spf1 include:spf.protection.outlook.com -all"'],
    });
    // AND the record itself is still checked; only the name is noted as not evaluated
    expect(warnings(stack)).toEqual([expect.stringMatching(/^The domain name of Test\/Spf is not known until deployment, .*\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\]$/)]);
  });

  test('an additional value that is a token is published as one quoted string and reported as not evaluated', () => {
    // GIVEN a verification token imported from another stack
    // WHEN it is an additional value
    const { stack } = spf({ additionalValues: [Fn.importValue('Verification')] });
    const template = lint.template(stack);
    // THEN it is one quoted string joined at deployment
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      ResourceRecords: ['"v=spf1 -all"', { 'Fn::Join': ['', ['"', { 'Fn::ImportValue': 'Verification' }, '"']] }],
    });
    // AND the profile says a value was not evaluated, while the SPF record was
    Annotations.fromStack(stack).hasWarning('/Test/Spf', Match.stringLikeRegexp(
      '^dept\\.gov\\.uk: apexTxt could not be evaluated because its value is not known here; it is not assumed compliant\\. .*\\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\\]$'));
  });
});

describe('SpfRecord: a mechanism known only at deployment', () => {
  test('the SPF record is one quoted string, and its rules are reported as not evaluated', () => {
    // GIVEN / WHEN an ip4 mechanism built from an imported address
    const { stack } = spf({ additionalMechanisms: [Fn.join('', ['ip4:', Fn.importValue('RelayAddress')])] });
    const template = lint.template(stack);
    // THEN the record is joined at deployment, as one string
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      ResourceRecords: [{ 'Fn::Join': ['', ['"v=spf1 ip4:', { 'Fn::ImportValue': 'RelayAddress' }, ' -all"']] }],
    });
    // AND no SPF rule was judged on a placeholder: one note says the record was not evaluated
    expect(warnings(stack)).toEqual([expect.stringMatching(
      /^dept\.gov\.uk: apexTxt could not be evaluated because its value is not known here; .*\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\]$/)]);
  });
});

describe('SpfRecord: weaker choices and the lookup budget', () => {
  test('~all, chosen explicitly, is published with the warning GOVUK-SPF-ALL', () => {
    // GIVEN / WHEN the softfail qualifier is chosen
    const { stack } = spf({ senders: [M365], allQualifier: SpfQualifier.SOFTFAIL });
    const template = lint.template(stack);
    // THEN the record ends with ~all
    template.hasResourceProperties('AWS::Route53::RecordSet', { ResourceRecords: ['"v=spf1 include:spf.protection.outlook.com ~all"'] });
    // AND one warning with the profile's rule id says it was explicit and weaker than the default
    expect(warnings(stack)).toEqual([expect.stringMatching(/^The SPF record ends with "~all", chosen explicitly: .* The default "-all" asks them to reject it\. .*\[ack: cdk-gov-email:GOVUK-SPF-ALL\]$/)]);
  });

  test('an include of unknown cost is counted as 1 and noted', () => {
    // GIVEN / WHEN an include with no known cost
    const { stack } = spf({ additionalMechanisms: ['include:_spf.unknown.example'] });
    lint.template(stack);
    // THEN an info note, at the rule's severity
    expect(infos(stack)).toEqual(['[cdk-gov-email:SPF-LOOKUP-COST-UNKNOWN] The lookups "_spf.unknown.example" adds are unknown; counted as 1 for the term alone.']);
  });

  test('10 lookups is within the budget', () => {
    // GIVEN senders whose includes cost 10 lookups in all (M365 2 + Google 4 + relay 4)
    const relay = Sender.custom({ name: 'Relay', spfIncludes: [{ domain: '_spf.relay.example', lookups: 3 }] });
    // WHEN the SPF record is built
    const { stack } = spf({ senders: [M365, Sender.googleWorkspace(), relay] });
    // THEN it synthesises without error
    expect(() => lint.template(stack)).not.toThrow();
  });

  test('11 lookups fails synth with SPF-LOOKUP-LIMIT, naming the count, each term\'s lookups and the path', () => {
    // GIVEN senders whose includes cost 11 lookups in all (M365 2 + Google 4 + relay 5)
    const relay = Sender.custom({ name: 'Relay', spfIncludes: [{ domain: '_spf.relay.example', lookups: 4 }] });
    // WHEN the app is synthesised
    const { app } = spf({ senders: [M365, Sender.googleWorkspace(), relay] });
    // THEN synth fails with the RFC 7208 rule
    expect(() => app.synth()).toThrow(
      'Validation failed with the following errors:\n  [Test/Spf] [SPF-LOOKUP-LIMIT] Evaluating the record takes 11 DNS lookups; the limit is 10. Lookups by term, nested includes counted: include:spf.protection.outlook.com (2), include:_spf.google.com (4), include:_spf.relay.example (5). (RFC 7208 §4.6.4)');
  });

  test('a malformed mechanism fails synth with the RFC 7208 rule it breaks', () => {
    // GIVEN / WHEN a mechanism that does not exist
    const { app } = spf({ additionalMechanisms: ['allow:192.0.2.1'] });
    // THEN synth fails
    expect(() => app.synth()).toThrow(
      '[Test/Spf] [SPF-UNKNOWN-MECHANISM] Unknown mechanism "allow" in "allow:192.0.2.1"; a receiver returns permerror. (RFC 7208 §5, §12)');
  });

  test('"+all" slipped in through additionalMechanisms fails synth with GOVUK-SPF-ALL', () => {
    // GIVEN / WHEN a pass-all mechanism before the closing -all
    const { app } = spf({ additionalMechanisms: ['+all'] });
    // THEN synth fails: the first all takes effect
    expect(() => app.synth()).toThrow(
      '[Test/Spf] [GOVUK-SPF-ALL] dept.gov.uk\'s SPF ends with "+all", which lets any host pass or go unjudged; use "-all" (or "~all"). Got: "v=spf1 +all -all".');
  });
});

describe('SpfRecord: one record set per name and type', () => {
  test('two constructs publishing TXT at one name in one zone fail synth, naming both paths', () => {
    // GIVEN an SPF record at the apex
    const { app, stack, zone } = spf();
    // WHEN a second construct publishes TXT at the same name (written differently)
    new SpfRecord(stack, 'Other', { zone, domainName: 'DEPT.gov.uk.' });
    // THEN synth fails once, on the second, naming both
    expect(thrownBy(() => app.synth())).toBe(
      'Validation failed with the following errors:\n  [Test/Other] [ROUTE53-RECORD-CONFLICT] TXT "dept.gov.uk" in one hosted zone is published by both Test/Other and Test/Spf. One construct publishes each name and type in a hosted zone: Route 53 holds one record set per name and type, and a CNAME alone at its name. Publish the name from one construct and give it the other values (additionalValues, additionalApexTxt). (Amazon Route 53 API Reference, ChangeResourceRecordSets (InvalidChangeBatch: the record set already exists); RFC 1034 §3.6.2; RFC 2181 §10.1)');
  });

  test('the same zone imported twice is still one zone', () => {
    // GIVEN the zone imported by two constructs
    const { app, stack } = spf();
    const again = route53.HostedZone.fromHostedZoneAttributes(stack, 'Again', { hostedZoneId: ZONE_ID, zoneName: 'dept.gov.uk' });
    // WHEN each holds an SPF record at the apex
    new SpfRecord(stack, 'Other', { zone: again });
    // THEN the conflict is found
    expect(() => app.synth()).toThrow('[Test/Other] [ROUTE53-RECORD-CONFLICT] TXT "dept.gov.uk" in one hosted zone is published by both Test/Other and Test/Spf.');
  });

  test('a zone created in the app (its id a token) is one zone for every construct that uses it', () => {
    // GIVEN a hosted zone created in the stack
    const app = new App();
    const stack = new Stack(app, 'Test');
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'dept.gov.uk' });
    // WHEN two constructs publish TXT at its apex
    new SpfRecord(stack, 'Spf', { zone });
    new SpfRecord(stack, 'Other', { zone, domainName: 'dept.gov.uk' });
    // THEN the conflict is found
    expect(() => app.synth()).toThrow('[Test/Other] [ROUTE53-RECORD-CONFLICT] TXT "dept.gov.uk" in one hosted zone is published by both Test/Other and Test/Spf.');
  });

  test('the same name in different zones, and different names in one zone, are not conflicts', () => {
    // GIVEN an SPF record at the apex of dept.gov.uk
    const { stack, zone } = spf();
    // WHEN another is published at a subdomain, and another in a different zone with the same name
    new SpfRecord(stack, 'Sub', { zone, domainName: 'notify.dept.gov.uk' });
    const other = route53.HostedZone.fromHostedZoneAttributes(stack, 'OtherZone', { hostedZoneId: 'Z9999999999999999999', zoneName: 'dept.gov.uk' });
    new SpfRecord(stack, 'OtherZoneSpf', { zone: other });
    // THEN synth succeeds with three record sets
    lint.template(stack).resourceCountIs('AWS::Route53::RecordSet', 3);
  });
});

describe('SpfRecord: bad input fails synth', () => {
  const P = 'Test/Spf';
  const MULTIPLE = 'SPF-MULTIPLE-RECORDS] A name publishes at most one SPF record; with more, every receiver returns permerror.';
  const MULTIPLE_ALLOWED = 'Allowed: TXT values other than SPF: the SPF record is built from senders and additionalMechanisms, and two SPF records make every receiver return permerror.';
  const TERM_ALLOWED = 'Allowed: one SPF term per entry with no spaces, such as "ip4:192.0.2.0/24" or "include:_spf.example.com".';
  const SPF_ALL = 'GOVUK-SPF-ALL] SPF ends with ~all or -all: never +all, ?all, or no all at all.';
  const SPF_ALL_ALLOWED = 'Allowed: SpfQualifier.FAIL ("-all", the default) or SpfQualifier.SOFTFAIL ("~all").';
  test.each<[string, Partial<SpfRecordProps>, string]>([
    ['+all', { allQualifier: SpfQualifier.PASS }, `${P}: [${SPF_ALL} Got: "+all". ${SPF_ALL_ALLOWED}`],
    ['?all', { allQualifier: SpfQualifier.NEUTRAL }, `${P}: [${SPF_ALL} Got: "?all". ${SPF_ALL_ALLOWED}`],
    ['a qualifier that is not one', { allQualifier: '!' as SpfQualifier }, `${P}: [${SPF_ALL} Got: "!all". ${SPF_ALL_ALLOWED}`],
    ['an SPF record among the additional values', { additionalValues: ['MS=ms1', 'v=spf1 include:_spf.google.com -all'] },
      `${P}: [${MULTIPLE} Got: "v=spf1 include:_spf.google.com -all". ${MULTIPLE_ALLOWED}`],
    ['an SPF record in capitals among the additional values', { additionalValues: ['V=SPF1 ~all'] },
      `${P}: [${MULTIPLE} Got: "V=SPF1 ~all". ${MULTIPLE_ALLOWED}`],
    ['two terms in one mechanism entry', { additionalMechanisms: ['ip4:192.0.2.1 ip4:192.0.2.2'] },
      `${P}: [SPF-MALFORMED-TERM] Each term follows the RFC 7208 grammar: the arguments its mechanism or modifier takes, and no qualifier on a modifier. Got: "ip4:192.0.2.1 ip4:192.0.2.2". ${TERM_ALLOWED}`],
    ['an empty mechanism entry', { additionalMechanisms: [''] },
      `${P}: [SPF-MALFORMED-TERM] Each term follows the RFC 7208 grammar: the arguments its mechanism or modifier takes, and no qualifier on a modifier. Got: "". ${TERM_ALLOWED}`],
    ['an additional value that is not ASCII', { additionalValues: ['verification=café'] },
      `${P}: [TXT-NON-ASCII] SPF, DMARC, MTA-STS, TLS-RPT and DKIM key records are ASCII only. Got: "verification=café". Allowed: printable ASCII only (U+0020 to U+007E).`],
    ['an additional value too long for Route 53', { additionalValues: ['x'.repeat(3960)] },
      `${P}: [TXT-ROUTE53-VALUE-LENGTH] A Route 53 TXT value is at most 4,000 characters as written, quotes and escapes included. Got: "${'x'.repeat(60)}... (3960 characters)". Allowed: a value Route 53 can hold: at most 4,000 characters once split into quoted 255-octet strings.`],
    ['a domain outside the zone', { domainName: 'other-dept.gov.uk' },
      `${P}: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone's own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "other-dept.gov.uk". Allowed: "dept.gov.uk" or a name ending in ".dept.gov.uk".`],
    ['a domain name with an underscore', { domainName: 'no_reply.dept.gov.uk' },
      `${P}: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. Got: "no_reply.dept.gov.uk". Allowed: domainName as a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all).`],
    ['a TTL over 2^31 - 1 seconds', { ttl: Duration.days(30000) },
      `${P}: [ROUTE53-TTL] A record's TTL is a whole number of seconds from 0 to 2147483647. Got: "Duration.days(30000)". Allowed: a whole number of seconds from 0 to 2147483647.`],
  ])('%s', (_name, props, message) => {
    // GIVEN a zone
    const { stack, zone } = stackWithZone();
    // WHEN an SPF record is given the bad input
    // THEN construction fails with the path, rule id, value and what is allowed
    expect(thrownBy(() => new SpfRecord(stack, 'Spf', { zone, ...props }))).toBe(message);
  });

  test('a zone imported by id only, with no domain name, fails synth', () => {
    // GIVEN a zone imported without its name
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', ZONE_ID);
    // WHEN no domain name is given
    // THEN the construct says it needs one
    expect(thrownBy(() => new SpfRecord(stack, 'Spf', { zone }))).toBe(
      'Test/Spf: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone\'s own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: undefined. Allowed: a domainName, because the zone was imported without its name (HostedZone.fromHostedZoneId).');
  });
});

/** The scenarios snapshotted, and whose TXT values are read back through the foundation parsers. */
const SCENARIOS: Array<[string, () => Stack]> = [
  ['defaults', () => spf().stack],
  ['Microsoft 365 and Google with verification tokens', () => spf({
    senders: [M365, Sender.googleWorkspace()],
    additionalValues: ['MS=ms12345678', `google-site-verification=${'b'.repeat(300)}`],
  }).stack],
  ['softfail at a subdomain with a TTL', () => spf({
    domainName: 'notify.dept.gov.uk', allQualifier: SpfQualifier.SOFTFAIL, additionalMechanisms: ['ip4:192.0.2.0/24'], ttl: Duration.minutes(10),
  }).stack],
];

describe('SpfRecord: snapshots', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN / WHEN the scenario is synthesised
    const template = lint.template(build());
    // THEN the template (and so every logical id) is unchanged
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('SpfRecord: every TXT value reads back through the foundation parsers', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN the TXT values a scenario publishes, as Route 53 holds them
    const template = lint.template(build());
    const values = recordSets(template).flatMap(([, type, , records]) => type === 'TXT' ? records as string[] : []);
    expect(values.length).toBeGreaterThan(0);
    // WHEN they are read back and checked as the record set they are
    const findings = Spf.checkRecordSet(values);
    // THEN exactly one is SPF, and nothing is an error
    expect(values.filter((v) => Spf.isSpf(TxtChunks.parse(v)))).toHaveLength(1);
    expect(findings.filter((f) => f.severity === Severity.ERROR)).toEqual([]);
  });
});

describe('Long TXT records are split into 255-octet strings, never refused as one string', () => {
  /** 16 IPv4 ranges: an SPF record of more than 255 octets that is well within every limit. */
  const RANGES = Array.from({ length: 16 }, (_, i) => `ip4:198.51.${100 + i}.0/24`);

  test('SpfRecord: a record over 255 octets is published split, with no TXT-STRING-LENGTH', () => {
    // GIVEN a department with 16 ip4 ranges and Microsoft 365
    // WHEN its SPF record is published
    const { stack, construct } = spf({ senders: [M365], additionalMechanisms: RANGES });
    const template = lint.template(stack);
    // THEN the record is longer than one character-string, and is published as two
    expect(TxtChunks.byteLength(construct.spf)).toBeGreaterThan(255);
    const [[, , , [published]]] = recordSets(template);
    expect(published).toBe(TxtChunks.toRoute53Value(construct.spf));
    expect(TxtChunks.parseStrings(published).map((s) => TxtChunks.byteLength(s))).toEqual([255, TxtChunks.byteLength(construct.spf) - 255]);
    // AND nothing is reported against it
    expect(warnings(stack)).toEqual([]);
    expect(Spf.check(published, { includeCosts: construct.includeCosts })).toEqual([]);
  });

  test('SpfRecord: the same record written as one unsplit string is still TXT-STRING-LENGTH when read back', () => {
    // GIVEN the same record, quoted as ONE character-string (as a zone file or template might hold it)
    const { construct } = spf({ senders: [M365], additionalMechanisms: RANGES });
    // WHEN it is checked as DNS would hold it
    // THEN the 255-octet rule applies to the string as written
    expect(Spf.check(`"${construct.spf}"`, { includeCosts: construct.includeCosts }).map((f) => f.ruleId)).toEqual(['TXT-STRING-LENGTH']);
  });

  test('SpfRecord: over 450 octets is the TXT-UDP-SIZE warning, not an error', () => {
    // GIVEN 30 ip4 ranges: a record of more than 450 octets
    const ranges = Array.from({ length: 30 }, (_, i) => `ip4:198.51.${100 + i}.0/24`);
    // WHEN it is published
    const { stack } = spf({ additionalMechanisms: ranges });
    lint.template(stack);
    // THEN synth succeeds with the RFC 7208 §3.4 warning only
    expect(warningIds(stack)).toEqual(['TXT-UDP-SIZE']);
  });

  test('SpfRecord: SPF-LOOKUP-LIMIT on a long record is the only error', () => {
    // GIVEN a long record that also takes 11 lookups
    const relay = Sender.custom({ name: 'Relay', spfIncludes: [{ domain: '_spf.relay.example', lookups: 4 }] });
    // WHEN the app is synthesised
    const { app } = spf({ senders: [M365, Sender.googleWorkspace(), relay], additionalMechanisms: RANGES });
    // THEN the lookup limit is the first and only error
    expect(thrownBy(() => app.synth())).toMatch(/^Validation failed with the following errors:\n {2}\[Test\/Spf\] \[SPF-LOOKUP-LIMIT\] [^\n]*$/);
  });

  test('GovEmailDomain: a record over 255 octets synthesises, and its lookup error stands alone', () => {
    // GIVEN a department with 16 ip4 ranges
    const { app, stack, zone } = stackWithZone();
    new GovEmailDomain(stack, 'Dept', {
      zone,
      senders: [M365],
      allowMissingMtaSts: true,
      spf: { additionalMechanisms: RANGES },
      dmarc: { reportTo: ['mailto:dmarc@dept.gov.uk'] },
      tlsReportTo: ['mailto:tls@dept.gov.uk'],
    });
    // WHEN it is synthesised
    // THEN no TXT-STRING-LENGTH anywhere
    expect(() => app.synth()).not.toThrow();
    expect(warningIds(stack)).not.toContain('TXT-STRING-LENGTH');

    // AND with 11 lookups the lookup limit is the only error
    const long = stackWithZone();
    new GovEmailDomain(long.stack, 'Dept', {
      zone: long.zone,
      senders: [M365, Sender.googleWorkspace()],
      allowMissingMtaSts: true,
      spf: { additionalMechanisms: [...RANGES, 'include:_spf.relay.example'], additionalIncludeCosts: [{ domain: '_spf.relay.example', lookups: 4 }] },
      dmarc: { reportTo: ['mailto:dmarc@dept.gov.uk'] },
      tlsReportTo: ['mailto:tls@dept.gov.uk'],
    });
    expect(thrownBy(() => long.app.synth())).toMatch(/^Validation failed with the following errors:\n {2}\[Test\/Dept\] \[SPF-LOOKUP-LIMIT\] [^\n]*$/);
  });

  test('DmarcRecord and TlsRptRecord: records over 255 octets are split, with no TXT-STRING-LENGTH', () => {
    // GIVEN report addresses long enough to make each record over 255 octets
    const { app, stack, zone } = stackWithZone();
    const rua = [`mailto:${'d'.repeat(60)}@dept.gov.uk`, `mailto:${'e'.repeat(60)}@dept.gov.uk`];
    const dmarc = new DmarcRecord(stack, 'Dmarc', { zone, reportTo: rua, failureReportTo: [`mailto:${'f'.repeat(60)}@dept.gov.uk`] });
    const tlsRpt = new TlsRptRecord(stack, 'TlsRpt', { zone, reportTo: [`mailto:${'t'.repeat(60)}@dept.gov.uk`, `https://${'r'.repeat(60)}.dept.gov.uk/${'p'.repeat(120)}`] });
    // WHEN they are synthesised
    expect(() => app.synth()).not.toThrow();
    // THEN both are longer than 255 octets and published split
    for (const value of [dmarc.value, tlsRpt.value]) {
      expect(TxtChunks.byteLength(value)).toBeGreaterThan(255);
    }
    expect(recordSets(lint.template(stack)).map(([, , , values]) => TxtChunks.parseStrings((values as string[])[0]).length)).toEqual([2, 2]);
    // AND nothing says a string is too long
    expect([...warningIds(stack), ...infoIds(stack)]).not.toContain('TXT-STRING-LENGTH');
  });
});

describe('TXT values given with their quotes are refused (TXT-QUOTED-VALUE)', () => {
  const ALLOWED = 'the library splits each value into 255-octet strings and quotes them.';
  test.each<[string, string, string]>([
    ['a value pasted with its quotes', '"MS=ms12345678"', 'MS=ms12345678'],
    ['quoted strings joined by a space', '"abc" "def"', 'abcdef'],
    ['a value with an opening quote only', '"google-site-verification=abc', 'google-site-verification=abc'],
  ])('SpfRecord additionalValues: %s', (_name, value, unquoted) => {
    // GIVEN a zone
    const { stack, zone } = stackWithZone();
    // WHEN a TXT value is given with its quotes
    // THEN construction fails, saying how to write it
    expect(thrownBy(() => new SpfRecord(stack, 'Spf', { zone, additionalValues: [value] }))).toBe(
      `Test/Spf: [TXT-QUOTED-VALUE] A TXT value is given as its text, without quotes: the quotes of a zone file or the Route 53 console delimit a character-string and are not part of it, so quotes given with the value are published as part of the record. Got: "${value}". Allowed: the text without quotes, such as "${unquoted}": ${ALLOWED}`);
  });

  test('SpfRecord additionalValues: the text without quotes, or with a quote of its own inside it, is published', () => {
    // GIVEN / WHEN values without surrounding quotes, one holding a quote inside
    const { stack } = spf({ additionalValues: ['MS=ms12345678', 'note=say "hello" please'] });
    // THEN each is published once, quoted by the library, the inner quotes escaped as Route 53
    // reads them (cfn-lint's E3023 pattern knows no escapes, so this template is not linted)
    expect(recordSets(Template.fromStack(stack))).toEqual([['dept.gov.uk.', 'TXT', '3600', ['"v=spf1 -all"', '"MS=ms12345678"', '"note=say \\"hello\\" please"']]]);
  });

  test('GovEmailDomain additionalApexTxt, ParkedDomain additionalApexTxt and DkimRecords TXT keys refuse quoted values too', () => {
    const { stack, zone } = stackWithZone();
    expect(thrownBy(() => new GovEmailDomain(stack, 'Dept', {
      zone,
      senders: [M365],
      allowMissingMtaSts: true,
      dmarc: { reportTo: ['mailto:dmarc@dept.gov.uk'] },
      tlsReportTo: ['mailto:tls@dept.gov.uk'],
      additionalApexTxt: ['"MS=ms12345678"'],
    }))).toMatch(/^Test\/Dept\/Spf: \[TXT-QUOTED-VALUE\] .* Got: ""MS=ms12345678"". Allowed: the text without quotes, such as "MS=ms12345678": /);
    expect(thrownBy(() => new ParkedDomain(stack, 'Parked', { zone, dmarcReportTo: ['mailto:dmarc@dept.gov.uk'], additionalApexTxt: ['"abc" "def"'] })))
      .toMatch(/^Test\/Parked: \[TXT-QUOTED-VALUE\] .* Allowed: the text without quotes, such as "abcdef": /);
    expect(thrownBy(() => new DkimRecords(stack, 'Dkim', { zone, records: [{ selector: 's1', recordType: DkimRecordType.TXT, value: '"v=DKIM1; p="' }] })))
      .toMatch(/^Test\/Dkim: \[TXT-QUOTED-VALUE\] .* Allowed: the text without quotes, such as "v=DKIM1; p=": /);
  });

  test('ParkedDomain and DkimRecords publish the same values given without quotes', () => {
    const { app, stack, zone } = stackWithZone();
    new ParkedDomain(stack, 'Parked', { zone, dmarcReportTo: ['mailto:dmarc@dept.gov.uk'], additionalApexTxt: ['abcdef'] });
    new DkimRecords(stack, 'Dkim', { zone, records: [{ selector: 's1', recordType: DkimRecordType.TXT, value: 'v=DKIM1; p=' }] });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('SpfRecord never publishes a record that breaks RFC 7208 §4.6.4 on void lookups', () => {
  const EXISTS = ['exists:%{i}.a.example.com', 'exists:%{i}.b.example.com', 'exists:%{i}.c.example.com'];
  test('three exists terms fail synth with SPF-VOID-LOOKUP-LIMIT, naming each term', () => {
    const { stack, zone } = stackWithZone();
    expect(thrownBy(() => new SpfRecord(stack, 'Spf', { zone, additionalMechanisms: EXISTS }))).toBe(
      'Test/Spf: [SPF-VOID-LOOKUP-LIMIT] At most 2 lookups during evaluation may return no answer (NXDOMAIN or empty); a third is a permerror. '
      + `Got: "v=spf1 ${EXISTS.join(' ')} -all". Allowed: at most 2 lookups that may return no answer for a host that matches nothing (each exists term, each a or mx term with a macro, and the includes' known void lookups); `
      + 'this record has 3: exists:%{i}.a.example.com (1), exists:%{i}.b.example.com (1), exists:%{i}.c.example.com (1).');
  });

  test('an include whose known void lookups take the record over the limit fails synth too, in SpfRecord and GovEmailDomain', () => {
    const relay = Sender.custom({ name: 'Relay', spfIncludes: [{ domain: '_spf.relay.example', lookups: 3, voidLookups: 2 }] });
    const { stack, zone } = stackWithZone();
    expect(thrownBy(() => new SpfRecord(stack, 'Spf', { zone, senders: [relay], additionalMechanisms: [EXISTS[0]] })))
      .toMatch(/^Test\/Spf: \[SPF-VOID-LOOKUP-LIMIT\] .* this record has 3: include:_spf\.relay\.example \(2\), exists:%\{i\}\.a\.example\.com \(1\)\.$/);
    expect(thrownBy(() => new GovEmailDomain(stack, 'Dept', {
      zone,
      senders: [M365, relay],
      allowMissingMtaSts: true,
      spf: { additionalMechanisms: [EXISTS[0]] },
      dmarc: { reportTo: ['mailto:dmarc@dept.gov.uk'] },
      tlsReportTo: ['mailto:tls@dept.gov.uk'],
    }))).toMatch(/^Test\/Dept\/Spf: \[SPF-VOID-LOOKUP-LIMIT\] /);
  });

  test('two void-lookup risks are within the limit, and the same record read from DNS is only a finding', () => {
    const { stack } = spf({ additionalMechanisms: EXISTS.slice(0, 2) });
    expect(() => lint.template(stack)).not.toThrow();
    expect(warningIds(stack)).toEqual([]);
    // A published record with three is reported, not refused, when it is someone else's
    const findings = Spf.check(`v=spf1 ${EXISTS.join(' ')} -all`);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['SPF-VOID-LOOKUP-LIMIT', Severity.WARNING]]);
  });
});

describe('"v=spf1" is not a mechanism (SPF-VERSION-AS-TERM)', () => {
  const ALLOWED = 'Allowed: the terms that follow "v=spf1", one per entry, such as ["include:_spf.example.com"]: the construct writes "v=spf1" itself.';
  const SUMMARY = 'SPF-VERSION-AS-TERM] "v=spf1" begins a record and is not a term: one among the terms is read as an unknown modifier and ignored, and is usually two records run together.';
  test.each([
    ['"v=spf1" as an entry', ['v=spf1', 'include:_spf.example.com'], 'v=spf1'],
    ['a whole record as one entry', ['v=spf1 include:_spf.example.com'], 'v=spf1 include:_spf.example.com'],
    ['in capitals', ['V=SPF1'], 'V=SPF1'],
  ])('%s fails synth', (_name, additionalMechanisms, got) => {
    const { stack, zone } = stackWithZone();
    expect(thrownBy(() => new SpfRecord(stack, 'Spf', { zone, additionalMechanisms }))).toBe(`Test/Spf: [${SUMMARY} Got: "${got}". ${ALLOWED}`);
  });

  test('from a sender\'s mechanisms it fails synth too', () => {
    const { stack, zone } = stackWithZone();
    const relay = Sender.custom({ name: 'Relay', spfMechanisms: ['v=spf1', 'ip4:192.0.2.0/24'] });
    expect(thrownBy(() => new SpfRecord(stack, 'Spf', { zone, senders: [relay] }))).toMatch(/^Test\/Spf: \[SPF-VERSION-AS-TERM\] .* Got: "v=spf1 v=spf1 ip4:192\.0\.2\.0\/24 -all"\./);
  });

  test('the terms alone are published after the one "v=spf1"', () => {
    const { construct } = spf({ additionalMechanisms: ['include:_spf.example.com'] });
    expect(construct.spf).toBe('v=spf1 include:_spf.example.com -all');
  });
});
