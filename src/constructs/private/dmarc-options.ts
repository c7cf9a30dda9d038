import { IConstruct } from 'constructs';
import { invalidInput } from './annotations';
import { DMARC_RULES, DmarcAlignment, DmarcPolicy } from '../../records/dmarc';

/** The failure reporting options (`fo`) DMARC defines. */
const FAILURE_OPTIONS = ['0', '1', 'd', 's'];

/**
 * A DMARC policy prop (`p`, `sp` or `np`), checked: one of the enum's values, and `NONE` only
 * when monitoring only was chosen explicitly (otherwise an error under `ruleId`).
 *
 * @param recommended how the allowed choices are introduced, for example `DmarcPolicy.REJECT`
 * @internal
 */
export function checkDmarcPolicyChoice(scope: IConstruct, prop: string, policy: DmarcPolicy, ruleId: string,
  monitoringOnly: boolean, recommended = 'DmarcPolicy.REJECT'): DmarcPolicy {
  if (!Object.values(DmarcPolicy).includes(policy)) {
    throw invalidInput(scope, DMARC_RULES.policyValue.id, policy, `DmarcPolicy.REJECT, DmarcPolicy.QUARANTINE or DmarcPolicy.NONE for ${prop}`);
  }
  if (policy === DmarcPolicy.NONE && !monitoringOnly) {
    throw invalidInput(scope, ruleId, policy,
      `${recommended} or DmarcPolicy.QUARANTINE for ${prop}; DmarcPolicy.NONE (monitoring only) only with allowMonitoringOnly: true`);
  }
  return policy;
}

/**
 * A DMARC alignment prop (`adkim` or `aspf`), checked; the allowed values are named with the
 * construct's default first.
 * @internal
 */
export function checkDmarcAlignmentChoice(scope: IConstruct, prop: string, alignment: DmarcAlignment, byDefault: DmarcAlignment): DmarcAlignment {
  if (!Object.values(DmarcAlignment).includes(alignment)) {
    const name = (a: DmarcAlignment) => (a === DmarcAlignment.STRICT ? 'DmarcAlignment.STRICT' : 'DmarcAlignment.RELAXED');
    const other = byDefault === DmarcAlignment.STRICT ? DmarcAlignment.RELAXED : DmarcAlignment.STRICT;
    throw invalidInput(scope, DMARC_RULES.alignmentValue.id, alignment, `${name(byDefault)} or ${name(other)} for ${prop}`);
  }
  return alignment;
}

/**
 * DMARC failure reporting options (`fo`), checked: one or more of `0`, `1`, `d` and `s`.
 * @internal
 */
export function checkDmarcFailureOptions(scope: IConstruct, options: string[]): string[] {
  if (options.length === 0 || options.some((o) => !FAILURE_OPTIONS.includes(o))) {
    throw invalidInput(scope, DMARC_RULES.failureOptionsValue.id, options,
      'one or more of "0", "1", "d" and "s", for example ["1"] or ["d", "s"]');
  }
  return options;
}
