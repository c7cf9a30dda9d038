import { Finding, RuleDefinition, Severity, aboutRecord, finding, rule } from './finding';
import { hostNameProblem } from './private/names';
import { nodeNet } from './private/node-builtins';
import { RecordFormat, checkText, readModel, renderModel, validateModel } from './private/record-model';
import { RecordCheckOptions } from './record-options';
import { RecordSyntaxError } from './syntax-error';

/** Rules about MX records and null MX (RFC 7505). @internal */
export const MX_RULES = {
  syntax: rule('MX-SYNTAX', Severity.ERROR,
    'An MX value is a preference and an exchange host name separated by a space, for example "10 mail.example.com.".',
    'RFC 1035 §3.3.9'),
  preference: rule('MX-PREFERENCE', Severity.ERROR,
    'An MX preference is a whole number from 0 to 65535.',
    'RFC 1035 §3.3.9'),
  exchange: rule('MX-EXCHANGE', Severity.ERROR,
    'An MX exchange is a host name: labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 in all.',
    'RFC 1035 §3.3.9; RFC 1123 §2.1; RFC 5321 §5.1'),
  exchangeIp: rule('MX-EXCHANGE-IP', Severity.ERROR,
    'An MX exchange is a host name, never an IP address.',
    'RFC 1035 §3.3.9; RFC 1123 §2.1; RFC 7505 §3'),
  nullMxNotAlone: rule('MX-NULL-NOT-ALONE', Severity.ERROR,
    'A name that publishes a null MX ("0 .") publishes no other MX record.',
    'RFC 7505 §3'),
  nullMxPreference: rule('MX-NULL-PREFERENCE', Severity.ERROR,
    'A null MX has preference 0 and the root "." as its exchange.',
    'RFC 7505 §3'),
} satisfies Record<string, RuleDefinition>;

/**
 * One MX record value (RFC 1035 §3.3.9).
 */
export interface MxModel {
  /** The preference, 0–65535: lower is tried first. */
  readonly preference: number;

  /**
   * The exchange host name, without a trailing dot (`mail.example.com`), or `.` (the root)
   * for a null MX (RFC 7505).
   */
  readonly exchange: string;
}

/** RFC 1035 §3.3.9: the preference is a 16-bit integer. */
const MAX_PREFERENCE = 65535;
const ROOT = '.';

/**
 * Parse, generate and check MX records, and null MX (RFC 7505) for domains that receive no
 * mail.
 */
export class Mx {
  /**
   * Read an MX value as Route 53 and zone files write it: `10 mail.example.com.`, or `0 .`
   * for a null MX. A trailing dot on the exchange is removed (except for the root).
   *
   * @param text the value
   * @throws RecordSyntaxError when the text is not a preference and an exchange
   */
  public static parse(text: string): MxModel {
    const m = /^\s*([+-]?[0-9]+)\s+(\S+)\s*$/.exec(text);
    if (m === null) {
      throw new RecordSyntaxError(MX_RULES.syntax, `An MX value is "<preference> <exchange>"; got "${preview(text)}".`);
    }
    const exchange = m[2] === ROOT ? ROOT : stripDot(m[2]);
    return { preference: Number(m[1]), exchange };
  }

  /**
   * The canonical text of an MX value: the preference, a space and the exchange as a fully
   * qualified name with its trailing dot (`10 mail.example.com.`, `0 .`).
   *
   * @throws Error when the record breaks a rule `validate` reports as an error
   */
  public static render(model: MxModel): string {
    return renderModel(MX_FORMAT, model);
  }

  /** The null MX, `0 .`: the domain accepts no mail (RFC 7505 §3). */
  public static nullMx(): MxModel {
    return { preference: 0, exchange: ROOT };
  }

  /**
   * Whether a record is a null MX: its exchange is the root `.` (RFC 7505 §3). Its preference
   * should be 0; `validateRecordSet` reports one that is not.
   */
  public static isNullMx(model: MxModel): boolean {
    return model.exchange === ROOT;
  }

  /**
   * Check one MX record on its own: preference range and exchange host name.
   *
   * @param model the record
   * @param options `name`: the DNS name the record is at, used as the findings' path
   */
  public static validate(model: MxModel, options: RecordCheckOptions = {}): Finding[] {
    return validateModel(MX_FORMAT, model, options);
  }

  /**
   * Parse and validate one MX value. Never throws.
   *
   * @param text the value
   * @param options `name`: the DNS name the record is at, used as the findings' path
   */
  public static check(text: string, options: RecordCheckOptions = {}): Finding[] {
    return checkText(MX_FORMAT, text, options);
  }

  /**
   * Check all the MX records at one name: each record, and that a null MX is the only MX
   * there (RFC 7505 §3).
   *
   * @param records the MX records at the name
   * @param options `name`: the DNS name, used as the findings' path
   */
  public static validateRecordSet(records: MxModel[], options: RecordCheckOptions = {}): Finding[] {
    const name = options.name;
    const findings = records.flatMap((r) => Mx.validate(r, options));
    const nulls = records.filter((r) => Mx.isNullMx(r));
    if (nulls.length > 0 && records.length > 1) {
      const others = records.filter((r) => !Mx.isNullMx(r));
      findings.push(finding(MX_RULES.nullMxNotAlone,
        `A null MX must be the only MX record; got ${records.length} records: ${records.map((r) => `"${describe(r)}"`).join(', ')}.${others.length > 0 ? ' Senders may still deliver to the others.' : ''}`,
        name));
    }
    return aboutRecord(findings, name, 'MX');
  }

  /**
   * Parse and check all the MX values at one name. Never throws: a value that cannot be read
   * is reported as `MX-SYNTAX` and the others are still checked, as `validateRecordSet` checks them.
   *
   * @param values the MX values at the name
   * @param options `name`: the DNS name, used as the findings' path
   */
  public static checkRecordSet(values: string[], options: RecordCheckOptions = {}): Finding[] {
    const findings: Finding[] = [];
    const records: MxModel[] = [];
    for (const v of values) {
      const read = readModel(MX_FORMAT, v, options);
      if (read.model !== undefined) records.push(read.model);
      findings.push(...read.findings);
    }
    findings.push(...Mx.validateRecordSet(records, options));
    return aboutRecord(findings, options.name, 'MX');
  }

  private constructor() {}
}


function stripDot(host: string): string {
  return host.length > 1 && host.endsWith('.') ? host.slice(0, -1) : host;
}

function describe(r: MxModel): string {
  return `${r.preference} ${r.exchange === ROOT ? ROOT : r.exchange}`;
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Preference range and exchange host name of one record (RFC 1035 §3.3.9, RFC 7505 §3). */
function mxRules(model: MxModel, options: RecordCheckOptions): Finding[] {
  const name = options.name;
  const findings: Finding[] = [];
  if (!Number.isInteger(model.preference) || model.preference < 0 || model.preference > MAX_PREFERENCE) {
    findings.push(finding(MX_RULES.preference, `The preference must be a whole number from 0 to ${MAX_PREFERENCE}; got ${model.preference}.`, name));
  }
  if (Mx.isNullMx(model)) {
    if (model.preference !== 0) {
      findings.push(finding(MX_RULES.nullMxPreference, `A null MX has preference 0; got "${model.preference} .".`, name));
    }
    return findings;
  }
  const host = stripDot(model.exchange);
  if (nodeNet().isIP(host) !== 0 || /^\[.*\]$/.test(host)) {
    findings.push(finding(MX_RULES.exchangeIp, `The exchange must be a host name, not an IP address; got "${model.exchange}".`, name));
    return findings;
  }
  const problem = hostNameProblem(host);
  if (problem !== undefined) {
    findings.push(finding(MX_RULES.exchange, `The exchange "${model.exchange}" is not a host name: ${problem}.`, name));
  }
  return findings;
}

/** MX in the one record-model contract (see `private/record-model.ts`). */
const MX_FORMAT: RecordFormat<MxModel, RecordCheckOptions> = {
  what: 'MX record',
  type: 'MX',
  parse: (text) => Mx.parse(text),
  write: (model) => `${model.preference} ${model.exchange === ROOT ? ROOT : `${stripDot(model.exchange)}.`}`,
  rules: mxRules,
  unreadable: MX_RULES.syntax,
  textNoun: 'value',
};
