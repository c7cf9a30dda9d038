/**
 * How a GovEmailChecks rule is made: a pure function of a CfnResource, named from its file as
 * cdk-nag names its rules, that reports the profile's findings with the rule's ids placed on
 * that resource. The rule ids are the profile's (src/standard, src/records), so the pack, the
 * constructs and the CLI report the same id for the same problem.
 */
import { parse } from 'node:path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { isReported } from './analysis';
import { findingsOn } from './app-analysis';
import { RuleDefinition } from '../../records/finding';

/**
 * A GovEmailChecks rule: returns the profile rule ids of the errors and warnings placed on the
 * resource (cdk-nag's "findings" form), COMPLIANT when there are none, NOT_APPLICABLE for a
 * resource the pack does not read. Info findings are never reported.
 */
export type GovEmailRule = ((node: CfnResource) => NagRuleCompliance | string[]) & {
  /** The profile rule ids this rule reports (empty for the rule that reports every id no other rule claims). */
  readonly ruleIds: readonly string[];
};

/** Which rule reports each profile rule id. */
const CLAIMED = new Map<string, string>();
let catchAll: string | undefined;

/**
 * Define the rule of one file: it reports the findings of these profile rules.
 *
 * @param file the rule's file (`__filename`): the rule is named after it
 * @param rules the profile rules it reports; each is reported by exactly one rule
 */
export function defineRule(file: string, rules: RuleDefinition[]): GovEmailRule {
  const name = parse(file).name;
  const ids = rules.map((r) => r.id);
  for (const id of ids) {
    const owner = CLAIMED.get(id);
    if (owner !== undefined && owner !== name) {
      throw new Error(`GovEmailChecks: the rule id ${id} is reported by both ${owner} and ${name}.`);
    }
    CLAIMED.set(id, name);
  }
  const wanted = new Set(ids);
  return named(name, ids, (id) => wanted.has(id));
}

/**
 * Define the rule that reports the findings no other rule claims, so a rule the profile adds is
 * reported (under its own id) before a rule file is written for it, never dropped.
 */
export function defineCatchAllRule(file: string): GovEmailRule {
  const name = parse(file).name;
  catchAll = name;
  return named(name, [], (id) => !CLAIMED.has(id));
}

/** The name of the rule that reports a profile rule id. */
export function ruleNameFor(id: string): string {
  return CLAIMED.get(id) ?? catchAll ?? 'GovEmailFinding';
}

function named(name: string, ids: string[], reports: (id: string) => boolean): GovEmailRule {
  const rule = (node: CfnResource): NagRuleCompliance | string[] => {
    const placed = findingsOn(node);
    if (placed === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const found = [...new Set(placed.filter((p) => isReported(p.finding) && reports(p.finding.ruleId)).map((p) => p.finding.ruleId))];
    return found.length === 0 ? NagRuleCompliance.COMPLIANT : found;
  };
  Object.defineProperty(rule, 'name', { value: name });
  return Object.assign(rule, { ruleIds: Object.freeze([...ids]) });
}
