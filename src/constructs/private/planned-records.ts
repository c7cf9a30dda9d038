/**
 * What a construct publishes, as the plan holds it: the bridge from record sets a construct
 * writes to `PlannedRecord`s, so the construct's own evaluation reads the same shape as
 * `gov-email review`, the cdk-nag pack and `gov-email check` (all through `postureOf`).
 */
import { Token } from 'aws-cdk-lib';
import { PlannedRecord, UnresolvedRecordField } from '../../plan';

/**
 * A record set as the plan holds it. Values holding a token are left out and the record is
 * marked as holding `values` known only at deployment. The name is built by the construct from
 * the plan's domain (`_dmarc.<domain>`), so even when the domain is a token the plan finds the
 * record at it: the name is never marked unresolved here.
 *
 * @param name the record name, without the trailing dot, made from the plan's domain
 * @param type the record type
 * @param values the values as Route 53 takes them (TXT as quoted strings)
 */
export function plannedRecord(name: string, type: string, values: readonly string[]): PlannedRecord {
  const unresolved: UnresolvedRecordField[] = [];
  const known = values.filter((v) => !Token.isUnresolved(v));
  if (known.length < values.length) unresolved.push('values');
  const literalName = Token.isUnresolved(name) ? name : name.toLowerCase().replace(/\.$/, '');
  return { name: literalName, type, values: known, unresolved };
}
