import { Finding, RuleDefinition, Severity } from './finding';

/**
 * Thrown by `parse` when a text is not a record of the expected kind at all.
 * Not part of the jsii API (jsii cannot extend `Error`); TypeScript users may catch it by `name`.
 *
 * The `ruleId` says which rule the text breaks, so callers can turn the error into a
 * finding without a second parser.
 */
export class RecordSyntaxError extends Error {
  /** The rule the text breaks. */
  public readonly ruleId: string;
  /** The source of that rule. */
  public readonly source: string;

  constructor(rule: RuleDefinition, message: string) {
    super(`[${rule.id}] ${message}`);
    this.name = 'RecordSyntaxError';
    this.ruleId = rule.id;
    this.source = rule.source;
    Object.setPrototypeOf(this, RecordSyntaxError.prototype);
  }

  /** This error as a finding. */
  public toFinding(path?: string): Finding {
    const f: Finding = {
      ruleId: this.ruleId,
      severity: Severity.ERROR,
      message: this.message.replace(/^\[[^\]]+\] /, ''),
      source: this.source,
    };
    return path === undefined ? f : { ...f, path };
  }
}

