/**
 * What the GovEmailChecks pack finds in a set of CloudFormation templates, and on which resource
 * each finding belongs. CDK-free: the templates come either from the construct tree (each
 * CfnElement resolved) or from the files of a cloud assembly; both go through the one reader in
 * src/assembly and the one evaluator in src/standard, as `gov-email review` does.
 */
import { placeFinding } from './placement';
import { domainsFromResources, evaluateDomain } from '../../assembly/domains';
import { ResourceOrigin, resourcesFromStacks } from '../../assembly/resources';
import { StackScope } from '../../assembly/template';
import { Finding, Severity } from '../../records/finding';
import { SpfIncludeCost } from '../../records/spf';

/** How the templates are evaluated. */
export interface AnalysisOptions {
  /** Lookup costs of SPF include and redirect targets the caller knows; the sender catalogue's are added for the rest. */
  readonly spfIncludeCosts: SpfIncludeCost[];
}

/** A finding of the profile, placed on the resource that holds the offending record. */
export interface PlacedFinding {
  /** The finding; for GOVUK-NOT-EVALUATED, its message also says which value is not known. */
  readonly finding: Finding;
  /** The email domain it is about. */
  readonly domain: string;
  /** The resource: stack and logical id (and, in a record set group, the entry). */
  readonly origin: ResourceOrigin;
  /** Where in the resource, e.g. `Properties/RecordSets/2`. */
  readonly location: string;
}

/** The resource types the pack reads; every other resource is not applicable to its rules. */
export const EMAIL_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::Route53::RecordSet',
  'AWS::Route53::RecordSetGroup',
  'AWS::SES::EmailIdentity',
  'AWS::SES::ConfigurationSet',
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::Function',
]);

/** `<stack>/<logicalId>`: identifies a resource across the templates analysed together. */
export function resourceKey(origin: { readonly stack: string; readonly logicalId: string }): string {
  return `${origin.stack}/${origin.logicalId}`;
}

/**
 * Evaluate every email domain the stacks publish (records merged across resources and stacks)
 * and place each finding on the resource that holds the offending record. Info findings are
 * kept: the pack decides what to report.
 */
export function analyseStacks(stacks: StackScope[], options: AnalysisOptions): PlacedFinding[] {
  const resources = resourcesFromStacks(stacks);
  const out: PlacedFinding[] = [];
  const seen = new Set<string>();
  // The pack's include costs (the caller's, then the catalogue's) are part of every domain's plan.
  for (const domain of domainsFromResources(resources, options.spfIncludeCosts)) {
    const posture = domain.posture;
    for (const f of evaluateDomain(domain)) {
      for (const target of placeFinding(f, { domain, resources, posture })) {
        const finding = target.note === undefined ? f : { ...f, message: `${f.message} ${target.note}` };
        const key = `${resourceKey(target.origin)}|${target.location}|${finding.ruleId}|${finding.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ finding, domain: domain.domain, origin: target.origin, location: target.location });
      }
    }
  }
  return out;
}

/** True for findings the pack reports (errors and warnings; info is not reported). */
export function isReported(f: Finding): boolean {
  return f.severity === Severity.ERROR || f.severity === Severity.WARNING;
}

