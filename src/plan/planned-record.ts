/**
 * A record a domain publishes, or is found to publish, as every reader of the plan sees it:
 * the constructs, `gov-email review` (from a cloud assembly), the cdk-nag pack and
 * `gov-email check` (from DNS answers). No aws-cdk-lib here.
 */

/** The parts of a planned record that may be known only at deployment. A closed set. */
export type UnresolvedRecordField = 'name' | 'values' | 'ttl';

/**
 * One record set: a name, a type and its values as DNS holds them. A reader of live DNS plans
 * a name it asked about and found empty (NODATA) as a record with no values, so "looked, and
 * none" is part of the plan; a lookup that failed is not planned at all.
 */
export interface PlannedRecord {
  /** The name, lower case without the trailing dot; a readable placeholder when `unresolved` holds `name`. */
  readonly name: string;
  /** The record type, e.g. `TXT`, `MX`, `CNAME`. */
  readonly type: string;
  /**
   * The values, one per resource record: TXT values as quoted character-strings
   * (`"v=spf1 -all"`), MX as `<preference> <host>`, CNAME as the target. When `unresolved`
   * holds `values`, only the values known before deployment (possibly none).
   */
  readonly values: string[];
  /** The TTL in seconds, when known. */
  readonly ttl?: number;
  /** What is known only at deployment; empty when everything is literal. */
  readonly unresolved: readonly UnresolvedRecordField[];
}

/** True when the record's values are all known before deployment. */
export function valuesKnown(record: PlannedRecord): boolean {
  return !record.unresolved.includes('values');
}

/** True when the record's name is known before deployment. */
export function nameKnown(record: PlannedRecord): boolean {
  return !record.unresolved.includes('name');
}
