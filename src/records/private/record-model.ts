/**
 * The one contract of every record model, implemented once. Each model (`Spf`, `Dmarc`,
 * `TlsRpt`, `MtaSts`, `Dkim`, `Mx`, `Caa`) describes its record as a `RecordFormat` and its
 * public static methods call the functions here:
 *
 * - `parse(text)` reads the text into a model, throwing a `RecordSyntaxError` on text that is not
 *   a record of the kind;
 * - `validate(model, options)` is the record's own rules plus the checks of the text it would be
 *   published as (for a TXT record its encoding, for an MTA-STS policy its size);
 * - `render(model)` writes the canonical text, and throws when `validate` reports an error, so
 *   what it returns is always a valid record;
 * - `check(text, options)` is parse + validate of a published text, never throwing: text that
 *   cannot be read is a finding;
 * - `checkRecordSet(values, options)` checks every value published at one name.
 *
 * Generic, so not part of the jsii API: nothing here is exported from the package.
 */
import { Finding, RuleDefinition, Severity, aboutRecord, finding } from '../finding';
import { RecordCheckOptions } from '../record-options';
import { RecordSyntaxError } from '../syntax-error';
import { TxtEncoding, txtEncodingFindings } from './txt-record';

/**
 * What the contract needs to know of one kind of record.
 * @internal
 */
export interface RecordFormat<M, O extends RecordCheckOptions> {
  /** What the record is called in a `render` error, for example `SPF record`. */
  readonly what: string;
  /** The type of the findings' subject: a DNS record type (`TXT`, `MX`, `CAA`) or `MTA-STS-POLICY`. */
  readonly type: string;
  /** Read the text; throws a `RecordSyntaxError` on text that is not a record of the kind. */
  readonly parse: (text: string) => M;
  /** The canonical text of the model, written as it is, without checks. */
  readonly write: (model: M) => string;
  /** The record's own rules. */
  readonly rules: (model: M, options: O) => Finding[];
  /** The rule a failure to read the text is reported with when it is not a `RecordSyntaxError`. */
  readonly unreadable: RuleDefinition;
  /**
   * What the text is called when it cannot be read (`The value could not be read: …`).
   *
   * @default 'record'
   */
  readonly textNoun?: string;
  /**
   * For a TXT record: how its encoding is checked, on the text written by `validate` and on
   * the published text by `check`.
   *
   * @default - not a TXT record
   */
  readonly txt?: TxtEncoding;
  /**
   * Checks of a text as published, for `validate` (on the written text) and `check`, other
   * than the TXT encoding: for example the size of an MTA-STS policy.
   *
   * @default - none
   */
  readonly textRules?: (text: string, options: O) => Finding[];
  /**
   * How `check` reads a text, when it reports more than `parse` throws: every fatal problem, or
   * problems the lenient parser accepts (separators the grammar does not allow). Returns the
   * model, when there is one, and those findings; may throw as `parse` does.
   *
   * @default - `parse`, and no findings besides its syntax error
   */
  readonly read?: (text: string, options: O) => { readonly model?: M; readonly findings: Finding[] };
}

/**
 * The record's rules and the checks of the text it would be published as, each finding given
 * the record's subject when `options.name` is set.
 * @internal
 */
export function validateModel<M, O extends RecordCheckOptions>(format: RecordFormat<M, O>, model: M, options: O): Finding[] {
  const findings = format.rules(model, options);
  if (format.txt !== undefined || format.textRules !== undefined) {
    // Measure the text a generator would publish: what `write` gives, split as it is published.
    const text = format.write(model);
    findings.push(...textFindings(format, text, options, false));
  }
  return aboutRecord(findings, options.name, format.type);
}

/**
 * The canonical text of a model that `validate` finds no error in.
 *
 * @throws Error naming every error `validate` reports
 * @internal
 */
export function renderModel<M, O extends RecordCheckOptions>(format: RecordFormat<M, O>, model: M): string {
  const errors = validateModel(format, model, {} as O).filter((f) => f.severity === Severity.ERROR);
  if (errors.length > 0) {
    throw new Error(`Cannot render an invalid ${format.what}: ${errors.map((f) => `[${f.ruleId}] ${f.message}`).join(' ')}`);
  }
  return format.write(model);
}

/**
 * Parse and validate a published text. Never throws: a text that cannot be read gives a finding
 * of its syntax rule, or of the format's `unreadable` rule when the failure is not a syntax error.
 * @internal
 */
export function checkText<M, O extends RecordCheckOptions>(format: RecordFormat<M, O>, text: string, options: O): Finding[] {
  let published: Finding[];
  try {
    published = textFindings(format, text, options, true);
  } catch {
    published = []; // text that is not a string from JavaScript: reported below as unreadable
  }
  let findings: Finding[];
  try {
    const read = format.read === undefined ? { model: parseKept(format, text), findings: [] } : format.read(text, options);
    findings = [...published, ...read.findings, ...(read.model === undefined ? [] : format.rules(read.model, options))];
  } catch (err) {
    findings = [...published, unreadableFinding(format, err, options.name)];
  }
  return aboutRecord(findings, options.name, format.type);
}

/**
 * The models `checkText` has parsed, by format and text: the same records are checked for every
 * domain of an estate. A model kept here never leaves `checkText`, where the rules only read it.
 * At most `MODELS_KEPT` a format.
 */
const keptModels = new WeakMap<object, Map<string, unknown>>();
const MODELS_KEPT = 1000;

/** `format.parse(text)`, parsed once for each text (a text that throws is parsed, and throws, each time). */
function parseKept<M, O extends RecordCheckOptions>(format: RecordFormat<M, O>, text: string): M {
  if (typeof text !== 'string') {
    return format.parse(text);
  }
  let models = keptModels.get(format);
  if (models === undefined) {
    models = new Map();
    keptModels.set(format, models);
  }
  if (models.has(text)) {
    return models.get(text) as M;
  }
  const model = format.parse(text);
  if (models.size >= MODELS_KEPT) models.clear();
  models.set(text, model);
  return model;
}

/**
 * Read a published text into a model, as `check` reads it, without validating the model: the
 * model when the text could be read, and the findings of reading it. Never throws.
 * @internal
 */
export function readModel<M, O extends RecordCheckOptions>(format: RecordFormat<M, O>, text: string, options: O): { model?: M; findings: Finding[] } {
  try {
    const read = format.read === undefined ? { model: format.parse(text), findings: [] } : format.read(text, options);
    return { ...read, findings: aboutRecord(read.findings, options.name, format.type) };
  } catch (err) {
    return { findings: aboutRecord([unreadableFinding(format, err, options.name)], options.name, format.type) };
  }
}

/** A failure to read a text as a finding: its syntax rule, or the format's `unreadable` rule. */
function unreadableFinding<M, O extends RecordCheckOptions>(format: RecordFormat<M, O>, err: unknown, name: string | undefined): Finding {
  return err instanceof RecordSyntaxError
    ? err.toFinding(name)
    : finding(format.unreadable, `The ${format.textNoun ?? 'record'} could not be read: ${String(err)}.`, name);
}

/** The TXT encoding and the format's other text rules, of a text published or written from a model. */
function textFindings<M, O extends RecordCheckOptions>(format: RecordFormat<M, O>, text: string, options: O, asPublished: boolean): Finding[] {
  return [
    ...(format.txt === undefined ? [] : txtEncodingFindings(text, options.name, format.txt, asPublished)),
    ...(format.textRules?.(text, options) ?? []),
  ];
}

/**
 * How the TXT values at a name that should hold one record of a kind are checked as a set.
 * @internal
 */
export interface TxtRecordSetRules {
  /** Whether a value is a record of the kind, as receivers select them. */
  readonly isRecord: (value: string) => boolean;
  /**
   * Whether a value that is not a record looks like a failed attempt at one, so it is checked
   * too (receivers ignore it).
   *
   * @default - no value but the records is checked
   */
  readonly looksLike?: (value: string) => boolean;
  /** More than one record: the rule, what happens, and whether each record is checked as well. */
  readonly multiple: {
    readonly rule: RuleDefinition;
    readonly message: (records: string[]) => string;
    readonly checkEach: boolean;
  };
  /**
   * No record and no attempt at one: the rule and what is missing.
   *
   * @default - not reported
   */
  readonly none?: { readonly rule: RuleDefinition; readonly message: (values: number) => string };
}

/**
 * Check every TXT value at a name: more than one record of the kind, none at all, then each
 * record and each failed attempt at one, as `check` checks them; other values are ignored, as
 * receivers ignore them.
 * @internal
 */
export function checkTxtRecordSet<M, O extends RecordCheckOptions>(format: RecordFormat<M, O>, values: string[], options: O,
  set: TxtRecordSetRules): Finding[] {
  const name = options.name;
  const records = values.filter((v) => set.isRecord(v));
  const attempts = values.filter((v) => !set.isRecord(v) && (set.looksLike?.(v) ?? false));
  const findings: Finding[] = [];
  const several = records.length > 1;
  if (several) {
    findings.push(finding(set.multiple.rule, set.multiple.message(records), name));
  }
  if (records.length === 0 && attempts.length === 0 && set.none !== undefined) {
    findings.push(finding(set.none.rule, set.none.message(values.length), name));
  }
  for (const value of [...(several && !set.multiple.checkEach ? [] : records), ...attempts]) {
    findings.push(...checkText(format, value, options));
  }
  return aboutRecord(findings, name, format.type);
}
