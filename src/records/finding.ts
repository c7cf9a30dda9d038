/**
 * How serious a finding is.
 *
 * The values are the words every report uses (`error`, `warning`, `info`).
 */
export enum Severity {
  /** The record breaks an RFC or the government standard: it must be fixed. */
  ERROR = 'error',
  /** Legal, but weaker than the standard asks for, or likely to break. */
  WARNING = 'warning',
  /** Worth knowing; nothing to fix. */
  INFO = 'info',
}

/**
 * A rule the library checks: an RFC requirement or a UK government expectation.
 *
 * The same rule id and source appear wherever a finding is reported: a synth-time error,
 * a warning annotation, a cdk-nag finding or a CLI line.
 */
export interface RuleDefinition {
  /** Stable identifier, for example `SPF-LOOKUP-LIMIT` or `GOVUK-DMARC-POLICY`. */
  readonly id: string;
  /** The severity a breach of this rule is reported with. */
  readonly severity: Severity;
  /** One line saying what the rule requires. */
  readonly summary: string;
  /** Where the rule comes from: RFC and section, or the guidance page. */
  readonly source: string;
}

/**
 * One thing a check found about a record or a domain.
 */
export interface Finding {
  /** The id of the rule that produced this finding. */
  readonly ruleId: string;
  /** How serious it is. */
  readonly severity: Severity;
  /** What was found, naming the value that caused it. */
  readonly message: string;
  /** The RFC section or guidance the rule comes from. */
  readonly source: string;
  /**
   * Where the finding applies: a DNS name, a construct path or a resource.
   *
   * @default - the record being checked
   */
  readonly path?: string;
}

/**
 * Build a finding for a rule. Internal helper shared by every record module.
 * @internal
 */
export function finding(definition: RuleDefinition, message: string, path?: string, severity?: Severity): Finding {
  const f: Finding = {
    ruleId: definition.id,
    severity: severity ?? definition.severity,
    message,
    source: definition.source,
  };
  return path === undefined ? f : { ...f, path };
}

/**
 * Define a rule. Internal helper: each record module declares its rules as data with it.
 * @internal
 */
export function rule(id: string, severity: Severity, summary: string, source: string): RuleDefinition {
  return { id, severity, summary, source };
}

/**
 * The findings with repeats left out: the same rule on the same path with the same message is
 * reported once, in the order first seen.
 * @internal
 */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}|${f.path ?? ''}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
