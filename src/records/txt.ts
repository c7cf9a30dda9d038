import { Finding, RuleDefinition, Severity, aboutRecord, finding, rule } from './finding';
import { RecordCheckOptions } from './record-options';

/** Rules about TXT record encoding. @internal */
export const TXT_RULES = {
  stringLength: rule('TXT-STRING-LENGTH', Severity.ERROR,
    'Each character-string in a TXT record is at most 255 octets (UTF-8 bytes).',
    'RFC 1035 §3.3.14; RFC 7208 §3.3; RFC 6376 §3.6.2.2'),
  route53ValueLength: rule('TXT-ROUTE53-VALUE-LENGTH', Severity.ERROR,
    'A Route 53 TXT value is at most 4,000 characters as written, quotes and escapes included.',
    'Amazon Route 53 Developer Guide, "Supported DNS record types: TXT record type"'),
  nonAscii: rule('TXT-NON-ASCII', Severity.ERROR,
    'SPF, DMARC, MTA-STS, TLS-RPT and DKIM key records are ASCII only.',
    'RFC 7208 §3; RFC 7489 §6.4; RFC 8461 §3.1; RFC 8460 §3; RFC 6376 §3.6.2.2'),
  quotedValue: rule('TXT-QUOTED-VALUE', Severity.ERROR,
    'A TXT value is given as its text, without quotes: the quotes of a zone file or the Route 53 console delimit a character-string and are not part of it, so quotes given with the value are published as part of the record.',
    'RFC 1035 §3.3.14, §5.1; Amazon Route 53 Developer Guide, "Supported DNS record types: TXT record type"'),
  udpSize: rule('TXT-UDP-SIZE', Severity.WARNING,
    'Keep one TXT answer under 450 octets so it fits a 512-octet UDP response.',
    'RFC 7208 §3.4'),
} satisfies Record<string, RuleDefinition>;

/** The longest character-string a TXT record can hold, in octets. */
const MAX_STRING_OCTETS = 255;
/** Route 53's limit on one TXT value as written in the API, quotes and escapes included. */
const ROUTE53_MAX_VALUE_CHARS = 4000;
/** RFC 7208 §3.4: the size that keeps an answer inside a 512-octet UDP response. */
const UDP_SAFE_OCTETS = 450;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Options for splitting a TXT value into character-strings.
 */
export interface TxtSplitOptions {
  /**
   * Refuse any character outside printable ASCII (0x20–0x7E).
   *
   * SPF, DMARC, MTA-STS, TLS-RPT and DKIM key records must be ASCII.
   *
   * @default true
   */
  readonly asciiOnly?: boolean;
}

/**
 * Options for checking the character-strings of a published TXT record.
 */
export interface TxtValidationOptions extends RecordCheckOptions, TxtSplitOptions {}

/**
 * Splits TXT values into DNS character-strings, and writes and reads them in the form
 * Route 53 and zone files use.
 *
 * Lengths are counted in UTF-8 octets, never in JavaScript string length, and a character is
 * never split across two strings.
 */
export class TxtChunks {
  /**
   * Split a value into character-strings of at most 255 UTF-8 octets each.
   *
   * The strings join back, with no separator, to the value given.
   *
   * @param value the record text, for example a whole SPF record
   * @throws when `asciiOnly` is set (the default) and the value holds a non-ASCII character
   */
  public static split(value: string, options: TxtSplitOptions = {}): string[] {
    if (options.asciiOnly ?? true) {
      const bad = firstNonAscii(value);
      if (bad !== undefined) {
        throw new Error(`[${TXT_RULES.nonAscii.id}] ${TXT_RULES.nonAscii.summary} Got ${describeChar(bad.char)} at index ${bad.index} of "${value}".`);
      }
    }
    if (value.length === 0) {
      return [''];
    }
    if (isAscii(value)) {
      // One octet a character: cut every 255 characters.
      const ascii: string[] = [];
      for (let i = 0; i < value.length; i += MAX_STRING_OCTETS) {
        ascii.push(value.slice(i, i + MAX_STRING_OCTETS));
      }
      return ascii;
    }
    const chunks: string[] = [];
    let current = '';
    let currentBytes = 0;
    for (const ch of value) {
      const size = encoder.encode(ch).length;
      if (currentBytes + size > MAX_STRING_OCTETS) {
        chunks.push(current);
        current = '';
        currentBytes = 0;
      }
      current += ch;
      currentBytes += size;
    }
    chunks.push(current);
    return chunks;
  }

  /**
   * The value as Route 53 takes it in a `ResourceRecords` entry: each character-string in
   * double quotes, separated by a space, with `"` and `\` escaped and any octet outside
   * printable ASCII written as a three-digit octal escape.
   *
   * @throws when the result is over Route 53's 4,000-character limit, or (with `asciiOnly`)
   * the value holds a non-ASCII character
   */
  public static toRoute53Value(value: string, options: TxtSplitOptions = {}): string {
    const rendered = TxtChunks.split(value, options).map(quoteRoute53).join(' ');
    if (rendered.length > ROUTE53_MAX_VALUE_CHARS) {
      throw new Error(`[${TXT_RULES.route53ValueLength.id}] ${TXT_RULES.route53ValueLength.summary} Got ${rendered.length} characters for a value starting "${value.slice(0, 40)}".`);
    }
    return rendered;
  }

  /**
   * Read a TXT value as DNS tools and APIs print it, and join its character-strings.
   *
   * Accepts one or more double-quoted strings (`"v=spf1 " "-all"`), with `\"`, `\\` and
   * three-digit escapes; or an unquoted value, returned as it is. Three-digit escapes are read
   * as octal (Route 53's form) unless `decimalEscapes` is set (RFC 1035 zone-file form).
   */
  public static parse(text: string, decimalEscapes: boolean = false): string {
    return TxtChunks.parseStrings(text, decimalEscapes).join('');
  }

  /**
   * Read a TXT value as DNS tools print it, keeping its character-strings apart.
   *
   * @see TxtChunks.parse
   */
  public static parseStrings(text: string, decimalEscapes: boolean = false): string[] {
    const trimmed = text.trim();
    if (!trimmed.startsWith('"')) {
      return [trimmed];
    }
    const strings: string[] = [];
    let i = 0;
    while (i < trimmed.length) {
      while (i < trimmed.length && /\s/.test(trimmed[i])) i++;
      if (i >= trimmed.length) break;
      if (trimmed[i] !== '"') {
        // Text between quoted strings: take it as an unquoted string up to the next space.
        let j = i;
        while (j < trimmed.length && !/\s/.test(trimmed[j])) j++;
        strings.push(trimmed.slice(i, j));
        i = j;
        continue;
      }
      i++;
      const plainEnd = plainAsciiRun(trimmed, i);
      if (trimmed[plainEnd] === '"') {
        // No escapes and nothing outside ASCII: the string is the text between the quotes.
        strings.push(trimmed.slice(i, plainEnd));
        i = plainEnd + 1;
        continue;
      }
      const bytes: number[] = [];
      let closed = false;
      while (i < trimmed.length) {
        const c = trimmed[i];
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\\' && i + 1 < trimmed.length) {
          const digits = trimmed.slice(i + 1, i + 4);
          if (/^[0-9]{3}$/.test(digits)) {
            bytes.push(parseInt(digits, decimalEscapes ? 10 : 8) % 256);
            i += 4;
            continue;
          }
          bytes.push(...encoder.encode(trimmed[i + 1]));
          i += 2;
          continue;
        }
        const cp = trimmed.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        bytes.push(...encoder.encode(ch));
        i += ch.length;
      }
      if (!closed) {
        // An unterminated string: keep what was there rather than lose the record.
      }
      strings.push(decoder.decode(new Uint8Array(bytes)));
    }
    return strings.length === 0 ? [''] : strings;
  }

  /**
   * Check the character-strings of a published TXT record: each at most 255 octets, the whole
   * answer under the 450-octet UDP guidance, and (with `asciiOnly`) ASCII only.
   *
   * @param strings the character-strings as DNS returned them
   */
  public static validate(strings: string[], options: TxtValidationOptions = {}): Finding[] {
    const name = options.name;
    const findings: Finding[] = [];
    let total = 0;
    strings.forEach((s, idx) => {
      const size = TxtChunks.byteLength(s);
      total += size;
      if (size > MAX_STRING_OCTETS) {
        findings.push(finding(TXT_RULES.stringLength, `Character-string ${idx + 1} is ${size} octets; the limit is ${MAX_STRING_OCTETS}.`, name));
      }
    });
    if (options.asciiOnly ?? true) {
      const bad = firstNonAscii(strings.join(''));
      if (bad !== undefined) {
        findings.push(finding(TXT_RULES.nonAscii, `The record holds ${describeChar(bad.char)} at index ${bad.index}; it must be printable ASCII.`, name));
      }
    }
    if (total > UDP_SAFE_OCTETS) {
      findings.push(finding(TXT_RULES.udpSize, `The record is ${total} octets; keep it under ${UDP_SAFE_OCTETS} so the answer fits in UDP.`, name));
    }
    return aboutRecord(findings, name, 'TXT');
  }

  /** The size of a string in UTF-8 octets. */
  public static byteLength(value: string): number {
    return isAscii(value) ? value.length : encoder.encode(value).length;
  }

  private constructor() {}
}

function quoteRoute53(chunk: string): string {
  if (plainAsciiRun(chunk, 0) === chunk.length) {
    return `"${chunk}"`;
  }
  let out = '"';
  for (const ch of chunk) {
    if (ch === '"' || ch === '\\') {
      out += '\\' + ch;
      continue;
    }
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) {
      out += ch;
      continue;
    }
    for (const b of encoder.encode(ch)) {
      out += '\\' + b.toString(8).padStart(3, '0');
    }
  }
  return out + '"';
}

/** True when every character of the value is one UTF-8 octet (U+0000–U+007F). */
function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0x7f) return false;
  }
  return true;
}

/**
 * The index of the first character from `start` that is not printable ASCII, or is a quote or a
 * backslash: the end of a run that reads and writes as it is.
 */
function plainAsciiRun(value: string, start: number): number {
  let i = start;
  while (i < value.length) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) break;
    i++;
  }
  return i;
}

function firstNonAscii(value: string): { index: number; char: string } | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      return { index: i, char: String.fromCodePoint(value.codePointAt(i)!) };
    }
  }
  return undefined;
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${cp >= 0x20 && cp !== 0x7f ? ` ("${ch}")` : ''}`;
}
