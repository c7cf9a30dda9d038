/**
 * The pack's view of a CDK app: every stack of a stage rendered to a template the way synthesis
 * renders it (each CfnElement's `_toCloudFormation()`, resolved by its stack), analysed once per
 * stage, and each placed finding mapped back to its CfnResource.
 *
 * A stage (the app itself, or each `Stage` in it) is one deployment: its stacks are analysed
 * together, so a domain's records may be spread over several of them; two stages are two
 * separate plans, as two cloud assemblies are.
 */
import { CfnElement, CfnResource, NestedStack, Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AnalysisOptions, EMAIL_RESOURCE_TYPES, PlacedFinding, analyseStacks, resourceKey } from './analysis';
import { CfnTemplate, StackEnvironment, StackScope } from '../../assembly/template';

/** The findings placed on each CfnResource of one stage. */
interface StageAnalysis {
  readonly byResource: Map<CfnResource, PlacedFinding[]>;
}

/** True for the resource types the pack reads. */
export function isEmailResource(node: CfnResource): boolean {
  return EMAIL_RESOURCE_TYPES.has(node.cfnResourceType);
}

/**
 * One reading of a construct tree: each stage is analysed the first time one of its resources
 * is asked about, and remembered for the life of this object. The pack makes one per validation,
 * so a tree changed since an earlier validation is read again, and two packs (or two runs with
 * different options) never share an analysis.
 */
export class AppAnalysis {
  private readonly stages = new WeakMap<IConstruct, StageAnalysis>();

  /** @param options how the templates are evaluated (by default, the catalogue's SPF include costs) */
  constructor(private readonly options: AnalysisOptions = { spfIncludeCosts: [] }) {}

  /**
   * The findings placed on a resource, across its whole stage; undefined when the resource is not
   * of a type the pack reads (its rules are then not applicable).
   */
  public findingsOn(node: CfnResource): PlacedFinding[] | undefined {
    if (!isEmailResource(node)) return undefined;
    const scope = Stage.of(node) ?? node.node.root;
    let analysis = this.stages.get(scope);
    if (analysis === undefined) {
      analysis = analyseStage(scope, this.options);
      this.stages.set(scope, analysis);
    }
    return analysis.byResource.get(node) ?? [];
  }
}

function analyseStage(stage: IConstruct, options: AnalysisOptions): StageAnalysis {
  const elements = new Map<Stack, CfnElement[]>();
  collectElements(stage, stage, elements);

  const scopes: StackScope[] = [];
  const nodes = new Map<string, CfnResource>();
  for (const [stack, list] of elements) {
    const name = stackName(stack);
    const template: Record<string, Record<string, unknown>> = {};
    for (const element of list) {
      let rendered: Record<string, Record<string, unknown>>;
      try {
        rendered = stack.resolve((element as unknown as { _toCloudFormation(): object })._toCloudFormation());
      } catch {
        // Synthesis reports an element that cannot be rendered; the pack reads the rest.
        continue;
      }
      for (const [section, entries] of Object.entries(rendered ?? {})) {
        if (entries !== null && typeof entries === 'object') template[section] = { ...template[section], ...entries };
      }
      if (CfnResource.isCfnResource(element)) nodes.set(resourceKey({ stack: name, logicalId: stack.resolve(element.logicalId) }), element);
    }
    scopes.push(withoutUndefined({ name, template: template as CfnTemplate, environment: environmentOf(stack), parent: parentOf(stack) }));
  }

  const byResource = new Map<CfnResource, PlacedFinding[]>();
  for (const placed of analyseStacks(scopes, options)) {
    const node = nodes.get(resourceKey(placed.origin));
    if (node === undefined) continue;
    byResource.set(node, [...(byResource.get(node) ?? []), placed]);
  }
  return { byResource };
}

/** Every CfnElement of the stage, by the stack (or nested stack) that renders it; nested stages are left to their own analysis. */
function collectElements(stage: IConstruct, node: IConstruct, out: Map<Stack, CfnElement[]>): void {
  for (const child of node.node.children) {
    if (Stage.isStage(child) && child !== stage) continue;
    if (CfnElement.isCfnElement(child)) {
      const stack = child.stack;
      out.set(stack, [...(out.get(stack) ?? []), child]);
    }
    collectElements(stage, child, out);
  }
}

/** The stack's construct path, unique in the app (e.g. `Dept`, `Prod/Mail`, `Prod/Mail/Records`). */
function stackName(stack: Stack): string {
  return stack.node.path || stack.stackName;
}

function environmentOf(stack: Stack): StackEnvironment | undefined {
  const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  return account === undefined && region === undefined ? undefined : withoutUndefined({ account, region });
}

/** A nested stack's parent and the logical id of its AWS::CloudFormation::Stack, so the parameters it is passed resolve. */
function parentOf(stack: Stack): StackScope['parent'] {
  if (!NestedStack.isNestedStack(stack)) return undefined;
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  if (parent === undefined || resource === undefined) return undefined;
  return { stack: stackName(parent), logicalId: parent.resolve(resource.logicalId) };
}

function withoutUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as Array<keyof T>) {
    if (obj[key] === undefined) delete obj[key];
  }
  return obj;
}
