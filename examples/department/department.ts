/**
 * The department example: a fictional department, `dept.gov.uk`, that sends mail through
 * Amazon SES and Microsoft 365, reads its mail in Microsoft 365, and owns two old domains that
 * send no mail. Its zones already exist, so they are imported by id and name: no AWS lookups,
 * so `cdk synth` needs no credentials.
 *
 * MTA-STS starts in testing mode: the policy is served by an `MtaStsPolicyHost` (CloudFront) in
 * a us-east-1 stack of the same app, and senders report TLS failures to the TLS-RPT address
 * without refusing delivery. Once the reports are clean, move to enforce (README.md says how).
 */
import { App, Aspects, Duration, IAspect, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import {
  DmarcPolicy, GovEmailDomain, IMtaStsPolicyHost, MtaStsMode, MtaStsPolicyHost, ParkedDomain, ReportInbox, Sender,
} from 'cdk-gov-email';

/** What a reviewer may want to vary when trying the example. */
export interface DepartmentProps extends StackProps {
  /**
   * The DMARC policy of the main domain.
   * @default DmarcPolicy.REJECT
   */
  readonly dmarcPolicy?: DmarcPolicy;

  /**
   * Accept `DmarcPolicy.NONE` (monitoring only) for the main domain: synth then passes with a
   * warning, and `gov-email review` still reports the error.
   * @default false
   */
  readonly allowMonitoringOnly?: boolean;

  /**
   * The MTA-STS mode of the main domain: testing to start, enforce once the TLS reports show
   * every sender reaching the MX hosts over TLS.
   * @default MtaStsMode.TESTING
   */
  readonly mtaStsMode?: MtaStsMode;

  /**
   * The main domain's zone (the domain is its apex). Give your own to deploy the example to a
   * sandbox account (the integ test does).
   * @default DEPT_ZONE (dept.gov.uk, fictional)
   */
  readonly zone?: route53.HostedZoneAttributes;

  /**
   * The zones of the domains that send no mail, each parked at its apex.
   * @default PARKED_ZONES (old-dept.gov.uk and dept-campaign.gov.uk, fictional)
   */
  readonly parkedZones?: route53.HostedZoneAttributes[];

  /**
   * The account both stacks are deployed to.
   * @default DEPARTMENT_ENV.account
   */
  readonly account?: string;
}

/** The department's account and region: eu-west-2 (London). */
export const DEPARTMENT_ENV = { account: '111111111111', region: 'eu-west-2' };

/** The policy host's stack: same account, us-east-1 (CloudFront takes its certificates from there). */
export const POLICY_HOST_ENV = { account: DEPARTMENT_ENV.account, region: 'us-east-1' };

/** The department's zone, created before this app (by the DNS team), imported by id and name. */
export const DEPT_ZONE = { hostedZoneId: 'Z0DEPT00000000000001', zoneName: 'dept.gov.uk' };

/** The department's two old domains that send no mail, each its own zone. */
export const PARKED_ZONES: route53.HostedZoneAttributes[] = [
  { hostedZoneId: 'Z0DEPT00000000000002', zoneName: 'old-dept.gov.uk' },
  { hostedZoneId: 'Z0DEPT00000000000003', zoneName: 'dept-campaign.gov.uk' },
];

/**
 * Why the policy host's distributions keep no access logs: the department's acknowledgement of
 * cdk-nag's AwsSolutions-CFR3, on each distribution.
 */
export const NO_ACCESS_LOGS_REASON = 'The distribution serves only the public MTA-STS policy files: a few lines of static text per domain, '
  + 'the same for every client, nothing secret. Standard logging would add a log bucket (with ACLs enabled, as CloudFront needs) and its '
  + 'costs for no security value: CloudFront\'s standard metrics still show requests and errors, and sending servers report MTA-STS '
  + 'failures by TLS-RPT to the report inbox.';

/**
 * Acknowledges AwsSolutions-CFR3 on each distribution of the policy host, with its reason. An
 * aspect, because the host adds its distributions as domains register (one per 100 domains),
 * after this stack is built; it acknowledges nothing else, and nothing outside the host.
 */
class AcknowledgeNoAccessLogs implements IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof cloudfront.Distribution) {
      Validations.of(node).acknowledge({ id: 'AwsSolutions-CFR3', reason: NO_ACCESS_LOGS_REASON });
    }
  }
}

/** Serves the MTA-STS policy at https://mta-sts.dept.gov.uk/.well-known/mta-sts.txt. */
export class DepartmentPolicyHostStack extends Stack {
  public readonly host: MtaStsPolicyHost;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: POLICY_HOST_ENV, ...props });
    // No access logs (accessLogBucket): the reason is NO_ACCESS_LOGS_REASON.
    this.host = new MtaStsPolicyHost(this, 'MtaSts');
    Aspects.of(this.host).add(new AcknowledgeNoAccessLogs());
  }
}

/** What the mail stack needs besides the reviewer's choices. */
export interface DepartmentMailStackProps extends DepartmentProps {
  /** The host that serves the main domain's MTA-STS policy. */
  readonly policyHost: IMtaStsPolicyHost;
}

/** The department's mail domains, and the inbox that reads their DMARC and TLS reports. */
export class DepartmentMailStack extends Stack {
  public readonly domain: GovEmailDomain;
  public readonly reportInbox: ReportInbox;

  constructor(scope: Construct, id: string, props: DepartmentMailStackProps) {
    const { dmarcPolicy, allowMonitoringOnly, mtaStsMode, policyHost, zone: zoneAttributes, parkedZones, account, ...stackProps } = props;
    super(scope, id, { env: { ...DEPARTMENT_ENV, account: account ?? DEPARTMENT_ENV.account }, ...stackProps });

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', zoneAttributes ?? DEPT_ZONE);
    const parked = (parkedZones ?? PARKED_ZONES);

    // DMARC and TLS reports of every domain go to reports.dept.gov.uk, in this account: SES
    // receives them (TLS required), a parser turns them into rows for Athena, metrics and alarms.
    // The inbox publishes the authorisation each parked domain's reports need (RFC 7489 §7.1),
    // and its own MTA-STS policy, enforced from the start: its one MX host is SES's.
    this.reportInbox = new ReportInbox(this, 'Reports', {
      zone,
      domains: [zone.zoneName, ...parked.map((z) => z.zoneName)],
      mtaSts: { host: policyHost, mode: MtaStsMode.ENFORCE },
    });

    this.domain = new GovEmailDomain(this, 'Dept', {
      zone,
      senders: [
        Sender.amazonSes(),
        Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' }),
        Sender.govUkNotify(),
      ],
      dmarc: {
        policy: dmarcPolicy,
        // Written out, so weakening `policy` weakens only p.
        subdomainPolicy: DmarcPolicy.REJECT,
        allowMonitoringOnly,
        reportTo: [this.reportInbox.dmarcAddress],
      },
      tlsReportTo: [this.reportInbox.tlsReportAddress],
      // Testing first (the GOVUK-MTASTS-MODE warning says so until it is enforce); 2 weeks of
      // max_age either way, the minimum GOV.UK asks for in enforce mode.
      mtaSts: { host: policyHost, mode: mtaStsMode ?? MtaStsMode.TESTING, maxAge: Duration.days(14) },
      // Microsoft 365 and a search-engine verification token share the apex TXT record set.
      additionalApexTxt: ['MS=ms12345678', 'google-site-verification=dept-gov-uk-0123456789'],
    });

    // Two domains the department keeps but sends no mail from, each locked down in one
    // CloudFormation resource.
    // (The construct ids are the ones the example has always had: logical ids are kept stable.)
    const parkedIds = ['OldDept', 'DeptCampaign'];
    parked.forEach((attributes, i) => {
      const parkedId = parkedIds[i] ?? `Parked${i + 1}`;
      new ParkedDomain(this, parkedId, {
        zone: route53.HostedZone.fromHostedZoneAttributes(this, `${parkedId}Zone`, attributes),
        dmarcReportTo: [this.reportInbox.dmarcAddress],
      });
    });
  }
}

/** The example app, written to `outdir`: the policy host (us-east-1) and the mail domains (eu-west-2). */
export function departmentApp(outdir?: string, props: DepartmentProps = {}): App {
  const app = new App({ outdir });
  const policyHost = new DepartmentPolicyHostStack(app, 'DepartmentMtaSts', { env: { ...POLICY_HOST_ENV, account: props.account ?? POLICY_HOST_ENV.account } });
  new DepartmentMailStack(app, 'DepartmentMail', { ...props, policyHost: policyHost.host });
  return app;
}
