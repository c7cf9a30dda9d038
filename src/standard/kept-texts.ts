/**
 * What the profile reads from record texts, kept by the text: the domains of an estate publish
 * the same records but for their names (every parked domain's `v=spf1 -all`, its DMARC record
 * for the estate's report addresses, `v=DKIM1; p=`, `0 .`, `0 issue ";"`), so each text is read
 * once a process instead of once for each domain and each check. Not part of the package's API.
 */

/** At most this many texts are kept for each kind of reading; then the kept ones are let go. */
export const TEXTS_KEPT = 1000;

/**
 * One reading of a text (a pure function of it), done once for each text. A reading that throws
 * is not kept: it is done, and throws, each time. What it returns is frozen, so a model shared by
 * every domain that publishes the text cannot be changed through one of them.
 * @internal
 */
export class KeptByText<T> {
  private readonly kept = new Map<string, T>();

  /**
   * @param read the reading: the same text always gives an equal result
   */
  public constructor(private readonly read: (text: string) => T) {}

  /** The reading of `text`, done the first time this text is asked for. */
  public of(text: string): T {
    if (typeof text !== 'string') {
      return this.read(text);
    }
    const found = this.kept.get(text);
    if (found !== undefined || this.kept.has(text)) {
      return found as T;
    }
    const result = deepFreeze(this.read(text));
    if (this.kept.size >= TEXTS_KEPT) this.kept.clear();
    this.kept.set(text, result);
    return result;
  }

  /** How many texts are kept. */
  public get size(): number {
    return this.kept.size;
  }
}

/**
 * The record sets a check found nothing in, by their values: a check whose findings depend on the
 * record set's name only as their path and subject (the `name` option of `checkRecordSet`) finds
 * nothing in the same values at any other name, so the check is not run again for them. Values
 * with findings are checked each time, so every finding names its own record set.
 * @internal
 */
export class CleanRecordSets {
  private readonly clean = new Set<string>();

  /**
   * @param check the check of the values at one name
   */
  public constructor(private readonly check: (values: string[], name: string) => readonly unknown[]) {}

  /** The findings of `values` at `name`: none when the same values were found clean before. */
  public findings<F>(values: string[], name: string): F[] {
    const key = keyOf(values);
    if (key !== undefined && this.clean.has(key)) {
      return [];
    }
    const findings = this.check(values, name) as F[];
    if (key !== undefined && findings.length === 0) {
      if (this.clean.size >= TEXTS_KEPT) this.clean.clear();
      this.clean.add(key);
    }
    return findings;
  }

  /** How many record sets are kept as clean. */
  public get size(): number {
    return this.clean.size;
  }
}

/**
 * The key of a list of values (one value, the most common, as itself), or undefined when one is
 * not a string (it is then never kept).
 */
function keyOf(values: string[]): string | undefined {
  if (!Array.isArray(values)) {
    return undefined;
  }
  if (values.length === 1) {
    return typeof values[0] === 'string' ? `1${values[0]}` : undefined;
  }
  return values.every((v) => typeof v === 'string') ? `*${JSON.stringify(values)}` : undefined;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
