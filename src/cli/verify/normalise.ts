/**
 * Record names and values in one form for comparing what the cloud assembly publishes with what
 * Route 53 holds: names lower case without the trailing dot; TXT as its joined character-strings;
 * host names (MX, CNAME, NS, SRV targets…) lower case without the trailing dot; numbers as numbers.
 */
import { TxtChunks } from '../../records/txt';

/** A name as Route 53 or a template writes it, lower case, without the trailing dot, octal escapes read. */
export function normaliseName(name: string): string {
  return decodeOctal(name.trim()).replace(/\.$/, '').toLowerCase();
}

/** Route 53 writes characters outside [a-z0-9-_.] in names as `\ddd` (octal): `\052` is `*`. */
function decodeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** A host name in a value: lower case without the trailing dot; the root stays `.`. */
export function normaliseHost(host: string): string {
  const h = decodeOctal(host.trim()).toLowerCase();
  return h === '.' || h === '' ? '.' : h.replace(/\.$/, '');
}

/** One value of a record set of the given type, in the form values are compared in. */
export function normaliseValue(type: string, value: string): string {
  const v = value.trim();
  const fields = v.split(/\s+/);
  switch (type) {
    case 'TXT':
    case 'SPF':
      return TxtChunks.parse(v);
    case 'MX':
      return fields.length === 2 ? `${numberText(fields[0])} ${normaliseHost(fields[1])}` : collapse(v);
    case 'CNAME':
    case 'NS':
    case 'PTR':
    case 'DNAME':
      return normaliseHost(v);
    case 'SRV':
      return fields.length === 4 ? `${fields.slice(0, 3).map(numberText).join(' ')} ${normaliseHost(fields[3])}` : collapse(v);
    case 'CAA': {
      const m = /^(\d+)\s+([A-Za-z0-9]+)\s+(.*)$/.exec(v);
      return m ? `${numberText(m[1])} ${m[2].toLowerCase()} ${TxtChunks.parse(m[3])}` : collapse(v);
    }
    default:
      return collapse(v);
  }
}

function numberText(text: string): string {
  return /^\d+$/.test(text) ? String(Number(text)) : text;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** `<SES DKIM token value 1>`, `<region>`, `<Fn::GetAtt X.Y>`: what the assembly reader writes for what only deployment knows. */
const PLACEHOLDER = /<[^<>]+>/g;

/** True when a value the assembly reader marked unresolved holds a placeholder. */
export function hasPlaceholder(value: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(value);
}

/**
 * A value from the assembly that holds placeholders, as a pattern over normalised live values:
 * the known text must be there as written, each placeholder stands for one or more characters.
 * `10 feedback-smtp.<region>.amazonses.com` matches `10 feedback-smtp.eu-west-2.amazonses.com`.
 */
export function placeholderPattern(normalisedValue: string, caseSensitive: boolean = true): RegExp {
  const parts = normalisedValue.split(PLACEHOLDER).map(escapeRegExp);
  return new RegExp(`^${parts.join('.+?')}$`, caseSensitive ? 's' : 'is');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a value of the assembly is compared as: the exact normalised text, or a pattern when it holds placeholders. */
export interface ExpectedValue {
  /** The value as the assembly reader gives it (placeholders kept), for messages. */
  readonly shown: string;
  /** The normalised value; with placeholders still in it when `pattern` is set. */
  readonly normalised: string;
  readonly pattern?: RegExp;
}

/** The value of the assembly ready for comparing. */
export function expectedValue(type: string, value: string, unresolved: boolean): ExpectedValue {
  const normalised = normaliseValue(type, value);
  if (!unresolved || !hasPlaceholder(value)) return { shown: value, normalised };
  // TXT is compared as written; host names, tags and the rest case-insensitively.
  return { shown: value, normalised, pattern: placeholderPattern(normalised, type === 'TXT' || type === 'SPF') };
}

/**
 * Match expected values with live ones, each used once: exact values first, then patterns in
 * order, each taking the first live value left that it matches.
 *
 * @returns the expected values no live value matched, and the live values (normalised) left over
 */
export function matchValues(expected: ExpectedValue[], live: string[]): { missing: ExpectedValue[]; unexpected: string[] } {
  const left = [...live];
  const missing: ExpectedValue[] = [];
  const patterns: ExpectedValue[] = [];
  for (const e of expected) {
    if (e.pattern !== undefined) {
      patterns.push(e);
      continue;
    }
    const i = left.indexOf(e.normalised);
    if (i >= 0) left.splice(i, 1);
    else missing.push(e);
  }
  for (const e of patterns) {
    const i = left.findIndex((l) => e.pattern!.test(l));
    if (i >= 0) left.splice(i, 1);
    else missing.push(e);
  }
  return { missing, unexpected: left };
}
