/**
 * Knot DNS for tests: knotd serving zone files on 127.0.0.1 (UDP and TCP on one port), started
 * and stopped by the test, everything in a folder of its own. Knot DNS is required, not optional:
 * CI installs it (.ci/run).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';

/** The path of a Knot DNS program, or a failure that says how to install it (these tests do not skip). */
export function knotTool(name: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(`${name} is not installed: these tests need Knot DNS (Debian: apt-get install -y knot knot-dnssecutils; .ci/run installs them).`);
  }
  return path;
}

/** A TCP and UDP port free on 127.0.0.1 (as far as a listen can tell). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const p = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/** knotd on 127.0.0.1, in the foreground, as the current user, everything in its own folder. */
export class Knotd {
  public static async start(dir: string, zones: Array<{ zone: string; file: string }>): Promise<Knotd> {
    const knotd = knotTool('knotd');
    const port = await freePort();
    const conf = join(dir, 'knot.conf');
    writeFileSync(conf, [
      'server:',
      `    rundir: "${dir}"`,
      `    listen: 127.0.0.1@${port}`,
      '    udp-workers: 1',
      '    tcp-workers: 1',
      '    background-workers: 1',
      'control:',
      `    listen: "${join(dir, 'knot.sock')}"`,
      'database:',
      `    storage: "${dir}"`,
      'log:',
      '  - target: stderr',
      '    any: warning',
      'template:',
      '  - id: default',
      `    storage: "${dir}"`,
      '    zonefile-sync: -1',
      '    journal-content: none',
      '    semantic-checks: on',
      'zone:',
      ...zones.flatMap((z) => [`  - domain: ${z.zone}.`, `    file: "${z.file}"`]),
      '',
    ].join('\n'));
    const child = spawn(knotd, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new Knotd(child, port);
    child.stdout.on('data', (d: Buffer) => (server.log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (server.log += d.toString()));
    await server.waitUntilServing(zones.map((z) => z.zone));
    return server;
  }

  public log = '';
  private exited = false;

  private constructor(private readonly child: ChildProcess, public readonly port: number) {
    child.once('exit', () => (this.exited = true));
  }

  /** `127.0.0.1:<port>`, for `--resolver`. */
  public get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  public async stop(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exit;
  }

  /** Until every zone answers its SOA, or knotd exits, or 15 s pass. */
  private async waitUntilServing(zones: string[]): Promise<void> {
    const resolver = new Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([this.address]);
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (this.exited) throw new Error(`knotd exited before serving:\n${this.log}`);
      const answers = await Promise.all(zones.map((z) => resolver.resolveSoa(z).then(() => true, () => false)));
      if (answers.every(Boolean)) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`knotd did not serve ${zones.join(', ')} within 15 s:\n${this.log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
