/**
 * `cdk synth` as a user feels it: each variant a whole `node` process running a CDK app file,
 * timed from spawn to exit (Node.js starting, modules loading, the constructs built, the cloud
 * assembly written), as `cdk synth` runs `node app.js`.
 *
 *   l2                  bench/synth/apps/l2-app.ts: the parked domains written by hand with
 *                       aws-cdk-lib's L2 record constructs; imports aws-cdk-lib only
 *   portfolio-before    bench/synth/apps/portfolio-app.ts against `git archive <rev> src` (HEAD
 *                       unless `--before <rev>`)
 *   portfolio-after     bench/synth/apps/portfolio-app.ts against the work tree's src/
 *
 * src/ (but src/cli) is compiled by tsc into a temporary folder (bench/support.ts `compileTs`), which the app
 * finds as `node_modules/cdk-gov-email`; the apps are compiled to CommonJS as `tsc` compiles a
 * user's app, so no variant pays for ts-node. Each process gets the environment the CDK CLI
 * (aws-cdk 2.1148) gives an app: CDK_OUTDIR (a new temporary folder each run) and CDK_CONTEXT_JSON
 * with path metadata, asset metadata and version reporting on, as `cdk synth` sets them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { ROOT, compileTs, median, runNode, table } from '../support';

/** What the CDK CLI puts in an app's context (`cdk synth` without options). */
const CLI_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
  '@aws-cdk/core:failSynthOnValidationErrors': false,
};

/** A preload that writes the modules in `require.cache` to the file in SYNTH_MODULES at exit. */
const MODULE_COUNTER = [
  'const fs = require("fs");',
  'process.on("exit", () => {',
  '  fs.writeFileSync(process.env.SYNTH_MODULES, JSON.stringify(Object.keys(require.cache).filter((f) => f !== __filename)));',
  '});',
].join('\n');

/**
 * A preload that writes the process's CPU time (user and system, every thread, in microseconds)
 * to stderr at exit: on a busy machine it varies less than the time from spawn to exit.
 */
const CPU_REPORTER = 'process.on("exit", () => { const u = process.cpuUsage(); process.stderr.write(`\\nsynth-cpu-us ${u.user + u.system}\\n`); });';

export interface WholeProcessVariant {
  readonly key: string;
  readonly label: string;
  /** The compiled app file. */
  readonly app: string;
  /** The library's compiled folder, for counting its modules; none for the L2 app. */
  readonly lib?: string;
}

export interface WholeProcessResult {
  readonly variants: WholeProcessVariant[];
  readonly sizes: number[];
  readonly rounds: number;
  /** The commit `before` was archived from (short), or undefined without `before`. */
  readonly headCommit?: string;
  /** Milliseconds of each run, spawn to exit, by `${variant} ${n}`, in round order. */
  readonly times: Map<string, number[]>;
  /** CPU milliseconds of each run, by `${variant} ${n}`, in round order. */
  readonly cpuTimes: Map<string, number[]>;
  /** Stacks in each variant's assembly, by `${variant} ${n}`. */
  readonly stacks: Map<string, number>;
  /** Modules each variant loaded at the smallest size: total and the library's own. */
  readonly modules: Map<string, { total: number; own: number }>;
}

/** Compile one app file to CommonJS as tsc compiles a user's app, into `dir`. */
function compileApp(source: string, dir: string): string {
  const out = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: source,
  });
  const file = join(dir, source.replace(/^.*\//, '').replace(/\.ts$/, '.js'));
  writeFileSync(file, out.outputText);
  return file;
}

/**
 * The library of the src/ folder in `tree` (the repository, or a copy of it), compiled into
 * `outDir`: every file but the command line's (src/cli, which the library never imports), so an
 * app loads what it loads from the package. `tree`'s tsconfig.json, with its files narrowed.
 */
function compileLibrary(tree: string, work: string, outDir: string): void {
  const project = join(work, `tsconfig-${outDir.replace(/^.*\//, '')}.json`);
  writeFileSync(project, JSON.stringify({
    extends: join(tree, 'tsconfig.json'),
    // Type packages are found from the repository, not from this file's temporary folder.
    compilerOptions: { rootDir: join(tree, 'src'), typeRoots: [join(ROOT, 'node_modules', '@types')] },
    include: [join(tree, 'src', '**', '*.ts')],
    exclude: [join(tree, 'src', 'cli', '**')],
  }));
  compileTs(outDir, project);
}

/** The committed src/ (`git archive <rev> src`), compiled into `outDir` the same way as the work tree. */
function compileCommitted(rev: string, work: string, outDir: string): string {
  const tree = join(work, 'committed');
  mkdirSync(tree);
  const archive = execFileSync('git', ['archive', rev, 'src'], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', tree], { input: archive });
  copyFileSync(join(ROOT, 'tsconfig.json'), join(tree, 'tsconfig.json'));
  // For tsc only: the compiled output finds its packages through NODE_PATH, as the work tree's does.
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
  compileLibrary(tree, work, outDir);
  return execFileSync('git', ['rev-parse', '--short', rev], { cwd: ROOT, encoding: 'utf8' }).trim();
}

/** A folder holding the portfolio app, where `require('cdk-gov-email')` finds the library in `lib`. */
function portfolioApp(dir: string, lib: string): string {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(lib, join(dir, 'node_modules', 'cdk-gov-email'), 'dir');
  return compileApp(join(__dirname, 'apps', 'portfolio-app.ts'), dir);
}

/**
 * Run one app for `n` domains, its cloud assembly written to a new temporary folder: the time from
 * spawn to exit, the CPU time the process reported (with the `CPU_REPORTER` preload) and the
 * stacks it wrote.
 */
function synthOnce(v: WholeProcessVariant, n: number, preload: string, modulesFile?: string): { ms: number; cpuMs: number; stacks: number } {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-out-'));
  try {
    const env: Record<string, string> = {
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(CLI_CONTEXT),
      CDK_CLI_VERSION: '2.1148.1',
      CDK_CLI_ASM_VERSION: '55.0.0',
      CDK_ERROR_FILE: join(outdir, 'error.txt'),
      CDK_PERF_COUNTERS_FILE: join(outdir, 'performance-counters.json'),
      ...(modulesFile === undefined ? {} : { SYNTH_MODULES: modulesFile }),
    };
    const r = runNode(['--require', preload, v.app, String(n)], 'pipe', env);
    if (r.status !== 0) throw new Error(`${v.key} n=${n} failed (exit ${r.status}): ${r.stderr}`);
    const cpu = /synth-cpu-us (\d+)/.exec(r.stderr);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.values(manifest.artifacts as Record<string, { type: string }>).filter((a) => a.type === 'aws:cloudformation:stack').length;
    const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json')).length;
    if (stacks === 0 || stacks !== templates) throw new Error(`${v.key} n=${n}: ${stacks} stacks in the manifest, ${templates} templates written`);
    return { ms: r.ms, cpuMs: cpu === null ? NaN : Number(cpu[1]) / 1000, stacks };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Measure every variant at every size: ROUNDS rounds, each running every variant once at each
 * size, in an order rotated from round to round.
 */
export function measureWholeProcess(sizes: number[], rounds: number, before: string | undefined): WholeProcessResult {
  const work = mkdtempSync(join(tmpdir(), 'bench-synth-whole-'));
  try {
    const afterLib = join(work, 'after-lib');
    compileLibrary(ROOT, work, afterLib);
    const variants: WholeProcessVariant[] = [];
    mkdirSync(join(work, 'l2'));
    variants.push({ key: 'l2', label: 'hand-written L2 (aws-cdk-lib only)', app: compileApp(join(__dirname, 'apps', 'l2-app.ts'), join(work, 'l2')) });
    let headCommit: string | undefined;
    if (before !== undefined) {
      const beforeLib = join(work, 'before-lib');
      headCommit = compileCommitted(before, work, beforeLib);
      variants.push({ key: 'portfolio-before', label: `DomainPortfolio, before (${headCommit})`, app: portfolioApp(join(work, 'before'), beforeLib), lib: beforeLib });
    }
    variants.push({ key: 'portfolio-after', label: 'DomainPortfolio, after (work tree)', app: portfolioApp(join(work, 'after'), afterLib), lib: afterLib });

    // One run of each outside the timing: it checks the app works, warms the file cache and counts the modules loaded.
    const counter = join(work, 'count-modules.js');
    writeFileSync(counter, MODULE_COUNTER);
    const cpuReporter = join(work, 'report-cpu.js');
    writeFileSync(cpuReporter, CPU_REPORTER);
    const modules = new Map<string, { total: number; own: number }>();
    for (const v of variants) {
      const file = join(work, `modules-${v.key}.json`);
      synthOnce(v, sizes[0], counter, file);
      const files = JSON.parse(readFileSync(file, 'utf8')) as string[];
      const own = v.lib === undefined ? 0 : files.filter((f) => !relative(v.lib!, f).startsWith('..')).length;
      modules.set(v.key, { total: files.length, own });
    }

    const times = new Map<string, number[]>();
    const cpuTimes = new Map<string, number[]>();
    const stacks = new Map<string, number>();
    for (const n of sizes) {
      for (let round = 1; round <= rounds; round++) {
        const order = variants.map((_, i) => variants[(i + round - 1) % variants.length]);
        const line: string[] = [];
        for (const v of order) {
          const r = synthOnce(v, n, cpuReporter);
          const key = `${v.key} ${n}`;
          times.set(key, [...(times.get(key) ?? []), r.ms]);
          cpuTimes.set(key, [...(cpuTimes.get(key) ?? []), r.cpuMs]);
          stacks.set(key, r.stacks);
          line.push(`${v.key} ${(r.ms / 1000).toFixed(2)} (CPU ${(r.cpuMs / 1000).toFixed(2)})`);
        }
        process.stderr.write(`whole process n=${n} round ${round}/${rounds}: ${line.join(', ')}\n`);
      }
    }
    return { variants, sizes, rounds, headCommit, times, cpuTimes, stacks, modules };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const secs = (ms: number) => (ms / 1000).toFixed(2);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** The goals of issue 14: the portfolio's whole `cdk synth` process against the hand-written L2 one's. */
export const WHOLE_PROCESS_GOALS: Record<number, number> = { 100: 1.0, 1000: 0.6, 3000: 0.5 };

/** The whole-process subsection of docs/benchmarks.md's synthesis section. */
export function wholeProcessSection(r: WholeProcessResult): string {
  const med = (key: string, n: number) => median(r.times.get(`${key} ${n}`)!);
  const cpu = (key: string, n: number) => median(r.cpuTimes.get(`${key} ${n}`)!);
  const range = (key: string, n: number) => {
    const xs = r.times.get(`${key} ${n}`)!;
    return `${secs(Math.min(...xs))}–${secs(Math.max(...xs))}`;
  };
  const rows: string[][] = [];
  for (const n of r.sizes) {
    const l2 = med('l2', n);
    for (const v of r.variants) {
      rows.push([String(n), v.label, String(r.stacks.get(`${v.key} ${n}`)), secs(med(v.key, n)), range(v.key, n), ratio(med(v.key, n), l2),
        secs(cpu(v.key, n)), ratio(cpu(v.key, n), cpu('l2', n))]);
    }
  }
  const has = (key: string) => r.variants.some((v) => v.key === key);
  const goalRows = r.sizes.map((n) => {
    const l2 = med('l2', n);
    const goal = WHOLE_PROCESS_GOALS[n];
    const after = med('portfolio-after', n) / l2;
    return [
      n.toLocaleString('en-GB'), secs(l2),
      has('portfolio-before') ? secs(med('portfolio-before', n)) : '',
      secs(med('portfolio-after', n)),
      has('portfolio-before') ? ratio(med('portfolio-before', n), l2) : '',
      ratio(after, 1),
      goal === undefined ? '' : `≤ ${goal.toFixed(1)}×: ${after <= goal ? 'met' : 'not met'}`,
    ];
  });
  const mods = r.variants.map((v) => {
    const m = r.modules.get(v.key)!;
    return `${v.label} ${m.total}${v.lib === undefined ? '' : ` (${m.own} of them the library's own)`}`;
  }).join('; ');
  return [
    '### Whole process: `cdk synth` as a user runs it',
    '',
    'Each variant is a `node` process running a CDK app file, timed from spawn to exit: Node.js starting, the modules loading, the',
    'constructs built and the cloud assembly written (to a new temporary folder each run). The apps are bench/synth/apps/: the',
    `portfolio app imports \`cdk-gov-email\` (src/ but src/cli compiled by tsc; "before" is \`git archive ${r.headCommit ?? 'HEAD'} src\` compiled the same way), the`,
    'L2 app imports aws-cdk-lib only; both are compiled to CommonJS as `tsc` compiles an app, so ts-node is in neither. Each',
    'process gets the environment the CDK CLI gives an app (`CDK_OUTDIR`, and `CDK_CONTEXT_JSON` with path metadata, asset',
    'metadata and version reporting on, as `cdk synth` sets them without options). Each figure is the median of',
    `${r.rounds} rounds; each round runs every variant once at each size, in an order rotated from round to round. "CPU" is the`,
    'CPU time the process reports at exit (user and system, all threads; a one-line `--require` preload prints it), the median',
    'of the same runs: on a busy machine it varies much less than the time from spawn to exit. The goals are for the time.',
    '',
    table(['Domains', 'Variant', 'Stacks', 'Median (s)', 'Rounds (s)', '÷ L2', 'CPU (s)', 'CPU ÷ L2'], rows),
    '',
    table(['Domains', 'L2 (s)', 'Portfolio before (s)', 'Portfolio after (s)', 'Before ÷ L2', 'After ÷ L2', 'Goal'], goalRows),
    '',
    `Modules loaded (CommonJS files in \`require.cache\` at exit, ${r.sizes[0]} domains): ${mods}.`,
    '',
    ...WHOLE_PROCESS_FINDINGS,
    '',
  ].join('\n');
}

/**
 * What CPU profiles (`node --cpu-prof`) and timings inside the app showed, when the whole-process
 * figures were first taken (December 2026), and what was changed: written here so that the
 * section keeps them when the figures are measured again.
 */
const WHOLE_PROCESS_FINDINGS = [
  'Where the time goes (CPU profiles of the app with `node --cpu-prof`, and its phases timed inside it, on a quiet machine, before the changes below):',
  '',
  '- 100 domains: the portfolio process (about 0.27 s) was already faster than the L2 one (about 0.31 s). What it does that the L2 app',
  '  does not is load the library: about 80 more modules (the library\'s own, and the index files of the 13 aws-cdk-lib services it',
  '  imports), about 25 ms more than the L2 app\'s imports, most of it V8 compiling them. Building took what the L2 app\'s did (about',
  '  75 ms, mostly aws-cdk-lib modules loading on first use), and synth half as long (one stack of 100 resources against two of 500).',
  '- 3,000 domains (1.75 s): synth 1.07 s, nearly all aws-cdk-lib resolving the 3,000 record set groups (for references, the template',
  '  and tree.json); building 0.58 s, of which `ParkedDomain` 0.41 s. Of that, about 0.33 s was the library\'s own work done again for',
  '  every domain: the same SPF, null MX, CAA, DKIM and DMARC records rendered and validated, the same report URIs validated three',
  '  times (the `rua` check, rendering, the profile), the same record texts parsed by each check, and TXT values quoted twice (written,',
  '  then planned). The rest: the parked-domain profile\'s rules for each domain, and one imported hosted zone (an aws-cdk-lib',
  '  `Resource`) for each zone, 0.07 s.',
  '- Changed: the records every parked domain publishes alike are rendered once a process, and the DMARC record once for each list',
  '  of report addresses; a report URI\'s DMARC check, its `mailto:` domain and its `rua` validation are kept by URI; a check parses',
  '  each record text once for each kind of record; a zone writer quotes each TXT record once; the default TTL is a constant. Building',
  '  1,000 parked domains took 23% less CPU time (549 ms to 424 ms, median of 7 interleaved runs of the app); the whole process at',
  '  3,000 domains, in the environment `cdk synth` gives, 6% less (2.81 s to 2.65 s of CPU, median of 5 interleaved runs).',
  '- Then (profiles of the app at 3,000 domains, and the app run with one part left out, CPU time, interleaved runs): synth was about',
  '  two thirds of the process, aws-cdk-lib resolving each record set group for references, the template and tree.json, and building',
  '  most of the rest. Of building, the profile judging each parked domain took about 0.34 s (left out), reading the same SPF, DMARC,',
  '  DKIM, MX and CAA texts again for every domain in every one of its checks; `HostedZone.fromHostedZoneAttributes`, which declares a',
  '  new class for every zone it imports, about 0.14 s more than one class declared once; the zone writer still quoted the same TXT',
  '  texts once for each domain.',
  '- Changed: the profile reads each record text once a process (kept by the text, at most 1,000 of each kind), and does not check',
  '  again, at another name, record set values it found clean (a check\'s findings name the record set only as their path and subject);',
  '  the portfolio imports each zone with one `Resource` class declared once, at the same path `<stack>/Zones/<zone id>`; a zone writer',
  '  writes each TXT text once a process; each domain\'s resources are counted only when a stack is over its limit. The whole process at',
  '  3,000 domains: 3.08 s to 2.70 s of CPU (12% less; the L2 app 5.19 s, so 0.59× to 0.52×), median of 7 interleaved runs at a load',
  '  of about 5 on 2 cores, and 2.69 s to 2.27 s (0.56× to 0.48× of 4.77 s) in 5 runs at a load of about 6; the templates, manifest and',
  '  tree.json byte for byte the same.',
  '- Not changed: passing `ParkedDomain` a plain object for its zone instead of a construct takes about 0.1 s more off at 3,000',
  '  domains, but drops the `<stack>/Zones/<zone id>` nodes from the construct tree. At 100 domains the process is mostly Node.js',
  '  starting and modules loading; the library\'s own modules are about a sixth of it, since its index loads every construct (the',
  '  report inbox and the MTA-STS host too) for an app that uses one.',
];
