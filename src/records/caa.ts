import { Finding, RuleDefinition, Severity, finding, rule } from './finding';
import { RecordFormat, checkText, renderModel, validateModel } from './private/record-model';
import { RecordCheckOptions } from './record-options';
import { RecordSyntaxError } from './syntax-error';
import { TxtChunks } from './txt';

/** Rules about CAA records (RFC 8659). @internal */
export const CAA_RULES = {
  syntax: rule('CAA-SYNTAX', Severity.ERROR,
    'A CAA value is flags, a tag and a value separated by spaces, for example 0 issue ";".',
    'RFC 8659 §4.1.1'),
  flags: rule('CAA-FLAGS', Severity.ERROR,
    'The flags are one octet: a whole number from 0 to 255.',
    'RFC 8659 §4.1'),
  flagsReserved: rule('CAA-FLAGS-RESERVED', Severity.ERROR,
    'Only the Issuer Critical flag (128) may be set; every other flag bit is reserved and MUST be clear.',
    'RFC 8659 §4.1'),
  tagSyntax: rule('CAA-TAG-SYNTAX', Severity.ERROR,
    'A tag is at least one ASCII letter or digit, and nothing else.',
    'RFC 8659 §4.1'),
  tagLength: rule('CAA-TAG-LENGTH', Severity.WARNING,
    'A tag SHOULD be at most 15 characters.',
    'RFC 8659 §4.1'),
  criticalUnknownTag: rule('CAA-CRITICAL-UNKNOWN-TAG', Severity.ERROR,
    'A tag a CA does not know, with the Issuer Critical flag (128) set, stops that CA issuing for the name at all.',
    'RFC 8659 §4.1, §5.3'),
  unknownTag: rule('CAA-UNKNOWN-TAG', Severity.INFO,
    'CAs ignore tags they do not know (without the critical flag): check the name is not a misspelling.',
    'RFC 8659 §4.1, §7.2'),
  issueValue: rule('CAA-ISSUE-VALUE', Severity.ERROR,
    'An issue or issuewild value is an optional CA domain name then optional "; name=value" parameters; a malformed value is read as naming no CA.',
    'RFC 8659 §4.2, §4.3'),
} satisfies Record<string, RuleDefinition>;

/**
 * One CAA record value (RFC 8659 §4.1).
 */
export interface CaaModel {
  /** The flags octet, 0–255: 128 is the Issuer Critical flag; every other bit is reserved. */
  readonly flags: number;

  /** The property tag, lower-case (tags match case-insensitively): `issue`, `issuewild`, `iodef`... */
  readonly tag: string;

  /** The property value, unquoted: `;` (no CA), `letsencrypt.org`, `mailto:security@example.gov.uk`... */
  readonly value: string;
}

/** Tags a CA may know: RFC 8659, the CA/Browser Forum's contact tags, RFC 9495 and the VMC tag (IANA "CAA Properties"). */
const KNOWN_TAGS = ['issue', 'issuewild', 'iodef', 'contactemail', 'contactphone', 'issuemail', 'issuevmc'];
const ISSUE_TAGS = ['issue', 'issuewild'];
/** RFC 8659 §4.1: bit 0 of the flags octet, the most significant. */
const CRITICAL = 128;
/** RFC 8659 §4.2 `label` (also `tag` of a parameter): letters and digits, inner hyphens. */
const LABEL = '[A-Za-z0-9](?:-*[A-Za-z0-9])*';
const DOMAIN = `${LABEL}(?:\\.${LABEL})*`;
const PARAMETER = `${LABEL}[ \\t]*=[ \\t]*[\\x21-\\x3a\\x3c-\\x7e]*`;
/** RFC 8659 §4.2 `issue-value`. */
const ISSUE_VALUE = new RegExp(`^[ \\t]*(?:(${DOMAIN})[ \\t]*)?(?:;[ \\t]*(?:${PARAMETER}(?:[ \\t]*;[ \\t]*${PARAMETER})*[ \\t]*)?)?$`);

/**
 * Parse, generate and check CAA records (RFC 8659), in particular the record that forbids all
 * certificate issuance for a name that needs none.
 */
export class Caa {
  /**
   * Read a CAA value as Route 53 and zone files write it: `0 issue ";"`,
   * `128 issue "letsencrypt.org"`. The value may be quoted (with `\"`, `\\` and decimal
   * `\DDD` escapes) or a single word; the tag is lower-cased, since tags match
   * case-insensitively.
   *
   * @param text the value
   * @throws RecordSyntaxError when the text is not flags, a tag and a value
   */
  public static parse(text: string): CaaModel {
    const m = /^\s*([0-9]+)\s+(\S+)(?:\s+([\s\S]*?))?\s*$/.exec(text);
    if (m === null) {
      throw new RecordSyntaxError(CAA_RULES.syntax, `A CAA value is "<flags> <tag> <value>"; got "${preview(text)}".`);
    }
    const raw = m[3] ?? '';
    const value = raw.startsWith('"') ? TxtChunks.parse(raw, true) : raw;
    return { flags: Number(m[1]), tag: m[2].toLowerCase(), value };
  }

  /**
   * The canonical text of a CAA value: flags, tag, and the value in double quotes with `"`
   * and `\` escaped and any octet outside printable ASCII as a decimal `\DDD` escape.
   *
   * @throws Error when the record breaks a rule `validate` reports as an error
   */
  public static render(model: CaaModel): string {
    return renderModel(CAA_FORMAT, model);
  }

  /** The record that lets no CA issue any certificate for the name: `0 issue ";"` (RFC 8659 §4.2). */
  public static noIssuance(): CaaModel {
    return { flags: 0, tag: 'issue', value: ';' };
  }

  /**
   * Whether a CAA record set forbids every CA from issuing any certificate: it has at least
   * one `issue` record, and every `issue` and `issuewild` record names no CA (an empty or
   * malformed issuer, RFC 8659 §4.2–4.3). Wildcard certificates follow `issuewild` when there
   * is one, so an `issuewild` naming a CA allows issuance.
   *
   * @param records the CAA records at one name
   */
  public static forbidsIssuance(records: CaaModel[]): boolean {
    const issue = records.filter((r) => r.tag.toLowerCase() === 'issue');
    const wild = records.filter((r) => r.tag.toLowerCase() === 'issuewild');
    return issue.length > 0 && [...issue, ...wild].every((r) => namesNoCa(r.value));
  }

  /**
   * Check one CAA record against RFC 8659.
   *
   * @param model the record
   * @param options `name`: the DNS name the record is at, used as the findings' path
   */
  public static validate(model: CaaModel, options: RecordCheckOptions = {}): Finding[] {
    return validateModel(CAA_FORMAT, model, options);
  }

  /**
   * Parse and validate one CAA value. Never throws.
   *
   * @param text the value
   * @param options `name`: the DNS name the record is at, used as the findings' path
   */
  public static check(text: string, options: RecordCheckOptions = {}): Finding[] {
    return checkText(CAA_FORMAT, text, options);
  }

  private constructor() {}
}

/** RFC 8659 §4.2: an empty issuer-domain-name, or a value that does not parse, names no CA. */
function namesNoCa(value: string): boolean {
  const m = ISSUE_VALUE.exec(value);
  return m === null || m[1] === undefined;
}

const encoder = new TextEncoder();

function quote(value: string): string {
  let out = '"';
  for (const ch of value) {
    if (ch === '"' || ch === '\\') {
      out += `\\${ch}`;
      continue;
    }
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) {
      out += ch;
      continue;
    }
    for (const b of encoder.encode(ch)) {
      out += `\\${b.toString(10).padStart(3, '0')}`;
    }
  }
  return `${out}"`;
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Every rule of RFC 8659 on one record. */
function caaRules(model: CaaModel, options: RecordCheckOptions): Finding[] {
  const name = options.name;
  const findings: Finding[] = [];
  const flagsValid = Number.isInteger(model.flags) && model.flags >= 0 && model.flags <= 255;
  if (!flagsValid) {
    findings.push(finding(CAA_RULES.flags, `The flags must be a whole number from 0 to 255; got ${model.flags}.`, name));
  } else if (model.flags % CRITICAL !== 0) {
    findings.push(finding(CAA_RULES.flagsReserved,
      `Only the Issuer Critical flag (128) may be set; got ${model.flags} (reserved bits ${model.flags % CRITICAL}).`, name));
  }
  const tag = model.tag.toLowerCase();
  if (!/^[a-z0-9]+$/.test(tag)) {
    findings.push(finding(CAA_RULES.tagSyntax, `The tag must be ASCII letters and digits only; got "${model.tag}".`, name));
    return findings;
  }
  if (tag.length > 15) {
    findings.push(finding(CAA_RULES.tagLength, `The tag "${model.tag}" is ${tag.length} characters; keep it to 15.`, name));
  }
  if (!KNOWN_TAGS.includes(tag)) {
    if (flagsValid && model.flags >= CRITICAL) {
      findings.push(finding(CAA_RULES.criticalUnknownTag,
        `The tag "${model.tag}" is marked critical but CAs do not know it, so they refuse to issue at all: got "${model.flags} ${model.tag}".`, name));
    } else {
      findings.push(finding(CAA_RULES.unknownTag, `CAs ignore the tag "${model.tag}".`, name));
    }
  }
  if (ISSUE_TAGS.includes(tag) && !ISSUE_VALUE.test(model.value)) {
    findings.push(finding(CAA_RULES.issueValue,
      `The ${tag} value "${model.value}" is malformed; CAs read it as naming no CA.`, name));
  }
  return findings;
}

/** CAA in the one record-model contract (see `private/record-model.ts`). */
const CAA_FORMAT: RecordFormat<CaaModel, RecordCheckOptions> = {
  what: 'CAA record',
  type: 'CAA',
  parse: (text) => Caa.parse(text),
  write: (model) => `${model.flags} ${model.tag} ${quote(model.value)}`,
  rules: caaRules,
  unreadable: CAA_RULES.syntax,
  textNoun: 'value',
};
