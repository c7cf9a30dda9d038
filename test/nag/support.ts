/**
 * Helpers for the GovEmailChecks tests: a department's email written with plain aws-cdk-lib
 * constructs that meets the standard, each part of which a test can weaken or leave out, and
 * the pack's report flattened to (rule id, resource path, level) rows.
 */
import { App, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import { IConstruct } from 'constructs';
import { GovEmailChecks, GovEmailChecksProps } from '../../src/nag';
import { MtaSts } from '../../src/records/mta-sts';

export const DEPT = 'dept.gov.uk';
export const ENV = { account: '123456789012', region: 'eu-west-2' };
export const MX_HOST = 'dept-gov-uk.mail.protection.outlook.com';
export const SPF = 'v=spf1 include:spf.protection.outlook.com -all';
export const DMARC = 'v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@dept.gov.uk';
export const TLS_RPT = 'v=TLSRPTv1; rua=mailto:tls-reports@dept.gov.uk';
export const policy = (mode: string = 'enforce', maxAge: number = 1209600, mx: string = MX_HOST) =>
  `version: STSv1\r\nmode: ${mode}\r\nmx: ${mx}\r\nmax_age: ${maxAge}\r\n`;
export const POLICY = policy();
export const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

/** What the department publishes; each part can be changed, or left out with `null`. */
export interface DepartmentOptions {
  /** Apex TXT values (SPF and others). */
  readonly apexTxt?: string[] | null;
  readonly mx?: route53.MxRecordValue[] | null;
  readonly dmarc?: string[] | null;
  /** The `_mta-sts` TXT values; by default `v=STSv1; id=<hash of the policy>`. */
  readonly mtaStsTxt?: string[] | null;
  /** The policy body the CloudFront Function serves; `null` leaves out the function and distribution. */
  readonly policy?: string | null;
  readonly minimumProtocolVersion?: cloudfront.SecurityPolicyProtocol;
  readonly tlsRpt?: string[] | null;
  /** Whether to add an SES identity (Easy DKIM, a configuration set as its default). */
  readonly ses?: boolean;
  readonly tlsPolicy?: ses.ConfigurationSetTlsPolicy;
  readonly keyLength?: ses.EasyDkimSigningKeyLength;
}

/** A stack in an app, with the department's public hosted zone. */
export function zoneStack(id: string = 'Dept', app: App = new App()): { app: App; stack: Stack; zone: route53.PublicHostedZone } {
  const stack = new Stack(app, id, { env: ENV });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: DEPT });
  return { app, stack, zone };
}

/**
 * The department's email, to the standard: apex SPF (`Dept/Spf`), MX (`Dept/Mx`), DMARC
 * (`Dept/Dmarc`), MTA-STS record (`Dept/MtaSts`) and policy host (`Dept/PolicyFunction`,
 * `Dept/PolicyHost`), TLS-RPT (`Dept/TlsRpt`), and an SES identity (`Dept/Identity`) with a
 * configuration set requiring TLS (`Dept/RequireTls`).
 */
export function department(options: DepartmentOptions = {}, scope?: { stack: Stack; zone: route53.IHostedZone }): { app: App; stack: Stack } {
  const { app, stack, zone } = scope === undefined ? zoneStack() : { app: scope.stack.node.root as App, ...scope };
  const apexTxt = options.apexTxt === undefined ? [SPF] : options.apexTxt;
  if (apexTxt !== null) new route53.TxtRecord(stack, 'Spf', { zone, values: apexTxt });
  const mx = options.mx === undefined ? [{ priority: 0, hostName: MX_HOST }] : options.mx;
  if (mx !== null) new route53.MxRecord(stack, 'Mx', { zone, values: mx });
  const dmarc = options.dmarc === undefined ? [DMARC] : options.dmarc;
  if (dmarc !== null) new route53.TxtRecord(stack, 'Dmarc', { zone, recordName: '_dmarc', values: dmarc });
  const body = options.policy === undefined ? POLICY : options.policy;
  const mtaStsTxt = options.mtaStsTxt === undefined ? [`v=STSv1; id=${MtaSts.policyId(body ?? POLICY)}`] : options.mtaStsTxt;
  if (mtaStsTxt !== null) new route53.TxtRecord(stack, 'MtaSts', { zone, recordName: '_mta-sts', values: mtaStsTxt });
  if (body !== null) policyHost(stack, zone, body, options.minimumProtocolVersion);
  const tlsRpt = options.tlsRpt === undefined ? [TLS_RPT] : options.tlsRpt;
  if (tlsRpt !== null) new route53.TxtRecord(stack, 'TlsRpt', { zone, recordName: '_smtp._tls', values: tlsRpt });
  if (options.ses ?? true) sesIdentity(stack, zone, options);
  return { app, stack };
}

/**
 * An SES identity for the department's zone (`Identity`: Easy DKIM, MAIL FROM `bounce.dept.gov.uk`
 * rejecting mail when its MX fails) with a configuration set (`RequireTls`) as its default; TLS
 * required and 2048-bit keys unless the options say otherwise.
 */
export function sesIdentity(
  stack: Stack, zone: route53.IPublicHostedZone, options: Pick<DepartmentOptions, 'tlsPolicy' | 'keyLength'> = {},
): ses.EmailIdentity {
  const configurationSet = new ses.ConfigurationSet(stack, 'RequireTls', { tlsPolicy: options.tlsPolicy ?? ses.ConfigurationSetTlsPolicy.REQUIRE });
  return new ses.EmailIdentity(stack, 'Identity', {
    identity: ses.Identity.publicHostedZone(zone),
    configurationSet,
    dkimIdentity: ses.DkimIdentity.easyDkim(options.keyLength ?? ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
    mailFromDomain: `bounce.${DEPT}`,
    mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
  });
}

/** A CloudFront distribution serving `mta-sts.dept.gov.uk` with a CloudFront Function holding the policy. */
export function policyHost(
  stack: Stack, zone: route53.IHostedZone, body: string, minimumProtocolVersion?: cloudfront.SecurityPolicyProtocol,
): cloudfront.Distribution {
  const fn = new cloudfront.Function(stack, 'PolicyFunction', {
    code: cloudfront.FunctionCode.fromInline([
      `var POLICIES = { ${JSON.stringify(`mta-sts.${DEPT}`)}: ${JSON.stringify(body)} };`,
      'function handler(event) {',
      '  var body = POLICIES[event.request.headers.host.value];',
      '  if (body === undefined) return { statusCode: 404, statusDescription: "Not Found" };',
      '  return { statusCode: 200, statusDescription: "OK", headers: { "content-type": { value: "text/plain" } }, body: body };',
      '}',
    ].join('\n')),
  });
  const distribution = new cloudfront.Distribution(stack, 'PolicyHost', {
    defaultBehavior: {
      origin: new HttpOrigin('none.invalid'),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      functionAssociations: [{ function: fn, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    },
    domainNames: [`mta-sts.${DEPT}`],
    certificate: Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
    minimumProtocolVersion: minimumProtocolVersion ?? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
  });
  new route53.ARecord(stack, 'PolicyHostAlias', { zone, recordName: 'mta-sts', target: route53.RecordTarget.fromAlias(new CloudFrontTarget(distribution)) });
  return distribution;
}

/** One reported (rule, resource) pair. */
export interface Row {
  readonly rule: string;
  readonly path: string;
  readonly level: string;
}

/** The report as rows, sorted by rule then path. */
export function rows(report: PolicyValidationPluginReport): Row[] {
  return report.violations
    .flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? `${r.templatePath}#${r.resourceLogicalId}`, level: v.severity ?? '' })))
    .sort((a, b) => a.rule.localeCompare(b.rule) || a.path.localeCompare(b.path));
}

/** Run the pack on a construct tree. */
export function check(scope: IConstruct, props?: GovEmailChecksProps): Row[] {
  return rows(new GovEmailChecks(undefined, props).validateScope(scope));
}

/** `[rule, path, level]` triples, for compact expectations. */
export function triples(list: Row[]): Array<[string, string, string]> {
  return list.map((r) => [r.rule, r.path, r.level]);
}
