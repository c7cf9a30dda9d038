/**
 * The report inbox's metrics, alarms and dashboard. The dashboard is built for an inbox of
 * thousands of domains: per-domain figures come from Logs Insights over the parser's log lines
 * and from Metrics Insights queries that keep the worst domains, never one metric per domain.
 */
import { Duration, Lazy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DMARC_TABLE_NAME, TLSRPT_TABLE_NAME } from './catalog';

/** The two kinds of report the inbox reads. */
export enum ReportType {
  /** DMARC aggregate reports (RFC 7489, RFC 9990). */
  DMARC = 'dmarc',
  /** SMTP TLS reports (RFC 8460). */
  TLS_RPT = 'tlsrpt',
}

/**
 * The metrics the inbox's parser function puts, all of unit Count, each summed over six hours
 * unless the options say otherwise.
 *
 * The DMARC and TLS figures and the report counts come from reports whose message was
 * authenticated as from its reporter, unless the inbox counts unauthenticated reports too
 * (`countUnauthenticatedReports`); unauthenticated reports are counted apart
 * (`metricReportsUnauthenticated`).
 */
export class ReportMetrics {
  /** The CloudWatch namespace the parser puts its metrics in. */
  public readonly namespace: string;

  /**
   * @param namespace the CloudWatch namespace the parser puts its metrics in
   */
  constructor(namespace: string) {
    if (/["'\\]/.test(namespace)) {
      // The dashboard's search expressions quote the namespace.
      throw new Error(`A metric namespace holds no quote or backslash. Got: ${JSON.stringify(namespace)}.`);
    }
    this.namespace = namespace;
  }

  /**
   * Messages reported in DMARC aggregate reports (`DmarcMessages`), for one domain (the
   * partition domain the report is stored under). From authenticated reports only unless
   * `countUnauthenticatedReports` is set.
   *
   * The parser puts this metric per domain only: without a domain the metric has no data.
   *
   * @param domain the domain (a `Domain` dimension, lower case)
   * @param options period, statistic and the like
   */
  public metricDmarcMessages(domain?: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DmarcMessages', domain, options);
  }

  /**
   * Messages that failed DMARC (neither aligned DKIM nor aligned SPF passed) in DMARC aggregate
   * reports (`DmarcFailedMessages`), for one domain or in total. From authenticated reports only
   * unless `countUnauthenticatedReports` is set: failures in unauthenticated reports are
   * `UnauthenticatedDmarcFailedMessages`.
   *
   * @param domain the domain (a `Domain` dimension, lower case); none for the total
   * @param options period, statistic and the like
   */
  public metricDmarcFailedMessages(domain?: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DmarcFailedMessages', domain, options);
  }

  /**
   * Failed messages in DMARC aggregate reports whose message was not authenticated as from its
   * reporter (`UnauthenticatedDmarcFailedMessages`, in total): a forged report, or a reporter
   * whose mail the inbox cannot authenticate.
   *
   * @param options period, statistic and the like
   */
  public metricUnauthenticatedDmarcFailedMessages(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('UnauthenticatedDmarcFailedMessages', undefined, options);
  }

  /**
   * TLS sessions that sending servers reported as successful (`TlsSuccessfulSessions`), for one
   * domain. From authenticated reports only unless `countUnauthenticatedReports` is set.
   *
   * The parser puts this metric per domain only: without a domain the metric has no data.
   *
   * @param domain the domain (a `Domain` dimension, lower case)
   * @param options period, statistic and the like
   */
  public metricTlsSuccessfulSessions(domain?: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('TlsSuccessfulSessions', domain, options);
  }

  /**
   * TLS sessions that sending servers reported as failed (`TlsFailedSessions`), for one domain or
   * in total. From authenticated reports only unless `countUnauthenticatedReports` is set.
   *
   * @param domain the domain (a `Domain` dimension, lower case); none for the total
   * @param options period, statistic and the like
   */
  public metricTlsFailedSessions(domain?: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('TlsFailedSessions', domain, options);
  }

  /**
   * Reports read and stored (`ReportsParsed`), by type. From authenticated reports only unless
   * `countUnauthenticatedReports` is set.
   *
   * The parser puts this metric by type only: without a type the metric has no data.
   *
   * @param type the report type (a `Type` dimension)
   * @param options period, statistic and the like
   */
  public metricReportsParsed(type?: ReportType, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ReportsParsed', undefined, { dimensionsMap: type === undefined ? undefined : { Type: type }, ...options });
  }

  /**
   * Messages or reports the parser refused (`ReportsRejected`): in total, or by `Reason` through
   * `options.dimensionsMap`. From authenticated reports only unless
   * `countUnauthenticatedReports` is set.
   *
   * @param options period, statistic, `dimensionsMap: { Reason: … }` and the like
   */
  public metricReportsRejected(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ReportsRejected', undefined, options);
  }

  /**
   * Reports whose message was not authenticated as from its reporter
   * (`ReportsUnauthenticated`): in total, or by `Type` (`dmarc`, `tlsrpt`) through
   * `options.dimensionsMap`. Their rows are stored with `authenticated` false.
   *
   * @param options period, statistic, `dimensionsMap: { Type: … }` and the like
   */
  public metricReportsUnauthenticated(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ReportsUnauthenticated', undefined, options);
  }

  /**
   * Reports received again (same kind, reporter, report id and domain) and not counted twice
   * (`DuplicateReports`, in total).
   *
   * @param options period, statistic and the like
   */
  public metricDuplicateReports(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DuplicateReports', undefined, options);
  }

  /**
   * Rows the parser did not store because a budget was spent (`RowsDropped`): in total, or by
   * `Reason` (`message-rows`, `message-bytes`, `reporter-rows`, `reporter-bytes`) through
   * `options.dimensionsMap`.
   *
   * @param options period, statistic, `dimensionsMap: { Reason: … }` and the like
   */
  public metricRowsDropped(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('RowsDropped', undefined, options);
  }

  /**
   * Domains that send mail and had no DMARC aggregate report for the parser's silence threshold
   * (`SilentDomains`, in total). The daily sweep puts it every day, 0 included.
   *
   * @param options period, statistic and the like
   */
  public metricSilentDomains(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('SilentDomains', undefined, options);
  }

  private metric(metricName: string, domain: string | undefined, options: cloudwatch.MetricOptions | undefined): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: domain === undefined ? undefined : { Domain: domain.toLowerCase() },
      period: Duration.hours(6),
      statistic: cloudwatch.Stats.SUM,
      ...options,
    });
  }
}

/** What the inbox's monitoring needs. */
export interface ReportMonitoringProps {
  /** The inbox's metrics. */
  readonly metrics: ReportMetrics;
  /** The parser function. */
  readonly parserFunction: lambda.IFunction;
  /** The parser function's dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The parser function's log group, which the dashboard's Logs Insights widgets read. */
  readonly parserLogGroup: logs.ILogGroup;
  /**
   * The domains the inbox takes reports for (not its own), read when the template is
   * synthesised, so domains added after the monitoring is built are included.
   */
  readonly domains: () => string[];
  /** The inbox's domain, for example `reports.dept.gov.uk`. */
  readonly inboxDomain: string;
  /** The DMARC report address (`mailto:dmarc@…`). */
  readonly dmarcAddress: string;
  /** The TLS report address (`mailto:tls@…`). */
  readonly tlsReportAddress: string;
  /** The Glue database of the parsed rows. */
  readonly databaseName: string;
  /** The Athena work group to query them in. */
  readonly workGroupName: string;
}

/** What the monitoring made. */
export interface ReportMonitoring {
  /** In alarm when DMARC failures rise above their expected band (anomaly detection). */
  readonly dmarcFailureAlarm: cloudwatch.Alarm;
  /** In alarm when TLS failures rise above their expected band (anomaly detection). */
  readonly tlsFailureAlarm: cloudwatch.Alarm;
  /** In alarm when the function fails or an event reaches the dead-letter queue. */
  readonly parserFailureAlarm: cloudwatch.Alarm;
  /** In alarm when a domain that sends mail has had no aggregate report for days, or the daily sweep did not run. */
  readonly silentDomainsAlarm: cloudwatch.Alarm;
  /** In alarm when the parser dropped rows because a budget was spent. */
  readonly rowsDroppedAlarm: cloudwatch.Alarm;
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;
}

/** CloudWatch's limit on an alarm's description, in characters. */
const MAX_ALARM_DESCRIPTION = 1024;
/** How many domains the "worst domains" graphs show. */
const TOP_DOMAINS = 10;
/** The log line's `authenticated` field, matched in the raw line so JSON booleans need no mapping. */
const AUTHENTICATED_LINE = '@message like /"authenticated":\\s*true/';

/**
 * An alarm description naming the inbox's domains, or, when the list would take it over
 * CloudWatch's 1,024 characters, how many there are and where their reports go.
 *
 * @param text the description, given the domains as words
 * @param domains the inbox's domains
 * @param inboxDomain the inbox's own domain
 */
export function describeDomains(text: (domains: string) => string, domains: string[], inboxDomain: string): string {
  const listed = text(domains.join(', '));
  return listed.length <= MAX_ALARM_DESCRIPTION ? listed : text(`the ${domains.length} domains that report to ${inboxDomain}`);
}

/** {@link describeDomains}, rendered at synthesis, when every domain has been added. */
function alarmDescription(text: (domains: string) => string, domains: () => string[], inboxDomain: string): string {
  return Lazy.string({ produce: () => describeDomains(text, domains(), inboxDomain) });
}

/**
 * The inbox's alarms and dashboard, in `scope`: `DmarcFailureAlarm`, `TlsFailureAlarm`,
 * `ParserFailureAlarm`, `SilentDomainsAlarm`, `RowsDroppedAlarm` and `Dashboard`.
 */
export function buildReportMonitoring(scope: Construct, props: ReportMonitoringProps): ReportMonitoring {
  const m = props.metrics;
  const fn = props.parserFunction;
  const dlq = props.deadLetterQueue;

  const dmarcFailureAlarm = new cloudwatch.AnomalyDetectionAlarm(scope, 'DmarcFailureAlarm', {
    alarmDescription: alarmDescription((domains) => `DMARC failures reported for ${domains} rose above their expected band: a sender is misconfigured or someone is spoofing a domain. See the ${DMARC_TABLE_NAME} table.`,
      props.domains, props.inboxDomain),
    metric: m.metricDmarcFailedMessages(),
    stdDevs: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const tlsFailureAlarm = new cloudwatch.AnomalyDetectionAlarm(scope, 'TlsFailureAlarm', {
    alarmDescription: alarmDescription((domains) => `TLS failures reported by senders to ${domains} rose above their expected band: check certificates and MTA-STS policies. See the ${TLSRPT_TABLE_NAME} table.`,
      props.domains, props.inboxDomain),
    metric: m.metricTlsFailedSessions(),
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
  const parserFailureAlarm = new cloudwatch.Alarm(scope, 'ParserFailureAlarm', {
    alarmDescription: 'The report parser failed, or an S3 event is waiting in its dead-letter queue: reports are not being read.',
    metric: failures,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  // The sweep puts SilentDomains once a day, 0 included: the day's maximum is its count (a
  // sweep run twice in a day is not counted twice). A day with no value means the sweep did not
  // run (its rule disabled or deleted, or the function failing before it puts the metric), and
  // then a domain going silent would go unseen: so missing data breaches. After the first
  // deployment the alarm is in alarm until the first sweep has run.
  const silentDomainsAlarm = new cloudwatch.Alarm(scope, 'SilentDomainsAlarm', {
    alarmDescription: `A domain that sends mail and reports to ${props.inboxDomain} has had no DMARC aggregate report for days (see the "silent domains" log line on the dashboard), `
      + 'or the daily sweep that counts them did not run (no SilentDomains value for a day): check the domain\'s DMARC record still sends reports here, and the parser\'s schedule.',
    metric: m.metricSilentDomains({ period: Duration.days(1), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  // RowsDropped is put only when rows are dropped: no data is a day with none.
  const rowsDroppedAlarm = new cloudwatch.Alarm(scope, 'RowsDroppedAlarm', {
    alarmDescription: `The report parser dropped rows of reports to ${props.inboxDomain} because a per-message or per-reporter daily budget was spent: the stored rows and the figures are incomplete. `
      + 'See RowsDropped by Reason on the dashboard, and raise the budget if the reporter is genuine.',
    metric: m.metricRowsDropped({ period: Duration.days(1) }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  const alarms = { dmarcFailureAlarm, tlsFailureAlarm, parserFailureAlarm, silentDomainsAlarm, rowsDroppedAlarm };
  const dashboard = buildDashboard(scope, props, Object.values(alarms));
  return { ...alarms, dashboard };
}

/**
 * The dashboard, laid out for a reviewer: what to act on first (alarms, the worst domains,
 * unknown sources, TLS failures), then whether the figures are complete (silent domains, rows
 * dropped, unauthenticated and duplicate reports), then the parser's health. Its size does not
 * grow with the number of domains.
 */
function buildDashboard(scope: Construct, props: ReportMonitoringProps, alarms: cloudwatch.IAlarm[]): cloudwatch.Dashboard {
  const m = props.metrics;
  const fn = props.parserFunction;
  const day = { period: Duration.days(1) };
  const logGroupNames = [props.parserLogGroup.logGroupName];
  const logTable = (title: string, queryLines: string[], width = 12, height = 8) => new cloudwatch.LogQueryWidget({
    title, logGroupNames, queryLines, view: cloudwatch.LogQueryVisualizationType.TABLE, width, height,
  });
  // Metrics Insights sorts every matching series (up to 10,000) before keeping the worst, where a
  // SEARCH expression would stop at 500 series of its own choosing.
  const worstDomains = (metricName: string, label: string) => new cloudwatch.MathExpression({
    expression: `SELECT SUM(${metricName}) FROM SCHEMA("${m.namespace}", Domain) GROUP BY Domain ORDER BY SUM() DESC LIMIT ${TOP_DOMAINS}`,
    label,
    period: Duration.days(1),
  });
  const byDimension = (metricName: string, dimension: string, label: string) => new cloudwatch.MathExpression({
    expression: `SEARCH('{${m.namespace},${dimension}} MetricName="${metricName}"', 'Sum', 86400)`,
    label,
    period: Duration.days(1),
  });

  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { defaultInterval: Duration.days(30) });
  const domainCount = Lazy.string({ produce: () => String(props.domains().length) });
  dashboard.addWidgets(new cloudwatch.TextWidget({
    markdown: [
      `# DMARC and TLS reports received at ${props.inboxDomain}`,
      `DMARC aggregate reports to \`${props.dmarcAddress}\`, TLS reports to \`${props.tlsReportAddress}\`; domains served: ${domainCount}. `
        + 'Figures are from reports whose message was authenticated as from its reporter.',
      `Rows are in Athena: database \`${props.databaseName}\`, tables \`${DMARC_TABLE_NAME}\` and \`${TLSRPT_TABLE_NAME}\`; `
        + `query in work group \`${props.workGroupName}\`, whose saved queries list failing and new sources, a domain's sources, and TLS failures.`,
    ].join('\n\n'),
    width: 24,
    height: 3,
  }));
  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 3 }));

  dashboard.addWidgets(
    logTable('DMARC: share of messages failing, per domain (worst first)', [
      `filter message = "dmarc report" and ${AUTHENTICATED_LINE}`,
      'stats sum(failedMessages) as failed, sum(messages) as reported, 100 * failed / reported as failingPercent by domain',
      'sort failingPercent desc',
      'limit 100',
    ]),
    logTable('DMARC: unknown sources, by domain and source IP', [
      `filter message = "dmarc source" and sender = "unknown" and ${AUTHENTICATED_LINE}`,
      'stats sum(messages) as reported, count_distinct(reporter) as reporters by domain, sourceIp',
      'sort reported desc',
      'limit 100',
    ]),
  );
  dashboard.addWidgets(
    logTable('TLS: failures by result type and receiving MX', [
      `filter message = "tls failure" and ${AUTHENTICATED_LINE}`,
      'stats sum(sessions) as failedSessions, count_distinct(reporter) as reporters by resultType, receivingMx, domain',
      'sort failedSessions desc',
      'limit 100',
    ]),
    new cloudwatch.GraphWidget({
      title: `DMARC failures: the ${TOP_DOMAINS} worst domains and the total (daily, last 14 days)`,
      left: [worstDomains('DmarcFailedMessages', '')],
      right: [
        m.metricDmarcFailedMessages(undefined, { ...day, label: 'all domains' }),
        m.metricUnauthenticatedDmarcFailedMessages({ ...day, label: 'in unauthenticated reports' }),
      ],
      // Metrics Insights reads the last two weeks.
      start: '-P14D',
      width: 12,
      height: 8,
    }),
  );
  dashboard.addWidgets(
    logTable('Silent domains: the last sweep', [
      // The line holds the count and the domains.
      'fields @timestamp, @message',
      'filter message = "silent domains"',
      'sort @timestamp desc',
      'limit 1',
    ], 12, 6),
    new cloudwatch.GraphWidget({
      title: `TLS failures: the ${TOP_DOMAINS} worst domains and the total; silent domains (daily, last 14 days)`,
      left: [worstDomains('TlsFailedSessions', '')],
      right: [
        m.metricTlsFailedSessions(undefined, { ...day, label: 'failed TLS sessions, all domains' }),
        m.metricSilentDomains({ ...day, statistic: cloudwatch.Stats.MAXIMUM, label: 'silent domains' }),
      ],
      start: '-P14D',
      width: 12,
      height: 6,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Rows dropped for budgets, by reason (daily)',
      left: [
        m.metricRowsDropped({ ...day, label: 'all' }),
        ...['message-rows', 'message-bytes', 'reporter-rows', 'reporter-bytes'].map((reason) =>
          m.metricRowsDropped({ ...day, dimensionsMap: { Reason: reason }, label: reason })),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Reports read, rejected, unauthenticated and duplicate (daily)',
      left: [
        m.metricReportsParsed(ReportType.DMARC, { ...day, label: 'DMARC reports' }),
        m.metricReportsParsed(ReportType.TLS_RPT, { ...day, label: 'TLS reports' }),
        m.metricReportsUnauthenticated({ ...day, dimensionsMap: { Type: ReportType.DMARC }, label: 'unauthenticated DMARC reports' }),
        m.metricReportsUnauthenticated({ ...day, dimensionsMap: { Type: ReportType.TLS_RPT }, label: 'unauthenticated TLS reports' }),
        m.metricDuplicateReports({ ...day, label: 'duplicates' }),
      ],
      right: [byDimension('ReportsRejected', 'Reason', 'rejected')],
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Parser',
      left: [fn.metricInvocations({ label: 'invocations' }), fn.metricErrors({ label: 'errors' }), fn.metricThrottles({ label: 'throttles' })],
      right: [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'dead letters' })],
      width: 24,
    }),
  );
  return dashboard;
}
