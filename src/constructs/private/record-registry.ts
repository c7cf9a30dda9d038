/**
 * Who reports on a record: a record construct evaluates its own record unless its parent
 * evaluates the whole domain, and the choices a caller makes explicitly are accepted as
 * warnings. (Records are written by `ZoneWriter`, in zone-writer.ts.)
 */
import { IConstruct } from 'constructs';
import { Finding, Severity } from '../../records/finding';
import { RECORD_CONSTRUCT_RULES } from '../../standard/platform-rules';
import { GOVUK_RULES } from '../../standard/rules';

export { RECORD_CONSTRUCT_RULES };

// ---------------------------------------------------------------------------------------------
// Who reports on a record
// ---------------------------------------------------------------------------------------------

const EVALUATES_CHILD_RECORDS = Symbol.for('cdk-gov-email.evaluatesChildRecords');

/**
 * Mark a construct as evaluating the records of its direct children with the profile itself
 * (`GovEmailDomain` evaluates the whole domain at once), so a child record construct does not
 * report the same findings a second time.
 * @internal
 */
export function evaluateChildRecordsHere(scope: IConstruct): void {
  Object.defineProperty(scope, EVALUATES_CHILD_RECORDS, { value: true, enumerable: false });
}

/**
 * Whether a construct's parent evaluates its records (see `evaluateChildRecordsHere`): then the
 * construct still refuses bad input and notes explicit weaker choices, but leaves the profile's
 * findings, and the GOVUK-NOT-EVALUATED notes for tokens, to the parent.
 * @internal
 */
export function isEvaluatedByParent(scope: IConstruct): boolean {
  const parent = scope.node.scope as unknown as Record<symbol, unknown> | undefined;
  return parent !== undefined && parent[EVALUATES_CHILD_RECORDS] === true;
}

/**
 * Report profile errors the caller has explicitly chosen to accept as warnings (for example
 * `p=none` with `allowMonitoringOnly`), with the reason appended to the message. Other findings
 * are returned as they are.
 *
 * @param findings the profile's findings
 * @param ruleIds the rules whose errors are accepted
 * @param reason why, naming the prop that accepts them
 * @internal
 */
export function acceptAsWarnings(findings: Finding[], ruleIds: string[], reason: string): Finding[] {
  return findings.map((f) => f.severity === Severity.ERROR && ruleIds.includes(f.ruleId)
    ? { ...f, severity: Severity.WARNING, message: `${f.message} Accepted as a warning: ${reason}.` }
    : f);
}

/**
 * The profile's DMARC policy errors for `p=none` / `sp=none`, accepted as warnings because
 * `allowMonitoringOnly` was set (by `DmarcRecord` on its own, or by `GovEmailDomain` for its
 * DMARC record).
 * @internal
 */
export function acceptMonitoringOnly(findings: Finding[]): Finding[] {
  return acceptAsWarnings(findings, [GOVUK_RULES.dmarcPolicy.id, GOVUK_RULES.dmarcSubdomainPolicy.id],
    'allowMonitoringOnly is set, so DmarcPolicy.NONE was chosen explicitly; move to quarantine or reject once reports show who sends as the domain');
}
