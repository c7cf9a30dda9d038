/**
 * knotd (Knot DNS) in the foreground on 127.0.0.1, authoritative for one zone from a zone file,
 * with its configuration, socket and database in a folder of its own.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';

/** A port free on 127.0.0.1 for both UDP and TCP. */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const tcp = net.createServer();
    const port = await new Promise<number>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve((tcp.address() as net.AddressInfo).port)));
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    const udp = dgram.createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => (free ? udp.close(() => resolve()) : resolve()));
    if (free) return port;
  }
  throw new Error('no port free for both UDP and TCP on 127.0.0.1');
}

export class Knotd {
  public static async start(dir: string, zone: string, zoneFile: string): Promise<Knotd> {
    mkdirSync(dir, { recursive: true });
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
      'zone:',
      `  - domain: ${zone}.`,
      `    file: "${zoneFile}"`,
      '',
    ].join('\n'));
    const child = spawn('knotd', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new Knotd(child, port);
    child.stdout!.on('data', (d: Buffer) => (server.log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (server.log += d.toString()));
    try {
      await server.waitUntilServing(zone);
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  public log = '';
  private exited = false;

  private constructor(public readonly child: ChildProcess, public readonly port: number) {
    child.once('exit', () => (this.exited = true));
  }

  public async stop(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exit;
  }

  /** Until the zone answers its SOA, or knotd exits, or 15 s pass. */
  private async waitUntilServing(zone: string): Promise<void> {
    const resolver = new Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([`127.0.0.1:${this.port}`]);
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (this.exited) throw new Error(`knotd exited before serving:\n${this.log}`);
      if (await resolver.resolveSoa(zone).then(() => true, () => false)) return;
      if (Date.now() > deadline) throw new Error(`knotd did not serve ${zone} within 15 s:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
