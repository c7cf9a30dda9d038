/**
 * The MTA-STS policy host of a DomainPortfolio at the size of an estate: its us-east-1 stacks and
 * their resources, and the time `cdk synth` takes, for portfolios of receiving domains.
 *
 *   estates   100, 1,000 and 3,000 receiving domains, names of about 27 characters
 *             (`eastbrook-water-0123.gov.uk`), each with its own hosted zone and a Microsoft 365
 *             sender with its tenant's MX host (`<domain-dashed>.<10 random>.mx.microsoft`):
 *             100 on one distribution; 1,000 on 10 distributions and 3,000 on 30, the overflow of
 *             the full ones pinned (`mtaSts.distribution`) to those with room, as
 *             test/constructs/portfolio-mta-sts-3000.test.ts does; and 1,000 on 14 and 3,000 on 40
 *             without pins (about 75 a distribution, as the DomainPortfolio docs advise).
 *             `shardCount` is the smallest that fits the domains' own stacks in 400 resources.
 *   resources each estate synthesised once by the app below: per host stack its resources and
 *             template bytes (the file `cdk synth` writes); per receiving domain its resources in its
 *             host stack and in its own stack (read from the `aws:cdk:path` metadata); per
 *             distribution; the number of stacks; the largest against CloudFormation's 500
 *             resources and 1 MB.
 *   time      the whole `node` process running bench/mta-sts-stacks/app.ts (a CDK app as a user
 *             writes it, reading its estate from a file, importing `cdk-gov-email` compiled from
 *             src/ by tsc), with the environment `cdk synth` gives an app (CDK_OUTDIR, a new
 *             temporary folder each run, and CDK_CONTEXT_JSON with path metadata, asset metadata and
 *             version reporting on): 3,000 receiving domains (30 distributions, pinned) against
 *             100, interleaved, ROUNDS rounds, the order alternating from round to round.
 *
 * Results are printed and written into docs/benchmarks.md under
 * "## MTA-STS policy host: stacks and resources".
 *
 *   npx ts-node --project test/tsconfig.json bench/mta-sts-stacks/run.ts [--rounds 3] [--no-write]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ts from 'typescript';
import { DomainPortfolio } from '../../src/constructs/domain-portfolio';
import { ROOT, compileTs, median, runNode, table, writeSection } from '../support';

const COMMAND = 'npx ts-node --project test/tsconfig.json bench/mta-sts-stacks/run.ts';
const HEADING = '## MTA-STS policy host: stacks and resources';
/** The section this one follows in docs/benchmarks.md when it is written the first time. */
const PREVIOUS_HEADING = '## MTA-STS policy host: function size';

const { values } = parseArgs({
  options: {
    'rounds': { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
if (!(ROUNDS >= 1)) throw new Error('--rounds: at least 1');

/** CloudFormation's quotas: resources a stack, and a template's bytes (uploaded through S3, as `cdk deploy` does). */
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1024 * 1024;
/** The portfolio's default `maxResourcesPerStack`, and the default `domainsPerDistribution` of its host. */
const STACK_RESOURCES = DomainPortfolio.DEFAULT_MAX_RESOURCES_PER_STACK;
const DOMAINS_PER_DISTRIBUTION = 100;
/** A receiving domain's resources in its own stack (`GovEmailDomain` with Microsoft 365), for choosing `shardCount`; checked against the templates. */
const OWN_STACK_RESOURCES = 7;

/** What the CDK CLI puts in an app's context (`cdk synth` without options). */
const CLI_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
};

/** A preload that writes the process's CPU time (user and system, all threads, microseconds) to stderr at exit. */
const CPU_REPORTER = 'process.on("exit", () => { const u = process.cpuUsage(); process.stderr.write(`\\nprocess-cpu-us ${u.user + u.system}\\n`); });';

interface EstateConfig {
  readonly key: string;
  readonly count: number;
  readonly distributions: number;
  readonly pinned: boolean;
}

const ESTATES: EstateConfig[] = [
  { key: '100', count: 100, distributions: 1, pinned: false },
  { key: '1000-pinned', count: 1000, distributions: 10, pinned: true },
  { key: '1000', count: 1000, distributions: 14, pinned: false },
  { key: '3000-pinned', count: 3000, distributions: 30, pinned: true },
  { key: '3000', count: 3000, distributions: 40, pinned: false },
];
/** The estates timed: 3,000 receiving domains as the 3,000 test builds them, against 100. */
const TIMED = ['3000-pinned', '100'];

const PLACES = ['ashworth', 'eastbrook', 'highcliffe', 'kingsbridge', 'marshgate', 'northmoor', 'oakhollow', 'redmere', 'valeriver', 'westfield'];
const BODIES = ['council', 'water', 'health', 'courts', 'police', 'fire', 'parks', 'trust', 'roads', 'archives'];

/** The i-th receiving domain (from 1): `<place>-<body>-<i>.gov.uk`, 23 to 31 characters. */
function nameOf(i: number): string {
  return `${PLACES[i % 10]}-${BODIES[Math.floor(i / 10) % 10]}-${String(i).padStart(4, '0')}.gov.uk`;
}

/** A new-style Microsoft 365 tenant MX host: `<domain with dots as dashes>.<10 random letters and digits>.mx.microsoft`. */
function tenantMx(domain: string): string {
  const random = BigInt(`0x${createHash('sha256').update(`tenant ${domain}`).digest('hex').slice(0, 15)}`).toString(36).padStart(10, '0').slice(-10);
  return `${domain.replace(/\./g, '-')}.${random}.mx.microsoft`;
}

/** How many receiving domains the rule puts on each distribution. */
function loads(names: string[], distributions: number): Map<number, string[]> {
  const bins = new Map<number, string[]>();
  for (const n of [...names].sort()) {
    const d = DomainPortfolio.mtaStsDistributionOf(n, distributions);
    bins.set(d, [...(bins.get(d) ?? []), n]);
  }
  return bins;
}

/**
 * Pins for the domains the rule would put on a full distribution: in each distribution over 100,
 * those after the first 100 (in name order) go to the distributions with room, lowest first.
 */
function pinsFor(names: string[], distributions: number): Map<string, number> {
  const bins = loads(names, distributions);
  const over = [...bins.values()].flatMap((b) => b.slice(DOMAINS_PER_DISTRIBUTION));
  const pins = new Map<string, number>();
  for (let d = 1; d <= distributions && over.length > 0; d++) {
    for (let free = DOMAINS_PER_DISTRIBUTION - Math.min(DOMAINS_PER_DISTRIBUTION, bins.get(d)?.length ?? 0); free > 0 && over.length > 0; free--) {
      pins.set(over.shift()!, d);
    }
  }
  if (over.length > 0) throw new Error(`${names.length} domains do not fit on ${distributions} distributions of ${DOMAINS_PER_DISTRIBUTION}`);
  return pins;
}

/** The smallest `shardCount` whose stacks hold the domains in `STACK_RESOURCES` resources each, as the synth error would name it. */
function smallestShardCount(names: string[]): number {
  for (let n = 1; n <= 100; n++) {
    const load = new Map<number, number>();
    for (const name of names) load.set(DomainPortfolio.shardOf(name, n), (load.get(DomainPortfolio.shardOf(name, n)) ?? 0) + OWN_STACK_RESOURCES);
    if ([...load.values()].every((c) => c <= STACK_RESOURCES)) return n;
  }
  throw new Error(`${names.length} domains do not fit in 100 stacks`);
}

interface Estate extends EstateConfig {
  readonly names: string[];
  readonly pins: number;
  readonly shardCount: number;
  /** The estate's file, as the app reads it. */
  readonly file: string;
}

function writeEstate(c: EstateConfig, dir: string): Estate {
  const names = Array.from({ length: c.count }, (_, i) => nameOf(i + 1));
  const most = Math.max(...[...loads(names, c.distributions).values()].map((b) => b.length));
  if (!c.pinned && most > DOMAINS_PER_DISTRIBUTION) {
    throw new Error(`${c.count} domains on ${c.distributions} distributions without pins: one would hold ${most}`);
  }
  const pins = c.pinned ? pinsFor(names, c.distributions) : new Map<string, number>();
  const shardCount = smallestShardCount(names);
  const file = join(dir, `estate-${c.key}.json`);
  writeFileSync(file, JSON.stringify({
    shardCount,
    mtaStsDistributionCount: c.distributions,
    domains: names.map((domain) => ({
      domain,
      zoneId: `Z0${domain.replace(/[^a-z0-9]/g, '').toUpperCase().slice(-30).padStart(18, '0')}`,
      mx: tenantMx(domain),
      ...(pins.has(domain) ? { distribution: pins.get(domain) } : {}),
    })),
  }));
  return { ...c, names, pins: pins.size, shardCount, file };
}

/** A distribution's resources in its host stack. */
const DISTRIBUTION_TYPES = ['AWS::CloudFront::Function', 'AWS::CertificateManager::Certificate', 'AWS::CloudFront::Distribution'];

/** One stack of a cloud assembly: its name, resources by type and by domain, and template bytes. */
interface StackFigures {
  readonly name: string;
  readonly resources: number;
  readonly bytes: number;
  readonly byType: Map<string, number>;
  /** Resources under each domain's construct (the domain's stack) or its alias record set group (a host stack). */
  readonly byDomain: Map<string, number>;
  /** Distributions, and the domains each serves (a host stack). */
  readonly aliases: number[];
  /** Resources neither a domain's nor a distribution's, by type. */
  readonly unowned: Map<string, number>;
}

/** Read every stack of the cloud assembly in `outdir`. */
function readAssembly(outdir: string, names: Set<string>): StackFigures[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  const out: StackFigures[] = [];
  for (const [id, a] of Object.entries(manifest.artifacts as Record<string, any>)) {
    if (a.type !== 'aws:cloudformation:stack') continue;
    const file = join(outdir, a.properties.templateFile);
    const resources: Record<string, any> = JSON.parse(readFileSync(file, 'utf8')).Resources ?? {};
    const byType = new Map<string, number>();
    const byDomain = new Map<string, number>();
    const aliases: number[] = [];
    const unowned = new Map<string, number>();
    for (const r of Object.values(resources)) {
      byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
      let domain = String(r.Metadata?.['aws:cdk:path'] ?? '').split('/').find((s) => names.has(s));
      if (r.Type === 'AWS::Route53::RecordSetGroup' && domain === undefined) {
        domain = String(r.Properties.RecordSets[0].Name).replace(/^mta-sts\.|\.$/g, '');
      }
      if (domain !== undefined && names.has(domain)) byDomain.set(domain, (byDomain.get(domain) ?? 0) + 1);
      else if (!DISTRIBUTION_TYPES.includes(r.Type)) unowned.set(r.Type, (unowned.get(r.Type) ?? 0) + 1);
      if (r.Type === 'AWS::CloudFront::Distribution') aliases.push(r.Properties.DistributionConfig.Aliases.length);
    }
    const name: string = a.properties.stackName ?? id;
    out.push({ name, resources: Object.keys(resources).length, bytes: statSync(file).size, byType, byDomain, aliases, unowned });
  }
  return out;
}

/** The app and the library, compiled, and a preload that reports the CPU time of a process. */
interface Build {
  readonly app: string;
  readonly cpuReporter: string;
}

/** src/ compiled by tsc, where the app finds it as `node_modules/cdk-gov-email`, and the app compiled to CommonJS as tsc compiles a user's app. */
function build(work: string): Build {
  const lib = join(work, 'lib');
  compileTs(lib);
  const appDir = join(work, 'app');
  mkdirSync(join(appDir, 'node_modules'), { recursive: true });
  symlinkSync(lib, join(appDir, 'node_modules', 'cdk-gov-email'), 'dir');
  const source = join(__dirname, 'app.ts');
  const js = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: source,
  });
  const app = join(appDir, 'app.js');
  writeFileSync(app, js.outputText);
  const cpuReporter = join(work, 'report-cpu.js');
  writeFileSync(cpuReporter, CPU_REPORTER);
  return { app, cpuReporter };
}

interface SynthRun {
  readonly ms: number;
  readonly cpuMs: number;
  readonly stacks: StackFigures[];
}

/** Run the app on an estate, as `cdk synth` runs it, its cloud assembly written to a new temporary folder, read and removed. */
function synth(b: Build, e: Estate): SynthRun {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-mta-sts-stacks-out-'));
  try {
    const r = runNode(['--require', b.cpuReporter, b.app, e.file], 'pipe', {
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(CLI_CONTEXT),
    });
    if (r.status !== 0) throw new Error(`${e.key}: the app failed (exit ${r.status}): ${r.stderr}`);
    const cpu = /process-cpu-us (\d+)/.exec(r.stderr);
    return { ms: r.ms, cpuMs: cpu === null ? NaN : Number(cpu[1]) / 1000, stacks: readAssembly(outdir, new Set(e.names)) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const HOST_STACK = /^Estate-MtaSts(\d\d)?$/;
const SHARD_STACK = /^Estate-Shard\d+$/;

/** What an estate's assembly says, checked. */
interface Figures {
  readonly hosts: StackFigures[];
  readonly shards: StackFigures[];
  /** A receiving domain's resources in its host stack, and in its own stack (each the same for every domain). */
  readonly perDomainHost: number;
  readonly perDomainOwn: number;
  /** A distribution's resources (function, certificate, distribution). */
  readonly perDistribution: number;
  /** Resources of a stack that are neither a domain's nor a distribution's, by type. */
  readonly others: string[];
}

function figures(e: Estate, stacks: StackFigures[]): Figures {
  const byName = (a: StackFigures, b: StackFigures) => a.name.localeCompare(b.name);
  const hosts = stacks.filter((s) => HOST_STACK.test(s.name)).sort(byName);
  const shards = stacks.filter((s) => SHARD_STACK.test(s.name)).sort(byName);
  if (hosts.length + shards.length !== stacks.length) throw new Error(`${e.key}: stacks neither host nor shard: ${stacks.map((s) => s.name)}`);
  const one = (what: string, xs: number[]) => {
    const distinct = [...new Set(xs)];
    if (distinct.length !== 1) throw new Error(`${e.key}: ${what} differs: ${distinct.join(', ')}`);
    return distinct[0];
  };
  const hostDomains = hosts.flatMap((s) => [...s.byDomain.keys()]);
  const ownDomains = shards.flatMap((s) => [...s.byDomain.keys()]);
  if (new Set(hostDomains).size !== e.count || hostDomains.length !== e.count) throw new Error(`${e.key}: ${hostDomains.length} domains in the host stacks`);
  if (new Set(ownDomains).size !== e.count || ownDomains.length !== e.count) throw new Error(`${e.key}: ${ownDomains.length} domains in their own stacks`);
  const served = hosts.flatMap((s) => s.aliases);
  if (served.reduce((a, b) => a + b, 0) !== e.count) throw new Error(`${e.key}: the distributions serve ${served.reduce((a, b) => a + b, 0)} names`);
  if (served.length !== e.distributions) throw new Error(`${e.key}: ${served.length} distributions`);
  const perDomainOwn = one('resources of a domain in its own stack', shards.flatMap((s) => [...s.byDomain.values()]));
  if (perDomainOwn !== OWN_STACK_RESOURCES) throw new Error(`${e.key}: ${perDomainOwn} resources a domain; shardCount was chosen for ${OWN_STACK_RESOURCES}`);
  const perDistribution = one('resources of a distribution', hosts.map((s) => DISTRIBUTION_TYPES.reduce((a, t) => a + (s.byType.get(t) ?? 0), 0) / s.aliases.length));
  for (const s of hosts) for (const t of DISTRIBUTION_TYPES) if (s.byType.get(t) !== s.aliases.length) throw new Error(`${e.key}: ${s.name}: ${s.byType.get(t)} ${t}`);
  // Resources of neither a domain nor a distribution: how many of each type each stack holds.
  const others = [...new Set(stacks.flatMap((s) => [...s.unowned.keys()]))].sort().map((t) => {
    const counts = stacks.map((s) => s.unowned.get(t) ?? 0);
    return counts.every((c) => c === counts[0]) ? `${counts[0]} \`${t}\` in every stack` : `\`${t}\`: ${span(counts)} a stack`;
  });
  return {
    hosts,
    shards,
    perDomainHost: one('resources of a domain in its host stack', hosts.flatMap((s) => [...s.byDomain.values()])),
    perDomainOwn,
    perDistribution,
    others,
  };
}

const int = (n: number) => n.toLocaleString('en-GB');
const secs = (ms: number) => (ms / 1000).toFixed(2);
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(0)} %`;
const span = (xs: number[], f: (n: number) => string = int) => (Math.min(...xs) === Math.max(...xs) ? f(xs[0]) : `${f(Math.min(...xs))}–${f(Math.max(...xs))}`);
const kind = (s: StackFigures) => (HOST_STACK.test(s.name) ? 'host' : 'shard');
const estateLabel = (e: Estate) => `${int(e.count)} on ${e.distributions}${e.pinned ? `, ${int(e.pins)} pinned` : ', no pins'}`;

/** Add the section's heading after the function size section, when it is not in the file yet, so the section writer replaces it there. */
function placeSection(): void {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  if (doc.includes(`\n${HEADING}\n`)) return;
  const start = doc.indexOf(`\n${PREVIOUS_HEADING}\n`);
  if (start < 0) return;
  const next = doc.indexOf('\n## ', start + 1);
  if (next < 0) return;
  writeFileSync(file, `${doc.slice(0, next + 1)}${HEADING}\n\n${doc.slice(next + 1)}`);
}

function main(): void {
  const loadStart = loadavg()[0];
  const work = mkdtempSync(join(tmpdir(), 'bench-mta-sts-stacks-'));
  try {
    const b = build(work);
    const estates = ESTATES.map((c) => writeEstate(c, work));
    const byKey = (key: string) => estates.find((e) => e.key === key)!;
    const lengths = estates[estates.length - 1].names.map((n) => n.length);
    const meanLength = (lengths.reduce((a, c) => a + c, 0) / lengths.length).toFixed(1);
    process.stderr.write(`names: ${span(lengths)} characters, mean ${meanLength}\n`);

    // Each estate once, outside the timing: its assembly read, and the file cache warmed.
    const found = new Map<string, Figures>();
    for (const e of estates) {
      const r = synth(b, e);
      found.set(e.key, figures(e, r.stacks));
      process.stderr.write(`${e.key}: ${r.stacks.length} stacks, ${secs(r.ms)} s (untimed)\n`);
    }

    const times = new Map<string, number[]>();
    const cpuTimes = new Map<string, number[]>();
    const loadAverages = [loadStart];
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? TIMED : [...TIMED].reverse();
      const line: string[] = [];
      for (const key of order) {
        const r = synth(b, byKey(key));
        times.set(key, [...(times.get(key) ?? []), r.ms]);
        cpuTimes.set(key, [...(cpuTimes.get(key) ?? []), r.cpuMs]);
        line.push(`${key} ${secs(r.ms)} s (CPU ${secs(r.cpuMs)} s)`);
      }
      loadAverages.push(loadavg()[0]);
      process.stderr.write(`round ${round}/${ROUNDS}: ${line.join(', ')}; load ${loadAverages[loadAverages.length - 1].toFixed(1)}\n`);
    }

    // Resources
    const resourceRows = estates.map((e) => {
      const f = found.get(e.key)!;
      const all = [...f.hosts, ...f.shards];
      const largest = all.reduce((a, s) => (s.resources > a.resources ? s : a));
      const biggest = all.reduce((a, s) => (s.bytes > a.bytes ? s : a));
      return [
        estateLabel(e),
        span(f.hosts.flatMap((s) => s.aliases)),
        `${f.hosts.length}`,
        span(f.hosts.map((s) => s.resources)),
        span(f.hosts.map((s) => s.bytes)),
        `${f.shards.length} (shardCount ${e.shardCount})`,
        span(f.shards.map((s) => s.resources)),
        `${f.perDomainHost} + ${f.perDomainOwn}`,
        `${f.perDistribution}`,
        `${int(largest.resources)} (${pct(largest.resources, MAX_RESOURCES)}, ${kind(largest)})`,
        `${int(biggest.bytes)} (${pct(biggest.bytes, MAX_TEMPLATE_BYTES)}, ${kind(biggest)})`,
      ];
    });
    const resourceTable = table([
      'Receiving domains on distributions', 'Domains a distribution', 'Host stacks', 'Resources a host stack', 'Host template (bytes)',
      'Shard stacks', 'Resources a shard stack', 'A domain: host + shard stack', 'A distribution', 'Most resources a stack (of 500)',
      'Largest template, bytes (of 1 MB)',
    ], resourceRows);

    const hostRows = estates.flatMap((e) => found.get(e.key)!.hosts.map((s) => [
      estateLabel(e), s.name, `${s.aliases.length}`, int(s.aliases.reduce((a, c) => a + c, 0)), int(s.resources), int(s.bytes), pct(s.bytes, MAX_TEMPLATE_BYTES),
    ]));
    const hostTable = table(['Receiving domains on distributions', 'Host stack', 'Distributions', 'Domains', 'Resources', 'Template (bytes)', 'Of 1 MB'], hostRows);

    // Time
    const med = (key: string) => median(times.get(key)!);
    const cpu = (key: string) => median(cpuTimes.get(key)!);
    const timeRows = TIMED.map((key) => {
      const e = byKey(key);
      const f = found.get(key)!;
      return [
        estateLabel(e), `${f.hosts.length + f.shards.length}`, int([...f.hosts, ...f.shards].reduce((a, s) => a + s.resources, 0)),
        secs(med(key)), span(times.get(key)!, secs), secs(cpu(key)),
      ];
    });
    const [big, small] = TIMED;
    timeRows.push([`${int(byKey(big).count)} ÷ ${int(byKey(small).count)}`, '', '', `${(med(big) / med(small)).toFixed(1)}×`, '',
      `${(cpu(big) / cpu(small)).toFixed(1)}×`]);
    const timeTable = table(['Receiving domains on distributions', 'Stacks', 'Resources', 'Median (s)', 'Rounds (s)', 'CPU (s)'], timeRows);
    const perDomainMs = (f: (key: string) => number) => (f(big) - f(small)) / (byKey(big).count - byKey(small).count);
    const spread = TIMED.map((key) => Math.max(...times.get(key)!) / Math.min(...times.get(key)!));
    const cpuSpread = TIMED.map((key) => Math.max(...cpuTimes.get(key)!) / Math.min(...cpuTimes.get(key)!));

    const others = [...new Set(estates.flatMap((e) => found.get(e.key)!.others))];
    const machine = `${cpus().length} × ${cpus()[0].model.trim()}, Node.js ${process.version}, ${process.platform}`;
    const noise = `load average (1 min) ${loadAverages.map((l) => l.toFixed(1)).join(', ')} (at the start and after each round); the rounds of one estate`
      + ` varied by up to ${Math.max(...spread).toFixed(2)}× in time and ${Math.max(...cpuSpread).toFixed(2)}× in CPU time`;

    const output = [
      'Resources (each estate synthesised once; the figures are exact, the same in every run):',
      '',
      resourceTable,
      '',
      'Each host stack:',
      '',
      hostTable,
      '',
      `Synthesis, the whole process (median of ${ROUNDS} rounds):`,
      '',
      timeTable,
      '',
    ].join('\n');
    process.stdout.write(`${output}\nA receiving domain beyond ${int(byKey(small).count)}: ${perDomainMs(med).toFixed(1)} ms (CPU ${perDomainMs(cpu).toFixed(1)} ms).\n`
      + `Machine: ${machine}; ${noise}.\n`);

    if (values['no-write']) return;
    const section = [
      HEADING,
      '',
      'The us-east-1 stacks of a `DomainPortfolio`\'s MTA-STS policy host, and the time `cdk synth` takes, for estates of',
      `receiving domains. Names are ${span(lengths)} characters, ${meanLength} on average (\`${nameOf(123)}\`), each domain with its own hosted zone`,
      'and a Microsoft 365 sender with its tenant\'s MX host (`<domain-dashed>.<10 random letters and digits>.mx.microsoft`). "Pinned"',
      'estates fill every distribution to 100: the domains the rule would put on a full distribution beyond 100 (in name order)',
      'are pinned (`mtaSts.distribution`) to those with room, as test/constructs/portfolio-mta-sts-3000.test.ts does; the others',
      'have no pins, at about 75 a distribution as the `DomainPortfolio` docs advise (40 distributions for 3,000). `shardCount`',
      `is the smallest that keeps the domains' own stacks within the default ${STACK_RESOURCES} resources.`,
      '',
      'Each estate is the app bench/mta-sts-stacks/app.ts (a CDK app as a user writes it, reading its estate from a file and',
      'importing `cdk-gov-email`, src/ compiled by tsc into a temporary folder at the start of the run), run as `cdk synth` runs',
      'it: a `node` process with `CDK_OUTDIR` (a new temporary folder each run) and `CDK_CONTEXT_JSON` with path metadata, asset',
      'metadata and version reporting on. Template bytes are the files it writes (JSON indented by one space, with each resource\'s',
      '`aws:cdk:path` metadata, as `cdk synth` writes them); a domain\'s resources are counted under its construct\'s path (its own',
      'stack) and by its alias record set group (its host stack). Run with:',
      '',
      '```sh',
      COMMAND,
      '```',
      '',
      `Machine: ${machine}; other work shared its CPUs: ${noise}.`,
      '',
      'Resources (each estate synthesised once; exact, the same in every run). "A domain: host + shard stack" is a receiving',
      'domain\'s resources in the host stack that serves it (its alias record set group: A and AAAA) and in its own stack',
      '(`GovEmailDomain` with Microsoft 365: MX, SPF, DMARC, two DKIM CNAMEs, `_mta-sts` and `_smtp._tls` TXT); "A distribution",',
      `its function, certificate and distribution. Besides: ${others.length > 0 ? others.join('; ') : 'nothing'}.`,
      '',
      resourceTable,
      '',
      'Each host stack (`<prefix>-MtaSts` holds distributions 1 to 3, `<prefix>-MtaSts02` 4 to 6, …):',
      '',
      hostTable,
      '',
      'Synthesis as a user feels it: the whole process, spawn to exit (Node.js starting, the modules loading, the portfolio built,',
      `the cloud assembly written), for ${int(byKey(big).count)} receiving domains (the pinned estate) and, in the same run, ${int(byKey(small).count)};`,
      `median of ${ROUNDS} rounds, the order alternating from round to round. "CPU" is the CPU time the process reports at exit`,
      '(user and system, all threads), the median of the same runs: on a busy machine it varies less than the time.',
      '',
      timeTable,
      '',
      `Each receiving domain beyond ${int(byKey(small).count)} added ${perDomainMs(med).toFixed(1)} ms to the process (${perDomainMs(cpu).toFixed(1)} ms of CPU`,
      `time): the difference of the medians over the ${int(byKey(big).count - byKey(small).count)} domains more.`,
      '',
    ].join('\n');
    placeSection();
    writeSection(HEADING, section);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
