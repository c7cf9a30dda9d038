import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DmarcRecord } from '../../src/constructs/dmarc-record';
import { MtaStsPolicyHost } from '../../src/constructs/mta-sts-policy-host';
import { ParkedDomain } from '../../src/constructs/parked-domain';
import { TlsRptRecord } from '../../src/constructs/tls-rpt-record';
import { MtaSts, MtaStsMode } from '../../src/records/mta-sts';
import { ReportInbox, ReportInboxMtaStsOptions, ReportInboxProps, ReportType } from '../../src/report-inbox';
import { DMARC_COLUMNS, TLSRPT_COLUMNS } from '../../src/reports';
import { TemplateLinter } from '../util/cfn-lint';
import { ensureParserBundle } from './support/bundle';

const lint = new TemplateLinter();
beforeAll(() => ensureParserBundle());
afterAll(() => lint.expectNoErrors());

const ENV = { account: '111122223333', region: 'eu-west-2' };

/** `env: null` for an environment-agnostic stack. */
function build(props: Partial<ReportInboxProps> = {}, env: { account?: string; region?: string } | null = ENV) {
  const app = new App();
  const stack = new Stack(app, 'Mail', { env: env ?? undefined });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'dept.gov.uk' });
  // Tests about other parts of the inbox accept it without MTA-STS explicitly.
  const inbox = new ReportInbox(stack, 'Reports', { zone, domains: ['dept.gov.uk', 'old-dept.gov.uk'], allowMissingMtaSts: true, ...props });
  return { app, stack, zone, inbox };
}

function synth(props: Partial<ReportInboxProps> = {}) {
  const built = build(props);
  return { ...built, template: lint.template(built.stack) };
}

/** Every IAM statement a role or a custom resource policy in the template grants. */
function iamStatements(template: Template): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** The template with asset hashes and CDK's asset bucket replaced, so the snapshot is stable. */
function stable(template: Template): unknown {
  return JSON.parse(JSON.stringify(template.toJSON())
    .replace(/[0-9a-f]{64}(\.zip)?/g, 'ASSET-HASH$1')
    .replace(/cdk-hnb659fds-assets-[^"]+/g, 'CDK-ASSETS-BUCKET'));
}

describe('ReportInbox: addresses and names', () => {
  test('the inbox domain, the two rua addresses, and the names an operator needs', () => {
    const { inbox } = synth();
    expect(inbox.domainName).toBe('reports.dept.gov.uk');
    expect(inbox.dmarcAddress).toBe('mailto:dmarc@reports.dept.gov.uk');
    expect(inbox.tlsReportAddress).toBe('mailto:tls@reports.dept.gov.uk');
    expect(inbox.domains).toEqual(['dept.gov.uk', 'old-dept.gov.uk']);
    expect(inbox.ruleSetName).toMatch(/^gov-email-reports-[0-9a-f]{8}$/);
    expect(inbox.activationCommand).toBe(`aws ses set-active-receipt-rule-set --rule-set-name ${inbox.ruleSetName} --region eu-west-2`);
    expect(inbox.databaseName).toBe('gov_email_reports_reports_dept_gov_uk');
    expect([inbox.dmarcTableName, inbox.tlsRptTableName]).toEqual(['dmarc_aggregate', 'tls_rpt']);
    expect(inbox.metricNamespace).toBe('GovEmail/Reports');
  });

  test('another address label, and domains normalised', () => {
    const { inbox } = synth({ address: 'DMARC-Reports', domains: ['Dept.gov.uk.', 'agency.org.uk'] });
    expect(inbox.dmarcAddress).toBe('mailto:dmarc@dmarc-reports.dept.gov.uk');
    expect(inbox.domains).toEqual(['dept.gov.uk', 'agency.org.uk']);
  });
});

describe('ReportInbox: DNS', () => {
  test('MX to SES inbound in the stack\'s region, and the records of a domain that receives and sends no mail', () => {
    const { template } = synth();
    const record = (name: string, type: string, values: string[]) =>
      template.hasResourceProperties('AWS::Route53::RecordSet', { Name: name, Type: type, ResourceRecords: values, TTL: '3600' });
    record('reports.dept.gov.uk.', 'MX', ['10 inbound-smtp.eu-west-2.amazonaws.com']);
    record('reports.dept.gov.uk.', 'TXT', ['"v=spf1 -all"']);
    record('_dmarc.reports.dept.gov.uk.', 'TXT', ['"v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; rua=mailto:dmarc@reports.dept.gov.uk"']);
    record('_smtp._tls.reports.dept.gov.uk.', 'TXT', ['"v=TLSRPTv1; rua=mailto:tls@reports.dept.gov.uk"']);
  });

  test('RFC 7489 §7.1: an authorisation record for each domain at another organisational domain, none for the zone\'s own', () => {
    const { template, inbox } = synth({ domains: ['dept.gov.uk', 'notify.dept.gov.uk', 'old-dept.gov.uk', 'agency.org.uk'] });
    expect(inbox.reportAuthorisationNames).toEqual([
      'old-dept.gov.uk._report._dmarc.reports.dept.gov.uk',
      'agency.org.uk._report._dmarc.reports.dept.gov.uk',
    ]);
    for (const name of inbox.reportAuthorisationNames) {
      template.hasResourceProperties('AWS::Route53::RecordSet', { Name: `${name}.`, Type: 'TXT', ResourceRecords: ['"v=DMARC1"'] });
    }
    expect(Object.values(template.findResources('AWS::Route53::RecordSet')).filter((r) => String(r.Properties.Name).includes('._report._dmarc.'))).toHaveLength(2);
  });

  test('an SES identity for the inbox domain (SES receives only for verified identities): Easy DKIM 2048, TLS required, retained', () => {
    const { template } = synth();
    template.hasResource('AWS::SES::EmailIdentity', {
      Properties: {
        EmailIdentity: 'reports.dept.gov.uk',
        DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
        ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { DeliveryOptions: { TlsPolicy: 'REQUIRE' } });
    template.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Type: 'CNAME' }, 3);
  });

  test('a second inbox at the same address in the zone fails synth: ROUTE53-RECORD-CONFLICT', () => {
    const { stack, zone } = build();
    new ReportInbox(stack, 'Again', { zone, domains: ['dept.gov.uk'] });
    expect(() => Template.fromStack(stack)).toThrow(/ROUTE53-RECORD-CONFLICT.*reports\.dept\.gov\.uk/);
  });
});

describe('ReportInbox: receiving', () => {
  test('one receipt rule for the two addresses: TLS required, spam and virus scanning, raw mail to S3 under raw/', () => {
    const { template, inbox } = synth();
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: inbox.ruleSetName });
    template.hasResource('AWS::SES::ReceiptRule', {
      Properties: {
        Rule: {
          Name: 'store-reports',
          Enabled: true,
          TlsPolicy: 'Require',
          ScanEnabled: true,
          Recipients: ['dmarc@reports.dept.gov.uk', 'tls@reports.dept.gov.uk'],
          Actions: [{ S3Action: { BucketName: { Ref: Match.stringLikeRegexp('^ReportsBucket') }, ObjectKeyPrefix: 'raw/' } }],
        },
      },
      // SES checks it may write to the bucket when the rule is created.
      DependsOn: [Match.stringLikeRegexp('^ReportsBucketPolicy')],
    });
  });

  test('not active by default: the command to activate it is an output, and an info annotation says so', () => {
    const { stack, inbox } = build();
    const template = lint.template(stack);
    template.hasOutput('*', { Value: inbox.activationCommand });
    template.resourceCountIs('Custom::AWS', 0);
    Annotations.fromStack(stack).hasInfo('/Mail/Reports', Match.stringLikeRegexp('REPORT-INBOX-RULE-SET-INACTIVE.*set-active-receipt-rule-set'));
  });

  test('activateRuleSet: the inbox\'s own custom resource sets the rule set active, after the rule exists', () => {
    const { template, inbox } = synth({ activateRuleSet: true });
    template.resourceCountIs('Custom::AWS', 0);
    const [activation] = Object.values(template.findResources('Custom::SesActiveReceiptRuleSet'));
    expect(activation.Properties.RuleSetName).toBe(inbox.ruleSetName);
    expect(activation.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ReportsRuleSetActivationFunction/), 'Arn'] });
    expect(activation.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ReportsRule/)]));
    expect(template.findOutputs('*')).toEqual({});
  });
});

describe('ReportInbox: storage', () => {
  test('the report bucket: encrypted, no public access, TLS 1.2 only, expires objects, logs access, notifies the parser of raw/', () => {
    const { template } = synth({ retention: Duration.days(90) });
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketName: { 'Fn::Join': ['', [Match.stringLikeRegexp('^gov-email-reports-[0-9a-f]{8}-$'), { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            { Id: 'expire', Status: 'Enabled', ExpirationInDays: 90, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
            // Processing records: 90 days, or the retention when shorter.
            { Id: 'expire-processing-records', Status: 'Enabled', Prefix: 'parsed/type=outcome/', ExpirationInDays: 90 },
          ],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^ReportsAccessLogs') }, LogFilePrefix: 'report-bucket/' },
        NotificationConfiguration: {
          LambdaConfigurations: [{
            Event: 's3:ObjectCreated:*',
            Function: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportsParser'), 'Arn'] },
            Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'raw/' }] } },
          }],
        },
      },
      DeletionPolicy: 'Retain',
      // S3 checks it may invoke the function when the notification is set.
      DependsOn: [Match.stringLikeRegexp('^ReportsParserInvokeFromReportBucket')],
    });
  });

  test('the bucket policy: plain HTTP and TLS below 1.2 denied; SES may put objects under raw/ only, for this account and this rule', () => {
    const { template, inbox } = synth();
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: Match.stringLikeRegexp('^ReportsBucket') } } }));
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]));
    const ses = statements.find((s: { Sid?: string }) => s.Sid === 'AllowSesToStoreReportMail');
    expect(ses).toMatchObject({ Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'ses.amazonaws.com' } });
    expect(JSON.stringify(ses.Resource)).toMatch(/\/raw\/\*"\]\]\}$/);
    expect(ses.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(ses.Condition.StringEquals['aws:SourceArn'])).toContain(`:receipt-rule-set/${inbox.ruleSetName}:receipt-rule/store-reports`);
    expect(statements).toHaveLength(3);
  });

  test('the access log bucket: encrypted, no public access, TLS only, expires logs, and takes logs from the report bucket alone', () => {
    const { template } = synth();
    const [logs] = Object.entries(template.findResources('AWS::S3::Bucket')).filter(([id]) => id.startsWith('ReportsAccessLogs')).map(([, r]) => r);
    expect(logs.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
    });
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: Match.stringLikeRegexp('^ReportsAccessLogs') } } }));
    const delivery = policy.Properties.PolicyDocument.Statement.find((s: { Sid?: string }) => s.Sid === 'AllowServerAccessLogsFromTheReportBucket');
    expect(delivery).toMatchObject({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
    expect(policy.Properties.PolicyDocument.Statement.some((s: { Condition?: { Bool?: object } }) => s.Condition?.Bool !== undefined)).toBe(true);
  });
});

describe('ReportInbox: the parser function', () => {
  test('Node.js 22, sized for the bounded parser, reserved concurrency, a dead-letter queue, retries, log retention', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 120,
      ReservedConcurrentExecutions: 2,
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportsDeadLetterQueue'), 'Arn'] } },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^ReportsParserLogs') } },
      Environment: {
        Variables: {
          BUCKET_NAME: { 'Fn::Join': ['', [Match.stringLikeRegexp('^gov-email-reports-'), { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
          RAW_PREFIX: 'raw/',
          PARSED_PREFIX: 'parsed/',
          METRIC_NAMESPACE: 'GovEmail/Reports',
          DOMAINS_KEY: 'config/domains.json',
          LEDGER_TABLE: { Ref: Match.stringLikeRegexp('^ReportsLedger') },
          MAX_ROWS_PER_MESSAGE: '50000',
          MAX_BYTES_PER_MESSAGE: '33554432',
          MAX_ROWS_PER_REPORTER_DAY: '500000',
          MAX_BYTES_PER_REPORTER_DAY: '268435456',
          SILENT_AFTER_DAYS: '3',
          COUNT_UNAUTHENTICATED: 'false',
          AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });

  test('only S3, for the report bucket in this account, and the daily sweep rule may invoke it', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp('^:s3:::gov-email-reports-'), { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportsSweepSchedule'), 'Arn'] },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 2);
  });

  test('least privilege: read raw/ and config/, write parsed/, use its ledger, put metric data in one namespace, write its own logs, send to its dead-letter queue; no managed policies', () => {
    const { template } = synth();
    const parserPolicy = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ReportsParserRole') }] } }));
    expect(parserPolicy).toHaveLength(1);
    const parser: Array<{ Sid?: string; Action: string | string[]; Resource: unknown }> = parserPolicy[0].Properties.PolicyDocument.Statement;
    expect(parser.map((s) => s.Action)).toEqual([
      'sqs:SendMessage', 's3:GetObject', 's3:PutObject', 'cloudwatch:PutMetricData', ['logs:CreateLogStream', 'logs:PutLogEvents'], 's3:GetObject',
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    ]);
    const statements = iamStatements(template);
    const sid = (id: string) => JSON.stringify(parser.find((s) => s.Sid === id)!.Resource);
    expect(sid('ReadRawReportMail')).toMatch(/\/raw\/\*"\]\]\}$/);
    expect(sid('ReadInboxConfiguration')).toMatch(/\/config\/\*"\]\]\}$/);
    expect(parser.find((s) => s.Sid === 'UseReportLedger')!.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ReportsLedger/), 'Arn'] });
    const resource = (action: string) => JSON.stringify(parser.find((s) => s.Action === action)!.Resource);
    expect(resource('s3:PutObject')).toMatch(/\/parsed\/\*"\]\]\}$/);
    expect(resource('sqs:SendMessage')).toContain('ReportsDeadLetterQueue');
    // No action wildcards anywhere; "*" as a resource only where IAM requires it (PutMetricData
    // has no resource-level permissions), limited by the namespace condition.
    for (const s of statements) {
      for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
    }
    const anyResource = statements.filter((s) => s.Resource === '*');
    expect(anyResource).toEqual([expect.objectContaining({ Action: 'cloudwatch:PutMetricData', Condition: { StringEquals: { 'cloudwatch:namespace': 'GovEmail/Reports' } } })]);
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('with activateRuleSet, the one other "*" is ses:SetActiveReceiptRuleSet, which has no resource-level permissions', () => {
    const { template } = synth({ activateRuleSet: true });
    const anyResource = iamStatements(template).filter((s) => s.Resource === '*').map((s) => s.Action);
    expect(anyResource.sort()).toEqual(['cloudwatch:PutMetricData', 'ses:SetActiveReceiptRuleSet']);
  });

  test('parserConcurrency, logRetention and metricNamespace', () => {
    const { template } = synth({ parserConcurrency: 5, logRetention: 30, metricNamespace: 'Dept/Reports' });
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5, Environment: { Variables: Match.objectLike({ METRIC_NAMESPACE: 'Dept/Reports' }) } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(JSON.stringify(iamStatements(template))).toContain('"cloudwatch:namespace":"Dept/Reports"');
  });
});

describe('ReportInbox: Athena, metrics, dashboard, alarms', () => {
  test('a Glue database and two partition-projected JSON tables over parsed/, with the parser\'s columns', () => {
    const { template, inbox } = synth();
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: inbox.databaseName } });
    for (const [name, type, columns] of [['dmarc_aggregate', 'dmarc', DMARC_COLUMNS], ['tls_rpt', 'tlsrpt', TLSRPT_COLUMNS]] as const) {
      template.hasResourceProperties('AWS::Glue::Table', {
        DatabaseName: inbox.databaseName,
        TableInput: {
          Name: name,
          TableType: 'EXTERNAL_TABLE',
          Parameters: Match.objectLike({
            'projection.enabled': 'true',
            'projection.dt.type': 'date',
            'projection.dt.format': 'yyyy-MM-dd',
            'projection.domain.type': 'enum',
            'projection.domain.values': 'dept.gov.uk,old-dept.gov.uk,reports.dept.gov.uk',
            'storage.location.template': { 'Fn::Join': ['', [Match.stringLikeRegexp('^s3://gov-email-reports-'), { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, `/parsed/type=${type}/dt=\${dt}/domain=\${domain}/`]] },
          }),
          PartitionKeys: [Match.objectLike({ Name: 'dt', Type: 'string' }), Match.objectLike({ Name: 'domain', Type: 'string' })],
          StorageDescriptor: Match.objectLike({
            Columns: columns.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
            SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', Parameters: { 'ignore.malformed.json': 'true' } },
          }),
        },
      });
    }
  });

  test('alarms on a rise in DMARC failures and in TLS failures (anomaly detection), and on parser failures', () => {
    const { template } = synth();
    for (const metric of ['DmarcFailedMessages', 'TlsFailedSessions']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ComparisonOperator: 'GreaterThanUpperThreshold',
        ThresholdMetricId: 'expr_1',
        TreatMissingData: 'notBreaching',
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' }),
          Match.objectLike({ MetricStat: { Metric: { MetricName: metric, Namespace: 'GovEmail/Reports' }, Period: 21600, Stat: 'Sum' } }),
        ]),
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'errors + dlq' })]),
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('typed metrics: per-domain and total metrics of the inbox, in its namespace', () => {
    const { inbox } = synth({ metricNamespace: 'Dept/Reports' });
    const named = (m: { metricName: string; namespace: string; dimensions?: unknown }) => [m.namespace, m.metricName, m.dimensions];
    expect(named(inbox.metricDmarcFailedMessages('Dept.gov.uk'))).toEqual(['Dept/Reports', 'DmarcFailedMessages', { Domain: 'dept.gov.uk' }]);
    expect(named(inbox.metricTlsFailedSessions())).toEqual(['Dept/Reports', 'TlsFailedSessions', undefined]);
    expect(named(inbox.metricDmarcMessages('dept.gov.uk'))).toEqual(['Dept/Reports', 'DmarcMessages', { Domain: 'dept.gov.uk' }]);
    expect(named(inbox.metricTlsSuccessfulSessions('dept.gov.uk'))).toEqual(['Dept/Reports', 'TlsSuccessfulSessions', { Domain: 'dept.gov.uk' }]);
    expect(named(inbox.metricReportsParsed(ReportType.TLS_RPT))).toEqual(['Dept/Reports', 'ReportsParsed', { Type: 'tlsrpt' }]);
    expect(named(inbox.metricReportsRejected())).toEqual(['Dept/Reports', 'ReportsRejected', undefined]);
    expect(named(inbox.metricReportsUnauthenticated())).toEqual(['Dept/Reports', 'ReportsUnauthenticated', undefined]);
    expect(named(inbox.metricDuplicateReports())).toEqual(['Dept/Reports', 'DuplicateReports', undefined]);
    expect(named(inbox.metricRowsDropped())).toEqual(['Dept/Reports', 'RowsDropped', undefined]);
    expect(named(inbox.metricSilentDomains())).toEqual(['Dept/Reports', 'SilentDomains', undefined]);
    expect(inbox.metricDmarcMessages(undefined, { period: Duration.days(1) }).period.toDays()).toBe(1);
    expect(inbox.metricDmarcFailedMessages().period.toHours()).toBe(6);
  });
});

describe('ReportInbox: bad input fails synth, naming the rule and the value', () => {
  test.each([
    ['us-west-1', /\[SES-RECEIVING-REGION\].*Got: "us-west-1".*eu-west-2/],
    ['eu-west-3', /\[SES-RECEIVING-REGION\]/],
  ])('a stack in %s, where SES does not receive email', (region, message) => {
    expect(() => build({}, { account: '111122223333', region })).toThrow(message);
  });

  test.each(['us-east-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'ap-southeast-2'])('a stack in %s is accepted', (region) => {
    const { stack } = build({}, { account: '111122223333', region });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', { Type: 'MX', ResourceRecords: [`10 inbound-smtp.${region}.amazonaws.com`] });
  });

  test('an environment-agnostic stack: the MX host uses the deploy-time region, with a not-evaluated warning', () => {
    const { stack } = build({}, null);
    const template = lint.template(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'MX', ResourceRecords: [{ 'Fn::Join': ['', ['10 inbound-smtp.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }] });
    Annotations.fromStack(stack).hasWarning('/Mail/Reports', Match.stringLikeRegexp('SES-RECEIVING-REGION'));
  });

  test.each([
    ['a domain twice', { domains: ['dept.gov.uk', 'DEPT.gov.uk'] }, /\[REPORT-INBOX-DOMAINS\].*listed twice/],
    ['a domain that is not one', { domains: ['dept'] }, /\[REPORT-INBOX-DOMAINS\].*Got: "dept"/],
    ['a domain that is a token', { domains: [Token.asString({ Ref: 'Domain' })] }, /\[REPORT-INBOX-DOMAINS\].*known at synth/],
    ['an address of two labels', { address: 'dmarc.reports' }, /\[REPORT-INBOX-ADDRESS\].*Got: "dmarc.reports"/],
    ['an address with an underscore', { address: 'dmarc_reports' }, /\[REPORT-INBOX-ADDRESS\]/],
    ['a retention of no days', { retention: Duration.days(0) }, /\[REPORT-INBOX-RETENTION\]/],
    ['a retention of a day and a half', { retention: Duration.hours(36) }, /\[REPORT-INBOX-RETENTION\].*Got: "Duration.hours\(36\)"/],
    ['a database name Athena cannot use', { databaseName: 'Dept-Reports' }, /\[REPORT-INBOX-SETTINGS\].*Got: "Dept-Reports"/],
    ['no parser concurrency', { parserConcurrency: 0 }, /\[REPORT-INBOX-SETTINGS\].*Got: 0/],
    ['a metric namespace CloudWatch reserves for AWS', { metricNamespace: 'AWS/Reports' }, /\[REPORT-INBOX-METRIC-NAMESPACE\].*Got: "AWS\/Reports".*reserves/],
    ['a reserved metric namespace in lower case', { metricNamespace: 'aws/reports' }, /\[REPORT-INBOX-METRIC-NAMESPACE\].*Got: "aws\/reports"/],
    ['an empty metric namespace', { metricNamespace: '' }, /\[REPORT-INBOX-METRIC-NAMESPACE\]/],
    ['a metric namespace over 255 characters', { metricNamespace: 'D'.repeat(256) }, /\[REPORT-INBOX-METRIC-NAMESPACE\].*1 to 255/],
    ['a metric namespace with a character CloudWatch refuses', { metricNamespace: 'Dept/Reports\n' }, /\[REPORT-INBOX-METRIC-NAMESPACE\]/],
    ['a metric namespace starting with a colon', { metricNamespace: ':Dept' }, /\[REPORT-INBOX-METRIC-NAMESPACE\]/],
  ])('%s', (_what, props, message) => {
    expect(() => build(props as Partial<ReportInboxProps>)).toThrow(message);
  });

  test.each(['Dept/Reports', 'AWSome/Reports', 'Dept.Reports-1_x/#:a b', 'D'.repeat(255)])('metric namespace %s is accepted (REPORT-INBOX-METRIC-NAMESPACE)', (metricNamespace) => {
    expect(build({ metricNamespace }).inbox.metricNamespace).toBe(metricNamespace);
  });

  test('a zone imported without its name', () => {
    const app = new App();
    const stack = new Stack(app, 'Mail', { env: ENV });
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z123');
    expect(() => new ReportInbox(stack, 'Reports', { zone, domains: ['dept.gov.uk'] })).toThrow(/Mail\/Reports: \[REPORT-INBOX-ADDRESS\].*fromHostedZoneAttributes/);
  });
});

describe('ReportInbox: with the domain constructs', () => {
  test('a parked domain points its DMARC reports at the inbox; the inbox publishes the authorisation its rua needs', () => {
    const { stack, inbox } = build();
    const oldZone = new route53.PublicHostedZone(stack, 'OldZone', { zoneName: 'old-dept.gov.uk' });
    new ParkedDomain(stack, 'Old', { zone: oldZone, dmarcReportTo: [inbox.dmarcAddress] });
    const template = lint.template(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'old-dept.gov.uk._report._dmarc.reports.dept.gov.uk.', ResourceRecords: ['"v=DMARC1"'] });
    expect(JSON.stringify(template.toJSON())).toContain('rua=mailto:dmarc@reports.dept.gov.uk');
  });
});

describe('ReportInbox: cdk-nag AwsSolutions', () => {
  test.each([false, true])('no findings (activateRuleSet: %s), each acknowledgement with its reason', (activateRuleSet) => {
    const { app, stack } = build({ activateRuleSet });
    lint.template(stack);
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    const acknowledged = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThanOrEqual(activateRuleSet ? 8 : 6);
    for (const [id, reason] of acknowledged) {
      expect(id).toMatch(/AwsSolutions-/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });
});

describe('ReportInbox: no deprecated aws-cdk-lib API', () => {
  test.each([false, true])('synthesises with JSII_DEPRECATED=fail (activateRuleSet: %s), and the Glue tables depend on their database', (activateRuleSet) => {
    const before = process.env.JSII_DEPRECATED;
    process.env.JSII_DEPRECATED = 'fail';
    try {
      const { stack } = build({ activateRuleSet });
      const template = Template.fromStack(stack);
      const database = Object.keys(template.findResources('AWS::Glue::Database'))[0];
      for (const table of Object.values(template.findResources('AWS::Glue::Table'))) expect(table.DependsOn).toContain(database);
    } finally {
      if (before === undefined) delete process.env.JSII_DEPRECATED; else process.env.JSII_DEPRECATED = before;
    }
  });
});

describe('ReportInbox: snapshot', () => {
  test('the template (asset hashes stripped)', () => {
    const { template } = synth({ domains: ['dept.gov.uk', 'old-dept.gov.uk'] });
    expect(stable(template)).toMatchSnapshot();
  });
});

describe('ReportInbox: many domains', () => {
  test('150 domains: every template value stays within its CloudFormation limit, and the alarms count the domains', () => {
    const domains = Array.from({ length: 150 }, (_, i) => `old-domain-${i}.gov.uk`);
    const { inbox, template } = synth({ domains });
    const descriptions = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmDescription as string);
    expect(descriptions.every((d) => d.length <= 1024)).toBe(true);
    expect(descriptions).toContain('DMARC failures reported for the 150 domains that report to reports.dept.gov.uk rose above their expected band: a sender is misconfigured or someone is spoofing a domain. See the dmarc_aggregate table.');
    expect(inbox.reportAuthorisationNames).toHaveLength(150);
  });

  test('a few domains are named in the alarms', () => {
    const { template } = synth();
    const descriptions = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmDescription as string);
    expect(descriptions).toContain('TLS failures reported by senders to dept.gov.uk, old-dept.gov.uk rose above their expected band: check certificates and MTA-STS policies. See the tls_rpt table.');
  });
});

describe('ReportInbox: MTA-STS for the inbox domain, and the domains that report to it', () => {
  const ZONE = { hostedZoneId: 'Z0DEPT00000000000001', zoneName: 'dept.gov.uk' };

  /** An inbox and an MTA-STS host in us-east-1, with an imported zone so no reference crosses regions. */
  function withHost(mtaSts?: Partial<ReportInboxMtaStsOptions>, domains = ['dept.gov.uk', 'old-dept.gov.uk'], allowMissingMtaSts?: boolean) {
    const app = new App();
    const hostStack = new Stack(app, 'Host', { env: { ...ENV, region: 'us-east-1' } });
    const host = new MtaStsPolicyHost(hostStack, 'MtaSts');
    const stack = new Stack(app, 'Mail', { env: ENV });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
    const inbox = new ReportInbox(stack, 'Reports', {
      zone, domains, allowMissingMtaSts, ...(mtaSts === undefined ? {} : { mtaSts: { host, ...mtaSts } }),
    });
    return { app, hostStack, host, stack, zone, inbox };
  }

  /** The ids of the cdk-gov-email warnings on a path. */
  function warningIds(stack: Stack, path: string): string[] {
    return Annotations.fromStack(stack).findWarning(path, Match.anyValue())
      .map((w) => /cdk-gov-email:([A-Z0-9-]+)/.exec(String(w.entry.data))?.[1] ?? String(w.entry.data));
  }

  test('without mtaSts synth fails: the inbox receives mail, and the profile asks it for MTA-STS', () => {
    const { app } = withHost();
    expect(() => app.synth()).toThrow(/\[Mail\/Reports\] \[GOVUK-MTASTS-MISSING\] reports\.dept\.gov\.uk receives mail but publishes no MTA-STS record.*Got: no mtaSts\. Allowed: mtaSts: \{ host \}/);
  });

  test('with allowMissingMtaSts the inbox warns that it receives mail without MTA-STS, and raises nothing else of the profile', () => {
    const { stack } = withHost(undefined, undefined, true);
    expect(warningIds(stack, '/Mail/Reports')).toEqual(['GOVUK-MTASTS-MISSING']);
    Annotations.fromStack(stack).hasWarning('/Mail/Reports', Match.stringLikeRegexp('reports\\.dept\\.gov\\.uk receives mail but publishes no MTA-STS record.*Accepted as a warning'));
  });

  test('with mtaSts the host serves an enforce policy naming the region\'s SES inbound host, and the id is its hash', () => {
    const { stack, hostStack, host, inbox } = withHost({});
    expect(inbox.mtaStsPolicy).toBe('version: STSv1\r\nmode: enforce\r\nmx: inbound-smtp.eu-west-2.amazonaws.com\r\nmax_age: 1209600\r\n');
    expect(host.domainNames).toEqual(['reports.dept.gov.uk']);
    const template = lint.template(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: '_mta-sts.reports.dept.gov.uk.',
      Type: 'TXT',
      ResourceRecords: [`"v=STSv1; id=${MtaSts.policyId(inbox.mtaStsPolicy!)}"`],
    });
    lint.template(hostStack).hasResourceProperties('AWS::Route53::RecordSetGroup', {
      RecordSets: Match.arrayWith([Match.objectLike({ Name: 'mta-sts.reports.dept.gov.uk.', Type: 'A' })]),
    });
    // The record waits for the host's stack: the body is served before senders see the new id.
    expect(stack.dependencies.map((s) => s.stackName)).toContain('Host');
    expect(warningIds(stack, '/Mail/Reports')).toEqual([]);
  });

  test('a testing policy is accepted with the GOVUK-MTASTS-MODE warning; a max_age over a year fails synth', () => {
    const { stack, inbox } = withHost({ mode: MtaStsMode.TESTING, maxAge: Duration.days(1) });
    expect(inbox.mtaStsPolicy).toContain('mode: testing');
    expect(warningIds(stack, '/Mail/Reports')).toEqual(['GOVUK-MTASTS-MODE']);
    expect(() => withHost({ maxAge: Duration.days(400) }))
      .toThrow(/^Mail\/Reports: \[MTASTS-POLICY-MAX-AGE\].*Got: "Duration.days\(400\)"/);
  });

  test('mtaSts needs the stack\'s region: the policy names the region\'s inbound host', () => {
    const app = new App();
    const host = new MtaStsPolicyHost(new Stack(app, 'Host', { env: { ...ENV, region: 'us-east-1' } }), 'MtaSts');
    const stack = new Stack(app, 'Mail');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
    expect(() => new ReportInbox(stack, 'Reports', { zone, domains: ['dept.gov.uk'], mtaSts: { host } }))
      .toThrow(/^Mail\/Reports: \[MTASTS-POLICY-MX-SYNTAX\].*Got: "a stack without a region".*env\.region/);
  });

  test('a domain reporting to the inbox needs no authorisation warning, and its authorisation is published once, by the inbox', () => {
    const { stack, zone, inbox } = withHost({});
    const oldZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'OldZone', { hostedZoneId: 'Z0OLD', zoneName: 'old-dept.gov.uk' });
    const dmarc = new DmarcRecord(stack, 'OldDmarc', {
      zone: oldZone,
      reportTo: [inbox.dmarcAddress],
      // Even given the inbox's zone, the record is not made twice.
      reportAuthorisationZones: [zone],
    });
    new TlsRptRecord(stack, 'OldTlsRpt', { zone: oldZone, reportTo: [inbox.tlsReportAddress] });
    expect(dmarc.reportAuthorisationNames).toEqual([]);
    expect(inbox.reportAuthorisationNames).toEqual(['old-dept.gov.uk._report._dmarc.reports.dept.gov.uk']);
    const template = lint.template(stack);
    expect(Object.values(template.findResources('AWS::Route53::RecordSet', {
      Properties: { Name: 'old-dept.gov.uk._report._dmarc.reports.dept.gov.uk.' },
    }))).toHaveLength(1);
    expect(warningIds(stack, '/Mail/OldDmarc')).toEqual([]);
  });

  test('a parked domain reporting to the inbox gets no note about authorisation', () => {
    const { stack, inbox } = withHost({});
    const oldZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'OldZone', { hostedZoneId: 'Z0OLD', zoneName: 'old-dept.gov.uk' });
    new ParkedDomain(stack, 'Old', { zone: oldZone, dmarcReportTo: [inbox.dmarcAddress], tlsReportTo: [inbox.tlsReportAddress] });
    lint.template(stack);
    expect(Annotations.fromStack(stack).findInfo('/Mail/Old', Match.stringLikeRegexp('GOVUK-DMARC-REPORT-AUTHORISATION'))).toEqual([]);
  });

  test('a domain the inbox does not list fails synth, for DMARC and TLS-RPT, whichever is built first', () => {
    const app = new App();
    const stack = new Stack(app, 'Mail', { env: ENV });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
    const otherZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'OtherZone', { hostedZoneId: 'Z0OTHER', zoneName: 'other.gov.uk' });
    // Built before the inbox, with the address written out.
    new DmarcRecord(stack, 'OtherDmarc', { zone: otherZone, reportTo: ['mailto:dmarc@reports.dept.gov.uk'] });
    const inbox = new ReportInbox(stack, 'Reports', { zone, domains: ['dept.gov.uk'] });
    new TlsRptRecord(stack, 'OtherTlsRpt', { zone: otherZone, reportTo: [inbox.tlsReportAddress] });
    new ParkedDomain(stack, 'Other', {
      zone: route53.HostedZone.fromHostedZoneAttributes(stack, 'ParkedZone', { hostedZoneId: 'Z0P', zoneName: 'parked.gov.uk' }),
      dmarcReportTo: [inbox.dmarcAddress],
    });
    // A name under a listed domain is taken, and so is the inbox's own domain.
    new DmarcRecord(stack, 'Notify', { zone, domainName: 'notify.dept.gov.uk', reportTo: [inbox.dmarcAddress] });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/REPORT-INBOX-UNLISTED-DOMAIN/g)).toHaveLength(3);
    expect(message).toContain('Mail/OtherDmarc');
    expect(message).toContain('DMARC reports for "other.gov.uk" sent to mailto:dmarc@reports.dept.gov.uk, the inbox Mail/Reports, whose domains are dept.gov.uk. Allowed: add "other.gov.uk" to the inbox\'s domains');
    expect(message).toContain('TLS-RPT reports for "other.gov.uk" sent to mailto:tls@reports.dept.gov.uk');
    expect(message).toContain('DMARC reports for "parked.gov.uk"');
    expect(message).not.toContain('notify.dept.gov.uk"');
  });
});
