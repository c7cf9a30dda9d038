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
  /**
   * @param zones the zones and their files; `signed` zones are signed by knotd itself (keys made
   * at start, ECDSA P-256, one key signing everything), as knot's automatic DNSSEC signing does
   */
  public static async start(dir: string, zones: Array<{ zone: string; file: string; signed?: boolean }>): Promise<Knotd> {
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
      'policy:',
      '  - id: test',
      '    algorithm: ecdsap256sha256',
      '    single-type-signing: on',
      'zone:',
      ...zones.flatMap((z) => [
        `  - domain: ${z.zone}.`, `    file: "${z.file}"`,
        ...(z.signed ? ['    dnssec-signing: on', '    dnssec-policy: test'] : []),
      ]),
      '',
    ].join('\n'));
    const child = spawn(knotd, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new Knotd(child, port, conf);
    child.stdout.on('data', (d: Buffer) => (server.log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (server.log += d.toString()));
    await server.waitUntilServing(zones.map((z) => z.zone));
    return server;
  }

  public log = '';
  private exited = false;

  private constructor(public readonly child: ChildProcess, public readonly port: number, private readonly conf: string) {
    child.once('exit', () => (this.exited = true));
  }

  /** `127.0.0.1:<port>`, for `--resolver`. */
  public get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The DS record (SHA-256 digest) of a signed zone's key, as its parent publishes it: `<zone>. DS <tag> 13 2 <hex>`. */
  public ds(zone: string): string {
    const run = spawnSync(knotTool('keymgr'), ['-c', this.conf, zone, 'ds'], { encoding: 'utf8' });
    const line = run.stdout.split('\n').find((l) => / DS \d+ \d+ 2 /.test(l));
    if (run.status !== 0 || line === undefined) throw new Error(`keymgr gave no DS for ${zone}: ${run.stdout}${run.stderr}`);
    return line.trim();
  }

  /** Load a zone's file again (after the test changed it), and wait until it is served. */
  public async reload(zone: string): Promise<void> {
    const run = spawnSync(knotTool('knotc'), ['-c', this.conf, 'zone-reload', `${zone}.`], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`knotc zone-reload ${zone} failed: ${run.stdout}${run.stderr}`);
    await this.waitUntilServing([zone]);
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
