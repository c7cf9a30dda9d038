/**
 * A real HTTPS server (node:https) on 127.0.0.1 that serves MTA-STS policies for many
 * `mta-sts.<domain>` hosts, choosing the certificate by SNI and the answer by Host header, the
 * way a policy host behind a CDN does. Hosts can be given an expired or wrong-name
 * certificate, a redirect, a wrong content type, a non-200 status, a body that never ends, or
 * an answer that stalls.
 */
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { TestCa } from './certs';

export const POLICY_PATH = '/.well-known/mta-sts.txt';

/** How one host answers `GET /.well-known/mta-sts.txt`. */
export interface TestPolicyHost {
  /** The certificate presented: valid (default), expired, or for another name. */
  readonly cert?: 'valid' | 'expired' | 'wrong-name';
  /** HTTP status. @default 200 */
  readonly status?: number;
  /** Content-Type header; null sends none. @default 'text/plain' */
  readonly contentType?: string | null;
  /** The policy body (or, for one of `paths`, whatever it serves). */
  readonly body?: string | Buffer;
  /** More response headers (e.g. Location). */
  readonly headers?: Record<string, string>;
  /** Send the body forever, 4 KiB at a time, until the client goes away. */
  readonly endless?: boolean;
  /** Send the headers, then nothing. */
  readonly stall?: boolean;
  /**
   * Other paths the host serves (a BIMI logo, a mark certificate), each answered as described;
   * the host's own fields still answer the policy path.
   * @default - the policy path only
   */
  readonly paths?: Record<string, TestPolicyHost>;
}

export interface TestHttpsOptions {
  readonly ca: TestCa;
  /** Hosts (`mta-sts.<domain>`, lower case) and what they serve. */
  readonly hosts: Record<string, TestPolicyHost>;
  /**
   * Spread the valid hosts over certificates of at most this many names each, as a CDN
   * serving many domains does (the benchmark's thousand hosts would otherwise share one
   * oversized certificate).
   * @default - one certificate for every valid host
   */
  readonly namesPerCertificate?: number;
  /**
   * Wait this long before answering each request, in milliseconds: the round trip to a
   * policy host further away.
   * @default 0
   */
  readonly latencyMs?: number;
}

export class TestHttpsServer {
  public static async start(options: TestHttpsOptions): Promise<TestHttpsServer> {
    const s = new TestHttpsServer(options);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', () => resolve()));
    return s;
  }

  /** Requests received, by Host header. */
  public readonly requests = new Map<string, number>();
  private readonly server: https.Server;
  private readonly hosts: Map<string, TestPolicyHost>;
  private readonly latencyMs: number;
  private readonly contexts: Record<'valid' | 'expired' | 'wrong-name', tls.SecureContext>;
  /** Valid hosts that have a certificate of their own group. */
  private readonly validContexts = new Map<string, tls.SecureContext>();
  private readonly sockets = new Set<Duplex>();

  private constructor(options: TestHttpsOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.hosts = new Map(Object.entries(options.hosts).map(([k, v]) => [k.toLowerCase(), v]));
    const names = (kind: string) => [...this.hosts.entries()].filter(([, h]) => (h.cert ?? 'valid') === kind).map(([n]) => n);
    const validNames = names('valid');
    const expiredNames = names('expired');
    const valid = options.ca.issue({ names: validNames.length > 0 ? validNames : ['unused.invalid'] });
    const expired = options.ca.issue({ names: expiredNames.length > 0 ? expiredNames : ['unused.invalid'], expired: true });
    const wrong = options.ca.issue({ names: ['wrong-name.invalid'] });
    this.contexts = {
      'valid': tls.createSecureContext(valid),
      'expired': tls.createSecureContext(expired),
      'wrong-name': tls.createSecureContext(wrong),
    };
    if (options.namesPerCertificate !== undefined) {
      for (let i = 0; i < validNames.length; i += options.namesPerCertificate) {
        const group = validNames.slice(i, i + options.namesPerCertificate);
        const context = tls.createSecureContext(options.ca.issue({ names: group }));
        for (const name of group) this.validContexts.set(name, context);
      }
    }
    this.server = https.createServer({
      ...valid,
      SNICallback: (servername, cb) => {
        const name = servername.toLowerCase();
        cb(null, this.validContexts.get(name) ?? this.contexts[this.hosts.get(name)?.cert ?? 'valid']);
      },
    }, (req, res) => (this.latencyMs > 0 ? setTimeout(() => this.handle(req, res), this.latencyMs) : this.handle(req, res)));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('tlsClientError', () => undefined);
  }

  public get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  public requestCount(host: string): number {
    return this.requests.get(host.toLowerCase()) ?? 0;
  }

  public async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    this.requests.set(host, (this.requests.get(host) ?? 0) + 1);
    const entry = this.hosts.get(host);
    const h = entry?.paths?.[req.url ?? ''] ?? (req.url === POLICY_PATH ? entry : undefined);
    res.on('error', () => undefined);
    if (h === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    const headers: Record<string, string> = { ...(h.headers ?? {}) };
    if (h.contentType !== null) headers['Content-Type'] = h.contentType ?? 'text/plain';
    res.writeHead(h.status ?? 200, headers);
    if (h.stall) {
      res.flushHeaders();
      return;
    }
    if (h.endless) {
      const chunk = Buffer.from('mx: mail.example.test\r\n'.repeat(180));
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) { /* until the buffer is full */ }
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return;
    }
    res.end(h.body ?? '');
  }
}
