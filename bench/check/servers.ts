/**
 * The benchmark's servers, in a process of their own so that they do not share an event loop
 * with the checker being measured: the test DNS server (UDP and TCP) and HTTPS server on
 * 127.0.0.1 holding the generated world, twice: once answering at once, once after a simulated
 * round trip (BENCH_LATENCY_MS, default 5 ms, on every DNS answer and HTTP response). Prints
 * one JSON line with the ports and the CA file, then serves until its standard input closes.
 */
import { BENCH_DOMAINS, benchWorld } from './world';
import { TestCa } from '../../test/cli/support/certs';
import { TestDnsServer } from '../../test/cli/support/dns-server';
import { TestHttpsServer } from '../../test/cli/support/https-server';
import { rsaPublicKey } from '../../test/cli/support/zones';

async function serve(): Promise<void> {
  const n = Number(process.env.BENCH_DOMAINS ?? BENCH_DOMAINS);
  const world = benchWorld(rsaPublicKey(2048), n);
  const ca = TestCa.create();
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 5);
  // Two sets: answering at once, and answering after a simulated round trip.
  const dns = await TestDnsServer.start(world.zone);
  const https = await TestHttpsServer.start({ ca, hosts: world.hosts, namesPerCertificate: 50 });
  const farDns = await TestDnsServer.start(world.zone);
  farDns.latencyMs = latencyMs;
  const farHttps = await TestHttpsServer.start({ ca, hosts: world.hosts, namesPerCertificate: 50, latencyMs });
  process.stdout.write(JSON.stringify({
    caFile: ca.certFile,
    latencyMs,
    local: { dnsPort: dns.port, httpsPort: https.port },
    far: { dnsPort: farDns.port, httpsPort: farHttps.port },
  }) + '\n');
  const stop = async () => {
    await Promise.all([dns.stop(), https.stop(), farDns.stop(), farHttps.stop()]);
    ca.dispose();
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();
  process.on('SIGTERM', () => void stop());
}

void serve();
