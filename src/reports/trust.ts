/**
 * Whether a report can be trusted: what SES found when it received the message (the
 * `Authentication-Results`, `X-SES-Spam-Verdict` and `Received-SPF` headers it writes above the
 * message it stores), and whether the report is consistent with itself (a period that makes
 * sense, counts that could be real).
 *
 * A report is authenticated when SES found a DKIM signature that passed for the reporter's
 * domain: the domain of the message's From address, or its organisational domain (relaxed
 * alignment, RFC 7489 §3.1.1). SPF alone is not enough: it vouches for the sending path of the
 * envelope sender, which reporters on shared infrastructure do not own, and it is not aligned
 * with the From address. Anything that is not authenticated is still stored, marked with the
 * reason, and kept out of the numbers the alarms watch.
 *
 * CDK-free; never throws on any input.
 */
import { MimeHeaders } from './mime';
import { ParsedReport } from './model';
import { organisationalDomainOf } from '../records/private/dmarc-org-domain';

/** Why a report is or is not trusted. The values are stable: rows, logs and metrics carry them. */
export enum TrustReason {
  /** SES found a DKIM signature that passed for the From domain or its organisational domain. */
  DKIM_ALIGNED = 'dkim-aligned-with-reporter',
  /** The message carries no `Authentication-Results` from SES (it did not come through the receipt rule, or SES did not judge it). */
  NO_SES_RESULTS = 'no-ses-authentication-results',
  /** SES's spam filter failed the message (`X-SES-Spam-Verdict: FAIL`). */
  SPAM = 'ses-spam-verdict-fail',
  /** No From address, or more than one (RFC 5322 §3.6 allows exactly one). */
  NO_REPORTER_ADDRESS = 'no-reporter-address',
  /** A DKIM signature passed, but for a domain that is not the reporter's. */
  DKIM_NOT_ALIGNED = 'dkim-not-aligned',
  /** SPF passed, but no DKIM signature did. */
  SPF_ONLY = 'spf-only',
  /** Neither DKIM nor SPF passed. */
  NOT_AUTHENTICATED = 'authentication-failed',
  /** The report's period ends before it begins. */
  PERIOD_INVERTED = 'period-inverted',
  /** The report's period begins in the future. */
  PERIOD_IN_FUTURE = 'period-in-future',
  /** The report's period is longer than any reporter uses. */
  PERIOD_TOO_LONG = 'period-too-long',
  /** A count larger than any domain's mail could give. */
  IMPLAUSIBLE_COUNT = 'implausible-count',
}

/** One method's result in an `Authentication-Results` header (RFC 8601 §2.2 `resinfo`). */
export interface AuthResult {
  /** `spf`, `dkim`, `dmarc`… lower case. */
  readonly method: string;
  /** `pass`, `fail`, `none`… lower case. */
  readonly result: string;
  /** The `reason=` value, when given. */
  readonly reason?: string;
  /** `ptype.property=value` pairs, in order (`header.i`, `smtp.mailfrom`…); ptype and property lower case. */
  readonly properties: AuthProperty[];
}

/** A `ptype.property=value` of a result. A bare `name=value` (as SES writes `client-ip=`) has ptype `''`. */
export interface AuthProperty {
  readonly ptype: string;
  readonly property: string;
  readonly value: string;
}

/** A parsed `Authentication-Results` header. */
export interface AuthenticationResults {
  /** Who made the checks (`amazonses.com` for SES), lower case. */
  readonly authservId: string;
  readonly results: AuthResult[];
}

/** The results a header may carry (RFC 8601 §2.7, RFC 7208 §2.6, and `hardfail`, `policy`). */
const RESULTS = new Set(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy', 'hardfail']);

/** SES's `authserv-id`. */
export const SES_AUTHSERV_ID = 'amazonses.com';

/** The longest header value read; SES's are a few hundred characters. */
const MAX_HEADER = 16 * 1024;

/**
 * Parse an `Authentication-Results` value (RFC 8601 §2.2), leniently: comments are dropped,
 * unknown tokens skipped, and a `name=value` where a result should be that is not a result (SES
 * writes `client-ip=…; envelope-from=…; helo=…` after `spf=pass`) is kept as a bare property of
 * the result before it. Undefined when there is no authserv-id. Never throws.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | undefined {
  if (typeof value !== 'string') return undefined;
  const segments = split(stripComments(value.slice(0, MAX_HEADER)), ';');
  const head = pairs(segments[0] ?? '');
  const authservId = head.length > 0 && head[0].value === undefined ? head[0].name.toLowerCase() : '';
  if (authservId === '') return undefined;
  const results: Array<{ method: string; result: string; reason?: string; properties: AuthProperty[] }> = [];
  for (const segment of segments.slice(1)) {
    const parts = pairs(segment);
    if (parts.length === 0) continue;
    const [first, ...rest] = parts;
    if (first.value === undefined) continue;
    const method = first.name.toLowerCase().split('/')[0];
    const result = first.value.toLowerCase();
    if (!RESULTS.has(result) || !/^[a-z0-9][a-z0-9_-]*$/.test(method)) {
      // SES's continuation of the result before it (`client-ip=…`), or something unreadable.
      const last = results[results.length - 1];
      if (last !== undefined) addProperties(last, parts);
      continue;
    }
    const entry: { method: string; result: string; reason?: string; properties: AuthProperty[] } = { method, result, properties: [] };
    addProperties(entry, rest);
    results.push(entry);
  }
  return { authservId, results };
}

function addProperties(entry: { reason?: string; properties: AuthProperty[] }, parts: Pair[]): void {
  for (const { name, value } of parts) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'reason' && entry.reason === undefined) {
      entry.reason = value;
      continue;
    }
    const dot = lower.indexOf('.');
    if (dot > 0) entry.properties.push({ ptype: lower.slice(0, dot), property: lower.slice(dot + 1), value });
    else entry.properties.push({ ptype: '', property: lower, value });
  }
}

/** Render results as a header value, in the form RFC 8601 §2.2 gives. */
export function renderAuthenticationResults(ar: AuthenticationResults): string {
  const value = (v: string) => (/^[!#$%&'*+\-/=?^_`{|}~.@A-Za-z0-9]+$/.test(v) ? v : `"${v.replace(/(["\\])/g, '\\$1')}"`);
  const results = ar.results.map((r) => [
    `${r.method}=${r.result}`,
    ...(r.reason === undefined ? [] : [`reason=${value(r.reason)}`]),
    ...r.properties.map((p) => `${p.ptype === '' ? '' : `${p.ptype}.`}${p.property}=${value(p.value)}`),
  ].join(' '));
  return results.length === 0 ? `${ar.authservId}; none` : [ar.authservId, ...results].join(';\r\n ');
}

/** Remove RFC 5322 comments (nested parentheses), leaving quoted strings alone. */
function stripComments(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += text.slice(i, i + 2);
      i++;
      continue;
    }
    if (depth === 0 && c === '"') quoted = !quoted;
    if (!quoted && c === '(') {
      depth++;
      continue;
    }
    if (!quoted && c === ')' && depth > 0) {
      depth--;
      if (depth === 0) out += ' ';
      continue;
    }
    if (depth === 0) out += c;
  }
  return out;
}

/** Split on a separator outside quoted strings. */
function split(text: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) {
      current += text.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

/** A `name=value` (value unquoted), or a bare word (no value). */
interface Pair {
  readonly name: string;
  readonly value?: string;
}

/** The `name=value` pairs and bare words of a segment; space around `=` allowed, quoted values kept whole. */
function pairs(segment: string): Pair[] {
  const out: Pair[] = [];
  let i = 0;
  const n = segment.length;
  const space = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  while (i < n) {
    while (i < n && space(segment[i])) i++;
    if (i >= n) break;
    let name = '';
    while (i < n && !space(segment[i]) && segment[i] !== '=') name += segment[i++];
    let j = i;
    while (j < n && space(segment[j])) j++;
    if (segment[j] !== '=') {
      if (name !== '') out.push({ name });
      continue;
    }
    i = j + 1;
    while (i < n && space(segment[i])) i++;
    let value = '';
    if (segment[i] === '"') {
      i++;
      while (i < n && segment[i] !== '"') {
        if (segment[i] === '\\' && i + 1 < n) i++;
        value += segment[i++];
      }
      i++;
    } else {
      while (i < n && !space(segment[i])) value += segment[i++];
    }
    if (name !== '') out.push({ name, value });
  }
  return out;
}

// ---- what SES wrote ------------------------------------------------------------------------

/** The headers SES writes above a message it stores (with `Return-Path` and its `Received`). */
const SES_BLOCK = new Set([
  'return-path', 'received', 'x-ses-spam-verdict', 'x-ses-virus-verdict', 'received-spf',
  'authentication-results', 'x-ses-receipt', 'x-ses-dkim-signature',
]);

/** What SES found when it received a message. */
export interface SesVerdicts {
  /** SES's `Authentication-Results`, when it wrote one. */
  readonly authenticationResults?: AuthenticationResults;
  /** `PASS`, `FAIL`, `GRAY` or `PROCESSING_FAILED`, upper case, when SES wrote one. */
  readonly spamVerdict?: string;
  /** The domains of the message's From addresses (more than one is a fault). */
  readonly fromDomains: string[];
}

/**
 * What SES wrote about a message: read only from the block of headers SES puts above the
 * message (up to the first header it does not write, or the second `Received`), so a sender's
 * own `Authentication-Results: amazonses.com; dkim=pass …` further down is never read.
 */
export function sesVerdicts(headers: MimeHeaders): SesVerdicts {
  let receivedSeen = false;
  let authenticationResults: AuthenticationResults | undefined;
  let arSeen = false;
  let spamVerdict: string | undefined;
  for (const [name, value] of headers) {
    if (!SES_BLOCK.has(name)) break;
    if (name === 'received') {
      if (receivedSeen) break;
      receivedSeen = true;
    } else if (name === 'authentication-results' && !arSeen) {
      arSeen = true;
      const ar = parseAuthenticationResults(value);
      if (ar !== undefined && ar.authservId === SES_AUTHSERV_ID) authenticationResults = ar;
    } else if (name === 'x-ses-spam-verdict' && spamVerdict === undefined) {
      spamVerdict = value.trim().toUpperCase().slice(0, 32);
    }
  }
  const fromDomains = headers.filter(([n]) => n === 'from').flatMap(([, v]) => addressDomains(v));
  return { authenticationResults, spamVerdict, fromDomains };
}

/** The domains of the addresses in an address-list header (`"Name" <a@b.example>, c@d.example`). */
export function addressDomains(value: string): string[] {
  const text = stripComments(value.slice(0, MAX_HEADER)).replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const out: string[] = [];
  for (const m of text.matchAll(/@([A-Za-z0-9.-]+)/g)) {
    const d = m[1].toLowerCase().replace(/\.$/, '');
    if (d.length > 0) out.push(d);
  }
  return out;
}

/** Whether the message came from its reporter, and the reporter's key for per-reporter budgets. */
export interface MessageTrust {
  readonly authenticated: boolean;
  readonly reason: TrustReason;
  /** The organisational domain of the reporter, when authenticated. */
  readonly reporterDomain?: string;
  /** The From domain, when there is exactly one. */
  readonly fromDomain?: string;
}

/**
 * Whether SES authenticated the message as coming from the domain of its From address: a DKIM
 * signature that passed for that domain or a domain with the same organisational domain.
 */
export function authenticateMessage(headers: MimeHeaders): MessageTrust {
  const ses = sesVerdicts(headers);
  const fail = (reason: TrustReason, fromDomain?: string): MessageTrust => ({ authenticated: false, reason, ...(fromDomain ? { fromDomain } : {}) });
  if (ses.authenticationResults === undefined) return fail(TrustReason.NO_SES_RESULTS);
  const unique = [...new Set(ses.fromDomains)];
  if (unique.length !== 1 || ses.fromDomains.length !== 1) return fail(TrustReason.NO_REPORTER_ADDRESS);
  const from = unique[0];
  if (ses.spamVerdict === 'FAIL') return fail(TrustReason.SPAM, from);
  const results = ses.authenticationResults.results;
  const dkimPassed = results.filter((r) => r.method === 'dkim' && r.result === 'pass').map(dkimDomain).filter((d): d is string => d !== undefined);
  const org = organisationalDomainOf(from);
  const aligned = dkimPassed.find((d) => organisationalDomainOf(d) === org);
  if (aligned !== undefined) return { authenticated: true, reason: TrustReason.DKIM_ALIGNED, reporterDomain: org, fromDomain: from };
  if (dkimPassed.length > 0) return fail(TrustReason.DKIM_NOT_ALIGNED, from);
  if (results.some((r) => r.method === 'spf' && r.result === 'pass')) return fail(TrustReason.SPF_ONLY, from);
  return fail(TrustReason.NOT_AUTHENTICATED, from);
}

/** The signing domain of a DKIM result: `header.d`, else the domain of `header.i`. */
function dkimDomain(r: AuthResult): string | undefined {
  const d = r.properties.find((p) => p.ptype === 'header' && p.property === 'd')?.value;
  const i = r.properties.find((p) => p.ptype === 'header' && p.property === 'i')?.value;
  const domain = d ?? (i !== undefined && i.includes('@') ? i.slice(i.lastIndexOf('@') + 1) : undefined);
  if (domain === undefined) return undefined;
  const clean = domain.toLowerCase().replace(/\.$/, '');
  return /^[a-z0-9.-]+$/.test(clean) && clean.includes('.') ? clean : undefined;
}

// ---- the report itself ---------------------------------------------------------------------

/** The bounds of a plausible report. */
export interface PlausibleReport {
  /** The longest period, in seconds (reporters use a day, some an hour; RFC 7489 §7.2 `ri`). */
  readonly maxPeriodSeconds: number;
  /** How far in the future a period may begin, for clock differences, in seconds. */
  readonly clockSkewSeconds: number;
  /** The largest count of messages or sessions one row may give. */
  readonly maxCount: number;
  /** The largest count of messages or sessions one report may give in all. */
  readonly maxTotal: number;
}

/** The defaults: a period of up to 7 days, a day's skew, at most 10^8 a row and 10^9 a report. */
export const PLAUSIBLE_REPORT: PlausibleReport = {
  maxPeriodSeconds: 7 * 86_400,
  clockSkewSeconds: 86_400,
  maxCount: 100_000_000,
  maxTotal: 1_000_000_000,
};

/** Why a report is not consistent with itself, or undefined when it is. */
export function reportInconsistency(report: ParsedReport, now: Date, bounds: PlausibleReport = PLAUSIBLE_REPORT): TrustReason | undefined {
  const begin = Date.parse(report.begin);
  const end = Date.parse(report.end);
  if (!(begin <= end)) return TrustReason.PERIOD_INVERTED;
  if (begin > now.getTime() + bounds.clockSkewSeconds * 1000) return TrustReason.PERIOD_IN_FUTURE;
  if (end - begin > bounds.maxPeriodSeconds * 1000) return TrustReason.PERIOD_TOO_LONG;
  const counts = report.kind === 'dmarc'
    ? report.records.map((r) => r.count)
    : report.policies.flatMap((p) => [p.successfulSessions, p.failedSessions, ...p.failures.map((f) => f.failedSessions)]);
  let total = 0;
  for (const c of counts) {
    if (c > bounds.maxCount) return TrustReason.IMPLAUSIBLE_COUNT;
    total += c;
  }
  if (total > bounds.maxTotal) return TrustReason.IMPLAUSIBLE_COUNT;
  return undefined;
}

/** Whether a report is trusted, and why. */
export interface TrustDecision {
  readonly authenticated: boolean;
  readonly reason: TrustReason;
}

/** A report is trusted when its message is authenticated and the report is consistent with itself. */
export function decideTrust(message: MessageTrust, report: ParsedReport, now: Date, bounds: PlausibleReport = PLAUSIBLE_REPORT): TrustDecision {
  if (!message.authenticated) return { authenticated: false, reason: message.reason };
  const inconsistency = reportInconsistency(report, now, bounds);
  if (inconsistency !== undefined) return { authenticated: false, reason: inconsistency };
  return { authenticated: true, reason: message.reason };
}
