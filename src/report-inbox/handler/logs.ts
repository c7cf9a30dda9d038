/** The function's log lines: one JSON object per line, for CloudWatch Logs Insights. */
import { classifySender } from '../../reports/sources';

type Row = Record<string, unknown>;

/** Write one line. */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
  // eslint-disable-next-line no-console
  console.log(JSON.stringify({ level, message, ...fields }));
}

const n = (v: unknown) => (typeof v === 'number' ? v : 0);
const s = (v: unknown) => (typeof v === 'string' ? v : '');

/** Who a report is from and whether it is trusted, on every line about it. */
export interface ReportLineContext {
  /** The partition domain. */
  readonly domain: string;
  /** The reporter's organisation name, as the report gives it. */
  readonly reporter: string;
  readonly authenticated: boolean;
}

/** `dmarc report`, then a `dmarc source` per row stored. */
export function logDmarc(ctx: ReportLineContext, rows: Row[]): void {
  let messages = 0;
  let failed = 0;
  for (const r of rows) {
    messages += n(r.message_count);
    if (r.dmarc_pass !== true) failed += n(r.message_count);
  }
  log('info', 'dmarc report', { ...ctx, messages, failedMessages: failed });
  for (const r of rows) {
    log('info', 'dmarc source', {
      ...ctx,
      sourceIp: s(r.source_ip),
      sender: classifySender(senderEvidence(r)).id,
      messages: n(r.message_count),
      dmarcPass: r.dmarc_pass === true,
      dkimAligned: s(r.dkim_aligned),
      spfAligned: s(r.spf_aligned),
    });
  }
}

/** `tls report`, then a `tls failure` per failure detail in the rows stored. */
export function logTls(ctx: ReportLineContext, rows: Row[]): void {
  let ok = 0;
  let failed = 0;
  for (const r of rows) {
    ok += n(r.successful_sessions);
    failed += n(r.failed_sessions);
  }
  log('info', 'tls report', { ...ctx, successfulSessions: ok, failedSessions: failed });
  for (const r of rows) {
    for (const f of Array.isArray(r.failures) ? (r.failures as Row[]) : []) {
      log('info', 'tls failure', { ...ctx, resultType: s(f.result_type), receivingMx: s(f.receiving_mx_hostname), sessions: n(f.failed_sessions) });
    }
  }
}

/** The classifier's evidence from a stored DMARC row: the DKIM and SPF domains that passed. */
function senderEvidence(r: Row) {
  const passed = (v: unknown) => (Array.isArray(v) ? (v as Row[]) : [])
    .filter((x) => s(x.result).toLowerCase() === 'pass')
    .map((x) => s(x.domain))
    .filter((d) => d !== '');
  return {
    sourceIp: s(r.source_ip),
    headerFrom: s(r.header_from),
    ...(typeof r.envelope_from === 'string' ? { envelopeFrom: r.envelope_from } : {}),
    dkimDomains: passed(r.dkim_results),
    spfDomains: passed(r.spf_results),
    dmarcPass: r.dmarc_pass === true,
  };
}
