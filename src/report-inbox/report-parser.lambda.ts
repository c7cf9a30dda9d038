/**
 * The ReportInbox function. For each raw message SES stores under the raw prefix: read the
 * DMARC and TLS-RPT reports in it, decide whether they can be trusted (what SES found, and
 * whether each report is consistent with itself), store each report once (a resent report is
 * a duplicate) as JSON lines under the parsed prefix within the bounds per message and per
 * reporter per day, record what was read, dropped and rejected (and why), and send the key
 * numbers to CloudWatch. Once a day (`{"action":"sweep-silent-domains"}`), look for sending
 * domains whose reports stopped.
 *
 * A report that cannot be read is a rejection, recorded and counted, never an error: retrying
 * would not help. Only AWS calls that fail make the invocation fail, so Lambda retries it and,
 * after its retries, sends the event to the dead-letter queue; the ledger makes a retry store
 * and count nothing twice.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { domainList, inboxConfig } from './handler/config';
import { Ledger } from './handler/ledger';
import { log } from './handler/logs';
import { readInboxMessage } from './handler/message';
import { Metrics } from './handler/metrics';
import { SWEEP_ACTION, SweepResult, sweep } from './handler/sweep';

/** What one invocation for S3 events did, returned for tests and logs. */
export interface HandlerResult {
  readonly messages: number;
  readonly reports: number;
  readonly rejections: number;
  readonly duplicates: number;
  readonly skipped: number;
}

/** The daily schedule's event. */
export interface SweepEvent {
  readonly action: string;
}

export async function handler(event: S3Event | SweepEvent): Promise<HandlerResult | SweepResult> {
  const cfg = inboxConfig();
  const now = new Date();
  const list = await domainList(cfg, now.getTime());
  const ledger = new Ledger(cfg.ledgerTable);
  const metrics = new Metrics();
  if ((event as SweepEvent).action !== undefined) {
    if ((event as SweepEvent).action !== SWEEP_ACTION) throw new Error(`Unknown action: ${String((event as SweepEvent).action).slice(0, 60)}`);
    const result = await sweep(list, ledger, metrics, now, cfg.silentAfterDays);
    await metrics.put(cfg.namespace, now);
    return result;
  }
  const result = { messages: 0, reports: 0, rejections: 0, duplicates: 0, skipped: 0 };
  for (const record of (event as S3Event).Records ?? []) {
    const key = objectKey(record);
    // Only this inbox's own raw mail: the function's role can read nothing else, and an event
    // for another bucket or prefix (a misconfigured notification) is skipped, not followed.
    if (record.s3?.bucket?.name !== cfg.bucket || key === undefined || !key.startsWith(cfg.rawPrefix)) {
      log('warn', 'skipped an event that is not for this inbox\'s raw mail', { bucket: record.s3?.bucket?.name, key });
      result.skipped++;
      continue;
    }
    const one = await readInboxMessage(cfg, list, ledger, metrics, key, record.s3.object.size, now);
    result.messages++;
    result.reports += one.reports;
    result.rejections += one.rejections;
    result.duplicates += one.duplicates;
  }
  await metrics.put(cfg.namespace, now);
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
