/**
 * The ReportInbox function: for each raw message SES stores under the raw prefix, read the DMARC
 * and TLS-RPT reports in it, write them as JSON lines under the parsed prefix, record what was
 * read and what was rejected (and why), and send the key numbers to CloudWatch.
 *
 * A report that cannot be read is a rejection, recorded and counted, never an error: retrying
 * would not help. Only AWS calls that fail make the invocation fail, so Lambda retries it and,
 * after its retries, sends the event to the dead-letter queue.
 */
import { createHash } from 'node:crypto';
import { CloudWatchClient, MetricDatum, PutMetricDataCommand, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { DEFAULT_LIMITS, ParseOutcome, RejectionReason, jsonLines, parseReportMessage, partitionDomain, reportObjects } from '../reports';

const s3 = new S3Client({});
const cloudwatch = new CloudWatchClient({});

/** PutMetricData takes up to 1,000 values a call; 20 a call keeps each request small. */
const METRICS_PER_CALL = 20;

/** What the function was configured with (environment variables set by ReportInbox). */
interface Config {
  readonly bucket: string;
  readonly rawPrefix: string;
  readonly parsedPrefix: string;
  readonly namespace: string;
  readonly domains: string[];
}

/** What one invocation did, returned for tests and logs. */
export interface HandlerResult {
  readonly messages: number;
  readonly reports: number;
  readonly rejections: number;
  readonly skipped: number;
}

function config(): Config {
  const env = process.env;
  const required = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === '') throw new Error(`The environment variable ${name} is not set`);
    return v;
  };
  return {
    bucket: required('BUCKET_NAME'),
    rawPrefix: required('RAW_PREFIX'),
    parsedPrefix: required('PARSED_PREFIX'),
    namespace: required('METRIC_NAMESPACE'),
    domains: required('DOMAINS').split(',').map((d) => d.trim().toLowerCase()).filter((d) => d.length > 0),
  };
}

export async function handler(event: S3Event): Promise<HandlerResult> {
  const cfg = config();
  const result = { messages: 0, reports: 0, rejections: 0, skipped: 0 };
  for (const record of event.Records ?? []) {
    const key = objectKey(record);
    // Only this inbox's own raw mail: the function's role can read nothing else, and an event
    // for another bucket or prefix (a misconfigured notification) is skipped, not followed.
    if (record.s3?.bucket?.name !== cfg.bucket || key === undefined || !key.startsWith(cfg.rawPrefix)) {
      log('warn', 'skipped an event that is not for this inbox\'s raw mail', { bucket: record.s3?.bucket?.name, key });
      result.skipped++;
      continue;
    }
    const outcome = await readMessage(cfg, key, record.s3.object.size);
    const receivedAt = new Date().toISOString();
    const written = await writeReports(cfg, key, outcome, receivedAt);
    await writeOutcome(cfg, key, outcome, written, receivedAt);
    await putMetrics(cfg, outcome);
    log(outcome.rejections.length > 0 ? 'warn' : 'info', 'read a report message', {
      key,
      reports: outcome.reports.length,
      rejections: outcome.rejections,
      ignored: outcome.ignored.length,
    });
    result.messages++;
    result.reports += outcome.reports.length;
    result.rejections += outcome.rejections.length;
  }
  return result;
}

/** The object key of an S3 event: URL-encoded, with spaces as `+`. */
function objectKey(record: S3EventRecord): string | undefined {
  const raw = record.s3?.object?.key;
  if (typeof raw !== 'string') return undefined;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

async function readMessage(cfg: Config, key: string, eventSize: number | undefined): Promise<ParseOutcome> {
  const limit = DEFAULT_LIMITS.maxMessageBytes;
  const tooLarge = (size: number): ParseOutcome => ({
    reports: [],
    rejections: [{ source: 'message', reason: RejectionReason.MESSAGE_TOO_LARGE, detail: `the message is ${size} bytes, more than the limit of ${limit}` }],
    ignored: [],
  });
  // The size is checked before the object is read, from the event and again from S3, so a
  // message over the limit is never held in memory.
  if (typeof eventSize === 'number' && eventSize > limit) return tooLarge(eventSize);
  const object = await s3.send(new GetObjectCommand({ Bucket: cfg.bucket, Key: key }));
  if (object.ContentLength !== undefined && object.ContentLength > limit) {
    (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
    return tooLarge(object.ContentLength);
  }
  if (object.Body === undefined) {
    return { reports: [], rejections: [{ source: 'message', reason: RejectionReason.MALFORMED_MIME, detail: 'the stored message is empty' }], ignored: [] };
  }
  const raw = await object.Body.transformToByteArray();
  if (raw.byteLength > limit) return tooLarge(raw.byteLength);
  return parseReportMessage(raw, { domains: cfg.domains });
}

interface Written {
  readonly source: string;
  readonly kind: string;
  readonly domain: string;
  readonly key: string;
  readonly rows: number;
}

async function writeReports(cfg: Config, messageKey: string, outcome: ParseOutcome, receivedAt: string): Promise<Written[]> {
  const written: Written[] = [];
  const context = { messageKey, receivedAt, partitionFor: (d: string) => partitionDomain(d, cfg.domains) };
  for (const found of outcome.reports) {
    for (const obj of reportObjects(found.report, context)) {
      const key = `${cfg.parsedPrefix}${obj.key}`;
      await s3.send(new PutObjectCommand({
        Bucket: cfg.bucket,
        Key: key,
        Body: jsonLines(obj.rows),
        ContentType: 'application/x-ndjson',
      }));
      written.push({ source: found.source, kind: obj.type, domain: obj.domain, key, rows: obj.rows.length });
    }
  }
  return written;
}

/**
 * A record of what one message gave: the objects written, and each rejection with its reason,
 * at `<parsed>type=outcome/dt=<day received>/<hash of the message key>.json`.
 */
async function writeOutcome(cfg: Config, messageKey: string, outcome: ParseOutcome, written: Written[], receivedAt: string): Promise<void> {
  const id = createHash('sha256').update(messageKey).digest('hex').slice(0, 32);
  await s3.send(new PutObjectCommand({
    Bucket: cfg.bucket,
    Key: `${cfg.parsedPrefix}type=outcome/dt=${receivedAt.slice(0, 10)}/${id}.json`,
    Body: JSON.stringify({ messageKey, receivedAt, written, rejections: outcome.rejections, ignored: outcome.ignored }) + '\n',
    ContentType: 'application/json',
  }));
}

/**
 * The key numbers, per served domain and in total: messages and DMARC failures, TLS sessions
 * and failures, reports read and rejected. Timestamped when read (CloudWatch refuses data
 * points more than two weeks old, and late reports are common).
 */
async function putMetrics(cfg: Config, outcome: ParseOutcome): Promise<void> {
  const perDomain = new Map<string, { messages: number; failed: number; tlsOk: number; tlsFailed: number; dmarc: boolean; tls: boolean }>();
  const entry = (domain: string) => {
    const d = partitionDomain(domain, cfg.domains);
    const e = perDomain.get(d) ?? { messages: 0, failed: 0, tlsOk: 0, tlsFailed: 0, dmarc: false, tls: false };
    perDomain.set(d, e);
    return e;
  };
  let dmarcReports = 0;
  let tlsReports = 0;
  for (const { report } of outcome.reports) {
    if (report.kind === 'dmarc') {
      dmarcReports++;
      const e = entry(report.policy.domain);
      e.dmarc = true;
      for (const r of report.records) {
        e.messages += r.count;
        if (!r.dmarcPass) e.failed += r.count;
      }
    } else {
      tlsReports++;
      for (const p of report.policies) {
        const e = entry(p.policyDomain);
        e.tls = true;
        e.tlsOk += p.successfulSessions;
        e.tlsFailed += p.failedSessions;
      }
    }
  }
  const now = new Date();
  const datum = (name: string, value: number, dimensions: Record<string, string> = {}): MetricDatum => ({
    MetricName: name,
    Value: value,
    Unit: StandardUnit.Count,
    Timestamp: now,
    Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
  });
  const data: MetricDatum[] = [];
  let failedTotal = 0;
  let tlsFailedTotal = 0;
  for (const [domain, e] of [...perDomain].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (e.dmarc) {
      data.push(datum('DmarcMessages', e.messages, { Domain: domain }), datum('DmarcFailedMessages', e.failed, { Domain: domain }));
      failedTotal += e.failed;
    }
    if (e.tls) {
      data.push(datum('TlsSuccessfulSessions', e.tlsOk, { Domain: domain }), datum('TlsFailedSessions', e.tlsFailed, { Domain: domain }));
      tlsFailedTotal += e.tlsFailed;
    }
  }
  if (dmarcReports > 0) data.push(datum('DmarcFailedMessages', failedTotal));
  if (tlsReports > 0) data.push(datum('TlsFailedSessions', tlsFailedTotal));
  if (dmarcReports > 0) data.push(datum('ReportsParsed', dmarcReports, { Type: 'dmarc' }));
  if (tlsReports > 0) data.push(datum('ReportsParsed', tlsReports, { Type: 'tlsrpt' }));
  const byReason = new Map<string, number>();
  for (const r of outcome.rejections) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
  for (const [reason, count] of [...byReason].sort()) data.push(datum('ReportsRejected', count, { Reason: reason }));
  if (outcome.rejections.length > 0) data.push(datum('ReportsRejected', outcome.rejections.length));
  for (let i = 0; i < data.length; i += METRICS_PER_CALL) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: cfg.namespace, MetricData: data.slice(i, i + METRICS_PER_CALL) }));
  }
}

/** One JSON line per event, for CloudWatch Logs Insights. */
function log(level: string, message: string, fields: Record<string, unknown>): void {
  // eslint-disable-next-line no-console
  console.log(JSON.stringify({ level, message, ...fields }));
}
