/**
 * SMTP TLS reports (RFC 8460 §4): JSON, bounded before it is parsed (size, and nesting depth
 * measured by a linear scan, so `JSON.parse` never meets a pathologically deep document) and
 * checked against the report's required fields after.
 */
import { ReportLimits } from './limits';
import { RejectionReason, ReportRejectedError, TlsFailureDetail, TlsPolicyResult, TlsRptReport } from './model';
import { cleanDomain, cleanText } from './text';
import { isHostname } from '../records/private/uri';

/** Parse the text of a TLS report. Throws `ReportRejectedError` for anything else. */
export function parseTlsRptJson(json: string, limits: ReportLimits): TlsRptReport {
  return parseTlsRptJsonUpTo(json, limits, Infinity).report;
}

/** Parse a TLS report, reading at most `maxPolicies` of its policies (one row each); the others are counted, not read. */
export function parseTlsRptJsonUpTo(json: string, limits: ReportLimits, maxPolicies: number): { report: TlsRptReport; policiesDropped: number } {
  if (json.length > limits.maxReportBytes) {
    throw new ReportRejectedError(RejectionReason.DECOMPRESSED_TOO_LARGE, `the JSON is ${json.length} characters, more than the limit of ${limits.maxReportBytes}`);
  }
  const depth = jsonDepth(json);
  if (depth > limits.maxJsonDepth) {
    throw new ReportRejectedError(RejectionReason.JSON_MALFORMED, `the JSON is nested ${depth} levels deep, more than the limit of ${limits.maxJsonDepth}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new ReportRejectedError(RejectionReason.JSON_MALFORMED, `the JSON cannot be parsed (${cleanText((err as Error).message, 200)})`);
  }
  if (!isObject(doc)) throw invalid('the JSON is not an object');
  return readReport(doc, limits, maxPolicies);
}

function readReport(doc: Record<string, unknown>, limits: ReportLimits, maxPolicies: number): { report: TlsRptReport; policiesDropped: number } {
  const range = requireObject(doc['date-range'], 'date-range');
  const policies = doc.policies;
  if (!Array.isArray(policies)) throw invalid('"policies" is missing or not a list');
  if (policies.length > limits.maxTlsPolicies) {
    throw new ReportRejectedError(RejectionReason.TOO_MANY_RECORDS, `the report has ${policies.length} policies, more than the limit of ${limits.maxTlsPolicies}`);
  }
  const read = Number.isFinite(maxPolicies) ? policies.slice(0, Math.max(0, Math.floor(maxPolicies))) : policies;
  const report = withoutUndefined({
    kind: 'tlsrpt' as const,
    organizationName: cleanText(requireString(doc['organization-name'], 'organization-name'), 256),
    contactInfo: optionalString(doc['contact-info'], 256),
    reportId: cleanText(requireString(doc['report-id'], 'report-id'), 256),
    begin: dateTime(range['start-datetime'], 'date-range/start-datetime'),
    end: dateTime(range['end-datetime'], 'date-range/end-datetime'),
    policies: read.map((p, i) => readPolicy(p, i + 1, limits)),
  });
  return { report, policiesDropped: policies.length - read.length };
}

function readPolicy(value: unknown, n: number, limits: ReportLimits): TlsPolicyResult {
  const where = `policies[${n}]`;
  const entry = requireObject(value, where);
  const policy = requireObject(entry.policy, `${where}/policy`);
  const summary = requireObject(entry.summary, `${where}/summary`);
  const domain = cleanDomain(requireString(policy['policy-domain'], `${where}/policy/policy-domain`));
  if (!isHostname(domain)) throw invalid(`${where}/policy/policy-domain "${cleanText(domain, 80)}" is not a domain name`);
  const details = entry['failure-details'] === undefined ? [] : entry['failure-details'];
  if (!Array.isArray(details)) throw invalid(`${where}/failure-details is not a list`);
  if (details.length > limits.maxTlsFailureDetails) {
    throw new ReportRejectedError(RejectionReason.TOO_MANY_RECORDS, `${where} has ${details.length} failure details, more than the limit of ${limits.maxTlsFailureDetails}`);
  }
  return {
    policyType: keyword(requireString(policy['policy-type'], `${where}/policy/policy-type`)),
    policyDomain: domain,
    policyString: stringList(policy['policy-string'], 100, limits.maxTextLength),
    mxHost: stringList(policy['mx-host'], 100, 253),
    successfulSessions: count(summary['total-successful-session-count'], `${where}/summary/total-successful-session-count`),
    failedSessions: count(summary['total-failure-session-count'], `${where}/summary/total-failure-session-count`),
    failures: details.map((d, i) => readFailure(d, `${where}/failure-details[${i + 1}]`, limits)),
  };
}

function readFailure(value: unknown, where: string, limits: ReportLimits): TlsFailureDetail {
  const d = requireObject(value, where);
  return withoutUndefined({
    resultType: keyword(requireString(d['result-type'], `${where}/result-type`)),
    failedSessions: count(d['failed-session-count'], `${where}/failed-session-count`),
    sendingMtaIp: optionalString(d['sending-mta-ip'], 64),
    receivingMxHostname: d['receiving-mx-hostname'] === undefined ? undefined : cleanDomain(String(d['receiving-mx-hostname'])),
    receivingMxHelo: optionalString(d['receiving-mx-helo'], 253),
    receivingIp: optionalString(d['receiving-ip'], 64),
    additionalInformation: optionalString(d['additional-information'], limits.maxTextLength),
    failureReasonCode: optionalString(d['failure-reason-code'], 256),
  });
}

/**
 * The deepest nesting of arrays and objects, by one pass over the text that skips strings:
 * linear time, constant memory, whatever the input.
 */
export function jsonDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) {inString = true;} else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

function requireObject(value: unknown, where: string): Record<string, unknown> {
  if (!isObject(value)) throw invalid(`"${where}" is missing or not an object`);
  return value;
}

function requireString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw invalid(`"${where}" is missing or not a string`);
  return value.trim();
}

function optionalString(value: unknown, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  const t = cleanText(typeof value === 'string' ? value : JSON.stringify(value) ?? '', max);
  return t.length === 0 ? undefined : t;
}

function stringList(value: unknown, maxItems: number, maxLength: number): string[] {
  if (!Array.isArray(value)) return typeof value === 'string' ? [cleanText(value, maxLength)] : [];
  return value.filter((v): v is string => typeof v === 'string').slice(0, maxItems).map((v) => cleanText(v, maxLength));
}

function keyword(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_.:-]/g, '').slice(0, 64) || 'unknown';
}

/** A session count: a whole number from 0 (RFC 8460 §4.4: integers). */
function count(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1e12) {
    throw invalid(`"${where}" is not a whole number of sessions`);
  }
  return value;
}

/** RFC 3339 date-time (RFC 8460 §4.4), as an ISO 8601 string in UTC. */
function dateTime(value: unknown, where: string): string {
  const s = requireString(value, where);
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/.test(s)) {
    throw invalid(`"${where}" "${cleanText(s, 40)}" is not an RFC 3339 date-time`);
  }
  const t = Date.parse(/[Zz]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`);
  if (Number.isNaN(t)) throw invalid(`"${where}" "${cleanText(s, 40)}" is not a date-time`);
  return new Date(t).toISOString();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(detail: string): ReportRejectedError {
  return new ReportRejectedError(RejectionReason.TLSRPT_INVALID, `the TLS report is not valid: ${detail}`);
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
