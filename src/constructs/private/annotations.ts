/**
 * How a construct tells its user what it found: bad input as an error thrown at once, profile
 * errors as validations that fail `cdk synth`, warnings and notes as CDK annotations with a
 * stable `cdk-gov-email:<RULE-ID>` id.
 */
import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Finding, Severity } from '../../records/finding';
import { RuleCatalogue } from '../../standard/rule-catalogue';

/** Warning annotations carry `cdk-gov-email:<RULE-ID>` so they can be acknowledged by id. */
export const ANNOTATION_PREFIX = 'cdk-gov-email:';

/**
 * An error for bad input, thrown while the construct is built so no template is produced.
 * Names the construct path, the rule, the value given and what is allowed.
 */
export function invalidInput(scope: IConstruct, ruleId: string, value: unknown, allowed: string, what?: string): Error {
  const summary = what ?? RuleCatalogue.find(ruleId)?.summary ?? '';
  return new Error(`${scope.node.path}: [${ruleId}] ${summary} Got: ${show(value)}. Allowed: ${allowed}.`);
}

/**
 * Report findings on a construct: errors fail `cdk synth` (through a validation, so every error
 * of every construct is listed together, each with its path), warnings become warning
 * annotations with a stable id, info becomes info annotations.
 */
export function reportFindings(scope: IConstruct, findings: Finding[]): void {
  const messages = annotateFindings(scope, findings);
  if (messages.length > 0) {
    scope.node.addValidation({ validate: () => messages });
  }
}

/**
 * Report findings from inside a validation (`node.addValidation`), where a validation added now
 * would not run: warnings and info become annotations at once, and the errors are returned as
 * the validation's messages.
 *
 * @returns the error messages, `[<RULE-ID>] <message> (<source>)`
 */
export function annotateFindings(scope: IConstruct, findings: Finding[]): string[] {
  const errors = findings.filter((f) => f.severity === Severity.ERROR);
  const messages = errors.map((f) => `[${f.ruleId}] ${f.message} (${f.source})`);
  for (const f of findings) {
    if (f.severity === Severity.WARNING) {
      Annotations.of(scope).addWarningV2(`${ANNOTATION_PREFIX}${f.ruleId}`, `${f.message} (${f.source})`);
    } else if (f.severity === Severity.INFO) {
      addInfoNote(scope, f.ruleId, f.message);
    }
  }
  return messages;
}

/**
 * An info annotation, `[cdk-gov-email:<RULE-ID>] <message>`, always ending with a full stop. The
 * CDK CLI reads a message that ends with a parenthesised text holding `::` as a rule id of its
 * own (and stops when the text is not one): a cited source such as `AWS::SES::ReceiptRuleSet`
 * must never be the end of a message.
 */
export function addInfoNote(scope: IConstruct, ruleId: string, message: string): void {
  const sentence = /[.!?]$/.test(message.trimEnd()) ? message.trimEnd() : `${message.trimEnd()}.`;
  Annotations.of(scope).addInfo(`[${ANNOTATION_PREFIX}${ruleId}] ${sentence}`);
}

/**
 * True when a value (or any value in a list) is an unresolved token: such values are checked
 * where they resolve, or skipped with a GOVUK-NOT-EVALUATED warning, never silently.
 */
export function isUnresolved(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => isUnresolved(v));
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/** Warn that a value could not be checked because it is a token. */
export function warnNotEvaluated(scope: IConstruct, what: string): void {
  Annotations.of(scope).addWarningV2(`${ANNOTATION_PREFIX}GOVUK-NOT-EVALUATED`,
    `${what} is not known until deployment, so it was not checked against the standard here; check it after deployment with \`gov-email check\`.`);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
