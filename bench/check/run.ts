/**
 * `gov-email check` benchmark: the whole process a user runs,
 *
 *   node <compiled CLI> check --file domains.txt --resolver 127.0.0.1:<relay> --https-port <relay>
 *        --ca-file <test CA> --format json > file
 *
 * over 1,000 generated domains (bench/check/world.ts), against real servers on 127.0.0.1:
 *
 *   DNS     knotd (Knot DNS), authoritative for bench.test, from a zone file written here
 *   HTTPS   the test HTTPS server (test/cli/support/https-server.ts), in a process of its own
 *           (servers.ts), with a throwaway CA passed to the CLI with --ca-file
 *   delay   a relay of our own (proxy.ts, its own process) in front of both, holding DNS (UDP and
 *           TCP) and HTTPS traffic for a fixed time each way: measured at +0, +10 and +40 ms of
 *           round trip
 *
 * src/ is compiled by tsc into a temporary folder at the start of every run, so what is measured
 * is the work tree as it is then.
 *
 * The floor shares no code with the checker: per latency, an untimed capture run of the checker
 * records, at the relay, the DNS questions it asks (each once) and the most it had outstanding at
 * once, and at the HTTPS server the policy hosts it fetched and, at the relay, the most HTTPS
 * connections it had open at once. The floor then runs, at the same time,
 *
 *   dnsperf -q <the checker's most outstanding> -e   the same questions, once each, with EDNS0
 *   curl --parallel --parallel-max <the checker's most connections> --connect-to --cacert
 *                                                     the same policy fetches
 *
 * and its time is from starting both until both have exited. Rounds alternate which goes first
 * (checker or floor); each figure is the median of the rounds. A small concurrency sweep of the
 * checker runs in the same rounds. Results are printed and written into docs/benchmarks.md
 * under "## gov-email check".
 *
 *   npx projen bench:check [--domains 1000] [--rounds 4] [--latencies 0,10,40] [--sweep 8,64] [--no-write] [--profile <dir>]
 *
 * --profile writes a CPU profile (node --cpu-prof) of one more checker run per latency, untimed,
 * into <dir>/rtt-<n>ms.
 *
 * BENCH_DOMAINS, when set, is the default for --domains.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as tls from 'node:tls';
import { parseArgs } from 'node:util';
import { Knotd } from './knot';
import type { ProxyStats } from './proxy';
import { BENCH_DOMAINS, BENCH_ZONE, benchDomains, benchWorld, zoneFile } from './world';
import { rsaPublicKey } from '../../test/cli/support/zones';
import { ROOT, median, runNode, table, writeSection } from '../support';

const COMMAND = 'npx projen bench:check';
const TIMEOUT_S = 10;

const { values } = parseArgs({
  options: {
    'domains': { type: 'string', default: process.env.BENCH_DOMAINS ?? String(BENCH_DOMAINS) },
    'rounds': { type: 'string', default: process.env.BENCH_ROUNDS ?? '4' },
    'latencies': { type: 'string', default: '0,10,40' },
    'sweep': { type: 'string', default: '8,64' },
    'no-write': { type: 'boolean', default: false },
    'profile': { type: 'string' },
  },
});
const N = Number(values.domains);
const ROUNDS = Number(values.rounds);
const LATENCIES = values.latencies!.split(',').filter((s) => s !== '').map(Number);
const SWEEP = values.sweep!.split(',').filter((s) => s !== '').map(Number);
if (!(N >= 20) || !(ROUNDS >= 1) || LATENCIES.some((l) => !(l >= 0) || l % 2 !== 0)) {
  throw new Error('--domains: at least 20; --rounds: at least 1; --latencies: even milliseconds of round trip (half each way)');
}

// ---- child processes, always ended ---------------------------------------------------------

const children = new Set<ChildProcess>();
/** The run's temporary folder, removed at exit. */
let workDir: string | undefined;

function cleanUp(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  try {
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  } catch {
    // knotd may still be writing as it stops; a temporary folder left behind is harmless.
  }
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

/** A child that answers each line written to its standard input with one JSON line. */
class LineChild {
  /** Start a TypeScript file of this folder with ts-node (transpile only); resolves on its first line. */
  public static async start(file: string, args: string[], env: Record<string, string> = {}): Promise<{ child: LineChild; first: unknown }> {
    const proc = spawn(process.execPath, ['-r', 'ts-node/register', join(__dirname, file), ...args], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'test', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true', ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.add(proc);
    const child = new LineChild(proc);
    const first = await child.next();
    return { child, first };
  }

  private readonly lines: string[] = [];
  private readonly waiting: Array<{ resolve: (l: string) => void; reject: (e: Error) => void }> = [];
  private exited?: Error;

  private constructor(private readonly proc: ChildProcess) {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      const w = this.waiting.shift();
      if (w) w.resolve(l);
      else this.lines.push(l);
    });
    proc.once('exit', (code, signal) => {
      this.exited = new Error(`${proc.spawnfile} exited (${code ?? signal})`);
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    });
  }

  public async ask(line: string): Promise<unknown> {
    this.proc.stdin!.write(`${line}\n`);
    return this.next();
  }

  public get pid(): number {
    return this.proc.pid!;
  }

  public stop(): void {
    this.proc.stdin!.end();
  }

  private async next(): Promise<unknown> {
    const ready = this.lines.shift();
    if (ready !== undefined) return JSON.parse(ready);
    if (this.exited) throw this.exited;
    return JSON.parse(await new Promise<string>((resolve, reject) => this.waiting.push({ resolve, reject })));
  }
}

// ---- the measured runs ---------------------------------------------------------------------

interface Env {
  readonly work: string;
  readonly bin: string;
  readonly domainsFile: string;
  readonly proxy: LineChild;
  readonly https: LineChild;
  readonly dnsPort: number;
  readonly httpsPort: number;
  readonly caFile: string;
  readonly knotdPid: number;
}

interface CheckRun {
  readonly ms: number;
  readonly stats: ProxyStats;
  readonly timeouts: number;
  readonly fetches: number;
  readonly summary: string;
  readonly cpu: CpuTimes;
  /** The machine's UDP counters (/proc/net/snmp) over the run: datagrams to no socket, and dropped for a full buffer. */
  readonly udp: UdpCounters;
}

/** CPU time (user and system), in milliseconds, of each process over one run. */
interface CpuTimes {
  /** The measured processes: the checker, or dnsperf and curl. */
  readonly measured: number;
  readonly knotd: number;
  readonly https: number;
  readonly relay: number;
}

/**
 * CPU time in milliseconds from /proc (clock ticks of 10 ms): of the process `pid`, or with
 * 'children' of this process's children that have exited and been waited for (the measured runs).
 */
function cpuMs(pid: number | 'children'): number {
  const stat = readFileSync(`/proc/${pid === 'children' ? 'self' : pid}/stat`, 'utf8');
  // The fields after the command name, from the state (field 3): utime and stime are fields 14
  // and 15, cutime and cstime 16 and 17.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return (pid === 'children' ? f[13] + f[14] : f[11] + f[12]) * 10;
}

function cpuNow(env: Env): CpuTimes {
  return { measured: cpuMs('children'), knotd: cpuMs(env.knotdPid), https: cpuMs(env.https.pid), relay: cpuMs(env.proxy.pid) };
}

function cpuSince(env: Env, before: CpuTimes): CpuTimes {
  const now = cpuNow(env);
  return {
    measured: now.measured - before.measured,
    knotd: now.knotd - before.knotd,
    https: now.https - before.https,
    relay: now.relay - before.relay,
  };
}

interface UdpCounters {
  readonly noPorts: number;
  readonly rcvbufErrors: number;
}

/** The machine's UDP counters (all processes); zeros where /proc/net/snmp cannot be read. */
function udpCounters(): UdpCounters {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
    const names = lines[0].split(/\s+/);
    const nums = lines[1].split(/\s+/).map(Number);
    return { noPorts: nums[names.indexOf('NoPorts')], rcvbufErrors: nums[names.indexOf('RcvbufErrors')] };
  } catch {
    return { noPorts: 0, rcvbufErrors: 0 };
  }
}

const TIMEOUT_MESSAGE = /got no answer in time|no answer within|could not connect .* within/;

async function reset(env: Env, oneWayMs: number, capture: boolean): Promise<void> {
  await env.proxy.ask(JSON.stringify({ cmd: 'reset', oneWayMs, capture }));
  await env.https.ask('reset');
}

/** One `gov-email check` process over every domain; `concurrency` undefined leaves the default. */
async function runCheck(env: Env, oneWayMs: number, concurrency: number | undefined, capture = false, nodeFlags: string[] = []): Promise<CheckRun> {
  await reset(env, oneWayMs, capture);
  const outFile = join(env.work, 'check.json');
  const fd = openSync(outFile, 'w');
  const argv = [...nodeFlags, env.bin, 'check', '--file', env.domainsFile, '--resolver', `127.0.0.1:${env.dnsPort}`,
    '--https-port', String(env.httpsPort), '--ca-file', env.caFile, '--format', 'json',
    ...(concurrency === undefined ? [] : ['--concurrency', String(concurrency)])];
  let r;
  const before = udpCounters();
  const cpuBefore = cpuNow(env);
  let after: UdpCounters;
  let cpu: CpuTimes;
  try {
    r = runNode(argv, fd);
    after = udpCounters();
    cpu = cpuSince(env, cpuBefore);
  } finally {
    closeSync(fd);
  }
  // Exit 1 is "errors found": the world has broken domains on purpose.
  if (r.status !== 0 && r.status !== 1) throw new Error(`gov-email check exited ${r.status}:\n${r.stderr}`);
  const parsed = JSON.parse(readFileSync(outFile, 'utf8')) as { domains: Array<{ domain: string; profile?: string; findings: Array<{ ruleId: string; message: string; path?: string }> }> };
  if (parsed.domains.length !== N) throw new Error(`gov-email check reported ${parsed.domains.length} domains, not ${N}`);
  const stats = await env.proxy.ask('{"cmd":"stats"}') as ProxyStats;
  const served = await env.https.ask('stats') as { requests: number; hosts: string[] };
  return {
    ms: r.ms,
    stats,
    timeouts: parsed.domains.reduce((n, d) => n + d.findings.filter((f) => TIMEOUT_MESSAGE.test(f.message)).length, 0),
    fetches: served.requests,
    cpu,
    udp: { noPorts: after.noPorts - before.noPorts, rcvbufErrors: after.rcvbufErrors - before.rcvbufErrors },
    summary: JSON.stringify(parsed.domains.map((d) => [d.domain, d.profile, d.findings.map((f) => `${f.ruleId}@${f.path ?? ''}`).sort()])),
  };
}

/** What the floor replays for one latency, from the checker's capture run at that latency. */
interface FloorPlan {
  readonly queriesFile: string;
  readonly questions: number;
  readonly outstanding: number;
  readonly curlConfig: string;
  readonly fetches: number;
  readonly parallel: number;
  /** The questions by type, most first: `TXT 6,000`. */
  readonly byType: string;
}

async function capturePlan(env: Env, oneWayMs: number): Promise<{ plan: FloorPlan; run: CheckRun }> {
  const run = await runCheck(env, oneWayMs, undefined, true);
  const served = await env.https.ask('stats') as { hosts: string[] };
  const tag = `${oneWayMs * 2}ms`;
  const queriesFile = join(env.work, `queries-${tag}.txt`);
  writeFileSync(queriesFile, `${run.stats.captured!.join('\n')}\n`);
  const curlConfig = join(env.work, `fetches-${tag}.curl`);
  writeFileSync(curlConfig, served.hosts.map((h) => `url = "https://${h}/.well-known/mta-sts.txt"\noutput = "/dev/null"\n`).join(''));
  return {
    run,
    plan: {
      queriesFile,
      questions: run.stats.captured!.length,
      outstanding: Math.max(1, run.stats.peakOutstanding),
      curlConfig,
      fetches: served.hosts.length,
      parallel: Math.max(1, run.stats.peakHttpsConnections),
      byType: countByType(run.stats.captured!),
    },
  };
}

function countByType(questions: string[]): string {
  const counts = new Map<string, number>();
  for (const q of questions) {
    const type = q.slice(q.lastIndexOf(' ') + 1);
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${num(n)}`).join(', ');
}

interface FloorRun {
  readonly ms: number;
  readonly dnsMs: number;
  readonly httpsMs: number;
  readonly stats: ProxyStats;
  readonly lost: number;
  readonly fetched: number;
  readonly cpu: CpuTimes;
}

/** Run a command; resolves with its output and the time from `start` to its exit. */
function timed(cmd: string, args: string[], start: number): Promise<{ ms: number; code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.once('error', reject);
    proc.once('close', (code) => {
      children.delete(proc);
      resolve({ ms: performance.now() - start, code, out, err });
    });
  });
}

async function runFloor(env: Env, oneWayMs: number, plan: FloorPlan): Promise<FloorRun> {
  await reset(env, oneWayMs, false);
  const cpuBefore = cpuNow(env);
  const start = performance.now();
  const [dns, https] = await Promise.all([
    timed('dnsperf', ['-s', '127.0.0.1', '-p', String(env.dnsPort), '-d', plan.queriesFile, '-n', '1', '-c', '1',
      '-q', String(plan.outstanding), '-t', String(TIMEOUT_S), '-e'], start),
    timed('curl', ['--silent', '--parallel', '--parallel-immediate', '--parallel-max', String(plan.parallel),
      '--cacert', env.caFile, '--connect-to', `::127.0.0.1:${env.httpsPort}`, '--max-time', String(TIMEOUT_S),
      '--write-out', '%{http_code}\\n', '--config', plan.curlConfig], start),
  ]);
  const ms = performance.now() - start;
  const cpu = cpuSince(env, cpuBefore);
  if (dns.code !== 0) throw new Error(`dnsperf exited ${dns.code}:\n${dns.out}${dns.err}`);
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(dns.out)?.[1] ?? NaN);
  const completed = field('Queries completed');
  if (completed + field('Queries lost') !== plan.questions) throw new Error(`dnsperf did not send every query:\n${dns.out}`);
  const stats = await env.proxy.ask('{"cmd":"stats"}') as ProxyStats;
  return {
    ms,
    dnsMs: dns.ms,
    httpsMs: https.ms,
    stats,
    lost: field('Queries lost'),
    fetched: https.out.split('\n').filter((l) => l.trim() === '200').length,
    cpu,
  };
}

/** How many names the certificate the policy host presents for `host` holds. */
function namesOnCertificate(port: number, host: string, caFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: host, ca: readFileSync(caFile, 'utf8') }, () => {
      const san = socket.getPeerCertificate().subjectaltname ?? '';
      socket.destroy();
      resolve(san.split(',').filter((n) => n.trim().startsWith('DNS:')).length);
    });
    socket.once('error', reject);
  });
}

// ---- set-up --------------------------------------------------------------------------------

function tool(name: string): void {
  if (spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0) {
    throw new Error(`${name} is not installed (Debian: knot, knot-dnssecutils, dnsperf, curl).`);
  }
}

/**
 * Compile src/ with tsc into `outDir`, as bench/support.ts's compileTs does, but emitting even when
 * tsc finds errors (src/ may be half-way through a change elsewhere in the tree): they are printed,
 * and the run goes on with what was emitted.
 */
function compileSrc(outDir: string): void {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', outDir,
    '--declaration', 'false', '--inlineSourceMap', 'false', '--inlineSources', 'false', '--noEmitOnError', 'false'], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) process.stderr.write(`warning: tsc found errors in src/ (compiled anyway):\n${tsc.stdout}${tsc.stderr}\n`);
  if (!existsSync(join(outDir, 'cli', 'bin.js'))) throw new Error(`tsc emitted no cli/bin.js:\n${tsc.stdout}${tsc.stderr}`);
}

const secs = (ms: number) => (ms / 1000).toFixed(2);
const num = (n: number) => Math.round(n).toLocaleString('en-GB');
const spreadOf = (xs: number[]) => Math.max(...xs) / Math.min(...xs);

interface LatencyResult {
  readonly rttMs: number;
  readonly plan: FloorPlan;
  readonly checks: CheckRun[];
  readonly floors: FloorRun[];
  readonly sweep: Map<number, number[]>;
  readonly identical: boolean;
}

async function main(): Promise<void> {
  for (const t of ['knotd', 'kzonecheck', 'dnsperf', 'curl']) tool(t);
  const work = mkdtempSync(join(tmpdir(), 'bench-check-'));
  workDir = work;
  let knotd: Knotd | undefined;
  let proxy: LineChild | undefined;
  let https: LineChild | undefined;
  const load: number[] = [loadavg()[0]];
  try {
    compileSrc(join(work, 'cli'));
    const bin = join(work, 'cli', 'cli', 'bin.js');
    const help = runNode([bin, 'check', '--help'], 'pipe');
    // What every run pays before any query: node starting and the CLI loading (`check --help`).
    const startupMs = median([1, 2, 3].map(() => runNode([bin, 'check', '--help'], 'pipe').ms));
    const defaultConcurrency = Number(/--concurrency <n>.*\(default (\d+)\)/.exec(help.stdout + help.stderr)?.[1] ?? NaN);
    process.stderr.write(`CLI compiled from src/ into ${join(work, 'cli')}; default --concurrency ${defaultConcurrency}\n`);

    const domains = benchDomains(N);
    const domainsFile = join(work, 'domains.txt');
    writeFileSync(domainsFile, `${domains.join('\n')}\n`);
    const world = benchWorld(rsaPublicKey(2048), N);
    const zonePath = join(work, `${BENCH_ZONE}.zone`);
    writeFileSync(zonePath, zoneFile(world.zone));
    const zc = spawnSync('kzonecheck', ['-o', `${BENCH_ZONE}.`, zonePath], { encoding: 'utf8' });
    if (zc.status !== 0) throw new Error(`kzonecheck rejected the zone:\n${zc.stdout}${zc.stderr}`);
    knotd = await Knotd.start(join(work, 'knot'), BENCH_ZONE, zonePath);
    children.add(knotd.child);

    const h = await LineChild.start('servers.ts', [], { BENCH_DOMAINS: String(N) });
    https = h.child;
    const { port: httpsUpstream, caFile } = h.first as { port: number; caFile: string };
    const certNames = await namesOnCertificate(httpsUpstream, `mta-sts.${domains[0]}`, caFile);
    const p = await LineChild.start('proxy.ts', [String(knotd.port), String(httpsUpstream)]);
    proxy = p.child;
    const { dnsPort, httpsPort } = p.first as { dnsPort: number; httpsPort: number };
    const env: Env = { work, bin, domainsFile, proxy, https, dnsPort, httpsPort, caFile, knotdPid: knotd.child.pid! };
    process.stderr.write(`knotd on 127.0.0.1:${knotd.port}, HTTPS on 127.0.0.1:${httpsUpstream}, relay on 127.0.0.1:${dnsPort} (DNS) and :${httpsPort} (HTTPS)\n`);

    // One untimed run first: the JIT, the page cache and knotd's first answers.
    await runCheck(env, 0, undefined);

    const results: LatencyResult[] = [];
    for (const rtt of LATENCIES) {
      const oneWay = rtt / 2;
      const { plan, run: captured } = await capturePlan(env, oneWay);
      process.stderr.write(`+${rtt} ms: capture run ${secs(captured.ms)} s, ${plan.questions} questions (at most ${plan.outstanding} outstanding), ${plan.fetches} fetches (at most ${plan.parallel} connections)\n`);
      const checks: CheckRun[] = [];
      const floors: FloorRun[] = [];
      const sweep = new Map<number, number[]>(SWEEP.map((c) => [c, []]));
      let identical = true;
      for (let round = 0; round < ROUNDS; round++) {
        const steps: Array<() => Promise<void>> = [
          async () => {
            const c = await runCheck(env, oneWay, undefined);
            identical &&= c.summary === captured.summary;
            checks.push(c);
            process.stderr.write(`+${rtt} ms, round ${round + 1}/${ROUNDS}: check ${secs(c.ms)} s (CPU ${secs(c.cpu.measured)} s, ${c.stats.udpRepeats} retransmitted, ${c.stats.tcpConnections} TCP, UDP buffer drops ${c.udp.rcvbufErrors})\n`);
          },
          async () => {
            const f = await runFloor(env, oneWay, plan);
            floors.push(f);
            process.stderr.write(`+${rtt} ms, round ${round + 1}/${ROUNDS}: floor ${secs(f.ms)} s (dnsperf ${secs(f.dnsMs)} s, curl ${secs(f.httpsMs)} s; CPU ${secs(f.cpu.measured)} s)\n`);
          },
        ];
        if (round % 2 === 1) steps.reverse();
        for (const step of steps) await step();
        for (const c of SWEEP) {
          const s = await runCheck(env, oneWay, c);
          identical &&= s.summary === captured.summary;
          sweep.get(c)!.push(s.ms);
          process.stderr.write(`+${rtt} ms, round ${round + 1}/${ROUNDS}: check --concurrency ${c} ${secs(s.ms)} s\n`);
        }
      }
      results.push({ rttMs: rtt, plan, checks, floors, sweep, identical });
      if (values.profile !== undefined) {
        const dir = join(values.profile, `rtt-${rtt}ms`);
        await runCheck(env, oneWay, undefined, false, ['--cpu-prof', '--cpu-prof-dir', dir]);
        process.stderr.write(`+${rtt} ms: a CPU profile of one more checker run is in ${dir}\n`);
      }
      load.push(loadavg()[0]);
    }
    report(results, defaultConcurrency, load, startupMs, certNames);
  } finally {
    proxy?.stop();
    https?.stop();
    await knotd?.stop();
    cleanUp();
  }
}

// ---- the report ----------------------------------------------------------------------------

function report(results: LatencyResult[], defaultConcurrency: number, load: number[], startupMs: number, certNames: number): void {
  const medianOf = <T>(xs: T[], f: (x: T) => number) => median(xs.map(f));
  const checkMs = (r: LatencyResult) => medianOf(r.checks, (x) => x.ms);
  const floorMs = (r: LatencyResult) => medianOf(r.floors, (x) => x.ms);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const checkTable = table(
    ['Added round trip', 'gov-email check (s)', 'Floor (s)', 'Check ÷ floor', 'Floor: dnsperf / curl (s)', 'Queries sent: UDP (with EDNS0) + TCP',
      'Questions', 'UDP retransmissions: median (most)', 'Truncated → TCP connections', 'Timeouts: check / floor', 'Policy fetches: check / floor'],
    results.map((r) => [
      `+${r.rttMs} ms`,
      secs(checkMs(r)),
      secs(floorMs(r)),
      ratio(checkMs(r), floorMs(r)),
      `${secs(medianOf(r.floors, (x) => x.dnsMs))} / ${secs(medianOf(r.floors, (x) => x.httpsMs))}`,
      `${num(medianOf(r.checks, (x) => x.stats.udpQueries))} (${num(medianOf(r.checks, (x) => x.stats.ednsQueries))})` +
        ` + ${num(medianOf(r.checks, (x) => x.stats.tcpQueries))}`,
      num(r.checks[0].stats.questions),
      `${num(medianOf(r.checks, (x) => x.stats.udpRepeats))} (${num(Math.max(...r.checks.map((x) => x.stats.udpRepeats)))})`,
      `${num(medianOf(r.checks, (x) => x.stats.truncated))} → ${num(medianOf(r.checks, (x) => x.stats.tcpConnections))}`,
      `${Math.max(...r.checks.map((x) => x.timeouts))} / ${Math.max(...r.floors.map((x) => x.lost))}`,
      `${num(medianOf(r.checks, (x) => x.fetches))} / ${num(medianOf(r.floors, (x) => x.fetched))}`,
    ]),
  );
  const cpuCell = (xs: CpuTimes[]) => [
    secs(medianOf(xs, (x) => x.measured)), secs(medianOf(xs, (x) => x.https)), secs(medianOf(xs, (x) => x.relay)), secs(medianOf(xs, (x) => x.knotd)),
  ].join(' / ');
  const floorTable = table(
    ['Added round trip', 'dnsperf -q (most outstanding)', 'curl --parallel-max (most connections)', 'Floor sent: UDP queries, truncated, TCP',
      'CPU (s) during check: checker / HTTPS server / relay / knotd', 'CPU (s) during floor: dnsperf + curl / HTTPS server / relay / knotd'],
    results.map((r) => [
      `+${r.rttMs} ms`,
      String(r.plan.outstanding),
      String(r.plan.parallel),
      `${num(r.floors[0].stats.udpQueries)}, ${num(r.floors[0].stats.truncated)}, ${num(r.floors[0].stats.tcpConnections)}`,
      cpuCell(r.checks.map((x) => x.cpu)),
      cpuCell(r.floors.map((x) => x.cpu)),
    ]),
  );
  const concurrencies = [...new Set([defaultConcurrency, ...SWEEP])].sort((a, b) => a - b);
  const sweepMs = (r: LatencyResult, c: number) => (c === defaultConcurrency ? checkMs(r) : median(r.sweep.get(c)!));
  const sweepTable = table(
    ['--concurrency', ...results.map((r) => `+${r.rttMs} ms (s)`), ...results.map((r) => `÷ floor at +${r.rttMs} ms`)],
    concurrencies.map((c) => [
      c === defaultConcurrency ? `${c} (default)` : String(c),
      ...results.map((r) => secs(sweepMs(r, c))),
      ...results.map((r) => ratio(sweepMs(r, c), floorMs(r))),
    ]),
  );
  const meeting = results.map((r) => {
    const ok = concurrencies.filter((c) => sweepMs(r, c) <= 1.5 * floorMs(r));
    return `+${r.rttMs} ms: ${ok.length === 0 ? 'none' : ok.join(', ')}`;
  });
  const spread = Math.max(...results.flatMap((r) => [r.checks.map((x) => x.ms), r.floors.map((x) => x.ms), ...r.sweep.values()].map(spreadOf)));
  const drops = results.reduce((n, r) => n + r.checks.reduce((m, x) => m + x.udp.rcvbufErrors, 0), 0);
  const worst = Math.max(...results.map((r) => checkMs(r) / floorMs(r)));
  const cpu = cpus();
  const identical = results.every((r) => r.identical);
  const out = [
    '## gov-email check',
    '',
    'The whole `gov-email check` process, as a user runs it (compiled JavaScript, start-up included, `--format json`' +
    ` to a file), over ${num(N)} generated domains (bench/check/world.ts: 55% in use and healthy, 10% weak,` +
    ' 5% with an SPF chain over the limit, 25% parked, 5% that do not exist; their MX hosts have no address records, so' +
    ' no STARTTLS probe connects anywhere), default `--timeout`. DNS: knotd (Knot DNS),' +
    ' authoritative for the zone. Policy host: the test HTTPS server (test/cli/support/https-server.ts, its own process,' +
    ` a throwaway CA given with \`--ca-file\`; a policy host's certificate names ${num(certNames)} hosts).` +
    ' In front of both, a relay of the benchmark\'s own (bench/check/proxy.ts, its own process) holds every UDP datagram and every TCP chunk, DNS and HTTPS, for half the added round trip each way (the TCP' +
    ' handshake itself is not delayed: the kernel completes it before the relay sees the connection); the checker is' +
    ' pointed at it with `--resolver` and `--https-port`.',
    '',
    'The floor shares no code with the checker. For each round trip an untimed capture run of the checker records' +
    ' the DNS questions it asks (each once, at the relay), the most it had outstanding at once, the policy hosts it' +
    ' fetched (at the HTTPS server) and the most HTTPS connections it had open at once. The floor runs two programs at once' +
    ' and takes the time until both have exited: `dnsperf -e -q <most outstanding>` with the same questions (EDNS0, so' +
    ' no answer is truncated), and `curl --parallel --parallel-max <most connections> --connect-to --cacert` for the' +
    ' same fetches. It asks no question twice, waits for no answer before asking the next, and evaluates nothing.',
    '',
    `Each figure is the median of ${ROUNDS} rounds; rounds alternate whether the checker or the floor goes first, and` +
    ' each round ends with the sweep. Counts are the relay\'s and the HTTPS server\'s (medians over the checker\'s runs).' +
    ' "UDP retransmissions" are queries for a question already asked; "Timeouts" are the most, over the runs, of the' +
    ' checker\'s findings of a query or fetch without an answer in time, and of the queries dnsperf lost. src/ is compiled by tsc into a temporary folder at' +
    ' the start of every run, so the code measured is the work tree\'s as it was then. Run with:',
    '',
    '```sh',
    COMMAND,
    '```',
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node.js ${process.version}, ${process.platform};` +
    ' knotd, the relay and the HTTPS server share its CPUs with what is measured, and so did other work: load average' +
    ` (1 min) ${load.map((l) => l.toFixed(1)).join(', ')} (at the start and after each round trip); rounds of one` +
    ` configuration varied by up to ${spread.toFixed(2)}×.`,
    '',
    `Default \`--concurrency\` (${defaultConcurrency}); findings ${identical ? 'identical' : 'NOT identical'} in every run:`,
    '',
    checkTable,
    '',
    `Questions by type (the capture run at +${results[0].rttMs} ms): ${results[0].plan.byType}.`,
    '',
    'UDP datagrams the machine dropped for a full receive buffer (/proc/net/snmp, every process) during the checker\'s' +
    ` measured runs: ${num(drops)} in all.`,
    '',
    `Start-up is part of every checker run: \`gov-email check --help\` takes ${secs(startupMs)} s here (median of 3).`,
    '',
    `Goal: at most 1.5× the floor at every round trip. Measured at the default concurrency: at most ${worst.toFixed(2)}×,` +
    ` ${worst <= 1.5 ? 'met' : 'not met'}.`,
    '',
    'What the floor was given and sent, and the CPU time each process used (from /proc) during a run:',
    '',
    floorTable,
    '',
    'The checker with other concurrencies (same rounds; "÷ floor" is against the floor above, which has the default\'s' +
    ` parallelism). Concurrencies within 1.5× of the floor: ${meeting.join('; ')}.`,
    '',
    sweepTable,
    '',
  ].join('\n');
  process.stdout.write(`\n${out}`);
  if (!values['no-write']) writeSection('## gov-email check', out);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
