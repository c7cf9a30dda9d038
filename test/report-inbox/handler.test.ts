/**
 * The ReportInbox function end to end: an S3 event for a raw message, S3 and CloudWatch mocked
 * with aws-sdk-client-mock; the parsed rows, the outcome record and the metrics it writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CloudWatchClient, MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { CORPUS, mail, source } from './support/mail';
import { handler } from '../../src/report-inbox/report-parser.lambda';

const BUCKET = 'gov-email-reports-c8abcdef-111122223333-eu-west-2';
const s3 = mockClient(S3Client);
const cloudwatch = mockClient(CloudWatchClient);
const ENV = {
  BUCKET_NAME: BUCKET,
  RAW_PREFIX: 'raw/',
  PARSED_PREFIX: 'parsed/',
  METRIC_NAMESPACE: 'GovEmail/Reports',
  DOMAINS: 'dept.gov.uk,old-dept.gov.uk,reports.dept.gov.uk',
};
const saved = { ...process.env };

beforeEach(() => {
  s3.reset();
  cloudwatch.reset();
  Object.assign(process.env, ENV);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

/** S3 returns these messages for these keys. */
function stored(objects: Record<string, Buffer>): void {
  for (const [key, data] of Object.entries(objects)) {
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: key }).resolves({
      ContentLength: data.length,
      Body: { transformToByteArray: async () => new Uint8Array(data) } as never,
    });
  }
  s3.on(PutObjectCommand).resolves({});
  cloudwatch.on(PutMetricDataCommand).resolves({});
}

function event(...objects: Array<{ key: string; size?: number; bucket?: string }>): S3Event {
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
}

function puts(): Array<{ Key: string; Body: string; ContentType?: string }> {
  return s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input as { Key: string; Body: string; ContentType?: string });
}

function metrics(): MetricDatum[] {
  const calls = cloudwatch.commandCalls(PutMetricDataCommand);
  for (const c of calls) expect(c.args[0].input.Namespace).toBe('GovEmail/Reports');
  return calls.flatMap((c) => c.args[0].input.MetricData ?? []);
}

function metric(name: string, dimensions: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
  return metrics().find((m) => m.MetricName === name && JSON.stringify(m.Dimensions) === JSON.stringify(wanted))?.Value;
}

const corpus = (name: string) => readFileSync(join(CORPUS, name));

test('a Google DMARC report (zip): rows written as JSON lines, the outcome recorded, the numbers sent to CloudWatch', async () => {
  stored({ 'raw/0001google': corpus('google-dept-2026-05-01.eml') });

  const result = await handler(event({ key: 'raw/0001google' }));

  expect(result).toEqual({ messages: 1, reports: 1, rejections: 0, skipped: 0 });
  expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, Key: 'raw/0001google' }]);
  const [rows, outcome] = puts();
  expect(rows.Key).toMatch(/^parsed\/type=dmarc\/dt=2026-05-01\/domain=dept\.gov\.uk\/[0-9a-f]{32}\.json$/);
  expect(rows.ContentType).toBe('application/x-ndjson');
  const lines = rows.Body.trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(3);
  expect(lines[2]).toMatchObject({ org_name: 'google.com', source_ip: '203.0.113.66', message_count: 57, dmarc_pass: false, message_key: 'raw/0001google' });
  expect(outcome.Key).toMatch(/^parsed\/type=outcome\/dt=\d{4}-\d{2}-\d{2}\/[0-9a-f]{32}\.json$/);
  expect(JSON.parse(outcome.Body)).toMatchObject({
    messageKey: 'raw/0001google',
    written: [{ kind: 'dmarc', domain: 'dept.gov.uk', key: rows.Key, rows: 3 }],
    rejections: [],
  });
  expect(metric('DmarcMessages', { Domain: 'dept.gov.uk' })).toBe(2209);
  expect(metric('DmarcFailedMessages', { Domain: 'dept.gov.uk' })).toBe(57);
  expect(metric('DmarcFailedMessages')).toBe(57);
  expect(metric('ReportsParsed', { Type: 'dmarc' })).toBe(1);
  expect(metric('ReportsRejected')).toBeUndefined();
  expect(metrics().every((m) => m.Unit === 'Count' && m.Timestamp instanceof Date)).toBe(true);
});

test('TLS reports: per-domain sessions and failures; the inbox\'s own domain has its partition', async () => {
  stored({
    'raw/ms-tls': corpus('microsoft-tlsrpt-dept-2026-05-01.eml'),
    'raw/google-tls-inbox': corpus('google-tlsrpt-reports-2026-05-01.eml'),
  });

  const result = await handler(event({ key: 'raw/ms-tls' }, { key: 'raw/google-tls-inbox' }));

  expect(result).toEqual({ messages: 2, reports: 2, rejections: 0, skipped: 0 });
  expect(puts().map((p) => p.Key).filter((k) => !k.includes('type=outcome'))).toEqual([
    expect.stringMatching(/^parsed\/type=tlsrpt\/dt=2026-05-01\/domain=dept\.gov\.uk\//),
    expect.stringMatching(/^parsed\/type=tlsrpt\/dt=2026-05-01\/domain=reports\.dept\.gov\.uk\//),
  ]);
  expect(metric('TlsSuccessfulSessions', { Domain: 'dept.gov.uk' })).toBe(1522);
  expect(metric('TlsFailedSessions', { Domain: 'dept.gov.uk' })).toBe(3);
  expect(metric('TlsSuccessfulSessions', { Domain: 'reports.dept.gov.uk' })).toBe(31);
  expect(metric('ReportsParsed', { Type: 'tlsrpt' })).toBe(1);
});

test('a message with a hostile attachment: the good reports are written, the rejection recorded with its reason and counted', async () => {
  const laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><feedback>&lol2;</feedback>';
  stored({
    'raw/mixed': mail({
      parts: [
        { contentType: 'application/gzip', filename: 'good.xml.gz', data: gzipSync(source('yahoo-dept-2026-05-01.xml')) },
        { contentType: 'text/xml', filename: 'evil.xml', data: laughs },
      ],
    }),
  });

  const result = await handler(event({ key: 'raw/mixed' }));

  expect(result).toEqual({ messages: 1, reports: 1, rejections: 1, skipped: 0 });
  const outcome = JSON.parse(puts().find((p) => p.Key.includes('type=outcome'))!.Body);
  expect(outcome.rejections).toEqual([{ source: 'part 2 (evil.xml)', reason: 'xml-doctype', detail: expect.stringContaining('never processed') }]);
  expect(outcome.written).toHaveLength(1);
  expect(metric('ReportsRejected', { Reason: 'xml-doctype' })).toBe(1);
  expect(metric('ReportsRejected')).toBe(1);
  expect(metric('DmarcFailedMessages', { Domain: 'dept.gov.uk' })).toBe(14);
});

test('a report about a domain the inbox does not serve is rejected, and nothing of it is stored or counted per domain', async () => {
  const other = source('google-dept-2026-05-01.xml').replace(/dept\.gov\.uk/g, 'stranger.example');
  stored({ 'raw/stranger': mail({ parts: [{ contentType: 'application/gzip', filename: 'r.xml.gz', data: gzipSync(other) }] }) });

  await handler(event({ key: 'raw/stranger' }));

  expect(puts().map((p) => p.Key)).toEqual([expect.stringMatching(/type=outcome/)]);
  expect(metrics().map((m) => [m.MetricName, m.Dimensions])).toEqual([
    ['ReportsRejected', [{ Name: 'Reason', Value: 'unexpected-domain' }]],
    ['ReportsRejected', []],
  ]);
});

test('a report about a subdomain is stored and counted under the served domain', async () => {
  const sub = source('comcast-dept-2026-05-01.xml').replace('<domain>dept.gov.uk</domain>', '<domain>consult.dept.gov.uk</domain>');
  stored({ 'raw/sub': mail({ parts: [{ contentType: 'text/xml', filename: 'r.xml', data: sub }] }) });

  await handler(event({ key: 'raw/sub' }));

  const rows = puts().find((p) => p.Key.includes('type=dmarc'))!;
  expect(rows.Key).toMatch(/domain=dept\.gov\.uk\//);
  expect(JSON.parse(rows.Body.split('\n')[0])).toMatchObject({ policy_domain: 'consult.dept.gov.uk' });
  expect(metric('DmarcMessages', { Domain: 'dept.gov.uk' })).toBe(5);
});

test('ordinary mail to the address: recorded as not a report, nothing else written', async () => {
  stored({ 'raw/hello': mail({ parts: [{ contentType: 'text/plain', data: 'Please unsubscribe me', encoding: '7bit' }] }) });
  await handler(event({ key: 'raw/hello' }));
  expect(puts()).toHaveLength(1);
  expect(JSON.parse(puts()[0].Body).rejections).toEqual([expect.objectContaining({ source: 'message', reason: 'not-a-report' })]);
});

test('keys arrive URL-encoded, with spaces as +', async () => {
  stored({ 'raw/a b!c': corpus('yahoo-dept-2026-05-01.eml') });
  await handler(event({ key: 'raw/a+b%21c' }));
  expect(s3.commandCalls(GetObjectCommand)[0].args[0].input.Key).toBe('raw/a b!c');
});

test('events for another bucket or outside raw/ are skipped without reading anything', async () => {
  stored({});
  const result = await handler(event({ key: 'raw/x', bucket: 'someone-elses-bucket' }, { key: 'parsed/type=dmarc/x.json' }, { key: '%E0%A4%A' }));
  expect(result).toEqual({ messages: 0, reports: 0, rejections: 0, skipped: 3 });
  expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  expect(puts()).toHaveLength(0);
});

test('a message over the size limit is never read: its size in the event is enough', async () => {
  stored({});
  await handler(event({ key: 'raw/huge', size: 41 * 1024 * 1024 }));
  expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  expect(JSON.parse(puts()[0].Body).rejections).toEqual([expect.objectContaining({ reason: 'message-too-large' })]);
  expect(metric('ReportsRejected', { Reason: 'message-too-large' })).toBe(1);
});

test('a failing AWS call fails the invocation, so Lambda retries it and then dead-letters it', async () => {
  s3.on(GetObjectCommand).rejects(new Error('SlowDown'));
  await expect(handler(event({ key: 'raw/x' }))).rejects.toThrow('SlowDown');
});

test('the function refuses to run without its configuration', async () => {
  delete process.env.BUCKET_NAME;
  await expect(handler(event({ key: 'raw/x' }))).rejects.toThrow('BUCKET_NAME');
});

test('metrics go in batches of at most 20 values', async () => {
  const domains = Array.from({ length: 12 }, (_, i) => `agency${i}.gov.uk`);
  process.env.DOMAINS = domains.join(',');
  const parts = domains.map((d, i) => ({ contentType: 'text/xml', filename: `r${i}.xml`, data: source('zoho-dept-2026-05-01.xml').replace(/dept\.gov\.uk/g, d) }));
  stored({ 'raw/many': mail({ parts }) });
  await handler(event({ key: 'raw/many' }));
  const calls = cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData!.length);
  expect(calls).toEqual([20, 6]);
  expect(metrics()).toHaveLength(2 * 12 + 2);
});
