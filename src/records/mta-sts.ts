import { Finding, RuleDefinition, SUBJECT_MTA_STS_POLICY, Severity, finding, rule } from './finding';
import { hostNameProblem } from './private/names';
import { nodeCrypto } from './private/node-builtins';
import { RecordFormat, checkText, checkTxtRecordSet, renderModel, validateModel } from './private/record-model';
import { RecordCheckOptions } from './record-options';
import { RecordSyntaxError } from './syntax-error';
import { TxtChunks } from './txt';

/** Rules about MTA-STS TXT records and policies (RFC 8461). @internal */
export const MTASTS_RULES = {
  version: rule('MTASTS-VERSION', Severity.ERROR,
    'An MTA-STS TXT record begins with "v=STSv1" (case-sensitive); senders discard any other TXT value.',
    'RFC 8461 §3.1'),
  id: rule('MTASTS-ID', Severity.ERROR,
    'An MTA-STS TXT record has an "id" field of 1–32 letters and digits.',
    'RFC 8461 §3.1'),
  multipleRecords: rule('MTASTS-RECORD-MULTIPLE', Severity.ERROR,
    'A domain publishes exactly one "v=STSv1" TXT record; with more, senders act as if it had no policy.',
    'RFC 8461 §3.1'),
  duplicateField: rule('MTASTS-DUPLICATE-FIELD', Severity.ERROR,
    'Each field appears at most once in an MTA-STS TXT record; senders use only the first.',
    'RFC 8461 §3.1, §3.2'),
  extensionSyntax: rule('MTASTS-EXTENSION-SYNTAX', Severity.ERROR,
    'An extension field is a name of 1–32 letters, digits, "_", "-" and "." (starting with a letter or digit), "=", and a value of visible ASCII other than "=" and ";".',
    'RFC 8461 §3.1'),
  unknownField: rule('MTASTS-UNKNOWN-FIELD', Severity.INFO,
    'Senders ignore TXT record fields other than "v" and "id": check the name is not a misspelling.',
    'RFC 8461 §3.1, §3.2'),
  recordSyntax: rule('MTASTS-RECORD-SYNTAX', Severity.ERROR,
    'Fields are "name=value" with no space around "=", separated by ";" with optional spaces, with nothing before "v=STSv1" and no empty field; senders discard a record that does not parse.',
    'RFC 8461 §3.1'),
  policyVersion: rule('MTASTS-POLICY-VERSION', Severity.ERROR,
    'A policy has a "version: STSv1" line (case-sensitive).',
    'RFC 8461 §3.2'),
  policyVersionOrder: rule('MTASTS-POLICY-VERSION-ORDER', Severity.INFO,
    'The RFC allows the policy fields in any order, but "version" first, as in its examples, is what every parser expects.',
    'RFC 8461 §3.2'),
  policyMode: rule('MTASTS-POLICY-MODE', Severity.ERROR,
    'A policy has a "mode" line whose value is "enforce", "testing" or "none" (case-sensitive).',
    'RFC 8461 §3.2, §5'),
  policyMaxAge: rule('MTASTS-POLICY-MAX-AGE', Severity.ERROR,
    'A policy has a "max_age" line whose value is a whole number of seconds, 0 to 31557600, of at most 10 digits.',
    'RFC 8461 §3.2'),
  policyMxMissing: rule('MTASTS-POLICY-MX-MISSING', Severity.ERROR,
    'A policy whose mode is not "none" lists at least one "mx" pattern.',
    'RFC 8461 §3.2'),
  policyMxSyntax: rule('MTASTS-POLICY-MX-SYNTAX', Severity.ERROR,
    'An "mx" pattern is a host name in A-label (ASCII) form, optionally preceded by "*." as its whole leftmost label; no other "*", no empty label, no trailing dot.',
    'RFC 8461 §3.2, §4.1; RFC 5321 §4.1.2'),
  policyMxWildcard: rule('MTASTS-POLICY-MX-WILDCARD', Severity.INFO,
    'A "*." pattern matches exactly one extra leftmost label: "*.example.com" covers "mail.example.com", not "example.com" nor "a.b.example.com".',
    'RFC 8461 §3.2, §4.1'),
  policyMxNotCovered: rule('MTASTS-MX-NOT-COVERED', Severity.ERROR,
    'Every MX host of the domain matches an "mx" pattern of an enforce or testing policy; senders refuse (enforce) or report (testing) delivery to a host that does not.',
    'RFC 8461 §4.1, §5'),
  policyDuplicateKey: rule('MTASTS-POLICY-DUPLICATE-KEY', Severity.ERROR,
    'Every policy field but "mx" appears at most once; senders use only the first.',
    'RFC 8461 §3.2'),
  policyUnknownKey: rule('MTASTS-POLICY-UNKNOWN-KEY', Severity.INFO,
    'Senders ignore policy fields other than version, mode, mx and max_age (keys are case-sensitive): check the name is not a misspelling.',
    'RFC 8461 §3.2'),
  policyExtensionSyntax: rule('MTASTS-POLICY-EXTENSION-SYNTAX', Severity.ERROR,
    'An extension field is a name of 1–32 letters, digits, "_", "-" and "." (starting with a letter or digit) and a non-empty value of visible characters (UTF-8 allowed) and inner spaces; "mx" is not an extension.',
    'RFC 8461 §3.2'),
  policySyntax: rule('MTASTS-POLICY-SYNTAX', Severity.ERROR,
    'Each policy line is "key:" followed by optional spaces and the value, lines end in CRLF or LF; no blank line, no space before the key or the colon, no byte order mark.',
    'RFC 8461 §3.2'),
  policySize: rule('MTASTS-POLICY-SIZE', Severity.ERROR,
    'A policy body is at most 64 KiB (65,536 octets); senders cap the size of what they fetch.',
    'RFC 8461 §3.3'),
} satisfies Record<string, RuleDefinition>;

/**
 * The mode of an MTA-STS policy (RFC 8461 §5). The values are the policy file's words.
 */
export enum MtaStsMode {
  /** Senders MUST NOT deliver to an MX host that fails MX matching or certificate validation. */
  ENFORCE = 'enforce',
  /** Senders deliver anyway, but report failures (TLS-RPT, RFC 8460). */
  TESTING = 'testing',
  /** Senders treat the domain as having no active policy; used to retire a policy (§8.3). */
  NONE = 'none',
}

/**
 * An extension field of an MTA-STS TXT record (`name=value`) or policy (`name: value`).
 *
 * RFC 8461 defines none; senders ignore them. A field the RFC does define but that is
 * repeated (a second `id`, a second `mode`) is kept here too, so that `validate` can report it.
 */
export interface MtaStsExtension {
  /** The field name, as written (names are case-sensitive). */
  readonly name: string;

  /** The field value, as written, without surrounding whitespace. */
  readonly value: string;
}

/**
 * The `_mta-sts.<domain>` TXT record: `v=STSv1; id=<id>` (RFC 8461 §3.1).
 */
export interface MtaStsRecordModel {
  /**
   * The policy instance id: 1–32 letters and digits. Change it whenever the policy body
   * changes, after the new body is live (RFC 8461 §3.1, §8.1). `MtaSts.policyId` derives one
   * from the body.
   *
   * An empty string means the record has no `id` field (which `validate` reports).
   */
  readonly id: string;

  /**
   * Further fields after `id`, in the order written.
   *
   * @default - none
   */
  readonly extensions?: MtaStsExtension[];
}

/**
 * An MTA-STS policy, the body served at `https://mta-sts.<domain>/.well-known/mta-sts.txt`
 * (RFC 8461 §3.2). The `version: STSv1` line is implied.
 */
export interface MtaStsPolicyModel {
  /** What senders do when an MX host fails the policy. */
  readonly mode: MtaStsMode;

  /** How long senders may cache the policy, in seconds: 0 to 31557600 (about a year). */
  readonly maxAge: number;

  /**
   * The MX host patterns, one `mx:` line each, in order: host names, or `*.` followed by a
   * host name to match exactly one extra leftmost label (RFC 8461 §4.1). Required unless the
   * mode is `none`.
   */
  readonly mx: string[];

  /**
   * Further fields, in order (rendered after `max_age`).
   *
   * @default - none
   */
  readonly extensions?: MtaStsExtension[];
}

/** RFC 8461 §3.2: the largest `max_age`, 365.25 days in seconds. */
const MAX_AGE_LIMIT = 31557600;
/** RFC 8461 §3.3: senders limit the size of the policy body they fetch. */
const POLICY_SIZE_LIMIT = 64 * 1024;
/** RFC 8461 §3.1: `sts-id = 1*32(ALPHA / DIGIT)`. */
const ID = /^[A-Za-z0-9]{1,32}$/;
/** RFC 8461 §3.1, §3.2: `sts-ext-name`, `sts-policy-ext-name`. */
const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
/** RFC 8461 §3.1: `sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)`. */
const TXT_EXT_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/;
/**
 * RFC 8461 §3.2: `sts-policy-ext-value`: visible characters (UTF-8 included), inner spaces,
 * no leading or trailing space, no control character.
 */
const POLICY_EXT_VALUE = /^[^\x00-\x20\x7f](?:[^\x00-\x1f\x7f]*[^\x00-\x20\x7f])?$/u;
/** A TXT value meant as an MTA-STS record, whatever the case of its version. */
const LOOKS_LIKE_RECORD = /^v[ \t]*=[ \t]*stsv1[ \t]*(;|$)/i;
/** The policy keys RFC 8461 §3.2 defines. */
const POLICY_VERSION = 'version';
const POLICY_MODE = 'mode';
const POLICY_MAX_AGE = 'max_age';
const POLICY_MX = 'mx';
const SINGLE_POLICY_KEYS = [POLICY_VERSION, POLICY_MODE, POLICY_MAX_AGE];

/**
 * Options for checking an MTA-STS policy.
 */
export interface MtaStsPolicyValidationOptions extends RecordCheckOptions {
  /**
   * The domain's MX host names (trailing dots ignored): an `enforce` or `testing` policy must
   * cover every one of them (RFC 8461 §4.1).
   *
   * @default - the MX hosts are not known, and not checked
   */
  readonly mxHosts?: string[];
}

/**
 * Parse, generate and check MTA-STS TXT records and policies (RFC 8461), and match MX hosts
 * against a policy's patterns.
 */
export class MtaSts {
  /**
   * Whether a TXT value is meant as an MTA-STS record: it begins with `v=STSv1` followed by
   * `;`, a space or the end. The version is matched case-insensitively here so that a
   * mis-cased record is found and reported by `checkRecord`, although senders discard it.
   *
   * @param text the TXT value, as plain text or as quoted character-strings
   */
  public static isMtaStsRecord(text: string): boolean {
    return LOOKS_LIKE_RECORD.test(TxtChunks.parse(text).trim());
  }

  /**
   * Read an `_mta-sts` TXT record.
   *
   * Lenient about what real DNS holds: spaces around `;` and `=`, a trailing `;`, empty
   * fields, quoted or split strings. Field names stay case-sensitive, as RFC 8461 §3.1 makes
   * them: `ID=1` is an unknown field, not an id. A repeated field is kept in `extensions`.
   *
   * @param text the record, as plain text or as quoted character-strings
   * @throws RecordSyntaxError when the text does not begin with `v=STSv1`
   */
  public static parseRecord(text: string): MtaStsRecordModel {
    const value = TxtChunks.parse(text).trim();
    const parts = value.split(';');
    const version = parts[0].replace(/[ \t]*=[ \t]*/, '=').trim();
    if (version !== 'v=STSv1') {
      throw new RecordSyntaxError(MTASTS_RULES.version,
        `The record must begin with "v=STSv1" (case-sensitive); got "${preview(value)}".`);
    }
    let id: string | undefined;
    const extensions: MtaStsExtension[] = [];
    for (const part of parts.slice(1)) {
      if (part.trim() === '') continue;
      const field = splitField(part, '=');
      if (field.name === 'id' && id === undefined) {
        id = field.value;
      } else {
        extensions.push(field);
      }
    }
    return extensions.length > 0 ? { id: id ?? '', extensions } : { id: id ?? '' };
  }

  /**
   * The canonical text of an `_mta-sts` TXT record: `v=STSv1; id=<id>`, then each extension
   * as `; name=value`.
   *
   * @throws Error when the model breaks a rule `validateRecord` reports as an error
   */
  public static renderRecord(model: MtaStsRecordModel): string {
    return renderModel(RECORD_FORMAT, model);
  }

  /**
   * Check an `_mta-sts` TXT record against RFC 8461 §3.1, and the text it is published as
   * (ASCII, string lengths, UDP size).
   *
   * @param model the record
   * @param options `name`: the DNS name, used as the findings' path
   */
  public static validateRecord(model: MtaStsRecordModel, options: RecordCheckOptions = {}): Finding[] {
    return validateModel(RECORD_FORMAT, model, options);
  }

  /**
   * Parse and validate a published `_mta-sts` TXT record, including its separators as the
   * RFC 8461 §3.1 grammar has them and its character-strings as DNS holds them. Never throws.
   *
   * @param text the record, as plain text or as quoted character-strings
   * @param options `name`: the DNS name, used as the findings' path
   */
  public static checkRecord(text: string, options: RecordCheckOptions = {}): Finding[] {
    return checkText(RECORD_FORMAT, text, options);
  }

  /**
   * Check every TXT value published at `_mta-sts.<domain>`: values that are not MTA-STS
   * records are ignored (as senders do), more than one MTA-STS record is
   * `MTASTS-RECORD-MULTIPLE`, and each MTA-STS record is checked as `checkRecord` does. No
   * record at all is not reported here.
   *
   * @param values all the TXT values at the name
   * @param options `name`: the DNS name, used as the findings' path
   */
  public static checkRecordSet(values: string[], options: RecordCheckOptions = {}): Finding[] {
    return checkTxtRecordSet(RECORD_FORMAT, values, options, {
      isRecord: (v) => MtaSts.isMtaStsRecord(v),
      multiple: {
        rule: MTASTS_RULES.multipleRecords,
        message: (records) => `${records.length} MTA-STS records are published; senders act as if there were none. Got ${records.map((v) => `"${preview(TxtChunks.parse(v))}"`).join(', ')}.`,
        checkEach: true,
      },
    });
  }

  /**
   * Read an MTA-STS policy body.
   *
   * Lenient about what servers hold: CRLF or LF line endings, spaces around `:` and at line
   * ends, blank lines, a byte order mark, fields in any order. Keys and the `version` and
   * `mode` values stay case-sensitive, as RFC 8461 §3.2 makes them. A repeated `version`,
   * `mode` or `max_age` line, and any unknown key, is kept in `extensions`.
   *
   * @param text the policy body
   * @throws RecordSyntaxError when there is no `version: STSv1`, no valid `mode` or no
   * readable `max_age`
   */
  public static parsePolicy(text: string): MtaStsPolicyModel {
    const read = readPolicy(text);
    if (read.fatal.length > 0) {
      throw read.fatal[0];
    }
    return read.model!;
  }

  /**
   * The canonical body of an MTA-STS policy: `version: STSv1`, `mode`, one `mx` line per
   * pattern, `max_age`, then the extensions, each line ending in CRLF (RFC 8461 §3.2).
   *
   * @throws Error when the model breaks a rule `validatePolicy` reports as an error
   */
  public static renderPolicy(model: MtaStsPolicyModel): string {
    return renderModel(POLICY_FORMAT, model);
  }

  /**
   * Check an MTA-STS policy against RFC 8461 §3.2, including the size of the body it is served
   * as, and, when the MX hosts are given, that an `enforce` or `testing` policy covers every one
   * of them (§4.1).
   *
   * @param policy the policy
   */
  public static validatePolicy(policy: MtaStsPolicyModel, options: MtaStsPolicyValidationOptions = {}): Finding[] {
    return validateModel(POLICY_FORMAT, policy, options);
  }

  /**
   * Parse and validate a policy body as served, including its size and line syntax. Never
   * throws.
   *
   * @param text the policy body
   */
  public static checkPolicy(text: string, options: MtaStsPolicyValidationOptions = {}): Finding[] {
    return checkText(POLICY_FORMAT, text, options);
  }

  /**
   * Whether an MX host matches a policy's `mx` pattern, exactly as RFC 8461 §4.1 says:
   * compared case-insensitively, a trailing dot on the host ignored, and a pattern beginning
   * `*.` matching the rest of the pattern plus exactly one non-empty leftmost label
   * (`*.example.com` matches `mail.example.com`, not `example.com` nor `a.b.example.com`).
   * A `*` anywhere else is compared as a literal character, so it never acts as a wildcard.
   * The pattern is used as written: a pattern with a trailing dot (itself invalid) matches
   * nothing.
   *
   * @param pattern an `mx` value of a policy
   * @param host an MX host name
   */
  public static matchesMx(pattern: string, host: string): boolean {
    const h = stripDot(host).toLowerCase();
    const p = pattern.toLowerCase();
    if (h === '') return false;
    if (p.startsWith('*.')) {
      const firstDot = h.indexOf('.');
      // The wildcard stands for exactly one non-empty label: the host's first.
      return firstDot > 0 && h.slice(firstDot + 1) === p.slice(2);
    }
    return p === h;
  }

  /**
   * The MX hosts no `mx` pattern of the policy matches, in the order given.
   *
   * @param policy the policy
   * @param mxHosts the domain's MX host names
   */
  public static uncoveredMx(policy: MtaStsPolicyModel, mxHosts: string[]): string[] {
    return mxHosts.filter((host) => !policy.mx.some((pattern) => MtaSts.matchesMx(pattern, host)));
  }

  /**
   * A policy id derived from a policy body: the first 32 hexadecimal digits (128 bits) of the
   * SHA-256 of the body's UTF-8 octets.
   *
   * Equal bodies give equal ids and different bodies, in practice, different ids, so the TXT
   * record's id changes exactly when the body does (RFC 8461 §3.1). Lower-case hexadecimal is
   * within the 1–32 letters and digits the id allows.
   *
   * @param body the policy body, exactly as served
   */
  public static policyId(body: string): string {
    return nodeCrypto().createHash('sha256').update(body, 'utf8').digest('hex').slice(0, 32);
  }

  /**
   * The URL a domain's policy is served at: `https://mta-sts.<domain>/.well-known/mta-sts.txt`
   * (RFC 8461 §3.2). The domain is lower-cased and a trailing dot removed.
   *
   * @param domain the policy domain, for example `example.gov.uk`
   * @throws Error when the domain is not a host name
   */
  public static policyUrl(domain: string): string {
    const d = stripDot(domain.trim()).toLowerCase();
    const problem = hostNameProblem(d);
    if (problem !== undefined) {
      throw new Error(`Cannot build an MTA-STS policy URL: "${domain}" is not a domain name (${problem}).`);
    }
    return `https://mta-sts.${d}/.well-known/mta-sts.txt`;
  }

  private constructor() {}
}

/** One `key: value` line of a policy. */
interface PolicyLine {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

/** What reading a policy body gives: the model, or the errors that stop it being read. */
interface PolicyRead {
  readonly model?: MtaStsPolicyModel;
  /** Missing or unreadable required fields: `parsePolicy` throws the first. */
  readonly fatal: RecordSyntaxError[];
  /** Line syntax and field order, reported by `checkPolicy` only. */
  readonly notes: Finding[];
}

function readPolicy(text: string): PolicyRead {
  const notes: Finding[] = [];
  let body = text;
  if (body.startsWith('\uFEFF')) {
    notes.push(finding(MTASTS_RULES.policySyntax, 'The body begins with a byte order mark (U+FEFF); strict parsers read it as part of the first key.'));
    body = body.slice(1);
  }
  const rawLines = body.split(/\r\n|\n/);
  if (rawLines.length > 1 && rawLines[rawLines.length - 1] === '') {
    rawLines.pop(); // §3.2: the last line may end with a line terminator.
  }
  const lines: PolicyLine[] = [];
  rawLines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (raw.trim() === '') {
      notes.push(finding(MTASTS_RULES.policySyntax, `Line ${lineNo} is blank; strict parsers stop there.`));
      return;
    }
    if (raw.includes('\r')) {
      notes.push(finding(MTASTS_RULES.policySyntax, `Line ${lineNo} holds a bare CR; lines end in CRLF or LF. Got "${preview(raw)}".`));
    }
    const colon = raw.indexOf(':');
    if (colon < 0) {
      notes.push(finding(MTASTS_RULES.policySyntax, `Line ${lineNo} is not "key: value"; got "${preview(raw)}".`));
      return;
    }
    const rawKey = raw.slice(0, colon);
    if (rawKey !== rawKey.trim()) {
      notes.push(finding(MTASTS_RULES.policySyntax, `Line ${lineNo} has a space before its key or the colon; got "${preview(raw)}".`));
    }
    lines.push({ key: rawKey.trim(), value: raw.slice(colon + 1).trim(), line: lineNo });
  });

  const fatal: RecordSyntaxError[] = [];
  const first = (key: string) => lines.find((l) => l.key === key);
  const misCased = (key: string) => {
    const l = lines.find((x) => x.key !== key && x.key.toLowerCase() === key);
    return l ? `; keys are case-sensitive, got "${l.key}: ${l.value}"` : '';
  };

  const version = first(POLICY_VERSION);
  if (version === undefined) {
    fatal.push(new RecordSyntaxError(MTASTS_RULES.policyVersion, `The policy has no "version: STSv1" line${misCased(POLICY_VERSION)}.`));
  } else if (version.value !== 'STSv1') {
    fatal.push(new RecordSyntaxError(MTASTS_RULES.policyVersion, `The version must be "STSv1" (case-sensitive); got "${version.value}".`));
  } else if (lines[0] !== version) {
    notes.push(finding(MTASTS_RULES.policyVersionOrder, `The "version" line is line ${version.line}, after "${lines[0].key}".`));
  }

  const mode = first(POLICY_MODE);
  const modes = Object.values(MtaStsMode) as string[];
  if (mode === undefined) {
    fatal.push(new RecordSyntaxError(MTASTS_RULES.policyMode, `The policy has no "mode" line${misCased(POLICY_MODE)}.`));
  } else if (!modes.includes(mode.value)) {
    fatal.push(new RecordSyntaxError(MTASTS_RULES.policyMode, `The mode must be "enforce", "testing" or "none" (case-sensitive); got "${mode.value}".`));
  }

  const maxAge = first(POLICY_MAX_AGE);
  if (maxAge === undefined) {
    fatal.push(new RecordSyntaxError(MTASTS_RULES.policyMaxAge, `The policy has no "max_age" line${misCased(POLICY_MAX_AGE)}.`));
  } else if (!/^[0-9]+$/.test(maxAge.value)) {
    fatal.push(new RecordSyntaxError(MTASTS_RULES.policyMaxAge, `max_age must be a whole number of seconds written in digits; got "${maxAge.value}".`));
  }

  if (fatal.length > 0) {
    return { fatal, notes };
  }
  const mx: string[] = [];
  const extensions: MtaStsExtension[] = [];
  for (const l of lines) {
    if (l.key === POLICY_MX) {
      mx.push(l.value);
    } else if (l !== version && l !== mode && l !== maxAge) {
      extensions.push({ name: l.key, value: l.value });
    }
  }
  const model: MtaStsPolicyModel = {
    mode: mode!.value as MtaStsMode,
    maxAge: Number(maxAge!.value),
    mx,
    ...(extensions.length > 0 ? { extensions } : {}),
  };
  return { model, fatal, notes };
}

function policyExtensionFindings(extensions: MtaStsExtension[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const ext of extensions) {
    if (SINGLE_POLICY_KEYS.includes(ext.name) || seen.has(ext.name)) {
      findings.push(finding(MTASTS_RULES.policyDuplicateKey,
        `The key "${ext.name}" appears more than once; senders use the first. Got a second "${ext.name}: ${ext.value}".`));
      seen.add(ext.name);
      continue;
    }
    seen.add(ext.name);
    if (ext.name === POLICY_MX) {
      findings.push(finding(MTASTS_RULES.policyExtensionSyntax, `"mx" is not an extension; list the pattern "${ext.value}" in mx.`));
    } else if (!EXT_NAME.test(ext.name)) {
      findings.push(finding(MTASTS_RULES.policyExtensionSyntax, `Invalid key "${ext.name}".`));
    } else if (!POLICY_EXT_VALUE.test(ext.value)) {
      findings.push(finding(MTASTS_RULES.policyExtensionSyntax,
        ext.value === '' ? `The key "${ext.name}" has no value.` : `The key "${ext.name}" has an invalid value "${ext.value}".`));
    } else {
      findings.push(finding(MTASTS_RULES.policyUnknownKey, `Senders ignore the key "${ext.name}: ${ext.value}".`));
    }
  }
  return findings;
}

/** Separator problems the lenient parser accepts but RFC 8461 §3.1 does not. */
function recordSyntaxFindings(value: string, name?: string): Finding[] {
  const problems: string[] = [];
  if (value !== value.trimStart()) {
    problems.push('space before "v=STSv1"');
  }
  const parts = value.trimStart().split(';');
  if (/[ \t]=|=[ \t]/.test(parts[0])) {
    problems.push(`a space around "=" in "${parts[0].trim()}"`);
  }
  if (parts.length === 1 && /[ \t]$/.test(parts[0])) {
    problems.push('a space after "v=STSv1" without a ";"');
  }
  parts.slice(1).forEach((part, i) => {
    const last = i === parts.length - 2;
    if (part.trim() === '') {
      if (!last) problems.push('an empty field between two ";"');
      return;
    }
    const eq = part.indexOf('=');
    if (eq >= 0 && (/[ \t]$/.test(part.slice(0, eq)) || /^[ \t]/.test(part.slice(eq + 1)))) {
      problems.push(`a space around "=" in "${part.trim()}"`);
    }
    if (last && /[ \t]$/.test(part)) {
      problems.push(`a space after the last field "${part.trim()}" without a ";"`);
    }
  });
  return problems.map((p) => finding(MTASTS_RULES.recordSyntax,
    `The record has ${p}; senders that parse strictly discard it. Got "${preview(value)}".`, name));
}

function splitField(part: string, separator: string): MtaStsExtension {
  const at = part.indexOf(separator);
  return at < 0
    ? { name: part.trim(), value: '' }
    : { name: part.slice(0, at).trim(), value: part.slice(at + 1).trim() };
}

/** Why a pattern is not a valid `mx` value (RFC 8461 §3.2 `["*."] Domain`), or undefined. */
function mxPatternProblem(pattern: string): string | undefined {
  if (pattern === '') return 'it is empty';
  const wildcard = pattern.startsWith('*.');
  const domain = wildcard ? pattern.slice(2) : pattern;
  if (domain.includes('*')) {
    return 'a "*" is allowed only as the whole leftmost label, followed by "."';
  }
  if (domain.endsWith('.')) {
    return 'a pattern has no trailing dot';
  }
  return hostNameProblem(domain);
}


function stripDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function describeId(id: string): string {
  if (id.length > 32) return `${id.length} characters`;
  const bad = [...id].find((c) => !/[A-Za-z0-9]/.test(c));
  return bad === undefined ? 'invalid' : `holds "${bad}"`;
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Every rule of RFC 8461 §3.1 on an `_mta-sts` TXT record model. */
function recordRules(model: MtaStsRecordModel, options: RecordCheckOptions): Finding[] {
  const name = options.name;
  const findings: Finding[] = [];
  if (model.id === '') {
    const hint = (model.extensions ?? []).find((e) => e.name.toLowerCase() === 'id');
    findings.push(finding(MTASTS_RULES.id,
      `The record has no id (the "id" field is missing or empty)${hint ? `; field names are case-sensitive, got "${hint.name}=${hint.value}"` : ''}.`, name));
  } else if (!ID.test(model.id)) {
    findings.push(finding(MTASTS_RULES.id, `The id must be 1–32 letters and digits; got "${model.id}" (${describeId(model.id)}).`, name));
  }
  const seen = new Set<string>();
  for (const ext of model.extensions ?? []) {
    if (ext.name === 'id' || ext.name === 'v' || seen.has(ext.name)) {
      findings.push(finding(MTASTS_RULES.duplicateField,
        `The field "${ext.name}" appears more than once; senders use the first. Got a second "${ext.name}=${ext.value}".`, name));
      seen.add(ext.name);
      continue;
    }
    seen.add(ext.name);
    if (!EXT_NAME.test(ext.name)) {
      findings.push(finding(MTASTS_RULES.extensionSyntax, `Invalid field name "${ext.name}".`, name));
    } else if (!TXT_EXT_VALUE.test(ext.value)) {
      findings.push(finding(MTASTS_RULES.extensionSyntax,
        ext.value === '' ? `The field "${ext.name}" has no value.` : `The field "${ext.name}" has an invalid value "${ext.value}".`, name));
    } else {
      findings.push(finding(MTASTS_RULES.unknownField, `Senders ignore the field "${ext.name}=${ext.value}".`, name));
    }
  }
  return findings;
}

/** The canonical text of an `_mta-sts` TXT record, written as it is. */
function writeRecord(model: MtaStsRecordModel): string {
  return [`v=STSv1; id=${model.id}`, ...(model.extensions ?? []).map((e) => `${e.name}=${e.value}`)].join('; ');
}

/** The `_mta-sts` TXT record in the one record-model contract (see `private/record-model.ts`). */
const RECORD_FORMAT: RecordFormat<MtaStsRecordModel, RecordCheckOptions> = {
  what: 'MTA-STS record',
  type: 'TXT',
  parse: (text) => MtaSts.parseRecord(text),
  write: writeRecord,
  rules: recordRules,
  unreadable: MTASTS_RULES.version,
  textNoun: 'text',
  txt: {},
  // The lenient parser accepts separators the grammar does not: `check` reports them.
  read: (text, options) => ({
    model: MtaSts.parseRecord(text),
    findings: recordSyntaxFindings(TxtChunks.parse(text), options.name),
  }),
};

/** Every rule of RFC 8461 §3.2 on a policy model, and §4.1 on the MX hosts it covers. */
function policyRules(policy: MtaStsPolicyModel, options: MtaStsPolicyValidationOptions): Finding[] {
  const mxHosts = options.mxHosts;
  const findings: Finding[] = [];
  if (!Object.values(MtaStsMode).includes(policy.mode)) {
    findings.push(finding(MTASTS_RULES.policyMode, `The mode must be "enforce", "testing" or "none"; got "${policy.mode}".`));
  }
  if (!Number.isInteger(policy.maxAge) || policy.maxAge < 0 || policy.maxAge > MAX_AGE_LIMIT) {
    findings.push(finding(MTASTS_RULES.policyMaxAge, `max_age must be a whole number from 0 to ${MAX_AGE_LIMIT}; got ${policy.maxAge}.`));
  }
  if (policy.mx.length === 0 && policy.mode !== MtaStsMode.NONE) {
    findings.push(finding(MTASTS_RULES.policyMxMissing, `A policy in mode "${policy.mode}" must list at least one "mx" pattern; got none.`));
  }
  for (const mx of policy.mx) {
    const problem = mxPatternProblem(mx);
    if (problem !== undefined) {
      findings.push(finding(MTASTS_RULES.policyMxSyntax, `Invalid mx pattern "${mx}": ${problem}.`));
    } else if (mx.startsWith('*.')) {
      findings.push(finding(MTASTS_RULES.policyMxWildcard,
        `The wildcard pattern "${mx}" matches one extra label only: it covers "mail.${mx.slice(2)}" but not "${mx.slice(2)}".`));
    }
  }
  findings.push(...policyExtensionFindings(policy.extensions ?? []));
  if (mxHosts !== undefined && (policy.mode === MtaStsMode.ENFORCE || policy.mode === MtaStsMode.TESTING)) {
    for (const host of MtaSts.uncoveredMx(policy, mxHosts.filter((h) => stripDot(h) !== ''))) {
      findings.push(finding(MTASTS_RULES.policyMxNotCovered,
        `The MX host "${host}" matches no mx pattern of the ${policy.mode} policy (${policy.mx.length === 0 ? 'none listed' : policy.mx.map((p) => `"${p}"`).join(', ')}).`));
    }
  }
  return atPath(findings, options.name);
}

/** The canonical body of a policy, written as it is. */
function writePolicy(model: MtaStsPolicyModel): string {
  const lines = [
    `${POLICY_VERSION}: STSv1`,
    `${POLICY_MODE}: ${model.mode}`,
    ...model.mx.map((mx) => `${POLICY_MX}: ${mx}`),
    `${POLICY_MAX_AGE}: ${model.maxAge}`,
    ...(model.extensions ?? []).map((e) => `${e.name}: ${e.value}`),
  ];
  return lines.map((l) => `${l}\r\n`).join('');
}

/** The findings, each at this path unless it has one. */
function atPath(findings: Finding[], path: string | undefined): Finding[] {
  return path === undefined ? findings : findings.map((f) => (f.path === undefined ? { ...f, path } : f));
}

/** The policy in the one record-model contract (see `private/record-model.ts`). */
const POLICY_FORMAT: RecordFormat<MtaStsPolicyModel, MtaStsPolicyValidationOptions> = {
  what: 'MTA-STS policy',
  type: SUBJECT_MTA_STS_POLICY,
  parse: (text) => MtaSts.parsePolicy(text),
  write: writePolicy,
  rules: policyRules,
  unreadable: MTASTS_RULES.policySyntax,
  textNoun: 'text',
  textRules: (text, options) => {
    const size = Buffer.byteLength(text, 'utf8');
    return size > POLICY_SIZE_LIMIT
      ? atPath([finding(MTASTS_RULES.policySize, `The policy body is ${size} octets; the limit is ${POLICY_SIZE_LIMIT}.`)], options.name)
      : [];
  },
  // Every required field that cannot be read is reported, and the line syntax and field order
  // the lenient reader accepts.
  read: (text, options) => {
    const read = readPolicy(text);
    return read.fatal.length > 0
      ? { findings: atPath([...read.notes, ...read.fatal.map((e) => e.toFinding())], options.name) }
      : { model: read.model, findings: atPath(read.notes, options.name) };
  },
};
