/**
 * The pack's report: one violation per rule (one rule per catalogue rule id), listing every resource it was found on with the
 * place in the template, the findings' own messages as the description, and the rule's
 * summary and source as its metadata.
 */
import { PolicyViolatingResource, PolicyViolation } from 'aws-cdk-lib';
import { PlacedFinding, isReported } from './analysis';
import { ASSEMBLY_RULES } from '../../assembly/domains';
import { RuleDefinition, Severity } from '../../records/finding';
import { RuleCatalogue } from '../../standard/rule-catalogue';

/** The prefix of every rule id the pack reports: `GovEmail-<profile rule id>`. */
export const PACK_NAME = 'GovEmail';

/** The name of the pack's rule for a catalogue rule id, and its id in reports and acknowledgements: `GovEmail-<rule id>`. */
export function ruleNameFor(ruleId: string): string {
  return `${PACK_NAME}-${ruleId}`;
}

/** The id the library's own warning annotations carry, also accepted as an acknowledgement. */
export const ANNOTATION_ID_PREFIX = 'cdk-gov-email:';

/** One rule id found on one resource. */
export interface Hit {
  /** `GovEmail-<profile rule id>`. */
  readonly ruleName: string;
  /** The profile's rule id. */
  readonly profileRuleId: string;
  readonly level: Severity.ERROR | Severity.WARNING;
  readonly findings: PlacedFinding[];
  /** The resource, as the validation report names it (construct path and/or template and logical id). */
  readonly resource: Omit<PolicyViolatingResource, 'locations'>;
}

/**
 * The hits on one resource: its reported findings grouped by rule id, each at the most severe
 * level found. Info findings are not reported.
 */
export function hitsOn(placed: PlacedFinding[], resource: Hit['resource']): Hit[] {
  const byId = new Map<string, PlacedFinding[]>();
  for (const p of placed) {
    if (!isReported(p.finding)) continue;
    byId.set(p.finding.ruleId, [...(byId.get(p.finding.ruleId) ?? []), p]);
  }
  return [...byId].map(([id, findings]) => ({
    ruleName: ruleNameFor(id),
    profileRuleId: id,
    level: findings.some((p) => p.finding.severity === Severity.ERROR) ? Severity.ERROR : Severity.WARNING,
    findings,
    resource,
  }));
}

/** What a hit says: its findings' messages, each once. */
export function messagesOf(findings: PlacedFinding[]): string {
  return [...new Set(findings.map((p) => p.finding.message))].join(' ');
}

/** The rule's summary and source (cdk-nag's "explanation"). */
export function explanationOf(hit: Pick<Hit, 'profileRuleId' | 'findings'>): string {
  const definition = definitionOf(hit.profileRuleId);
  return `${definition?.summary ?? hit.profileRuleId} Source: ${definition?.source ?? hit.findings[0]?.finding.source ?? 'cdk-gov-email'}.`;
}

/** The violations for the hits: one per rule id, its resources in the order found. */
export function violationsOf(hits: Hit[], verbose: boolean): PolicyViolation[] {
  const byRule = new Map<string, Hit[]>();
  for (const h of hits) byRule.set(h.ruleName, [...(byRule.get(h.ruleName) ?? []), h]);
  return [...byRule].map(([ruleName, group]) => {
    const first = group[0];
    const definition = definitionOf(first.profileRuleId);
    const messages = [...new Set(group.flatMap((h) => h.findings.map((p) => p.finding.message)))];
    const description = verbose ? `${messages.join('\n')}\n${explanationOf(first)}` : messages.join('\n');
    const ruleMetadata: Record<string, string> = {
      profileRuleId: first.profileRuleId,
      summary: definition?.summary ?? first.profileRuleId,
      source: definition?.source ?? first.findings[0].finding.source,
    };
    return {
      ruleName,
      description,
      severity: group.some((h) => h.level === Severity.ERROR) ? 'error' : 'warning',
      ruleMetadata,
      violatingResources: group.map((h) => ({
        ...h.resource,
        locations: [...new Set(h.findings.map((p) => p.location))],
      })),
    };
  });
}

function definitionOf(id: string): RuleDefinition | undefined {
  return RuleCatalogue.find(id) ?? Object.values(ASSEMBLY_RULES).find((r) => r.id === id);
}
