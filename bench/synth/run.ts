/**
 * Synthesis benchmark: N parked domains (100, 1,000 and 3,000) written three ways, side by side
 * in one run, each measurement in a child process of its own (so its peak memory is its own):
 *
 *   portfolio  DomainPortfolio (one ParkedDomain, one AWS::Route53::RecordSetGroup, per domain)
 *   l2         the same five record sets per domain written by hand with aws-cdk-lib L2
 *              constructs (TxtRecord, MxRecord, CaaRecord), 80 domains a stack
 *   l2-quiet   the same L2 app with the stack traces off that DomainPortfolio turns off in its
 *              own subtree, to show how much of the difference that is
 *   l1         the same record sets as raw CfnRecordSets, 80 domains a stack
 *
 * Time is building the constructs plus `app.synth()` (writing the cloud assembly), measured in
 * the child; modules are loaded before the clock starts. Memory is the child's max RSS. Each
 * figure is the median of ROUNDS rounds, the variants interleaved within a round.
 *
 * Beside them, whole processes as `cdk synth` runs an app (bench/synth/whole-process.ts): the
 * portfolio app against the work tree and against `git archive HEAD src` (or `--before <rev>`), and the hand-written L2
 * app, each timed from spawn to exit, WHOLE_ROUNDS rounds.
 *
 * Results are printed and written into docs/benchmarks.md under "## Synthesis (DomainPortfolio)"
 * (its "### Notes", written by hand, are kept).
 *
 *   npx projen bench:synth [--rounds 3] [--whole-rounds 5] [--sizes 100,1000,3000]
 *     [--before <rev> | --no-before] [--whole-only] [--no-write]
 *
 * `--whole-only` measures the whole processes alone, and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { App, CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { benchShardCount } from './variants';
import { measureWholeProcess, wholeProcessSection } from './whole-process';
import { DomainPortfolio, PortfolioDomain } from '../../src/constructs/domain-portfolio';
import { Sender } from '../../src/senders/sender';
import { median, table, writeSection } from '../support';

const ROOT = join(__dirname, '..', '..');
const COMMAND = 'npx projen bench:synth';
const VARIANTS = ['portfolio', 'l2', 'l2-quiet', 'l1'] as const;
const LABELS: Record<string, string> = {
  'portfolio': 'DomainPortfolio',
  'l2': 'hand-written L2 (TxtRecord, MxRecord, CaaRecord)',
  'l2-quiet': 'hand-written L2, stack traces off',
  'l1': 'hand-written L1 (CfnRecordSet)',
};

interface Measurement {
  readonly variant: string;
  readonly n: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  readonly maxRssKb: number;
  readonly rssBeforeKb: number;
  readonly stacks: Array<{ name: string; resources: number; bytes: number }>;
}

const { values } = parseArgs({
  options: {
    'rounds': { type: 'string', default: '3' },
    'whole-rounds': { type: 'string', default: '5' },
    'sizes': { type: 'string', default: '100,1000,3000' },
    'before': { type: 'string', default: 'HEAD' },
    'no-before': { type: 'boolean', default: false },
    'whole-only': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
const WHOLE_ROUNDS = Number(values['whole-rounds']);
if (!(ROUNDS >= 3) || !(WHOLE_ROUNDS >= 3)) throw new Error('--rounds and --whole-rounds: at least 3');
const SIZES = values.sizes!.split(',').map(Number);

function measure(variant: string, n: number): Measurement {
  const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'child.ts'), variant, String(n), out], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'test', 'tsconfig.json') },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`${variant} ${n} failed (exit ${run.status}): ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').pop()!);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const secs = (ms: number) => (ms / 1000).toFixed(2);
const mb = (kb: number) => String(Math.round(kb / 1024));
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** CloudFormation resources of each kind of domain, counted in a portfolio. */
function resourcesPerDomain(): string[][] {
  const app = new App();
  const report = ['mailto:dmarc-reports@dept.gov.uk'];
  const p = new DomainPortfolio(app, 'Count', {
    dmarcReportTo: report,
    domains: [
      PortfolioDomain.parked({ domainName: 'old-dept.gov.uk', hostedZoneId: 'Z0OLD' }),
      PortfolioDomain.sending({
        domainName: 'dept.gov.uk',
        hostedZoneId: 'Z0DEPT',
        tlsReportTo: ['mailto:tls-reports@dept.gov.uk'],
        dmarc: { reportTo: report },
        senders: [Sender.amazonSes(), Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' }), Sender.govUkNotify()],
      }),
      PortfolioDomain.sending({ domainName: 'notify.dept.gov.uk', hostedZoneId: 'Z0DEPT', zoneName: 'dept.gov.uk', dmarc: { reportTo: report }, senders: [Sender.amazonSes()] }),
    ],
  });
  const count = (c: IConstruct) => c.node.findAll().filter((x) => CfnResource.isCfnResource(x)).length;
  const recordSets = (c: IConstruct) => c.node.findAll().filter((x) => CfnResource.isCfnResource(x)).reduce((sum, r) => {
    const t = (r as CfnResource).cfnResourceType;
    return sum + (t === 'AWS::Route53::RecordSet' ? 1 : t === 'AWS::Route53::RecordSetGroup' ? ((r as any).recordSets?.length ?? 0) : 0);
  }, 0);
  const parked = p.parkedDomain('old-dept.gov.uk');
  const dept = p.sendingDomain('dept.gov.uk');
  const notify = p.sendingDomain('notify.dept.gov.uk');
  const host = p.mtaStsStack!;
  return [
    ['parked domain (SPF, null MX, CAA, DMARC, DKIM revocation)', String(count(parked)), String(recordSets(parked)),
      '1 (one record set group)', '5 (the L2 and L1 versions: one resource a record set)'],
    ['sending domain: SES + Microsoft 365 + Notify, MTA-STS', String(count(dept)), String(recordSets(dept)),
      '3 (identity, configuration set, one record set group)', 'plus, in the us-east-1 host stack, 1 record set group (mta-sts A/AAAA)'],
    ['sending domain: SES only (a subdomain)', String(count(notify)), String(recordSets(notify)),
      '3 (identity, configuration set, one record set group)', ''],
    ['MTA-STS host, per 100 receiving domains', String(count(host) - 1), '', '3 (function, certificate, distribution)', 'and 1 record set group per domain'],
  ];
}

function main(): void {
  // The whole processes first: what a user feels.
  const whole = measureWholeProcess(SIZES, WHOLE_ROUNDS, values['no-before'] ? undefined : values.before);
  const wholeText = wholeProcessSection(whole);
  if (values['whole-only']) {
    process.stdout.write(`${wholeText}\n`);
    return;
  }
  const results: Measurement[] = [];
  const baseline = [1, 2, 3].map(() => measure('portfolio', 0));
  for (const n of SIZES) {
    for (let round = 1; round <= ROUNDS; round++) {
      // Rotate the order each round so no variant always runs first (or last) on a busy machine.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const v of order) {
        const m = measure(v, n);
        results.push(m);
        process.stderr.write(`${v} n=${n} round ${round}: ${secs(m.totalMs)} s, ${mb(m.maxRssKb)} MB, ${m.stacks.length} stacks\n`);
      }
    }
  }
  const pick = (v: string, n: number) => results.filter((r) => r.variant === v && r.n === n);
  const med = (v: string, n: number, f: (m: Measurement) => number) => median(pick(v, n).map(f));
  const baseRss = median(baseline.map((b) => b.maxRssKb));

  const rows: string[][] = [];
  for (const n of SIZES) {
    const l2 = med('l2', n, (m) => m.totalMs);
    for (const v of VARIANTS) {
      const t = med(v, n, (m) => m.totalMs);
      const s = pick(v, n)[0].stacks;
      rows.push([String(n), LABELS[v], String(s.length), secs(med(v, n, (m) => m.buildMs)), secs(med(v, n, (m) => m.synthMs)), secs(t),
        ratio(t, l2), mb(med(v, n, (m) => m.maxRssKb)), mb(med(v, n, (m) => m.maxRssKb) - baseRss)]);
    }
  }
  const timeTable = table(['Domains', 'Variant', 'Stacks', 'Build (s)', 'Synth (s)', 'Total (s)', '÷ L2 time', 'Peak RSS (MB)', 'RSS over empty app (MB)'], rows);

  const growthRows = VARIANTS.map((v) => {
    const cells = [LABELS[v]];
    for (let i = 1; i < SIZES.length; i++) {
      const a = med(v, SIZES[i - 1], (m) => m.totalMs);
      const b = med(v, SIZES[i], (m) => m.totalMs);
      cells.push(`${ratio(b, a)} (×${(SIZES[i] / SIZES[i - 1]).toFixed(0)} domains)`);
    }
    const big = SIZES[SIZES.length - 1];
    cells.push(`${(med(v, big, (m) => m.totalMs) / big).toFixed(1)} ms`);
    return cells;
  });
  const growthHeader = ['Variant', ...SIZES.slice(1).map((n, i) => `${SIZES[i]} → ${n}`), `ms a domain at ${SIZES[SIZES.length - 1]}`];
  const growthTable = table(growthHeader, growthRows);

  const largest = SIZES[SIZES.length - 1];
  const share = (n: number) => med('portfolio', n, (m) => m.totalMs) / med('l2', n, (m) => m.totalMs);
  const goal = [
    `Goal (in process): at ${largest.toLocaleString('en-GB')} domains at most 0.7× the hand-written L2 time, and never slower than it at smaller sizes.`,
    `Measured: ${SIZES.map((n) => `${ratio(share(n), 1)} at ${n.toLocaleString('en-GB')}`).join(', ')}:`,
    share(largest) <= 0.7 && SIZES.every((n) => share(n) <= 1) ? 'met.' : `not met at ${largest.toLocaleString('en-GB')}.`,
    'Before `TxtChunks` read and split ASCII text without encoding it one character at a time, that encoding was about half of the',
    'portfolio\'s build time (a CPU profile at 3,000 domains) and the portfolio measured 0.82× the L2 time at 3,000 domains (12.25 s against',
    '15.01 s); the rest of the difference is one resource a domain instead of five, and no stack traces (below).',
  ].join(' ');
  const stacks = pick('portfolio', largest)[0].stacks;
  const stackTable = table(['Stack', 'Resources', 'Template (bytes)', 'Share of the 1 MB limit'],
    stacks.map((s) => [s.name, String(s.resources), s.bytes.toLocaleString('en-GB'), `${(100 * s.bytes / 1_000_000).toFixed(0)}%`]));
  const l2Stacks = pick('l2', largest)[0].stacks;

  const perDomain = table(['Domain', 'Resources', 'Record sets', 'Minimum resources', 'Notes'], resourcesPerDomain());

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const section = [
    '## Synthesis (DomainPortfolio)',
    '',
    'Parked domains (SPF `-all`, null MX, CAA, DMARC reject, DKIM revocation: five record sets each), written with DomainPortfolio and by hand, synthesised as whole `cdk synth` processes and in process, in one run. Run with:',
    '',
    '```sh',
    COMMAND,
    '```',
    '',
    `Machine: ${cpus().length} × ${cpu}, Node.js ${process.version}, ${process.platform}; other work was running on the machine, so single runs vary by up to 2× and the medians are what to compare.`,
    '',
    `The portfolio uses \`shardCount\` = N ÷ 300 rounded up (${SIZES.map((n) => `${n}: ${benchShardCount(n)}`).join(', ')}), at most 400 resources a stack; the hand-written versions fill stacks of 80 domains (400 resources) in order.`,
    '',
    wholeText,
    '### In process: building and synthesising, modules already loaded',
    '',
    `Written three ways. Each figure is the median of ${ROUNDS} rounds, each measurement in a child process of its own (run with ts-node); the variants take turns going first. Time is building the constructs plus \`app.synth()\` (modules already loaded); memory is the child's peak RSS (an empty app: ${mb(baseRss)} MB).`,
    '',
    timeTable,
    '',
    'How time grows with the number of domains (total time at the larger size ÷ at the smaller):',
    '',
    growthTable,
    '',
    goal,
    '',
    '"hand-written L2, stack traces off" is the L2 app with the two stack-trace context keys DomainPortfolio sets in its own subtree (`aws:cdk:disable-stack-trace`, `aws:cdk:disable-creation-stack-traces`; CDK_DEBUG or the app\'s own setting turns them back on): the rest of the difference is one resource a domain instead of five.',
    '',
    `### ${largest.toLocaleString('en-GB')} parked domains: stacks, resources and template sizes`,
    '',
    'CloudFormation allows 500 resources a stack. `cdk deploy` uploads each template to the bootstrap bucket and passes its S3 URL, so the limit that applies is 1 MB (1,000,000 bytes) for a template in S3, not 51,200 bytes for a template body passed inline. Sizes are the template files as `cdk synth` writes them (indented by one space).',
    '',
    stackTable,
    '',
    `The hand-written versions need ${l2Stacks.length} stacks for the same domains (5 resources a domain).`,
    '',
    '### CloudFormation resources per domain',
    '',
    perDomain,
    '',
    'A parked domain is at the minimum: one resource for its five record sets. A sending domain is one resource per record set plus SES\'s two: aws-cdk-lib\'s `EmailIdentity` and `ConfigurationSet` are one each, and every other resource is one record set; one record set group could hold them all (the SES DKIM CNAMEs would then wait for the identity, which they do anyway), which would bring the department domain from 14 resources to 3.',
    '',
  ].join('\n');

  process.stdout.write(`${section}\n`);
  if (!values['no-write']) writeSection('## Synthesis (DomainPortfolio)', section);
}

main();
