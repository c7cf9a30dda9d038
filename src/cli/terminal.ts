/**
 * Plain-text tables for a terminal: columns padded to their widest cell, colour only when asked,
 * and untrusted text made harmless.
 */
import { Finding } from '../records/finding';

const COLORS: Record<string, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';

/**
 * Values come from templates, DNS answers and reports the reader does not control: control
 * characters (an ANSI escape, a newline) are shown as `\xHH` so they can neither drive the
 * terminal nor break the table.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Text in bold, when colour is on. */
export function bold(text: string, color: boolean): string {
  return color ? `${BOLD}${text}${RESET}` : text;
}

/** Text in its severity's colour (error red, warning yellow, info cyan), when colour is on. */
export function paint(severity: string, text: string, color: boolean): string {
  return color ? `${COLORS[severity] ?? ''}${text}${RESET}` : text;
}

/** A header and rows as lines, each column but the last padded to its widest cell. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === header.length - 1 ? 0 : r[i].length))));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

/** Findings as an indented LEVEL / RULE / FINDING table, each row in its severity's colour. */
export function findingLines(findings: Finding[], color: boolean): string[] {
  const lines = table(['LEVEL', 'RULE', 'FINDING'], findings.map((f) => [f.severity.toUpperCase(), f.ruleId, f.message].map(printable)));
  return [`  ${lines[0]}`, ...lines.slice(1).map((l, i) => `  ${paint(findings[i].severity, l, color)}`)];
}
