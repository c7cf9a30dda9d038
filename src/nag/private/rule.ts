/**
 * The GovEmailChecks rules: one per rule id of the rule catalogue, generated from it, each a
 * function of a CfnResource named `GovEmail-<rule id>` as cdk-nag names a pack's rules. The rule
 * ids are the catalogue's (src/standard, src/records), so the pack, the constructs and the CLI
 * report the same id for the same problem, and a rule the catalogue gains is a pack rule too.
 */
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { PlacedFinding, isReported } from './analysis';
import { ruleNameFor } from './report';
import { ASSEMBLY_RULES } from '../../assembly/domains';
import { RuleDefinition } from '../../records/finding';
import { RuleCatalogue } from '../../standard/rule-catalogue';

/**
 * A GovEmailChecks rule: NON_COMPLIANT when an error or warning of its rule id is placed on the
 * resource, COMPLIANT when none is, NOT_APPLICABLE for a resource the pack does not read. Info
 * findings are never reported.
 */
export interface GovEmailRule {
  (node: CfnResource): NagRuleCompliance;
  /** The catalogue rule id, e.g. `GOVUK-DMARC-POLICY`. */
  readonly ruleId: string;
  /** The rule's name, which is also its id in reports and acknowledgements: `GovEmail-<rule id>`. */
  readonly ruleName: string;
  /** The catalogue's definition: summary, source and severity. */
  readonly definition: RuleDefinition;
}

/** Where a rule reads the findings placed on a resource (one validation's analysis). */
export interface PlacedFindings {
  /** The findings placed on the resource; undefined when the pack does not read its type. */
  findingsOn(node: CfnResource): PlacedFinding[] | undefined;
}

/**
 * The rule definitions the pack has a rule for: every rule of the catalogue (with the plan
 * reader's own, which the catalogue also lists), each id once, in catalogue order.
 */
export function packRuleDefinitions(): RuleDefinition[] {
  const byId = new Map<string, RuleDefinition>();
  for (const r of [...RuleCatalogue.all(), ...Object.values(ASSEMBLY_RULES)]) {
    if (!byId.has(r.id)) byId.set(r.id, r);
  }
  return [...byId.values()];
}

/** One rule per catalogue rule id, each reading the findings `placed` gives. */
export function packRules(placed: PlacedFindings): GovEmailRule[] {
  return packRuleDefinitions().map((definition) => defineRule(definition, placed));
}

/** The rule for one catalogue rule: it reports the findings of that rule id placed on a resource. */
export function defineRule(definition: RuleDefinition, placed: PlacedFindings): GovEmailRule {
  const id = definition.id;
  const rule = (node: CfnResource): NagRuleCompliance => {
    const found = placed.findingsOn(node);
    if (found === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return found.some((p) => p.finding.ruleId === id && isReported(p.finding)) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  };
  const ruleName = ruleNameFor(id);
  Object.defineProperty(rule, 'name', { value: ruleName });
  return Object.assign(rule, { ruleId: id, ruleName, definition });
}
