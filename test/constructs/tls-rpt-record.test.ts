import { Duration, Fn, Stack } from 'aws-cdk-lib';
import { TlsRptRecord, TlsRptRecordProps } from '../../src/constructs/tls-rpt-record';
import { Severity } from '../../src/records/finding';
import { TlsRpt } from '../../src/records/tls-rpt';
import { GovUkReportAddresses } from '../../src/standard/profile';
import { TemplateLinter } from '../util/cfn-lint';
import { recordSets, stackWithZone, thrownBy, warnings } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const REPORT = 'mailto:tls-reports@dept.gov.uk';

function tlsRpt(props: Partial<TlsRptRecordProps> = {}, zoneName?: string) {
  const { app, stack, zone } = stackWithZone(zoneName);
  const construct = new TlsRptRecord(stack, 'TlsRpt', { zone, reportTo: [REPORT], ...props });
  return { app, stack, zone, construct };
}

describe('TlsRptRecord: what it publishes', () => {
  test('one TXT record set at _smtp._tls with the report address, TTL 3600', () => {
    // GIVEN a zone
    // WHEN a TLS-RPT record is published
    const { stack, construct } = tlsRpt();
    const template = lint.template(stack);
    // THEN exactly one record set, with the exact name, type, TTL and value
    expect(recordSets(template)).toEqual([['_smtp._tls.dept.gov.uk.', 'TXT', '3600', [`"v=TLSRPTv1; rua=${REPORT}"`]]]);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(1);
    expect(construct.value).toBe(`v=TLSRPTv1; rua=${REPORT}`);
    expect(warnings(stack)).toEqual([]);
  });

  test('an https: destination at a subdomain, with a TTL', () => {
    // GIVEN the zone dept.gov.uk
    // WHEN reports for mail.dept.gov.uk go to an https: endpoint
    const { stack, construct } = tlsRpt({ domainName: 'mail.dept.gov.uk', reportTo: ['https://reports.dept.gov.uk/tls-rpt'], ttl: Duration.hours(2) });
    // THEN the record is at the subdomain
    expect(recordSets(lint.template(stack))).toEqual([['_smtp._tls.mail.dept.gov.uk.', 'TXT', '7200', ['"v=TLSRPTv1; rua=https://reports.dept.gov.uk/tls-rpt"']]]);
    expect(construct.domainName).toBe('mail.dept.gov.uk');
    expect(warnings(stack)).toEqual([]);
  });

  test('two destinations are allowed with the warning GOVUK-TLSRPT-RUA-COUNT', () => {
    // GIVEN / WHEN two destinations, one the central address GOV.UK guidance names
    const { stack } = tlsRpt({ reportTo: [REPORT, GovUkReportAddresses.TLS_RPT_RUA] });
    const template = lint.template(stack);
    // THEN both are in one rua
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      ResourceRecords: [`"v=TLSRPTv1; rua=${REPORT},mailto:tls-rua@mailcheck.service.ncsc.gov.uk"`],
    });
    // AND one warning: only one destination is guaranteed to receive reports
    expect(warnings(stack)).toEqual([
      'dept.gov.uk\'s TLS-RPT record names 2 rua destinations; only one is guaranteed to receive reports. (NCSC Mail Check published rules) [ack: cdk-gov-email:GOVUK-TLSRPT-RUA-COUNT]',
    ]);
  });

  test('a destination that is a token is published as one string and reported as not evaluated', () => {
    // GIVEN / WHEN the address is imported from another stack
    const { stack } = tlsRpt({ reportTo: [Fn.importValue('TlsReports')] });
    const template = lint.template(stack);
    // THEN the value is joined at deployment
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      ResourceRecords: [{ 'Fn::Join': ['', ['"v=TLSRPTv1; rua=', { 'Fn::ImportValue': 'TlsReports' }, '"']] }],
    });
    // AND it is reported as not evaluated
    expect(warnings(stack)).toEqual([expect.stringMatching(
      /^dept\.gov\.uk: tlsRpt could not be evaluated because its value is not known here; .*\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\]$/)]);
  });

  test('two TLS-RPT records at one name fail synth, naming both paths', () => {
    // GIVEN a TLS-RPT record
    const { app, stack, zone } = tlsRpt();
    // WHEN another is published for the same domain
    new TlsRptRecord(stack, 'Second', { zone, reportTo: ['mailto:other@dept.gov.uk'] });
    // THEN synth fails on the second
    expect(() => app.synth()).toThrow(
      '[Test/Second] [ROUTE53-RECORD-CONFLICT] TXT "_smtp._tls.dept.gov.uk" in one hosted zone is published by both Test/Second and Test/TlsRpt.');
  });
});

describe('TlsRptRecord: bad input fails synth', () => {
  const P = 'Test/TlsRpt';
  const ALLOWED = 'Allowed: a mailto: or https: URI with "," "!" and ";" percent-encoded, for example "mailto:tls-reports@dept.gov.uk".';
  test.each<[string, Partial<TlsRptRecordProps>, string]>([
    ['no destination', { reportTo: [] },
      `${P}: [TLSRPT-RUA-MISSING] A TLS-RPT record has a rua field naming where reports go. Got: []. Allowed: one mailto: or https: URI, for example ["mailto:tls-reports@dept.gov.uk"].`],
    ['an http: destination', { reportTo: ['http://reports.dept.gov.uk/tls'] },
      `${P}: [TLSRPT-URI-SCHEME] The rua URI "http://reports.dept.gov.uk/tls" uses http:; only mailto: and https: are allowed. Each rua URI is a mailto: or https: URI. Got: "http://reports.dept.gov.uk/tls". ${ALLOWED}`],
    ['an address without a scheme', { reportTo: ['tls-reports@dept.gov.uk'] },
      `${P}: [TLSRPT-URI-SCHEME] The rua URI "tls-reports@dept.gov.uk" has no scheme: write mailto:<address> or https://<url>. Each rua URI is a mailto: or https: URI. Got: "tls-reports@dept.gov.uk". ${ALLOWED}`],
    ['two addresses in one string', { reportTo: ['mailto:a@dept.gov.uk,mailto:b@dept.gov.uk'] },
      `${P}: [TLSRPT-URI-ENCODING] The rua URI "mailto:a@dept.gov.uk,mailto:b@dept.gov.uk" holds ",", which must be percent-encoded (%2C). A "," "!" or ";" inside a rua URI is percent-encoded. Got: "mailto:a@dept.gov.uk,mailto:b@dept.gov.uk". ${ALLOWED}`],
    ['a DMARC-style size limit', { reportTo: ['mailto:tls@dept.gov.uk!10m'] },
      `${P}: [TLSRPT-URI-ENCODING] The rua URI "mailto:tls@dept.gov.uk!10m" holds "!", which must be percent-encoded (%21) (TLS-RPT has no DMARC-style !size limit). A "," "!" or ";" inside a rua URI is percent-encoded. Got: "mailto:tls@dept.gov.uk!10m". ${ALLOWED}`],
    ['a mailto: with no address', { reportTo: ['mailto:'] },
      `${P}: [TLSRPT-URI-MALFORMED] The rua URI "mailto:" names no address. Each rua URI is a well-formed mailto: address or https: URL. Got: "mailto:". ${ALLOWED}`],
    ['a subdomain of another zone', { domainName: 'dept.gov.uk.example' },
      `${P}: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone's own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "dept.gov.uk.example". Allowed: "dept.gov.uk" or a name ending in ".dept.gov.uk".`],
  ])('%s', (_name, props, message) => {
    // GIVEN a zone
    const { stack, zone } = stackWithZone();
    // WHEN a TLS-RPT record is given the bad input
    // THEN construction fails with the path, rule id, value and what is allowed
    expect(thrownBy(() => new TlsRptRecord(stack, 'TlsRpt', { zone, reportTo: [REPORT], ...props }))).toBe(message);
  });
});

/** The scenarios snapshotted, and whose TXT values are read back through the foundation parsers. */
const SCENARIOS: Array<[string, () => Stack]> = [
  ['defaults', () => tlsRpt().stack],
  ['https at a subdomain with a TTL', () => tlsRpt({ domainName: 'mail.dept.gov.uk', reportTo: ['https://reports.dept.gov.uk/tls-rpt'], ttl: Duration.hours(2) }).stack],
];

describe('TlsRptRecord: snapshots', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN / WHEN the scenario is synthesised
    const template = lint.template(build());
    // THEN the template (and so every logical id) is unchanged
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('TlsRptRecord: every TXT value reads back through the foundation parsers', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN the TXT values a scenario publishes, as Route 53 holds them
    const values = recordSets(lint.template(build())).flatMap(([, , , v]) => v as string[]);
    expect(values).toHaveLength(1);
    // WHEN they are read back as the record set at _smtp._tls
    // THEN there is one TLS-RPT record and no error-level finding
    expect(TlsRpt.checkRecordSet(values).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    expect(TlsRpt.parse(values[0]).reportUris).toHaveLength(1);
  });
});

describe('TlsRptRecord: percent-encoded characters in a report address', () => {
  test.each([
    ['an encoded ","', 'mailto:tls%2Creports@dept.gov.uk'],
    ['an encoded ";" and "!"', 'mailto:tls%3Breports%21@dept.gov.uk'],
    ['lower-case hex', 'mailto:tls%2creports@dept.gov.uk'],
    ['an encoded "," between two addresses', 'mailto:a@dept.gov.uk%2Cb@dept.gov.uk'],
  ])('%s is accepted and published with its encoding', (_name, uri) => {
    // GIVEN a report address with the encoding TLSRPT-URI-ENCODING asks for
    // WHEN it is published
    const { stack, construct } = tlsRpt({ reportTo: [uri] });
    // THEN the record keeps the encoding, and nothing is reported
    expect(construct.value).toBe(`v=TLSRPTv1; rua=${uri}`);
    expect(recordSets(lint.template(stack))).toEqual([['_smtp._tls.dept.gov.uk.', 'TXT', '3600', [`"v=TLSRPTv1; rua=${uri}"`]]]);
    expect(warnings(stack)).toEqual([]);
  });

  test.each([
    ['a "%" with one hex digit', 'mailto:tls%2@dept.gov.uk'],
    ['a "%" with no hex digits', 'mailto:tls%ZZreports@dept.gov.uk'],
    ['an encoding that is not UTF-8', 'mailto:tls%C3%28@dept.gov.uk'],
    ['an encoded "," that leaves an address without "@"', 'mailto:a@dept.gov.uk%2Creports'],
  ])('%s is still refused with TLSRPT-URI-MALFORMED', (_name, uri) => {
    const { stack, zone } = stackWithZone();
    expect(thrownBy(() => new TlsRptRecord(stack, 'TlsRpt', { zone, reportTo: [uri] }))).toMatch(/^Test\/TlsRpt: \[TLSRPT-URI-MALFORMED\] /);
  });
});
