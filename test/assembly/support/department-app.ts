/**
 * A department's email written with plain aws-cdk-lib constructs (not this library's), synthesised
 * into a real cloud assembly for `gov-email review` to read: a zone stack, a mail stack that
 * imports the zone across stacks, an MTA-STS policy host, and a stage holding a nested stack with
 * a parked domain as one `CfnRecordSetGroup`.
 */
import { App, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import { MtaSts } from '../../../src/records/mta-sts';

export const DEPT = 'dept.gov.uk';
export const MX_HOST = 'dept-gov-uk.mail.protection.outlook.com';
export const POLICY = `version: STSv1\r\nmode: enforce\r\nmx: ${MX_HOST}\r\nmax_age: 1209600\r\n`;

export interface DepartmentOptions {
  /** The DMARC record; the default meets the standard. */
  readonly dmarc?: string;
  /** The configuration set's TLS policy. */
  readonly tlsPolicy?: ses.ConfigurationSetTlsPolicy;
}

export const GOOD_DMARC = 'v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@dept.gov.uk';
export const WEAK_DMARC = 'v=DMARC1; p=none; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@dept.gov.uk';

/** Synthesise the department app into `outdir`. */
export function synthDepartment(outdir: string, options: DepartmentOptions = {}): void {
  const app = new App({ outdir });
  const env = { account: '123456789012', region: 'eu-west-2' };

  const dns = new Stack(app, 'DeptDns', { env });
  const zone = new route53.PublicHostedZone(dns, 'Zone', { zoneName: DEPT });
  new route53.TxtRecord(dns, 'Apex', { zone, values: ['v=spf1 include:spf.protection.outlook.com -all', 'MS=ms12345678'] });
  new route53.MxRecord(dns, 'Mx', { zone, values: [{ priority: 0, hostName: MX_HOST }] });
  new route53.TxtRecord(dns, 'Dmarc', { zone, recordName: '_dmarc', values: [options.dmarc ?? GOOD_DMARC] });

  const mail = new Stack(app, 'DeptMail', { env });
  new route53.TxtRecord(mail, 'MtaSts', { zone, recordName: '_mta-sts', values: [`v=STSv1; id=${MtaSts.policyId(POLICY)}`] });
  new route53.TxtRecord(mail, 'TlsRpt', { zone, recordName: '_smtp._tls', values: ['v=TLSRPTv1; rua=mailto:tls-reports@dept.gov.uk'] });
  const configurationSet = new ses.ConfigurationSet(mail, 'RequireTls', { tlsPolicy: options.tlsPolicy ?? ses.ConfigurationSetTlsPolicy.REQUIRE });
  new ses.EmailIdentity(mail, 'Identity', {
    identity: ses.Identity.publicHostedZone(zone),
    configurationSet,
    dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
    mailFromDomain: `bounce.${DEPT}`,
    mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
  });
  const policyFunction = new cloudfront.Function(mail, 'PolicyFunction', {
    code: cloudfront.FunctionCode.fromInline([
      `var POLICIES = { ${JSON.stringify(`mta-sts.${DEPT}`)}: ${JSON.stringify(POLICY)} };`,
      'function handler(event) {',
      '  var body = POLICIES[event.request.headers.host.value];',
      '  if (body === undefined) return { statusCode: 404, statusDescription: "Not Found" };',
      '  return { statusCode: 200, statusDescription: "OK", headers: { "content-type": { value: "text/plain" } }, body: body };',
      '}',
    ].join('\n')),
  });
  const distribution = new cloudfront.Distribution(mail, 'PolicyHost', {
    defaultBehavior: {
      origin: new HttpOrigin('none.invalid'),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      functionAssociations: [{ function: policyFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    },
    domainNames: [`mta-sts.${DEPT}`],
    certificate: Certificate.fromCertificateArn(mail, 'Certificate', 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555'),
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
  });
  new route53.ARecord(mail, 'PolicyHostAlias', { zone, recordName: 'mta-sts', target: route53.RecordTarget.fromAlias(new CloudFrontTarget(distribution)) });

  const prod = new Stage(app, 'Prod');
  const parked = new Stack(prod, 'Parked', { env });
  const records = new NestedStack(parked, 'Records');
  new route53.CfnRecordSetGroup(records, 'OldDept', {
    hostedZoneName: 'old-dept.gov.uk.',
    recordSets: [
      { name: 'old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=spf1 -all"'] },
      { name: 'old-dept.gov.uk.', type: 'MX', ttl: '86400', resourceRecords: ['0 .'] },
      { name: 'old-dept.gov.uk.', type: 'CAA', ttl: '86400', resourceRecords: ['0 issue ";"'] },
      { name: '_dmarc.old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@old-dept.gov.uk"'] },
      { name: '*._domainkey.old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=DKIM1; p="'] },
    ],
  });

  app.synth();
}
