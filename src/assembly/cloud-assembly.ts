/**
 * Reads a cloud assembly (the folder `cdk synth` writes, `cdk.out` by default) as plain JSON:
 * its stacks, the stacks of nested assemblies (stages), and nested stacks whose templates are
 * in the assembly. No aws-cdk-lib import.
 */
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CfnResource, CfnTemplate, StackEnvironment, StackScope } from './template';

/** Why a cloud assembly could not be read. */
export type CloudAssemblyErrorReason =
  | 'no-such-folder'
  | 'not-a-folder'
  | 'not-a-cloud-assembly'
  | 'unreadable-file'
  | 'malformed-json'
  | 'invalid-manifest'
  | 'invalid-template'
  | 'missing-template'
  | 'path-outside-assembly';

/** A cloud assembly that could not be read: the reason, the file concerned and a message for people. */
export class CloudAssemblyError extends Error {
  constructor(
    /** What went wrong, for programs. */
    public readonly reason: CloudAssemblyErrorReason,
    /** The folder or file concerned. */
    public readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'CloudAssemblyError';
  }
}

/** A stack of a cloud assembly, with its template. */
export interface AssemblyStack extends StackScope {
  /** The template file, as a path joined to the folder given to `readCloudAssembly`. */
  readonly templateFile: string;
  /** The artifact id in manifest.json (top-level and stage stacks; not nested stacks). */
  readonly artifactId?: string;
}

/** What `readCloudAssembly` read. */
export interface CloudAssembly {
  /** The folder, as given. */
  readonly directory: string;
  /** Every stack: top-level, stage (nested assembly) and nested stacks, in manifest order. */
  readonly stacks: AssemblyStack[];
  /** Things the reader could not follow, e.g. a nested stack whose template is not in the assembly. */
  readonly warnings: string[];
}

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
const ASSET_MANIFEST_ARTIFACT = 'cdk:asset-manifest';
const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

/**
 * Where the files a manifest or template names may be: paths are joined to the folder they are
 * relative to, and a path that leaves the folder, by `..` or through a symbolic link, is refused.
 */
interface Boundary {
  /** The folder as given, for messages. */
  readonly given: string;
  /** The folder, resolved: paths are joined under it before links are followed. */
  readonly lexical: string;
  /** The folder with its symbolic links followed. */
  readonly real: string;
}

function boundaryOf(folder: string): Boundary {
  const lexical = resolve(folder);
  return { given: folder, lexical, real: existsSync(lexical) ? realpathSync(lexical) : lexical };
}

/**
 * `path` (the folder `base` joined with `named`, as `namedBy` names it), when it is inside the
 * boundary's folder, both as written and with symbolic links followed.
 *
 * @throws CloudAssemblyError (`path-outside-assembly`) when it is not
 */
function inside(boundary: Boundary, base: string, named: string, namedBy: string): string {
  const path = join(base, named);
  const lexical = resolve(path);
  const leaves = !isWithin(boundary.lexical, lexical) || (existsSync(lexical) && !isWithin(boundary.real, realpathSync(lexical)));
  if (leaves) {
    throw new CloudAssemblyError('path-outside-assembly', path,
      `${namedBy} names ${JSON.stringify(named)}, which leads outside the folder ${boundary.given}; only files inside it are read.`);
  }
  return path;
}

function isWithin(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Read a cloud assembly: every stack in `manifest.json` with its template, the stacks of
 * nested assemblies (`cdk:cloud-assembly` artifacts, one per CDK stage), and nested stacks
 * (`AWS::CloudFormation::Stack` resources) whose template the assembly holds.
 *
 * @param dir the cloud assembly folder, e.g. `cdk.out`
 * @throws CloudAssemblyError when the folder is missing, is not a cloud assembly, or holds a
 * file that is not valid JSON or a template the manifest names but that does not exist, or when
 * a manifest or template names a file outside the folder (by `..`, or through a symbolic link)
 */
export function readCloudAssembly(dir: string): CloudAssembly {
  const absolute = resolve(dir);
  if (!existsSync(absolute)) {
    throw new CloudAssemblyError('no-such-folder', dir,
      `No such folder: ${dir}. Give the cloud assembly folder \`cdk synth\` writes (by default ./cdk.out).`);
  }
  if (!statSync(absolute).isDirectory()) {
    throw new CloudAssemblyError('not-a-folder', dir,
      `${dir} is a file, not a folder. Give the cloud assembly folder \`cdk synth\` writes (by default ./cdk.out).`);
  }
  const stacks: AssemblyStack[] = [];
  const warnings: string[] = [];
  readAssemblyFolder(dir, boundaryOf(dir), stacks, warnings, new Set());
  return { directory: dir, stacks, warnings };
}

/**
 * Read CloudFormation template files without their manifest, as a policy-validation plugin gets
 * them (`context.templatePaths`). A stack is named by its file (`Dept.template.json` → `Dept`);
 * a nested stack whose parent names its file (by `aws:asset:path` metadata, or by the asset
 * manifest beside it) is linked to its parent, so parameters the parent passes resolve.
 *
 * @param files the template files
 * @throws CloudAssemblyError when a file cannot be read or is not a template, or when a template
 * names a nested stack's template outside its own folder
 */
export function readTemplateFiles(files: string[]): AssemblyStack[] {
  const read = files.map((file) => ({ file, template: readTemplate(file) }));
  const parentOf = new Map<string, { parent: string; logicalId: string }>();
  for (const { file, template } of read) {
    const dir = dirname(file);
    const boundary = boundaryOf(dir);
    const assetManifests = existsSync(dir)
      ? readdirSync(dir).filter((f) => f.endsWith('.assets.json')).map((f) => inside(boundary, dir, f, `The folder of ${file}`))
      : [];
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource?.Type !== NESTED_STACK_TYPE) continue;
      const child = nestedTemplateFile(resource, file, dir, boundary, assetManifests);
      const match = child === undefined ? undefined : read.find((r) => resolve(r.file) === resolve(child));
      if (match !== undefined) parentOf.set(match.file, { parent: file, logicalId });
    }
  }
  const nameOf = (file: string, depth: number = 0): string => {
    const p = parentOf.get(file);
    return p === undefined || depth > 16 ? basename(file).replace(/(\.nested)?\.template\.json$/, '') : `${nameOf(p.parent, depth + 1)}/${p.logicalId}`;
  };
  return read.map(({ file, template }) => {
    const p = parentOf.get(file);
    const stack: AssemblyStack = { name: nameOf(file), templateFile: file, template };
    return p === undefined ? stack : { ...stack, parent: { stack: nameOf(p.parent), logicalId: p.logicalId } };
  });
}

function readAssemblyFolder(dir: string, boundary: Boundary, stacks: AssemblyStack[], warnings: string[], seen: Set<string>): void {
  const key = existsSync(dir) ? realpathSync(dir) : resolve(dir);
  if (seen.has(key)) return;
  seen.add(key);
  const manifestFile = inside(boundary, dir, 'manifest.json', `The cloud assembly folder ${dir}`);
  if (!existsSync(manifestFile)) {
    throw new CloudAssemblyError('not-a-cloud-assembly', dir,
      `${dir} is not a cloud assembly: it has no manifest.json. Run \`cdk synth\` and give the folder it writes (by default ./cdk.out).`);
  }
  const manifest = readJson(manifestFile);
  if (!isObject(manifest) || (manifest.artifacts !== undefined && !isObject(manifest.artifacts))) {
    throw new CloudAssemblyError('invalid-manifest', manifestFile, `${manifestFile} is not a cloud assembly manifest: "artifacts" is not an object.`);
  }
  const artifacts = (manifest.artifacts ?? {}) as Record<string, Record<string, unknown>>;
  const assetManifests = Object.values(artifacts)
    .filter((a) => isObject(a) && a.type === ASSET_MANIFEST_ARTIFACT)
    .map((a) => (a.properties as Record<string, unknown> | undefined)?.file)
    .filter((f): f is string => typeof f === 'string')
    .map((f) => inside(boundary, dir, f, manifestFile));

  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isObject(artifact)) continue;
    const properties = (artifact.properties ?? {}) as Record<string, unknown>;
    if (artifact.type === NESTED_ASSEMBLY_ARTIFACT) {
      if (typeof properties.directoryName !== 'string') {
        throw new CloudAssemblyError('invalid-manifest', manifestFile, `${manifestFile}: the nested cloud assembly "${id}" has no properties.directoryName.`);
      }
      readAssemblyFolder(inside(boundary, dir, properties.directoryName, manifestFile), boundary, stacks, warnings, seen);
      continue;
    }
    if (artifact.type !== STACK_ARTIFACT) continue;
    if (typeof properties.templateFile !== 'string') {
      throw new CloudAssemblyError('invalid-manifest', manifestFile, `${manifestFile}: the stack "${id}" has no properties.templateFile.`);
    }
    const templateFile = inside(boundary, dir, properties.templateFile, manifestFile);
    const name = typeof artifact.displayName === 'string' ? artifact.displayName : id;
    if (!existsSync(templateFile)) {
      throw new CloudAssemblyError('missing-template', templateFile,
        `${manifestFile} names the template ${properties.templateFile} for the stack ${name}, but ${templateFile} does not exist. Run \`cdk synth\` again.`);
    }
    const stack: AssemblyStack = {
      name,
      artifactId: id,
      templateFile,
      template: readTemplate(templateFile),
      environment: parseEnvironment(artifact.environment),
    };
    stacks.push(stack);
    addNestedStacks(stack, dir, boundary, assetManifests, stacks, warnings);
  }
}

/** Nested stacks: the template is named by `aws:asset:path` metadata, or found in an asset manifest by the hash in its TemplateURL. */
function addNestedStacks(parent: AssemblyStack, dir: string, boundary: Boundary, assetManifests: string[],
  stacks: AssemblyStack[], warnings: string[]): void {
  for (const [logicalId, resource] of Object.entries(parent.template.Resources ?? {})) {
    if (resource?.Type !== NESTED_STACK_TYPE) continue;
    const file = nestedTemplateFile(resource, parent.templateFile, dir, boundary, assetManifests);
    if (file === undefined) {
      warnings.push(`${parent.name}: the template of the nested stack ${logicalId} is not in the cloud assembly, so its records are not reviewed.`);
      continue;
    }
    if (!existsSync(file)) {
      throw new CloudAssemblyError('missing-template', file,
        `${parent.templateFile}: the nested stack ${logicalId} names the template ${file}, which does not exist. Run \`cdk synth\` again.`);
    }
    const nested: AssemblyStack = {
      name: `${parent.name}/${logicalId}`,
      templateFile: file,
      template: readTemplate(file),
      environment: parent.environment,
      parent: { stack: parent.name, logicalId },
    };
    stacks.push(nested);
    addNestedStacks(nested, dir, boundary, assetManifests, stacks, warnings);
  }
}

/** A nested stack's template file: by `aws:asset:path` metadata in `templateFile`, else by the hash in its TemplateURL. */
function nestedTemplateFile(resource: CfnResource, templateFile: string, dir: string, boundary: Boundary,
  assetManifests: string[]): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return inside(boundary, dir, assetPath, templateFile);
  return templateFromAssetManifests(JSON.stringify(resource.Properties?.TemplateURL ?? ''), dir, boundary, assetManifests);
}

function templateFromAssetManifests(templateUrl: string, dir: string, boundary: Boundary, assetManifests: string[]): string | undefined {
  for (const manifestFile of assetManifests) {
    if (!existsSync(manifestFile)) continue;
    const manifest = readJson(manifestFile);
    const files = isObject(manifest) && isObject(manifest.files) ? manifest.files as Record<string, Record<string, unknown>> : {};
    for (const [hash, asset] of Object.entries(files)) {
      const source = isObject(asset) ? asset.source as Record<string, unknown> | undefined : undefined;
      if (typeof source?.path === 'string' && templateUrl.includes(hash)) {
        return inside(boundary, dir, source.path, manifestFile);
      }
    }
  }
  return undefined;
}

function readTemplate(file: string): CfnTemplate {
  const template = readJson(file);
  if (!isObject(template) || (template.Resources !== undefined && !isObject(template.Resources))) {
    throw new CloudAssemblyError('invalid-template', file, `${file} is not a CloudFormation template: "Resources" is not an object.`);
  }
  return template as CfnTemplate;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CloudAssemblyError('unreadable-file', file, `Cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CloudAssemblyError('malformed-json', file, `${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** `aws://123456789012/eu-west-2`; `unknown-account` / `unknown-region` for environment-agnostic stacks. */
function parseEnvironment(text: unknown): StackEnvironment | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(text);
  if (!m) return undefined;
  const env: { account?: string; region?: string } = {};
  if (m[1] !== 'unknown-account') env.account = m[1];
  if (m[2] !== 'unknown-region') env.region = m[2];
  return env;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
