/**
 * The benchmark's mail server: a real SMTP server (the `smtp-server` package, set up as
 * test/cli/support/smtp-server.ts sets it up: greeting, EHLO, STARTTLS, QUIT, TLS 1.2 to 1.3) on
 * 127.0.0.1 for every MX host of the generated world. After STARTTLS it chooses the certificate
 * by SNI, among certificates of at most `namesPerCertificate` MX host names each, all issued by
 * the benchmark's throwaway CA, so a probe that sends SNI for its MX host gets a certificate
 * valid for that name.
 *
 * Two things the package does on every connection are turned off, as they are the server's
 * choices and not the probe's cost: the reverse lookup of the client's address
 * (`disableReverseLookup`), and the 100 ms pause before the greeting with which the package
 * catches clients that talk first (patched out below): the server greets at once.
 */
import { AddressInfo } from 'node:net';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { SMTPServer } from 'smtp-server';
import { TestCa } from '../../test/cli/support/certs';

/** The part of the package's connection class the greeting patch uses (not in its typings). */
interface ConnectionPrototype {
  init(): void;
  _setListeners(callback: () => void): void;
  connectionReady(): void;
}

/**
 * Make the package greet as soon as a connection is set up, without its fixed 100 ms pause
 * (SMTPConnection.init: `setTimeout(() => this.connectionReady(), 100)`). Throws when the
 * package no longer has the methods the patch relies on.
 */
function greetAtOnce(): void {
  // The class is internal to the package (exported as smtp-server/lib/smtp-connection, without typings).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const proto = (require('smtp-server/lib/smtp-connection') as { SMTPConnection: { prototype: ConnectionPrototype } }).SMTPConnection.prototype;
  if (typeof proto.init !== 'function' || typeof proto._setListeners !== 'function' || typeof proto.connectionReady !== 'function') {
    throw new Error('smtp-server has changed: SMTPConnection has no init, _setListeners or connectionReady to patch');
  }
  proto.init = function init(this: ConnectionPrototype) {
    this._setListeners(() => this.connectionReady());
  };
}

export interface BenchSmtpStats {
  /** Connections accepted since the reset: the probes made. */
  readonly connections: number;
  /** TLS sessions established after STARTTLS. */
  readonly secured: number;
  /** Distinct SNI names among them. */
  readonly names: number;
}

export class BenchSmtpServer {
  public static async start(ca: TestCa, mxHosts: string[], namesPerCertificate: number): Promise<BenchSmtpServer> {
    greetAtOnce();
    const contexts = new Map<string, tls.SecureContext>();
    let certificates = 0;
    for (let i = 0; i < mxHosts.length; i += namesPerCertificate) {
      const group = mxHosts.slice(i, i + namesPerCertificate);
      const context = tls.createSecureContext(ca.issue({ names: group }));
      certificates++;
      for (const name of group) contexts.set(name.toLowerCase(), context);
    }
    // Presented without SNI, or for a name outside the world.
    const fallback = ca.issue({ names: ['mx.bench.test'] });
    let s: BenchSmtpServer | undefined;
    const server = new SMTPServer({
      name: 'mx.bench.test',
      key: fallback.key,
      cert: fallback.cert,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      SNICallback: (servername, cb) => cb(null, contexts.get(servername.toLowerCase())),
      disabledCommands: ['AUTH'],
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onSecure: (_socket, session, callback) => {
        if (s !== undefined) {
          s.secured++;
          s.names.add((session as { servername?: string }).servername ?? '');
        }
        callback();
      },
    });
    server.on('error', () => undefined);
    const listening = (server as unknown as { server: net.Server }).server;
    s = new BenchSmtpServer(listening, server, certificates);
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', () => resolve()));
    return s;
  }

  private connections = 0;
  private secured = 0;
  private readonly names = new Set<string>();
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly listening: net.Server, private readonly server: SMTPServer, public readonly certificates: number) {
    listening.on('connection', (socket: net.Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  public get port(): number {
    return (this.listening.address() as AddressInfo).port;
  }

  public reset(): void {
    this.connections = 0;
    this.secured = 0;
    this.names.clear();
  }

  public stats(): BenchSmtpStats {
    return { connections: this.connections, secured: this.secured, names: this.names.size };
  }

  public async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
