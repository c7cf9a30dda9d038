/**
 * DMARC aggregate reports: the XML of RFC 7489 appendix C and of RFC 9990 (namespace
 * `urn:ietf:params:xml:ns:dmarc-2.0`), read with fast-xml-parser configured so no entity is ever
 * expanded and no external resource ever fetched: a document type or entity declaration
 * (billion laughs, XXE) is refused before parsing, entity processing is off, nesting and size
 * are bounded. Only the five predefined entities and numeric character references are decoded,
 * in one pass, so the output is never longer than the input.
 */
import { XMLParser } from 'fast-xml-parser';
import { ReportLimits } from './limits';
import { DmarcAggregateReport, DmarcAuthResult, DmarcPolicyPublished, DmarcRecordRow, RejectionReason, ReportRejectedError } from './model';
import { cleanDomain, cleanText } from './text';
import { isHostname } from '../records/private/uri';

/** The RFC 9990 namespace. */
export const DMARC_2_NAMESPACE = 'urn:ietf:params:xml:ns:dmarc-2.0';

/** `<!DOCTYPE` or `<!ENTITY` anywhere (white space allowed after `<!`, any case): refused outright. */
const DECLARATION = /<!\s*(?:DOCTYPE|ENTITY)/i;

const ARRAY_PATHS = new Set([
  'feedback.record',
  'feedback.record.auth_results.dkim',
  'feedback.record.auth_results.spf',
  'feedback.record.row.policy_evaluated.reason',
  'feedback.report_metadata.error',
]);

/** Parse the text of a DMARC aggregate report. Throws `ReportRejectedError` for anything else. */
export function parseDmarcXml(xml: string, limits: ReportLimits): DmarcAggregateReport {
  return parseDmarcXmlUpTo(xml, limits, Infinity).report;
}

/** `<record`, `<ns:record` as a start tag. */
const RECORD_START = /<(?:[A-Za-z_][\w.-]*:)?record(?=[\s>/])/g;

/**
 * Parse a DMARC aggregate report, reading at most `maxRecords` of its records: the text after
 * them is cut off before the XML is parsed, so records past the bound cost a scan of the text
 * and nothing more (no element tree, no rows). Records follow the metadata and the policy in
 * both schemas (RFC 7489 appendix C, RFC 9990 §2), so the report keeps everything else.
 */
export function parseDmarcXmlUpTo(xml: string, limits: ReportLimits, maxRecords: number): { report: DmarcAggregateReport; recordsDropped: number } {
  let recordsDropped = 0;
  if (Number.isFinite(maxRecords) && xml.length <= limits.maxReportBytes && !DECLARATION.test(xml)) {
    const cap = Math.max(0, Math.floor(maxRecords));
    RECORD_START.lastIndex = 0;
    let count = 0;
    let cut = -1;
    for (let m = RECORD_START.exec(xml); m !== null; m = RECORD_START.exec(xml)) {
      if (count === cap) cut = m.index;
      count++;
    }
    if (count > limits.maxDmarcRecords) {
      throw new ReportRejectedError(RejectionReason.TOO_MANY_RECORDS, `the report has ${count} records, more than the limit of ${limits.maxDmarcRecords}`);
    }
    const root = /<([A-Za-z_][\w.-]*:)?feedback\b/.exec(xml.slice(0, 16384));
    if (cut >= 0 && root !== null) {
      xml = `${xml.slice(0, cut)}</${root[1] ?? ''}feedback>`;
      recordsDropped = count - cap;
    }
  }
  return { report: parseWholeDmarcXml(xml, limits), recordsDropped };
}

function parseWholeDmarcXml(xml: string, limits: ReportLimits): DmarcAggregateReport {
  if (xml.length > limits.maxReportBytes) {
    throw new ReportRejectedError(RejectionReason.DECOMPRESSED_TOO_LARGE, `the XML is ${xml.length} characters, more than the limit of ${limits.maxReportBytes}`);
  }
  if (DECLARATION.test(xml)) {
    throw new ReportRejectedError(RejectionReason.XML_DOCTYPE,
      'the XML has a document type or entity declaration; DMARC reports have none, and they are never processed (entity expansion, external entities)');
  }
  const parser = new XMLParser({
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: limits.maxXmlDepth,
    isArray: (_name: string, jpath: unknown) => typeof jpath === 'string' && ARRAY_PATHS.has(jpath),
  });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (err) {
    throw new ReportRejectedError(RejectionReason.XML_MALFORMED, `the XML is not well formed or too deeply nested (${firstLine((err as Error).message)})`);
  }
  const feedback = doc.feedback;
  if (!isObject(feedback)) {
    const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#')) ?? '(none)';
    throw new ReportRejectedError(RejectionReason.DMARC_INVALID, `the XML is not a DMARC aggregate report: its root element is <${cleanText(root, 60)}>, not <feedback>`);
  }
  return readFeedback(feedback, rootNamespaces(xml), limits);
}

/**
 * The namespaces declared on the root element. Read from the text, since the parser drops
 * namespace declarations; the root's start tag is looked for near the start only.
 */
function rootNamespaces(xml: string): string[] {
  const start = /<(?:[A-Za-z_][\w.-]*:)?feedback\b([^>]{0,4096})>/.exec(xml.slice(0, 16384));
  if (start === null) return [];
  return [...start[1].matchAll(/\bxmlns(?::[\w.-]+)?\s*=\s*(["'])([^"']*)\1/g)].map((m) => m[2]);
}

function readFeedback(feedback: Record<string, unknown>, namespaces: string[], limits: ReportLimits): DmarcAggregateReport {
  const max = limits.maxTextLength;
  const meta = requireObject(feedback.report_metadata, 'report_metadata');
  const policy = requireObject(feedback.policy_published, 'policy_published');
  // The namespace says which schema a report follows; a <version> element alone does not
  // (some RFC 7489 reporters write one too).
  const schema = namespaces.includes(DMARC_2_NAMESPACE) ? 'rfc9990' : 'rfc7489';

  const range = requireObject(meta.date_range, 'report_metadata/date_range');
  const begin = epochSeconds(range.begin, 'report_metadata/date_range/begin');
  const end = epochSeconds(range.end, 'report_metadata/date_range/end');

  const domain = cleanDomain(requireText(policy.domain, 'policy_published/domain'));
  if (!isHostname(domain)) {
    throw invalid(`policy_published/domain "${cleanText(domain, 80)}" is not a domain name`);
  }
  const published: DmarcPolicyPublished = withoutUndefined({
    domain,
    p: token(policy.p),
    sp: token(policy.sp),
    np: token(policy.np),
    adkim: token(policy.adkim),
    aspf: token(policy.aspf),
    pct: optionalInteger(policy.pct, 'policy_published/pct', 0, 100),
    fo: token(policy.fo),
    testing: token(policy.testing),
    psd: token(policy.psd),
    discoveryMethod: token(policy.discovery_method),
  });

  const records = arrayOf(feedback.record);
  if (records.length > limits.maxDmarcRecords) {
    throw new ReportRejectedError(RejectionReason.TOO_MANY_RECORDS, `the report has ${records.length} records, more than the limit of ${limits.maxDmarcRecords}`);
  }
  const rows = records.map((r, i) => readRecord(r, i + 1, max));

  return withoutUndefined({
    kind: 'dmarc' as const,
    schema,
    orgName: cleanText(requireText(meta.org_name, 'report_metadata/org_name'), 256),
    email: cleanText(text(meta.email) ?? '', 256),
    extraContactInfo: optionalText(meta.extra_contact_info, max),
    reportId: cleanText(requireText(meta.report_id, 'report_metadata/report_id'), 256),
    begin: new Date(begin * 1000).toISOString(),
    end: new Date(end * 1000).toISOString(),
    errors: arrayOf(meta.error).map((e) => cleanText(text(e) ?? '', max)).filter((e) => e.length > 0).slice(0, 100),
    generator: optionalText(meta.generator, 256),
    policy: published,
    records: rows,
  });
}

function readRecord(value: unknown, n: number, max: number): DmarcRecordRow {
  const where = `record ${n}`;
  const record = requireObject(value, where);
  const row = requireObject(record.row, `${where}/row`);
  const evaluated = requireObject(row.policy_evaluated, `${where}/row/policy_evaluated`);
  const identifiers = isObject(record.identifiers) ? record.identifiers : {};
  const auth = isObject(record.auth_results) ? record.auth_results : {};
  const sourceIp = requireText(row.source_ip, `${where}/row/source_ip`);
  if (!isIpAddress(sourceIp)) {
    throw invalid(`${where}/row/source_ip "${cleanText(sourceIp, 60)}" is not an IP address`);
  }
  const dkim = token(evaluated.dkim) ?? 'fail';
  const spf = token(evaluated.spf) ?? 'fail';
  return withoutUndefined({
    sourceIp: sourceIp.toLowerCase(),
    count: integer(row.count, `${where}/row/count`, 0, 1e12),
    disposition: token(evaluated.disposition) ?? 'none',
    dkim,
    spf,
    dmarcPass: dkim === 'pass' || spf === 'pass',
    reasons: arrayOf(evaluated.reason).filter(isObject).slice(0, 20).map((r) => withoutUndefined({
      type: token(r.type) ?? 'other',
      comment: optionalText(r.comment, max),
    })),
    headerFrom: cleanDomain(text(identifiers.header_from) ?? ''),
    envelopeFrom: optionalDomain(identifiers.envelope_from),
    envelopeTo: optionalDomain(identifiers.envelope_to),
    dkimResults: arrayOf(auth.dkim).filter(isObject).slice(0, 50).map((d): DmarcAuthResult => withoutUndefined({
      domain: cleanDomain(text(d.domain) ?? ''),
      selector: optionalText(d.selector, 253),
      result: token(d.result) ?? 'none',
      humanResult: optionalText(d.human_result, max),
    })),
    spfResults: arrayOf(auth.spf).filter(isObject).slice(0, 50).map((s): DmarcAuthResult => withoutUndefined({
      domain: cleanDomain(text(s.domain) ?? ''),
      scope: token(s.scope),
      result: token(s.result) ?? 'none',
      humanResult: optionalText(s.human_result, max),
    })),
  });
}

// ---- values -----------------------------------------------------------------------------

/** The text of an element: a string, or the `#text` of an element that has attributes. Entities decoded. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return decodeEntities(value);
  if (typeof value === 'number') return String(value);
  if (isObject(value) && typeof value['#text'] === 'string') return decodeEntities(value['#text']);
  if (isObject(value) && typeof value['#text'] === 'number') return String(value['#text']);
  return undefined;
}

function requireText(value: unknown, where: string): string {
  const t = text(value);
  if (t === undefined || t.trim().length === 0) throw invalid(`${where} is missing or empty`);
  return t.trim();
}

function optionalText(value: unknown, max: number): string | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  const clean = cleanText(t, max);
  return clean.length === 0 ? undefined : clean;
}

function optionalDomain(value: unknown): string | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  const d = cleanDomain(t);
  return d.length === 0 ? undefined : d;
}

/** A keyword value (`pass`, `reject`, `mfrom`…): lower case, at most 32 safe characters. */
function token(value: unknown): string | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  const clean = t.trim().toLowerCase().replace(/[^a-z0-9_:.+-]/g, '').slice(0, 32);
  return clean.length === 0 ? undefined : clean;
}

function integer(value: unknown, where: string, min: number, max: number): number {
  const t = requireText(value, where);
  if (!/^\d{1,15}$/.test(t)) throw invalid(`${where} "${cleanText(t, 40)}" is not a whole number`);
  const n = Number(t);
  if (n < min || n > max) throw invalid(`${where} ${n} is outside ${min}–${max}`);
  return n;
}

function optionalInteger(value: unknown, where: string, min: number, max: number): number | undefined {
  return text(value) === undefined || text(value)!.trim() === '' ? undefined : integer(value, where, min, max);
}

/** Seconds since 1970 (RFC 7489 appendix C); some reporters add a fraction or a trailing space. */
function epochSeconds(value: unknown, where: string): number {
  const t = requireText(value, where);
  if (!/^\d{1,12}(?:\.\d+)?$/.test(t)) throw invalid(`${where} "${cleanText(t, 40)}" is not a time in seconds since 1970`);
  const n = Math.floor(Number(t));
  if (n > 253402300799) throw invalid(`${where} ${n} is after the year 9999`);
  return n;
}

function requireObject(value: unknown, where: string): Record<string, unknown> {
  if (!isObject(value)) throw invalid(`<${where}> is missing`);
  return value;
}

function arrayOf(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(detail: string): ReportRejectedError {
  return new ReportRejectedError(RejectionReason.DMARC_INVALID, `the DMARC report is not valid: ${detail}`);
}

/** An IPv4 or IPv6 address (RFC 7489 appendix C `IPAddress`), checked with Node's parser rules. */
export function isIpAddress(value: string): boolean {
  const v = value.trim();
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(v)) return true;
  if (v.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(v) || !v.includes(':')) return false;
  const halves = v.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const parts = [...groups(halves[0]), ...(halves.length === 2 ? groups(halves[1]) : [])];
  let count = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i === parts.length - 1 && p.includes('.')) {
      if (!isIpAddress(p) || p.includes(':')) return false;
      count += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) {
      count += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

/** The predefined entities (XML 1.0 §4.6) and character references, in one pass. */
function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    switch (name) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const cp = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : whole;
      }
    }
  });
}

function firstLine(message: string): string {
  return cleanText(message.split('\n')[0], 200);
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
