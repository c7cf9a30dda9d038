import { SpfIncludeCost } from '../../records/spf';
import { SENDER_RULES } from '../../standard/platform-rules';

/**
 * A problem with the options a sender was made with. The factory cannot know the construct
 * path, so it records the problem; the construct that receives the sender reports it with
 * `invalidInput`, naming its own path.
 */
export interface SenderProblem {
  /** The rule the option breaks (a catalogue id). */
  readonly ruleId: string;
  /** The value given. */
  readonly value: unknown;
  /** What is allowed, naming the factory and option. */
  readonly allowed: string;
  /** The rule's summary when the catalogue's does not fit the case as written. */
  readonly what?: string;
}

/**
 * Lookup costs that are not whole numbers, 0 or more (`lookups`, and `voidLookups` when given).
 * @param where how the caller names the list, e.g. `Sender.custom() spfIncludes`
 */
export function includeCostProblems(costs: SpfIncludeCost[], where: string): SenderProblem[] {
  const out: SenderProblem[] = [];
  costs.forEach((c, i) => {
    const fields: Array<[string, unknown]> = [['lookups', c.lookups]];
    if (c.voidLookups !== undefined) fields.push(['voidLookups', c.voidLookups]);
    for (const [field, n] of fields) {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        out.push({
          ruleId: SENDER_RULES.spfIncludeCost.id,
          value: n,
          allowed: `a whole number, 0 or more, as ${where}[${i}].${field} (${c.domain}): the DNS-querying terms that include's own record makes, for example 0 for a record of ip4: terms only`,
        });
      }
    }
  });
  return out;
}
