/**
 * What the inbox function is configured with: its environment (set by ReportInbox) and the
 * domain list the inbox's custom resource writes to the report bucket at deployment
 * (`config/domains.json`), read at most every five minutes.
 */
// The Lambda runtime provides the AWS SDK; the bundle keeps it external (a development dependency, as for the entry point).
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { aws } from './clients';
import { INBOX_DEFAULTS, InboxSettings } from '../../reports/limits';

/** The function's environment. */
export interface InboxConfig extends InboxSettings {
  readonly bucket: string;
  readonly rawPrefix: string;
  readonly parsedPrefix: string;
  readonly namespace: string;
  /** The domain list's key in the bucket. */
  readonly domainsKey: string;
  /** The ledger table: duplicates, per-reporter budgets, last-seen domains. */
  readonly ledgerTable: string;
}


export function inboxConfig(env: NodeJS.ProcessEnv = process.env): InboxConfig {
  const required = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === '') throw new Error(`The environment variable ${name} is not set`);
    return v;
  };
  const count = (name: string, fallback: number): number => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    if (!/^\d{1,15}$/.test(v)) throw new Error(`The environment variable ${name} must be a whole number, got: ${v}`);
    return Number(v);
  };
  const flag = env.COUNT_UNAUTHENTICATED ?? 'false';
  if (flag !== 'true' && flag !== 'false' && flag !== '') throw new Error(`The environment variable COUNT_UNAUTHENTICATED must be true or false, got: ${flag}`);
  return {
    bucket: required('BUCKET_NAME'),
    rawPrefix: required('RAW_PREFIX'),
    parsedPrefix: required('PARSED_PREFIX'),
    namespace: required('METRIC_NAMESPACE'),
    domainsKey: required('DOMAINS_KEY'),
    ledgerTable: required('LEDGER_TABLE'),
    maxRowsPerMessage: count('MAX_ROWS_PER_MESSAGE', INBOX_DEFAULTS.maxRowsPerMessage),
    maxBytesPerMessage: count('MAX_BYTES_PER_MESSAGE', INBOX_DEFAULTS.maxBytesPerMessage),
    maxRowsPerReporterDay: count('MAX_ROWS_PER_REPORTER_DAY', INBOX_DEFAULTS.maxRowsPerReporterDay),
    maxBytesPerReporterDay: count('MAX_BYTES_PER_REPORTER_DAY', INBOX_DEFAULTS.maxBytesPerReporterDay),
    silentAfterDays: count('SILENT_AFTER_DAYS', INBOX_DEFAULTS.silentAfterDays),
    countUnauthenticated: flag === 'true',
  };
}

/** One domain the inbox serves. */
export interface ListedDomain {
  /** Lower case, no trailing dot. */
  readonly name: string;
  /** Whether the domain sends mail (a parked domain does not, and is never expected to be reported on). */
  readonly sendsMail: boolean;
}

/** `config/domains.json`. */
export interface DomainList {
  readonly version: 1;
  /** The inbox's own domain (listed in `domains` too, not sending). */
  readonly inboxDomain: string;
  readonly domains: ListedDomain[];
}

/** Read the domain list; throws when it is not one (the invocation fails, and is retried once fixed). */
export function parseDomainList(text: string): DomainList {
  const fail = (why: string) => new Error(`The domain list is not valid: ${why}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw fail('it is not JSON');
  }
  const o = doc as { version?: unknown; inboxDomain?: unknown; domains?: unknown };
  if (typeof doc !== 'object' || doc === null || o.version !== 1) throw fail('version is not 1');
  if (typeof o.inboxDomain !== 'string' || o.inboxDomain === '') throw fail('inboxDomain is missing');
  if (!Array.isArray(o.domains)) throw fail('domains is not a list');
  const domains = o.domains.map((d: unknown, i: number): ListedDomain => {
    const e = d as { name?: unknown; sendsMail?: unknown };
    if (typeof d !== 'object' || d === null || typeof e.name !== 'string' || !/^[a-z0-9.-]+$/i.test(e.name) || typeof e.sendsMail !== 'boolean') {
      throw fail(`domains[${i}] is not {"name": "<domain>", "sendsMail": true|false}`);
    }
    return { name: e.name.toLowerCase().replace(/\.$/, ''), sendsMail: e.sendsMail };
  });
  return { version: 1, inboxDomain: o.inboxDomain.toLowerCase(), domains };
}

/** Every domain reports may be about: the listed ones and the inbox's own. */
export function servedDomains(list: DomainList): string[] {
  return [...new Set([...list.domains.map((d) => d.name), list.inboxDomain])];
}

/** How long the domain list is kept before it is read again. */
export const DOMAIN_LIST_TTL_MS = 5 * 60 * 1000;

let cached: { bucket: string; key: string; list: DomainList; readAt: number } | undefined;

/** The domain list, from S3 at most every five minutes. */
export async function domainList(cfg: InboxConfig, now: number = Date.now()): Promise<DomainList> {
  const fresh = cached !== undefined && cached.bucket === cfg.bucket && cached.key === cfg.domainsKey && now - cached.readAt < DOMAIN_LIST_TTL_MS;
  if (fresh) return cached!.list;
  const object = await aws().s3.send(new GetObjectCommand({ Bucket: cfg.bucket, Key: cfg.domainsKey }));
  if (object.Body === undefined) throw new Error(`The domain list s3://${cfg.bucket}/${cfg.domainsKey} is empty`);
  const list = parseDomainList(await object.Body.transformToString('utf-8'));
  cached = { bucket: cfg.bucket, key: cfg.domainsKey, list, readAt: now };
  return list;
}

/** Forget the cached domain list (tests). */
export function forgetDomainList(): void {
  cached = undefined;
}
