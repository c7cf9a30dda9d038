/**
 * The run-wide port 25 breaker of `ProbeLimiter`, against real sockets on 127.0.0.1: a port where
 * connecting hangs (a listener whose accept queue is full, as where a firewall drops outbound port
 * 25), a closed port (refused at once), and a real mail server. The connect timeout is made short,
 * so each test takes a few hundred milliseconds.
 */
import * as net from 'node:net';
import { TestCa, hasOpenssl } from './support/certs';
import { HangingListener, TestSmtpServer } from './support/smtp-server';
import { ProbeLimiter, ProbeLimiterOptions, SmtpProbeResult, probeMxHosts } from '../../src/cli/check/smtp-probe';
import { transitFindings, tlsReadiness } from '../../src/cli/check/transit';

const CONNECT_MS = 150;

let hanging: HangingListener;
beforeAll(async () => {
  hanging = await HangingListener.start();
});
afterAll(async () => {
  await hanging.stop();
});

/** `domains` domains of `perDomain` MX hosts each, named mx<j>.d<i>.test. */
function world(domains: number, perDomain: number): string[][] {
  return Array.from({ length: domains }, (_, i) => Array.from({ length: perDomain }, (_v, j) => `mx${j + 1}.d${i + 1}.test`));
}

/** Probe each domain's hosts (one probeMxHosts call a domain, as a check does), all at 127.0.0.1:`port`, sharing `limiter`. */
function probeAll(domains: string[][], port: number, limiter: ProbeLimiter, looked: string[] = []): Promise<SmtpProbeResult[][]> {
  return Promise.all(domains.map(async (hosts) => (await probeMxHosts(hosts, {
    port,
    limiter,
    connectTimeoutMs: CONNECT_MS,
    lookup: async (h) => {
      looked.push(h);
      return '127.0.0.1';
    },
  })).probes));
}

function limiterWith(options: ProbeLimiterOptions = {}): { limiter: ProbeLimiter; notices: string[] } {
  const notices: string[] = [];
  return { limiter: new ProbeLimiter({ onBlocked: (n) => notices.push(n), ...options }), notices };
}

const outcomes = (rs: SmtpProbeResult[][]) => rs.flat().map((r) => r.outcome);
const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;

test('the connect hangs at the listener: a probe times out connecting (the state the breaker counts)', async () => {
  const { limiter } = limiterWith();
  const [[r]] = await probeAll([['mx.one.test']], hanging.port, limiter);
  expect(r).toMatchObject({ outcome: 'timeout', phase: 'connect', error: `mx.one.test (127.0.0.1 port ${hanging.port}) did not accept a connection within ${CONNECT_MS} ms` });
  expect(limiter.blocked).toBeUndefined();
});

test('8 hosts of 3 domains time out connecting and none connects: probing stops for the run, said once; the rest are blocked, not tried', async () => {
  const { limiter, notices } = limiterWith({ maxConnections: 4 });
  // 4 at a time: hosts 1-4 (d1 and d2), then 5-8 (d2 and d3): the 8th timeout, of the 3rd domain, trips it.
  const results = await probeAll(world(5, 3), hanging.port, limiter);
  const all = outcomes(results);
  expect(count(all, 'timeout')).toBe(8);
  expect(count(all, 'blocked')).toBe(7);
  expect(results.flat().filter((r) => r.outcome === 'timeout').every((r) => r.phase === 'connect')).toBe(true);
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatch(new RegExp(`^No MX host could be reached on port ${hanging.port}: outbound port ${hanging.port} appears to be blocked from this network; use --no-smtp, or run from a network that allows it\\.`));
  expect(limiter.blocked).toBe(notices[0]);
  const blocked = results.flat().find((r) => r.outcome === 'blocked')!;
  expect(blocked).toMatchObject({ phase: 'connect', starttlsOffered: false, port: hanging.port });
  expect(blocked.error).toMatch(/appears to be blocked/);

  // Domains checked afterwards are neither looked up nor probed, and nothing is said again.
  const looked: string[] = [];
  const later = await probeAll(world(2, 2), hanging.port, limiter, looked);
  expect(outcomes(later)).toEqual(['blocked', 'blocked', 'blocked', 'blocked']);
  expect(looked).toEqual([]);
  expect(notices).toHaveLength(1);
});

test('when it trips, the probes still connecting are given up at once, not left to their timeouts', async () => {
  const { limiter } = limiterWith({ maxConnections: 32 });
  // 13 hosts start together; one of them would wait 20 s to time out, beyond the test's own timeout.
  const slow = probeMxHosts(['mx.slow.test'], { port: hanging.port, limiter, connectTimeoutMs: 20_000, lookup: async () => '127.0.0.1' });
  const [results, slowResult] = await Promise.all([probeAll(world(4, 3), hanging.port, limiter), slow]);
  expect(limiter.blocked).toBeDefined();
  expect(count(outcomes(results), 'timeout')).toBeGreaterThanOrEqual(8);
  expect(slowResult.probes.map((p) => p.outcome)).toEqual(['blocked']);
});

test('the hosts of fewer domains than the minimum do not trip it, however many', async () => {
  const { limiter, notices } = limiterWith({ maxConnections: 32 });
  const results = await probeAll(world(2, 5), hanging.port, limiter);
  expect(outcomes(results)).toEqual(Array(10).fill('timeout'));
  expect(notices).toEqual([]);
  expect(limiter.blocked).toBeUndefined();
});

test('refusals do not count: a closed port refuses at once, and nothing is blocked', async () => {
  const port = await closedPort();
  const { limiter, notices } = limiterWith();
  const results = await probeAll(world(5, 3), port, limiter);
  expect(outcomes(results)).toEqual(Array(15).fill('refused'));
  expect(notices).toEqual([]);
});

test('blockedAfterHosts 0 turns the breaker off', async () => {
  const { limiter, notices } = limiterWith({ maxConnections: 32, blockedAfterHosts: 0 });
  const results = await probeAll(world(5, 2), hanging.port, limiter);
  expect(outcomes(results)).toEqual(Array(10).fill('timeout'));
  expect(notices).toEqual([]);
});

(hasOpenssl() ? describe : describe.skip)('with a mail server that answers', () => {
  let ca: TestCa;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    ca = TestCa.create();
    smtp = await TestSmtpServer.start({ cert: ca.issue({ names: ['mx1.d0.test'] }) });
  });
  afterAll(async () => {
    await smtp.stop();
    ca.dispose();
  });

  test('one probe that connects keeps the breaker off for the run, whatever times out after', async () => {
    const { limiter, notices } = limiterWith({ maxConnections: 32 });
    const good = await probeMxHosts(['mx1.d0.test'], { port: smtp.port, ca: [ca.cert], limiter, lookup: async () => '127.0.0.1' });
    expect(good.probes[0].outcome).toBe('tls');
    const results = await probeAll(world(5, 2), hanging.port, limiter);
    expect(outcomes(results)).toEqual(Array(10).fill('timeout'));
    expect(notices).toEqual([]);
  });
});

test('a domain whose hosts were not probed gets one warning saying why, and its readiness is not known', async () => {
  const { limiter } = limiterWith({ maxConnections: 4 });
  const domains = world(5, 3);
  const results = await probeAll(domains, hanging.port, limiter);
  for (const [i, probes] of results.entries()) {
    const d = `d${i + 1}.test`;
    const findings = transitFindings(d, domains[i], probes);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['SMTP-UNREACHABLE', 'warning']]);
    const readiness = tlsReadiness(d, probes, domains[i]);
    expect(readiness).toMatchObject({ ready: false, known: false });
    if (probes.some((p) => p.outcome === 'blocked')) {
      expect(findings[0].message).toMatch(new RegExp('appears to be blocked from this network; use --no-smtp, or run from a network that allows it\\.$'));
      expect(readiness.summary).toMatch(/appears to be blocked/);
    }
  }
  // d5's hosts were never tried: all blocked.
  expect(results[4].map((p) => p.outcome)).toEqual(['blocked', 'blocked', 'blocked']);
  expect(transitFindings('d5.test', domains[4], results[4])[0].message).toMatch(/^None of d5\.test's MX hosts was probed \(mx1\.d5\.test, mx2\.d5\.test, mx3\.d5\.test\)/);
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
