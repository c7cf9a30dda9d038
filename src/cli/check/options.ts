import { domainToASCII } from 'node:url';
import { DEFAULT_CONCURRENCY } from './bulk';
import { parseServer } from './dns-transport';
import { UsageError, parseCommandArgs, readFormat } from '../options';
import { OutputFormat } from '../report';

/** The command's options once read and checked. */
export interface CheckCliOptions {
  /** Domains given as arguments, with `-` standing for standard input, in order. */
  readonly positionals: string[];
  /** Files of domains (`--file`), in order. */
  readonly files: string[];
  readonly resolvers?: string[];
  readonly selectors: string[];
  readonly format: OutputFormat;
  readonly strict: boolean;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly caFile?: string;
  readonly httpsPort?: number;
  /** Probe the mail servers (not with `--no-smtp`). */
  readonly smtp: boolean;
  readonly smtpPort?: number;
  /** Print whether forcing TLS to each domain is safe, instead of the report. */
  readonly tlsReadiness: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 300_000;
const MAX_CONCURRENCY = 1000;

/** Read `gov-email check`'s arguments. @throws UsageError */
export function parseCheckArgs(args: string[]): CheckCliOptions {
  const parsed = parseCommandArgs(args, {
    'file': { type: 'string', multiple: true },
    'resolver': { type: 'string', multiple: true },
    'selector': { type: 'string', multiple: true },
    'format': { type: 'string' },
    'strict': { type: 'boolean' },
    'concurrency': { type: 'string' },
    'timeout': { type: 'string' },
    'ca-file': { type: 'string' },
    'https-port': { type: 'string' },
    'smtp-port': { type: 'string' },
    'no-smtp': { type: 'boolean' },
    'tls-readiness': { type: 'boolean' },
  });
  const v = parsed.values;
  const format = readFormat(v.format);
  const resolvers = v.resolver;
  if (resolvers !== undefined) {
    try {
      resolvers.forEach(parseServer);
    } catch (err) {
      throw new UsageError(`--resolver takes an IP address with an optional port (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53); got ${resolvers.map((r) => `"${r}"`).join(', ')}: ${(err as Error).message}`);
    }
  }
  if (v['no-smtp'] === true && v['tls-readiness'] === true) {
    throw new UsageError('--tls-readiness needs the mail servers probed; it cannot be used with --no-smtp.');
  }
  if (v['no-smtp'] === true && v['smtp-port'] !== undefined) {
    throw new UsageError('--smtp-port says where to probe the mail servers; it cannot be used with --no-smtp.');
  }
  const selectors = (v.selector ?? []).map((s) => s.trim().toLowerCase());
  for (const s of selectors) {
    if (!isDnsName(s, false)) {
      throw new UsageError(`--selector takes a DKIM selector (DNS labels of letters, digits, "-" and "_"); got "${s}".`);
    }
  }
  return {
    positionals: parsed.positionals,
    files: v.file ?? [],
    resolvers,
    selectors,
    format,
    strict: v.strict ?? false,
    concurrency: v.concurrency === undefined ? DEFAULT_CONCURRENCY : integer('--concurrency', v.concurrency, 1, MAX_CONCURRENCY),
    timeoutMs: v.timeout === undefined ? DEFAULT_TIMEOUT_MS : duration('--timeout', v.timeout),
    caFile: v['ca-file'],
    httpsPort: v['https-port'] === undefined ? undefined : integer('--https-port', v['https-port'], 1, 65535),
    smtp: v['no-smtp'] !== true,
    smtpPort: v['smtp-port'] === undefined ? undefined : integer('--smtp-port', v['smtp-port'], 1, 65535),
    tlsReadiness: v['tls-readiness'] === true,
  };
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || n < min || n > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}; got "${text}".`);
  }
  return n;
}

/** Seconds (`10`, `0.5`, `2s`) or milliseconds (`500ms`). */
function duration(flag: string, text: string): number {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s)?\s*$/.exec(text);
  const ms = m === null ? NaN : Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : 1000));
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) {
    throw new UsageError(`${flag} takes seconds (e.g. 10 or 0.5) or milliseconds (e.g. 500ms), at most ${MAX_TIMEOUT_MS / 1000} s; got "${text}".`);
  }
  return ms;
}

/**
 * Read a list of domains: one or more a line, separated by spaces or commas; `#` starts a
 * comment. Returns the words in order.
 */
export function splitDomainList(text: string): string[] {
  return text.split(/\r?\n/)
    .map((line) => line.replace(/#.*/, ''))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((w) => w !== '');
}

/**
 * A domain as typed, normalised to what DNS is asked (lower case, no trailing dot, IDNs as
 * A-labels), or undefined when it is not a domain name.
 */
export function normaliseDomain(input: string): string | undefined {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed === '' || /[/:@\s]/.test(trimmed)) return undefined;
  const ascii = domainToASCII(trimmed).toLowerCase();
  return ascii !== '' && isDnsName(ascii, true) ? ascii : undefined;
}

/** LDH labels of 1–63 octets, at most 253 in all; a host name (`hostName`) needs two labels. */
function isDnsName(name: string, hostName: boolean): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (hostName && labels.length < 2) return false;
  const label = hostName ? /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/ : /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;
  return labels.every((l) => label.test(l));
}
