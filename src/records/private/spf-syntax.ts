/**
 * Pure syntax helpers for SPF (RFC 7208 §7.1, §12). They return problems as text; spf.ts turns
 * them into findings, so this file has no rule table of its own.
 */

/** RFC 7208 §12 `qnum`: 0–255 in decimal with no leading zero. */
const QNUM = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IP4_NETWORK = new RegExp(`^${QNUM}(?:\\.${QNUM}){3}$`);
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
/** RFC 7208 §12 `toplabel`: letters and digits with at least one letter, or with an inner hyphen. */
const TOPLABEL = /^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$/;
/** RFC 7208 §12 `name`, the name of a modifier. */
const MODIFIER_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/** The inside of `%{...}`: letter, transformers (`*DIGIT [ "r" ]`), delimiters. RFC 7208 §7.1. */
const MACRO_BODY = /^([A-Za-z])([0-9]*)([Rr]?)([.\-+,/_=]*)$/;
/** Macro letters allowed in term arguments (RFC 7208 §7.2). */
const TERM_LETTERS = 'slodiphv';
/** Macro letters allowed only in explanation text (RFC 7208 §7.2). */
const EXPLAIN_ONLY_LETTERS = 'crt';

/** RFC 7208 §12 `ip4-network`. */
export function isIp4Network(text: string): boolean {
  return IP4_NETWORK.test(text);
}

/** RFC 7208 §12 `ip6-network`: an address in RFC 4291 §2.2 text form (no zone, no prefix). */
export function isIp6Network(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return false;
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return false;
  let groups = text;
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // RFC 4291 §2.2 form 3: the low 32 bits as a dotted quad, worth two groups.
    if (!isIp4Network(tail)) return false;
    groups = text.slice(0, lastColon + 1) + '0:0';
  }
  if (groups.includes('.')) return false;
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const split = (part: string): string[] => (part === '' ? [] : part.split(':'));
  if (halves.length === 2) {
    // "::" stands for one or more groups of zeros, so at most 7 are written.
    const written = [...split(halves[0]), ...split(halves[1])];
    return written.length <= 7 && written.every((g) => HEX_GROUP.test(g));
  }
  const written = groups.split(':');
  return written.length === 8 && written.every((g) => HEX_GROUP.test(g));
}

/** RFC 7208 §12 `name`. */
export function isModifierName(text: string): boolean {
  return MODIFIER_NAME.test(text);
}

/** One piece of a macro-string. */
export interface MacroToken {
  /** A run of literal characters, or one macro-expand. */
  readonly literal: boolean;
  /** The text as written. */
  readonly text: string;
  /** For `%{x...}`, the macro letter as written. */
  readonly letter?: string;
}

/** What scanning a macro-string found. */
export interface MacroScan {
  readonly tokens: MacroToken[];
  /** Problems with `%` sequences (RFC 7208 §7.1–§7.3). */
  readonly macroProblems: string[];
  /** Characters a macro-literal cannot hold (RFC 7208 §7.1: visible ASCII except `%`). */
  readonly literalProblems: string[];
}

/**
 * Read a macro-string (RFC 7208 §7.1).
 *
 * @param explainText whether `c`, `r` and `t` are allowed: only in explanation text, never in
 * the record itself (RFC 7208 §7.2)
 */
export function scanMacroString(text: string, explainText: boolean): MacroScan {
  const tokens: MacroToken[] = [];
  const macroProblems: string[] = [];
  const literalProblems: string[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') tokens.push({ literal: true, text: literal });
    literal = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '%') {
      const code = text.codePointAt(i)!;
      const ch = String.fromCodePoint(code);
      if (code < 0x21 || code > 0x7e) {
        literalProblems.push(`${describe(ch)} is not allowed: only visible ASCII characters`);
      }
      literal += ch;
      i += ch.length;
      continue;
    }
    flush();
    const next = text[i + 1];
    if (next === '%' || next === '_' || next === '-') {
      tokens.push({ literal: false, text: c + next });
      i += 2;
      continue;
    }
    if (next !== '{') {
      const shown = next === undefined ? '%' : `%${String.fromCodePoint(text.codePointAt(i + 1)!)}`;
      macroProblems.push(`"${shown}" is not a macro; a literal "%" is written "%%"`);
      tokens.push({ literal: false, text: shown });
      i += shown.length;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      macroProblems.push(`"${text.slice(i)}" has no closing "}"`);
      tokens.push({ literal: false, text: text.slice(i) });
      break;
    }
    const whole = text.slice(i, close + 1);
    const body = text.slice(i + 2, close);
    const m = MACRO_BODY.exec(body);
    if (!m) {
      macroProblems.push(`"${whole}" is not "%{" letter [digits] ["r"] [delimiters] "}"`);
      tokens.push({ literal: false, text: whole });
    } else {
      const letter = m[1];
      const lower = letter.toLowerCase();
      if (EXPLAIN_ONLY_LETTERS.includes(lower)) {
        if (!explainText) {
          macroProblems.push(`"${whole}" uses "${letter}", a letter allowed only in explanation text`);
        }
      } else if (!TERM_LETTERS.includes(lower)) {
        macroProblems.push(`"${whole}" uses "${letter}", which is not a macro letter`);
      }
      // RFC 7208 §7.3: a DIGIT transformer, when given, is nonzero.
      if (m[2] !== '' && Number(m[2]) === 0) {
        macroProblems.push(`"${whole}" keeps zero labels; the digit transformer must be nonzero`);
      }
      tokens.push({ literal: false, text: whole, letter });
    }
    i = close + 1;
  }
  flush();
  return { tokens, macroProblems, literalProblems };
}

/**
 * Check the `domain-end` of a domain-spec whose macros are well formed: `"." toplabel ["."]`
 * or a macro-expand (RFC 7208 §12), and, when it holds no macro, the DNS label and name limits
 * (RFC 1035 §2.3.4).
 */
export function domainEndProblems(spec: string, tokens: MacroToken[]): string[] {
  if (tokens.length === 0) {
    return ['the domain-spec is empty'];
  }
  const last = tokens[tokens.length - 1];
  if (last.literal) {
    const m = /\.([^.]*)\.?$/.exec(last.text);
    if (!m || !TOPLABEL.test(m[1])) {
      return [`"${spec}" does not end in "." and a top label (letters, digits, inner hyphens, not all digits) or a macro`];
    }
  }
  if (tokens.every((t) => t.literal)) {
    const name = spec.endsWith('.') ? spec.slice(0, -1) : spec;
    const problems: string[] = [];
    if (name.split('.').some((label) => label.length === 0)) {
      problems.push(`"${spec}" has an empty label`);
    }
    const long = name.split('.').find((label) => label.length > 63);
    if (long !== undefined) {
      problems.push(`"${spec}" has a label of ${long.length} characters; the limit is 63`);
    }
    if (name.length > 253) {
      problems.push(`"${spec}" is ${name.length} characters; a domain name is at most 253`);
    }
    return problems;
  }
  return [];
}

function describe(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp > 0x20 && cp !== 0x7f ? `${hex} ("${ch}")` : hex;
}
