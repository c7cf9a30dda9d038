/**
 * Start-up benchmark: what a user waits for before any work, as whole processes.
 *
 *   node -e "require('<compiled src>/index.js')"      an app's `require('cdk-gov-email')`
 *   node <compiled src>/cli/bin.js --help              `gov-email --help`
 *   node <compiled src>/cli/bin.js review <cdk.out>    `gov-email review` on a one-domain assembly
 *
 * src/ is compiled by tsc into a temporary folder (as bench/review does; node_modules found
 * through NODE_PATH), twice: the work tree ("after") and `git archive HEAD src` ("before"), so a
 * change is measured against the committed code in the same run. Each has its index.js bundled as
 * the package build does (build-tools/bundle-index.ts); the work tree's is also measured as tsc
 * leaves it, a module per file, to show what the bundle saves.
 *
 * Baselines, measured in the same run and sharing no code with the library:
 *   node    `node -e ""`: a process starting and exiting
 *   floor   `node -e` requiring exactly the CDK modules src/ imports: `aws-cdk-lib`, each
 *           `aws-cdk-lib/<service>` submodule and `constructs`, found in src/'s import
 *           statements as tsc compiled them (type-only imports dropped; printed). No library
 *           built on them can load in less.
 *   floor without constructs   the same, `aws-cdk-lib` modules only
 *
 * Each variant's modules are counted once, outside the timing, in a run with a preload that
 * lists `require.cache` at exit (CommonJS modules only; Node.js built-ins are not in it). The
 * packages contributing most are printed, and whether any cdk-nag or @aws-sdk module was loaded.
 *
 * Each round runs every variant once, in an order rotated from round to round; each figure is
 * the median of ROUNDS rounds. Results are printed and written into docs/benchmarks.md under
 * "## Start-up".
 *
 *   npx projen bench:startup [--rounds 15] [--no-before] [--no-write]
 */
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleIndex } from '../../build-tools/bundle-index';
import { synthAssembly } from '../review/apps';
import { ROOT, compileTs, median, runNode, table, writeSection } from '../support';

const COMMAND = 'npx projen bench:startup';

const { values } = parseArgs({
  options: {
    'rounds': { type: 'string', default: '15' },
    'no-before': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
if (!(ROUNDS >= 5)) throw new Error('--rounds: at least 5');

/** A preload that writes the modules in `require.cache` to the file in STARTUP_MODULES at exit. */
const COUNTER = [
  'const fs = require("fs");',
  'process.on("exit", () => {',
  '  const files = Object.keys(require.cache).filter((f) => f !== __filename);',
  '  fs.writeFileSync(process.env.STARTUP_MODULES, JSON.stringify(files));',
  '});',
].join('\n');

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly argv: string[];
  /** Exit codes that mean it ran (review exits 1 when it finds errors). */
  readonly ok: number[];
  /** Code compiled from src/ (the library or the CLI), as opposed to a baseline. */
  readonly ours: boolean;
}

interface ModuleCount {
  readonly total: number;
  /** Modules of the compiled src/ itself. */
  readonly own: number;
  /** Modules by package, most first. */
  readonly byPackage: Array<[string, number]>;
}

/** Every .js file tsc wrote, but not the Lambda handlers (bundled on their own, never required by the package). */
function compiledFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const f = join(dir, e.name);
    if (e.isDirectory()) return compiledFiles(f);
    return e.name.endsWith('.js') && !e.name.endsWith('.lambda.js') ? [f] : [];
  });
}

/**
 * The CDK modules src/ imports: the `aws-cdk-lib`, `aws-cdk-lib/<service>` and `constructs` of its
 * import statements, read from tsc's output, so an import used only for types (which tsc drops,
 * e.g. `secretsmanager.ISecret`) is not counted.
 */
function cdkImports(compiled: string): string[] {
  const found = new Set<string>();
  for (const file of compiledFiles(compiled)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)) {
      const spec = m[1];
      if (spec === 'aws-cdk-lib' || spec.startsWith('aws-cdk-lib/') || spec === 'constructs') found.add(spec);
    }
  }
  return [...found].sort((a, b) => (a === 'aws-cdk-lib' ? -1 : b === 'aws-cdk-lib' ? 1 : a.localeCompare(b)));
}

/** The committed src/ (`git archive HEAD src`), compiled into `outDir` the same way as the work tree, and its index bundled. */
async function compileHead(work: string, outDir: string): Promise<string> {
  const tree = join(work, 'head');
  mkdirSync(tree);
  const archive = execFileSync('git', ['archive', 'HEAD', 'src'], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', tree], { input: archive });
  copyFileSync(join(ROOT, 'tsconfig.json'), join(tree, 'tsconfig.json'));
  // For tsc only: the compiled output sits outside this folder and finds packages through NODE_PATH, as the work tree's does.
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
  compileTs(outDir, join(tree, 'tsconfig.json'));
  await bundleIndex(outDir, join(tree, 'src', 'index.ts'));
  return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
}

/** `@scope/name` or `name` of a file under node_modules; `(compiled src)` for the code measured. */
function packageOf(file: string, ownDirs: string[]): string {
  if (ownDirs.some((d) => file.startsWith(`${d}/`))) return '(compiled src)';
  const m = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return m ? m[1] : relative(ROOT, file);
}

function countModules(v: Variant, work: string, counter: string, ownDirs: string[]): ModuleCount {
  const out = join(work, `modules-${v.key}.json`);
  const r = runNode(['--require', counter, ...v.argv], 'pipe', { STARTUP_MODULES: out });
  if (r.status === null || !v.ok.includes(r.status)) throw new Error(`${v.key} failed (exit ${r.status}): ${r.stderr}`);
  const files = JSON.parse(readFileSync(out, 'utf8')) as string[];
  const byPackage = new Map<string, number>();
  for (const f of files) byPackage.set(packageOf(f, ownDirs), (byPackage.get(packageOf(f, ownDirs)) ?? 0) + 1);
  return {
    total: files.length,
    own: byPackage.get('(compiled src)') ?? 0,
    byPackage: [...byPackage].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  };
}

const secs = (ms: number) => (ms / 1000).toFixed(3);
const msText = (ms: number) => `${Math.round(ms)}`;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const counter = join(work, 'count-modules.js');
    writeFileSync(counter, COUNTER);

    const after = join(work, 'after');
    compileTs(after);
    const floorModules = cdkImports(after);
    // The same compiled work tree, as tsc leaves it (a module per file), and as published (index.js bundled).
    const modules = join(work, 'after-modules');
    cpSync(after, modules, { recursive: true });
    await bundleIndex(after, join(ROOT, 'src', 'index.ts'));
    const cdkOnly = floorModules.filter((m) => m !== 'constructs');
    process.stderr.write(`floor: the CDK modules src/ imports: ${floorModules.join(', ')}\n`);
    const builds: Array<{ tag: string; dir: string; name: string }> = [{ tag: 'after', dir: after, name: 'work tree' }];
    let headCommit = '';
    if (!values['no-before']) {
      const before = join(work, 'before');
      headCommit = await compileHead(work, before);
      builds.unshift({ tag: 'before', dir: before, name: `HEAD ${headCommit}` });
    }
    process.stderr.write(`compiled: ${builds.map((b) => `${b.tag} (${b.name})`).join(', ')}\n`);

    // A one-domain cloud assembly (bench/review/apps.ts: dept.gov.uk, a GovEmailDomain sending through SES).
    const assembly = join(work, 'cdk.out');
    synthAssembly({ kind: 'records', n: 0 }, assembly);
    const reports = join(ROOT, 'test', 'fixtures', 'reports', 'corpus');

    const requireAll = (mods: string[]) => mods.map((m) => `require(${JSON.stringify(m)});`).join('');
    const variants: Variant[] = [
      { key: 'node', label: 'node alone (`node -e ""`)', argv: ['-e', ''], ok: [0], ours: false },
      { key: 'floor', label: 'floor: the CDK modules src/ imports', argv: ['-e', requireAll(floorModules)], ok: [0], ours: false },
      { key: 'floor-cdk', label: 'floor without `constructs`', argv: ['-e', requireAll(cdkOnly)], ok: [0], ours: false },
      { key: 'lib-modules', label: '`require(\'cdk-gov-email\')`, after, index not bundled (a module per file)', argv: ['-e', `require(${JSON.stringify(join(modules, 'index.js'))})`], ok: [0], ours: true },
      ...builds.flatMap((b) => [
        { key: `lib-${b.tag}`, label: `\`require('cdk-gov-email')\`, ${b.tag}`, argv: ['-e', `require(${JSON.stringify(join(b.dir, 'index.js'))})`], ok: [0], ours: true },
        { key: `help-${b.tag}`, label: `\`gov-email --help\`, ${b.tag}`, argv: [join(b.dir, 'cli', 'bin.js'), '--help'], ok: [0], ours: true },
        { key: `review-${b.tag}`, label: `\`gov-email review\` (one domain), ${b.tag}`, argv: [join(b.dir, 'cli', 'bin.js'), 'review', assembly], ok: [0, 1], ours: true },
      ]),
    ];
    // Counted only (not timed): the other commands' paths, to show what each loads.
    const countedOnly: Variant[] = builds.flatMap((b) => [
      { key: `check-help-${b.tag}`, label: `\`gov-email check --help\`, ${b.tag}`, argv: [join(b.dir, 'cli', 'bin.js'), 'check', '--help'], ok: [0], ours: true },
      { key: `reports-${b.tag}`, label: `\`gov-email reports\` (test/fixtures/reports/corpus), ${b.tag}`, argv: [join(b.dir, 'cli', 'bin.js'), 'reports', reports], ok: [0, 1], ours: true },
      { key: `verify-help-${b.tag}`, label: `\`gov-email verify --help\`, ${b.tag}`, argv: [join(b.dir, 'cli', 'bin.js'), 'verify', '--help'], ok: [0], ours: true },
    ]);

    const ownDirs = [...builds.map((b) => b.dir), modules];
    const counts = new Map<string, ModuleCount>([...variants, ...countedOnly].map((v) => [v.key, countModules(v, work, counter, ownDirs)]));
    for (const v of [...variants, ...countedOnly]) {
      const c = counts.get(v.key)!;
      process.stderr.write(`${v.key}: ${c.total} modules; ${c.byPackage.slice(0, 8).map(([p, n]) => `${p} ${n}`).join(', ')}\n`);
    }

    const times = new Map<string, number[]>(variants.map((v) => [v.key, []]));
    const devNull = openSync('/dev/null', 'w');
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        // Rotate the order each round so no variant always runs first (or last) on a busy machine.
        const order = variants.map((_, i) => variants[(i + round - 1) % variants.length]);
        for (const v of order) {
          const r = runNode(v.argv, devNull);
          if (r.status === null || !v.ok.includes(r.status)) throw new Error(`${v.key} failed (exit ${r.status}): ${r.stderr}`);
          times.get(v.key)!.push(r.ms);
        }
        process.stderr.write(`round ${round}/${ROUNDS}: ${variants.map((v) => `${v.key} ${secs(times.get(v.key)![round - 1])}`).join(', ')}\n`);
      }
    } finally {
      closeSync(devNull);
    }

    const med = (key: string) => median(times.get(key)!);
    const nodeMs = med('node');
    const floorMs = med('floor');
    const loaded = (c: ModuleCount, prefix: string) => c.byPackage.filter(([p]) => p === prefix || p.startsWith(`${prefix}/`)).reduce((s, [, n]) => s + n, 0);
    const top = (c: ModuleCount) => c.byPackage.slice(0, 4).map(([p, n]) => `${p} ${n}`).join(', ');
    const rows = variants.map((v) => {
      const c = counts.get(v.key)!;
      const ts = times.get(v.key)!;
      return [
        v.label, secs(med(v.key)), `${secs(Math.min(...ts))}–${secs(Math.max(...ts))}`, `${(med(v.key) / floorMs).toFixed(2)}×`,
        msText(med(v.key) - nodeMs), String(c.total), top(c), String(loaded(c, 'cdk-nag')), String(loaded(c, '@aws-sdk')),
      ];
    });
    const resultTable = table(['Process', 'Median (s)', 'Rounds (s)', '÷ floor', 'Over node (ms)', 'Modules', 'Most modules from', 'cdk-nag', '@aws-sdk/*'], rows);
    const countRows = countedOnly.map((v) => {
      const c = counts.get(v.key)!;
      return [v.label, String(c.total), top(c), String(loaded(c, 'cdk-nag')), String(loaded(c, '@aws-sdk'))];
    });
    const countTable = table(['Process (modules counted, not timed)', 'Modules', 'Most modules from', 'cdk-nag', '@aws-sdk/*'], countRows);

    const libAfter = med('lib-after') / floorMs;
    const spread = Math.max(...variants.map((v) => Math.max(...times.get(v.key)!) / Math.min(...times.get(v.key)!)));
    const goal = [
      `Goal: \`require('cdk-gov-email')\` at most 1.3× the floor. Measured: ${libAfter.toFixed(2)}× (${secs(med('lib-after'))} s against`,
      `${secs(floorMs)} s${values['no-before'] ? '' : `; before: ${(med('lib-before') / floorMs).toFixed(2)}×`}; index not bundled: ${(med('lib-modules') / floorMs).toFixed(2)}×):`,
      `${libAfter <= 1.3 ? 'met' : 'not met'}.`,
      `Over node's own start-up the library takes ${msText(med('lib-after') - nodeMs)} ms against the floor's ${msText(floorMs - nodeMs)} ms.`,
    ].join(' ');

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const section = [
      '## Start-up',
      '',
      'What a user waits for before any work: `require(\'cdk-gov-email\')` in an app, and the `gov-email` command line, each a whole',
      'Node.js process. Run with:',
      '',
      '```sh',
      COMMAND,
      '```',
      '',
      'src/ is compiled by `tsc -p tsconfig.json --outDir <temporary folder>` (node_modules found through NODE_PATH), so ts-node is',
      `not in the times${values['no-before'] ? '' : `; "before" is \`git archive HEAD src\` (${headCommit}) compiled the same way, "after" the work tree`}.`,
      'Then index.js is bundled as the package build does (build-tools/bundle-index.ts: one file holding the modules it reaches,',
      'packages left as `require`s); "index not bundled" is the work tree as tsc leaves it, a module per file.',
      'Baselines from the same run, sharing no code with the library: node alone, and the floor, a `node -e` that requires',
      `exactly the CDK modules src/ imports (its import statements as tsc compiles them, so type-only imports are left out): ${floorModules.map((m) => `\`${m}\``).join(', ')}.`,
      'No library built on those modules can load in less. "Over node" takes node\'s own start-up off. Modules are counted in one',
      'more run of each (`require.cache` at exit: CommonJS files, not Node.js built-ins). `gov-email review` reads a cloud assembly',
      'of one `GovEmailDomain` (dept.gov.uk, sending through Amazon SES; bench/review/apps.ts).',
      '',
      `Each figure is the median of ${ROUNDS} rounds; each round runs every process once, in an order rotated from round to round.`,
      `Machine: ${cpus().length} × ${cpu}, Node.js ${process.version}, ${process.platform}; other work may be running on the machine,`,
      `so single rounds vary (the widest range of one process was ${spread.toFixed(1)}×) and the medians are what to compare.`,
      '',
      resultTable,
      '',
      countTable,
      '',
      goal,
      '',
    ].join('\n');

    process.stdout.write(`${section}\n`);
    if (!values['no-write']) writeSection('## Start-up', section);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});
