/**
 * The inbox function under test: S3, CloudWatch and DynamoDB mocked with aws-sdk-client-mock
 * (DynamoDB as an in-memory table), its environment, the domain list in the bucket, and what it
 * wrote, put and logged.
 */
import { CloudWatchClient, MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { MemoryTable } from './dynamodb';
import { forgetDomainList } from '../../../src/report-inbox/handler/config';

export const BUCKET = 'gov-email-reports-c8abcdef-111122223333-eu-west-2';
export const TABLE = 'gov-email-reports-ledger';

/** The inbox's environment, as ReportInbox sets it. */
export const ENV: Record<string, string> = {
  BUCKET_NAME: BUCKET,
  RAW_PREFIX: 'raw/',
  PARSED_PREFIX: 'parsed/',
  METRIC_NAMESPACE: 'GovEmail/Reports',
  DOMAINS_KEY: 'config/domains.json',
  LEDGER_TABLE: TABLE,
};

/** The domain list the inbox's custom resource writes. */
export const DOMAIN_LIST = {
  version: 1,
  inboxDomain: 'reports.dept.gov.uk',
  domains: [
    { name: 'dept.gov.uk', sendsMail: true },
    { name: 'old-dept.gov.uk', sendsMail: false },
    { name: 'reports.dept.gov.uk', sendsMail: false },
  ],
};

export interface Harness {
  readonly s3: AwsClientStub<S3Client>;
  readonly cloudwatch: AwsClientStub<CloudWatchClient>;
  readonly table: () => MemoryTable;
  /** S3 holds these raw messages. */
  stored(objects: Record<string, Buffer>): void;
  /** S3 holds this domain list. */
  listed(list: object): void;
  event(...objects: Array<{ key: string; size?: number; bucket?: string }>): S3Event;
  puts(): Array<{ Key: string; Body: string; ContentType?: string }>;
  /** The JSON lines written under `type=dmarc` or `type=tlsrpt`. */
  rows(type?: 'dmarc' | 'tlsrpt'): Array<Record<string, unknown>>;
  /** The outcome records. */
  outcomes(): Array<Record<string, any>>;
  metrics(): MetricDatum[];
  metric(name: string, dimensions?: Record<string, string>): number | undefined;
  logs(message?: string): Array<Record<string, any>>;
}

/** Set up the mocks for each test of a file. */
export function inboxHarness(): Harness {
  const s3 = mockClient(S3Client);
  const cloudwatch = mockClient(CloudWatchClient);
  const dynamodb = mockClient(DynamoDBClient);
  let table = new MemoryTable();
  let logged: string[] = [];
  const saved = { ...process.env };

  const listed = (list: object) => {
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: ENV.DOMAINS_KEY }).resolves({
      Body: { transformToString: async () => JSON.stringify(list) } as never,
    });
  };

  beforeEach(() => {
    s3.reset();
    cloudwatch.reset();
    dynamodb.reset();
    table = new MemoryTable();
    table.attach(dynamodb);
    forgetDomainList();
    Object.assign(process.env, ENV);
    logged = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => {
      logged.push(line);
    });
    listed(DOMAIN_LIST);
    s3.on(PutObjectCommand).resolves({});
    cloudwatch.on(PutMetricDataCommand).resolves({});
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  const puts = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input as { Key: string; Body: string; ContentType?: string });
  const metrics = () => {
    const calls = cloudwatch.commandCalls(PutMetricDataCommand);
    for (const c of calls) expect(c.args[0].input.Namespace).toBe('GovEmail/Reports');
    return calls.flatMap((c) => c.args[0].input.MetricData ?? []);
  };
  return {
    s3,
    cloudwatch,
    table: () => table,
    stored(objects) {
      for (const [key, data] of Object.entries(objects)) {
        s3.on(GetObjectCommand, { Bucket: BUCKET, Key: key }).resolves({
          ContentLength: data.length,
          Body: { transformToByteArray: async () => new Uint8Array(data) } as never,
        });
      }
    },
    listed,
    event(...objects) {
      return {
        Records: objects.map((o) => ({
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'eu-west-2',
          eventTime: '2026-05-02T03:00:00.000Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:SES' },
          requestParameters: { sourceIPAddress: '10.0.0.1' },
          responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'c',
            bucket: { name: o.bucket ?? BUCKET, ownerIdentity: { principalId: 'p' }, arn: `arn:aws:s3:::${o.bucket ?? BUCKET}` },
            object: { key: o.key, size: o.size ?? 1000, eTag: 'e', sequencer: '1' },
          },
        })),
      } as S3Event;
    },
    puts,
    rows(type) {
      return puts()
        .filter((p) => (type === undefined ? /type=(dmarc|tlsrpt)\//.test(p.Key) : p.Key.includes(`type=${type}/`)))
        .flatMap((p) => p.Body.trimEnd().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)));
    },
    outcomes() {
      return puts().filter((p) => p.Key.includes('type=outcome/')).map((p) => JSON.parse(p.Body));
    },
    metrics,
    metric(name, dimensions = {}) {
      const wanted = Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
      return metrics().find((m) => m.MetricName === name && JSON.stringify(m.Dimensions) === JSON.stringify(wanted))?.Value;
    },
    logs(message) {
      return logged.map((l) => JSON.parse(l)).filter((l) => message === undefined || l.message === message);
    },
  };
}
