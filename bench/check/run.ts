/**
 * `gov-email check` benchmark: the whole process a user runs,
 *
 *   node <compiled CLI> check --file domains.txt --resolver 127.0.0.1:<relay> --https-port <relay>
 *        --smtp-port <relay> --ca-file <test CA> --format json > file
 *
 * and the same with --no-smtp instead of --smtp-port, over 1,000 generated domains
 * (bench/check/world.ts), against real servers on 127.0.0.1:
 *
 *   DNS     knotd (Knot DNS), authoritative for bench.test, from a zone file written here
 *   HTTPS   the test HTTPS server (test/cli/support/https-server.ts), in a process of its own
 *           (servers.ts), with a throwaway CA passed to the CLI with --ca-file
 *   SMTP    a mail server with STARTTLS for every MX host (smtp.ts, the `smtp-server` package), in
 *           the same process, with certificates from the same CA: every probe gets a valid one
 *   delay   a relay of our own (proxy.ts, its own process) in front of all three, holding DNS (UDP
 *           and TCP), HTTPS and SMTP traffic for a fixed time each way: measured at +0, +10 and
 *           +40 ms of round trip
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
 * and its time is from starting both until both have exited. The floor has no SMTP: it is compared
 * with the check with probes and with the check with --no-smtp. Each round runs the check, the
 * check with --no-smtp and the floor, each round starting with the next of them; each figure is
 * the median of the rounds. A small concurrency sweep of the checker (with probes) runs in the
 * same rounds. Results are printed and written into docs/benchmarks.md
 * under "## gov-email check".
 *
 *   npx projen bench:check [--domains 1000] [--rounds 3] [--latencies 0,10,40] [--sweep 16,128] [--no-write] [--profile <dir>] [--serve]
 *
 * --profile writes CPU profiles (node --cpu-prof) of two more checker runs per latency, untimed,
 * one with probes into <dir>/rtt-<n>ms and one with --no-smtp into <dir>/rtt-<n>ms-no-smtp.
 *
 * --serve starts the servers and the relay (at +0 ms), prints on standard output one JSON line
 * with the checker's arguments after `node <bin>` (with --no-smtp, and the ports and files to run
 * it by hand or under a profiler), and keeps them up until interrupted; nothing is measured.
 *
 * BENCH_DOMAINS, when set, is the default for --domains.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as tls from 'node:tls';
import { parseArgs } from 'node:util';
import { transformSync } from 'esbuild';
import type { ProxyStats } from './proxy';
import type { BenchSmtpStats } from './smtp';
import { BENCH_DOMAINS, BENCH_ZONE, benchDomains, benchWorld, zoneFile } from './world';
import { Knotd } from '../../test/cli/support/knotd';
import { rsaPublicKey } from '../../test/cli/support/zones';
import { ROOT, median, runNode, table, writeSection } from '../support';

const COMMAND = 'npx projen bench:check';
const TIMEOUT_S = 10;

const { values } = parseArgs({
  options: {
    'domains': { type: 'string', default: process.env.BENCH_DOMAINS ?? String(BENCH_DOMAINS) },
    'rounds': { type: 'string', default: process.env.BENCH_ROUNDS ?? '3' },
    'latencies': { type: 'string', default: '0,10,40' },
    'sweep': { type: 'string', default: '16,128' },
    'no-write': { type: 'boolean', default: false },
    'profile': { type: 'string' },
    'serve': { type: 'boolean', default: false },
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
  /** The relay's port for the mail server, given with --smtp-port. */
  readonly smtpPort: number;
  readonly caFile: string;
  readonly knotdPid: number;
  /** The MX hosts of the domains in use, one a line: what the Node.js floor with probes probes. */
  readonly mxFile: string;
}

interface CheckRun {
  readonly ms: number;
  readonly stats: ProxyStats;
  readonly timeouts: number;
  readonly fetches: number;
  /** Connections the mail server accepted: the probes made. */
  readonly probes: number;
  /** Probes that found STARTTLS and a certificate valid for the MX host (the report's facts). */
  readonly probesValid: number;
  /** Probes that ran out of time. */
  readonly probeTimeouts: number;
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
  /** The HTTPS and SMTP servers' process. */
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

const TIMEOUT_MESSAGE = /got no answer in time|no answer within|could not connect .* within|did not (?:finish|complete|accept a connection) within|took longer than/;
/** A report fact on a probed MX host that got STARTTLS and a valid certificate. */
const PROBE_VALID = /^MX \S+: STARTTLS, .*certificate valid until/;
const PROBE_TIMEOUT = /^MX \S+: timeout/;

interface CheckOptions {
  /** Undefined leaves the default. */
  readonly concurrency?: number;
  /** Probe the mail servers (the default); false runs with --no-smtp. */
  readonly smtp?: boolean;
  readonly capture?: boolean;
  readonly nodeFlags?: string[];
}

async function reset(env: Env, oneWayMs: number, capture: boolean): Promise<void> {
  await env.proxy.ask(JSON.stringify({ cmd: 'reset', oneWayMs, capture }));
  await env.https.ask('reset');
}

/** One `gov-email check` process over every domain. */
async function runCheck(env: Env, oneWayMs: number, options: CheckOptions = {}): Promise<CheckRun> {
  const { concurrency, smtp = true, capture = false, nodeFlags = [] } = options;
  await reset(env, oneWayMs, capture);
  const outFile = join(env.work, 'check.json');
  const fd = openSync(outFile, 'w');
  const argv = [...nodeFlags, env.bin, 'check', '--file', env.domainsFile, '--resolver', `127.0.0.1:${env.dnsPort}`,
    '--https-port', String(env.httpsPort), ...(smtp ? ['--smtp-port', String(env.smtpPort)] : ['--no-smtp']),
    '--ca-file', env.caFile, '--format', 'json',
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
  const parsed = JSON.parse(readFileSync(outFile, 'utf8')) as {
    domains: Array<{ domain: string; profile?: string; facts?: string[]; findings: Array<{ ruleId: string; message: string; path?: string }> }>;
  };
  if (parsed.domains.length !== N) throw new Error(`gov-email check reported ${parsed.domains.length} domains, not ${N}`);
  const stats = await env.proxy.ask('{"cmd":"stats"}') as ProxyStats;
  const served = await env.https.ask('stats') as ServedStats;
  const facts = parsed.domains.flatMap((d) => d.facts ?? []);
  return {
    ms: r.ms,
    stats,
    timeouts: parsed.domains.reduce((n, d) => n + d.findings.filter((f) => TIMEOUT_MESSAGE.test(f.message)).length, 0),
    fetches: served.requests,
    probes: served.smtp.connections,
    probesValid: facts.filter((f) => PROBE_VALID.test(f)).length,
    probeTimeouts: facts.filter((f) => PROBE_TIMEOUT.test(f)).length,
    cpu,
    udp: { noPorts: after.noPorts - before.noPorts, rcvbufErrors: after.rcvbufErrors - before.rcvbufErrors },
    summary: JSON.stringify(parsed.domains.map((d) => [d.domain, d.profile, d.findings.map((f) => `${f.ruleId}@${f.path ?? ''}`).sort()])),
  };
}

/** What servers.ts counts: policy requests and hosts, and the mail server's connections. */
interface ServedStats {
  readonly requests: number;
  readonly hosts: string[];
  readonly smtp: BenchSmtpStats;
}

/** What the floor replays for one latency, from the checker's capture run at that latency. */
interface FloorPlan {
  readonly queriesFile: string;
  readonly questions: number;
  readonly outstanding: number;
  readonly curlConfig: string;
  /** The policy hosts fetched, one a line (for the Node.js floor). */
  readonly hostsFile: string;
  readonly fetches: number;
  /** The most probes the checker had open at once (at the relay). */
  readonly probesAtOnce: number;
  readonly parallel: number;
  /** The questions by type, most first: `TXT 6,000`. */
  readonly byType: string;
}

async function capturePlan(env: Env, oneWayMs: number): Promise<{ plan: FloorPlan; run: CheckRun }> {
  const run = await runCheck(env, oneWayMs, { capture: true });
  const served = await env.https.ask('stats') as { hosts: string[] };
  const tag = `${oneWayMs * 2}ms`;
  const queriesFile = join(env.work, `queries-${tag}.txt`);
  writeFileSync(queriesFile, `${run.stats.captured!.join('\n')}\n`);
  const curlConfig = join(env.work, `fetches-${tag}.curl`);
  writeFileSync(curlConfig, served.hosts.map((h) => `url = "https://${h}/.well-known/mta-sts.txt"\noutput = "/dev/null"\n`).join(''));
  const hostsFile = join(env.work, `hosts-${tag}.txt`);
  writeFileSync(hostsFile, `${served.hosts.join('\n')}\n`);
  return {
    run,
    plan: {
      queriesFile,
      questions: run.stats.captured!.length,
      outstanding: Math.max(1, run.stats.peakOutstanding),
      curlConfig,
      hostsFile,
      fetches: served.hosts.length,
      probesAtOnce: Math.max(1, run.stats.peakSmtpConnections),
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

/** What the Node.js floor (bench/check/node-floor.ts) did in one run. */
interface NodeFloorRun {
  readonly ms: number;
  readonly dnsMs: number;
  readonly httpsMs: number;
  /** Probes that reached TLS, and how long the probing took (0 without probes). */
  readonly probed: number;
  readonly smtpMs: number;
  readonly lost: number;
  readonly fetched: number;
  readonly cpu: CpuTimes;
}

/** The floor's work done by the cheapest Node.js program: what the checker's runtime costs before the checker does anything. */
async function runNodeFloor(env: Env, oneWayMs: number, plan: FloorPlan, smtp: boolean): Promise<NodeFloorRun> {
  await reset(env, oneWayMs, false);
  const cpuBefore = cpuNow(env);
  const r = runNode([join(env.work, 'node-floor.js'), plan.queriesFile, String(plan.outstanding), plan.hostsFile, String(plan.parallel),
    String(env.dnsPort), String(env.httpsPort), env.caFile, String(TIMEOUT_S),
    ...(smtp ? [env.mxFile, String(env.smtpPort), String(plan.probesAtOnce)] : [])], 'pipe');
  const cpu = cpuSince(env, cpuBefore);
  if (r.status !== 0) throw new Error(`the Node.js floor exited ${r.status}:\n${r.stdout}${r.stderr}`);
  const out = JSON.parse(r.stdout.trim()) as {
    answered: number;
    lost: number;
    dnsMs: number;
    fetched: number;
    failed: number;
    httpsMs: number;
    probed: number;
    probeFailures: number;
    smtpMs: number;
  };
  if (out.answered + out.lost !== plan.questions || out.fetched + out.failed !== plan.fetches) {
    throw new Error(`the Node.js floor did not do the floor's work: ${r.stdout}`);
  }
  if (smtp && out.probeFailures > 0) throw new Error(`the Node.js floor's probes failed: ${r.stdout}`);
  return { ms: r.ms, dnsMs: out.dnsMs, httpsMs: out.httpsMs, probed: out.probed, smtpMs: out.smtpMs, lost: out.lost, fetched: out.fetched, cpu };
}

/** node-floor.ts as plain JavaScript in the work folder, so no TypeScript loader is in its time. */
function compileNodeFloor(work: string): void {
  const { code } = transformSync(readFileSync(join(__dirname, 'node-floor.ts'), 'utf8'), { loader: 'ts', format: 'cjs', target: 'node20' });
  writeFileSync(join(work, 'node-floor.js'), code);
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

/** Milliseconds from connecting to the mail server (directly, not through the relay) to its greeting's first byte; the median of 5. */
async function greetingTime(port: number): Promise<number> {
  const once = () => new Promise<number>((resolve, reject) => {
    const start = performance.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('data', () => {
      const ms = performance.now() - start;
      socket.end('QUIT\r\n');
      resolve(ms);
    });
    socket.once('error', reject);
  });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push(await once());
  return median(times);
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
  /** The check as a user runs it: the mail servers probed. */
  readonly checks: CheckRun[];
  /** The same check with --no-smtp. */
  readonly noSmtp: CheckRun[];
  readonly floors: FloorRun[];
  /** The floor's work done by a Node.js program (bench/check/node-floor.ts). */
  readonly nodeFloors: NodeFloorRun[];
  /** The same, with the checker's STARTTLS probes too. */
  readonly nodeProbeFloors: NodeFloorRun[];
  readonly sweep: Map<number, number[]>;
  /** Findings the same in every run with probes, and in every run without. */
  readonly identical: boolean;
}

async function main(): Promise<void> {
  for (const t of ['knotd', 'kzonecheck', 'dnsperf', 'curl', 'openssl']) tool(t);
  const work = mkdtempSync(join(tmpdir(), 'bench-check-'));
  workDir = work;
  let knotd: Knotd | undefined;
  let proxy: LineChild | undefined;
  let https: LineChild | undefined;
  const load: number[] = [loadavg()[0]];
  try {
    compileSrc(join(work, 'cli'));
    compileNodeFloor(work);
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
    const mxFile = join(work, 'mx-hosts.txt');
    writeFileSync(mxFile, `${world.mxHosts.join('\n')}\n`);
    const zonePath = join(work, `${BENCH_ZONE}.zone`);
    writeFileSync(zonePath, zoneFile(world.zone));
    const zc = spawnSync('kzonecheck', ['-o', `${BENCH_ZONE}.`, zonePath], { encoding: 'utf8' });
    if (zc.status !== 0) throw new Error(`kzonecheck rejected the zone:\n${zc.stdout}${zc.stderr}`);
    mkdirSync(join(work, 'knot'), { recursive: true });
    knotd = await Knotd.start(join(work, 'knot'), [{ zone: BENCH_ZONE, file: zonePath }]);
    children.add(knotd.child);

    const h = await LineChild.start('servers.ts', [], { BENCH_DOMAINS: String(N) });
    https = h.child;
    const { port: httpsUpstream, smtpPort: smtpUpstream, smtpCertificates, caFile } = h.first as {
      port: number; smtpPort: number; smtpCertificates: number; caFile: string;
    };
    const certNames = await namesOnCertificate(httpsUpstream, `mta-sts.${domains[0]}`, caFile);
    const greetingMs = await greetingTime(smtpUpstream);
    const p = await LineChild.start('proxy.ts', [String(knotd.port), String(httpsUpstream), String(smtpUpstream)]);
    proxy = p.child;
    const { dnsPort, httpsPort, smtpPort } = p.first as { dnsPort: number; httpsPort: number; smtpPort: number };
    const env: Env = { work, bin, domainsFile, proxy, https, dnsPort, httpsPort, smtpPort, caFile, knotdPid: knotd.child.pid!, mxFile };
    process.stderr.write(`knotd on 127.0.0.1:${knotd.port}, HTTPS on 127.0.0.1:${httpsUpstream}, SMTP on 127.0.0.1:${smtpUpstream}` +
      ` (greets in ${greetingMs.toFixed(1)} ms), relay on 127.0.0.1:${dnsPort} (DNS), :${httpsPort} (HTTPS) and :${smtpPort} (SMTP)\n`);

    if (values.serve) {
      await reset(env, 0, false);
      process.stdout.write(`${JSON.stringify({
        checkNoSmtp: ['check', '--file', domainsFile, '--resolver', `127.0.0.1:${dnsPort}`, '--https-port', String(httpsPort),
          '--no-smtp', '--ca-file', caFile, '--format', 'json'],
        dnsPort,
        httpsPort,
        smtpPort,
        caFile,
        domainsFile,
      })}\n`);
      await new Promise<never>(() => {
        // Up until a signal ends the process (cleanUp on exit stops the servers).
      });
    }

    // Untimed runs first: the JIT, the page cache and knotd's first answers.
    await runCheck(env, 0);
    await runCheck(env, 0, { smtp: false });

    const results: LatencyResult[] = [];
    for (const rtt of LATENCIES) {
      const oneWay = rtt / 2;
      const { plan, run: captured } = await capturePlan(env, oneWay);
      process.stderr.write(`+${rtt} ms: capture run ${secs(captured.ms)} s, ${plan.questions} questions (at most ${plan.outstanding} outstanding), ${plan.fetches} fetches (at most ${plan.parallel} connections)\n`);
      const checks: CheckRun[] = [];
      const noSmtp: CheckRun[] = [];
      const floors: FloorRun[] = [];
      const nodeFloors: NodeFloorRun[] = [];
      const nodeProbeFloors: NodeFloorRun[] = [];
      const sweep = new Map<number, number[]>(SWEEP.map((c) => [c, []]));
      let identical = true;
      let noSmtpSummary: string | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        const at = `+${rtt} ms, round ${round + 1}/${ROUNDS}`;
        const steps: Array<() => Promise<void>> = [
          async () => {
            const c = await runCheck(env, oneWay);
            identical &&= c.summary === captured.summary;
            checks.push(c);
            process.stderr.write(`${at}: check ${secs(c.ms)} s (CPU ${secs(c.cpu.measured)} s, ${c.probes} probes, ${c.probesValid} valid,` +
              ` at most ${c.stats.peakSmtpConnections} at once; ${c.stats.udpRepeats} retransmitted, ${c.stats.tcpConnections} TCP, UDP buffer drops ${c.udp.rcvbufErrors})\n`);
          },
          async () => {
            const c = await runCheck(env, oneWay, { smtp: false });
            noSmtpSummary ??= c.summary;
            identical &&= c.summary === noSmtpSummary && c.probes === 0;
            noSmtp.push(c);
            process.stderr.write(`${at}: check --no-smtp ${secs(c.ms)} s (CPU ${secs(c.cpu.measured)} s)\n`);
          },
          async () => {
            const f = await runFloor(env, oneWay, plan);
            floors.push(f);
            process.stderr.write(`${at}: floor ${secs(f.ms)} s (dnsperf ${secs(f.dnsMs)} s, curl ${secs(f.httpsMs)} s; CPU ${secs(f.cpu.measured)} s)\n`);
          },
          async () => {
            const f = await runNodeFloor(env, oneWay, plan, false);
            nodeFloors.push(f);
            process.stderr.write(`${at}: Node.js floor ${secs(f.ms)} s (DNS ${secs(f.dnsMs)} s, HTTPS ${secs(f.httpsMs)} s; CPU ${secs(f.cpu.measured)} s)\n`);
          },
          async () => {
            const f = await runNodeFloor(env, oneWay, plan, true);
            nodeProbeFloors.push(f);
            process.stderr.write(`${at}: Node.js floor with probes ${secs(f.ms)} s (${f.probed} probes in ${secs(f.smtpMs)} s; CPU ${secs(f.cpu.measured)} s)\n`);
          },
        ];
        // Each round starts with the next of the five, so each goes first as often as the others.
        for (let i = 0; i < steps.length; i++) await steps[(round + i) % steps.length]();
        for (const c of SWEEP) {
          const s = await runCheck(env, oneWay, { concurrency: c });
          identical &&= s.summary === captured.summary;
          sweep.get(c)!.push(s.ms);
          process.stderr.write(`${at}: check --concurrency ${c} ${secs(s.ms)} s\n`);
        }
      }
      results.push({ rttMs: rtt, plan, checks, noSmtp, floors, nodeFloors, nodeProbeFloors, sweep, identical });
      if (values.profile !== undefined) {
        const dir = join(values.profile, `rtt-${rtt}ms`);
        await runCheck(env, oneWay, { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir] });
        await runCheck(env, oneWay, { smtp: false, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', `${dir}-no-smtp`] });
        process.stderr.write(`+${rtt} ms: CPU profiles of two more checker runs are in ${dir} (with probes) and ${dir}-no-smtp\n`);
      }
      load.push(loadavg()[0]);
    }
    report(results, defaultConcurrency, load, startupMs, { certNames, smtpCertificates, greetingMs });
  } finally {
    proxy?.stop();
    https?.stop();
    await knotd?.stop();
    cleanUp();
  }
}

// ---- the report ----------------------------------------------------------------------------

interface ServerFacts {
  /** Names on the certificate a policy host presents. */
  readonly certNames: number;
  /** Certificates the mail server chooses among by SNI. */
  readonly smtpCertificates: number;
  /** Milliseconds from connecting to the mail server's greeting. */
  readonly greetingMs: number;
}

function report(results: LatencyResult[], defaultConcurrency: number, load: number[], startupMs: number, servers: ServerFacts): void {
  const medianOf = <T>(xs: T[], f: (x: T) => number) => median(xs.map(f));
  const checkMs = (r: LatencyResult) => medianOf(r.checks, (x) => x.ms);
  const noSmtpMs = (r: LatencyResult) => medianOf(r.noSmtp, (x) => x.ms);
  const floorMs = (r: LatencyResult) => medianOf(r.floors, (x) => x.ms);
  const nodeFloorMs = (r: LatencyResult) => medianOf(r.nodeFloors, (x) => x.ms);
  const nodeProbeFloorMs = (r: LatencyResult) => medianOf(r.nodeProbeFloors, (x) => x.ms);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const timesTable = table(
    ['Added round trip', 'gov-email check (s)', 'check --no-smtp (s)', 'With probes ÷ without', 'Floor (s)', 'Check ÷ floor', '--no-smtp ÷ floor',
      'Floor: dnsperf / curl (s)', 'Node.js floor (s)', 'Node.js floor ÷ floor', '--no-smtp ÷ Node.js floor', 'Node.js floor with probes (s)',
      'Node.js floor: with probes ÷ without'],
    results.map((r) => [
      `+${r.rttMs} ms`,
      secs(checkMs(r)),
      secs(noSmtpMs(r)),
      ratio(checkMs(r), noSmtpMs(r)),
      secs(floorMs(r)),
      ratio(checkMs(r), floorMs(r)),
      ratio(noSmtpMs(r), floorMs(r)),
      `${secs(medianOf(r.floors, (x) => x.dnsMs))} / ${secs(medianOf(r.floors, (x) => x.httpsMs))}`,
      secs(nodeFloorMs(r)),
      ratio(nodeFloorMs(r), floorMs(r)),
      ratio(noSmtpMs(r), nodeFloorMs(r)),
      secs(nodeProbeFloorMs(r)),
      ratio(nodeProbeFloorMs(r), nodeFloorMs(r)),
    ]),
  );
  const both = (r: LatencyResult, f: (x: CheckRun) => number) => `${num(medianOf(r.checks, f))} / ${num(medianOf(r.noSmtp, f))}`;
  const countsTable = table(
    ['Added round trip', 'Probes: made / STARTTLS with a valid certificate / most open at once at the relay', 'Queries sent: UDP (with EDNS0) + TCP',
      'Questions: check / --no-smtp', 'UDP retransmissions: median (most)', 'Truncated → TCP connections', 'Timeouts: check / --no-smtp / floor / Node.js floor',
      'Policy fetches: check / --no-smtp / floor'],
    results.map((r) => [
      `+${r.rttMs} ms`,
      `${num(medianOf(r.checks, (x) => x.probes))} / ${num(medianOf(r.checks, (x) => x.probesValid))} / ${num(medianOf(r.checks, (x) => x.stats.peakSmtpConnections))}`,
      `${num(medianOf(r.checks, (x) => x.stats.udpQueries))} (${num(medianOf(r.checks, (x) => x.stats.ednsQueries))})` +
        ` + ${num(medianOf(r.checks, (x) => x.stats.tcpQueries))}`,
      both(r, (x) => x.stats.questions),
      `${num(medianOf(r.checks, (x) => x.stats.udpRepeats))} (${num(Math.max(...r.checks.map((x) => x.stats.udpRepeats)))})`,
      `${num(medianOf(r.checks, (x) => x.stats.truncated))} → ${num(medianOf(r.checks, (x) => x.stats.tcpConnections))}`,
      `${Math.max(...r.checks.map((x) => x.timeouts + x.probeTimeouts))} / ${Math.max(...r.noSmtp.map((x) => x.timeouts))} / ${Math.max(...r.floors.map((x) => x.lost))}` +
        ` / ${Math.max(...r.nodeFloors.map((x) => x.lost))}`,
      `${both(r, (x) => x.fetches)} / ${num(medianOf(r.floors, (x) => x.fetched))}`,
    ]),
  );
  const cpuCell = (xs: CpuTimes[]) => [
    secs(medianOf(xs, (x) => x.measured)), secs(medianOf(xs, (x) => x.https)), secs(medianOf(xs, (x) => x.relay)), secs(medianOf(xs, (x) => x.knotd)),
  ].join(' / ');
  const floorTable = table(
    ['Added round trip', 'dnsperf -q (most outstanding)', 'curl --parallel-max (most connections)', 'Floor sent: UDP queries, truncated, TCP',
      'CPU (s) during check: checker / HTTPS + SMTP servers / relay / knotd', 'CPU (s) during check --no-smtp: same',
      'CPU (s) during floor: dnsperf + curl / HTTPS + SMTP servers / relay / knotd', 'CPU (s) during Node.js floor: same',
      'CPU (s) during Node.js floor with probes: same'],
    results.map((r) => [
      `+${r.rttMs} ms`,
      String(r.plan.outstanding),
      String(r.plan.parallel),
      `${num(r.floors[0].stats.udpQueries)}, ${num(r.floors[0].stats.truncated)}, ${num(r.floors[0].stats.tcpConnections)}`,
      cpuCell(r.checks.map((x) => x.cpu)),
      cpuCell(r.noSmtp.map((x) => x.cpu)),
      cpuCell(r.floors.map((x) => x.cpu)),
      cpuCell(r.nodeFloors.map((x) => x.cpu)),
      cpuCell(r.nodeProbeFloors.map((x) => x.cpu)),
    ]),
  );
  // The checker's own CPU time is the figure least moved by the machine's load: what the probes
  // cost the checker, apart from the servers and the relay that share its cores.
  const checkerCpu = (xs: CheckRun[]) => medianOf(xs, (x) => x.cpu.measured);
  const cpuTable = table(
    ['Added round trip', 'Checker CPU with probes (s)', 'Checker CPU with --no-smtp (s)', 'With ÷ without', 'Probes', 'Checker CPU per probe (ms)',
      'Servers + relay CPU per probe (ms)'],
    results.map((r) => {
      const probes = medianOf(r.checks, (x) => x.probes);
      const others = (xs: CheckRun[]) => medianOf(xs, (x) => x.cpu.https + x.cpu.relay);
      return [
        `+${r.rttMs} ms`,
        secs(checkerCpu(r.checks)),
        secs(checkerCpu(r.noSmtp)),
        ratio(checkerCpu(r.checks), checkerCpu(r.noSmtp)),
        num(probes),
        probes > 0 ? ((checkerCpu(r.checks) - checkerCpu(r.noSmtp)) / probes).toFixed(2) : '-',
        probes > 0 ? ((others(r.checks) - others(r.noSmtp)) / probes).toFixed(2) : '-',
      ];
    }),
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
  const spread = Math.max(...results.flatMap((r) => [r.checks, r.noSmtp, r.floors, r.nodeFloors, r.nodeProbeFloors]
    .map((xs) => spreadOf(xs.map((x) => x.ms)))
    .concat([...r.sweep.values()].map(spreadOf))));
  const drops = results.reduce((n, r) => n + [...r.checks, ...r.noSmtp].reduce((m, x) => m + x.udp.rcvbufErrors, 0), 0);
  const worst = Math.max(...results.map((r) => checkMs(r) / floorMs(r)));
  const worstNoSmtp = Math.max(...results.map((r) => noSmtpMs(r) / floorMs(r)));
  const probeRatios = results.map((r) => `+${r.rttMs} ms ${ratio(checkMs(r), noSmtpMs(r))}`);
  const atOnce = results.find((r) => r.rttMs === 0);
  // Each round runs the check with probes and without back to back: their ratio per round shows
  // how far the machine's load moved the median's.
  const perRound = (r: LatencyResult) => r.checks.map((c, i) => (i < r.noSmtp.length ? ratio(c.ms, r.noSmtp[i].ms) : '-')).join(', ');
  const probeGoal = atOnce === undefined ? 'not measured (no run at +0 ms)'
    : `${ratio(checkMs(atOnce), noSmtpMs(atOnce))} at +0 ms, ${checkMs(atOnce) <= 1.5 * noSmtpMs(atOnce) ? 'met' : 'not met'}`
      + ` (round by round: ${perRound(atOnce)}; the checker's CPU time with probes ÷ without: ${ratio(checkerCpu(atOnce.checks), checkerCpu(atOnce.noSmtp))};`
      + ` the Node.js floor with the same probes ÷ without: ${ratio(nodeProbeFloorMs(atOnce), nodeFloorMs(atOnce))})`;
  const mxHosts = results[0].checks[0].probes;
  const cpu = cpus();
  const identical = results.every((r) => r.identical);
  const out = [
    '## gov-email check',
    '',
    'The whole `gov-email check` process, as a user runs it (compiled JavaScript, start-up included, `--format json`' +
    ` to a file), over ${num(N)} generated domains (bench/check/world.ts: 55% in use and healthy, 10% weak,` +
    ' 5% with an SPF chain over the limit, 25% parked, 5% that do not exist), default `--timeout`, with the mail servers probed' +
    ' (the default) and, in the same rounds, with `--no-smtp`. DNS: knotd (Knot DNS), authoritative for the zone. Policy host: the' +
    ' test HTTPS server (test/cli/support/https-server.ts, its own process, a throwaway CA given with `--ca-file`; a policy host\'s' +
    ` certificate names ${num(servers.certNames)} hosts). Mail servers: each domain in use has two MX hosts, each with an A record` +
    ' (127.0.0.1), all served by one SMTP server with STARTTLS (the `smtp-server` package, bench/check/smtp.ts, in the policy' +
    ` host's process; TLS 1.2 to 1.3), which chooses by SNI among ${num(servers.smtpCertificates)} certificates of at most 50 MX` +
    ' host names each from the same CA, so every probe finds STARTTLS and a certificate valid for its host. It greets at once' +
    ` (${servers.greetingMs.toFixed(1)} ms from connecting, median of 5): the 100 ms the package waits before greeting, to` +
    ' catch clients that talk first, and its reverse lookup of the client are turned off, so these are figures for mail servers' +
    ' that answer at once. In front of all three, a relay of the benchmark\'s own (bench/check/proxy.ts, its own process) holds' +
    ' every UDP datagram and every TCP chunk, DNS, HTTPS and SMTP, for half the added round trip each way (the TCP handshake itself' +
    ' is not delayed: the kernel completes it before the relay sees the connection); the checker is pointed at it with' +
    ' `--resolver`, `--https-port` and `--smtp-port`. With `--smtp-port` the checker connects without looking the MX hosts\'' +
    ' addresses up (as with `--https-port` for policy hosts), so their A and AAAA questions are not in these runs: see "Questions".',
    '',
    'The floor shares no code with the checker, and has no SMTP: it is DNS and HTTPS only, and both the check with probes' +
    ' and the check with `--no-smtp` are compared with it. For each round trip an untimed capture run of the checker (with' +
    ' probes) records the DNS questions it asks (each once, at the relay), the most it had outstanding at once, the policy hosts it' +
    ' fetched (at the HTTPS server) and the most HTTPS connections it had open at once. The floor runs two programs at once' +
    ' and takes the time until both have exited: `dnsperf -e -q <most outstanding>` with the same questions (EDNS0, so' +
    ' no answer is truncated), and `curl --parallel --parallel-max <most connections> --connect-to --cacert` for the' +
    ' same fetches. It asks no question twice, waits for no answer before asking the next, and evaluates nothing.',
    '',
    'The Node.js floor does the floor\'s work in one Node.js process (bench/check/node-floor.ts, compiled to JavaScript first,' +
    ' sharing no code with the checker): the same questions with EDNS0 and the same most outstanding, written with the' +
    ' dns-packet package on one UDP socket and answers matched by id (as dnsperf does), and the same fetches with node:https,' +
    ' a new connection each, at most as many at once. The Node.js floor with probes also makes the checker\'s STARTTLS probes, as' +
    ' many at once as the checker had at most: connect, greeting, EHLO, STARTTLS, the TLS handshake with the MX host\'s name (the' +
    ' chain verified) and its certificate, QUIT.' +
    ' What the checker costs over it is the checker\'s own; what the Node.js floor costs over the floor is the runtime\'s.',
    '',
    `Each figure is the median of ${ROUNDS} rounds; each round runs the check, the check with \`--no-smtp\`, the floor and the` +
    ' Node.js floor without and with probes, starting with the next of the five each round, and ends with the sweep.' +
    ' Counts are the relay\'s, the HTTPS server\'s and the' +
    ' SMTP server\'s (medians over the checker\'s runs); "Probes made" are the connections the SMTP server accepted, "with a valid' +
    ' certificate" the report\'s MX facts saying so. "UDP retransmissions" are queries for a question already asked; "Timeouts" are' +
    ' the most, over the runs, of the checker\'s findings of a query or fetch without an answer in time (with probes, and probes' +
    ' that ran out of time), and of the queries dnsperf and the Node.js floor lost. src/ is compiled by tsc into a temporary folder at' +
    ' the start of every run, so the code measured is the work tree\'s as it was then. Run with:',
    '',
    '```sh',
    COMMAND,
    '```',
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node.js ${process.version}, ${process.platform};` +
    ' knotd, the relay and the HTTPS and SMTP servers share its CPUs with what is measured, and so did other work: load average' +
    ` (1 min) ${load.map((l) => l.toFixed(1)).join(', ')} (at the start and after each round trip); rounds of one` +
    ` configuration varied by up to ${spread.toFixed(2)}×.`,
    '',
    'What the probes cost the checker: its CPU time (user and system, from /proc, medians), with probes and with' +
    ' `--no-smtp`, and the difference per probe; and the same difference for the HTTPS + SMTP servers\' process and the relay,' +
    ' which share the cores with it:',
    '',
    cpuTable,
    '',
    `Default \`--concurrency\` (${defaultConcurrency}); findings ${identical ? 'identical' : 'NOT identical'} in every run` +
    ' with probes, and in every run without:',
    '',
    timesTable,
    '',
    `Goal: with probes at most 1.5× the same check without, when the MX hosts answer at once: ${probeGoal}` +
    ` (with probes ÷ without: ${probeRatios.join(', ')}; ${num(mxHosts)} probes a run).`,
    '',
    `Goal: at most 1.5× the floor at every round trip. Measured at the default concurrency: with probes at most ${worst.toFixed(2)}×,` +
    ` ${worst <= 1.5 ? 'met' : 'not met'} (the floor has no SMTP); with \`--no-smtp\` at most ${worstNoSmtp.toFixed(2)}×,` +
    ` ${worstNoSmtp <= 1.5 ? 'met' : 'not met'}. The Node.js floor alone is ${results.map((r) => `${ratio(nodeFloorMs(r), floorMs(r))} at +${r.rttMs} ms`).join(', ')}` +
    ` of the floor, and the check with \`--no-smtp\` ${results.map((r) => `${ratio(noSmtpMs(r), nodeFloorMs(r))}`).join(', ')} of the Node.js floor.`,
    '',
    'What was sent:',
    '',
    countsTable,
    '',
    `Questions by type (the capture run, with probes, at +${results[0].rttMs} ms): ${results[0].plan.byType}.`,
    '',
    'UDP datagrams the machine dropped for a full receive buffer (/proc/net/snmp, every process) during the checker\'s' +
    ` measured runs: ${num(drops)} in all.`,
    '',
    `Start-up is part of every checker run: \`gov-email check --help\` takes ${secs(startupMs)} s here (median of 3).`,
    '',
    'What the floor was given and sent, and the CPU time each process used (from /proc) during a run:',
    '',
    floorTable,
    '',
    'The checker, with probes, at other concurrencies (same rounds; "÷ floor" is against the floor above, which has the' +
    ` default's parallelism). Concurrencies within 1.5× of the floor: ${meeting.join('; ')}.`,
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
