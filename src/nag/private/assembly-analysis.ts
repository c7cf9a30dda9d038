/**
 * The pack run on the templates a policy-validation plugin is given (`context.templatePaths`),
 * for CDK versions that do not pass the construct tree to plugins. The templates are read with
 * the cloud assembly reader of src/assembly; construct paths and acknowledgements come from the
 * stacks' metadata in the assembly (`aws:cdk:logicalId`, `aws:cdk:acknowledged-rules`), and from
 * `cdk_nag` resource metadata when the pack writes suppressions to CloudFormation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AnalysisOptions, PlacedFinding, analyseStacks, resourceKey } from './analysis';
import { ANNOTATION_ID_PREFIX, Hit, hitsOn } from './report';
import { AssemblyStack, readCloudAssembly, readTemplateFiles } from '../../assembly/cloud-assembly';

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const LOGICAL_ID = 'aws:cdk:logicalId';
const ACKNOWLEDGED = 'aws:cdk:acknowledged-rules';

interface MetadataEntry {
  readonly type?: string;
  readonly data?: unknown;
}
type StackMetadata = Record<string, MetadataEntry[]>;

/**
 * The pack's hits in the templates, with acknowledgements applied. Each folder of templates is
 * one plan (one stage), analysed on its own.
 */
export function hitsFromTemplates(templatePaths: string[], options: AnalysisOptions): Hit[] {
  const wanted = new Set(templatePaths.map((p) => resolve(p)));
  const byDir = new Map<string, string[]>();
  for (const file of wanted) byDir.set(dirname(file), [...(byDir.get(dirname(file)) ?? []), file]);

  const hits: Hit[] = [];
  for (const [dir, files] of byDir) {
    const metadata = existsSync(join(dir, 'manifest.json')) ? stackMetadata(dir) : new Map<string, StackMetadata>();
    const stacks = stacksOf(dir, files, wanted);
    const placed = analyseStacks(stacks, options);
    const byResource = new Map<string, PlacedFinding[]>();
    for (const p of placed) byResource.set(resourceKey(p.origin), [...(byResource.get(resourceKey(p.origin)) ?? []), p]);

    const paths = new ConstructPaths(stacks, metadata);
    for (const list of byResource.values()) {
      const { stack: name, logicalId } = list[0].origin;
      const stack = stacks.find((s) => s.name === name)!;
      const constructPath = paths.pathOf(stack, logicalId);
      const acknowledged = new Set([...paths.acknowledgedAt(stack, constructPath), ...cfnSuppressions(stack, logicalId)]);
      const resource = { templatePath: stack.templateFile, resourceLogicalId: logicalId, ...(constructPath === undefined ? {} : { constructPath }) };
      hits.push(...hitsOn(list, resource)
        .filter((h) => !acknowledged.has(h.ruleName) && !acknowledged.has(`${ANNOTATION_ID_PREFIX}${h.profileRuleId}`)));
    }
  }
  return hits;
}

/** The folder's stacks among the templates given, with their nested stacks. */
function stacksOf(dir: string, files: string[], wanted: Set<string>): AssemblyStack[] {
  if (!existsSync(join(dir, 'manifest.json'))) return readTemplateFiles(files);
  const all = readCloudAssembly(dir).stacks.filter((s) => dirname(resolve(s.templateFile)) === dir);
  const kept = new Set<string>();
  const keep = (s: AssemblyStack): boolean => {
    if (s.parent === undefined) return wanted.has(resolve(s.templateFile));
    const parent = all.find((p) => p.name === s.parent!.stack);
    return parent !== undefined && keep(parent);
  };
  for (const s of all) if (keep(s)) kept.add(s.name);
  return all.filter((s) => kept.has(s.name));
}

/** The metadata of each stack artifact of a cloud assembly folder, by template file. */
function stackMetadata(dir: string): Map<string, StackMetadata> {
  const out = new Map<string, StackMetadata>();
  const manifest = readJson(join(dir, 'manifest.json')) as { artifacts?: Record<string, Record<string, unknown>> } | undefined;
  for (const artifact of Object.values(manifest?.artifacts ?? {})) {
    const properties = artifact?.properties as Record<string, unknown> | undefined;
    if (artifact?.type !== STACK_ARTIFACT || typeof properties?.templateFile !== 'string') continue;
    const inline = artifact.metadata as StackMetadata | undefined;
    const file = typeof artifact.additionalMetadataFile === 'string' ? readJson(join(dir, artifact.additionalMetadataFile)) as StackMetadata | undefined : undefined;
    out.set(resolve(join(dir, properties.templateFile)), { ...file, ...inline });
  }
  return out;
}

/**
 * Construct paths from logical ids: a stack's metadata lists each resource's path with its
 * logical id. A nested stack's resources are listed in the metadata of its top-level stack,
 * under the nested stack's own path.
 */
class ConstructPaths {
  private readonly prefixes = new Map<string, string>();

  constructor(private readonly stacks: AssemblyStack[], private readonly metadata: Map<string, StackMetadata>) {}

  /** The construct path of a resource, when the assembly's metadata says. */
  public pathOf(stack: AssemblyStack, logicalId: string): string | undefined {
    const prefix = this.prefixOf(stack);
    if (prefix === undefined) return undefined;
    const others = this.stacks.map((s) => this.prefixOf(s)).filter((p): p is string => p !== undefined && p !== prefix && p.startsWith(`${prefix}/`));
    return this.candidates(stack, prefix, logicalId).find((path) => !others.some((o) => path.startsWith(`${o}/`)))?.replace(/^\//, '');
  }

  /** The rule ids acknowledged on a construct or its ancestors (Validations.of(scope).acknowledge). */
  public acknowledgedAt(stack: AssemblyStack, constructPath: string | undefined): string[] {
    const meta = this.metadataOf(stack);
    if (meta === undefined || constructPath === undefined) return [];
    const parts = constructPath.split('/');
    const out: string[] = [];
    for (let i = 1; i <= parts.length; i++) {
      for (const entry of meta[`/${parts.slice(0, i).join('/')}`] ?? []) {
        if (entry.type !== ACKNOWLEDGED || entry.data === null || typeof entry.data !== 'object') continue;
        // aws-cdk-lib writes `annotation::<id>` (or `Annotation::<id>`) for ids without a prefix of their own.
        out.push(...Object.keys(entry.data).map((k) => k.replace(/^annotation::/i, '')));
      }
    }
    return out;
  }

  private metadataOf(stack: AssemblyStack): StackMetadata | undefined {
    return this.metadata.get(resolve(this.topOf(stack).templateFile));
  }

  /** Metadata paths (`/App/Stack/...`) under the prefix whose logical id (in the stack's metadata) is this one. */
  private candidates(stack: AssemblyStack, prefix: string, logicalId: string): string[] {
    const meta = this.metadataOf(stack) ?? {};
    return Object.entries(meta)
      .filter(([path, entries]) => path.startsWith(`${prefix}/`) && entries.some((e) => e.type === LOGICAL_ID && e.data === logicalId))
      .map(([path]) => path);
  }

  private topOf(stack: AssemblyStack, depth: number = 0): AssemblyStack {
    if (stack.parent === undefined || depth > 16) return stack;
    const parent = this.stacks.find((s) => s.name === stack.parent!.stack);
    return parent === undefined ? stack : this.topOf(parent, depth + 1);
  }

  /** `/<stack path>`: a top-level stack's display name is its construct path; a nested stack's is its parent's `<id>.NestedStack/<id>.NestedStackResource` less those parts. */
  private prefixOf(stack: AssemblyStack): string | undefined {
    const known = this.prefixes.get(stack.name);
    if (known !== undefined) return known;
    let prefix: string | undefined;
    if (stack.parent === undefined) {
      prefix = `/${stack.name}`;
    } else {
      const parent = this.stacks.find((s) => s.name === stack.parent!.stack);
      const parentPrefix = parent === undefined ? undefined : this.prefixOf(parent);
      const paths = parent === undefined || parentPrefix === undefined ? [] : this.candidates(parent, parentPrefix, stack.parent.logicalId);
      const m = paths.map((path) => /^(.*)\.NestedStack\/[^/]*\.NestedStackResource$/.exec(path)).find((x) => x !== null);
      prefix = m === undefined || m === null ? undefined : m[1];
    }
    if (prefix !== undefined) this.prefixes.set(stack.name, prefix);
    return prefix;
  }
}

/** Rule ids in the resource's `cdk_nag.rules_to_suppress` CloudFormation metadata (`writeSuppressionsToCloudFormation`). */
function cfnSuppressions(stack: AssemblyStack, logicalId: string): string[] {
  const metadata = stack.template.Resources?.[logicalId]?.Metadata?.cdk_nag as { rules_to_suppress?: Array<{ id?: unknown }> } | undefined;
  const rules = metadata?.rules_to_suppress;
  return Array.isArray(rules) ? rules.map((r) => r?.id).filter((id): id is string => typeof id === 'string') : [];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
