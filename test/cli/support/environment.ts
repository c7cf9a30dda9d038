/**
 * Everything a `gov-email check` test needs: the test CA, the DNS server holding the test
 * zones and the HTTPS server holding the policy hosts, all on 127.0.0.1, and a way to run the
 * command against them and capture what it prints.
 */
import { Readable } from 'node:stream';
import { TestCa } from './certs';
import { TestDnsServer } from './dns-server';
import { TestHttpsServer } from './https-server';
import { TestWorld, buildWorld } from './zones';
import { checkCommand } from '../../../src/cli/check/command';
import { main } from '../../../src/cli/main';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class CheckEnvironment {
  public static async start(world: TestWorld = buildWorld()): Promise<CheckEnvironment> {
    const ca = TestCa.create();
    const dns = await TestDnsServer.start(world.zone);
    const https = await TestHttpsServer.start({ ca, hosts: world.hosts });
    return new CheckEnvironment(ca, dns, https);
  }

  private constructor(
    public readonly ca: TestCa,
    public readonly dns: TestDnsServer,
    public readonly https: TestHttpsServer,
  ) {}

  /** The options that point the command at the test servers (and a short timeout). */
  public get pointAtServers(): string[] {
    return ['--resolver', this.dns.address, '--https-port', String(this.https.port), '--ca-file', this.ca.certFile, '--timeout', '500ms'];
  }

  /**
   * Run `gov-email check` with the given arguments plus `pointAtServers`; the mail servers of
   * the test zones (TEST-NET addresses) are not probed unless `--smtp-port` says where to.
   */
  public run(args: string[], options: { stdin?: string; tty?: boolean } = {}): Promise<RunResult> {
    const smtp = args.includes('--smtp-port') ? [] : ['--no-smtp'];
    return runCheck([...args, ...this.pointAtServers, ...smtp], options);
  }

  public async stop(): Promise<void> {
    await Promise.all([this.dns.stop(), this.https.stop()]);
    this.ca.dispose();
  }
}

/** Run `gov-email check` with exactly these arguments. */
export async function runCheck(args: string[], options: { stdin?: string; tty?: boolean } = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await checkCommand.run(args, {
    stdout: { write: (t: string) => (stdout += t), isTTY: false },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.tty ?? false },
    stdin: options.stdin === undefined ? undefined : Readable.from([options.stdin]),
    env: {},
  });
  return { code, stdout, stderr };
}

/** Run `gov-email review <dir> ...args` in this process. */
export async function runReview(dir: string, ...args: string[]): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(['review', dir, ...args], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} });
  return { code, stdout, stderr };
}
