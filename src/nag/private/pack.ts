/**
 * The cdk-nag pack behind `GovEmailChecks`. It is loaded only when a `GovEmailChecks` is made,
 * so the library loads without cdk-nag (an optional peer dependency) installed.
 */
import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation, Stage, Validations } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AnalysisOptions, PlacedFinding } from './analysis';
import { AppAnalysis, isEmailResource } from './app-analysis';
import { hitsFromTemplates } from './assembly-analysis';
import { ANNOTATION_ID_PREFIX, Hit, PACK_NAME, explanationOf, hitsOn, messagesOf, violationsOf } from './report';
import { GovEmailRule, packRules } from './rule';
import { Severity } from '../../records/finding';
import type { GovEmailChecksProps } from '../gov-email-checks';

/** One validation of a construct tree: its analysis (read once per stage) and the rules reading it. */
interface ValidationRun {
  readonly analysis: AppAnalysis;
  readonly rules: GovEmailRule[];
  readonly ruleIds: ReadonlySet<string>;
}

/** The NagPack `GovEmailChecks` delegates to: see its documentation. */
export class GovEmailNagPack extends NagPack {
  /** The plugin's name in validation reports. */
  public readonly name: string = PACK_NAME;

  private readonly scope?: IConstruct;
  private readonly options: AnalysisOptions;
  private readonly verboseReport: boolean;
  private readonly failOnWarnings: boolean;
  private hits: Hit[] = [];
  /** The validation under way, if any: analyses live as long as one validation, never longer. */
  private run?: ValidationRun;

  /**
   * @param scope the app (or stage) the pack is added to. Needed only when aws-cdk-lib does not
   * give plugins the construct tree: with it the pack checks the construct tree, without it the
   * synthesised templates (construct paths and acknowledgements are then read from the cloud
   * assembly's metadata).
   * @param props options
   */
  constructor(scope?: IConstruct, props: GovEmailChecksProps = {}) {
    super(scope, props);
    this.packName = PACK_NAME;
    this.scope = scope;
    this.verboseReport = props.verbose ?? false;
    this.failOnWarnings = props.failOnWarnings ?? false;
    // The reader adds the sender catalogue's costs for the includes these do not name.
    this.options = { spfIncludeCosts: props.spfIncludeCosts ?? [] };
  }

  /**
   * Called by the CDK validation framework at synthesis. Given its scope, the pack checks the
   * construct tree of that scope's stage. Without it, the templates the framework gives (those
   * of the stage the plugin was added to, with their logical ids and locations); only when it
   * gives none but gives the construct tree (`appConstruct`, in newer aws-cdk-lib versions) is
   * the whole tree checked.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const own = stageOf(this.scope);
    if (own !== undefined) return this.validateScope(own);
    if (context.templatePaths.length > 0) return this.report(hitsFromTemplates(context.templatePaths, this.options), []);
    const tree = (context as { readonly appConstruct?: IConstruct }).appConstruct;
    return tree === undefined ? this.report([], []) : this.validateScope(tree);
  }

  /**
   * Check a construct tree directly (in tests, or where the validation framework cannot give
   * the tree). Every stage under `scope` is analysed as a whole, so records spread over several
   * stacks are evaluated together.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    const analysis = new AppAnalysis(this.options);
    const rules = packRules(analysis);
    this.run = { analysis, rules, ruleIds: new Set(rules.map((r) => r.ruleId)) };
    this.hits = [];
    try {
      const base = super.validateScope(scope);
      // cdk-nag reports each (rule, resource) it was not told to ignore: keep those of our hits.
      const kept = new Set(base.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName}|${r.constructPath}`)));
      const hits = this.hits.filter((h) => kept.has(`${h.ruleName}|${h.resource.constructPath}`));
      const ours = new Set(this.hits.map((h) => h.ruleName));
      return this.report(hits, base.violations.filter((v) => !ours.has(v.ruleName)));
    } finally {
      this.run = undefined;
    }
  }

  /**
   * Apply every rule to one resource through cdk-nag's `applyRule`, so acknowledgements work as
   * for any cdk-nag pack: each rule whose rule id has an error or warning placed on the resource
   * is reported as `GovEmail-<rule id>` at the findings' level, with their messages.
   */
  protected checkResource(node: CfnResource): void {
    const run = this.run;
    if (run === undefined || !isEmailResource(node)) return;
    const acknowledged = acknowledgedIds(node);
    let evaluated = true;
    for (const rule of run.rules) {
      let result: NagRuleCompliance;
      try {
        result = rule(node);
      } catch (err) {
        evaluated = false;
        // Reported by cdk-nag as the rule having thrown, under the rule's own name.
        this.applyRule({
          ruleSuffixOverride: rule.ruleId,
          info: `The ${rule.ruleName} rule could not be evaluated.`,
          explanation: 'The pack could not read the email records of this app.',
          level: NagMessageLevel.ERROR,
          node,
          rule: () => {
            throw err;
          },
        });
        continue;
      }
      if (result !== NagRuleCompliance.NON_COMPLIANT) continue;
      this.applyHits(node, rule, (run.analysis.findingsOn(node) ?? []).filter((p) => p.finding.ruleId === rule.ruleId), acknowledged);
    }
    if (!evaluated) return;
    // A finding under an id the catalogue does not list (there is none while every rule the
    // profile uses is catalogued) is still reported, under its own id, never dropped.
    const unclaimed = (run.analysis.findingsOn(node) ?? []).filter((p) => !run.ruleIds.has(p.finding.ruleId));
    this.applyHits(node, undefined, unclaimed, acknowledged);
  }

  /** Report the placed findings as cdk-nag findings of their rule (or, for an uncatalogued id, of that id). */
  private applyHits(node: CfnResource, rule: GovEmailRule | undefined, placed: PlacedFinding[], acknowledged: Set<string>): void {
    for (const hit of hitsOn(placed, { constructPath: node.node.path })) {
      if (acknowledged.has(`${ANNOTATION_ID_PREFIX}${hit.profileRuleId}`)) continue;
      this.hits.push(hit);
      this.applyRule({
        ruleSuffixOverride: hit.profileRuleId,
        info: messagesOf(hit.findings),
        explanation: explanationOf(hit),
        level: hit.level === Severity.ERROR ? NagMessageLevel.ERROR : NagMessageLevel.WARN,
        node,
        rule: rule ?? (() => NagRuleCompliance.NON_COMPLIANT),
      });
    }
  }

  private report(hits: Hit[], others: PolicyViolation[]): PolicyValidationPluginReport {
    const violations = [...violationsOf(hits, this.verboseReport), ...others];
    const success = this.failOnWarnings
      ? violations.length === 0
      : !violations.some((v) => v.severity === 'error' || v.severity === 'fatal');
    return { success, violations };
  }
}

/** The stage a scope is (or is in): the plan the validation framework runs the plugin for. */
function stageOf(scope: IConstruct | undefined): IConstruct | undefined {
  if (scope === undefined) return undefined;
  return Stage.isStage(scope) ? scope : Stage.of(scope) ?? scope.node.root;
}

/** Rule ids acknowledged on a construct or its ancestors, as `Validations.of(scope).acknowledge()` records them. */
function acknowledgedIds(node: IConstruct): Set<string> {
  const out = new Set<string>();
  for (let current: IConstruct | undefined = node; current !== undefined; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || entry.data === null || typeof entry.data !== 'object') continue;
      for (const key of Object.keys(entry.data)) out.add(key.replace(/^annotation::/i, ''));
    }
  }
  return out;
}
