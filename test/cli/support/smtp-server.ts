/**
 * Mail servers on 127.0.0.1 for the STARTTLS probe: a real SMTP server (the `smtp-server`
 * package) with the certificate, TLS versions and STARTTLS offer a test asks for, and scripted
 * servers that misbehave at the socket level: a greeting sent a byte at a time, silence, a flood
 * of bytes without a line end, a connection closed in the middle of the TLS handshake; and a port
 * where connecting hangs, as where outbound port 25 is dropped.
 */
import * as net from 'node:net';
import { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { Worker } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';
import { TestCertificate } from './certs';

export interface TestSmtpOptions {
  /** The certificate presented after STARTTLS. */
  readonly cert: TestCertificate;
  /** Offer STARTTLS. @default true */
  readonly starttls?: boolean;
  /** @default 'TLSv1.2' */
  readonly minVersion?: tls.SecureVersion;
  /** @default 'TLSv1.3' */
  readonly maxVersion?: tls.SecureVersion;
  /** OpenSSL cipher list, for instance `DEFAULT@SECLEVEL=0` to allow TLS 1.0 and 1.1. */
  readonly ciphers?: string;
  /** The host name in the greeting. @default 'mx.test' */
  readonly name?: string;
}

/** One connection to a scripted server: the socket, and each line the client sends. */
export interface ScriptedConnection {
  readonly socket: net.Socket;
  /** Call `handler` with each line the client sends (CRLF removed), until the script stops reading. */
  onLine(handler: (line: string) => void): void;
}

export type Script = (conn: ScriptedConnection) => void;

export class TestSmtpServer {
  /** A real SMTP server: greeting, EHLO, STARTTLS (unless turned off), QUIT. */
  public static async start(options: TestSmtpOptions): Promise<TestSmtpServer> {
    let s: TestSmtpServer | undefined;
    const record = (level: string) => (entry: unknown, ...rest: unknown[]) => {
      const e = entry as { tnx?: string; command?: string };
      if (level === 'debug' && e?.tnx === 'command' && typeof rest[1] === 'string') s?.commands.push(rest[1]);
    };
    const logger = Object.fromEntries(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((level) => [level, record(level)]));
    const server = new SMTPServer({
      name: options.name ?? 'mx.test',
      key: options.cert.key,
      cert: options.cert.cert,
      minVersion: options.minVersion ?? 'TLSv1.2',
      maxVersion: options.maxVersion ?? 'TLSv1.3',
      ...(options.ciphers === undefined ? {} : { ciphers: options.ciphers }),
      hideSTARTTLS: options.starttls === false,
      disabledCommands: options.starttls === false ? ['STARTTLS', 'AUTH'] : ['AUTH'],
      authOptional: true,
      logger: logger as never,
      onSecure: (_socket, session, callback) => {
        s?.servernames.push((session as { servername?: string }).servername ?? '');
        callback();
      },
    });
    server.on('error', () => undefined);
    const listening = (server as unknown as { server: net.Server }).server;
    s = new TestSmtpServer(listening, () => new Promise<void>((resolve) => server.close(() => resolve())));
    await s.listen();
    return s;
  }

  /** A server that runs `script` for each connection. */
  public static async scripted(script: Script): Promise<TestSmtpServer> {
    let s: TestSmtpServer | undefined;
    const listening = net.createServer((socket) => {
      socket.on('error', () => undefined);
      let buffered = '';
      let handler: ((line: string) => void) | undefined;
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString('latin1');
        for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl).replace(/\r$/, '');
          buffered = buffered.slice(nl + 1);
          s?.commands.push(line);
          handler?.(line);
        }
      };
      socket.on('data', onData);
      script({
        socket,
        onLine: (h) => {
          handler = h;
        },
      });
    });
    s = new TestSmtpServer(listening, () => new Promise<void>((resolve) => listening.close(() => resolve())));
    await s.listen();
    return s;
  }

  /** The lines clients sent, in order, across all connections (for the real server, its commands). */
  public readonly commands: string[] = [];
  /** The SNI names of the TLS sessions the real server established. */
  public readonly servernames: string[] = [];
  /** Connections accepted. */
  public connections = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server, private readonly close: () => Promise<void>) {
    server.on('connection', (socket: net.Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  public get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /**
   * Until the server has read QUIT (or 5 s have passed): a client that has finished, QUIT written
   * and its side closed, may be done before the server has read what it sent.
   */
  public async sawQuit(): Promise<void> {
    for (let waited = 0; !this.commands.includes('QUIT') && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  }

  public async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await this.close();
  }

  private listen(): Promise<void> {
    return new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
  }
}

/**
 * Answer as a mail server that offers STARTTLS, up to the STARTTLS command; then `afterStarttls`
 * runs with the socket.
 */
function upToStarttls(conn: ScriptedConnection, afterStarttls: (socket: net.Socket) => void): void {
  conn.socket.write('220 mx.test ESMTP\r\n');
  conn.onLine((line) => {
    const verb = line.split(' ')[0].toUpperCase();
    if (verb === 'EHLO') {
      conn.socket.write('250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n');
    } else if (verb === 'STARTTLS') {
      conn.socket.write('220 go ahead\r\n');
      conn.onLine(() => undefined);
      afterStarttls(conn.socket);
    } else if (verb === 'QUIT') {
      conn.socket.end('221 bye\r\n');
    } else {
      conn.socket.write('502 not here\r\n');
    }
  });
}

/** Send the greeting one byte every `intervalMs`, and nothing else. */
export function tarpit(intervalMs: number): Script {
  return ({ socket }) => {
    const greeting = Buffer.from('220 mx.test ESMTP a slow greeting\r\n');
    let i = 0;
    const timer = setInterval(() => {
      if (i >= greeting.length || socket.destroyed) {
        clearInterval(timer);
        return;
      }
      socket.write(greeting.subarray(i, i + 1));
      i++;
    }, intervalMs);
    socket.on('close', () => clearInterval(timer));
  };
}

/** Accept the connection and say nothing, ever. */
export const silent: Script = () => undefined;

/** Send `x` without end, as fast as the client reads, never a line end. */
export const flood: Script = ({ socket }) => {
  const chunk = Buffer.alloc(16 * 1024, 'x');
  const pump = () => {
    while (!socket.destroyed && socket.write(chunk)) { /* until the buffer is full */ }
    if (!socket.destroyed) socket.once('drain', pump);
  };
  pump();
};

/** Offer STARTTLS, accept it, read the first bytes of the client's hello, and close the connection. */
export const closeInHandshake: Script = (conn) => upToStarttls(conn, (socket) => {
  socket.once('data', () => socket.destroy());
});

/** Offer STARTTLS, accept it, then never take part in the handshake. */
export const silentAfterStarttls: Script = (conn) => upToStarttls(conn, () => undefined);

/** Offer STARTTLS, then answer it with 454 (RFC 3207 §4: TLS not available). */
export const refuseStarttls: Script = (conn) => {
  conn.socket.write('220 mx.test ESMTP\r\n');
  conn.onLine((line) => {
    const verb = line.split(' ')[0].toUpperCase();
    if (verb === 'EHLO') conn.socket.write('250-mx.test\r\n250 STARTTLS\r\n');
    else if (verb === 'STARTTLS') conn.socket.write('454 4.7.0 TLS not available due to temporary reason\r\n');
    else if (verb === 'QUIT') conn.socket.end('221 bye\r\n');
  });
};

/** Greet with these lines (the last ends the reply), then close at QUIT; EHLO gets `ehlo`. */
export function replies(greeting: string[], ehlo: string[]): Script {
  return (conn) => {
    conn.socket.write(greeting.map((l) => `${l}\r\n`).join(''));
    conn.onLine((line) => {
      const verb = line.split(' ')[0].toUpperCase();
      if (verb === 'EHLO') conn.socket.write(ehlo.map((l) => `${l}\r\n`).join(''));
      else if (verb === 'QUIT') conn.socket.end('221 bye\r\n');
    });
  };
}

/** Answer STARTTLS with 220 and, in the same write, a line the client must not read as plaintext. */
export const injectAfterStarttls: Script = (conn) => {
  conn.socket.write('220 mx.test ESMTP\r\n');
  conn.onLine((line) => {
    const verb = line.split(' ')[0].toUpperCase();
    if (verb === 'EHLO') conn.socket.write('250-mx.test\r\n250 STARTTLS\r\n');
    else if (verb === 'STARTTLS') conn.socket.write('220 go ahead\r\n250 injected\r\n');
  });
};

/**
 * A port on 127.0.0.1 where connecting hangs, as it does where a firewall drops outbound port 25:
 * a listener, with a backlog of 1, in a worker thread that is blocked (Atomics.wait, no CPU) and
 * so never accepts. Once its accept queue is full (`start` fills it), the kernel drops every
 * further SYN and a connect waits until the client gives up.
 */
export class HangingListener {
  public static async start(): Promise<HangingListener> {
    const flag = new SharedArrayBuffer(4);
    const worker = new Worker(`
      const { parentPort, workerData } = require('node:worker_threads');
      const net = require('node:net');
      const server = net.createServer();
      server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
        parentPort.postMessage(server.address().port);
        // Blocked here, this thread never runs its event loop again: nothing is accepted.
        Atomics.wait(new Int32Array(workerData), 0, 0);
        server.close();
      });`, { eval: true, workerData: flag });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const listener = new HangingListener(worker, flag, port);
    // Linux queues backlog + 1 connections before it drops SYNs: these two fill the queue.
    for (let i = 0; i < 2; i++) {
      listener.fillers.push(await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
        s.once('error', reject);
      }));
    }
    return listener;
  }

  private readonly fillers: net.Socket[] = [];

  private constructor(private readonly worker: Worker, private readonly flag: SharedArrayBuffer, public readonly port: number) {}

  public async stop(): Promise<void> {
    for (const s of this.fillers) s.destroy();
    const word = new Int32Array(this.flag);
    Atomics.store(word, 0, 1);
    Atomics.notify(word, 0);
    await this.worker.terminate();
  }
}
