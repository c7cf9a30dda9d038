import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { ReportMetrics, ReportType, buildReportMonitoring, describeDomains } from '../../src/report-inbox/monitoring';
import { RejectionReason } from '../../src/reports/model';
import { inboxSnapshot, snapshotBlock } from './support/inbox-snapshot';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors());

const ENV = { account: '111122223333', region: 'eu-west-2' };
const INBOX = 'reports.dept.gov.uk';
const DATABASE = 'gov_email_reports_reports_dept_gov_uk';
const WORK_GROUP = 'gov-email-reports-c8cb2170';

/**
 * The monitoring in a bare stack, at the construct path the ReportInbox gives it
 * (`Mail/Reports`), over a function, queue and log group with the inbox's ids: so the logical ids
 * of the alarms and of what they watch are the inbox's.
 */
function build(domains: string[] = ['dept.gov.uk', 'old-dept.gov.uk']) {
  const app = new App();
  const stack = new Stack(app, 'Mail', { env: ENV });
  const scope = new Construct(stack, 'Reports');
  const logGroup = new logs.LogGroup(scope, 'ParserLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
  const fn = new lambda.Function(scope, 'Parser', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    logGroup,
  });
  const dlq = new sqs.Queue(scope, 'DeadLetterQueue', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
  const metrics = new ReportMetrics('GovEmail/Reports');
  const monitoring = buildReportMonitoring(scope, {
    metrics,
    parserFunction: fn,
    deadLetterQueue: dlq,
    parserLogGroup: logGroup,
    domains: () => domains,
    inboxDomain: INBOX,
    dmarcAddress: `mailto:dmarc@${INBOX}`,
    tlsReportAddress: `mailto:tls@${INBOX}`,
    databaseName: DATABASE,
    workGroupName: WORK_GROUP,
  });
  return { app, stack, monitoring, domains };
}

// ---- the snapshot of the ReportInbox template ----------------------------------------------------

// ---- the dashboard body -----------------------------------------------------------------------

/** A stand-in for each token of the body, longer than any name or ARN it stands for. */
const TOKEN = 'x'.repeat(256);

/** The dashboard's body as CloudWatch gets it, each token (a name, an ARN, the region) as {@link TOKEN}. */
function dashboardBody(template: Template): { text: string; body: any } {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const [separator, parts] = dashboards[0].Properties.DashboardBody['Fn::Join'] as [string, unknown[]];
  const text = parts.map((p) => (typeof p === 'string' ? p : TOKEN)).join(separator);
  return { text, body: JSON.parse(text) };
}

/** The most series a metric widget's entry can show: one metric, a Metrics Insights query's LIMIT, or what a SEARCH can match. */
function seriesOf(entry: unknown[]): number {
  const options = entry[entry.length - 1] as { expression?: string };
  const expression = typeof options === 'object' ? options.expression : undefined;
  if (expression === undefined) return 1;
  const limit = /^SELECT .* LIMIT (\d+)$/.exec(expression);
  if (limit) return Number(limit[1]);
  if (/^SEARCH\('\{[^,]+,Reason\} MetricName="ReportsRejected"'/.test(expression)) return Object.values(RejectionReason).length;
  throw new Error(`an expression whose series are not bounded here: ${expression}`);
}

// ---- the contract's log lines ---------------------------------------------------------------------

/** The parser's log lines the dashboard queries, as the inbox's contract writes them, by message. */
const LOG_LINES: Record<string, Record<string, unknown>> = Object.fromEntries([
  '{"level":"info","message":"dmarc report","domain":"dept.gov.uk","reporter":"google.com","authenticated":true,"messages":10,"failedMessages":2}',
  '{"level":"info","message":"dmarc source","domain":"dept.gov.uk","reporter":"google.com","authenticated":true,"sourceIp":"192.0.2.1",'
    + '"sender":"unknown","messages":3,"dmarcPass":false,"dkimAligned":"fail","spfAligned":"fail"}',
  '{"level":"info","message":"tls report","domain":"dept.gov.uk","reporter":"google.com","authenticated":true,"successfulSessions":5,"failedSessions":1}',
  '{"level":"info","message":"tls failure","domain":"dept.gov.uk","reporter":"google.com","authenticated":true,"resultType":"certificate-expired",'
    + '"receivingMx":"mx.dept.gov.uk","sessions":1}',
  '{"level":"warn","message":"silent domains","domains":["old-dept.gov.uk"],"count":1}',
].map((line) => JSON.parse(line)).map((line) => [line.message, line]));

/** Logs Insights words the queries use. */
const LOGS_INSIGHTS_WORDS = new Set(['fields', 'filter', 'stats', 'sort', 'limit', 'by', 'as', 'and', 'or', 'not', 'like', 'desc', 'asc', 'sum', 'count_distinct']);

/** The fields a Logs Insights query reads that the log line lacks (aliases after `as` and @-fields aside). */
function missingFields(query: string, line: Record<string, unknown>): string[] {
  const code = query.replace(/"[^"]*"/g, ' ').replace(/\/(?:[^/\\]|\\.)*\//g, ' ').replace(/@[A-Za-z]+/g, ' ');
  const words = [...code.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]);
  const aliases = new Set(words.filter((_, i) => words[i - 1] === 'as'));
  return [...new Set(words.filter((w) => !LOGS_INSIGHTS_WORDS.has(w) && !aliases.has(w) && !(w in line)))];
}

describe('ReportMonitoring: the alarms the inbox had', () => {
  test('DmarcFailureAlarm, TlsFailureAlarm and ParserFailureAlarm are identical to the ReportInbox\'s, logical ids included (its template snapshot)', () => {
    const { stack } = build();
    const template = lint.template(stack);
    const snapshot = inboxSnapshot();
    for (const id of ['ReportsDmarcFailureAlarm8AC24FF3', 'ReportsTlsFailureAlarmD5B86F8B', 'ReportsParserFailureAlarm898D76E2']) {
      expect(snapshot).toContain(snapshotBlock(template, id));
    }
  });

  test('domains added after the monitoring is built are named in the descriptions (rendered at synthesis)', () => {
    const { stack, domains } = build(['dept.gov.uk']);
    domains.push('agency.org.uk');
    const descriptions = Object.values(lint.template(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmDescription);
    expect(descriptions).toContain('DMARC failures reported for dept.gov.uk, agency.org.uk rose above their expected band: a sender is misconfigured or someone is spoofing a domain. See the dmarc_aggregate table.');
  });

  test('3,000 domains: the descriptions count them and stay within CloudWatch\'s 1,024 characters', () => {
    const domains = Array.from({ length: 3000 }, (_, i) => `domain-number-${i}.gov.uk`);
    const descriptions = Object.values(lint.template(build(domains).stack).findResources('AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties.AlarmDescription as string);
    expect(descriptions).toHaveLength(5);
    for (const d of descriptions) expect(d.length).toBeLessThanOrEqual(1024);
    expect(descriptions).toContain('TLS failures reported by senders to the 3000 domains that report to reports.dept.gov.uk rose above their expected band: check certificates and MTA-STS policies. See the tls_rpt table.');
  });
});

describe('ReportMonitoring: the new alarms', () => {
  test('SilentDomainsAlarm: the day\'s SilentDomains at least 1, and a day without the sweep\'s value breaches', () => {
    const { stack, monitoring } = build();
    const template = lint.template(stack);
    expect(stack.getLogicalId(monitoring.silentDomainsAlarm.node.defaultChild as cloudwatch.CfnAlarm)).toMatch(/^ReportsSilentDomainsAlarm[0-9A-F]{8}$/);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'GovEmail/Reports',
      MetricName: 'SilentDomains',
      Dimensions: Match.absent(),
      Period: 86400,
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
    });
  });

  test('RowsDroppedAlarm: rows dropped for budgets over a day at least 1; no data is a day with none dropped', () => {
    const { stack, monitoring } = build();
    const template = lint.template(stack);
    expect(stack.getLogicalId(monitoring.rowsDroppedAlarm.node.defaultChild as cloudwatch.CfnAlarm)).toMatch(/^ReportsRowsDroppedAlarm[0-9A-F]{8}$/);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'GovEmail/Reports',
      MetricName: 'RowsDropped',
      Dimensions: Match.absent(),
      Period: 86400,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  test('cdk-nag AwsSolutions finds nothing in the alarms and the dashboard', () => {
    const { app, stack } = build();
    lint.template(stack);
    const report = new AwsSolutionsChecks().validateScope(app);
    const ours = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
      .filter((v) => /Alarm|Dashboard/.test(v));
    expect(ours).toEqual([]);
  });
});

describe('ReportMetrics', () => {
  const metrics = new ReportMetrics('GovEmail/Reports');

  test.each([
    ['metricDmarcMessages', (d?: string) => metrics.metricDmarcMessages(d), 'DmarcMessages'],
    ['metricDmarcFailedMessages', (d?: string) => metrics.metricDmarcFailedMessages(d), 'DmarcFailedMessages'],
    ['metricTlsSuccessfulSessions', (d?: string) => metrics.metricTlsSuccessfulSessions(d), 'TlsSuccessfulSessions'],
    ['metricTlsFailedSessions', (d?: string) => metrics.metricTlsFailedSessions(d), 'TlsFailedSessions'],
  ])('%s: per domain (the Domain dimension lower case) or in total, summed over six hours', (_, make, name) => {
    const perDomain = make('Dept.GOV.uk');
    expect([perDomain.namespace, perDomain.metricName, perDomain.dimensions, perDomain.period.toSeconds(), perDomain.statistic])
      .toEqual(['GovEmail/Reports', name, { Domain: 'dept.gov.uk' }, 21600, 'Sum']);
    const total = make();
    expect([total.metricName, total.dimensions]).toEqual([name, undefined]);
  });

  test.each([
    ['metricReportsRejected', (o?: cloudwatch.MetricOptions) => metrics.metricReportsRejected(o), 'ReportsRejected'],
    ['metricReportsUnauthenticated', (o?: cloudwatch.MetricOptions) => metrics.metricReportsUnauthenticated(o), 'ReportsUnauthenticated'],
    ['metricUnauthenticatedDmarcFailedMessages', (o?: cloudwatch.MetricOptions) => metrics.metricUnauthenticatedDmarcFailedMessages(o), 'UnauthenticatedDmarcFailedMessages'],
    ['metricDuplicateReports', (o?: cloudwatch.MetricOptions) => metrics.metricDuplicateReports(o), 'DuplicateReports'],
    ['metricRowsDropped', (o?: cloudwatch.MetricOptions) => metrics.metricRowsDropped(o), 'RowsDropped'],
    ['metricSilentDomains', (o?: cloudwatch.MetricOptions) => metrics.metricSilentDomains(o), 'SilentDomains'],
  ])('%s: in total by default; options set the period, statistic and dimensions', (_, make, name) => {
    const total = make();
    expect([total.namespace, total.metricName, total.dimensions, total.period.toSeconds(), total.statistic])
      .toEqual(['GovEmail/Reports', name, undefined, 21600, 'Sum']);
    const shaped = make({ period: Duration.days(1), statistic: cloudwatch.Stats.MAXIMUM, dimensionsMap: { Reason: 'message-rows' } });
    expect([shaped.period.toSeconds(), shaped.statistic, shaped.dimensions]).toEqual([86400, 'Maximum', { Reason: 'message-rows' }]);
  });

  test('metricReportsParsed: by Type (dmarc, tlsrpt)', () => {
    expect(Object.values(ReportType)).toEqual(['dmarc', 'tlsrpt']);
    expect(metrics.metricReportsParsed(ReportType.DMARC).dimensions).toEqual({ Type: 'dmarc' });
    expect(metrics.metricReportsParsed(ReportType.TLS_RPT, { period: Duration.days(1) })).toEqual(
      expect.objectContaining({ metricName: 'ReportsParsed', dimensions: { Type: 'tlsrpt' } }));
    expect(metrics.metricReportsParsed(ReportType.TLS_RPT, { period: Duration.days(1) }).period.toSeconds()).toBe(86400);
  });

  test('a namespace with a quote is refused: the dashboard\'s expressions quote it', () => {
    expect(() => new ReportMetrics('Gov"Email')).toThrow(/A metric namespace holds no quote or backslash\. Got: "Gov\\"Email"/);
  });
});

describe('ReportMonitoring: the dashboard for 3,000 domains', () => {
  const domains = Array.from({ length: 3000 }, (_, i) => `domain-number-${i}.gov.uk`);

  test('within CloudWatch\'s limits: 500 widgets, 500 metrics a widget, 2,500 metrics in all; its size does not grow with the domains', () => {
    const big = dashboardBody(lint.template(build(domains).stack));
    const small = dashboardBody(Template.fromStack(build().stack));
    const widgets = big.body.widgets as any[];
    expect(widgets.length).toBeLessThanOrEqual(500);
    const perWidget = widgets.filter((w) => w.type === 'metric').map((w) => (w.properties.metrics as unknown[][]).reduce((n, e) => n + seriesOf(e), 0));
    for (const n of perWidget) expect(n).toBeLessThanOrEqual(500);
    expect(perWidget.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2500);
    // Only the count of domains in the text differs: "3000" for "2".
    expect(big.text.length - small.text.length).toBe(3);
    // Far below CloudFormation's 1 MB template, with every token as long as an ARN can be.
    expect(big.text.length).toBeLessThan(64 * 1024);
    // CloudWatch's limit on a metric math expression (GetMetricData: 1,024 characters).
    for (const w of widgets.filter((x) => x.type === 'metric')) {
      for (const e of w.properties.metrics as unknown[][]) {
        const expression = (e[e.length - 1] as { expression?: string }).expression;
        if (expression !== undefined) expect(expression.length).toBeLessThanOrEqual(1024);
      }
    }
  });

  test('no widget lists one metric per domain: per-domain figures come from Logs Insights and Metrics Insights queries', () => {
    const { body } = dashboardBody(Template.fromStack(build(domains).stack));
    const metrics = (body.widgets as any[]).filter((w) => w.type === 'metric').flatMap((w) => w.properties.metrics as unknown[][]);
    expect(metrics.filter((e) => e.includes('Domain'))).toEqual([]);
    const expressions = metrics.map((e) => (e[e.length - 1] as { expression?: string }).expression).filter((x) => x !== undefined);
    expect(expressions).toEqual(expect.arrayContaining([
      'SELECT SUM(DmarcFailedMessages) FROM SCHEMA("GovEmail/Reports", Domain) GROUP BY Domain ORDER BY SUM() DESC LIMIT 10',
      'SELECT SUM(TlsFailedSessions) FROM SCHEMA("GovEmail/Reports", Domain) GROUP BY Domain ORDER BY SUM() DESC LIMIT 10',
    ]));
    expect(JSON.stringify(body)).not.toContain('domain-number-');
  });

  test('the text names the addresses, the Athena database and work group, and how many domains', () => {
    const { body } = dashboardBody(Template.fromStack(build(domains).stack));
    const markdown = (body.widgets as any[]).find((w) => w.type === 'text').properties.markdown as string;
    for (const part of [`mailto:dmarc@${INBOX}`, `mailto:tls@${INBOX}`, DATABASE, WORK_GROUP, 'dmarc_aggregate', 'tls_rpt', 'domains served: 3000.']) {
      expect(markdown).toContain(part);
    }
  });

  test('the alarm widget shows all five alarms', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    const parts = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody['Fn::Join'][1] as unknown[];
    const arns = parts.filter((p: any) => p?.['Fn::GetAtt']?.[1] === 'Arn').map((p: any) => p['Fn::GetAtt'][0]);
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(new Set(arns)).toEqual(new Set(alarms));
    expect(alarms).toHaveLength(5);
  });

  test('the Logs Insights widgets read the parser\'s log group, and only fields of the contract\'s log lines', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    const { body } = dashboardBody(template);
    const logWidgets = (body.widgets as any[]).filter((w) => w.type === 'log');
    expect(logWidgets.map((w) => w.properties.title)).toEqual([
      'DMARC: share of messages failing, per domain (worst first)',
      'DMARC: unknown sources, by domain and source IP',
      'TLS: failures by result type and receiving MX',
      'Silent domains: the last sweep',
    ]);
    for (const w of logWidgets) {
      const query = w.properties.query as string;
      // SOURCE '<log group>' | …: the group's name is a token in the template.
      expect(query).toMatch(new RegExp(`^SOURCE '${TOKEN}' \\| `));
      expect(query.length).toBeLessThanOrEqual(10000);
      const message = /message = "([^"]+)"/.exec(query)?.[1];
      expect(Object.keys(LOG_LINES)).toContain(message);
      expect(missingFields(query.replace(/^SOURCE '[^']*' \| /, ''), LOG_LINES[message!])).toEqual([]);
    }
    // The three report views count authenticated reports only.
    for (const w of logWidgets.slice(0, 3)) expect(w.properties.query).toContain('@message like /"authenticated":\\s*true/');
    // The failing share is worst first.
    expect(logWidgets[0].properties.query).toMatch(/100 \* failed \/ reported as failingPercent by domain\n\| sort failingPercent desc/);
  });

  test('the field check finds a field the log line lacks', () => {
    expect(missingFields('filter message = "tls failure" | stats sum(failedSessions) as n by resultType', LOG_LINES['tls failure'])).toEqual(['failedSessions']);
  });
});

describe('describeDomains', () => {
  const text = (domains: string) => `DMARC failures reported for ${domains} rose.`;
  const domain = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?\.gov\.uk$/);

  test('names every domain when they fit in 1,024 characters, and counts them otherwise', () => {
    fc.assert(fc.property(fc.array(domain, { minLength: 1, maxLength: 120 }), (domains) => {
      const d = describeDomains(text, domains, INBOX);
      expect(d.length).toBeLessThanOrEqual(1024);
      if (text(domains.join(', ')).length <= 1024) {
        expect(d).toBe(text(domains.join(', ')));
      } else {
        expect(d).toBe(text(`the ${domains.length} domains that report to ${INBOX}`));
      }
    }));
  });
});
