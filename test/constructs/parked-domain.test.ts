import { App, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { NullMxRecord } from '../../src/constructs/null-mx-record';
import { ParkedDomain, ParkedDomainProps } from '../../src/constructs/parked-domain';
import { Dkim } from '../../src/records/dkim';
import { Dmarc } from '../../src/records/dmarc';
import { Finding } from '../../src/records/finding';
import { Spf } from '../../src/records/spf';
import { TlsRpt } from '../../src/records/tls-rpt';
import { TxtChunks } from '../../src/records/txt';
import { GovUkReportAddresses } from '../../src/standard/profile';
import { TemplateLinter } from '../util/cfn-lint';
import { ZONE_ID, infoIds, stackWithZone, warnings } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const REPORT = 'mailto:dmarc-reports@old-dept.gov.uk';
const DMARC = `v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=${REPORT}`;

function parked(props: Partial<ParkedDomainProps> = {}, zoneName: string = 'old-dept.gov.uk') {
  const { stack, zone } = stackWithZone(zoneName);
  const construct = new ParkedDomain(stack, 'Parked', { zone, dmarcReportTo: [REPORT], ...props });
  return { stack, construct };
}

/** The record sets of the one RecordSetGroup in a template, with the rest of its properties. */
function recordSetGroup(template: { findResources(type: string): Record<string, any> }) {
  const groups = Object.values(template.findResources('AWS::Route53::RecordSetGroup'));
  expect(groups).toHaveLength(1);
  return groups[0].Properties;
}

const errors = (stack: Stack) => Annotations.fromStack(stack).findError('*', Match.anyValue()).map((m) => String(m.entry.data));

describe('ParkedDomain: what it publishes', () => {
  test('a parked domain is exactly one RecordSetGroup holding every record, each with its exact name, type, TTL and value', () => {
    // GIVEN a zone for a domain that sends and receives no mail
    // WHEN it is parked with the defaults
    const { stack, construct } = parked();
    const template = lint.template(stack);

    // THEN the stack holds one resource, and it is the record set group
    template.resourceCountIs('AWS::Route53::RecordSetGroup', 1);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(ParkedDomain.RESOURCES_PER_DOMAIN);
    expect(ParkedDomain.RESOURCES_PER_DOMAIN).toBe(1);
    expect(construct.domainName).toBe('old-dept.gov.uk');
    expect(recordSetGroup(template)).toEqual({
      HostedZoneId: ZONE_ID,
      Comment: 'cdk-gov-email ParkedDomain: sends and receives no mail',
      RecordSets: [
        { Name: 'old-dept.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: ['"v=spf1 -all"'] },
        { Name: 'old-dept.gov.uk.', Type: 'MX', TTL: '3600', ResourceRecords: ['0 .'] },
        { Name: 'old-dept.gov.uk.', Type: 'CAA', TTL: '3600', ResourceRecords: ['0 issue ";"'] },
        { Name: '_dmarc.old-dept.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: [`"${DMARC}"`] },
        { Name: '*._domainkey.old-dept.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: ['"v=DKIM1; p="'] },
      ],
    });
    // AND the profile finds nothing to report: not even a note on GOV.UK's fo=1 without ruf
    expect(warnings(stack)).toEqual([]);
    expect(errors(stack)).toEqual([]);
    expect(infoIds(stack)).toEqual([]);
  });

  test('every option: TLS-RPT, extra apex TXT values merged with SPF, a TTL, and no CAA', () => {
    // GIVEN a parked domain that reports TLS failures, keeps a site-verification token and serves a redirect
    // WHEN it is parked with every option
    const { stack } = parked({
      tlsReportTo: ['mailto:tls-reports@old-dept.gov.uk'],
      additionalApexTxt: ['google-site-verification=abc123', 'MS=ms12345678', 'google-site-verification=abc123'],
      caa: false,
      ttl: Duration.minutes(5),
    });
    const template = lint.template(stack);

    // THEN the apex TXT record set holds SPF and the extra values (each once), there is no CAA,
    // and TLS-RPT is published
    expect(recordSetGroup(template).RecordSets).toEqual([
      { Name: 'old-dept.gov.uk.', Type: 'TXT', TTL: '300', ResourceRecords: ['"v=spf1 -all"', '"google-site-verification=abc123"', '"MS=ms12345678"'] },
      { Name: 'old-dept.gov.uk.', Type: 'MX', TTL: '300', ResourceRecords: ['0 .'] },
      { Name: '_dmarc.old-dept.gov.uk.', Type: 'TXT', TTL: '300', ResourceRecords: [`"${DMARC}"`] },
      { Name: '*._domainkey.old-dept.gov.uk.', Type: 'TXT', TTL: '300', ResourceRecords: ['"v=DKIM1; p="'] },
      { Name: '_smtp._tls.old-dept.gov.uk.', Type: 'TXT', TTL: '300', ResourceRecords: ['"v=TLSRPTv1; rua=mailto:tls-reports@old-dept.gov.uk"'] },
    ]);
    // AND leaving CAA out is noted at the profile's severity (info), not a warning
    expect(warnings(stack)).toEqual([]);
    expect(infoIds(stack).sort()).toEqual(['GOVUK-PARKED-CAA']);
  });

  test('a long extra value is split into 255-octet character-strings', () => {
    // GIVEN an extra apex value of 300 characters
    const value = `verification=${'a'.repeat(287)}`;
    // WHEN it is published
    const { stack } = parked({ additionalApexTxt: [value] });
    const txt = recordSetGroup(lint.template(stack)).RecordSets[0].ResourceRecords;
    // THEN it is two quoted strings, 255 and 45 octets long, that join back to the value
    expect(txt).toEqual(['"v=spf1 -all"', `"${value.slice(0, 255)}" "${value.slice(255)}"`]);
    expect(TxtChunks.parse(txt[1])).toBe(value);
  });

  test('a domain under the zone: names are the domain\'s, fully qualified, lower case', () => {
    // GIVEN the zone dept.gov.uk
    // WHEN a subdomain of it is parked, written in mixed case with a trailing dot
    const { stack, construct } = parked({ domainName: 'Old.Dept.gov.uk.' }, 'dept.gov.uk');
    const template = lint.template(stack);
    // THEN every record is at the subdomain
    expect(construct.domainName).toBe('old.dept.gov.uk');
    expect(recordSetGroup(template).RecordSets.map((r: any) => `${r.Type} ${r.Name}`)).toEqual([
      'TXT old.dept.gov.uk.',
      'MX old.dept.gov.uk.',
      'CAA old.dept.gov.uk.',
      'TXT _dmarc.old.dept.gov.uk.',
      'TXT *._domainkey.old.dept.gov.uk.',
    ]);
  });

  test('an imported zone whose name is a token: names follow the token without a trailing dot, and a warning says the name was not checked', () => {
    // GIVEN a zone imported from another stack's exports
    const app = new App();
    const stack = new Stack(app, 'Test');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: Fn.importValue('ZoneId'),
      zoneName: Fn.importValue('ZoneName'),
    });
    // WHEN its domain is parked
    new ParkedDomain(stack, 'Parked', { zone, dmarcReportTo: [REPORT] });
    const template = lint.template(stack);
    // THEN the records are at the resolved name (Route 53 reads a name without a dot as fully qualified)
    const group = recordSetGroup(template);
    expect(group.HostedZoneId).toEqual({ 'Fn::ImportValue': 'ZoneId' });
    expect(group.RecordSets.map((r: any) => r.Name)).toEqual([
      { 'Fn::ImportValue': 'ZoneName' },
      { 'Fn::ImportValue': 'ZoneName' },
      { 'Fn::ImportValue': 'ZoneName' },
      { 'Fn::Join': ['', ['_dmarc.', { 'Fn::ImportValue': 'ZoneName' }]] },
      { 'Fn::Join': ['', ['*._domainkey.', { 'Fn::ImportValue': 'ZoneName' }]] },
    ]);
    // AND a warning says the domain name was not checked
    Annotations.fromStack(stack).hasWarning('/Test/Parked',
      Match.stringLikeRegexp('^The domain name of Test/Parked is not known until deployment, .*\\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\\]$'));
  });

  test('a zone imported by id only, with the domain name given: literal names', () => {
    // GIVEN a zone imported without its name
    const app = new App();
    const stack = new Stack(app, 'Test');
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', ZONE_ID);
    // WHEN the domain name is given
    new ParkedDomain(stack, 'Parked', { zone, domainName: 'old-dept.gov.uk', dmarcReportTo: [REPORT] });
    // THEN the records are at that name, and nothing is left unchecked
    expect(recordSetGroup(lint.template(stack)).RecordSets[3].Name).toBe('_dmarc.old-dept.gov.uk.');
    expect(warnings(stack)).toEqual([]);
  });

  test('a report address that is a token is published as one string and reported as not evaluated', () => {
    // GIVEN a report address imported from another stack
    // WHEN it is the DMARC report address
    const { stack } = parked({ dmarcReportTo: [Fn.importValue('DmarcReportAddress')] });
    const template = lint.template(stack);
    // THEN the DMARC value is built at deploy time as one quoted string
    expect(recordSetGroup(template).RecordSets[3].ResourceRecords).toEqual([
      { 'Fn::Join': ['', ['"v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=', { 'Fn::ImportValue': 'DmarcReportAddress' }, '"']] },
    ]);
    // AND the profile says the DMARC record was not evaluated
    Annotations.fromStack(stack).hasWarning('/Test/Parked', Match.stringLikeRegexp(
      '^old-dept.gov.uk: dmarc could not be evaluated because its value is not known here; it is not assumed compliant\\. .*\\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\\]$'));
  });
});

describe('ParkedDomain: warnings and notes from the profile', () => {
  test('two TLS-RPT destinations raise GOVUK-TLSRPT-RUA-COUNT', () => {
    // GIVEN / WHEN two TLS report destinations
    const { stack } = parked({ tlsReportTo: ['mailto:a@old-dept.gov.uk', 'https://reports.old-dept.gov.uk/tls'] });
    lint.template(stack);
    // THEN a warning with the profile's rule id
    Annotations.fromStack(stack).hasWarning('/Test/Parked', Match.stringLikeRegexp(
      '^old-dept\\.gov\\.uk\'s TLS-RPT record names 2 rua destinations; only one is guaranteed to receive reports\\. .*\\[ack: cdk-gov-email:GOVUK-TLSRPT-RUA-COUNT\\]$'));
  });

  test('an https: DMARC report URI raises DMARC-REPORT-URI-SCHEME', () => {
    // GIVEN / WHEN an https: aggregate report destination
    const { stack } = parked({ dmarcReportTo: [REPORT, 'https://reports.old-dept.gov.uk/dmarc'] });
    lint.template(stack);
    // THEN a warning: receivers only have to support mailto:
    Annotations.fromStack(stack).hasWarning('/Test/Parked', Match.stringLikeRegexp(
      '^rua URI "https://reports.old-dept.gov.uk/dmarc" uses https:.*\\[ack: cdk-gov-email:DMARC-REPORT-URI-SCHEME\\]$'));
  });

  test('a report address at another organisation is noted with the authorisation record it needs', () => {
    // GIVEN / WHEN reports go to the central address GOV.UK guidance names
    const { stack } = parked({ dmarcReportTo: [GovUkReportAddresses.DMARC_RUA] });
    lint.template(stack);
    // THEN an info note names the record the destination must publish; no warning
    Annotations.fromStack(stack).hasInfo('/Test/Parked',
      '[cdk-gov-email:GOVUK-DMARC-REPORT-AUTHORISATION] mailto:dmarc-rua@dmarc.service.gov.uk is at another organisation: it receives DMARC reports for old-dept.gov.uk only if old-dept.gov.uk._report._dmarc.dmarc.service.gov.uk publishes TXT "v=DMARC1".');
    expect(warnings(stack)).toEqual([]);
  });

  test('an extra apex value that is a mistyped SPF record fails synth with the profile\'s error, naming the path', () => {
    // GIVEN an extra apex value that looks like SPF but is not one receivers select
    const { stack } = parked({ additionalApexTxt: ['spf1 -all'] });
    // WHEN the app is synthesised
    // THEN the profile's error fails synth
    expect(() => (stack.node.root as App).synth()).toThrow(
      'Validation failed with the following errors:\n  [Test/Parked] [SPF-VERSION] The record must begin with "v=spf1" followed by a space or the end; got "spf1 -all". (RFC 7208 §4.5, §12)');
  });
});

describe('ParkedDomain: bad input fails synth', () => {
  const P = 'Test/Parked';
  test.each<[string, Partial<ParkedDomainProps>, string]>([
    ['no DMARC report address', { dmarcReportTo: [] },
      `${P}: [GOVUK-DMARC-RUA-MISSING] DMARC aggregate reports are requested (rua) so the department sees who sends as its domains. Got: []. Allowed: one or two mailto: URIs, for example ["mailto:dmarc-reports@dept.gov.uk"].`],
    ['three DMARC report addresses', { dmarcReportTo: ['mailto:a@x.gov.uk', 'mailto:b@x.gov.uk', 'mailto:c@x.gov.uk'] },
      `${P}: [GOVUK-DMARC-RUA-COUNT] A DMARC record names at most 2 aggregate report (rua) destinations. Got: ["mailto:a@x.gov.uk","mailto:b@x.gov.uk","mailto:c@x.gov.uk"]. Allowed: one or two mailto: URIs, for example ["mailto:dmarc-reports@dept.gov.uk"].`],
    ['a DMARC report address without mailto:', { dmarcReportTo: ['dmarc@dept.gov.uk'] },
      `${P}: [DMARC-REPORT-URI] The rua URI "dmarc@dept.gov.uk" has no scheme: a report address is written "mailto:dmarc@dept.gov.uk". rua and ruf are comma-separated URIs (mailto: addresses), with "," "!" and ";" inside a URI percent-encoded. Got: "dmarc@dept.gov.uk". Allowed: a mailto: URI with "," "!" and ";" percent-encoded, for example "mailto:dmarc-reports@dept.gov.uk".`],
    ['two DMARC addresses in one string', { dmarcReportTo: ['mailto:a@dept.gov.uk,mailto:b@dept.gov.uk'] },
      `${P}: [DMARC-REPORT-URI] The rua URI "mailto:a@dept.gov.uk,mailto:b@dept.gov.uk" holds ",", which must be percent-encoded (%2C) inside a DMARC URI. rua and ruf are comma-separated URIs (mailto: addresses), with "," "!" and ";" inside a URI percent-encoded. Got: "mailto:a@dept.gov.uk,mailto:b@dept.gov.uk". Allowed: a mailto: URI with "," "!" and ";" percent-encoded, for example "mailto:dmarc-reports@dept.gov.uk".`],
    ['a DMARC mailto: with no address', { dmarcReportTo: ['mailto:'] },
      `${P}: [DMARC-REPORT-URI] The rua URI "mailto:" names no address. rua and ruf are comma-separated URIs (mailto: addresses), with "," "!" and ";" inside a URI percent-encoded. Got: "mailto:". Allowed: a mailto: URI with "," "!" and ";" percent-encoded, for example "mailto:dmarc-reports@dept.gov.uk".`],
    ['an empty TLS-RPT list', { tlsReportTo: [] },
      `${P}: [TLSRPT-RUA-MISSING] A TLS-RPT record has a rua field naming where reports go. Got: []. Allowed: one mailto: or https: URI, for example ["mailto:tls-reports@dept.gov.uk"]; leave tlsReportTo out to publish no TLS-RPT record.`],
    ['a TLS-RPT http: URI', { tlsReportTo: ['http://reports.dept.gov.uk/tls'] },
      `${P}: [TLSRPT-URI-SCHEME] The rua URI "http://reports.dept.gov.uk/tls" uses http:; only mailto: and https: are allowed. Each rua URI is a mailto: or https: URI. Got: "http://reports.dept.gov.uk/tls". Allowed: a mailto: or https: URI with "," "!" and ";" percent-encoded, for example "mailto:tls-reports@dept.gov.uk".`],
    ['a TLS-RPT URI with a raw ";"', { tlsReportTo: ['mailto:tls;reports@dept.gov.uk'] },
      `${P}: [TLSRPT-URI-ENCODING] The rua URI "mailto:tls;reports@dept.gov.uk" holds ";", which must be percent-encoded (%3B). A "," "!" or ";" inside a rua URI is percent-encoded. Got: "mailto:tls;reports@dept.gov.uk". Allowed: a mailto: or https: URI with "," "!" and ";" percent-encoded, for example "mailto:tls-reports@dept.gov.uk".`],
    ['an SPF record among the extra apex values', { additionalApexTxt: ['MS=ms1', 'v=spf1 include:spf.protection.outlook.com -all'] },
      `${P}: [SPF-MULTIPLE-RECORDS] A name publishes at most one SPF record; with more, every receiver returns permerror. Got: "v=spf1 include:spf.protection.outlook.com -all". Allowed: TXT values other than SPF: the domain already publishes "v=spf1 -all", and two SPF records make every receiver return permerror.`],
    ['an SPF record in capitals among the extra apex values', { additionalApexTxt: ['V=SPF1 -all'] },
      `${P}: [SPF-MULTIPLE-RECORDS] A name publishes at most one SPF record; with more, every receiver returns permerror. Got: "V=SPF1 -all". Allowed: TXT values other than SPF: the domain already publishes "v=spf1 -all", and two SPF records make every receiver return permerror.`],
    ['an extra apex value that is not ASCII', { additionalApexTxt: ['verification=café'] },
      `${P}: [TXT-NON-ASCII] Apex TXT values are printable ASCII. Got: "verification=café". Allowed: printable ASCII only (U+0020 to U+007E); got U+00E9 at index 16.`],
    ['an extra apex value with a tab', { additionalApexTxt: ['a\tb'] },
      `${P}: [TXT-NON-ASCII] Apex TXT values are printable ASCII. Got: "a\tb". Allowed: printable ASCII only (U+0020 to U+007E); got U+0009 at index 1.`],
    ['an extra apex value too long for Route 53', { additionalApexTxt: ['x'.repeat(3960)] },
      `${P}: [TXT-ROUTE53-VALUE-LENGTH] A Route 53 TXT value is at most 4,000 characters as written, quotes and escapes included. Got: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (3960 characters)". Allowed: a value that Route 53 can hold: at most 4,000 characters once split into quoted 255-octet strings.`],
    ['extra apex values too large for one change batch', { additionalApexTxt: ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(3700)) },
      `${P}: [ROUTE53-CHANGE-BATCH-SIZE] One change batch holds at most 1,000 values and 32,000 characters of values, each counted twice when the change is an UPSERT. Got: "10 values, 18867 characters". Allowed: at most 500 values and 16,000 characters in one parked domain's records, so an UPSERT of them all fits one change batch.`],
    ['a domain outside the zone', { domainName: 'other-dept.gov.uk' },
      `${P}: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone's own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "other-dept.gov.uk". Allowed: "old-dept.gov.uk" or a name ending in ".old-dept.gov.uk".`],
    ['a domain that only ends with the zone\'s letters', { domainName: 'notold-dept.gov.uk' },
      `${P}: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone's own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "notold-dept.gov.uk". Allowed: "old-dept.gov.uk" or a name ending in ".old-dept.gov.uk".`],
    ['a domain name with a space', { domainName: 'old dept.gov.uk' },
      `${P}: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. Got: "old dept.gov.uk". Allowed: domainName as a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all).`],
    ['a domain name with an empty label', { domainName: 'a..old-dept.gov.uk' },
      `${P}: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. Got: "a..old-dept.gov.uk". Allowed: domainName as a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all).`],
    ['a TTL that is not whole seconds', { ttl: Duration.millis(1500) },
      `${P}: [ROUTE53-TTL] A record's TTL is a whole number of seconds from 0 to 2147483647. Got: "Duration.millis(1500)". Allowed: a whole number of seconds from 0 to 2147483647.`],
    ['a TTL over 2^31 - 1 seconds', { ttl: Duration.days(30000) },
      `${P}: [ROUTE53-TTL] A record's TTL is a whole number of seconds from 0 to 2147483647. Got: "Duration.days(30000)". Allowed: a whole number of seconds from 0 to 2147483647.`],
  ])('%s', (_name, props, message) => {
    // GIVEN a zone
    const { stack, zone } = stackWithZone('old-dept.gov.uk');
    // WHEN a parked domain is given the bad input
    // THEN construction fails with the path, rule id, value and what is allowed
    expect(() => new ParkedDomain(stack, 'Parked', { zone, dmarcReportTo: [REPORT], ...props })).toThrow(message);
    let thrown: unknown;
    try {
      new ParkedDomain(stack, 'Again', { zone, dmarcReportTo: [REPORT], ...props });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Error).message).toBe(message.replace(P, 'Test/Again'));
  });

  test('a zone whose name is not a domain name fails synth', () => {
    // GIVEN a zone imported with a name that is not a domain name
    const { stack, zone } = stackWithZone('-bad-.gov.uk');
    // WHEN its domain is parked
    // THEN the zone name is refused
    expect(() => new ParkedDomain(stack, 'Parked', { zone, dmarcReportTo: [REPORT] })).toThrow(
      'Test/Parked: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. Got: "-bad-.gov.uk". Allowed: the zone name as a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all).');
  });

  test('a zone imported by id only, with no domain name, fails synth', () => {
    // GIVEN a zone imported without its name
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', ZONE_ID);
    // WHEN no domain name is given
    // THEN the construct says it needs one
    expect(() => new ParkedDomain(stack, 'Parked', { zone, dmarcReportTo: [REPORT] })).toThrow(
      'Test/Parked: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone\'s own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: undefined. Allowed: a domainName, because the zone was imported without its name (HostedZone.fromHostedZoneId).');
  });
});

describe('ParkedDomain: at scale', () => {
  test('300 parked domains synthesise in one stack, one resource each, under the 500-resource and 1 MB template quotas', () => {
    // GIVEN 300 zones
    const stack = new Stack(new App(), 'Portfolio');
    // WHEN each domain is parked
    for (let i = 0; i < 300; i++) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(stack, `Zone${i}`, {
        hostedZoneId: `Z${String(i).padStart(20, '0')}`,
        zoneName: `old-${i}.gov.uk`,
      });
      new ParkedDomain(stack, `Parked${i}`, { zone, dmarcReportTo: ['mailto:dmarc-reports@dept.gov.uk'], tlsReportTo: ['mailto:tls-reports@dept.gov.uk'] });
    }
    const template = lint.template(stack);
    // THEN there are 300 resources, all record set groups
    const resources = Object.values(template.toJSON().Resources) as any[];
    expect(resources).toHaveLength(300 * ParkedDomain.RESOURCES_PER_DOMAIN);
    expect(resources.every((r) => r.Type === 'AWS::Route53::RecordSetGroup')).toBe(true);
    expect(resources.length).toBeLessThan(500);
    // AND the template is under CloudFormation's 1 MB limit for templates uploaded to S3
    expect(JSON.stringify(template.toJSON()).length).toBeLessThan(1024 * 1024);
  });

  test('a TXT text written for one domain is written the same for the next, and a refused one is refused for each, naming it', () => {
    // GIVEN one stack of parked domains, each with the same extra apex values
    const stack = new Stack(new App(), 'Estate');
    const long = `verification=${'b'.repeat(300)}`;
    const park = (i: number, additionalApexTxt: string[]) => new ParkedDomain(stack, `Parked${i}`, {
      zone: route53.HostedZone.fromHostedZoneAttributes(stack, `Zone${i}`, { hostedZoneId: `Z${i}`, zoneName: `old-${i}.gov.uk` }),
      dmarcReportTo: [REPORT],
      additionalApexTxt,
    });
    // WHEN two domains publish the same texts
    const first = park(1, ['MS=ms1', long]);
    const second = park(2, [long, 'MS=ms1']);
    // THEN each group holds them as the writer splits and quotes them
    const apexTxt = (d: ParkedDomain) => (stack.resolve((d.recordSetGroup.recordSets as any[])[0]).resourceRecords as string[]);
    expect(apexTxt(first)).toEqual(['"v=spf1 -all"', '"MS=ms1"', `"verification=${'b'.repeat(242)}" "${'b'.repeat(58)}"`]);
    expect(apexTxt(second)).toEqual(['"v=spf1 -all"', `"verification=${'b'.repeat(242)}" "${'b'.repeat(58)}"`, '"MS=ms1"']);
    // AND a text that cannot be published is refused for every domain that gives it, each error naming that domain
    for (const i of [3, 4]) {
      expect(() => park(i, ['"MS=ms1"'])).toThrow(`Estate/Parked${i}: [TXT-QUOTED-VALUE]`);
      expect(() => park(i + 10, ['a\tb'])).toThrow(`Estate/Parked${i + 10}: [TXT-NON-ASCII]`);
    }
  });
});

/** The scenarios snapshotted, and whose TXT values are read back through the foundation parsers. */
const SCENARIOS: Array<[string, () => Stack]> = [
  ['defaults', () => parked().stack],
  ['every option', () => parked({
    tlsReportTo: ['mailto:tls-reports@old-dept.gov.uk'],
    additionalApexTxt: ['google-site-verification=abc123', `verification=${'a'.repeat(287)}`],
    caa: false,
    ttl: Duration.minutes(5),
    dmarcReportTo: [REPORT, GovUkReportAddresses.DMARC_RUA],
  }).stack],
  ['subdomain of the zone', () => parked({ domainName: 'old.dept.gov.uk' }, 'dept.gov.uk').stack],
  ['zone name is a token', () => {
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: Fn.importValue('ZoneId'), zoneName: Fn.importValue('ZoneName') });
    new ParkedDomain(stack, 'Parked', { zone, dmarcReportTo: [REPORT], tlsReportTo: ['https://reports.dept.gov.uk/tls'] });
    return stack;
  }],
];

describe('ParkedDomain: snapshots', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN / WHEN the scenario
    const template = lint.template(build());
    // THEN the template is as reviewed (logical ids are public API)
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('ParkedDomain: every TXT value reads back clean through the foundation parsers', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN the TXT values a scenario publishes
    const template = lint.template(build());
    const txt = (recordSetGroup(template).RecordSets as any[]).filter((r) => r.Type === 'TXT');
    expect(txt.length).toBeGreaterThanOrEqual(3);
    let checked = 0;
    for (const record of txt) {
      const name = typeof record.Name === 'string' ? record.Name : JSON.stringify(record.Name);
      for (const value of record.ResourceRecords as string[]) {
        // WHEN each is parsed back and checked by the record's own rules
        const findings: Finding[] = [...TxtChunks.validate(TxtChunks.parseStrings(value), { name })];
        const text = TxtChunks.parse(value);
        if (name.includes('_dmarc.')) findings.push(...Dmarc.check(value, { name }), ...(Dmarc.isDmarc(text) ? [] : [fail(name, text)]));
        else if (name.includes('_domainkey.')) findings.push(...Dkim.check(value, { name }));
        else if (name.includes('_smtp._tls.')) findings.push(...TlsRpt.check(value, { name }));
        else if (Spf.isSpf(text)) findings.push(...Spf.check(value, { name }));
        checked++;
        // THEN none has an error
        expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(txt.length);
  });
});

function fail(name: string, text: string): Finding {
  return { ruleId: 'TEST-NOT-DMARC', severity: 'error' as Finding['severity'], message: `${name} holds "${text}"`, source: 'test' };
}

describe('ParkedDomain and other constructs at the same names', () => {
  test('a NullMxRecord at a parked domain\'s apex fails synth naming both paths', () => {
    // GIVEN a parked domain and a stray null MX at its apex
    const app = new App();
    const stack = new Stack(app, 'Conflict');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'old-dept.gov.uk' });
    new ParkedDomain(stack, 'Parked', { zone, dmarcReportTo: ['mailto:dmarc@dept.gov.uk'] });
    new NullMxRecord(stack, 'StrayMx', { zone });
    // WHEN synthesised THEN the conflict names the rule, the record and both constructs
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[ROUTE53-RECORD-CONFLICT]');
    expect(message).toContain('Conflict/Parked');
    expect(message).toContain('Conflict/StrayMx');
  });
});
