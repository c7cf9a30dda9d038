import { Finding, RuleDefinition, aboutRecord, finding } from '../finding';
import { RecordSyntaxError } from '../syntax-error';
import { TxtChunks } from '../txt';

/**
 * The character-strings a TXT value is published as: quoted strings (`"v=spf1 " "-all"`) as
 * they are written, and plain text as `TxtChunks.toRoute53Value` splits it into 255-octet
 * strings, since plain text is the record's text, not a string DNS holds. A value read from DNS
 * is plain only when it is one string, which the split leaves whole.
 *
 * @param text the record, as plain text or as quoted character-strings
 * @internal
 */
export function publishedStrings(text: string): string[] {
  return text.trim().startsWith('"')
    ? TxtChunks.parseStrings(text)
    : TxtChunks.split(text.trim(), { asciiOnly: false });
}

/**
 * Check one record as DNS holds it: the record's own rules, then its TXT encoding (ASCII,
 * string lengths, UDP size). Never throws: text that cannot be read gives a finding of its syntax
 * rule, or of `unreadable` when the failure is not a syntax error.
 *
 * @param text the record, as plain text or as quoted character-strings
 * @param name the DNS name, used as the findings' path
 * @param validate parses and validates the record; may throw
 * @param unreadable the rule for a failure that is not a `RecordSyntaxError`
 * @internal
 */
export function checkTxtRecord(text: string, name: string | undefined, validate: () => Finding[], unreadable: RuleDefinition): Finding[] {
  let txt: Finding[];
  try {
    txt = TxtChunks.validate(publishedStrings(text), name);
  } catch {
    txt = [];
  }
  let findings: Finding[];
  try {
    findings = [...validate(), ...txt];
  } catch (err) {
    findings = err instanceof RecordSyntaxError
      ? [err.toFinding(name), ...txt]
      : [finding(unreadable, `The record could not be read: ${String(err)}.`, name), ...txt];
  }
  return aboutRecord(findings, name, 'TXT');
}

/**
 * How to check the TXT values at a name that should hold exactly one record of a kind.
 * @internal
 */
export interface TxtRecordSetKind {
  /** Whether a value is a record of the kind, as receivers select them. */
  readonly isRecord: (value: string) => boolean;
  /** Whether a value that is not a record looks like a failed attempt at one. */
  readonly looksLike: (value: string) => boolean;
  /** Check one record (or attempt). */
  readonly check: (value: string) => Finding[];
  /** More than one record: the rule and what happens. */
  readonly multiple: { readonly rule: RuleDefinition; readonly message: (count: number) => string };
  /** No record and no attempt: the rule and what is missing. */
  readonly none: { readonly rule: RuleDefinition; readonly message: (values: number) => string };
}

/**
 * Check every TXT value at a name: more than one record of the kind, none at all, and each record
 * and each failed attempt at one; other values are ignored, as receivers ignore them.
 * @internal
 */
export function checkTxtRecordSet(values: string[], name: string | undefined, kind: TxtRecordSetKind): Finding[] {
  const records = values.filter((v) => kind.isRecord(v));
  const attempts = values.filter((v) => !kind.isRecord(v) && kind.looksLike(v));
  const findings: Finding[] = [];
  if (records.length > 1) {
    findings.push(finding(kind.multiple.rule, kind.multiple.message(records.length), name));
  }
  if (records.length === 0 && attempts.length === 0) {
    findings.push(finding(kind.none.rule, kind.none.message(values.length), name));
  }
  for (const value of [...records, ...attempts]) {
    findings.push(...kind.check(value));
  }
  return aboutRecord(findings, name, 'TXT');
}
