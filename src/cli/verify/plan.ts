/**
 * What the cloud assembly says should be there, for the stacks or domains `gov-email verify`
 * was asked about: per email domain, the record sets to find in Route 53 and the SES identities
 * to find in SES, read with the same assembly reader `gov-email review` uses.
 */
import { AssemblyStack, CloudAssembly } from '../../assembly/cloud-assembly';
import { domainsFromAssembly } from '../../assembly/domains';
import { DnsRecord, SesIdentity } from '../../assembly/resources';
import { UsageError } from '../options';

/** An SES identity to look up. */
export interface PlannedIdentity {
  /** The identity: a domain or an email address. */
  readonly name: string;
  /** What the assembly declares, when verifying against one. */
  readonly declared?: SesIdentity;
  /** The region of the stack that declares it, when the assembly says. */
  readonly stackRegion?: string;
}

/** One email domain to verify. */
export interface VerifyTarget {
  readonly domain: string;
  /** True when the domain's name is only known at deployment (nothing can be looked up). */
  readonly nameUnresolved: boolean;
  /** The record sets the selected stacks publish for it. */
  readonly records: DnsRecord[];
  readonly identities: PlannedIdentity[];
}

/** Everything to verify. */
export interface VerifyPlan {
  readonly targets: VerifyTarget[];
  /** `name|type|setIdentifier` of every record set the whole assembly publishes, selected or not. */
  readonly managedKeys: Set<string>;
  /** The regions of the selected stacks, in assembly order. */
  readonly regions: string[];
}

/** The key of a record set: name, type and set identifier. */
export function recordKey(name: string, type: string, setIdentifier?: string): string {
  return `${name}|${type}|${setIdentifier ?? ''}`;
}

/**
 * The domains, records and identities to verify, from a cloud assembly.
 *
 * @param stacks `--stack` values: a stack's display name (`Dept`, `Prod/Mail`) or artifact id; a
 * stack's nested stacks come with it, and a stage's name selects the stage's stacks
 * @param domains `--domain` values; with stacks, only these domains of those stacks
 * @throws UsageError when a stack or domain is not in the assembly, or nothing is left to verify
 */
export function planFromAssembly(assembly: CloudAssembly, stacks: string[], domains: string[]): VerifyPlan {
  const selected = selectStacks(assembly, stacks);
  const all = domainsFromAssembly(assembly);
  const inScope = (origin: { stack: string }) => selected === undefined || selected.has(origin.stack);
  const regionOf = (stackName: string) => assembly.stacks.find((s) => s.name === stackName)?.environment?.region;

  const managedKeys = new Set(all.flatMap((d) => d.records).filter((r) => !r.nameUnresolved).map((r) => recordKey(r.name, r.type, r.setIdentifier)));
  let targets: VerifyTarget[] = all.map((d) => ({
    domain: d.domain,
    nameUnresolved: d.nameUnresolved,
    records: d.records.filter((r) => inScope(r.origin)),
    identities: d.sesIdentities.filter((i) => inScope(i.origin)).map((i) => withoutUndefined({
      name: i.identity, declared: i, stackRegion: regionOf(i.origin.stack),
    })),
  })).filter((t) => t.records.length > 0 || t.identities.length > 0);

  if (domains.length > 0) {
    const missing = domains.filter((w) => !targets.some((t) => t.domain === w));
    if (missing.length > 0) {
      const scope = selected === undefined ? assembly.directory : `the stack${stacks.length === 1 ? '' : 's'} ${stacks.join(', ')} of ${assembly.directory}`;
      const known = targets.length === 0 ? 'none' : targets.map((t) => t.domain).join(', ');
      throw new UsageError(`${scope} publishes no records and declares no SES identity for ${missing.join(', ')} (its email domains: ${known}).`);
    }
    targets = targets.filter((t) => domains.includes(t.domain));
  }
  if (targets.length === 0) {
    const scope = selected === undefined ? assembly.directory : `the stack${stacks.length === 1 ? '' : 's'} ${stacks.join(', ')}`;
    throw new UsageError(`${scope} publishes no email records and declares no SES identity: nothing to verify.`);
  }
  const chosen = selected === undefined ? assembly.stacks : assembly.stacks.filter((s) => selected.has(s.name));
  const regions = [...new Set(chosen.map((s) => s.environment?.region).filter((r): r is string => r !== undefined))];
  return { targets, managedKeys, regions };
}

/** Without a cloud assembly: the domains as SES identities, with no records to compare. */
export function planWithoutAssembly(domains: string[]): VerifyPlan {
  return {
    targets: domains.map((domain) => ({ domain, nameUnresolved: false, records: [], identities: [{ name: domain }] })),
    managedKeys: new Set(),
    regions: [],
  };
}

/** The names of the selected stacks and their nested stacks; undefined when no --stack was given. */
function selectStacks(assembly: CloudAssembly, names: string[]): Set<string> | undefined {
  if (names.length === 0) return undefined;
  const selected = new Set<string>();
  const unknown: string[] = [];
  for (const wanted of names) {
    const matches = assembly.stacks.filter((s) => s.name === wanted || s.artifactId === wanted || s.name.startsWith(`${wanted}/`));
    if (matches.length === 0) unknown.push(wanted);
    for (const s of matches) selected.add(s.name);
  }
  if (unknown.length > 0) {
    const known = topLevel(assembly.stacks).map((s) => s.name);
    throw new UsageError(`${assembly.directory} has no stack ${unknown.join(', ')} (its stacks: ${known.length === 0 ? 'none' : known.join(', ')}).`);
  }
  // Nested stacks of a stack selected by artifact id have its display name as their prefix.
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of assembly.stacks) {
      if (s.parent !== undefined && selected.has(s.parent.stack) && !selected.has(s.name)) {
        selected.add(s.name);
        grew = true;
      }
    }
  }
  return selected;
}

function topLevel(stacks: AssemblyStack[]): AssemblyStack[] {
  return stacks.filter((s) => s.parent === undefined);
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
