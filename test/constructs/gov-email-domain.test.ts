import { App, CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { GovEmailDomain, GovEmailDomainMtaStsOptions, GovEmailDomainProps } from '../../src/constructs/gov-email-domain';
import { IMtaStsPolicyHost, MtaStsDomainOptions, MtaStsRegistration } from '../../src/constructs/mta-sts-policy-host-interface';
import { SpfRecord } from '../../src/constructs/spf-record';
import { Dkim } from '../../src/records/dkim';
import { Dmarc, DmarcPolicy } from '../../src/records/dmarc';
import { Severity } from '../../src/records/finding';
import { MtaSts, MtaStsMode } from '../../src/records/mta-sts';
import { Spf, SpfQualifier } from '../../src/records/spf';
import { TlsRpt } from '../../src/records/tls-rpt';
import { TxtChunks } from '../../src/records/txt';
import { DkimRecordType, Sender } from '../../src/senders/sender';
import { GovUkProfile } from '../../src/standard/profile';
import { TemplateLinter } from '../util/cfn-lint';
import { ZONE_ID, infoIds, recordSets, stackWithZone, thrownBy, warningIds } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const ENV = { account: '123456789012', region: 'eu-west-2' };
const DMARC_RUA = 'mailto:dmarc-reports@dept.gov.uk';
const TLS_RUA = 'mailto:tls-reports@dept.gov.uk';
const M365 = Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' });
const M365_MX = 'dept-gov-uk.mail.protection.outlook.com';

/**
 * An MTA-STS policy host for the tests: it records what it is asked to serve, and stands for the
 * construct that serves each body with a resource of its own.
 */
class TestPolicyHost implements IMtaStsPolicyHost {
  public readonly registered: MtaStsDomainOptions[] = [];

  constructor(private readonly scope: Construct, private readonly minimumProtocolVersion?: string) {}

  public addDomain(options: MtaStsDomainOptions): MtaStsRegistration {
    this.registered.push(options);
    const served = new CfnResource(this.scope, `Policy${this.registered.length}`, { type: 'AWS::CloudFormation::WaitConditionHandle' });
    return { policyServedBy: served, minimumProtocolVersion: this.minimumProtocolVersion };
  }
}

function domain(props: Partial<GovEmailDomainProps> = {}, host?: (stack: Stack) => IMtaStsPolicyHost) {
  const { app, stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
  const construct = new GovEmailDomain(stack, 'Dept', {
    zone,
    senders: [M365],
    dmarc: { reportTo: [DMARC_RUA] },
    tlsReportTo: [TLS_RUA],
    // Tests about other records accept the domain without MTA-STS explicitly.
    ...(host === undefined ? { allowMissingMtaSts: true } : { mtaSts: { host: host(stack) } }),
    ...props,
  });
  return { app, stack, zone, construct };
}

/** A receiving domain with MTA-STS options, its policy host in the same stack. */
function mtaStsDomain(options: Partial<GovEmailDomainMtaStsOptions>) {
  const { app, stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
  const construct = new GovEmailDomain(stack, 'Dept', {
    zone, senders: [M365], dmarc: { reportTo: [DMARC_RUA] }, tlsReportTo: [TLS_RUA], mtaSts: { host: new TestPolicyHost(stack), ...options },
  });
  return { app, stack, construct };
}

describe('GovEmailDomain: a department that sends with SES and Microsoft 365 and receives with Microsoft 365', () => {
  function department() {
    const { app, stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
    const host = new TestPolicyHost(stack, 'TLSv1.2_2021');
    const construct = new GovEmailDomain(stack, 'Dept', {
      zone,
      senders: [Sender.amazonSes(), M365, Sender.govUkNotify()],
      dmarc: { reportTo: [DMARC_RUA] },
      tlsReportTo: [TLS_RUA],
      mtaSts: { host },
      additionalApexTxt: ['MS=ms12345678'],
    });
    return { app, stack, zone, host, construct };
  }
  const POLICY = 'version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmax_age: 1209600\r\n';

  test('every record: exact name, type, TTL and value, one record set per name and type', () => {
    // GIVEN a department domain with SES, Microsoft 365 and GOV.UK Notify, MTA-STS and a verification token
    // WHEN it is synthesised
    const { stack } = department();
    const template = lint.template(stack);
    // THEN its own records are exactly these
    const mine = recordSets(template).filter(([name]) => typeof name === 'string' && !name.startsWith('mail.'));
    expect(mine).toEqual([
      ['dept.gov.uk.', 'TXT', '3600', ['"v=spf1 include:spf.protection.outlook.com -all"', '"MS=ms12345678"']],
      ['_dmarc.dept.gov.uk.', 'TXT', '3600', [`"v=DMARC1; p=reject; sp=reject; np=reject; adkim=r; aspf=r; fo=1; rua=${DMARC_RUA}"`]],
      ['dept.gov.uk.', 'MX', '3600', [`0 ${M365_MX}.`]],
      ['_smtp._tls.dept.gov.uk.', 'TXT', '3600', [`"v=TLSRPTv1; rua=${TLS_RUA}"`]],
      ['selector1._domainkey.dept.gov.uk.', 'CNAME', '3600', ['selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com']],
      ['selector2._domainkey.dept.gov.uk.', 'CNAME', '3600', ['selector2-dept-gov-uk._domainkey.dept.onmicrosoft.com']],
      ['_mta-sts.dept.gov.uk.', 'TXT', '3600', [`"v=STSv1; id=${MtaSts.policyId(POLICY)}"`]],
    ]);
    // AND the SES identity is the SesSendingIdentity child, with its MAIL FROM records at mail.dept.gov.uk
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'dept.gov.uk', MailFromAttributes: { MailFromDomain: 'mail.dept.gov.uk', BehaviorOnMxFailure: 'REJECT_MESSAGE' } });
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    expect(recordSets(template).filter(([name]) => name === 'mail.dept.gov.uk.').map(([, type]) => type)).toEqual(['MX', 'TXT']);
    // AND the logical ids are the construct ids under Dept
    const ids = Object.keys(template.findResources('AWS::Route53::RecordSet'));
    expect(ids.filter((id) => !id.startsWith('DeptSes')).map((id) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'DeptSpf', 'DeptDmarc', 'DeptMx', 'DeptTlsRpt', 'DeptDkimselector1', 'DeptDkimselector2', 'DeptMtaSts',
    ]);
  });

  test('MTA-STS: the policy is registered with the host, its id is the hash of the body, and the record waits for the body to be served', () => {
    // GIVEN / WHEN the department is synthesised
    const { stack, host, construct, zone } = department();
    const template = lint.template(stack);
    // THEN the host was asked to serve exactly this body for dept.gov.uk
    expect(host.registered).toEqual([{ domainName: 'dept.gov.uk', zone, policy: POLICY, policyId: MtaSts.policyId(POLICY) }]);
    expect(construct.mtaStsPolicy).toBe(POLICY);
    // AND the _mta-sts record depends on what serves it (RFC 8461 §8.1)
    const [id] = Object.entries(template.findResources('AWS::Route53::RecordSet')).find(([, r]) => r.Properties.Name === '_mta-sts.dept.gov.uk.')!;
    expect(template.toJSON().Resources[id].DependsOn).toEqual(['Policy1']);
  });

  test('the posture the profile evaluated is what is published, and the profile finds nothing to warn about', () => {
    // GIVEN / WHEN the department is synthesised
    const { stack, construct } = department();
    lint.template(stack);
    // THEN the posture holds every record as published
    expect(construct.posture).toEqual({
      domainName: 'dept.gov.uk',
      sendsMail: true,
      receivesMail: true,
      parked: false,
      apexTxt: ['v=spf1 include:spf.protection.outlook.com -all', 'MS=ms12345678'],
      spfIncludeCosts: [{ domain: 'spf.protection.outlook.com', lookups: 1 }],
      mx: [`0 ${M365_MX}.`],
      dmarc: [`v=DMARC1; p=reject; sp=reject; np=reject; adkim=r; aspf=r; fo=1; rua=${DMARC_RUA}`],
      tlsRpt: [`v=TLSRPTv1; rua=${TLS_RUA}`],
      mtaStsTxt: [`v=STSv1; id=${MtaSts.policyId(POLICY)}`],
      mtaStsPolicy: POLICY,
      dkimDelegated: [
        { selector: 'selector1', target: 'selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com' },
        { selector: 'selector2', target: 'selector2-dept-gov-uk._domainkey.dept.onmicrosoft.com' },
      ],
      sesTlsRequired: true,
      policyHostMinimumTls: 'TLSv1.2_2021',
    });
    // AND the CLI's evaluation of that posture has no error or warning: only notes
    expect(GovUkProfile.evaluate(construct.posture).filter((f) => f.severity !== Severity.INFO)).toEqual([]);
    expect(warningIds(stack, { withPath: true })).toEqual([]);
    expect(infoIds(stack, { withPath: true })).toEqual([
      '/Test/Dept DKIM-DELEGATED',
      '/Test/Dept DKIM-DELEGATED',
      '/Test/Dept MTASTS-POLICY-MX-WILDCARD',
      '/Test/Dept GOVUK-MTASTS-WILDCARD-MX',
    ]);
  });

  test('the Microsoft 365 DKIM CNAMEs are DKIM-DELEGATED info notes naming each record and its target, never GOVUK-NOT-EVALUATED', () => {
    // GIVEN / WHEN the department (SES and Microsoft 365) is synthesised
    const { stack } = department();
    // THEN each CNAME to the tenant's key is an info note that names it and points at gov-email check
    const notes = Annotations.fromStack(stack).findInfo('/Test/Dept', Match.stringLikeRegexp('DKIM-DELEGATED')).map((m) => m.entry.data);
    expect(notes).toEqual(['selector1', 'selector2'].map((s) => `[cdk-gov-email:DKIM-DELEGATED] ${s}._domainkey.dept.gov.uk → ${s}-dept-gov-uk._domainkey.dept.onmicrosoft.com: `
      + 'a CNAME to the provider\'s DKIM key, which it publishes and rotates there (its documented design), so the key is not evaluated here; `gov-email check dept.gov.uk` verifies it live.'));
    expect(warningIds(stack)).not.toContain('GOVUK-NOT-EVALUATED');
  });

  test('a DKIM CNAME target known only at deployment is GOVUK-NOT-EVALUATED, not DKIM-DELEGATED', () => {
    // GIVEN / WHEN Microsoft 365 targets imported from another stack
    const { stack } = domain({ senders: [Sender.microsoft365({ dkimTargets: [Fn.importValue('Target1'), Fn.importValue('Target2')] })] });
    // THEN the targets are reported as not evaluated, and no delegation is claimed
    expect(warningIds(stack)).toContain('GOVUK-NOT-EVALUATED');
    expect(infoIds(stack)).not.toContain('DKIM-DELEGATED');
  });
});

describe('GovEmailDomain: other shapes of domain', () => {
  test('a sending-only subdomain with SES: SPF, DMARC and the identity; no MX, TLS-RPT or MTA-STS, and no warning', () => {
    // GIVEN the zone dept.gov.uk
    const { stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
    // WHEN notify.dept.gov.uk sends through SES only
    const construct = new GovEmailDomain(stack, 'Notify', {
      zone, domainName: 'notify.dept.gov.uk', senders: [Sender.amazonSes({ mailFromSubdomain: 'bounce' })], dmarc: { reportTo: [DMARC_RUA] },
    });
    const template = lint.template(stack);
    // THEN its records are at the subdomain, and SES's MAIL FROM at bounce.notify.dept.gov.uk
    expect(recordSets(template).filter(([name]) => typeof name === 'string')).toEqual([
      ['notify.dept.gov.uk.', 'TXT', '3600', ['"v=spf1 -all"']],
      ['_dmarc.notify.dept.gov.uk.', 'TXT', '3600', [`"v=DMARC1; p=reject; sp=reject; np=reject; adkim=r; aspf=r; fo=1; rua=${DMARC_RUA}"`]],
      ['bounce.notify.dept.gov.uk.', 'MX', '3600', ['10 feedback-smtp.eu-west-2.amazonses.com.']],
      ['bounce.notify.dept.gov.uk.', 'TXT', '3600', ['"v=spf1 include:amazonses.com -all"']],
    ]);
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'notify.dept.gov.uk' });
    expect(construct.mx).toBeUndefined();
    expect(construct.tlsRpt).toBeUndefined();
    expect(construct.mtaStsRecord).toBeUndefined();
    // AND it is evaluated as a sending domain whose DKIM keys SES holds: nothing to warn about
    expect(construct.posture.sendsMail).toBe(true);
    expect(construct.posture.receivesMail).toBe(false);
    expect(warningIds(stack, { withPath: true })).toEqual([]);
  });

  test('a domain that receives mail without MTA-STS fails synth, naming what to give', () => {
    // GIVEN / WHEN Microsoft 365 receives the domain's mail, and neither a policy host nor the opt-out is given
    const { app } = domain({ allowMissingMtaSts: undefined });
    // THEN synth fails with the profile's rule, the path, and the two ways out
    expect(() => app.synth()).toThrow(new RegExp('\\[Test/Dept\\] \\[GOVUK-MTASTS-MISSING\\] dept\\.gov\\.uk receives mail but publishes no MTA-STS record at _mta-sts\\.dept\\.gov\\.uk, so senders cannot insist on TLS\\. '
      + 'Got: no mtaSts\\. Allowed: mtaSts: \\{ host \\} \\(an MtaStsPolicyHost in a us-east-1 stack\\), or allowMissingMtaSts: true'));
  });

  test('allowMissingMtaSts accepts a receiving domain without MTA-STS: the profile\'s GOVUK-MTASTS-MISSING is a warning, once', () => {
    // GIVEN / WHEN Microsoft 365 receives the domain's mail, no policy host, and the opt-out
    const { stack } = domain({ allowMissingMtaSts: true });
    lint.template(stack);
    // THEN one warning says so, and why it is not an error
    expect(warningIds(stack, { withPath: true })).toEqual(['/Test/Dept GOVUK-MTASTS-MISSING']);
    Annotations.fromStack(stack).hasWarning('/Test/Dept', Match.stringLikeRegexp(
      '^dept\\.gov\\.uk receives mail but publishes no MTA-STS record at _mta-sts\\.dept\\.gov\\.uk, so senders cannot insist on TLS\\. Accepted as a warning: allowMissingMtaSts is set; .*\\[ack: cdk-gov-email:GOVUK-MTASTS-MISSING\\]$'));
  });

  test('a zone whose name is a token, or not known at all, with the domain name given: fully qualified names', () => {
    // GIVEN a zone imported with a token name, and one imported by id only
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const tokenZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'TokenZone', { hostedZoneId: ZONE_ID, zoneName: Fn.importValue('ZoneName') });
    const idZone = route53.HostedZone.fromHostedZoneId(stack, 'IdZone', 'Z9999999999999999999');
    // WHEN a domain is built in each, with its name given
    new GovEmailDomain(stack, 'Dept', { zone: tokenZone, domainName: 'dept.gov.uk', senders: [M365], dmarc: { reportTo: [DMARC_RUA] }, tlsReportTo: [TLS_RUA], allowMissingMtaSts: true });
    new GovEmailDomain(stack, 'Other', { zone: idZone, domainName: 'other.gov.uk', senders: [], dmarc: { reportTo: ['mailto:dmarc@other.gov.uk'] } });
    // THEN every record is at the fully qualified name given
    expect(recordSets(lint.template(stack)).map(([name, type]) => `${type} ${name}`)).toEqual([
      'TXT dept.gov.uk.', 'TXT _dmarc.dept.gov.uk.', 'MX dept.gov.uk.', 'TXT _smtp._tls.dept.gov.uk.',
      'CNAME selector1._domainkey.dept.gov.uk.', 'CNAME selector2._domainkey.dept.gov.uk.',
      'TXT other.gov.uk.', 'TXT _dmarc.other.gov.uk.',
    ]);
  });

  test('Google Workspace\'s legacy MX hosts: one MX record set, and a policy that covers them all', () => {
    // GIVEN / WHEN Google Workspace with the legacy five hosts and MTA-STS
    const { stack, construct } = domain({ senders: [Sender.googleWorkspace({ legacyMx: true })] }, (s) => new TestPolicyHost(s));
    const template = lint.template(stack);
    // THEN one MX record set holds the five hosts
    expect(recordSets(template).filter(([, type]) => type === 'MX')).toEqual([['dept.gov.uk.', 'MX', '3600', [
      '1 aspmx.l.google.com.', '5 alt1.aspmx.l.google.com.', '5 alt2.aspmx.l.google.com.', '10 alt3.aspmx.l.google.com.', '10 alt4.aspmx.l.google.com.',
    ]]]);
    // AND the policy lists the apex host and the wildcard, since *. covers one label only
    expect(construct.mtaStsPolicy).toBe('version: STSv1\r\nmode: enforce\r\nmx: aspmx.l.google.com\r\nmx: *.aspmx.l.google.com\r\nmax_age: 1209600\r\n');
    // AND security.gov.uk's advice against wildcards is a warning (Google documents no wildcard),
    // as is the missing DKIM key (Google does not publish it: it must be given from the Admin console)
    expect(warningIds(stack, { withPath: true })).toEqual(['/Test/Dept GOVUK-DKIM-MISSING', '/Test/Dept GOVUK-MTASTS-WILDCARD-MX']);
  });

  test('MTA-STS in testing mode, and enforce with a short max_age, raise the profile\'s warnings', () => {
    // GIVEN / WHEN testing mode with a max_age of one day
    const testing = mtaStsDomain({ mode: MtaStsMode.TESTING, maxAge: Duration.days(1) });
    lint.template(testing.stack);
    // THEN GOVUK-MTASTS-MODE, and max_age of a day is enough for testing
    expect(warningIds(testing.stack, { withPath: true })).toEqual(['/Test/Dept GOVUK-MTASTS-MODE']);

    // GIVEN / WHEN enforce with a max_age of one day
    const short = mtaStsDomain({ maxAge: Duration.days(1) });
    lint.template(short.stack);
    // THEN GOVUK-MTASTS-MAX-AGE
    expect(warningIds(short.stack, { withPath: true })).toEqual(['/Test/Dept GOVUK-MTASTS-MAX-AGE']);
    expect(short.construct.mtaStsPolicy).toContain('max_age: 86400\r\n');
  });

  test('a policy host that allows TLS 1.0 fails synth with GOVUK-POLICY-HOST-TLS', () => {
    // GIVEN / WHEN the host's minimum protocol is TLSv1_2016
    const { app } = domain({}, (s) => new TestPolicyHost(s, 'TLSv1_2016'));
    // THEN synth fails with the profile's rule
    expect(() => app.synth()).toThrow(
      '[Test/Dept] [GOVUK-POLICY-HOST-TLS] The MTA-STS policy host for dept.gov.uk allows "TLSv1_2016"; use TLSv1.2_2021 or newer.');
  });

  test('DMARC monitoring only, accepted explicitly: the profile\'s errors are warnings on the domain, once', () => {
    // GIVEN / WHEN p=none with allowMonitoringOnly
    const { stack } = domain({ dmarc: { reportTo: [DMARC_RUA], policy: DmarcPolicy.NONE, allowMonitoringOnly: true } }, (s) => new TestPolicyHost(s));
    lint.template(stack);
    // THEN the profile's p and sp findings are warnings on the domain, and nothing on the DMARC child
    expect(warningIds(stack, { withPath: true })).toEqual(['/Test/Dept GOVUK-DMARC-POLICY', '/Test/Dept GOVUK-DMARC-SUBDOMAIN-POLICY']);
  });

  test('each finding is reported once: explicit choices on the child that made them, the profile\'s on the domain', () => {
    // GIVEN ~all, p=quarantine and two TLS-RPT destinations
    const { stack } = domain({
      spf: { allQualifier: SpfQualifier.SOFTFAIL },
      dmarc: { reportTo: [DMARC_RUA], policy: DmarcPolicy.QUARANTINE },
      tlsReportTo: [TLS_RUA, 'https://reports.dept.gov.uk/tls'],
    }, (s) => new TestPolicyHost(s));
    // WHEN it is synthesised
    lint.template(stack);
    // THEN each warning appears once, where it belongs
    expect(warningIds(stack, { withPath: true }).sort()).toEqual([
      '/Test/Dept GOVUK-TLSRPT-RUA-COUNT',
      '/Test/Dept/Dmarc GOVUK-DMARC-POLICY',
      '/Test/Dept/Dmarc GOVUK-DMARC-SUBDOMAIN-POLICY',
      '/Test/Dept/Spf GOVUK-SPF-ALL',
    ]);
  });

  test('an apex TXT value that is a token: published as one string, and not evaluated, once', () => {
    // GIVEN / WHEN a verification token imported from another stack
    const { stack, construct } = domain({ additionalApexTxt: [Fn.importValue('Verification')] }, (s) => new TestPolicyHost(s));
    const template = lint.template(stack);
    // THEN it is in the apex TXT record set
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'dept.gov.uk.',
      Type: 'TXT',
      ResourceRecords: ['"v=spf1 include:spf.protection.outlook.com -all"', { 'Fn::Join': ['', ['"', { 'Fn::ImportValue': 'Verification' }, '"']] }],
    });
    // AND one warning, on the domain, says it was not evaluated
    expect(construct.posture.unresolved).toEqual(['apexTxt']);
    expect(warningIds(stack, { withPath: true })).toEqual(['/Test/Dept GOVUK-NOT-EVALUATED']);
  });

  test('report addresses known only at deployment: DMARC and TLS-RPT are left out of the posture and noted, once each', () => {
    // GIVEN / WHEN both report addresses are imported from another stack
    const { stack, construct } = domain({ dmarc: { reportTo: [Fn.importValue('DmarcReports')] }, tlsReportTo: [Fn.importValue('TlsReports')] },
      (s) => new TestPolicyHost(s));
    lint.template(stack);
    // THEN the profile did not judge them, and says so on the domain only
    expect(construct.posture.dmarc).toBeUndefined();
    expect(construct.posture.tlsRpt).toBeUndefined();
    expect(construct.posture.unresolved).toEqual(['dmarc', 'tlsRpt']);
    expect(warningIds(stack, { withPath: true })).toEqual(['/Test/Dept GOVUK-NOT-EVALUATED', '/Test/Dept GOVUK-NOT-EVALUATED']);
  });

  test('a custom sender\'s TXT key is checked by the domain\'s evaluation: under 2048 bits warns, once', () => {
    // GIVEN a relay that signs with a 1024-bit key
    const key = 'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC2FvPnmQntnKqzKhdDEblOc4Mc7FCjaRQzKLOWBcjx8ThF3IUha8tI0ZNEjAXsPSANNO/+0/nzvi8ZMuztHo6mxTqejjDfK+SlPOWP53ICBkx8vi+mv+HM+v9p8fjg+eK9EaxwYZDZMhdi+jyqerP4YO0zgV1JLqCMuNB2zeFlxQIDAQAB';
    const relay = Sender.custom({ name: 'Relay', spfMechanisms: ['ip4:192.0.2.0/24'], dkim: [{ selector: 'relay', recordType: DkimRecordType.TXT, value: key }] });
    // WHEN it is a sender of the domain
    const { stack, construct } = domain({ senders: [M365, relay] }, (s) => new TestPolicyHost(s));
    lint.template(stack);
    // THEN the key is in the posture and its warning is reported once, on the domain
    expect(construct.posture.dkim).toEqual([{ selector: 'relay', values: [key], expectedToSign: true }]);
    expect(warningIds(stack, { withPath: true })).toEqual(['/Test/Dept DKIM-RSA-KEY-UNDER-2048']);
  });

  test('more than 10 SPF lookups fails synth once, on the domain', () => {
    // GIVEN senders whose includes cost 11 lookups
    const relay = Sender.custom({ name: 'Relay', spfIncludes: [{ domain: '_spf.relay.example', lookups: 4 }] });
    // WHEN the domain is synthesised
    const { app } = domain({ senders: [M365, Sender.googleWorkspace(), relay], tlsReportTo: [TLS_RUA] }, (s) => new TestPolicyHost(s));
    // THEN one error, from the domain's evaluation
    const message = thrownBy(() => app.synth());
    expect(message).toContain('[Test/Dept] [SPF-LOOKUP-LIMIT] Evaluating the record takes 11 DNS lookups; the limit is 10. Lookups by term, nested includes counted: include:spf.protection.outlook.com (2), include:_spf.google.com (4), include:_spf.relay.example (5). (RFC 7208 §4.6.4)');
    expect(message.match(/SPF-LOOKUP-LIMIT/g)).toHaveLength(1);
  });

  test('a record of the domain also published by another construct fails synth, naming both paths', () => {
    // GIVEN a department domain
    const { app, stack, zone } = domain({}, (s) => new TestPolicyHost(s));
    // WHEN another construct publishes TXT at its apex
    new SpfRecord(stack, 'Other', { zone });
    // THEN synth fails, naming the domain's SPF child and the other construct
    expect(() => app.synth()).toThrow('[Test/Other] [ROUTE53-RECORD-CONFLICT] TXT "dept.gov.uk" in one hosted zone is published by both Test/Other and Test/Dept/Spf.');
  });

  test('the apex and a subdomain as two domains in one zone do not conflict', () => {
    // GIVEN a department domain at the apex
    const { stack, zone } = domain({}, (s) => new TestPolicyHost(s));
    // WHEN a sending subdomain is added in the same zone
    new GovEmailDomain(stack, 'Notify', { zone, domainName: 'notify.dept.gov.uk', senders: [Sender.amazonSes()], dmarc: { reportTo: [DMARC_RUA] } });
    // THEN it synthesises
    expect(() => lint.template(stack)).not.toThrow();
  });
});

describe('GovEmailDomain: bad input fails synth', () => {
  const P = 'Test/Dept';
  const host = () => new TestPolicyHost(new Stack(new App(), 'Hosts'));
  const MAX_AGE_ALLOWED = 'Allowed: a whole number of seconds from 0 to 31557600 (a year) known at synth; GOV.UK asks for at least 1209600 (2 weeks) in enforce mode.';
  test.each<[string, () => Partial<GovEmailDomainProps>, string]>([
    ['a receiving domain without TLS-RPT', () => ({ tlsReportTo: undefined }),
      `${P}: [GOVUK-TLSRPT-MISSING] A domain that receives mail publishes TLS-RPT at _smtp._tls.<domain>. Got: undefined. Allowed: tlsReportTo with one mailto: or https: URI, for example ["mailto:tls-reports@dept.gov.uk"]: the domain receives mail (MX ${M365_MX}).`],
    ['two SES senders', () => ({ senders: [Sender.amazonSes(), Sender.amazonSes({ mailFromSubdomain: 'bounce' })] }),
      `${P}: [ROUTE53-RECORD-CONFLICT] One construct publishes each name and type in a hosted zone: Route 53 holds one record set per name and type, and a CNAME alone at its name. Got: ["Amazon SES","Amazon SES"]. Allowed: one Sender.amazonSes(): a domain has one SES identity, with one set of DKIM and MAIL FROM records.`],
    ['an MTA-STS max_age over a year', () => ({ mtaSts: { host: host(), maxAge: Duration.days(366) } }),
      `${P}: [MTASTS-POLICY-MAX-AGE] A policy has a "max_age" line whose value is a whole number of seconds, 0 to 31557600, of at most 10 digits. Got: "Duration.days(366)". ${MAX_AGE_ALLOWED}`],
    ['an MTA-STS max_age that is not whole seconds', () => ({ mtaSts: { host: host(), maxAge: Duration.millis(1500) } }),
      `${P}: [MTASTS-POLICY-MAX-AGE] A policy has a "max_age" line whose value is a whole number of seconds, 0 to 31557600, of at most 10 digits. Got: "Duration.millis(1500)". ${MAX_AGE_ALLOWED}`],
    ['an MTA-STS mode that is not one', () => ({ mtaSts: { host: host(), mode: 'strict' as MtaStsMode } }),
      `${P}: [MTASTS-POLICY-MODE] A policy has a "mode" line whose value is "enforce", "testing" or "none" (case-sensitive). Got: "strict". Allowed: MtaStsMode.ENFORCE, MtaStsMode.TESTING or MtaStsMode.NONE.`],
    ['an mx pattern with a wildcard inside', () => ({ mtaSts: { host: host(), additionalMx: ['mail.*.dept.gov.uk'] } }),
      `${P}: [MTASTS-POLICY-MX-SYNTAX] An "mx" pattern is a host name in A-label (ASCII) form, optionally preceded by "*." as its whole leftmost label; no other "*", no empty label, no trailing dot. Got: ["*.mail.protection.outlook.com","mail.*.dept.gov.uk"]. Allowed: mx patterns that are host names, or "*." and a host name, one at least unless the mode is none (Invalid mx pattern "mail.*.dept.gov.uk": a "*" is allowed only as the whole leftmost label, followed by ".".).`],
    ['an mx pattern known only at deployment', () => ({ mtaSts: { host: host(), additionalMx: [Fn.importValue('MxHost')] } }),
      `${P}: [MTASTS-POLICY-MX-SYNTAX] An "mx" pattern is a host name in A-label (ASCII) form, optionally preceded by "*." as its whole leftmost label; no other "*", no empty label, no trailing dot. Got: "\${Token[TOKEN.000]}". Allowed: an mx pattern known at synth: the policy id is a hash of the policy body.`],
    ['an MX host the policy does not cover', () => ({
      senders: [Sender.custom({ name: 'Gateway', mx: [{ preference: 10, exchange: 'mx.gateway.example' }], mtaStsMx: ['*.mx.gateway.example'] })],
      mtaSts: { host: host() },
    }),
    `${P}: [MTASTS-MX-NOT-COVERED] Every MX host of the domain matches an "mx" pattern of an enforce or testing policy; senders refuse (enforce) or report (testing) delivery to a host that does not. Got: ["mx.gateway.example"]. Allowed: mx patterns that cover every MX host the domain publishes: add the hosts (or a pattern matching them) to mtaSts.additionalMx; the patterns now are ["*.mx.gateway.example"].`],
    ['MTA-STS for a domain with no MX', () => ({ senders: [Sender.amazonSes()], mtaSts: { host: host() } }),
      `${P}: [MTASTS-POLICY-MX-MISSING] A policy whose mode is not "none" lists at least one "mx" pattern. Got: []. Allowed: mx patterns that are host names, or "*." and a host name, one at least unless the mode is none (A policy in mode "enforce" must list at least one "mx" pattern; got none.).`],
    ['an MX that is an IP address', () => ({ senders: [Sender.custom({ name: 'Box', mx: [{ preference: 10, exchange: '192.0.2.25' }] })] }),
      `${P}: [MX-EXCHANGE-IP] An MX exchange is a host name, never an IP address. Got: ["10 192.0.2.25"]. Allowed: MX records of host names with preferences 0 to 65535 (The exchange must be a host name, not an IP address; got "192.0.2.25".).`],
    ['an MX preference out of range', () => ({ senders: [Sender.custom({ name: 'Box', mx: [{ preference: 70000, exchange: 'mx.box.example' }] })] }),
      `${P}: [MX-PREFERENCE] An MX preference is a whole number from 0 to 65535. Got: ["70000 mx.box.example"]. Allowed: MX records of host names with preferences 0 to 65535 (The preference must be a whole number from 0 to 65535; got 70000.).`],
    ['an SPF record among the apex values', () => ({ additionalApexTxt: ['v=spf1 include:_spf.google.com -all'] }),
      `${P}/Spf: [SPF-MULTIPLE-RECORDS] A name publishes at most one SPF record; with more, every receiver returns permerror. Got: "v=spf1 include:_spf.google.com -all". Allowed: TXT values other than SPF: the SPF record is built from senders and additionalMechanisms, and two SPF records make every receiver return permerror.`],
    ['?all', () => ({ spf: { allQualifier: SpfQualifier.NEUTRAL } }),
      `${P}/Spf: [GOVUK-SPF-ALL] SPF ends with ~all or -all: never +all, ?all, or no all at all. Got: "?all". Allowed: SpfQualifier.FAIL ("-all", the default) or SpfQualifier.SOFTFAIL ("~all").`],
    ['no DMARC report address', () => ({ dmarc: { reportTo: [] } }),
      `${P}/Dmarc: [GOVUK-DMARC-RUA-MISSING] DMARC aggregate reports are requested (rua) so the department sees who sends as its domains. Got: []. Allowed: one or two mailto: URIs, for example ["mailto:dmarc-reports@dept.gov.uk"].`],
    ['an SES region other than the stack\'s', () => ({ senders: [Sender.amazonSes({ region: 'eu-west-1' })] }),
      `${P}: [SES-REGION] An SES identity is created in the region of the stack that holds it, and its MAIL FROM MX host names that region: a region given to Sender.amazonSes() is the stack's. Got: "eu-west-1". Allowed: "eu-west-2", the region of the stack Test that creates the identity, or no region; to send from eu-west-1, put the domain in a stack in eu-west-1.`],
    ['a MAIL FROM subdomain that is not DNS labels', () => ({ senders: [M365, Sender.amazonSes({ mailFromSubdomain: 'mail_from' })] }),
      `${P}: [SES-MAIL-FROM-DOMAIN] The custom MAIL FROM domain is a subdomain of the identity (one or more labels under it) that is not itself used to send mail or to receive mail. Got: "mail_from". Allowed: a Sender.amazonSes() mailFromSubdomain of one or more labels of letters, digits and inner hyphens under the sending domain, such as "mail" or "bounce.mail" (senders[1], Amazon SES).`],
    ['an SES region that is not a region', () => ({ senders: [Sender.amazonSes({ region: 'london' })] }),
      `${P}: [SES-REGION] An SES identity is created in an AWS region, named like eu-west-2, and its MAIL FROM MX host names that region. Got: "london". Allowed: a Sender.amazonSes() region that is an AWS region name such as eu-west-2 (the stack's region), or no region (senders[0], Amazon SES).`],
    ['one Microsoft 365 DKIM target', () => ({ senders: [Sender.microsoft365({ dkimTargets: ['selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com'] })] }),
      `${P}: [SENDER-DKIM-TARGETS] Microsoft 365 signs with selector1 and selector2: its DKIM CNAMEs need exactly two targets (selector1's, then selector2's), or the tenant's initial domain to derive them from. Got: ["selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com"]. Allowed: Sender.microsoft365() dkimTargets holding exactly 2 targets, selector1's then selector2's, as the Microsoft Defender portal shows them (senders[0], Microsoft 365).`],
    ['Microsoft 365 without DKIM targets or initial domain', () => ({ senders: [Sender.microsoft365({})] }),
      `${P}: [SENDER-DKIM-TARGETS] Microsoft 365 signs with selector1 and selector2: its DKIM CNAMEs need exactly two targets (selector1's, then selector2's), or the tenant's initial domain to derive them from. Got: "neither dkimTargets nor initialDomain". Allowed: Sender.microsoft365() with dkimTargets (from the Microsoft Defender portal) or initialDomain (such as dept.onmicrosoft.com), so the DKIM CNAMEs can be published (senders[0], Microsoft 365).`],
    ['a single-label Microsoft 365 initial domain', () => ({ senders: [Sender.microsoft365({ initialDomain: 'dept' })] }),
      `${P}: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. Got: "dept". Allowed: a Sender.microsoft365() initialDomain that is the tenant's initial domain name, such as dept.onmicrosoft.com (senders[0], Microsoft 365).`],
    ['a custom sender without a name', () => ({ senders: [M365, Sender.custom({ name: '' })] }),
      `${P}: [SENDER-NAME] A custom sender has a name, used in messages: at least one character that is not a space. Got: "". Allowed: a Sender.custom() name such as "Payroll relay" (senders[1]).`],
    ['a custom include with a negative lookup cost', () => ({ senders: [M365, Sender.custom({ name: 'Relay', spfIncludes: [{ domain: 'spf.relay.example', lookups: -1 }] })] }),
      `${P}: [SENDER-SPF-INCLUDE-COST] The lookup cost of an SPF include (the DNS-querying terms its target's record adds, and its void lookups) is a whole number, 0 or more. Got: -1. Allowed: a whole number, 0 or more, as Sender.custom() spfIncludes[0].lookups (spf.relay.example): the DNS-querying terms that include's own record makes, for example 0 for a record of ip4: terms only (senders[1], Relay).`],
    ['a custom include with a fractional lookup cost', () => ({ senders: [M365, Sender.custom({ name: 'Relay', spfIncludes: [{ domain: 'spf.relay.example', lookups: 0.5 }] })] }),
      `${P}: [SENDER-SPF-INCLUDE-COST] The lookup cost of an SPF include (the DNS-querying terms its target's record adds, and its void lookups) is a whole number, 0 or more. Got: 0.5. Allowed: a whole number, 0 or more, as Sender.custom() spfIncludes[0].lookups (spf.relay.example): the DNS-querying terms that include's own record makes, for example 0 for a record of ip4: terms only (senders[1], Relay).`],
    ['an additional include with a negative lookup cost', () => ({ spf: { additionalMechanisms: ['include:spf.relay.example'], additionalIncludeCosts: [{ domain: 'spf.relay.example', lookups: -3 }] } }),
      `${P}: [SENDER-SPF-INCLUDE-COST] The lookup cost of an SPF include (the DNS-querying terms its target's record adds, and its void lookups) is a whole number, 0 or more. Got: -3. Allowed: a whole number, 0 or more, as spf.additionalIncludeCosts[0].lookups (spf.relay.example): the DNS-querying terms that include's own record makes, for example 0 for a record of ip4: terms only.`],
    ['a configuration set name CloudFormation rejects', () => ({ senders: [M365, Sender.amazonSes()], ses: { configurationSetName: 'dept.gov.uk tls' } }),
      `${P}/Ses: [SES-CONFIGURATION-SET-NAME] A configuration set name is 1 to 64 letters, digits, underscores and hyphens. Got: "dept.gov.uk tls". Allowed: 1 to 64 letters, digits, underscores and hyphens, such as "dept-gov-uk-tls-required" (this one has 15 characters).`],
    ['a configuration set name over 64 characters', () => ({ senders: [M365, Sender.amazonSes()], ses: { configurationSetName: 'c'.repeat(65) } }),
      `${P}/Ses: [SES-CONFIGURATION-SET-NAME] A configuration set name is 1 to 64 letters, digits, underscores and hyphens. Got: "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc". Allowed: 1 to 64 letters, digits, underscores and hyphens, such as "dept-gov-uk-tls-required" (this one has 65 characters).`],
    ['a domain outside the zone', () => ({ domainName: 'dept.gov.uk.example' }),
      `${P}: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone's own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "dept.gov.uk.example". Allowed: "dept.gov.uk" or a name ending in ".dept.gov.uk".`],
  ])('%s', (_name, props, message) => {
    // GIVEN a zone
    const { stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
    // WHEN a domain is given the bad input
    // THEN construction fails with the path, rule id, value and what is allowed
    expect(thrownBy(() => new GovEmailDomain(stack, 'Dept', {
      zone, senders: [M365], dmarc: { reportTo: [DMARC_RUA] }, tlsReportTo: [TLS_RUA], ...props(),
    })).replace(/TOKEN\.[0-9]+/, 'TOKEN.000')).toBe(message);
  });

  test('sender options within the rules (SES-MAIL-FROM-DOMAIN, SES-REGION, SENDER-DKIM-TARGETS, DNS-NAME-SYNTAX, SENDER-NAME, SENDER-SPF-INCLUDE-COST, SES-CONFIGURATION-SET-NAME) synthesise', () => {
    // GIVEN a zone
    const { stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
    // WHEN every sender option is at the edge of what its rule allows
    new GovEmailDomain(stack, 'Dept', {
      zone,
      senders: [
        Sender.amazonSes({ region: 'eu-west-2', mailFromSubdomain: 'bounce.mail' }),
        Sender.microsoft365({ dkimTargets: ['selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com', 'selector2-dept-gov-uk._domainkey.dept.onmicrosoft.com'] }),
        Sender.custom({ name: 'R', spfIncludes: [{ domain: 'spf.relay.example', lookups: 0, voidLookups: 0 }] }),
      ],
      dmarc: { reportTo: [DMARC_RUA] },
      tlsReportTo: [TLS_RUA],
      allowMissingMtaSts: true,
      spf: { additionalMechanisms: ['include:spf.other.example'], additionalIncludeCosts: [{ domain: 'spf.other.example', lookups: 2 }] },
      ses: { configurationSetName: `dept_gov-uk${'x'.repeat(53)}` },
    });
    // THEN it synthesises, with the configuration set name as given
    expect(() => lint.template(stack)).not.toThrow();
    const sets = Object.values(lint.template(stack).toJSON().Resources as Record<string, any>).filter((r) => r.Type === 'AWS::SES::ConfigurationSet');
    expect(sets.map((r) => r.Properties.Name)).toEqual([`dept_gov-uk${'x'.repeat(53)}`]);
  });

  test('a zone whose name is a token, with no domain name, fails synth: the domain must be known', () => {
    // GIVEN a zone imported from another stack's exports
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: Fn.importValue('ZoneName') });
    // WHEN a domain is built at its apex
    // THEN the construct asks for the domain name
    expect(thrownBy(() => new GovEmailDomain(stack, 'Dept', { zone, senders: [M365], dmarc: { reportTo: [DMARC_RUA] }, tlsReportTo: [TLS_RUA] }))
      .replace(/TOKEN\.[0-9]+/, 'TOKEN.000')).toBe(
      'Test/Dept: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone\'s own name or a name under it; when the zone was imported without its name, the domain name must be given. Got: "${Token[TOKEN.000]}". Allowed: a domainName known at synth (or a zone whose name is): the senders\' records and the checks are built from it.');
  });
});

/** The scenarios snapshotted, and whose TXT values are read back through the foundation parsers. */
const SCENARIOS: Array<[string, () => Stack]> = [
  ['SES, Microsoft 365 and Notify with MTA-STS', () => domain({
    senders: [Sender.amazonSes(), M365, Sender.govUkNotify()], additionalApexTxt: ['MS=ms12345678'],
  }, (s) => new TestPolicyHost(s, 'TLSv1.2_2021')).stack],
  ['sending-only subdomain with SES', () => {
    const { stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
    new GovEmailDomain(stack, 'Notify', { zone, domainName: 'notify.dept.gov.uk', senders: [Sender.amazonSes()], dmarc: { reportTo: [DMARC_RUA] } });
    return stack;
  }],
  ['Google Workspace with a DKIM key, testing mode, external DMARC reports authorised', () => {
    const { stack, zone } = stackWithZone('dept.gov.uk', { env: ENV });
    const reports = route53.HostedZone.fromHostedZoneAttributes(stack, 'Reports', { hostedZoneId: 'ZREPORTS000000000000', zoneName: 'reports.example' });
    new GovEmailDomain(stack, 'Dept', {
      zone,
      senders: [Sender.googleWorkspace({ dkimRecord: 'v=DKIM1; k=ed25519; p=TcRfKldkjqHOq7qra6P92427YVe5MaQuQjYjl9hBzt4=' })],
      dmarc: { reportTo: [DMARC_RUA, 'mailto:rua@reports.example'], reportAuthorisationZones: [reports] },
      tlsReportTo: [TLS_RUA],
      mtaSts: { host: new TestPolicyHost(stack), mode: MtaStsMode.TESTING, maxAge: Duration.days(7) },
      ses: { tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE },
      ttl: Duration.minutes(30),
    });
    return stack;
  }],
];

describe('GovEmailDomain: snapshots', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN / WHEN the scenario is synthesised
    const template = lint.template(build());
    // THEN the template (and so every logical id) is unchanged
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('GovEmailDomain: every TXT value reads back through the foundation parsers', () => {
  test.each(SCENARIOS)('%s', (_name, build) => {
    // GIVEN the TXT record sets a scenario publishes (values known at synth), as Route 53 holds them
    const sets = recordSets(lint.template(build()))
      .filter(([name, type, , values]) => type === 'TXT' && typeof name === 'string' && (values as unknown[]).every((v) => typeof v === 'string'))
      .map(([name, , , values]) => [String(name), values as string[]] as const);
    expect(sets.length).toBeGreaterThan(1);
    // WHEN each is read back with the parser for its name
    const errors = sets.flatMap(([name, values]) => {
      if (name.startsWith('_dmarc.')) return values.flatMap((v) => Dmarc.check(v, { name }));
      if (name.startsWith('_smtp._tls.')) return TlsRpt.checkRecordSet(values, { name });
      if (name.startsWith('_mta-sts.')) return MtaSts.checkRecordSet(values, { name });
      if (name.includes('._domainkey.')) return values.flatMap((v) => Dkim.check(v, { name }));
      if (name.includes('._report._dmarc.')) return values.every((v) => Dmarc.isDmarc(TxtChunks.parse(v))) ? [] : [{ ruleId: 'NOT-DMARC', severity: Severity.ERROR }];
      return Spf.checkRecordSet(values, { name });
    }).filter((f) => f.severity === Severity.ERROR);
    // THEN nothing is an error
    expect(errors).toEqual([]);
  });
});

describe('GovEmailDomain: the SES region', () => {
  test('Sender.amazonSes() naming the stack\'s region is accepted, and the MAIL FROM MX names it', () => {
    const { stack } = domain({ senders: [Sender.amazonSes({ region: 'eu-west-2' })] });
    const mx = lint.template(stack).findResources('AWS::Route53::RecordSet', { Properties: { Name: 'mail.dept.gov.uk.', Type: 'MX' } });
    expect(JSON.stringify(Object.values(mx))).toContain('10 feedback-smtp.eu-west-2.amazonses.com');
    expect(warningIds(stack, { withPath: true })).toEqual([]);
  });

  test('in a stack without a region the comparison is not made, and a warning says so', () => {
    const stack = new Stack(new App(), 'Test');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: 'dept.gov.uk' });
    new GovEmailDomain(stack, 'Dept', { zone, senders: [Sender.amazonSes({ region: 'eu-west-1' })], dmarc: { reportTo: [DMARC_RUA] } });
    Annotations.fromStack(stack).hasWarning('/Test/Dept', Match.stringLikeRegexp('Sender.amazonSes\\(\\) region eu-west-1 is the stack\'s region \\(SES-REGION;'));
  });
});
