/**
 * From a raw message (or a downloaded file) to the reports in it. Never throws: whatever cannot
 * be read becomes a rejection with its reason, and the other attachments of the same message
 * are still read.
 */
import { ContentKind, DecompressionBudget, extractDocuments, rejectionOf, sniff } from './archive';
import { parseDmarcXmlUpTo } from './dmarc';
import { ReportLimits, limitsWith } from './limits';
import { MimeLeaf, headerValue, parseMimeMessage } from './mime';
import { ParseOutcome, ParsedReport, Rejection, RejectionReason, ReportFound, ReportRejectedError } from './model';
import { decodeText } from './text';
import { parseTlsRptJsonUpTo } from './tls-rpt';

/** Options for reading reports. */
export interface ParseOptions {
  /** Override some of the limits. */
  readonly limits?: Partial<ReportLimits>;
  /**
   * The domains reports may be about: a report whose policy domain is neither one of these nor
   * under one is rejected (UNEXPECTED_DOMAIN), so a stranger cannot fill the store, the metrics
   * and the dashboard with domains of their choosing. Lower case, no trailing dot.
   *
   * @default - any domain
   */
  readonly domains?: string[];
  /**
   * The most rows (DMARC records, TLS-RPT policies) read from the message or file, all reports
   * together: the report that reaches the bound keeps the rows before it, later reports keep
   * none, and each report says how many it did not read (`ReportFound.rowsDropped`). Rows past
   * the bound are never parsed, so a small message that would give millions of rows costs a
   * scan of its text and no more.
   *
   * @default - every row (up to the per-report limits)
   */
  readonly maxRows?: number;
}

/** How many rows a message may still give. */
interface RowBudget {
  left: number;
}

/** Media types reporters use for report attachments (RFC 7489 §7.2.1.1, RFC 8460 §5.3, and common practice). */
const REPORT_TYPES = new Set([
  'application/gzip', 'application/x-gzip', 'application/gzip-compressed', 'application/x-gzip-compressed',
  'application/zip', 'application/x-zip', 'application/x-zip-compressed', 'application/zip-compressed',
  'application/octet-stream', 'application/xml', 'text/xml', 'application/json',
  'application/tlsrpt+json', 'application/tlsrpt+gzip',
]);
const REPORT_EXTENSION = /\.(xml|gz|gzip|zip|json)$/i;

/** Read the reports in a raw message (RFC 5322, as SES stores it). */
export function parseReportMessage(raw: Uint8Array, options: ParseOptions = {}): ParseOutcome {
  return guarded('message', () => readMessage(raw, options));
}

function readMessage(raw: Uint8Array, options: ParseOptions): ParseOutcome {
  const limits = limitsWith(options.limits);
  const reports: ReportFound[] = [];
  const rejections: Rejection[] = [];
  const ignored: string[] = [];
  if (raw.byteLength > limits.maxMessageBytes) {
    rejections.push({ source: 'message', reason: RejectionReason.MESSAGE_TOO_LARGE, detail: `the message is ${raw.byteLength} bytes, more than the limit of ${limits.maxMessageBytes}` });
    return { reports, rejections, ignored };
  }
  let leaves: MimeLeaf[];
  let headers: Array<[string, string]>;
  try {
    const message = parseMimeMessage(raw, limits);
    headers = message.headers;
    // SES puts its verdict first, above anything the sender wrote (scanning is on in the
    // inbox's receipt rule); a sender's own header of that name further down is not read.
    if (/^fail$/i.test(headerValue(message.headers, 'x-ses-virus-verdict') ?? '')) {
      rejections.push({ source: 'message', reason: RejectionReason.VIRUS, detail: 'SES found a virus in the message (X-SES-Virus-Verdict: FAIL); its attachments were not opened' });
      return { reports, rejections, ignored, headers };
    }
    leaves = message.leaves;
  } catch (err) {
    const r = rejectionOf(err);
    rejections.push({ source: 'message', reason: r.reason, detail: r.detail });
    return { reports, rejections, ignored };
  }
  const budget = new DecompressionBudget(limits);
  const rows: RowBudget = { left: options.maxRows ?? Infinity };
  let attachments = 0;
  for (const leaf of leaves) {
    const source = `part ${leaf.path}${leaf.filename ? ` (${leaf.filename})` : ''}`;
    if (!isReportCandidate(leaf)) {
      ignored.push(`${source}: ${leaf.contentType}`);
      continue;
    }
    attachments++;
    if (attachments > limits.maxAttachments) {
      rejections.push({ source, reason: RejectionReason.TOO_MANY_ATTACHMENTS, detail: `the message has more than ${limits.maxAttachments} report attachments; the first ${limits.maxAttachments} were read` });
      continue;
    }
    let data: Uint8Array;
    try {
      data = leaf.decode();
    } catch (err) {
      const r = rejectionOf(err);
      rejections.push({ source, reason: r.reason, detail: r.detail });
      continue;
    }
    readDocuments(source, data, budget, rows, limits, options, reports, rejections, leaf.contentType);
  }
  if (reports.length === 0 && rejections.length === 0) {
    rejections.push({
      source: 'message',
      reason: RejectionReason.NOT_A_REPORT,
      detail: `the message has no report attachment (parts: ${leaves.map((l) => l.contentType).slice(0, 10).join(', ') || 'none'})`,
    });
  }
  return { reports, rejections, ignored, headers };
}

/**
 * Read the reports in a downloaded file: a report as reporters attach it (gzip, zip, XML or
 * JSON), or a whole message (`.eml`), judged by its content.
 */
export function parseReportFile(name: string, data: Uint8Array, options: ParseOptions = {}): ParseOutcome {
  return guarded(name, () => readFile(name, data, options));
}

function readFile(name: string, data: Uint8Array, options: ParseOptions): ParseOutcome {
  const limits = limitsWith(options.limits);
  const kind = sniff(data);
  if (kind === ContentKind.OTHER && looksLikeMessage(data)) {
    const outcome = parseReportMessage(data, options);
    const prefix = (source: string) => (source === 'message' ? name : `${name} ${source}`);
    return {
      reports: outcome.reports.map((r) => ({ ...r, source: prefix(r.source) })),
      rejections: outcome.rejections.map((r) => ({ ...r, source: prefix(r.source) })),
      ignored: outcome.ignored.map((i) => `${name} ${i}`),
      ...(outcome.headers === undefined ? {} : { headers: outcome.headers }),
    };
  }
  const reports: ReportFound[] = [];
  const rejections: Rejection[] = [];
  if (data.byteLength > Math.max(limits.maxAttachmentBytes, limits.maxReportBytes)) {
    rejections.push({ source: name, reason: RejectionReason.ATTACHMENT_TOO_LARGE, detail: `the file is ${data.byteLength} bytes, more than the limit of ${Math.max(limits.maxAttachmentBytes, limits.maxReportBytes)}` });
    return { reports, rejections, ignored: [] };
  }
  readDocuments(name, data, new DecompressionBudget(limits), { left: options.maxRows ?? Infinity }, limits, options, reports, rejections, undefined);
  return { reports, rejections, ignored: [] };
}

/** The last line of defence of "never throws": a fault anywhere becomes a rejection of the whole input. */
function guarded(source: string, read: () => ParseOutcome): ParseOutcome {
  try {
    return read();
  } catch (err) {
    const r = rejectionOf(err);
    return { reports: [], rejections: [{ source, reason: r.reason, detail: r.detail }], ignored: [] };
  }
}

function readDocuments(source: string, data: Uint8Array, budget: DecompressionBudget, rows: RowBudget, limits: ReportLimits, options: ParseOptions,
  reports: ReportFound[], rejections: Rejection[], contentType: string | undefined): void {
  for (const doc of extractDocuments(source, data, budget, limits)) {
    if (doc.rejection !== undefined || doc.data === undefined) {
      const r = doc.rejection ?? { reason: RejectionReason.UNSUPPORTED_CONTENT, detail: 'no data' };
      rejections.push({ source: doc.name, reason: r.reason, detail: withType(r.detail, r.reason, contentType) });
      continue;
    }
    try {
      const { report, rowsDropped } = parseDocumentUpTo(doc.data, limits, rows.left);
      checkDomain(report, options.domains);
      rows.left -= report.kind === 'dmarc' ? report.records.length : report.policies.length;
      reports.push(rowsDropped > 0 ? { source: doc.name, report, rowsDropped } : { source: doc.name, report });
    } catch (err) {
      const r = rejectionOf(err);
      rejections.push({ source: doc.name, reason: r.reason, detail: r.detail });
    }
  }
}

/** One decompressed document: a DMARC report (XML) or a TLS report (JSON). */
export function parseDocument(data: Uint8Array, limits: ReportLimits): ParsedReport {
  return parseDocumentUpTo(data, limits, Infinity).report;
}

/** One decompressed document, reading at most `maxRows` of its rows. */
export function parseDocumentUpTo(data: Uint8Array, limits: ReportLimits, maxRows: number): { report: ParsedReport; rowsDropped: number } {
  const kind = sniff(data);
  if (kind === ContentKind.XML) {
    const { report, recordsDropped } = parseDmarcXmlUpTo(decodeText(data), limits, maxRows);
    return { report, rowsDropped: recordsDropped };
  }
  if (kind === ContentKind.JSON) {
    const { report, policiesDropped } = parseTlsRptJsonUpTo(decodeText(data), limits, maxRows);
    return { report, rowsDropped: policiesDropped };
  }
  throw new ReportRejectedError(RejectionReason.UNSUPPORTED_CONTENT, 'the document is neither XML (a DMARC report) nor JSON (a TLS report)');
}

/** Whether a part is worth trying as a report: a report media type, or a report file name. */
function isReportCandidate(leaf: MimeLeaf): boolean {
  if (REPORT_TYPES.has(leaf.contentType)) return true;
  if (leaf.filename !== undefined && REPORT_EXTENSION.test(leaf.filename)) return true;
  return false;
}

function checkDomain(report: ParsedReport, domains: string[] | undefined): void {
  if (domains === undefined) return;
  const served = (d: string) => domains.some((s) => d === s || d.endsWith(`.${s}`));
  const named = report.kind === 'dmarc' ? [report.policy.domain] : report.policies.map((p) => p.policyDomain);
  const stranger = named.find((d) => !served(d));
  if (stranger !== undefined) {
    throw new ReportRejectedError(RejectionReason.UNEXPECTED_DOMAIN,
      `the report is about ${stranger}, which is not one of the domains this inbox serves (${domains.slice(0, 10).join(', ')}${domains.length > 10 ? ', …' : ''})`);
  }
}

function looksLikeMessage(data: Uint8Array): boolean {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 4096)).toString('latin1');
  return /^[\x21-\x39\x3b-\x7e]+:/m.test(head) && /^(?:from|to|subject|date|received|return-path|mime-version|content-type|message-id|delivered-to):/im.test(head);
}

function withType(detail: string, reason: RejectionReason, contentType: string | undefined): string {
  return reason === RejectionReason.UNSUPPORTED_CONTENT && contentType !== undefined ? `${detail}; it was sent as ${contentType}` : detail;
}
