/**
 * Which construct reports on a record: a record construct (`SpfRecord`, `DmarcRecord`,
 * `TlsRptRecord`, `DkimRecords`) evaluates its own record with the profile, unless its parent
 * evaluates the whole domain at once (`GovEmailDomain`); then only the parent reports, so each
 * finding is reported once.
 */
import { IConstruct } from 'constructs';

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
