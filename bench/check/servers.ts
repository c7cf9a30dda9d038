/**
 * The benchmark's MTA-STS policy host and mail server, in a process of their own so that they
 * share no event loop with what is measured: the test HTTPS server
 * (test/cli/support/https-server.ts) on 127.0.0.1, serving the generated world's policies, and
 * an SMTP server with STARTTLS for every MX host (smtp.ts), both with certificates of at most
 * 50 names each from one throwaway test CA.
 *
 * Prints one JSON line, {"port", "smtpPort", "smtpCertificates", "caFile"}; then answers each
 * line on standard input with one JSON line: `reset` zeroes the counts, anything else gets
 * {"requests", "hosts", "smtp"} (the requests since the reset, the hosts asked, in the order
 * first asked, and the mail server's counts: see `BenchSmtpStats`). Exits when its standard
 * input closes.
 */
import { createInterface } from 'node:readline';
import { BenchSmtpServer } from './smtp';
import { BENCH_DOMAINS, benchWorld } from './world';
import { TestCa } from '../../test/cli/support/certs';
import { TestHttpsServer } from '../../test/cli/support/https-server';

/** The most names on one certificate, HTTPS and SMTP alike, as a provider serving many domains has. */
const NAMES_PER_CERTIFICATE = 50;

async function serve(): Promise<void> {
  const n = Number(process.env.BENCH_DOMAINS ?? BENCH_DOMAINS);
  // The DKIM key only goes into DNS; the policy host needs none.
  const world = benchWorld('', n);
  const ca = TestCa.create();
  const https = await TestHttpsServer.start({ ca, hosts: world.hosts, namesPerCertificate: NAMES_PER_CERTIFICATE });
  const smtp = await BenchSmtpServer.start(ca, world.mxHosts, NAMES_PER_CERTIFICATE);
  process.stdout.write(`${JSON.stringify({ port: https.port, smtpPort: smtp.port, smtpCertificates: smtp.certificates, caFile: ca.certFile })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([https.stop(), smtp.stop()]);
    ca.dispose();
    process.exit(0);
  };
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (line.trim() === 'reset') {
      https.requests.clear();
      smtp.reset();
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } else {
      const requests = [...https.requests.values()].reduce((a, b) => a + b, 0);
      process.stdout.write(`${JSON.stringify({ requests, hosts: [...https.requests.keys()], smtp: smtp.stats() })}\n`);
    }
  });
  rl.on('close', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void serve();
