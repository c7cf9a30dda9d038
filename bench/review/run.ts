/**
 * `gov-email review` benchmark: the whole process a user runs,
 *
 *   node <compiled CLI> review <cdk.out> --format json > /dev/null
 *
 * on cloud assemblies synthesised once per size with the library (bench/review/apps.ts): a
 * DomainPortfolio of 100, 1,000 and 3,000 parked domains, and one domain with 8,000 extra record
 * sets. The CLI runs from JavaScript compiled from src/ by tsc into a temporary folder (so
 * ts-node's start-up is not measured, and the code measured is the work tree's, never a stale
 * lib/).
 *
 * Baselines, measured in the same run and sharing no code with the CLI:
 *   floor      `node -e` that reads and JSON.parses manifest.json and every template file of the
 *              same assembly: the least any review of it must do
 *   node       `node -e ""`: a process starting and exiting
 *
 * Each round runs every variant once, in an order rotated from round to round; each figure is
 * the median of ROUNDS rounds. Results are printed and written into docs/benchmarks.md under
 * "## gov-email review".
 *
 *   npx ts-node --project test/tsconfig.json bench/review/run.ts [--rounds 5] [--sizes 100,1000,3000] [--records 8000] [--no-write]
 */
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AssemblySpec, labelOf, synthAssembly } from './apps';
import { compileTs, median, runNode, table, writeSection } from '../support';

const COMMAND = 'npx projen bench:review';

const { values } = parseArgs({
  options: {
    'rounds': { type: 'string', default: '5' },
    'sizes': { type: 'string', default: '100,1000,3000' },
    'records': { type: 'string', default: '8000' },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
const SIZES = values.sizes!.split(',').filter((s) => s !== '').map(Number);
const RECORDS = Number(values.records);

/**
 * The floor: read and parse every JSON file the review reads (the manifest and the templates),
 * written with nothing from src/.
 */
const FLOOR_SCRIPT = [
  'const fs = require("fs"), path = require("path");',
  'const walk = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) {',
  '  const f = path.join(dir, e.name);',
  '  if (e.isDirectory()) walk(f);',
  '  else if (e.name === "manifest.json" || e.name.endsWith(".template.json")) JSON.parse(fs.readFileSync(f, "utf8"));',
  '} };',
  'walk(process.argv[1]);',
].join('\n');

interface Assembly {
  readonly spec: AssemblySpec;
  readonly dir: string;
  readonly templates: number;
  readonly bytes: number;
  /** Domains and record sets, as the review reports them (read from its JSON once, outside the timing). */
  readonly domains: number;
  readonly records: number;
}

interface Variant {
  readonly key: string;
  readonly argv: string[];
  readonly assembly?: Assembly;
  readonly review: boolean;
}

/** Compile src/ with tsc into a temporary folder; the CLI's entry point there. */
function compileCli(work: string): { bin: string; how: string } {
  const outDir = join(work, 'cli');
  compileTs(outDir);
  return {
    bin: join(outDir, 'cli', 'bin.js'),
    how: 'src/ compiled by `tsc -p tsconfig.json --outDir <temporary folder>` (node_modules found through NODE_PATH)',
  };
}

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const f = join(dir, e.name);
    if (e.isDirectory()) return templateFiles(f);
    return e.name.endsWith('.template.json') ? [f] : [];
  });
}

const secs = (ms: number) => (ms / 1000).toFixed(2);
const num = (n: number) => n.toLocaleString('en-GB');
const listed = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'bench-review-'));
  try {
    const cli = compileCli(work);
    process.stderr.write(`CLI: ${cli.how}\n`);

    const specs: AssemblySpec[] = [...SIZES.map((n) => ({ kind: 'parked' as const, n })), ...(RECORDS > 0 ? [{ kind: 'records' as const, n: RECORDS }] : [])];
    const assemblies: Assembly[] = specs.map((spec, i) => {
      const dir = join(work, `assembly-${i + 1}`);
      const start = performance.now();
      synthAssembly(spec, dir);
      const files = templateFiles(dir);
      // One untimed review to learn what it reports (and that it runs): domains and record sets.
      const check = runNode([cli.bin, 'review', dir, '--format', 'json'], 'pipe');
      if (check.status !== 0 && check.status !== 1) throw new Error(`review of ${labelOf(spec)} failed (exit ${check.status}): ${check.stderr}`);
      const report = JSON.parse(check.stdout) as { domains: Array<{ records: Array<{ origin?: string }> }> };
      const recordSets = new Set(report.domains.flatMap((d) => d.records.map((r) => r.origin)));
      const a: Assembly = {
        spec,
        dir,
        templates: files.length,
        bytes: files.reduce((sum, f) => sum + statSync(f).size, 0),
        domains: report.domains.length,
        records: recordSets.size,
      };
      process.stderr.write(`${labelOf(spec)}: synthesised in ${secs(performance.now() - start)} s, ${a.templates} templates, `
        + `${num(a.bytes)} bytes; review reports ${num(a.domains)} domain(s), ${num(a.records)} record sets\n`);
      return a;
    });

    const variants: Variant[] = [
      { key: 'node', argv: ['-e', ''], review: false },
      ...assemblies.flatMap((a, i) => [
        { key: `review-${i}`, argv: [cli.bin, 'review', a.dir, '--format', 'json'], assembly: a, review: true },
        { key: `floor-${i}`, argv: ['-e', FLOOR_SCRIPT, a.dir], assembly: a, review: false },
      ]),
    ];
    const times = new Map<string, number[]>(variants.map((v) => [v.key, []]));
    const devNull = openSync('/dev/null', 'w');
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        // Rotate the order each round so no variant always runs first (or last) on a busy machine.
        const order = variants.map((_, i) => variants[(i + round - 1) % variants.length]);
        for (const v of order) {
          const r = runNode(v.argv, devNull);
          if (r.status !== 0 && !(v.review && r.status === 1)) throw new Error(`${v.key} failed (exit ${r.status}): ${r.stderr}`);
          times.get(v.key)!.push(r.ms);
        }
        process.stderr.write(`round ${round}/${ROUNDS}: ${variants.map((v) => `${v.key} ${secs(times.get(v.key)![round - 1])} s`).join(', ')}\n`);
      }
    } finally {
      closeSync(devNull);
    }

    const med = (key: string) => median(times.get(key)!);
    const nodeMs = med('node');
    const rows = assemblies.map((a, i) => {
      const review = med(`review-${i}`);
      const floor = med(`floor-${i}`);
      const rounds = times.get(`review-${i}`)!;
      return [
        labelOf(a.spec), num(a.domains), num(a.records), String(a.templates), (a.bytes / 1e6).toFixed(1),
        secs(review), `${secs(Math.min(...rounds))}–${secs(Math.max(...rounds))}`, secs(floor), `${(review / floor).toFixed(1)}×`,
        num(Math.round(1000 * review / a.domains)), num(Math.round(1000 * (review - nodeMs) / a.domains)),
        (1000 * (review - nodeMs) / a.records).toFixed(0),
      ];
    });
    const resultTable = table(['Assembly', 'Domains', 'Record sets', 'Templates', 'Template MB', 'Review (s)', 'Rounds (s)', 'Floor (s)',
      'Review ÷ floor', 'µs a domain', 'µs a domain over node start-up', 'µs a record set over node start-up'], rows);

    const parked = assemblies.map((a, i) => ({ a, i })).filter(({ a }) => a.spec.kind === 'parked');
    const perDomain = (i: number) => med(`review-${i}`) / assemblies[i].domains;
    const netPerDomain = (i: number) => (med(`review-${i}`) - nodeMs) / assemblies[i].domains;
    let goal = '';
    if (parked.length >= 2) {
      const first = parked[0];
      const last = parked[parked.length - 1];
      const growth = perDomain(last.i) / perDomain(first.i);
      const netGrowth = netPerDomain(last.i) / netPerDomain(first.i);
      const lastSecs = med(`review-${last.i}`) / 1000;
      const met = lastSecs < 2 && growth <= 1.5;
      goal = [
        `Goal: ${num(last.a.domains)} parked domains reviewed in under 2 s, and time ÷ domains within 1.5× from ${num(first.a.domains)}`,
        `to ${num(last.a.domains)} domains. Measured: ${lastSecs.toFixed(2)} s; time ÷ domains ${growth.toFixed(2)}× from`,
        `${num(first.a.domains)} to ${num(last.a.domains)} (${netGrowth.toFixed(2)}× after taking node's start-up off): ${met ? 'met' : 'not met'}.`,
        'Time ÷ domains falls with size because loading the CLI\'s modules is a fixed cost; what each further domain costs (the',
        'difference in time ÷ the difference in domains) is',
        `${listed(parked.slice(1).map(({ a, i }, k) => {
          const prev = parked[k];
          const marginal = 1000 * (med(`review-${i}`) - med(`review-${prev.i}`)) / (a.domains - prev.a.domains);
          return `${num(Math.round(marginal))} µs from ${num(prev.a.domains)} to ${num(a.domains)}`;
        }))}.`,
      ].join(' ');
    }

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const section = [
      '## gov-email review',
      '',
      '`gov-email review <cdk.out> --format json > /dev/null`, the whole process a user runs, on cloud assemblies synthesised once with the',
      `library (bench/review/apps.ts): a \`DomainPortfolio\` of ${listed(SIZES.map(num))} parked domains (five record sets each, the`,
      `portfolio of bench/synth), and one \`GovEmailDomain\` (dept.gov.uk, Amazon SES) with ${num(RECORDS)} more record sets in its zone:`,
      'DKIM CNAMEs of other mail services (`<selector>._domainkey.dept.gov.uk`) and service hosts (`<service>.dept.gov.uk` CNAMEs with',
      '`_verify.<service>` TXT tokens), in record set groups of 500. Run with:',
      '',
      '```sh',
      COMMAND,
      '```',
      '',
      `The CLI runs as JavaScript: ${cli.how},`,
      'so ts-node\'s start-up is not in the times. Baselines from the same run, sharing no code with the CLI: "floor" is `node -e`',
      'reading and `JSON.parse`-ing manifest.json and every template of the same assembly (the least any review must do), and',
      `node's own start-up (\`node -e ""\`) took ${secs(nodeMs)} s. Each figure is the median of ${ROUNDS} rounds; each round runs every`,
      'variant once, in an order rotated from round to round. "Over node start-up" takes that start-up off the review\'s time.',
      '',
      `Machine: ${cpus().length} × ${cpu}, Node.js ${process.version}, ${process.platform}; other work may be running on the machine, so single`,
      'rounds vary (the range is shown) and the medians are what to compare.',
      '',
      resultTable,
      '',
      goal,
      '',
    ].join('\n');

    process.stdout.write(`${section}\n`);
    if (!values['no-write']) writeSection('## gov-email review', section);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
