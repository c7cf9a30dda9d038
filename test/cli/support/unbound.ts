/**
 * Unbound as a validating resolver for tests: it answers from the zones a test's knotd serves
 * (one stub zone each), validates them with DNSSEC from a trust anchor the test gives (the DS of
 * the zone at the top), and sets the AD bit on what validated. Required, not optional: CI
 * installs it (.ci/run, Debian package unbound).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './knotd';

function unboundPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v unbound'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error('unbound is not installed: these tests need a validating resolver (Debian: apt-get install -y unbound; .ci/run installs it).');
  }
  return path;
}

export class Unbound {
  /**
   * @param dir a folder of its own
   * @param authority `host@port` of the server of every zone in `zones`
   * @param trustAnchor the DS record of the top zone (`<zone>. DS …`)
   */
  public static async start(dir: string, authority: string, zones: string[], trustAnchor: string): Promise<Unbound> {
    const port = await freePort();
    const conf = join(dir, 'unbound.conf');
    writeFileSync(conf, [
      'server:',
      '    interface: 127.0.0.1',
      `    port: ${port}`,
      '    do-ip6: no',
      '    do-not-query-localhost: no',
      '    username: ""',
      '    chroot: ""',
      `    directory: "${dir}"`,
      `    pidfile: "${join(dir, 'unbound.pid')}"`,
      '    use-syslog: no',
      '    logfile: ""',
      '    verbosity: 1',
      '    module-config: "validator iterator"',
      `    trust-anchor: "${trustAnchor}"`,
      '    qname-minimisation: no',
      // Unbound answers NXDOMAIN for the special-use name test. (RFC 6761) unless told not to.
      '    local-zone: "test." nodefault',
      ...zones.flatMap((z) => ['stub-zone:', `    name: "${z}"`, `    stub-addr: ${authority}`]),
      'remote-control:',
      '    control-enable: no',
      '',
    ].join('\n'));
    const child = spawn(unboundPath(), ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new Unbound(child, port);
    child.stdout.on('data', (d: Buffer) => (server.log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (server.log += d.toString()));
    await server.waitUntilAnswering(zones[0]);
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

  private async waitUntilAnswering(zone: string): Promise<void> {
    const resolver = new Resolver({ timeout: 300, tries: 1 });
    resolver.setServers([this.address]);
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (this.exited) throw new Error(`unbound exited before answering:\n${this.log}`);
      if (await resolver.resolveSoa(zone).then(() => true, () => false)) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`unbound did not answer for ${zone} within 15 s:\n${this.log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
