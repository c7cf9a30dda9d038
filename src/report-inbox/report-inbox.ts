import { Aws, CfnOutput, CustomResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
// The table columns and rule ids only: the parser itself (MIME, zip, XML) runs in the function.
import { DMARC_COLUMNS, TLSRPT_COLUMNS, TableColumn } from '../reports/rows';
import { acknowledgeFindings } from './private/nag';
import { SES_RECEIVING_REGIONS, sesInboundHost } from './private/ses-receiving';
import type { ReportParserFunction } from './report-parser-function';
import { IMtaStsPolicyHost } from '../constructs/mta-sts-policy-host-interface';
import { addInfoNote, invalidInput, reportFindings, warnNotEvaluated } from '../constructs/private/annotations';
import { PublishedMtaSts, checkMtaStsMaxAge, checkMtaStsMode, missingMtaSts, publishMtaStsPolicy } from '../constructs/private/mta-sts-options';
import { plannedRecord } from '../constructs/private/planned-records';
import { RecordNames, literalZoneName } from '../constructs/private/record-names';
import { registerReportDestination } from '../constructs/private/report-destinations';
import { ZoneWriter } from '../constructs/private/zone-writer';
import { postureOf } from '../plan';
import { Dmarc, DmarcAlignment, DmarcPolicy } from '../records/dmarc';
import { MTASTS_RULES, MtaStsMode, MtaStsPolicyModel } from '../records/mta-sts';
import { isHostname } from '../records/private/uri';
import { TlsRpt } from '../records/tls-rpt';
import { GovUkProfile } from '../standard/profile';
import { REPORT_RULES } from '../standard/report-rules';

/**
 * The parser function's class, loaded when an inbox is made: it extends lambda.Function, whose
 * module (and the core modules under it) an app that never makes an inbox need not load.
 */
function reportParserFunction(): typeof ReportParserFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./report-parser-function') as typeof import('./report-parser-function')).ReportParserFunction;
}

/** Where SES stores raw mail in the bucket. */
const RAW_PREFIX = 'raw/';
/** Where the function writes parsed rows and outcomes. */
const PARSED_PREFIX = 'parsed/';
/** The local parts of the two report addresses. */
const DMARC_LOCAL_PART = 'dmarc';
const TLS_LOCAL_PART = 'tls';
/** The receipt rule's name (the rule set's name is per inbox). */
const RULE_NAME = 'store-reports';
/** RFC 1035 §2.3.1 label. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** The longest comma-separated domain list the function's environment takes, with room for the rest. */
const MAX_DOMAIN_LIST = 3500;
/** Glue database names: lower-case letters, digits and underscores. */
const GLUE_NAME = /^[a-z0-9_]{1,255}$/;

/**
 * The handler of the rule set activation: Create and Update make the rule set named in the
 * properties the active one, Delete makes none active (so the rule set can then be deleted), and
 * the outcome goes to CloudFormation's response URL. The physical id is the rule set's name.
 */
const ACTIVATION_HANDLER = `const https = require('https');
const { SESClient, SetActiveReceiptRuleSetCommand } = require('@aws-sdk/client-ses');
const ses = new SESClient({});

function respond(event, status, reason, physicalId) {
  const body = JSON.stringify({
    Status: status, Reason: reason, PhysicalResourceId: physicalId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  return new Promise((resolve, reject) => {
    const request = https.request(event.ResponseURL, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (response) => { response.resume(); response.on('end', resolve); });
    request.on('error', reject);
    request.end(body);
  });
}

exports.handler = async (event) => {
  const name = event.ResourceProperties.RuleSetName;
  let status = 'SUCCESS';
  let reason = 'OK';
  try {
    await ses.send(new SetActiveReceiptRuleSetCommand(event.RequestType === 'Delete' ? {} : { RuleSetName: name }));
  } catch (e) {
    console.error(e);
    status = 'FAILED';
    reason = String((e && e.message) || e).slice(0, 1000);
  }
  await respond(event, status, reason, name);
};
`;

/**
 * Properties of a `ReportInbox`.
 */
export interface ReportInboxProps {
  /**
   * The hosted zone the inbox's subdomain is published in. Its name must be known at synth (a
   * zone created in the app, or imported with `HostedZone.fromHostedZoneAttributes`).
   */
  readonly zone: route53.IHostedZone;

  /**
   * The label of the subdomain that receives the reports: the inbox is `<address>.<zone name>`,
   * and reports go to `dmarc@` and `tls@` it.
   *
   * @default 'reports'
   */
  readonly address?: string;

  /**
   * The domains whose reports the inbox takes, for example `['dept.gov.uk', 'old-dept.gov.uk']`:
   * point their DMARC `rua` at `dmarcAddress` and their TLS-RPT `rua` at `tlsReportAddress`.
   *
   * For each domain outside the zone's organisational domain the inbox publishes the
   * authorisation record RFC 7489 §7.1 asks of a report destination
   * (`<domain>._report._dmarc.<address>.<zone name>` TXT `v=DMARC1`). Reports about any other
   * domain are rejected by the parser and recorded as such, so strangers cannot fill the store
   * and the dashboard. Names under a listed domain are accepted and counted under it.
   *
   * At most 3,500 characters of names in all, comma-separated (about 170 domains of 20
   * characters): the parser function takes the list in its environment, which Lambda limits to
   * 4 KB. SES uses one active receipt rule set per region and account, so a second inbox for more
   * domains belongs in another region or account.
   */
  readonly domains: string[];

  /**
   * How long raw mail, parsed rows and processing records are kept. Whole days, at least one.
   *
   * @default Duration.days(365)
   */
  readonly retention?: Duration;

  /**
   * Make the inbox's receipt rule set the active one in the region with a custom resource
   * (SES `SetActiveReceiptRuleSet`) when the stack is deployed, and deactivate it when the
   * stack is deleted.
   *
   * SES has one active receipt rule set per account and region, and CloudFormation cannot set
   * it. Activating replaces whatever rule set is active, which stops any other inbound mail
   * handling in the region: so by default the inbox does not, and the one command to run after
   * the first deployment is in `activationCommand` (and the stack output `ActivateRuleSetCommand`).
   * Set this when the account and region receive mail for nothing else. Turning it off again
   * (or deleting the inbox) deactivates the rule set, and mail to the inbox is then refused.
   *
   * @default false
   */
  readonly activateRuleSet?: boolean;

  /**
   * The CloudWatch namespace of the inbox's metrics. The parser function may put metric data
   * in this namespace only.
   *
   * @default 'GovEmail/Reports'
   */
  readonly metricNamespace?: string;

  /**
   * The name of the Glue database that holds the `dmarc_aggregate` and `tls_rpt` tables.
   *
   * @default - `gov_email_reports_` and the inbox's domain with `_` for `.` and `-`
   */
  readonly databaseName?: string;

  /**
   * How many copies of the parser function may run at once (reserved concurrency). Bounds the
   * cost of a flood of mail: S3 events beyond it wait and are retried, and after two retries
   * go to the dead-letter queue.
   *
   * An account still on the new-account concurrency quota of 10 cannot reserve any; ask for a
   * quota increase first.
   *
   * @default 2
   */
  readonly parserConcurrency?: number;

  /**
   * How long the parser function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the buckets, the SES identity and its configuration set when they leave the
   * stack. The report bucket's name is fixed (`gov-email-reports-<id>-<account>-<region>`, so
   * that SES, S3 and the function can name each other): a retained bucket must be deleted
   * before an inbox at the same construct path is created again.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The TTL of the DNS records the inbox publishes.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;

  /**
   * MTA-STS for the inbox's domain. The inbox receives mail from the internet like any other
   * receiving domain, so GOV.UK asks it for an MTA-STS policy: its one MX host,
   * `inbound-smtp.<region>.amazonaws.com`, serves a certificate for that name, so the policy can
   * be enforced from the start. Without it synth fails (`GOVUK-MTASTS-MISSING`) unless
   * `allowMissingMtaSts` is set.
   *
   * @default - no MTA-STS policy for the inbox's domain (allowed only with `allowMissingMtaSts`)
   */
  readonly mtaSts?: ReportInboxMtaStsOptions;

  /**
   * Accept the inbox without MTA-STS, for a while: synth then passes with the
   * `cdk-gov-email:GOVUK-MTASTS-MISSING` warning, and `gov-email review` still reports the error.
   *
   * @default false
   */
  readonly allowMissingMtaSts?: boolean;
}

/**
 * MTA-STS for a `ReportInbox`'s domain.
 */
export interface ReportInboxMtaStsOptions {
  /** The host that serves the policy, for example the department's `MtaStsPolicyHost`. */
  readonly host: IMtaStsPolicyHost;

  /**
   * The policy mode. Anything but `MtaStsMode.ENFORCE` raises the
   * `cdk-gov-email:GOVUK-MTASTS-MODE` warning.
   *
   * @default MtaStsMode.ENFORCE
   */
  readonly mode?: MtaStsMode;

  /**
   * How long sending servers may cache the policy (`max_age`), in whole seconds, at most a year.
   *
   * @default Duration.days(14)
   */
  readonly maxAge?: Duration;
}

/**
 * An inbox for the DMARC aggregate reports (RFC 7489, RFC 9990) and SMTP TLS reports (RFC 8460)
 * of a department's domains, in its own account: reports go to `dmarc@reports.<zone>` and
 * `tls@reports.<zone>`, are stored as they arrived, read by a bounded parser and turned into
 * JSON lines for Athena, CloudWatch metrics, a dashboard and alarms.
 *
 * Creates:
 * - an SES domain identity for `<address>.<zone>` (Easy DKIM, records in the zone, retained),
 *   its MX record (`10 inbound-smtp.<region>.amazonaws.com`), and the external report
 *   authorisation records of the domains that need them;
 * - a receipt rule set with one rule for the two addresses: TLS required, spam and virus
 *   scanning on, raw mail stored under `raw/` in an encrypted bucket that refuses plain-HTTP
 *   access and public access, logs access to a second bucket, and expires objects after
 *   `retention`; SES may write there only for this rule (`aws:SourceAccount`, `aws:SourceArn`);
 * - the parser function (Node.js 22, one role that can read `raw/`, write `parsed/` and put
 *   metric data in one namespace), triggered by S3 for each new message, with a dead-letter
 *   queue, log retention and reserved concurrency;
 * - a Glue database with partition-projected tables `dmarc_aggregate` and `tls_rpt` over
 *   `parsed/`, a CloudWatch dashboard, and alarms on a rise in DMARC failures, a rise in TLS
 *   failures, and parser errors.
 *
 * The receipt rule set is not active until activated (see `activateRuleSet`). SES receives mail
 * only in some regions; a stack in another region fails synth with `SES-RECEIVING-REGION`.
 *
 * Point the domains' records at it:
 *
 * ```ts
 * const inbox = new ReportInbox(stack, 'Reports', { zone, domains: ['dept.gov.uk', 'old-dept.gov.uk'] });
 * new GovEmailDomain(stack, 'Dept', { zone, senders, dmarc: { reportTo: [inbox.dmarcAddress] }, tlsReportTo: [inbox.tlsReportAddress] });
 * ```
 */
export class ReportInbox extends Construct {
  /** The domain that receives the reports, for example `reports.dept.gov.uk`. */
  public readonly domainName: string;
  /** The DMARC aggregate report address as a `rua` URI: `mailto:dmarc@<domainName>`. */
  public readonly dmarcAddress: string;
  /** The TLS report address as a `rua` URI: `mailto:tls@<domainName>`. */
  public readonly tlsReportAddress: string;
  /** The domains whose reports the inbox takes (lower case). */
  public readonly domains: string[];
  /** The bucket that holds raw mail (`raw/`) and parsed rows (`parsed/`). */
  public readonly bucket: s3.IBucket;
  /** The bucket the report bucket logs its access to. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The function that reads the reports. */
  public readonly parserFunction: lambda.IFunction;
  /** Where events go that the function could not handle after its retries. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The receipt rule set's name. */
  public readonly ruleSetName: string;
  /** The AWS CLI command that makes the rule set active (needed once unless `activateRuleSet` is set). */
  public readonly activationCommand: string;
  /** The CloudWatch namespace of the metrics. */
  public readonly metricNamespace: string;
  /** The Glue database. */
  public readonly databaseName: string;
  /** The Glue table of DMARC rows. */
  public readonly dmarcTableName: string;
  /** The Glue table of TLS-RPT rows. */
  public readonly tlsRptTableName: string;
  /** The names of the external report authorisation records published. */
  public readonly reportAuthorisationNames: string[];
  /** The MTA-STS policy body served for the inbox's domain, when `mtaSts` is given. */
  public readonly mtaStsPolicy?: string;
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** In alarm when DMARC failures rise above their expected band (anomaly detection). */
  public readonly dmarcFailureAlarm: cloudwatch.Alarm;
  /** In alarm when TLS failures rise above their expected band (anomaly detection). */
  public readonly tlsFailureAlarm: cloudwatch.Alarm;
  /** In alarm when the function fails or an event reaches the dead-letter queue. */
  public readonly parserFailureAlarm: cloudwatch.Alarm;

  private readonly stack: Stack;
  private readonly bucketArnText: string;

  constructor(scope: Construct, id: string, props: ReportInboxProps) {
    super(scope, id);
    this.stack = Stack.of(this);
    const zoneName = this.checkZone(props.zone);
    const address = this.checkAddress(props.address ?? 'reports');
    this.domainName = `${address}.${zoneName}`;
    this.dmarcAddress = `mailto:${DMARC_LOCAL_PART}@${this.domainName}`;
    this.tlsReportAddress = `mailto:${TLS_LOCAL_PART}@${this.domainName}`;
    this.domains = this.checkDomains(props.domains);
    const retentionDays = this.checkRetention(props.retention ?? Duration.days(365));
    const region = this.checkRegion();
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // The inbox's names are built from the zone's name, checked above: its records are given them whole.
    const writer = ZoneWriter.of(this, RecordNames.forZone(props.zone), props.ttl);
    this.metricNamespace = this.checkMetricNamespace(props.metricNamespace ?? 'GovEmail/Reports');

    // Names fixed at synth, so the bucket, the receipt rule and the function can refer to each
    // other without a dependency cycle: SES checks it may write to the bucket when the rule is
    // created, and S3 checks it may invoke the function when the notification is set.
    const suffix = this.node.addr.slice(0, 8);
    this.ruleSetName = `gov-email-reports-${suffix}`;
    const bucketName = `gov-email-reports-${suffix}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.bucketArnText = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
    const ruleArn = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:receipt-rule-set/${this.ruleSetName}:receipt-rule/${RULE_NAME}`;

    // ---- storage ------------------------------------------------------------------------
    // Both buckets: encrypted, private, TLS 1.2 only, objects expire after the retention.
    const privateBucket = (bucketId: string, name?: string) => new s3.Bucket(this, bucketId, {
      bucketName: name,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ id: 'expire', expiration: Duration.days(retentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy,
    });
    const accessLogs = privateBucket('AccessLogs');
    // Server access logging by bucket policy (not ACLs), for this bucket only.
    accessLogs.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowServerAccessLogsFromTheReportBucket',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [accessLogs.arnForObjects('report-bucket/*')],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': this.bucketArnText },
      },
    }));
    Validations.of(accessLogs.node.defaultChild as IConstruct).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the report bucket\'s server access logs; logging its own access would log every log delivery, without end.',
    });
    this.accessLogsBucket = accessLogs;

    const bucket = privateBucket('Bucket', bucketName);
    const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.loggingConfiguration = { destinationBucketName: accessLogs.bucketName, logFilePrefix: 'report-bucket/' };
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowSesToStoreReportMail',
      principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [`${this.bucketArnText}/${RAW_PREFIX}*`],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': ruleArn } },
    }));
    this.bucket = bucket;

    // ---- DNS and the SES identity ----------------------------------------------------------
    // SES receives mail only for verified identities. The inbox sends nothing: its default
    // configuration set requires TLS all the same, as every SES identity here does.
    const configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    configurationSet.applyRemovalPolicy(removalPolicy);
    const identity = new ses.EmailIdentity(this, 'Identity', {
      // Identity.domain, not publicHostedZone: the inbox is a subdomain, and its records are
      // published here.
      identity: ses.Identity.domain(this.domainName),
      configurationSet,
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
    });
    identity.applyRemovalPolicy(removalPolicy);
    writer.easyDkimCnames(identity);
    const at = (prefix: string) => `${prefix}${this.domainName}`;
    writer.recordSet('Mx', { name: at(''), type: route53.RecordType.MX, values: [`10 ${sesInboundHost(region)}`] });
    // The inbox domain receives mail and sends none: the records GOV.UK asks of such a domain.
    writer.recordSet('Spf', { name: at(''), type: route53.RecordType.TXT, values: ['v=spf1 -all'] });
    const dmarcTxt = Dmarc.render({
      policy: DmarcPolicy.REJECT,
      subdomainPolicy: DmarcPolicy.REJECT,
      nonExistentSubdomainPolicy: DmarcPolicy.REJECT,
      dkimAlignment: DmarcAlignment.STRICT,
      spfAlignment: DmarcAlignment.STRICT,
      aggregateReportUris: [{ uri: this.dmarcAddress }],
    });
    writer.recordSet('Dmarc', { name: at('_dmarc.'), type: route53.RecordType.TXT, values: [dmarcTxt] });
    writer.recordSet('TlsRpt', { name: at('_smtp._tls.'), type: route53.RecordType.TXT, values: [TlsRpt.render({ reportUris: [this.tlsReportAddress] })] });
    const mtaStsTxt = props.mtaSts === undefined ? undefined : this.publishMtaSts(props.mtaSts, writer, at('_mta-sts.'), region);
    this.mtaStsPolicy = mtaStsTxt?.policy;
    this.evaluateOwnDomain(region, dmarcTxt, mtaStsTxt, props.allowMissingMtaSts ?? false);
    this.reportAuthorisationNames = this.authoriseDomains(writer);
    registerReportDestination({
      owner: this,
      domainName: this.domainName.toLowerCase(),
      domains: this.domains,
      authorisations: this.reportAuthorisationNames.map((n) => n.toLowerCase()),
    });

    // ---- receiving ---------------------------------------------------------------------------
    const ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: this.ruleSetName });
    const rule = new ses.ReceiptRule(this, 'Rule', {
      ruleSet,
      receiptRuleName: RULE_NAME,
      recipients: [`${DMARC_LOCAL_PART}@${this.domainName}`, `${TLS_LOCAL_PART}@${this.domainName}`],
      // Reports come from large providers' servers, which all offer TLS; the reports name the
      // department's senders and failures, so they are not taken in plain text. (GOV.UK's
      // advice not to require TLS on inbound mail is for the domains' own mailboxes.)
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      scanEnabled: true,
      enabled: true,
      actions: [new StoreRawMail(bucket.bucketName, RAW_PREFIX)],
    });
    rule.node.addDependency(bucket.policy!);
    this.activationCommand = `aws ses set-active-receipt-rule-set --rule-set-name ${this.ruleSetName} --region ${region}`;
    this.activate(props.activateRuleSet ?? false, rule, props.logRetention ?? logs.RetentionDays.ONE_YEAR);

    // ---- the parser ----------------------------------------------------------------------------
    const dlq = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(dlq.node.defaultChild as IConstruct).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the parser function\'s dead-letter queue; a dead-letter queue needs none of its own. The parser failure alarm watches it.',
    });
    this.deadLetterQueue = dlq;

    const logGroup = new logs.LogGroup(this, 'ParserLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'ParserRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads raw report mail, writes parsed reports, puts report metrics',
    });
    const ParserFunction = reportParserFunction();
    const fn = new ParserFunction(this, 'Parser', {
      description: 'Reads DMARC and TLS-RPT reports from raw mail (cdk-gov-email ReportInbox)',
      role,
      architecture: lambda.Architecture.ARM_64,
      // The parser holds one message (at most 40 MB), one decoded attachment and one report
      // (at most 25 MB decompressed) at a time: 1 GiB and two minutes cover the largest.
      memorySize: 1024,
      timeout: Duration.minutes(2),
      reservedConcurrentExecutions: this.checkConcurrency(props.parserConcurrency ?? 2),
      deadLetterQueue: dlq,
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      logGroup,
      environment: {
        BUCKET_NAME: bucketName,
        RAW_PREFIX,
        PARSED_PREFIX,
        METRIC_NAMESPACE: this.metricNamespace,
        // The inbox's own domain too: TLS reports about it arrive here.
        DOMAINS: [...this.domains, this.domainName.toLowerCase()].join(','),
      },
    });
    this.grantParser(role, logGroup);
    acknowledgeFindings(fn, [{
      id: 'AwsSolutions-L1',
      reason: 'The function runs Node.js 22, the runtime the project builds its Lambda bundles for (projen lambdaOptions): a supported LTS runtime. Moving to a newer one is a build change, made and tested with the bundle.',
    }]);
    this.parserFunction = fn;

    // S3 invokes the function for each new raw message: the permission first, then the
    // notification, set on the bucket itself (no custom resource, no Lambda of CDK's own).
    fn.addPermission('InvokeFromReportBucket', {
      principal: new iam.ServicePrincipal('s3.amazonaws.com'),
      sourceArn: this.bucketArnText,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    cfnBucket.notificationConfiguration = {
      lambdaConfigurations: [{
        event: 's3:ObjectCreated:*',
        function: fn.functionArn,
        filter: { s3Key: { rules: [{ name: 'prefix', value: RAW_PREFIX }] } },
      }],
    };
    cfnBucket.node.addDependency(fn.node.findChild('InvokeFromReportBucket'));

    // ---- Athena ----------------------------------------------------------------------------------
    this.databaseName = this.checkDatabaseName(props.databaseName ?? `gov_email_reports_${this.domainName.replace(/[.-]/g, '_')}`);
    this.dmarcTableName = 'dmarc_aggregate';
    this.tlsRptTableName = 'tls_rpt';
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: this.databaseName, description: `DMARC and TLS-RPT reports received at ${this.domainName}` },
    });
    const partitions = [...this.domains, this.domainName.toLowerCase()];
    this.table('DmarcTable', database, this.dmarcTableName, 'dmarc', DMARC_COLUMNS, partitions, bucketName,
      'DMARC aggregate report rows: one per record (source IP and results)');
    this.table('TlsRptTable', database, this.tlsRptTableName, 'tlsrpt', TLSRPT_COLUMNS, partitions, bucketName,
      'SMTP TLS report rows: one per policy, with failure details');

    // ---- metrics, alarms, dashboard ------------------------------------------------------------
    this.dmarcFailureAlarm = new cloudwatch.AnomalyDetectionAlarm(this, 'DmarcFailureAlarm', {
      alarmDescription: alarmDescription((domains) => `DMARC failures reported for ${domains} rose above their expected band: a sender is misconfigured or someone is spoofing a domain. See the ${this.dmarcTableName} table.`, this.domains, this.domainName),
      metric: this.metric('DmarcFailedMessages'),
      stdDevs: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.tlsFailureAlarm = new cloudwatch.AnomalyDetectionAlarm(this, 'TlsFailureAlarm', {
      alarmDescription: alarmDescription((domains) => `TLS failures reported by senders to ${domains} rose above their expected band: check certificates and MTA-STS policies. See the ${this.tlsRptTableName} table.`, this.domains, this.domainName),
      metric: this.metric('TlsFailedSessions'),
      stdDevs: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const failures = new cloudwatch.MathExpression({
      expression: 'errors + dlq',
      usingMetrics: {
        errors: fn.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
        dlq: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.hours(1), statistic: cloudwatch.Stats.MAXIMUM }),
      },
      label: 'Parser errors and dead letters',
      period: Duration.hours(1),
    });
    this.parserFailureAlarm = new cloudwatch.Alarm(this, 'ParserFailureAlarm', {
      alarmDescription: 'The report parser failed, or an S3 event is waiting in its dead-letter queue: reports are not being read.',
      metric: failures,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.dashboard = this.buildDashboard(fn, dlq, partitions);
  }

  /**
   * A metric of the inbox, summed over six hours unless the options say otherwise:
   * `DmarcMessages`, `DmarcFailedMessages`, `TlsSuccessfulSessions` and `TlsFailedSessions` per
   * domain (`DmarcFailedMessages` and `TlsFailedSessions` also in total, with no domain);
   * `ReportsRejected` in total, or by `Reason` and `ReportsParsed` by `Type` (`dmarc`,
   * `tlsrpt`) through `options.dimensionsMap`.
   *
   * @param metricName the metric's name
   * @param domain a domain of the inbox, for a per-domain metric
   * @param options period, statistic and the like
   */
  public metric(metricName: string, domain?: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName,
      dimensionsMap: domain === undefined ? undefined : { Domain: domain.toLowerCase() },
      period: Duration.hours(6),
      statistic: cloudwatch.Stats.SUM,
      ...options,
    });
  }

  private checkZone(zone: route53.IHostedZone): string {
    const name = literalZoneName(zone);
    if (name === undefined) {
      throw invalidInput(this, REPORT_RULES.inboxAddress.id, '(the zone\'s name is not known at synth)',
        'a zone whose name is known: one created in the app, or imported with HostedZone.fromHostedZoneAttributes',
        REPORT_RULES.inboxAddress.summary);
    }
    return name;
  }

  private checkAddress(address: string): string {
    if (Token.isUnresolved(address) || !LABEL.test(address.toLowerCase())) {
      throw invalidInput(this, REPORT_RULES.inboxAddress.id, address, 'one DNS label such as "reports": letters, digits and inner hyphens, at most 63 characters');
    }
    return address.toLowerCase();
  }

  private checkDomains(domains: string[]): string[] {
    const allowed = 'one or more domain names such as ["dept.gov.uk"], each once';
    if (domains.length === 0) throw invalidInput(this, REPORT_RULES.inboxDomains.id, domains, allowed);
    const seen = new Set<string>();
    for (const given of domains) {
      if (Token.isUnresolved(given)) {
        throw invalidInput(this, REPORT_RULES.inboxDomains.id, given, `${allowed}, known at synth: the parser and the authorisation records need the names`);
      }
      const d = given.trim().toLowerCase().replace(/\.$/, '');
      if (!isHostname(d)) throw invalidInput(this, REPORT_RULES.inboxDomains.id, given, allowed);
      if (seen.has(d)) throw invalidInput(this, REPORT_RULES.inboxDomains.id, given, `${allowed} (it is listed twice)`);
      seen.add(d);
    }
    // The function gets the list in its environment, which Lambda caps at 4 KB in all.
    const listed = [...seen].join(',').length;
    if (listed > MAX_DOMAIN_LIST) {
      throw invalidInput(this, REPORT_RULES.inboxDomains.id, `${seen.size} domains (${listed} characters)`,
        `at most ${MAX_DOMAIN_LIST} characters of domain names, comma-separated, in one inbox (the parser function's environment is limited to 4 KB); give the others an inbox in another region or account (SES has one active receipt rule set per region and account)`);
    }
    return [...seen];
  }

  private checkRetention(retention: Duration): number {
    let days: number;
    try {
      days = retention.toDays();
    } catch {
      throw invalidInput(this, REPORT_RULES.inboxRetention.id, retention.toString(), 'a whole number of days, at least Duration.days(1)');
    }
    if (!Token.isUnresolved(days) && (!Number.isInteger(days) || days < 1)) {
      throw invalidInput(this, REPORT_RULES.inboxRetention.id, retention.toString(), 'a whole number of days, at least Duration.days(1)');
    }
    return days;
  }

  private checkMetricNamespace(namespace: string): string {
    if (Token.isUnresolved(namespace)) {
      throw invalidInput(this, REPORT_RULES.inboxMetricNamespace.id, namespace,
        'a namespace known at synth: it limits the parser\'s cloudwatch:PutMetricData permission and names the alarm\'s metrics');
    }
    if (namespace.length < 1 || namespace.length > 255 || !/^[A-Za-z0-9 ._\-/#:]+$/.test(namespace) || namespace.startsWith(':')) {
      throw invalidInput(this, REPORT_RULES.inboxMetricNamespace.id, namespace,
        'a metricNamespace of 1 to 255 characters: letters, digits, space and . - _ / # :, not starting with a colon');
    }
    if (namespace.toUpperCase().startsWith('AWS/')) {
      throw invalidInput(this, REPORT_RULES.inboxMetricNamespace.id, namespace,
        'a metricNamespace that does not start with AWS/ (in any case): CloudWatch reserves it for AWS services; the default is GovEmail/Reports');
    }
    return namespace;
  }

  private checkConcurrency(concurrency: number): number {
    if (!Token.isUnresolved(concurrency) && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000)) {
      throw invalidInput(this, REPORT_RULES.inboxSettings.id, concurrency, 'a whole number from 1 to 1000 for parserConcurrency');
    }
    return concurrency;
  }

  private checkDatabaseName(name: string): string {
    if (!GLUE_NAME.test(name)) {
      throw invalidInput(this, REPORT_RULES.inboxSettings.id, name, 'lower-case letters, digits and underscores for databaseName (Glue and Athena names), at most 255');
    }
    return name;
  }

  /**
   * The inbox's MTA-STS policy: its one MX host, served by the host, and the `_mta-sts` record
   * published only after the host serves the body (RFC 8461 §8.1).
   */
  private publishMtaSts(options: ReportInboxMtaStsOptions, writer: ZoneWriter, recordName: string, region: string): PublishedMtaSts {
    if (Token.isUnresolved(region)) {
      throw invalidInput(this, MTASTS_RULES.policyMxSyntax.id, 'a stack without a region',
        'a stack with env.region set: the policy names the region\'s SES inbound host, and its id is a hash of the policy body');
    }
    const model: MtaStsPolicyModel = {
      mode: checkMtaStsMode(this, options.mode),
      maxAge: checkMtaStsMaxAge(this, options.maxAge),
      mx: [sesInboundHost(region)],
    };
    return publishMtaStsPolicy(writer, { host: options.host, domainName: this.domainName, recordName, model });
  }

  /**
   * The inbox's own domain through the profile the CLI and the pack use: it receives mail and
   * sends none. MTA-STS missing is accepted as a warning, as GovEmailDomain accepts it.
   */
  private evaluateOwnDomain(region: string, dmarcTxt: string, mtaSts: PublishedMtaSts | undefined,
    allowMissingMtaSts: boolean): void {
    if (Token.isUnresolved(region)) return;
    const domain = this.domainName;
    // The domain sends nothing (SPF -all), so DKIM is not asked of it: its Easy DKIM records are
    // there because SES verifies the receiving identity with them, and are left out of the plan.
    const posture = postureOf({
      domain,
      records: [
        plannedRecord(domain, 'TXT', ['v=spf1 -all']),
        plannedRecord(domain, 'MX', [`10 ${sesInboundHost(region)}`]),
        plannedRecord(`_dmarc.${domain}`, 'TXT', [dmarcTxt]),
        plannedRecord(`_smtp._tls.${domain}`, 'TXT', [TlsRpt.render({ reportUris: [this.tlsReportAddress] })]),
        ...(mtaSts === undefined ? [] : [plannedRecord(`_mta-sts.${domain}`, 'TXT', [mtaSts.record])]),
      ],
      sesIdentities: [],
      mtaStsPolicy: mtaSts?.policy,
      fields: ['apexTxt', 'mx', 'dmarc', 'tlsRpt', 'mtaStsTxt', 'mtaStsPolicy'],
    });
    const findings = GovUkProfile.evaluate(posture);
    reportFindings(this, missingMtaSts(findings, allowMissingMtaSts,
      'give mtaSts a policy host as soon as the inbox can, so senders must deliver reports over TLS'));
  }

  /** The stack's region, checked: SES receives mail only in some regions. */
  private checkRegion(): string {
    const region = this.stack.region;
    if (Token.isUnresolved(region)) {
      warnNotEvaluated(this, `Whether SES receives email in the stack's region (${REPORT_RULES.sesReceivingRegion.id}; set the stack's env.region to check it here)`);
      return region;
    }
    if (!SES_RECEIVING_REGIONS.includes(region)) {
      throw invalidInput(this, REPORT_RULES.sesReceivingRegion.id, region, `a stack in a region where SES receives email: ${SES_RECEIVING_REGIONS.join(', ')}`);
    }
    return region;
  }

  /**
   * RFC 7489 §7.1: a report destination outside a domain's organisational domain takes its
   * reports only when it publishes `<domain>._report._dmarc.<destination>` TXT `v=DMARC1`.
   */
  private authoriseDomains(writer: ZoneWriter): string[] {
    const names: string[] = [];
    for (const domain of this.domains) {
      const name = Dmarc.externalReportAuthorisation(domain, this.dmarcAddress);
      if (name === undefined) continue;
      writer.recordSet(`ReportAuthorisation-${domain}`, { name, type: route53.RecordType.TXT, values: ['v=DMARC1'] });
      names.push(name);
    }
    return names;
  }

  private activate(activate: boolean, rule: ses.ReceiptRule, logRetention: logs.RetentionDays): void {
    if (!activate) {
      const r = REPORT_RULES.ruleSetInactive;
      addInfoNote(this, r.id, `The receipt rule set ${this.ruleSetName} is not active: run \`${this.activationCommand}\` once after deploying (it replaces any rule set active in the region), or set activateRuleSet (${r.source}).`);
      new CfnOutput(this, 'ActivateRuleSetCommand', {
        description: 'Run once after the first deployment: makes the report inbox\'s receipt rule set the active one in the region',
        value: this.activationCommand,
      });
      return;
    }
    // The inbox's own function and role make the call, not aws-cdk-lib's AwsCustomResource:
    // that one runs in a function shared by every AwsCustomResource in the stack, and what the
    // inbox acknowledged there would be acknowledged for the department's own custom resources too.
    // (A new resource, not the AwsCustomResource changed: CloudFormation cannot change a custom
    // resource's service token or type in place. In a stack deployed with the AwsCustomResource,
    // CloudFormation deletes it after the new resource has run, and its delete call makes no rule
    // set active: the activation command is then needed once.)
    const activation = new Construct(this, 'RuleSetActivation');
    const logGroup = new logs.LogGroup(activation, 'Logs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(activation, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Makes the report inbox\'s receipt rule set the active one at deployment, and none active at deletion',
    });
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'SetActiveReceiptRuleSet',
      actions: ['ses:SetActiveReceiptRuleSet'],
      // SetActiveReceiptRuleSet has no resource-level permissions: IAM requires "*".
      resources: ['*'],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'WriteActivationLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));
    const fn = new lambda.Function(activation, 'Function', {
      description: 'Sets the active SES receipt rule set at deployment (cdk-gov-email ReportInbox)',
      // The runtime of the parser: the inbox's functions move to a newer one together.
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(ACTIVATION_HANDLER),
      memorySize: 128,
      timeout: Duration.minutes(1),
      role,
      logGroup,
    });
    const resource = new CustomResource(activation, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::SesActiveReceiptRuleSet',
      properties: { RuleSetName: this.ruleSetName },
    });
    resource.node.addDependency(rule);
    acknowledgeFindings(role, [{
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:SetActiveReceiptRuleSet supports no resource-level permissions, so IAM requires "*" as its resource; the statement allows that one action only.',
    }]);
    acknowledgeFindings(fn, [{
      id: 'AwsSolutions-L1',
      reason: 'The function runs Node.js 22, a supported LTS runtime and the one of the inbox\'s parser, so the inbox\'s two functions move to a newer runtime together; '
        + 'it is a few lines of inline code using only the runtime\'s https module and AWS SDK, run at deployment.',
    }]);
  }

  private grantParser(role: iam.Role, logGroup: logs.LogGroup): void {
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadRawReportMail',
      actions: ['s3:GetObject'],
      resources: [`${this.bucketArnText}/${RAW_PREFIX}*`],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'WriteParsedReports',
      actions: ['s3:PutObject'],
      resources: [`${this.bucketArnText}/${PARSED_PREFIX}*`],
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'PutReportMetrics',
      actions: ['cloudwatch:PutMetricData'],
      // PutMetricData has no resource-level permissions: IAM requires "*"; the namespace
      // condition limits it to the inbox's own metrics.
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': this.metricNamespace } },
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'WriteParserLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));
    // cdk-nag names each wildcard resource as it resolves the ARN (tokens as <AWS::…>).
    const bucketInFinding = `arn:<AWS::Partition>:s3:::gov-email-reports-${this.node.addr.slice(0, 8)}-<AWS::AccountId>-<AWS::Region>`;
    acknowledgeFindings(role, [
      {
        id: `AwsSolutions-IAM5[Resource::${bucketInFinding}/${RAW_PREFIX}*]`,
        reason: 'The parser reads raw report mail, one object per message under raw/, named by SES: the prefix is as narrow as the keys can be known.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${bucketInFinding}/${PARSED_PREFIX}*]`,
        reason: 'The parser writes one object per report under parsed/, named by report type, date, domain and a hash: the prefix is as narrow as the keys can be known.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'cloudwatch:PutMetricData supports no resource-level permissions, so IAM requires "*"; the cloudwatch:namespace condition limits it to the inbox\'s own namespace.',
      },
    ]);
  }

  private table(id: string, database: glue.CfnDatabase, name: string, type: string, columns: TableColumn[], domains: string[],
    bucketName: string, description: string): glue.CfnTable {
    const location = `s3://${bucketName}/${PARSED_PREFIX}type=${type}/`;
    const table = new glue.CfnTable(this, id, {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name,
        description,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          'classification': 'json',
          // Partition projection: Athena works out the partitions from these, with no crawler
          // and no partition management.
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2020-01-01,NOW',
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'projection.domain.type': 'enum',
          'projection.domain.values': domains.join(','),
          'storage.location.template': `${location}dt=\${dt}/domain=\${domain}/`,
        },
        partitionKeys: [
          { name: 'dt', type: 'string', comment: 'The day the reporting period began (UTC), yyyy-MM-dd' },
          { name: 'domain', type: 'string', comment: 'The inbox domain the report is about' },
        ],
        storageDescriptor: {
          location,
          columns: columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'ignore.malformed.json': 'true' },
          },
        },
      },
    });
    table.node.addDependency(database);
    return table;
  }

  private buildDashboard(fn: lambda.IFunction, dlq: sqs.IQueue, domains: string[]): cloudwatch.Dashboard {
    const day = { period: Duration.days(1) };
    const perDomain = (metricName: string) => domains.map((d) => this.metric(metricName, d, { ...day, label: d }));
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(30),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# DMARC and TLS reports for ${domains.join(', ')}\nReports to \`${this.dmarcAddress}\` and \`${this.tlsReportAddress}\`. Rows are in Athena: \`${this.databaseName}.${this.dmarcTableName}\` and \`${this.databaseName}.${this.tlsRptTableName}\`.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Messages failing DMARC, per domain (daily)', left: perDomain('DmarcFailedMessages'), width: 12, stacked: true }),
      new cloudwatch.GraphWidget({ title: 'Messages reported, per domain (daily)', left: perDomain('DmarcMessages'), width: 12, stacked: true }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Failed TLS sessions, per domain (daily)', left: perDomain('TlsFailedSessions'), width: 12, stacked: true }),
      new cloudwatch.GraphWidget({ title: 'Successful TLS sessions, per domain (daily)', left: perDomain('TlsSuccessfulSessions'), width: 12, stacked: true }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Reports read and rejected (daily)',
        left: [
          this.metric('ReportsParsed', undefined, { ...day, dimensionsMap: { Type: 'dmarc' }, label: 'DMARC reports' }),
          this.metric('ReportsParsed', undefined, { ...day, dimensionsMap: { Type: 'tlsrpt' }, label: 'TLS reports' }),
          this.metric('ReportsRejected', undefined, { ...day, label: 'rejected' }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Parser',
        left: [fn.metricInvocations({ label: 'invocations' }), fn.metricErrors({ label: 'errors' }), fn.metricThrottles({ label: 'throttles' })],
        right: [dlq.metricApproximateNumberOfMessagesVisible({ label: 'dead letters' })],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [this.dmarcFailureAlarm, this.tlsFailureAlarm, this.parserFailureAlarm], width: 24 }),
    );
    return dashboard;
  }
}

/**
 * The receipt rule action that stores raw mail under a prefix. aws-cdk-lib's `S3` action adds
 * its own bucket policy statement, conditioned on the account only; the inbox writes a narrower
 * one (account and this rule's ARN) itself.
 */
class StoreRawMail implements ses.IReceiptRuleAction {
  constructor(private readonly bucketName: string, private readonly prefix: string) {}

  public bind(_rule: unknown): ses.ReceiptRuleActionConfig {
    return { s3Action: { bucketName: this.bucketName, objectKeyPrefix: this.prefix } };
  }
}

/** CloudWatch's limit on an alarm's description, in characters. */
const MAX_ALARM_DESCRIPTION = 1024;

/**
 * An alarm description naming the inbox's domains, or, when the list would take it over
 * CloudWatch's 1,024 characters, how many there are and where their reports go.
 */
function alarmDescription(text: (domains: string) => string, domains: string[], inboxDomain: string): string {
  const listed = text(domains.join(', '));
  return listed.length <= MAX_ALARM_DESCRIPTION ? listed : text(`the ${domains.length} domains that report to ${inboxDomain}`);
}
