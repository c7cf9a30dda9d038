import { App, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DmarcRecord, DmarcRecordProps } from '../../src/constructs/dmarc-record';
import { GovEmailDomain } from '../../src/constructs/gov-email-domain';
import { ParkedDomain } from '../../src/constructs/parked-domain';
import { Dmarc, DmarcAlignment, DmarcPolicy } from '../../src/records/dmarc';
import { Severity } from '../../src/records/finding';
import { TxtChunks } from '../../src/records/txt';
import { Sender } from '../../src/senders/sender';
import { GovUkReportAddresses } from '../../src/standard/profile';
import { TemplateLinter } from '../util/cfn-lint';
import { ZONE_ID, infoIds, recordSets, stackWithZone, thrownBy, warningIds, warnings } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const REPORT = 'mailto:dmarc-reports@dept.gov.uk';
const DEFAULT = `v=DMARC1; p=reject; sp=reject; np=reject; adkim=r; aspf=r; fo=1; rua=${REPORT}`;

function dmarc(props: Partial<DmarcRecordProps> = {}, zoneName?: string) {
  const { app, stack, zone } = stackWithZone(zoneName);
  const construct = new DmarcRecord(stack, 'Dmarc', { zone, reportTo: [REPORT], ...props });
  return { app, stack, zone, construct };
}

describe('DmarcRecord: what it publishes', () => {
  test('secure by default: p=reject, sp and np written out, relaxed alignment explicit, fo=1, no pct', () => {
    // GIVEN a zone
    // WHEN a DMARC record is published with only its report address
    const { stack, construct } = dmarc();
    const template = lint.template(stack);
    // THEN one TXT record set at _dmarc with the full policy
    expect(recordSets(template, { withZoneId: true })).toEqual([['_dmarc.dept.gov.uk.', 'TXT', '3600', [`"${DEFAULT}"`], ZONE_ID]]);
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(1);
    expect(construct.value).toBe(DEFAULT);
    expect(construct.value).not.toContain('pct');
    // AND no warning, and no note about its own default fo=1 (GOV.UK asks for it)
    expect(warnings(stack)).toEqual([]);
    expect(infoIds(stack)).toEqual([]);
  });

  test('every option: strict alignment, failure reports with fo=d:s, two rua, a subdomain and a TTL', () => {
    // GIVEN a subdomain of the zone
    // WHEN every option is set
    const { stack } = dmarc({
      domainName: 'notify.dept.gov.uk',
      dkimAlignment: DmarcAlignment.STRICT,
      spfAlignment: DmarcAlignment.STRICT,
      failureOptions: ['d', 's'],
      reportTo: [REPORT, 'mailto:dmarc-backup@dept.gov.uk'],
      failureReportTo: ['mailto:dmarc-failures@dept.gov.uk'],
      ttl: Duration.minutes(15),
    });
    // THEN the record holds each, in the canonical order
    expect(recordSets(lint.template(stack), { withZoneId: true })).toEqual([['_dmarc.notify.dept.gov.uk.', 'TXT', '900', [
      '"v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=d:s; rua=mailto:dmarc-reports@dept.gov.uk,mailto:dmarc-backup@dept.gov.uk; ruf=mailto:dmarc-failures@dept.gov.uk"',
    ], ZONE_ID]]);
    expect(warnings(stack)).toEqual([]);
  });

  test('quarantine, chosen explicitly, is compliant but noted with GOVUK-DMARC-POLICY and GOVUK-DMARC-SUBDOMAIN-POLICY', () => {
    // GIVEN / WHEN p=quarantine (sp follows it)
    const { stack } = dmarc({ policy: DmarcPolicy.QUARANTINE });
    const template = lint.template(stack);
    // THEN the record says so
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      ResourceRecords: [`"v=DMARC1; p=quarantine; sp=quarantine; np=reject; adkim=r; aspf=r; fo=1; rua=${REPORT}"`],
    });
    // AND one warning for each weaker policy
    Annotations.fromStack(stack).hasWarning('/Test/Dmarc', Match.stringLikeRegexp(
      '^The DMARC policy is p=quarantine, chosen explicitly: compliant, but failing mail is delivered to spam folders instead of being refused as with the default p=reject\\. .*\\[ack: cdk-gov-email:GOVUK-DMARC-POLICY\\]$'));
    Annotations.fromStack(stack).hasWarning('/Test/Dmarc', Match.stringLikeRegexp(
      '^The DMARC record has sp=quarantine, chosen explicitly: .*\\[ack: cdk-gov-email:GOVUK-DMARC-SUBDOMAIN-POLICY\\]$'));
    expect(warningIds(stack)).toEqual(['GOVUK-DMARC-POLICY', 'GOVUK-DMARC-SUBDOMAIN-POLICY']);
  });

  test('monitoring only (p=none) with allowMonitoringOnly: the profile\'s errors become warnings, with the reason', () => {
    // GIVEN / WHEN p=none is accepted explicitly
    const { stack } = dmarc({ policy: DmarcPolicy.NONE, allowMonitoringOnly: true });
    const template = lint.template(stack);
    // THEN the record has p=none and sp=none, and np stays reject
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      ResourceRecords: [`"v=DMARC1; p=none; sp=none; np=reject; adkim=r; aspf=r; fo=1; rua=${REPORT}"`],
    });
    // AND the profile's findings for p and sp are warnings that say why they were accepted
    expect(warningIds(stack)).toEqual(['GOVUK-DMARC-POLICY', 'GOVUK-DMARC-SUBDOMAIN-POLICY']);
    Annotations.fromStack(stack).hasWarning('/Test/Dmarc', Match.stringLikeRegexp(
      '^dept\\.gov\\.uk\'s DMARC policy is "none"; set p=quarantine or p=reject\\. Got: ".*"\\. Accepted as a warning: allowMonitoringOnly is set, so DmarcPolicy\\.NONE was chosen explicitly; .*\\[ack: cdk-gov-email:GOVUK-DMARC-POLICY\\]$'));
  });

  test('np weaker than reject is noted with GOVUK-DMARC-SUBDOMAIN-POLICY', () => {
    // GIVEN / WHEN np=quarantine
    const { stack } = dmarc({ nonExistentSubdomainPolicy: DmarcPolicy.QUARANTINE });
    lint.template(stack);
    // THEN one warning names it
    expect(warnings(stack)).toEqual([expect.stringMatching(/^The DMARC record has np=quarantine, chosen explicitly: weaker than reject, .*\[ack: cdk-gov-email:GOVUK-DMARC-SUBDOMAIN-POLICY\]$/)]);
  });

  test('an https: report URI is allowed with the warning DMARC-REPORT-URI-SCHEME', () => {
    // GIVEN / WHEN an https: aggregate report destination
    const { stack } = dmarc({ reportTo: [REPORT, 'https://reports.dept.gov.uk/dmarc'] });
    lint.template(stack);
    // THEN a warning: receivers only have to support mailto:
    expect(warnings(stack)).toEqual([expect.stringMatching(/^rua URI "https:\/\/reports\.dept\.gov\.uk\/dmarc" uses https:; .*\[ack: cdk-gov-email:DMARC-REPORT-URI-SCHEME\]$/)]);
  });

  test('the central address in ruf fails synth with GOVUK-DMARC-RUF-CENTRAL', () => {
    // GIVEN / WHEN failure reports go to the central aggregate address
    const { app } = dmarc({ failureReportTo: [GovUkReportAddresses.DMARC_RUA] });
    // THEN synth fails with the profile's rule
    expect(() => app.synth()).toThrow(
      'Validation failed with the following errors:\n  [Test/Dmarc] [GOVUK-DMARC-RUF-CENTRAL] dept.gov.uk\'s DMARC record sends failure reports (ruf) to mailto:dmarc-rua@dmarc.service.gov.uk, which takes aggregate reports only. (NCSC Mail Check published rules)');
  });

  test('a report address that is a token is published as one string and reported as not evaluated', () => {
    // GIVEN / WHEN a report address imported from another stack
    const { stack } = dmarc({ reportTo: [Fn.importValue('ReportAddress')] });
    const template = lint.template(stack);
    // THEN the value is joined at deployment as one quoted string
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      ResourceRecords: [{ 'Fn::Join': ['', ['"v=DMARC1; p=reject; sp=reject; np=reject; adkim=r; aspf=r; fo=1; rua=', { 'Fn::ImportValue': 'ReportAddress' }, '"']] }],
    });
    // AND the record is reported as not evaluated
    expect(warnings(stack)).toEqual([expect.stringMatching(
      /^dept\.gov\.uk: dmarc could not be evaluated because its value is not known here; .*\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\]$/)]);
  });
});

describe('DmarcRecord: a zone whose name is a token', () => {
  test('the record is at _dmarc.<token>, and what depends on the name is noted as not evaluated', () => {
    // GIVEN a zone imported from another stack's exports
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: Fn.importValue('ZoneName') });
    // WHEN a DMARC record is published at its apex, reporting to the central address
    new DmarcRecord(stack, 'Dmarc', { zone, reportTo: [GovUkReportAddresses.DMARC_RUA] });
    const template = lint.template(stack);
    // THEN the name follows the token (no trailing dot), and the record itself is still checked
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: { 'Fn::Join': ['', ['_dmarc.', { 'Fn::ImportValue': 'ZoneName' }]] },
      Type: 'TXT',
      ResourceRecords: ['"v=DMARC1; p=reject; sp=reject; np=reject; adkim=r; aspf=r; fo=1; rua=mailto:dmarc-rua@dmarc.service.gov.uk"'],
    });
    // AND the name, and whether the destination needs an authorisation record, are noted as not evaluated
    expect(warnings(stack)).toEqual([
      expect.stringMatching(/^The domain name of Test\/Dmarc is not known until deployment, .*\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\]$/),
      expect.stringMatching(/^Whether the DMARC report destinations are at another organisation \(the domain name\) is not known until deployment, .*\[ack: cdk-gov-email:GOVUK-NOT-EVALUATED\]$/),
    ]);
  });
});

describe('DmarcRecord: report destinations at another organisation (RFC 7489 §7.1)', () => {
  test('without the destination\'s zone, a warning names the exact authorisation record needed', () => {
    // GIVEN / WHEN reports go to the central address GOV.UK guidance names
    const { stack } = dmarc({ reportTo: [GovUkReportAddresses.DMARC_RUA] });
    lint.template(stack);
    // THEN a warning names the record, and no record is created
    expect(warnings(stack)).toEqual([
      'DMARC reports for dept.gov.uk go to another organisation, which takes them only if it authorises them: mailto:dmarc-rua@dmarc.service.gov.uk needs TXT "v=DMARC1" at dept.gov.uk._report._dmarc.dmarc.service.gov.uk. Give that zone in reportAuthorisationZones to create the record, or confirm the destination publishes it (a wildcard *._report._dmarc record also authorises). (RFC 7489 §7.1; RFC 9990) [ack: cdk-gov-email:GOVUK-DMARC-REPORT-AUTHORISATION]',
    ]);
  });

  test('with the destination\'s zone, the authorisation record is created there, once per destination host', () => {
    // GIVEN the department's reports zone and an unrelated zone
    const { stack, zone } = stackWithZone();
    const reports = route53.HostedZone.fromHostedZoneAttributes(stack, 'Reports', { hostedZoneId: 'ZREPORTS000000000000', zoneName: 'reports.example' });
    const unrelated = route53.HostedZone.fromHostedZoneAttributes(stack, 'Unrelated', { hostedZoneId: 'ZOTHER00000000000000', zoneName: 'example' });
    // WHEN rua and ruf both go to a host in the reports zone
    const construct = new DmarcRecord(stack, 'Dmarc', {
      zone,
      reportTo: ['mailto:rua@dmarc.reports.example'],
      failureReportTo: ['mailto:ruf@dmarc.reports.example'],
      reportAuthorisationZones: [unrelated, reports],
    });
    const template = lint.template(stack);
    // THEN one v=DMARC1 record is created in the reports zone (the longest match), and no warning
    expect(recordSets(template, { withZoneId: true })).toEqual([
      ['_dmarc.dept.gov.uk.', 'TXT', '3600', ['"v=DMARC1; p=reject; sp=reject; np=reject; adkim=r; aspf=r; fo=1; rua=mailto:rua@dmarc.reports.example; ruf=mailto:ruf@dmarc.reports.example"'], ZONE_ID],
      ['dept.gov.uk._report._dmarc.dmarc.reports.example.', 'TXT', '3600', ['"v=DMARC1"'], 'ZREPORTS000000000000'],
    ]);
    expect(construct.reportAuthorisationNames).toEqual(['dept.gov.uk._report._dmarc.dmarc.reports.example']);
    expect(warnings(stack)).toEqual([]);
  });

  test('a destination in the same organisational domain needs no authorisation', () => {
    // GIVEN / WHEN reports go to another subdomain of the organisational domain
    const { stack } = dmarc({ domainName: 'notify.dept.gov.uk', reportTo: ['mailto:dmarc@reports.dept.gov.uk'] });
    // THEN no record and no warning
    lint.template(stack).resourceCountIs('AWS::Route53::RecordSet', 1);
    expect(warnings(stack)).toEqual([]);
  });

  test('two DMARC records authorising the same destination for the same domain conflict in the destination\'s zone', () => {
    // GIVEN two zones for dept.gov.uk (public and a copy) that both send reports to one destination
    const { app, stack, zone } = stackWithZone();
    const reports = route53.HostedZone.fromHostedZoneAttributes(stack, 'Reports', { hostedZoneId: 'ZREPORTS000000000000', zoneName: 'reports.example' });
    const copy = route53.HostedZone.fromHostedZoneAttributes(stack, 'Copy', { hostedZoneId: 'ZCOPY000000000000000', zoneName: 'dept.gov.uk' });
    new DmarcRecord(stack, 'Dmarc', { zone, reportTo: ['mailto:rua@reports.example'], reportAuthorisationZones: [reports] });
    new DmarcRecord(stack, 'CopyDmarc', { zone: copy, reportTo: ['mailto:rua@reports.example'], reportAuthorisationZones: [reports] });
    // WHEN the app is synthesised
    // THEN the second authorisation record is refused, naming both
    expect(() => app.synth()).toThrow(
      '[Test/CopyDmarc] [ROUTE53-RECORD-CONFLICT] TXT "dept.gov.uk._report._dmarc.reports.example" in one hosted zone is published by both Test/CopyDmarc and Test/Dmarc.');
  });
});

describe('DmarcRecord: bad input fails synth', () => {
  const P = 'Test/Dmarc';
  const URI = 'DMARC-REPORT-URI] rua and ruf are comma-separated URIs (mailto: addresses), with "," "!" and ";" inside a URI percent-encoded.';
  const NONE_ALLOWED = (prop: string) => `Allowed: DmarcPolicy.REJECT or DmarcPolicy.QUARANTINE for ${prop}; DmarcPolicy.NONE (monitoring only) only with allowMonitoringOnly: true.`;
  const RUA_ALLOWED = 'Allowed: one or two mailto: URIs, for example ["mailto:dmarc-reports@dept.gov.uk"].';
  test.each<[string, Partial<DmarcRecordProps>, string]>([
    ['no report address', { reportTo: [] },
      `${P}: [GOVUK-DMARC-RUA-MISSING] DMARC aggregate reports are requested (rua) so the department sees who sends as its domains. Got: []. ${RUA_ALLOWED}`],
    ['three report addresses', { reportTo: ['mailto:a@dept.gov.uk', 'mailto:b@dept.gov.uk', 'mailto:c@dept.gov.uk'] },
      `${P}: [GOVUK-DMARC-RUA-COUNT] A DMARC record names at most 2 aggregate report (rua) destinations. Got: ["mailto:a@dept.gov.uk","mailto:b@dept.gov.uk","mailto:c@dept.gov.uk"]. ${RUA_ALLOWED}`],
    ['a report address without mailto:', { reportTo: ['dmarc@dept.gov.uk'] },
      `${P}: [DMARC-REPORT-URI] The rua URI "dmarc@dept.gov.uk" has no scheme: a report address is written "mailto:dmarc@dept.gov.uk". rua and ruf are comma-separated URIs (mailto: addresses), with "," "!" and ";" inside a URI percent-encoded. Got: "dmarc@dept.gov.uk". Allowed: a mailto: URI with "," "!" and ";" percent-encoded, for example "mailto:dmarc-reports@dept.gov.uk".`],
    ['two addresses in one string', { reportTo: ['mailto:a@dept.gov.uk,mailto:b@dept.gov.uk'] },
      `${P}: [DMARC-REPORT-URI] The rua URI "mailto:a@dept.gov.uk,mailto:b@dept.gov.uk" holds ",", which must be percent-encoded (%2C) inside a DMARC URI. rua and ruf are comma-separated URIs (mailto: addresses), with "," "!" and ";" inside a URI percent-encoded. Got: "mailto:a@dept.gov.uk,mailto:b@dept.gov.uk". Allowed: a mailto: URI with "," "!" and ";" percent-encoded, for example "mailto:dmarc-reports@dept.gov.uk".`],
    ['a raw ";" that would end the tag', { reportTo: ['mailto:a@dept.gov.uk;p=none'] },
      `${P}: [DMARC-REPORT-URI] The rua URI "mailto:a@dept.gov.uk;p=none" holds ";", which must be percent-encoded (%3B) inside a DMARC URI. rua and ruf are comma-separated URIs (mailto: addresses), with "," "!" and ";" inside a URI percent-encoded. Got: "mailto:a@dept.gov.uk;p=none". Allowed: a mailto: URI with "," "!" and ";" percent-encoded, for example "mailto:dmarc-reports@dept.gov.uk".`],
    ['a failure report address with no address', { failureReportTo: ['mailto:'] },
      `${P}: [DMARC-REPORT-URI] The ruf URI "mailto:" names no address. rua and ruf are comma-separated URIs (mailto: addresses), with "," "!" and ";" inside a URI percent-encoded. Got: "mailto:". Allowed: a mailto: URI with "," "!" and ";" percent-encoded, for example "mailto:dmarc-reports@dept.gov.uk".`],
    ['an empty failure report list', { failureReportTo: [] },
      `${P}: [${URI} Got: []. Allowed: one or more mailto: URIs, or leave failureReportTo out to request no failure reports.`],
    ['p=none without allowMonitoringOnly', { policy: DmarcPolicy.NONE },
      `${P}: [GOVUK-DMARC-POLICY] The DMARC policy (p) is quarantine or reject. Got: "none". ${NONE_ALLOWED('policy')}`],
    ['sp=none without allowMonitoringOnly', { subdomainPolicy: DmarcPolicy.NONE },
      `${P}: [GOVUK-DMARC-SUBDOMAIN-POLICY] The DMARC subdomain policy (sp, or p when sp is absent) is quarantine or reject. Got: "none". ${NONE_ALLOWED('subdomainPolicy')}`],
    ['np=none without allowMonitoringOnly', { nonExistentSubdomainPolicy: DmarcPolicy.NONE },
      `${P}: [GOVUK-DMARC-SUBDOMAIN-POLICY] The DMARC subdomain policy (sp, or p when sp is absent) is quarantine or reject. Got: "none". ${NONE_ALLOWED('nonExistentSubdomainPolicy')}`],
    ['a policy that is not one', { policy: 'block' as DmarcPolicy },
      `${P}: [DMARC-POLICY-VALUE] p, sp and np are none, quarantine or reject. Got: "block". Allowed: DmarcPolicy.REJECT, DmarcPolicy.QUARANTINE or DmarcPolicy.NONE for policy.`],
    ['an alignment that is not one', { spfAlignment: 'strict' as DmarcAlignment },
      `${P}: [DMARC-ALIGNMENT-VALUE] adkim and aspf are r (relaxed) or s (strict). Got: "strict". Allowed: DmarcAlignment.RELAXED or DmarcAlignment.STRICT for spfAlignment.`],
    ['a failure option that is not one', { failureOptions: ['1', '2'] },
      `${P}: [DMARC-FO-VALUE] fo is a colon-separated list of the options 0, 1, d and s. Got: ["1","2"]. Allowed: one or more of "0", "1", "d" and "s", for example ["1"] or ["d", "s"].`],
    ['no failure options', { failureOptions: [] },
      `${P}: [DMARC-FO-VALUE] fo is a colon-separated list of the options 0, 1, d and s. Got: []. Allowed: one or more of "0", "1", "d" and "s", for example ["1"] or ["d", "s"].`],
    ['a domain outside the zone', { domainName: 'dept.gov.uk.evil.example' },
      `${P}: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone's own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "dept.gov.uk.evil.example". Allowed: "dept.gov.uk" or a name ending in ".dept.gov.uk".`],
  ])('%s', (_name, props, message) => {
    // GIVEN a zone
    const { stack, zone } = stackWithZone();
    // WHEN a DMARC record is given the bad input
    // THEN construction fails with the path, rule id, value and what is allowed
    expect(thrownBy(() => new DmarcRecord(stack, 'Dmarc', { zone, reportTo: [REPORT], ...props }))).toBe(message);
  });
});

/** The scenarios snapshotted, and whose TXT values are read back through the foundation parsers. */
const SCENARIOS: Array<[string, () => Stack]> = [
  ['defaults', () => dmarc().stack],
  ['quarantine, strict, failure reports, at a subdomain', () => dmarc({
    domainName: 'notify.dept.gov.uk',
    policy: DmarcPolicy.QUARANTINE,
    dkimAlignment: DmarcAlignment.STRICT,
    spfAlignment: DmarcAlignment.STRICT,
    failureReportTo: ['mailto:dmarc-failures@dept.gov.uk'],
    ttl: Duration.minutes(30),
  }).stack],
  ['monitoring only, with an authorised external destination', () => {
    const { stack, zone } = stackWithZone();
    const reports = route53.HostedZone.fromHostedZoneAttributes(stack, 'Reports', { hostedZoneId: 'ZREPORTS000000000000', zoneName: 'reports.example' });
    new DmarcRecord(stack, 'Dmarc', {
      zone, policy: DmarcPolicy.NONE, allowMonitoringOnly: true, reportTo: [REPORT, 'mailto:rua@reports.example'], reportAuthorisationZones: [reports],
    });
    return stack;
  }],
];

describe('DmarcRecord: snapshots', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN / WHEN the scenario is synthesised
    const template = lint.template(build());
    // THEN the template (and so every logical id) is unchanged
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('DmarcRecord: every TXT value reads back through the foundation parsers', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN the TXT values a scenario publishes, as Route 53 holds them
    const sets = recordSets(lint.template(build()));
    const policies = sets.filter(([name]) => String(name).startsWith('_dmarc.')).flatMap(([, , , values]) => values as string[]);
    const authorisations = sets.filter(([name]) => String(name).includes('._report._dmarc.')).flatMap(([, , , values]) => values as string[]);
    expect(policies).toHaveLength(1);
    // WHEN each is read back
    // THEN the policy has no error-level finding and no pct, and each authorisation is a v=DMARC1 record
    expect(Dmarc.check(policies[0]).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    expect(Dmarc.parse(policies[0]).percentage).toBeUndefined();
    for (const a of authorisations) {
      expect(Dmarc.isDmarc(TxtChunks.parse(a))).toBe(true);
    }
  });
});

describe('DmarcRecord: percent-encoded characters in a report address', () => {
  test.each([
    ['an encoded "," in rua', { reportTo: ['mailto:dmarc%2Creports@dept.gov.uk'] }, 'rua=mailto:dmarc%2Creports@dept.gov.uk'],
    ['an encoded ";" and "!" in ruf', { failureReportTo: ['mailto:dmarc%3Bfailures%21@dept.gov.uk'] }, 'ruf=mailto:dmarc%3Bfailures%21@dept.gov.uk'],
  ])('%s is accepted and published with its encoding', (_name, props, tag) => {
    // GIVEN a report address with the encoding DMARC-REPORT-URI asks for
    // WHEN it is published
    const { stack, construct } = dmarc(props);
    lint.template(stack);
    // THEN the record keeps the encoding, and nothing is reported against it
    expect(construct.value.split('; ')).toContain(tag);
    expect(warnings(stack)).toEqual([]);
  });

  test.each([
    ['a "%" with one hex digit', 'mailto:dmarc%2@dept.gov.uk'],
    ['a "%" with no hex digits', 'mailto:dmarc%ZZreports@dept.gov.uk'],
  ])('%s is still refused with DMARC-REPORT-URI', (_name, uri) => {
    const { stack, zone } = stackWithZone();
    expect(thrownBy(() => new DmarcRecord(stack, 'Dmarc', { zone, reportTo: [uri] }))).toMatch(/^Test\/Dmarc: \[DMARC-REPORT-URI\] /);
    expect(thrownBy(() => new DmarcRecord(stack, 'Dmarc2', { zone, reportTo: [REPORT], failureReportTo: [uri] }))).toMatch(/^Test\/Dmarc2: \[DMARC-REPORT-URI\] /);
  });
});

describe('DmarcRecord: an RFC 7489 size limit on a report address', () => {
  test.each([
    ['rua', { reportTo: ['mailto:dmarc-reports@dept.gov.uk!10m'] }, 'rua=mailto:dmarc-reports@dept.gov.uk!10m'],
    ['ruf', { failureReportTo: ['mailto:dmarc-failures@dept.gov.uk!50k'] }, 'ruf=mailto:dmarc-failures@dept.gov.uk!50k'],
  ])('in %s: accepted, published as written, and warned of as DMARC-URI-SIZE-LIMIT (RFC 9989)', (_tag, props, tag) => {
    // GIVEN / WHEN a report address with a size limit
    const { stack, construct } = dmarc(props);
    lint.template(stack);
    // THEN the record keeps it, and reads back to the same model
    expect(construct.value.split('; ')).toContain(tag);
    expect(Dmarc.render(Dmarc.parse(construct.value))).toBe(construct.value);
    // AND one warning says it is deprecated, citing RFC 9989; the record-level info is not repeated
    expect(warningIds(stack)).toEqual(['DMARC-URI-SIZE-LIMIT']);
    expect(warnings(stack)[0]).toMatch(/RFC 9989 deprecates the suffix.*\(RFC 9989 §4\.8; RFC 7489 §6\.2\)/);
    expect(infoIds(stack)).not.toContain('DMARC-REPORT-SIZE');
  });

  test('without a size limit there is no DMARC-URI-SIZE-LIMIT', () => {
    const { stack } = dmarc();
    expect(warningIds(stack)).not.toContain('DMARC-URI-SIZE-LIMIT');
  });

  test.each(['!abc', '!10x', '!', '!10m!5k'])('a malformed size "%s" is still refused with DMARC-REPORT-URI', (size) => {
    const { stack, zone } = stackWithZone();
    expect(thrownBy(() => new DmarcRecord(stack, 'Dmarc', { zone, reportTo: [`mailto:dmarc-reports@dept.gov.uk${size}`] })))
      .toMatch(/^Test\/Dmarc: \[DMARC-REPORT-URI\] /);
  });
});

describe('DMARC-FO-WITHOUT-RUF: the library does not note its own default fo=1', () => {
  test('DmarcRecord, ParkedDomain and GovEmailDomain with defaults (fo=1, GOV.UK\'s value, no ruf) raise no DMARC-FO-WITHOUT-RUF', () => {
    // GIVEN each construct that writes a DMARC record, with its defaults
    const { stack, zone } = stackWithZone();
    const record = new DmarcRecord(stack, 'Dmarc', { zone, domainName: 'a.dept.gov.uk', reportTo: [REPORT] });
    new ParkedDomain(stack, 'Parked', { zone, domainName: 'old.dept.gov.uk', dmarcReportTo: [REPORT] });
    new GovEmailDomain(stack, 'Dept', {
      zone,
      senders: [Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' })],
      allowMissingMtaSts: true,
      dmarc: { reportTo: [REPORT] },
      tlsReportTo: ['mailto:tls-reports@dept.gov.uk'],
    });
    // WHEN they are synthesised
    lint.template(stack);
    // THEN each record has fo=1 and no ruf, and none is noted for it
    expect(record.value).toContain('fo=1');
    expect(record.value).not.toContain('ruf=');
    expect(infoIds(stack)).not.toContain('DMARC-FO-WITHOUT-RUF');
  });

  test.each([[['d']], [['s']], [['d', 's']], [['0', '1']]])('fo=%j chosen without failureReportTo is noted with DMARC-FO-WITHOUT-RUF', (failureOptions) => {
    const { stack } = dmarc({ failureOptions });
    lint.template(stack);
    expect(infoIds(stack)).toEqual(['DMARC-FO-WITHOUT-RUF']);
  });

  test('fo=d with failureReportTo is not noted', () => {
    const { stack } = dmarc({ failureOptions: ['d'], failureReportTo: ['mailto:dmarc-failures@dept.gov.uk'] });
    lint.template(stack);
    expect(infoIds(stack)).not.toContain('DMARC-FO-WITHOUT-RUF');
  });
});
