/**
 * `gov-email check` talking to mail servers, end to end: the command against a DNS server, an
 * HTTPS server (MTA-STS policy, BIMI logo) and SMTP servers on 127.0.0.1 started here, one
 * SMTP configuration a run (`--smtp-port` sends every probe to one port). What a department
 * sees: the line per MX host, the transit findings, `--tls-readiness` and its exit code, and
 * `--no-smtp`.
 */
import { TestCa } from './support/certs';
import { TestDnsServer, TestZone } from './support/dns-server';
import { runCheck } from './support/environment';
import { TestHttpsServer } from './support/https-server';
import { HangingListener, TestSmtpServer } from './support/smtp-server';
import { policy } from './support/zones';
import { Report } from '../../src/cli/report';

jest.setTimeout(60_000);

const D = 'mail.test';
const MX = `mx.${D}`;
const LOGO = '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100">\n'
  + '<title>Mail Test</title>\n<rect width="100" height="100" fill="#1d70b8"/>\n</svg>\n';

const zone: TestZone = {
  [D]: { TXT: ['v=spf1 -all'], MX: [[10, MX]] },
  [MX]: { A: ['127.0.0.1'] },
  [`_dmarc.${D}`]: { TXT: [`v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc@${D}`] },
  [`_mta-sts.${D}`]: { TXT: ['v=STSv1; id=20261207T000000'] },
  [`mta-sts.${D}`]: { A: ['127.0.0.1'] },
  [`_smtp._tls.${D}`]: { TXT: [`v=TLSRPTv1; rua=mailto:tls@${D}`] },
  [`default._bimi.${D}`]: { TXT: [`v=BIMI1; l=https://logo.${D}/logo.svg`] },
  [`logo.${D}`]: { A: ['127.0.0.1'] },
};

let ca: TestCa;
let dns: TestDnsServer;
let https: TestHttpsServer;

beforeAll(async () => {
  ca = TestCa.create();
  dns = await TestDnsServer.start(zone);
  https = await TestHttpsServer.start({
    ca,
    hosts: {
      [`mta-sts.${D}`]: { body: policy('enforce', 1209600, [MX]) },
      [`logo.${D}`]: { status: 404, paths: { '/logo.svg': { contentType: 'image/svg+xml', body: LOGO } } },
    },
  });
});

afterAll(async () => {
  await Promise.all([dns?.stop(), https?.stop()]);
  ca?.dispose();
});

/** Run the check of the test domain against one SMTP server (or none, with --no-smtp). */
async function check(smtp: TestSmtpServer | undefined, extra: string[] = []) {
  const where = smtp === undefined ? ['--no-smtp'] : ['--smtp-port', String(smtp.port)];
  return runCheck([D, '--resolver', dns.address, '--https-port', String(https.port), '--ca-file', ca.certFile, '--timeout', '2000ms', ...where, ...extra]);
}

async function withSmtp<T>(server: Promise<TestSmtpServer>, run: (s: TestSmtpServer) => Promise<T>): Promise<T> {
  const s = await server;
  try {
    return await run(s);
  } finally {
    await s.stop();
  }
}

const ruleIds = (report: Report) => report.domains[0].findings.map((f) => f.ruleId);

describe('a good mail server', () => {
  test('the table: one line for the MX host (STARTTLS, TLS 1.3, certificate valid), no transit finding; the logo fetched and judged good', async () => {
    await withSmtp(TestSmtpServer.start({ cert: ca.issue({ names: [MX] }) }), async (smtp) => {
      const r = await check(smtp);
      expect(r.stdout).toMatch(new RegExp(`MX ${MX.replace(/\./g, '\\.')}: STARTTLS, TLS 1\\.3 \\([A-Z0-9_]+\\), certificate valid until \\d{4}-\\d\\d-\\d\\d`));
      expect(r.stdout).toContain(`DNSSEC: zone ${D} not signed`);
      expect(r.stdout).not.toMatch(/SMTP-|BIMI-/);
      await smtp.sawQuit();
      expect(smtp.servernames).toEqual([MX]);
      const json = JSON.parse((await check(smtp, ['--format', 'json'])).stdout) as Report;
      expect(json.domains[0].tlsReadiness).toMatchObject({ domain: D, ready: true });
      expect(ruleIds(json).filter((id) => /^(SMTP|BIMI|DANE)-/.test(id))).toEqual([]);
    });
  });

  test('--tls-readiness: one line a domain and a total; exit 0 when every domain is ready', async () => {
    await withSmtp(TestSmtpServer.start({ cert: ca.issue({ names: [MX] }) }), async (smtp) => {
      const r = await check(smtp, ['--tls-readiness']);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(new RegExp(`^ready\\s+${D.replace('.', '\\.')}`));
      expect(lines[1]).toMatch(/1 domain/);
    });
  });
});

describe('broken mail servers: a finding each, and forcing TLS is not safe', () => {
  test.each([
    ['no STARTTLS', () => TestSmtpServer.start({ cert: ca.issue({ names: [MX] }), starttls: false }), 'SMTP-STARTTLS-MISSING'],
    ['an expired certificate', () => TestSmtpServer.start({ cert: ca.issue({ names: [MX], expired: true }) }), 'SMTP-CERT-EXPIRED'],
    ['a certificate for another name', () => TestSmtpServer.start({ cert: ca.issue({ names: ['other.test'] }) }), 'SMTP-CERT-NAME'],
    ['a self-signed certificate', () => TestSmtpServer.start({ cert: ca.selfSigned([MX]) }), 'SMTP-CERT-UNTRUSTED'],
    ['TLS 1.0 and 1.1 only', () => TestSmtpServer.start({
      cert: ca.issue({ names: [MX] }), minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0',
    }), 'SMTP-TLS-VERSION'],
  ])('%s: %s, NOT READY, exit 1', async (_what, start, rule) => {
    await withSmtp(start(), async (smtp) => {
      const json = JSON.parse((await check(smtp, ['--format', 'json'])).stdout) as Report;
      expect(ruleIds(json)).toContain(rule);
      expect(json.domains[0].tlsReadiness?.ready).toBe(false);
      const readiness = await check(smtp, ['--tls-readiness']);
      expect(readiness.code).toBe(1);
      expect(readiness.stdout).toMatch(/^NOT READY /);
    });
  });
});

test('the MX line names each fault of the certificate', async () => {
  await withSmtp(TestSmtpServer.start({ cert: ca.issue({ names: ['other.test'], expired: true }) }), async (smtp) => {
    const r = await check(smtp);
    expect(r.stdout).toMatch(new RegExp(`MX ${MX.replace(/\./g, '\\.')}: STARTTLS, TLS 1\\.3 \\([A-Z0-9_]+\\), certificate expired 2020-02-01, certificate not for ${MX.replace(/\./g, '\\.')}`));
  });
});

describe('no mail server probed', () => {
  test('--no-smtp: no MX line, no transit finding, no readiness; the rest of the check as before', async () => {
    const r = await check(undefined, ['--format', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.domains[0].tlsReadiness).toBeUndefined();
    expect(report.domains[0].facts).toEqual([`DNSSEC: zone ${D} not signed (GOV.UK recommends DNSSEC; DANE needs it)`]);
    expect(ruleIds(report).filter((id) => id.startsWith('SMTP-'))).toEqual([]);
  });

  test('--no-smtp with --tls-readiness or --smtp-port is a usage error (exit 2)', async () => {
    expect((await runCheck([D, '--no-smtp', '--tls-readiness'])).code).toBe(2);
    expect((await runCheck([D, '--no-smtp', '--smtp-port', '2525'])).code).toBe(2);
  });
});

describe('a network where outbound port 25 is dropped (every connect hangs)', () => {
  // Five domains of two MX hosts each: 10 probes start together; the 8th timeout, of at least 3
  // domains, trips the run's breaker, and the probes still connecting are given up.
  const domains = ['a', 'b', 'c', 'd', 'e'].map((x) => `${x}.blocked.test`);
  const blockedZone: TestZone = Object.fromEntries(domains.flatMap((d) => [
    [d, { TXT: ['v=spf1 -all'], MX: [[10, `mx1.${d}`], [20, `mx2.${d}`]] }],
    [`mx1.${d}`, { A: ['127.0.0.1'] }],
    [`mx2.${d}`, { A: ['127.0.0.1'] }],
    [`_dmarc.${d}`, { TXT: [`v=DMARC1; p=reject; rua=mailto:dmarc@${d}`] }],
  ])) as TestZone;
  let blockedDns: TestDnsServer;
  let hanging: HangingListener;
  beforeAll(async () => {
    blockedDns = await TestDnsServer.start(blockedZone);
    hanging = await HangingListener.start();
  });
  afterAll(async () => {
    await Promise.all([blockedDns?.stop(), hanging?.stop()]);
  });

  test('each domain gets one SMTP-UNREACHABLE warning and no timeout per host; the blocked ones say to use --no-smtp', async () => {
    const r = await runCheck([...domains, '--resolver', blockedDns.address, '--https-port', String(https.port), '--ca-file', ca.certFile,
      '--timeout', '300ms', '--smtp-port', String(hanging.port), '--format', 'json']);
    expect([0, 1]).toContain(r.code);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.domains).toHaveLength(5);
    for (const d of report.domains) {
      const smtp = d.findings.filter((f) => f.ruleId.startsWith('SMTP-'));
      expect(smtp.map((f) => [f.ruleId, f.severity])).toEqual([['SMTP-UNREACHABLE', 'warning']]);
      expect(d.tlsReadiness).toMatchObject({ ready: false, known: false });
    }
    const messages = report.domains.map((d) => d.findings.find((f) => f.ruleId === 'SMTP-UNREACHABLE')!.message);
    expect(messages.filter((m) => m.includes('appears to be blocked from this network; use --no-smtp, or run from a network that allows it.')).length)
      .toBeGreaterThanOrEqual(1);
    // Said once for the run on stderr, after the progress bar, whatever the format.
    const notices = r.stderr.split('\n').filter((l) => l.startsWith('No MX host could be reached on port'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/appears to be blocked from this network; use --no-smtp, or run from a network that allows it\./);
  });
});
