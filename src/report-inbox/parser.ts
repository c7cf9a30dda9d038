import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { CONFIG_PREFIX, DOMAINS_KEY, DomainList, writeDomainList } from './inbox-config';
import { acknowledgeFindings } from './private/nag';
import type { ReportParserFunction } from './report-parser-function';
import { PARSED_PREFIX, RAW_PREFIX } from './store';
import { InboxSettings } from '../reports/limits';

/**
 * The parser function's class, loaded when an inbox is made: it extends lambda.Function, whose
 * module (and the core modules under it) an app that never makes an inbox need not load.
 */
function reportParserFunction(): typeof ReportParserFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./report-parser-function') as typeof import('./report-parser-function')).ReportParserFunction;
}

/**
 * The input the daily schedule invokes the parser function with: look for domains whose
 * aggregate reports have stopped.
 * @internal
 */
export const SWEEP_INPUT = { action: 'sweep-silent-domains' };

/**
 * What the parser is made with.
 * @internal
 */
export interface ReportParserProps {
  readonly bucket: s3.Bucket;
  readonly cfnBucket: s3.CfnBucket;
  readonly bucketName: string;
  readonly bucketArnText: string;
  readonly inboxDomain: string;
  readonly domains: DomainList;
  readonly metricNamespace: string;
  readonly concurrency: number;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** The parser's bounds and trust settings, checked. */
  readonly settings: InboxSettings;
}

/**
 * The parser and what it works with.
 * @internal
 */
export interface ReportParser {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue: sqs.Queue;
  readonly ledger: dynamodb.Table;
  readonly schedule: events.Rule;
}

/**
 * The parser function (`Parser`) with its role (`ParserRole`), logs (`ParserLogs`) and
 * dead-letter queue (`DeadLetterQueue`), invoked by the bucket for each new raw message; the
 * ledger table (`Ledger`: duplicates, reporters' daily budgets, when each domain last reported);
 * the daily sweep for silent domains (`SweepSchedule`); and the writer of the domain list the
 * function reads (`DomainList`). All in the inbox's scope.
 * @internal
 */
export function buildReportParser(scope: Construct, props: ReportParserProps): ReportParser {
  const dlq = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(dlq.node.defaultChild as IConstruct).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is the parser function\'s dead-letter queue; a dead-letter queue needs none of its own. The parser failure alarm watches it.',
  });

  const logGroup = new logs.LogGroup(scope, 'ParserLogs', {
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new iam.Role(scope, 'ParserRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Reads raw report mail, writes parsed reports, puts report metrics',
  });

  // The ledger: a report seen before (by its hash), each reporter's rows and bytes of the day,
  // and when each domain last reported. Items expire by `expiresAt`; kept with the buckets.
  const ledger = new dynamodb.Table(scope, 'Ledger', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: props.removalPolicy,
  });

  const s = props.settings;
  const ParserFunction = reportParserFunction();
  const fn = new ParserFunction(scope, 'Parser', {
    description: 'Reads DMARC and TLS-RPT reports from raw mail (cdk-gov-email ReportInbox)',
    role,
    architecture: lambda.Architecture.ARM_64,
    // The parser holds one message (at most 40 MB), one decoded attachment and one report
    // (at most 25 MB decompressed) at a time: 1 GiB and two minutes cover the largest.
    memorySize: 1024,
    timeout: Duration.minutes(2),
    reservedConcurrentExecutions: props.concurrency,
    deadLetterQueue: dlq,
    retryAttempts: 2,
    maxEventAge: Duration.hours(6),
    logGroup,
    environment: {
      BUCKET_NAME: props.bucketName,
      RAW_PREFIX,
      PARSED_PREFIX,
      METRIC_NAMESPACE: props.metricNamespace,
      // The domain list is an object in the bucket, not a variable: Lambda's environment holds 4 KB.
      DOMAINS_KEY,
      LEDGER_TABLE: ledger.tableName,
      MAX_ROWS_PER_MESSAGE: String(s.maxRowsPerMessage),
      MAX_BYTES_PER_MESSAGE: String(s.maxBytesPerMessage),
      MAX_ROWS_PER_REPORTER_DAY: String(s.maxRowsPerReporterDay),
      MAX_BYTES_PER_REPORTER_DAY: String(s.maxBytesPerReporterDay),
      SILENT_AFTER_DAYS: String(s.silentAfterDays),
      COUNT_UNAUTHENTICATED: String(s.countUnauthenticated),
    },
  });
  grantParser(role, logGroup, ledger, props);
  acknowledgeFindings(fn, [{
    id: 'AwsSolutions-L1',
    reason: 'The function runs Node.js 22, the runtime the project builds its Lambda bundles for (projen lambdaOptions): a supported LTS runtime. Moving to a newer one is a build change, made and tested with the bundle.',
  }]);

  // S3 invokes the function for each new raw message: the permission first, then the
  // notification, set on the bucket itself (no custom resource, no Lambda of CDK's own).
  fn.addPermission('InvokeFromReportBucket', {
    principal: new iam.ServicePrincipal('s3.amazonaws.com'),
    sourceArn: props.bucketArnText,
    sourceAccount: Aws.ACCOUNT_ID,
  });
  props.cfnBucket.notificationConfiguration = {
    lambdaConfigurations: [{
      event: 's3:ObjectCreated:*',
      function: fn.functionArn,
      filter: { s3Key: { rules: [{ name: 'prefix', value: RAW_PREFIX }] } },
    }],
  };
  props.cfnBucket.node.addDependency(fn.node.findChild('InvokeFromReportBucket'));

  // Once a day, the function looks for domains whose aggregate reports have stopped.
  const schedule = new events.Rule(scope, 'SweepSchedule', {
    description: 'Daily: the report parser looks for domains whose DMARC aggregate reports have stopped (cdk-gov-email ReportInbox)',
    schedule: events.Schedule.cron({ minute: '0', hour: '6' }),
    targets: [new targets.LambdaFunction(fn, {
      event: events.RuleTargetInput.fromObject(SWEEP_INPUT),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    })],
  });

  const domainList = writeDomainList(scope, {
    list: props.domains,
    inboxDomain: props.inboxDomain,
    bucketName: props.bucketName,
    bucketArnText: props.bucketArnText,
    logRetention: props.logRetention,
  });
  // The bucket's name is written out, not referenced: the list is written once the bucket exists.
  domainList.node.addDependency(props.bucket);

  return { fn, role, logGroup, deadLetterQueue: dlq, ledger, schedule };
}

function grantParser(role: iam.Role, logGroup: logs.LogGroup, ledger: dynamodb.Table, props: ReportParserProps): void {
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'ReadRawReportMail',
    actions: ['s3:GetObject'],
    resources: [`${props.bucketArnText}/${RAW_PREFIX}*`],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'WriteParsedReports',
    actions: ['s3:PutObject'],
    resources: [`${props.bucketArnText}/${PARSED_PREFIX}*`],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'PutReportMetrics',
    actions: ['cloudwatch:PutMetricData'],
    // PutMetricData has no resource-level permissions: IAM requires "*"; the namespace
    // condition limits it to the inbox's own metrics.
    resources: ['*'],
    conditions: { StringEquals: { 'cloudwatch:namespace': props.metricNamespace } },
  }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'WriteParserLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'ReadInboxConfiguration',
    actions: ['s3:GetObject'],
    resources: [`${props.bucketArnText}/${CONFIG_PREFIX}*`],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'UseReportLedger',
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    resources: [ledger.tableArn],
  }));
  // cdk-nag names each wildcard resource as it resolves the ARN (tokens as <AWS::…>).
  const bucketInFinding = `arn:<AWS::Partition>:s3:::gov-email-reports-${role.node.scope!.node.addr.slice(0, 8)}-<AWS::AccountId>-<AWS::Region>`;
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
      id: `AwsSolutions-IAM5[Resource::${bucketInFinding}/${CONFIG_PREFIX}*]`,
      reason: 'The parser reads the inbox\'s configuration under config/ (the domain list the inbox writes at deployment), and nothing else there.',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData supports no resource-level permissions, so IAM requires "*"; the cloudwatch:namespace condition limits it to the inbox\'s own namespace.',
    },
  ]);
}
