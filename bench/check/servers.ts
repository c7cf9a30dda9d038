/**
 * The benchmark's MTA-STS policy host, in a process of its own so that it shares no event loop
 * with what is measured: the test HTTPS server (test/cli/support/https-server.ts) on 127.0.0.1,
 * serving the generated world's policies with certificates from a throwaway test CA.
 *
 * Prints one JSON line, {"port", "caFile"}; then answers each line on standard input with one
 * JSON line: `reset` zeroes the request counts, anything else gets {"requests", "hosts"} (the
 * requests since the reset, and the hosts asked, in the order first asked). Exits when its
 * standard input closes.
 */
import { createInterface } from 'node:readline';
import { BENCH_DOMAINS, benchWorld } from './world';
import { TestCa } from '../../test/cli/support/certs';
import { TestHttpsServer } from '../../test/cli/support/https-server';

async function serve(): Promise<void> {
  const n = Number(process.env.BENCH_DOMAINS ?? BENCH_DOMAINS);
  // The DKIM key only goes into DNS; the policy host needs none.
  const world = benchWorld('', n);
  const ca = TestCa.create();
  const https = await TestHttpsServer.start({ ca, hosts: world.hosts, namesPerCertificate: 50 });
  process.stdout.write(`${JSON.stringify({ port: https.port, caFile: ca.certFile })}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await https.stop();
    ca.dispose();
    process.exit(0);
  };
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (line.trim() === 'reset') {
      https.requests.clear();
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } else {
      const requests = [...https.requests.values()].reduce((a, b) => a + b, 0);
      process.stdout.write(`${JSON.stringify({ requests, hosts: [...https.requests.keys()] })}\n`);
    }
  });
  rl.on('close', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void serve();
