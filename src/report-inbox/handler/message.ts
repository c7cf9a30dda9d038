/**
 * One raw message, from S3 to the stores: read it (the size checked first), decide whether it
 * can be trusted, store each report object once (the ledger's claim), within the bounds per
 * message and per reporter per day, and count, log and record what happened.
 */
import { createHash } from 'node:crypto';
// The Lambda runtime provides the AWS SDK; the bundle keeps it external (a development dependency, as for the entry point).
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { linesWithin, prefixWithin } from './bounds';
import { aws } from './clients';
import { DomainList, InboxConfig, servedDomains } from './config';
import { Grant, Ledger, reportLedgerId } from './ledger';
import { log, logDmarc, logTls } from './logs';
import { Metrics } from './metrics';
import { counted, messageTrust, reportTrust, reporterKey } from './trust';
import { DEFAULT_LIMITS, ParseOutcome, RejectionReason, parseReportMessage, partitionDomain, reportObjects } from '../../reports';

/** Why rows were not stored, as the RowsDropped metric's Reason. */
export type DropReason = 'message-rows' | 'message-bytes' | 'reporter-rows' | 'reporter-bytes';

/** What one message gave. */
export interface MessageResult {
  readonly reports: number;
  readonly rejections: number;
  readonly duplicates: number;
}

interface Written {
  readonly source: string;
  readonly kind: string;
  readonly domain: string;
  readonly key?: string;
  readonly rows: number;
  readonly authenticated: boolean;
  readonly trust: string;
}

export async function readInboxMessage(cfg: InboxConfig, list: DomainList, ledger: Ledger, metrics: Metrics,
  key: string, eventSize: number | undefined, now: Date): Promise<MessageResult> {
  const served = servedDomains(list);
  const outcome = await readMessage(cfg, key, eventSize, served);
  const receivedAt = now.toISOString();
  const day = receivedAt.slice(0, 10);
  const message = messageTrust(outcome.headers);
  const reporter = reporterKey(message);
  const partitionFor = (d: string) => partitionDomain(d, served);
  const dropped: Record<DropReason, number> = { 'message-rows': 0, 'message-bytes': 0, 'reporter-rows': 0, 'reporter-bytes': 0 };
  const written: Written[] = [];
  const duplicates: Array<{ source: string; kind: string; domain: string }> = [];
  let bytesLeft = cfg.maxBytesPerMessage;
  let reports = 0;

  for (const found of outcome.reports) {
    const report = found.report;
    const trust = reportTrust(message, report, now);
    const countIt = counted(trust.authenticated, cfg.countUnauthenticated);
    const orgName = report.kind === 'dmarc' ? report.orgName : report.organizationName;
    const type = report.kind;
    let stored = false;
    for (const obj of reportObjects(report, { messageKey: key, receivedAt, partitionFor, authenticated: trust.authenticated, trust: trust.reason })) {
      // The reporter is part of the report's identity: a forged copy of a real report (not
      // authenticated, or authenticated as someone else) is neither a duplicate of it nor
      // stored over it.
      const id = reportLedgerId(obj.type, `${reporter}/${orgName}`, report.reportId, obj.domain);
      const claim = await ledger.claimReport(id, key, now);
      if (claim.duplicate) {
        duplicates.push({ source: found.source, kind: obj.type, domain: obj.domain });
        metrics.add('DuplicateReports', 1);
        continue;
      }
      stored = true;
      const bounded = linesWithin(obj.rows, bytesLeft);
      dropped['message-bytes'] += bounded.droppedForBytes;
      let grant: Grant;
      if (claim.granted !== undefined) {
        // A retry of this message: what the first attempt was granted, not a second share.
        grant = prefixWithin(bounded.sizes, claim.granted.rows, claim.granted.bytes);
      } else {
        grant = await ledger.reserve(day, reporter, { rows: bounded.lines.length, bytes: bounded.bytes },
          (rows, bytes) => prefixWithin(bounded.sizes, rows, bytes),
          { rows: cfg.maxRowsPerReporterDay, bytes: cfg.maxBytesPerReporterDay }, now);
        await ledger.recordGrant(id, grant);
      }
      if (grant.limitedBy !== undefined) dropped[grant.limitedBy] += bounded.lines.length - grant.rows;
      bytesLeft -= grant.bytes;
      const rows = obj.rows.slice(0, grant.rows);
      let objectKey: string | undefined;
      if (rows.length > 0) {
        objectKey = `${cfg.parsedPrefix}${obj.key.replace(/\.json$/, `-${shortHash(reporter)}.json`)}`;
        await aws().s3.send(new PutObjectCommand({
          Bucket: cfg.bucket,
          Key: objectKey,
          Body: bounded.lines.slice(0, grant.rows).join(''),
          ContentType: 'application/x-ndjson',
        }));
      }
      written.push({
        source: found.source,
        kind: obj.type,
        domain: obj.domain,
        ...(objectKey ? { key: objectKey } : {}),
        rows: rows.length,
        authenticated: trust.authenticated,
        trust: trust.reason,
      });
      const line = { domain: obj.domain, reporter: orgName, authenticated: trust.authenticated };
      if (obj.type === 'dmarc') {
        const { messages, failed } = dmarcCounts(rows);
        logDmarc(line, rows);
        if (countIt) {
          metrics.add('DmarcMessages', messages, { Domain: obj.domain });
          metrics.add('DmarcFailedMessages', failed, { Domain: obj.domain });
          metrics.add('DmarcFailedMessages', failed);
          await ledger.markSeen(obj.domain, now);
        }
        if (!trust.authenticated) metrics.add('UnauthenticatedDmarcFailedMessages', failed);
      } else {
        logTls(line, rows);
        if (countIt) {
          const { ok, failed } = tlsCounts(rows);
          metrics.add('TlsSuccessfulSessions', ok, { Domain: obj.domain });
          metrics.add('TlsFailedSessions', failed, { Domain: obj.domain });
          metrics.add('TlsFailedSessions', failed);
        }
      }
    }
    if (!stored) continue;
    reports++;
    dropped['message-rows'] += found.rowsDropped ?? 0;
    if (countIt) metrics.add('ReportsParsed', 1, { Type: type });
    if (!trust.authenticated) {
      metrics.add('ReportsUnauthenticated', 1);
      metrics.add('ReportsUnauthenticated', 1, { Type: type });
    }
  }

  if (counted(message.authenticated, cfg.countUnauthenticated)) {
    for (const r of outcome.rejections) {
      metrics.add('ReportsRejected', 1, { Reason: r.reason });
      metrics.add('ReportsRejected', 1);
    }
  }
  for (const [reason, rows] of Object.entries(dropped)) {
    if (rows === 0) continue;
    metrics.add('RowsDropped', rows, { Reason: reason });
    metrics.add('RowsDropped', rows);
  }

  await writeOutcome(cfg, key, receivedAt, {
    authenticated: message.authenticated,
    trust: message.reason,
    reporter,
    written,
    duplicates,
    rowsDropped: dropped,
    rejections: outcome.rejections,
    ignored: outcome.ignored,
  });
  const droppedAny = Object.values(dropped).some((v) => v > 0);
  log(outcome.rejections.length > 0 || droppedAny ? 'warn' : 'info', 'read a report message', {
    key,
    authenticated: message.authenticated,
    trust: message.reason,
    reports,
    duplicates: duplicates.length,
    rejections: outcome.rejections,
    rowsDropped: dropped,
    ignored: outcome.ignored.length,
  });
  return { reports, rejections: outcome.rejections.length, duplicates: duplicates.length };
}

async function readMessage(cfg: InboxConfig, key: string, eventSize: number | undefined, domains: string[]): Promise<ParseOutcome> {
  const limit = DEFAULT_LIMITS.maxMessageBytes;
  const tooLarge = (size: number): ParseOutcome => ({
    reports: [],
    rejections: [{ source: 'message', reason: RejectionReason.MESSAGE_TOO_LARGE, detail: `the message is ${size} bytes, more than the limit of ${limit}` }],
    ignored: [],
  });
  // The size is checked before the object is read, from the event and again from S3, so a
  // message over the limit is never held in memory.
  if (typeof eventSize === 'number' && eventSize > limit) return tooLarge(eventSize);
  const object = await aws().s3.send(new GetObjectCommand({ Bucket: cfg.bucket, Key: key }));
  if (object.ContentLength !== undefined && object.ContentLength > limit) {
    (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
    return tooLarge(object.ContentLength);
  }
  if (object.Body === undefined) {
    return { reports: [], rejections: [{ source: 'message', reason: RejectionReason.MALFORMED_MIME, detail: 'the stored message is empty' }], ignored: [] };
  }
  const raw = await object.Body.transformToByteArray();
  if (raw.byteLength > limit) return tooLarge(raw.byteLength);
  // The parser stops reading rows at the message's bound: rows past it are never built.
  return parseReportMessage(raw, { domains, maxRows: cfg.maxRowsPerMessage });
}

/**
 * A record of what one message gave: the objects written, duplicates, rows dropped, and each
 * rejection with its reason, at `<parsed>type=outcome/dt=<day received>/<hash of the message key>.json`.
 */
async function writeOutcome(cfg: InboxConfig, messageKey: string, receivedAt: string, record: Record<string, unknown>): Promise<void> {
  const id = createHash('sha256').update(messageKey).digest('hex').slice(0, 32);
  await aws().s3.send(new PutObjectCommand({
    Bucket: cfg.bucket,
    Key: `${cfg.parsedPrefix}type=outcome/dt=${receivedAt.slice(0, 10)}/${id}.json`,
    Body: JSON.stringify({ messageKey, receivedAt, ...record }) + '\n',
    ContentType: 'application/json',
  }));
}

function dmarcCounts(rows: Array<Record<string, unknown>>): { messages: number; failed: number } {
  let messages = 0;
  let failed = 0;
  for (const r of rows) {
    const c = typeof r.message_count === 'number' ? r.message_count : 0;
    messages += c;
    if (r.dmarc_pass !== true) failed += c;
  }
  return { messages, failed };
}

function tlsCounts(rows: Array<Record<string, unknown>>): { ok: number; failed: number } {
  let ok = 0;
  let failed = 0;
  for (const r of rows) {
    ok += typeof r.successful_sessions === 'number' ? r.successful_sessions : 0;
    failed += typeof r.failed_sessions === 'number' ? r.failed_sessions : 0;
  }
  return { ok, failed };
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}
