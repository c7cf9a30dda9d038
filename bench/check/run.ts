/**
 * Benchmark of `gov-email check`: 1,000 generated domains served by the test DNS and HTTPS
 * servers (in a process of their own, on 127.0.0.1), checked in one run, measured side by side
 * with (a) the same checks done sequentially and (b) the floor: the same DNS queries and HTTPS
 * fetches issued with the same concurrency and nothing else (no evaluation, no waiting on one
 * answer before asking the next). Also sweeps the concurrency, to choose the default.
 *
 *   npx ts-node --project test/tsconfig.json bench/check/run.ts
 *
 * Prints the table and writes it, with the command, into docs/benchmarks.md (the
 * "## gov-email check" section). BENCH_DOMAINS and BENCH_ROUNDS override the size and repeats.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BENCH_DOMAINS, benchDomains } from './world';
import { DEFAULT_CONCURRENCY, checkDomains } from '../../src/cli/check/bulk';
import { checkDomain } from '../../src/cli/check/checker';
import { DEFAULT_MAX_IN_FLIGHT, DnsClient, DnsQueryRecord } from '../../src/cli/check/dns';
import { PolicyFetchOptions, fetchMtaStsPolicy } from '../../src/cli/check/mta-sts-fetch';
import { DomainReport } from '../../src/cli/report';

const COMMAND = 'npx ts-node --project test/tsconfig.json bench/check/run.ts';
const ROOT = join(__dirname, '..', '..');
const N = Number(process.env.BENCH_DOMAINS ?? BENCH_DOMAINS);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SWEEP = [1, 4, 8, 16, 32, 64];
const TIMEOUT_MS = 10_000;

/** One set of servers to check against. */
interface Servers {
  readonly dns: string;
  readonly fetch: PolicyFetchOptions;
}

interface Started {
  readonly child: ChildProcess;
  readonly latencyMs: number;
  readonly local: Servers;
  readonly far: Servers;
}

async function startServers(): Promise<Started> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', join(__dirname, 'servers.ts')], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'test', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true', BENCH_DOMAINS: String(N) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)));
  });
  type Ports = { dnsPort: number; httpsPort: number };
  const info = JSON.parse(line) as { caFile: string; latencyMs: number; local: Ports; far: Ports };
  const ca = [readFileSync(info.caFile, 'utf8')];
  const servers = (p: Ports): Servers => ({
    dns: `127.0.0.1:${p.dnsPort}`,
    fetch: { timeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS, ca, connectTo: { host: '127.0.0.1', port: p.httpsPort } },
  });
  return { child, latencyMs: info.latencyMs, local: servers(info.local), far: servers(info.far) };
}

/** The checks, as `gov-email check` runs them, with a fresh DNS cache. */
async function timeCheck(servers: Servers, domains: string[], concurrency: number): Promise<{ ms: number; reports: DomainReport[] }> {
  const dns = new DnsClient({ servers: [servers.dns], timeoutMs: TIMEOUT_MS });
  const started = process.hrtime.bigint();
  const reports = await checkDomains(domains, { dns, concurrency, fetch: servers.fetch });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  dns.close();
  return { ms, reports };
}

interface DomainWork {
  readonly queries: DnsQueryRecord[];
  readonly fetches: boolean;
}

/** Record which queries (after the cache) and fetches the checks make, per domain. */
async function recordWork(servers: Servers, domains: string[]): Promise<Map<string, DomainWork>> {
  const store = new AsyncLocalStorage<string>();
  const queries = new Map<string, DnsQueryRecord[]>(domains.map((d) => [d, []]));
  const dns = new DnsClient({ servers: [servers.dns], timeoutMs: TIMEOUT_MS });
  dns.onQuery = (q) => queries.get(store.getStore()!)!.push(q);
  const reports: DomainReport[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: DEFAULT_CONCURRENCY }, async () => {
    while (next < domains.length) {
      const d = domains[next++];
      reports.push(await store.run(d, () => checkDomain(d, { dns, fetch: servers.fetch })));
    }
  }));
  dns.close();
  const fetched = new Set(reports.filter((r) => r.records.some((x) => x.type === 'POLICY')
    || r.findings.some((f) => f.ruleId === 'GOVUK-MTASTS-POLICY-UNAVAILABLE')).map((r) => r.domain));
  return new Map(domains.map((d) => [d, { queries: queries.get(d)!, fetches: fetched.has(d) }]));
}

/** The floor: the same queries and fetches, each domain's all at once, nothing evaluated. */
async function timeFloor(servers: Servers, domains: string[], work: Map<string, DomainWork>, concurrency: number): Promise<number> {
  const dns = new DnsClient({ servers: [servers.dns], timeoutMs: TIMEOUT_MS });
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < domains.length) {
      const d = domains[next++];
      const w = work.get(d)!;
      await Promise.all([
        ...w.queries.map((q) => dns.byType(q.type, q.name)),
        ...(w.fetches ? [fetchMtaStsPolicy(d, servers.fetch)] : []),
      ]);
    }
  }));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  dns.close();
  return ms;
}

/**
 * The best (shortest) of the rounds: other work on the machine only ever adds time, so the
 * shortest round is the closest to what the run itself costs.
 */
function best(xs: number[]): number {
  return Math.min(...xs);
}

function summary(reports: DomainReport[]): string {
  return JSON.stringify(reports.map((r) => [r.domain, r.profile, r.findings.map((f) => `${f.ruleId}@${f.path}`).sort()]));
}

interface ScenarioResult {
  readonly title: string;
  readonly main: string[][];
  readonly sweep: string[][];
  readonly queries: number;
  readonly fetches: number;
  readonly identical: boolean;
  readonly smallestNearBest: number;
  /** The largest ratio of slowest to fastest round of one configuration. */
  readonly spread: number;
}

/** Run the sweep (which includes the sequential run) and the floor, round by round, side by side. */
async function scenario(title: string, servers: Servers, domains: string[]): Promise<ScenarioResult> {
  // Warm up (JIT, TLS code paths) on a slice; not measured.
  await timeCheck(servers, domains.slice(0, 100), DEFAULT_CONCURRENCY);
  const work = await recordWork(servers, domains);
  const checkMs = new Map<number, number[]>(SWEEP.map((c) => [c, []]));
  const floorMs: number[] = [];
  let reference: string | undefined;
  let identical = true;
  for (let round = 0; round < ROUNDS; round++) {
    // The machine's load drifts: the floor comes first and the order of the concurrencies
    // rotates from round to round, so no configuration always runs at the same moment.
    floorMs.push(await timeFloor(servers, domains, work, DEFAULT_CONCURRENCY));
    process.stderr.write(`${title}, round ${round + 1}/${ROUNDS}: floor, concurrency ${DEFAULT_CONCURRENCY}: ${(floorMs[floorMs.length - 1] / 1000).toFixed(2)} s\n`);
    for (const c of [...SWEEP.slice(round % SWEEP.length), ...SWEEP.slice(0, round % SWEEP.length)]) {
      const { ms, reports } = await timeCheck(servers, domains, c);
      checkMs.get(c)!.push(ms);
      const s = summary(reports);
      reference ??= s;
      identical &&= s === reference;
      process.stderr.write(`${title}, round ${round + 1}/${ROUNDS}: check, concurrency ${c}: ${(ms / 1000).toFixed(2)} s\n`);
    }
  }
  const rate = (ms: number) => N / (ms / 1000);
  const seqMs = best(checkMs.get(1)!);
  const defMs = best(checkMs.get(DEFAULT_CONCURRENCY)!);
  const floor = best(floorMs);
  const main: string[][] = [
    ['Run', 'Concurrency', 'Best time (s)', 'Domains/s', 'Speed-up over (a)', 'Time ÷ floor (b)'],
    ['gov-email check', String(DEFAULT_CONCURRENCY), secs(defMs), rate(defMs).toFixed(0), `${(seqMs / defMs).toFixed(1)}×`, `${(defMs / floor).toFixed(2)}×`],
    ['(a) the same checks, sequentially', '1', secs(seqMs), rate(seqMs).toFixed(0), '1.0×', `${(seqMs / floor).toFixed(2)}×`],
    ['(b) floor: the same queries and fetches only', String(DEFAULT_CONCURRENCY), secs(floor), rate(floor).toFixed(0), `${(seqMs / floor).toFixed(1)}×`, '1.00×'],
  ];
  const sweep: string[][] = [
    ['Concurrency', 'Best time (s)', 'Domains/s', ...Array.from({ length: ROUNDS }, (_, i) => `Round ${i + 1} (s)`)],
    ...SWEEP.map((c) => [String(c), secs(best(checkMs.get(c)!)), rate(best(checkMs.get(c)!)).toFixed(0), ...checkMs.get(c)!.map(secs)]),
  ];
  const top = Math.max(...SWEEP.map((c) => rate(best(checkMs.get(c)!))));
  return {
    title,
    main,
    sweep,
    queries: [...work.values()].reduce((n, w) => n + w.queries.length, 0),
    fetches: [...work.values()].filter((w) => w.fetches).length,
    identical,
    smallestNearBest: SWEEP.find((c) => rate(best(checkMs.get(c)!)) >= 0.9 * top)!,
    spread: Math.max(...[...checkMs.values(), floorMs].map((xs) => Math.max(...xs) / Math.min(...xs))),
  };
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(2);
}

async function bench(): Promise<void> {
  const domains = benchDomains(N);
  const started = await startServers();
  try {
    const results = [
      await scenario('Local servers, answering at once', started.local, domains),
      await scenario(`Local servers, ${started.latencyMs} ms added to every DNS answer and HTTP response`, started.far, domains),
    ];
    const cpu = cpus();
    const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node.js ${process.version}, ${process.platform}; the servers run in a second process on the same machine`;
    const out: string[] = [
      '## gov-email check',
      '',
      `${N.toLocaleString('en-GB')} generated domains (bench/check/world.ts: 55% in use and healthy, 10% weak, 5% with an`,
      'SPF chain over the limit, 25% parked, 5% that do not exist), served by the test DNS server (UDP and',
      'TCP) and HTTPS server of test/cli/support in a separate process on 127.0.0.1, all checked in one run.',
      `Each figure is the best of ${ROUNDS} rounds (other work on the machine only adds time); every run starts`,
      'with an empty DNS cache. Run with:',
      '',
      '```sh',
      COMMAND,
      '```',
      '',
      `Machine: ${machine}.`,
      '',
      '(a) is the same checks one domain at a time (`--concurrency 1`). (b), the floor, issues exactly the DNS',
      'queries (after the cache) and MTA-STS fetches the checks made, with the same concurrency, each',
      'domain\'s all at once, and does nothing else: no evaluation, and no waiting for an SPF include\'s',
      'answer before asking for the next. "Time ÷ floor" is how many times the floor\'s time a run takes.',
      '',
    ];
    for (const r of results) {
      out.push(`### ${r.title}`, '',
        `${r.queries.toLocaleString('en-GB')} DNS queries and ${r.fetches} policy fetches per run; findings ${r.identical ? 'identical' : 'NOT identical'} in every run.`, '',
        ...markdownTable(r.main), '', 'Concurrency sweep (`--concurrency`):', '', ...markdownTable(r.sweep), '',
        `Plateau: the smallest concurrency within 10% of the best rate is ${r.smallestNearBest}. Rounds of one configuration`,
        `varied by up to ${r.spread.toFixed(1)}× (other work on the machine), so smaller differences between rows are noise.`, '');
    }
    out.push(
      `The default \`--concurrency\` is ${DEFAULT_CONCURRENCY} (src/cli/check/bulk.ts), chosen from these sweeps. With answers at`,
      'once the run is bound by the two CPUs the checker and the servers share, and concurrency buys little.',
      'With round trips the rate climbs with concurrency until the plateau above; real resolvers and policy',
      'hosts take tens of milliseconds rather than 5, which moves the plateau to more domains at once, so the',
      'default sits past the plateau measured here. It also keeps the DNS client busy: a domain sends about',
      `ten queries together and the client keeps at most ${DEFAULT_MAX_IN_FLIGHT} out at once (a burst of UDP answers larger`,
      'than the socket buffer loses some, and each loss costs a retransmission), so more domains at once',
      'mostly add policy fetches in flight. Raise it for a large portfolio behind a resolver that allows it.',
      '',
      'This machine is shared: other builds ran during the measurement, and single rounds vary by up to two',
      'or three times (the rounds are listed in the sweeps).',
      '',
    );
    process.stdout.write(`\n${out.join('\n')}`);
    writeSection(out.join('\n'));
  } finally {
    started.child.stdin?.end();
    started.child.kill('SIGTERM');
  }
}

function markdownTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)];
}

/** Replace (or add) the "## gov-email check" section of docs/benchmarks.md, leaving the others. */
function writeSection(section: string): void {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const start = current.indexOf('## gov-email check\n');
  let next: string;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf('\n## ', start + 1);
    next = current.slice(0, start) + section + (after < 0 ? '' : `\n${current.slice(after + 1)}`);
  }
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

bench().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
