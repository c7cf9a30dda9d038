import { Finding, RuleDefinition, Severity, finding, rule } from './finding';
import { RecordFormat, checkText, checkTxtRecordSet, renderModel, validateModel } from './private/record-model';
import { firstUnencoded, httpsProblem, mailtoProblem, percentEncoded, splitCommaHint, uriScheme, uriSyntaxProblem } from './private/uri';
import { RecordCheckOptions } from './record-options';
import { RecordSyntaxError } from './syntax-error';
import { TxtChunks } from './txt';

/** Rules about SMTP TLS reporting (TLS-RPT) records. @internal */
export const TLSRPT_RULES = {
  version: rule('TLSRPT-VERSION', Severity.ERROR,
    'A TLS-RPT record starts with v=TLSRPTv1, written exactly so; senders discard any other record.',
    'RFC 8460 §3'),
  ruaMissing: rule('TLSRPT-RUA-MISSING', Severity.ERROR,
    'A TLS-RPT record has a rua field naming where reports go.',
    'RFC 8460 §3'),
  uriScheme: rule('TLSRPT-URI-SCHEME', Severity.ERROR,
    'Each rua URI is a mailto: or https: URI.',
    'RFC 8460 §3'),
  uriEncoding: rule('TLSRPT-URI-ENCODING', Severity.ERROR,
    'A "," "!" or ";" inside a rua URI is percent-encoded.',
    'RFC 8460 §3'),
  uriMalformed: rule('TLSRPT-URI-MALFORMED', Severity.ERROR,
    'Each rua URI is a well-formed mailto: address or https: URL.',
    'RFC 8460 §3; RFC 3986; RFC 6068 §2'),
  duplicateField: rule('TLSRPT-DUPLICATE-FIELD', Severity.ERROR,
    'Each field appears at most once; list several destinations in one rua, separated by ",".',
    'RFC 8460 §3'),
  fieldSyntax: rule('TLSRPT-FIELD-SYNTAX', Severity.ERROR,
    'Each field is name=value: a name of letters, digits, "_", "-" and "." (up to 32), and a value of visible characters other than "=" and ";".',
    'RFC 8460 §3'),
  unknownField: rule('TLSRPT-UNKNOWN-FIELD', Severity.INFO,
    'Senders ignore fields TLS-RPT does not define.',
    'RFC 8460 §3'),
  multipleRecords: rule('TLSRPT-MULTIPLE-RECORDS', Severity.ERROR,
    'A name holds at most one v=TLSRPTv1 record: with more, senders use none of them.',
    'RFC 8460 §3'),
  noRecord: rule('TLSRPT-NO-RECORD', Severity.INFO,
    'No v=TLSRPTv1 record at this name: senders send no TLS reports for the domain.',
    'RFC 8460 §3'),
} satisfies Record<string, RuleDefinition>;

/**
 * A field of a TLS-RPT record other than `v` and the first `rua`, kept as written.
 */
export interface TlsRptExtension {
  /** The field name, as written (field names are case-sensitive). */
  readonly name: string;
  /** The value, as written, without surrounding white space. */
  readonly value: string;
}

/**
 * An SMTP TLS reporting record (`_smtp._tls.<domain>` TXT, RFC 8460 §3).
 */
export interface TlsRptModel {
  /**
   * Where reports go (`rua`): `mailto:` or `https:` URIs, with any `,` `!` or `;` in them
   * percent-encoded. Empty when the record has no `rua`.
   */
  readonly reportUris: string[];
  /**
   * Other fields, kept in order: extensions senders ignore, and any field written twice.
   *
   * @default - none
   */
  readonly extensions?: TlsRptExtension[];
}

/**
 * Reads, writes and checks SMTP TLS reporting records (RFC 8460).
 */
export class TlsRpt {
  /**
   * Read a TLS-RPT record as DNS holds it.
   *
   * Lenient about white space around `;`, `=` and `,`, a trailing `;`, empty fields, and quoted
   * or split strings. Field names are case-sensitive (RFC 8460 §3), so `RUA=` is an extension,
   * not the report field.
   *
   * @param text the TXT value, unquoted or as DNS tools print it
   * @throws RecordSyntaxError when the text does not start with `v=TLSRPTv1`
   */
  public static parse(text: string): TlsRptModel {
    const record = TxtChunks.parse(text);
    const pieces = record.split(';');
    if (pieces[0].trim() !== VERSION_FIELD) {
      throw new RecordSyntaxError(TLSRPT_RULES.version, notTlsRptMessage(record));
    }
    let reportUris: string[] | undefined;
    const extensions: TlsRptExtension[] = [];
    for (const piece of pieces.slice(1)) {
      if (piece.trim().length === 0) {
        continue;
      }
      const eq = piece.indexOf('=');
      const name = (eq < 0 ? piece : piece.slice(0, eq)).trim();
      const value = eq < 0 ? '' : piece.slice(eq + 1).trim();
      if (name === 'rua' && reportUris === undefined && eq >= 0) {
        // RFC 8460 §3: tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
        reportUris = value.split(',').map((u) => u.trim());
      } else {
        extensions.push({ name, value });
      }
    }
    const model = { reportUris: reportUris ?? [] };
    return extensions.length > 0 ? { ...model, extensions } : model;
  }

  /**
   * Write a record in canonical form: `v=TLSRPTv1; rua=uri1,uri2`, then any extensions,
   * separated by `; `.
   *
   * @throws Error when `validate` reports an error (for example no `rua` or a URI that is not
   * `mailto:` or `https:`)
   */
  public static render(model: TlsRptModel): string {
    return renderModel(TLSRPT_FORMAT, model);
  }

  /**
   * Check a model against every TLS-RPT rule of RFC 8460 §3, and the text it is published as
   * (ASCII, string lengths, UDP size).
   */
  public static validate(model: TlsRptModel, options: RecordCheckOptions = {}): Finding[] {
    return validateModel(TLSRPT_FORMAT, model, options);
  }

  /**
   * Read and check a record as DNS holds it: its TXT encoding (ASCII, string lengths, UDP size;
   * plain text is measured split into 255-octet strings, as it is published)
   * and every TLS-RPT rule. Never throws: text that is not a TLS-RPT record gives a finding.
   */
  public static check(text: string, options: RecordCheckOptions = {}): Finding[] {
    return checkText(TLSRPT_FORMAT, text, options);
  }

  /**
   * Whether a TXT value is a TLS-RPT record: it starts with `v=TLSRPTv1` followed by `;` or
   * the end, case-sensitive, as senders select records (RFC 8460 §3).
   */
  public static isTlsRpt(text: string): boolean {
    try {
      return TLSRPT_START.test(TxtChunks.parse(text));
    } catch {
      return false;
    }
  }

  /**
   * Check every TXT value at a `_smtp._tls.<domain>` name: with more than one `v=TLSRPTv1`
   * record, senders use none (RFC 8460 §3). Each TLS-RPT record, and each value that looks like
   * a failed attempt at one (`v=TLSRPTv2`, `V=TLSRPTv1`), is checked too; other values are
   * ignored, as senders ignore them.
   *
   * @param values the TXT values at the name, as DNS holds them
   */
  public static checkRecordSet(values: string[], options: RecordCheckOptions = {}): Finding[] {
    return checkTxtRecordSet(TLSRPT_FORMAT, values, options, {
      isRecord: (v) => TlsRpt.isTlsRpt(v),
      looksLike: looksLikeTlsRpt,
      multiple: {
        rule: TLSRPT_RULES.multipleRecords,
        message: (records) => `${records.length} records start with v=TLSRPTv1; senders use none of them and send no reports. Keep one.`,
        checkEach: true,
      },
      none: { rule: TLSRPT_RULES.noRecord, message: (total) => `None of the ${total} TXT values is a v=TLSRPTv1 record.` },
    });
  }


  private constructor() {}
}

/** RFC 8460 §3: `tlsrpt-version = %s"v=TLSRPTv1"`. */
const VERSION_FIELD = 'v=TLSRPTv1';
const TLSRPT_START = /^[ \t]*v=TLSRPTv1[ \t]*(?:;|$)/;
/** RFC 8460 §3: `tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`. */
const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
/** RFC 8460 §3: `tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)`. */
const EXT_VALUE = /^[\x21-\x3A\x3C\x3E-\x7E]+$/;

function looksLikeTlsRpt(value: string): boolean {
  let text: string;
  try {
    text = TxtChunks.parse(value);
  } catch {
    text = value;
  }
  return /v\s*=\s*tlsrpt/i.test(text);
}

function notTlsRptMessage(record: string): string {
  const shown = JSON.stringify(record.length > 60 ? `${record.slice(0, 60)}...` : record);
  if (/^\s*\\?"/.test(record)) {
    return `The record text starts with a quote character: ${record.slice(0, 60)}. The quotes were typed into the value, so senders discard the record; remove them.`;
  }
  const first = record.split(';')[0].trim();
  if (/^v\s*=\s*TLSRPTv1$/i.test(first)) {
    return `The record starts "${first}"; it must be exactly "v=TLSRPTv1" (the case as shown, no spaces), or senders discard it.`;
  }
  if (/^v=TLSRPTv1\s/.test(first)) {
    return `The version field reads "${first}": separate fields with ";" (for example "v=TLSRPTv1; rua=mailto:...").`;
  }
  return `A TLS-RPT record starts with v=TLSRPTv1; got ${shown}.`;
}

/** The first problem with one rua URI and the rule it breaks, or undefined. */
function uriProblem(uri: string): { rule: RuleDefinition; message: string } | undefined {
  const raw = firstUnencoded(uri, ',!;');
  if (raw !== undefined) {
    const hint = raw === '!' && /![0-9]+[kmgt]?$/i.test(uri) ? ' (TLS-RPT has no DMARC-style !size limit)' : '';
    return { rule: TLSRPT_RULES.uriEncoding, message: `holds "${raw}", which must be percent-encoded (${percentEncoded(raw)})${hint}` };
  }
  const scheme = uriScheme(uri);
  if (uri.length > 0 && scheme !== 'mailto' && scheme !== 'https') {
    return {
      rule: TLSRPT_RULES.uriScheme,
      message: scheme === undefined
        ? 'has no scheme: write mailto:<address> or https://<url>'
        : `uses ${scheme}:; only mailto: and https: are allowed`,
    };
  }
  const syntax = uriSyntaxProblem(uri) ?? (scheme === 'mailto' ? mailtoProblem(uri) : httpsProblem(uri));
  return syntax === undefined ? undefined : { rule: TLSRPT_RULES.uriMalformed, message: syntax };
}

/** The canonical text of a model, written as it is. */
function writeTlsRpt(model: TlsRptModel): string {
  const fields = [VERSION_FIELD];
  if (model.reportUris.length > 0) {
    fields.push(`rua=${model.reportUris.join(',')}`);
  }
  for (const ext of model.extensions ?? []) {
    fields.push(`${ext.name}=${ext.value}`);
  }
  return fields.join('; ');
}

/** Every TLS-RPT rule of RFC 8460 §3. */
function tlsRptRules(model: TlsRptModel, options: RecordCheckOptions): Finding[] {
  const path = options.name;
  const findings: Finding[] = [];
  const add = (r: RuleDefinition, message: string) => findings.push(finding(r, message, path));
  const extensions = model.extensions ?? [];

  if (model.reportUris.length === 0) {
    const variant = extensions.find((e) => e.name.toLowerCase() === 'rua');
    add(TLSRPT_RULES.ruaMissing, variant === undefined
      ? 'The record has no rua field: add rua=mailto:<address> or rua=https://<url>.'
      : `The record has no rua field: field names are case-sensitive, so "${variant.name}" is not rua.`);
  }
  model.reportUris.forEach((uri, i) => {
    const problem = uriProblem(uri);
    if (problem !== undefined) {
      const hint = splitCommaHint(i > 0 ? model.reportUris[i - 1] : undefined, uri);
      add(problem.rule, `rua URI "${uri}" ${problem.message}${hint}.`);
    }
  });

  const seen = new Map<string, number>();
  for (const ext of extensions) {
    seen.set(ext.name, (seen.get(ext.name) ?? 0) + 1);
  }
  for (const [name, count] of seen) {
    const total = count + (name === 'v' || (name === 'rua' && model.reportUris.length > 0) ? 1 : 0);
    if (total > 1) {
      add(TLSRPT_RULES.duplicateField, `The field ${name} appears ${total} times; it may appear once.`);
    }
  }
  for (const ext of extensions) {
    if (ext.name === 'v' || ext.name === 'rua') {
      continue; // reported as duplicates above
    }
    if (!EXT_NAME.test(ext.name) || !EXT_VALUE.test(ext.value)) {
      add(TLSRPT_RULES.fieldSyntax,
        `"${ext.name}=${ext.value}" is not a field: the name is 1-32 letters, digits, "_", "-" or "." and the value visible characters other than "=" and ";".`);
    } else {
      add(TLSRPT_RULES.unknownField, `The field ${ext.name}=${ext.value} is not defined by RFC 8460; senders ignore it.`);
    }
  }
  return findings;
}

/**
 * TLS-RPT in the one record-model contract (see `private/record-model.ts`). Its `write` is for a
 * construct whose report addresses are known only at deployment (checked where they resolve).
 * @internal
 */
export const TLSRPT_FORMAT: RecordFormat<TlsRptModel, RecordCheckOptions> = {
  what: 'TLS-RPT record',
  type: 'TXT',
  parse: (text) => TlsRpt.parse(text),
  write: writeTlsRpt,
  rules: tlsRptRules,
  unreadable: TLSRPT_RULES.version,
  txt: {},
};
