import { Aspects, AspectPriority, Aws, Duration, IAspect, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { ReportAuthorisationLayout, ReportAuthorisations } from './authorisations';
import { DMARC_TABLE_NAME, TLSRPT_TABLE_NAME, buildReportCatalog } from './catalog';
import { DomainList } from './inbox-config';
import { ReportMetrics, ReportType, buildReportMonitoring } from './monitoring';
import { publishOwnDomain } from './own-domain';
import { buildReportParser } from './parser';
import { SES_RECEIVING_REGIONS } from './private/ses-receiving';
import { DMARC_LOCAL_PART, RULE_NAME, TLS_LOCAL_PART, buildIdentity, buildReceiver } from './receiver';
import { PARSED_PREFIX, buildReportStore } from './store';
import { IMtaStsPolicyHost } from '../constructs/mta-sts-policy-host-interface';
import { invalidInput, warnNotEvaluated } from '../constructs/private/annotations';
import { RecordNames, literalZoneName } from '../constructs/private/record-names';
import { registerReportDestination } from '../constructs/private/report-destinations';
import { ZoneWriter } from '../constructs/private/zone-writer';
import { MtaStsMode } from '../records/mta-sts';
import { INBOX_DEFAULTS, InboxSettings } from '../reports/limits';
import { REPORT_RULES } from '../standard/report-rules';

/** RFC 1035 §2.3.1 label. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Glue database names: lower-case letters, digits and underscores. */
const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
/** Parsed bytes one message may make at most: the function holds a message's rows in its 1 GiB. */
const MAX_BYTES_PER_MESSAGE_CEILING = 256 * 1024 * 1024;

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
   * The domains that send mail whose reports the inbox takes, for example `['dept.gov.uk']`:
   * point their DMARC `rua` at `dmarcAddress` and their TLS-RPT `rua` at `tlsReportAddress`.
   * The inbox alarms when one of them stops being reported on (see `silentAfter`).
   *
   * For each domain outside the zone's organisational domain the inbox publishes the
   * authorisation record RFC 7489 §7.1 asks of a report destination
   * (`<domain>._report._dmarc.<address>.<zone name>` TXT `v=DMARC1`, see `authorisationLayout`).
   * Reports about any other domain are rejected by the parser and recorded as such, so strangers
   * cannot fill the store and the dashboard. Names under a listed domain are accepted and counted
   * under it.
   *
   * The list is kept as `config/domains.json` in the report bucket, written at deployment, so an
   * inbox takes a few thousand domains (at most 100,000 characters of names, about 3,800 of 25
   * characters). Domains may also be given in `domainsSendingNoMail` and added with
   * `addDomain()`; the inbox needs one at least. SES uses one active receipt rule set per region
   * and account, so a second inbox for more domains belongs in another region or account.
   */
  readonly domains: string[];

  /**
   * Domains that send no mail (parked domains) whose reports the inbox takes as well: reports
   * about them (spoofing, mostly) are read and counted like the others, but no alarm is raised
   * when they stop.
   *
   * @default - none
   */
  readonly domainsSendingNoMail?: string[];

  /**
   * How the DMARC report authorisation records of the domains outside the zone's organisational
   * domain are published: one record set each, or record set groups of up to 100 records.
   *
   * By default, one record set each while there are at most 100 (so every inbox deployed before
   * record set groups keeps its resources), and groups above. An inbox deployed with one record
   * set each that grows past 100 cannot move its records into groups in one deployment
   * (CloudFormation creates the groups before it deletes the record sets, and Route 53 refuses a
   * record that exists): set `RECORD_SET_PER_DOMAIN` to keep them (the stack's 500 resources
   * allow a few hundred), or move in two deployments, the first without those domains'
   * authorisations. Crossing 100 with the default raises the
   * `cdk-gov-email:REPORT-INBOX-AUTHORISATION-LAYOUT` warning until the layout is set.
   *
   * @default - `RECORD_SET_PER_DOMAIN` for up to 100 authorisations, `RECORD_SET_GROUPS` above
   */
  readonly authorisationLayout?: ReportAuthorisationLayout;

  /**
   * Bounds on what the parser writes, per message and per reporter per day, so one reporter
   * cannot fill the store or run up Athena's bill. Rows over a bound are dropped and counted
   * (`metricRowsDropped`).
   *
   * @default - the defaults of each `ReportInboxLimits` field
   */
  readonly limits?: ReportInboxLimits;

  /**
   * How long a domain that sends mail may go without a DMARC aggregate report before the daily
   * sweep counts it as silent (`metricSilentDomains`, the silent domains alarm). Whole days, 1 to
   * 365.
   *
   * @default Duration.days(3)
   */
  readonly silentAfter?: Duration;

  /**
   * Count reports that did not come authenticated from their reporter (DMARC pass for the
   * reporter's domain) in the domains' DMARC and TLS metrics, as well as in
   * `ReportsUnauthenticated`. Their rows are stored either way, marked `authenticated = false`.
   *
   * @default false
   */
  readonly countUnauthenticatedReports?: boolean;

  /**
   * How long raw mail and parsed rows are kept. Whole days, at least one. Processing records
   * (`parsed/type=outcome/`, what became of each message) are kept 90 days, or this long when
   * it is shorter.
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
 * Options of a domain added to a `ReportInbox` with `addDomain()`.
 */
export interface ReportInboxDomainOptions {
  /**
   * Whether the domain sends mail: a domain that sends none (a parked domain) raises no alarm
   * when its reports stop.
   *
   * @default true
   */
  readonly sendsMail?: boolean;
}

/**
 * Bounds on what a `ReportInbox`'s parser writes. Rows over a bound are dropped, counted in
 * `RowsDropped` by reason, and the message's processing record says so.
 */
export interface ReportInboxLimits {
  /**
   * The most rows one message's reports make.
   *
   * @default 50000
   */
  readonly maxRowsPerMessage?: number;

  /**
   * The most parsed bytes (JSON lines) one message's reports make; at most 256 MiB.
   *
   * @default Size.mebibytes(32)
   */
  readonly maxParsedBytesPerMessage?: Size;

  /**
   * The most rows one reporter's reports make in a day (UTC).
   *
   * @default 500000
   */
  readonly maxRowsPerReporterPerDay?: number;

  /**
   * The most parsed bytes one reporter's reports make in a day (UTC).
   *
   * @default Size.mebibytes(256)
   */
  readonly maxParsedBytesPerReporterPerDay?: Size;
}

/**
 * An inbox for the DMARC aggregate reports (RFC 7489, RFC 9990) and SMTP TLS reports (RFC 8460)
 * of a department's domains, in its own account: reports go to `dmarc@reports.<zone>` and
 * `tls@reports.<zone>`, are stored as they arrived, read by a bounded parser and turned into
 * JSON lines for Athena, CloudWatch metrics, a dashboard and alarms.
 *
 * Creates:
 * - storage: a report bucket (encrypted, refusing plain-HTTP and public access, logging access
 *   to a second bucket, expiring objects after `retention` and processing records after 90 days
 *   at most);
 * - receiving: an SES domain identity for `<address>.<zone>` (Easy DKIM, retained), a receipt
 *   rule set with one rule for the two addresses (TLS required, spam and virus scanning, raw mail
 *   stored under `raw/`; SES may write there only for this rule);
 * - the inbox domain's records (MX `10 inbound-smtp.<region>.amazonaws.com`, SPF `-all`, DMARC
 *   reject, TLS-RPT, MTA-STS when given), judged by the GOV.UK profile, and the external report
 *   authorisation records of the domains that need them;
 * - the parser function (Node.js 22, one role that can read `raw/` and `config/`, write
 *   `parsed/`, use its ledger table and put metric data in one namespace), triggered by S3 for
 *   each new message, with a dead-letter queue, log retention and reserved concurrency; its
 *   DynamoDB ledger (duplicate reports, reporters' daily budgets, when each domain last
 *   reported); a daily schedule on which it looks for silent domains; and the domain list it
 *   reads, `config/domains.json`, written at deployment;
 * - a Glue database with partition-projected tables `dmarc_aggregate` and `tls_rpt` over
 *   `parsed/`, an Athena work group with saved queries, a CloudWatch dashboard, and alarms.
 *
 * The receipt rule set is not active until activated (see `activateRuleSet`). SES receives mail
 * only in some regions; a stack in another region fails synth with `SES-RECEIVING-REGION`.
 *
 * Point the domains' records at it:
 *
 * ```ts
 * const inbox = new ReportInbox(stack, 'Reports', { zone, domains: ['dept.gov.uk'], domainsSendingNoMail: ['old-dept.gov.uk'] });
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
  /** The bucket that holds raw mail (`raw/`), parsed rows (`parsed/`) and the domain list (`config/`). */
  public readonly bucket: s3.IBucket;
  /** The bucket the report bucket logs its access to. */
  public readonly accessLogsBucket: s3.IBucket;
  /** The function that reads the reports. */
  public readonly parserFunction: lambda.IFunction;
  /** Where events go that the function could not handle after its retries. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The parser's ledger: duplicate reports, reporters' daily budgets, when each domain last reported. */
  public readonly ledger: dynamodb.ITable;
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
  /** The Athena work group the saved queries are in. */
  public readonly workGroupName: string;
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
  /** In alarm when the daily sweep finds domains that send mail but have not been reported on for `silentAfter`. */
  public readonly silentDomainsAlarm: cloudwatch.Alarm;
  /** In alarm when the parser drops rows over its limits. */
  public readonly rowsDroppedAlarm: cloudwatch.Alarm;

  private readonly domainList: DomainList;
  private readonly authorisations: ReportAuthorisations;
  private readonly metrics: ReportMetrics;

  constructor(scope: Construct, id: string, props: ReportInboxProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const zoneName = this.checkZone(props.zone);
    const address = this.checkAddress(props.address ?? 'reports');
    this.domainName = `${address}.${zoneName}`;
    this.dmarcAddress = `mailto:${DMARC_LOCAL_PART}@${this.domainName}`;
    this.tlsReportAddress = `mailto:${TLS_LOCAL_PART}@${this.domainName}`;
    const inboxDomain = this.domainName.toLowerCase();
    this.domainList = new DomainList(this, inboxDomain);
    for (const domain of props.domains) this.domainList.add(domain, true);
    for (const domain of props.domainsSendingNoMail ?? []) this.domainList.add(domain, false);
    const retentionDays = this.checkRetention(props.retention ?? Duration.days(365));
    const region = this.checkRegion(stack);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    // The inbox's names are built from the zone's name, checked above: its records are given them whole.
    const writer = ZoneWriter.of(this, RecordNames.forZone(props.zone), props.ttl);
    this.metricNamespace = this.checkMetricNamespace(props.metricNamespace ?? 'GovEmail/Reports');
    this.metrics = new ReportMetrics(this.metricNamespace);
    const settings = this.checkSettings(props);
    const concurrency = this.checkConcurrency(props.parserConcurrency ?? 2);
    this.databaseName = this.checkDatabaseName(props.databaseName ?? `gov_email_reports_${this.domainName.replace(/[.-]/g, '_')}`);

    // Names fixed at synth, so the bucket, the receipt rule and the function can refer to each
    // other without a dependency cycle: SES checks it may write to the bucket when the rule is
    // created, and S3 checks it may invoke the function when the notification is set.
    const suffix = this.node.addr.slice(0, 8);
    this.ruleSetName = `gov-email-reports-${suffix}`;
    const bucketName = `gov-email-reports-${suffix}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    const bucketArnText = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
    const ruleArn = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:receipt-rule-set/${this.ruleSetName}:receipt-rule/${RULE_NAME}`;

    const store = buildReportStore(this, { bucketName, bucketArnText, ruleArn, retentionDays, removalPolicy });
    this.bucket = store.bucket;
    this.accessLogsBucket = store.accessLogs;

    const identity = buildIdentity(this, this.domainName, removalPolicy);
    this.mtaStsPolicy = publishOwnDomain(this, writer, {
      domainName: this.domainName,
      dmarcAddress: this.dmarcAddress,
      tlsReportAddress: this.tlsReportAddress,
      region,
      identity,
      mtaSts: props.mtaSts,
      allowMissingMtaSts: props.allowMissingMtaSts ?? false,
    });
    this.authorisations = new ReportAuthorisations(this, writer, this.dmarcAddress, () => this.domainList.names, props.authorisationLayout);
    // The authorisation records are written when the app is synthesised: the default layout
    // depends on how many domains the inbox has in the end, and domains may be added until then.
    const authorisations = this.authorisations;
    const self = this;
    const writeAuthorisations: IAspect = { visit: (node: IConstruct) => { if (node === self) authorisations.write(); } };
    Aspects.of(this).add(writeAuthorisations, { priority: AspectPriority.MUTATING });
    // Getters: the app's records read the list as it is when they ask, domains added later included.
    const domainList = this.domainList;
    registerReportDestination({
      owner: this,
      domainName: inboxDomain,
      get domains() { return domainList.names; },
      get authorisations() { return authorisations.names.map((n) => n.toLowerCase()); },
    });
    this.node.addValidation({ validate: () => [...this.domainList.validate(), ...this.authorisations.validate()] });

    this.activationCommand = `aws ses set-active-receipt-rule-set --rule-set-name ${this.ruleSetName} --region ${region}`;
    buildReceiver(this, {
      domainName: this.domainName,
      ruleSetName: this.ruleSetName,
      activationCommand: this.activationCommand,
      bucket: store.bucket,
      activate: props.activateRuleSet ?? false,
      logRetention,
    });

    const parser = buildReportParser(this, {
      bucket: store.bucket,
      cfnBucket: store.cfnBucket,
      bucketName,
      bucketArnText,
      inboxDomain,
      domains: this.domainList,
      metricNamespace: this.metricNamespace,
      concurrency,
      logRetention,
      removalPolicy,
      settings,
    });
    this.parserFunction = parser.fn;
    this.deadLetterQueue = parser.deadLetterQueue;
    this.ledger = parser.ledger;

    const catalog = buildReportCatalog(this, {
      bucketName,
      parsedPrefix: PARSED_PREFIX,
      databaseName: this.databaseName,
      inboxDomain,
      partitionDomains: () => this.domainList.partitions,
      removalPolicy,
    });
    this.dmarcTableName = DMARC_TABLE_NAME;
    this.tlsRptTableName = TLSRPT_TABLE_NAME;
    this.workGroupName = catalog.workGroupName;

    const monitoring = buildReportMonitoring(this, {
      metrics: this.metrics,
      parserFunction: parser.fn,
      deadLetterQueue: parser.deadLetterQueue,
      parserLogGroup: parser.logGroup,
      domains: () => this.domainList.names,
      inboxDomain,
      dmarcAddress: this.dmarcAddress,
      tlsReportAddress: this.tlsReportAddress,
      databaseName: this.databaseName,
      workGroupName: catalog.workGroupName,
    });
    this.dmarcFailureAlarm = monitoring.dmarcFailureAlarm;
    this.tlsFailureAlarm = monitoring.tlsFailureAlarm;
    this.parserFailureAlarm = monitoring.parserFailureAlarm;
    this.silentDomainsAlarm = monitoring.silentDomainsAlarm;
    this.rowsDroppedAlarm = monitoring.rowsDroppedAlarm;
    this.dashboard = monitoring.dashboard;
  }

  /** The domains whose reports the inbox takes (lower case), those that send mail and those that do not, in the order given. */
  public get domains(): string[] {
    return this.domainList.names;
  }

  /** The domains given as sending no mail (lower case), in the order given. */
  public get domainsSendingNoMail(): string[] {
    return this.domainList.sendingNoMail;
  }

  /** The names of the external report authorisation records published, in the order of `domains`. */
  public get reportAuthorisationNames(): string[] {
    return this.authorisations.names;
  }

  /**
   * Take the reports of another domain, for a construct built after the inbox (a portfolio of
   * domains, for example). Everything the list reaches follows: the domain list the parser
   * reads, the Athena partitions, the authorisation record when the domain needs one, the
   * dashboard and the report destination the app's DMARC and TLS-RPT records check against
   * (add the domain before building the records that report to the inbox). Checked as
   * `domains` is: a name known at synth, not listed already.
   *
   * @param name the domain, for example `agency.gov.uk`
   * @param options whether it sends mail
   */
  public addDomain(name: string, options: ReportInboxDomainOptions = {}): void {
    if (this.authorisations.isWritten) {
      throw invalidInput(this, REPORT_RULES.inboxDomains.id, name,
        'a domain added before the app is synthesised: the inbox\'s records and configuration are written by then');
    }
    this.domainList.add(name, options.sendsMail ?? true);
  }

  /**
   * Messages reported in DMARC aggregate reports, for one domain or, without one, in total.
   * Summed over six hours unless the options say otherwise.
   *
   * @param domain a domain of the inbox
   * @param options period, statistic and the like
   */
  public metricDmarcMessages(domain?: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricDmarcMessages(domain, options);
  }

  /**
   * Messages failing DMARC, for one domain or in total.
   *
   * @param domain a domain of the inbox
   * @param options period, statistic and the like
   */
  public metricDmarcFailedMessages(domain?: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricDmarcFailedMessages(domain, options);
  }

  /**
   * TLS sessions reported successful, for one domain or in total.
   *
   * @param domain a domain of the inbox
   * @param options period, statistic and the like
   */
  public metricTlsSuccessfulSessions(domain?: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricTlsSuccessfulSessions(domain, options);
  }

  /**
   * TLS sessions reported failed, for one domain or in total.
   *
   * @param domain a domain of the inbox
   * @param options period, statistic and the like
   */
  public metricTlsFailedSessions(domain?: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricTlsFailedSessions(domain, options);
  }

  /**
   * Reports read, of one type.
   *
   * @param type DMARC or TLS-RPT
   * @param options period, statistic and the like
   */
  public metricReportsParsed(type?: ReportType, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricReportsParsed(type, options);
  }

  /**
   * Reports that could not be read, in total.
   *
   * @param options period, statistic and the like
   */
  public metricReportsRejected(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricReportsRejected(options);
  }

  /**
   * Reports that did not come authenticated from their reporter, in total.
   *
   * @param options period, statistic and the like
   */
  public metricReportsUnauthenticated(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricReportsUnauthenticated(options);
  }

  /**
   * Reports received again (the same reporter, report id and domain), not counted twice.
   *
   * @param options period, statistic and the like
   */
  public metricDuplicateReports(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricDuplicateReports(options);
  }

  /**
   * Rows dropped over the parser's limits, in total.
   *
   * @param options period, statistic and the like
   */
  public metricRowsDropped(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricRowsDropped(options);
  }

  /**
   * Domains that send mail and have not been reported on for `silentAfter`, as the daily sweep
   * counts them.
   *
   * @param options period, statistic and the like
   */
  public metricSilentDomains(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricSilentDomains(options);
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

  private checkRetention(retention: Duration): number {
    return this.wholeDays(retention, REPORT_RULES.inboxRetention.id, 'a whole number of days, at least Duration.days(1)', 1, Infinity);
  }

  /** A duration as whole days within bounds, or the rule's error; a token passes as it is. */
  private wholeDays(duration: Duration, ruleId: string, allowed: string, min: number, max: number): number {
    let days: number;
    try {
      days = duration.toDays();
    } catch {
      throw invalidInput(this, ruleId, duration.toString(), allowed);
    }
    if (!Token.isUnresolved(days) && (!Number.isInteger(days) || days < min || days > max)) {
      throw invalidInput(this, ruleId, duration.toString(), allowed);
    }
    return days;
  }

  /** The limits, `silentAfter` and `countUnauthenticatedReports`, checked (REPORT-INBOX-LIMITS). */
  private checkSettings(props: ReportInboxProps): InboxSettings {
    const id = REPORT_RULES.inboxLimits.id;
    const limits = props.limits ?? {};
    const count = (field: string, value: number | undefined, fallback: number): number => {
      const n = value ?? fallback;
      if (Token.isUnresolved(n)) throw invalidInput(this, id, n, `a number known at synth for limits.${field}`);
      if (!Number.isSafeInteger(n) || n < 1) throw invalidInput(this, id, n, `a whole number, at least 1, for limits.${field}`);
      return n;
    };
    const bytes = (field: string, value: Size | undefined, fallback: number): number => {
      if (value === undefined) return fallback;
      let n: number;
      try {
        n = value.toBytes();
      } catch {
        throw invalidInput(this, id, value.toString(), `a whole number of bytes for limits.${field}`);
      }
      if (Token.isUnresolved(n)) throw invalidInput(this, id, value.toString(), `a size known at synth for limits.${field}`);
      if (!Number.isSafeInteger(n) || n < 1) throw invalidInput(this, id, `${n} bytes`, `a whole number of bytes, at least 1, for limits.${field}`);
      return n;
    };
    const settings: InboxSettings = {
      maxRowsPerMessage: count('maxRowsPerMessage', limits.maxRowsPerMessage, INBOX_DEFAULTS.maxRowsPerMessage),
      maxBytesPerMessage: bytes('maxParsedBytesPerMessage', limits.maxParsedBytesPerMessage, INBOX_DEFAULTS.maxBytesPerMessage),
      maxRowsPerReporterDay: count('maxRowsPerReporterPerDay', limits.maxRowsPerReporterPerDay, INBOX_DEFAULTS.maxRowsPerReporterDay),
      maxBytesPerReporterDay: bytes('maxParsedBytesPerReporterPerDay', limits.maxParsedBytesPerReporterPerDay, INBOX_DEFAULTS.maxBytesPerReporterDay),
      silentAfterDays: this.wholeDays(props.silentAfter ?? Duration.days(INBOX_DEFAULTS.silentAfterDays), id, 'a whole number of days from 1 to 365 for silentAfter', 1, 365),
      countUnauthenticated: props.countUnauthenticatedReports ?? false,
    };
    if (Token.isUnresolved(settings.silentAfterDays)) {
      throw invalidInput(this, id, props.silentAfter!.toString(), 'a whole number of days from 1 to 365 for silentAfter, known at synth');
    }
    if (settings.maxBytesPerMessage > MAX_BYTES_PER_MESSAGE_CEILING) {
      throw invalidInput(this, id, `${settings.maxBytesPerMessage} bytes`,
        `at most ${MAX_BYTES_PER_MESSAGE_CEILING} bytes (256 MiB) for limits.maxParsedBytesPerMessage: the parser holds one message's rows in its 1 GiB of memory`);
    }
    if (settings.maxRowsPerMessage > settings.maxRowsPerReporterDay) {
      throw invalidInput(this, id, `maxRowsPerMessage ${settings.maxRowsPerMessage} over maxRowsPerReporterPerDay ${settings.maxRowsPerReporterDay}`,
        'limits.maxRowsPerMessage no more than limits.maxRowsPerReporterPerDay: one message is part of its reporter\'s day');
    }
    if (settings.maxBytesPerMessage > settings.maxBytesPerReporterDay) {
      throw invalidInput(this, id, `maxParsedBytesPerMessage ${settings.maxBytesPerMessage} bytes over maxParsedBytesPerReporterPerDay ${settings.maxBytesPerReporterDay} bytes`,
        'limits.maxParsedBytesPerMessage no more than limits.maxParsedBytesPerReporterPerDay: one message is part of its reporter\'s day');
    }
    return settings;
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

  /** The stack's region, checked: SES receives mail only in some regions. */
  private checkRegion(stack: Stack): string {
    const region = stack.region;
    if (Token.isUnresolved(region)) {
      warnNotEvaluated(this, `Whether SES receives email in the stack's region (${REPORT_RULES.sesReceivingRegion.id}; set the stack's env.region to check it here)`);
      return region;
    }
    if (!SES_RECEIVING_REGIONS.includes(region)) {
      throw invalidInput(this, REPORT_RULES.sesReceivingRegion.id, region, `a stack in a region where SES receives email: ${SES_RECEIVING_REGIONS.join(', ')}`);
    }
    return region;
  }
}
