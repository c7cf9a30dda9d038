/**
 * The transactional-sender example: a service that sends mail (password resets, receipts) as
 * `notify.dept.gov.uk`, a name inside the department's existing zone `dept.gov.uk`, through
 * Amazon SES only, with TLS required on every message SES delivers. It receives no mail.
 *
 * What it publishes at notify.dept.gov.uk: SPF `v=spf1 -all` (SES sends with the MAIL FROM
 * domain mail.notify.dept.gov.uk, which has its own SPF and MX), DMARC reject with strict
 * alignment, and SES's three Easy DKIM CNAMEs. The sending service gets an IAM managed policy
 * that lets it send as the domain only, and only through the configuration set that requires TLS.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { DmarcAlignment, GovEmailDomain, Sender } from 'cdk-gov-email';

/** The department's account and region: eu-west-2 (London). */
export const SENDER_ENV = { account: '111111111111', region: 'eu-west-2' };

/** The department's zone, created before this app, imported by id and name. */
export const DEPT_ZONE = { hostedZoneId: 'Z0DEPT00000000000001', zoneName: 'dept.gov.uk' };

/** What a reviewer may want to vary when trying the example. */
export interface TransactionalSenderProps extends StackProps {
  /**
   * The TLS policy of the identity's default configuration set.
   * @default ses.ConfigurationSetTlsPolicy.REQUIRE
   */
  readonly tlsPolicy?: ses.ConfigurationSetTlsPolicy;

  /**
   * The department's zone. Give your own to deploy the example to a sandbox account.
   * @default DEPT_ZONE (dept.gov.uk, fictional)
   */
  readonly zone?: route53.HostedZoneAttributes;

  /**
   * The service's sending domain, inside the zone.
   * @default `notify.<zone name>`
   */
  readonly domainName?: string;

  /**
   * The account the stack is deployed to.
   * @default SENDER_ENV.account
   */
  readonly account?: string;
}

/** The service's sending domain and the permission to send as it. */
export class TransactionalSenderStack extends Stack {
  public readonly domain: GovEmailDomain;
  public readonly sendPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: TransactionalSenderProps = {}) {
    const { tlsPolicy, zone: zoneAttributes, domainName, account, ...stackProps } = props;
    super(scope, id, { env: { ...SENDER_ENV, account: account ?? SENDER_ENV.account }, ...stackProps });

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', zoneAttributes ?? DEPT_ZONE);
    const sendingDomain = domainName ?? `notify.${zone.zoneName}`;
    this.domain = new GovEmailDomain(this, 'Notify', {
      zone,
      domainName: sendingDomain,
      senders: [Sender.amazonSes()],
      dmarc: {
        reportTo: [`mailto:dmarc-reports@${zone.zoneName}`],
        // One service signs with its own domain: strict alignment costs nothing.
        dkimAlignment: DmarcAlignment.STRICT,
        spfAlignment: DmarcAlignment.STRICT,
      },
      ses: { tlsPolicy, configurationSetName: sendingDomain.replace(/\./g, '-') },
    });

    // The service sends as notify.dept.gov.uk only, and only through the configuration set
    // that requires TLS (SES checks both resources of a SendEmail call against the policy).
    const identity = this.domain.sesIdentity!;
    this.sendPolicy = new iam.ManagedPolicy(this, 'SendPolicy', {
      description: `Send mail as ${sendingDomain} through SES, TLS required`,
      statements: [new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity.domainName }),
          this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: identity.configurationSet.configurationSetName }),
        ],
        conditions: { StringLike: { 'ses:FromAddress': `*@${sendingDomain}` } },
      })],
    });
  }
}

/** The example app, written to `outdir`. */
export function transactionalSenderApp(outdir?: string, props: TransactionalSenderProps = {}): App {
  const app = new App({ outdir });
  new TransactionalSenderStack(app, 'TransactionalSender', props);
  return app;
}
