/**
 * One bounded HTTPS GET, the way a receiver fetches what a domain publishes over HTTPS (an
 * MTA-STS policy, a BIMI logo or mark certificate): the certificate validated in full against
 * trusted roots for the host named (SNI and name check), no redirect followed, HTTP 200 only, a
 * body capped at `maxBytes` (reading stops there), within connect and total timeouts. Never
 * rejects: every failure is a sentence naming the host.
 *
 * Certificate validation is never turned off; `ca` adds trust anchors (a private CA) to
 * Node's bundled roots.
 */
import { IncomingMessage } from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';

/** Where and how to fetch. */
export interface HttpsGetOptions {
  /** Give up when the whole fetch takes longer than this. */
  readonly timeoutMs: number;
  /**
   * Give up when the TCP and TLS handshakes take longer than this.
   * @default timeoutMs
   */
  readonly connectTimeoutMs?: number;
  /**
   * More trust anchors (PEM), added to Node's bundled roots, for a private CA.
   * @default - Node's bundled roots only
   */
  readonly ca?: string[];
  /**
   * Connect to this address and port instead of resolving the host, still sending SNI and Host
   * for the host and validating the certificate for it. For tests and benchmarks against a local
   * server.
   * @default - resolve the host and connect to its port (443 unless the URL names one)
   */
  readonly connectTo?: { readonly host: string; readonly port: number };
  /**
   * Resolve the host to an address. Rejecting means the host does not resolve; the message is
   * used in the error.
   * @default - the system's resolver
   */
  readonly lookup?: (host: string) => Promise<string>;
}

/** What one GET asks for beyond where to fetch. */
export interface HttpsGetRequest {
  /** The host, as SNI, Host header and certificate name. */
  readonly host: string;
  /** @default 443 */
  readonly port?: number;
  /** The path and query, starting with `/`. */
  readonly path: string;
  /** The body is refused beyond this many octets. */
  readonly maxBytes: number;
  /** The Accept header. */
  readonly accept: string;
  /** What the host is called when its name does not resolve in time, e.g. `the policy host`. */
  readonly hostNoun: string;
  /** Appended to the redirect error, e.g. `; RFC 8461 §3.3 forbids following redirects`. */
  readonly redirectNote: string;
  /**
   * Refuse a 200 answer by its headers before its body is read (a Content-Type the caller does
   * not accept): the sentence to fail with, or undefined to read the body.
   * @default - every 200 answer is read
   */
  readonly checkHeaders?: (res: IncomingMessage) => string | undefined;
}

export type HttpsGetResult =
  | { readonly ok: true; readonly body: Buffer; readonly contentType?: string }
  | { readonly ok: false; readonly error: string };

/** Fetch `https://<host>[:port]<path>` once, bounded as the module says. Never rejects. */
export async function httpsGet(req: HttpsGetRequest, options: HttpsGetOptions): Promise<HttpsGetResult> {
  const fail = (error: string): HttpsGetResult => ({ ok: false, error });
  const started = Date.now();
  let address = req.host;
  let port = req.port ?? 443;
  if (options.connectTo !== undefined) {
    address = options.connectTo.host;
    port = options.connectTo.port;
  } else if (options.lookup !== undefined) {
    try {
      address = await withDeadline(options.lookup(req.host), options.timeoutMs, `resolving ${req.hostNoun} timed out`);
    } catch (err) {
      return fail(`${req.host} does not resolve: ${(err as Error).message}`);
    }
  }
  const remaining = options.timeoutMs - (Date.now() - started);
  if (remaining <= 0) return fail(`no answer within ${seconds(options.timeoutMs)}`);
  try {
    return await request(req, address, port, { ...options, timeoutMs: remaining });
  } catch (err) {
    return fail((err as Error).message);
  }
}

function request(req: HttpsGetRequest, address: string, port: number, options: HttpsGetOptions): Promise<HttpsGetResult> {
  const host = req.host;
  const maxBytes = req.maxBytes;
  return new Promise<HttpsGetResult>((resolve, reject) => {
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: Error | undefined, result?: HttpsGetResult) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      if (err !== undefined) {
        r.destroy();
        reject(err);
      } else {
        resolve(result!);
      }
    };
    // secureContext is a tls.connect option that https passes through; its types omit it.
    const requestOptions: https.RequestOptions & { secureContext?: tls.SecureContext } = {
      host: address,
      port,
      path: req.path,
      method: 'GET',
      servername: host,
      headers: { 'Host': host, 'Accept': req.accept, 'User-Agent': 'gov-email-check' },
      secureContext: secureContextFor(options.ca),
      rejectUnauthorized: true,
      // The certificate must be valid for the host named, whatever address was dialled.
      checkServerIdentity: (_name, cert) => tls.checkServerIdentity(host, cert),
      agent: new OneFetchAgent(),
    };
    const r = https.request(requestOptions);
    timers.push(setTimeout(() => finish(new Error(`no answer within ${seconds(options.timeoutMs)}`)), options.timeoutMs));
    const connectTimeout = Math.min(options.connectTimeoutMs ?? options.timeoutMs, options.timeoutMs);
    const connectTimer = setTimeout(() => finish(new Error(`could not connect to ${host} within ${seconds(connectTimeout)}`)), connectTimeout);
    timers.push(connectTimer);
    r.on('socket', (socket) => socket.once('secureConnect', () => clearTimeout(connectTimer)));
    r.on('error', (err) => finish(describeError(err, host)));
    r.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const refuse = (message: string) => {
        finish(new Error(message));
        res.destroy();
      };
      if (status >= 300 && status < 400) {
        const location = res.headers.location;
        refuse(`HTTP ${status} redirect${location ? ` to ${location}` : ''}${req.redirectNote}`);
        return;
      }
      if (status !== 200) {
        refuse(`HTTP ${status}; only 200 is accepted`);
        return;
      }
      const refused = req.checkHeaders?.(res);
      if (refused !== undefined) {
        refuse(refused);
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        refuse(`the body is ${declared} octets (Content-Length); at most ${maxBytes} are read`);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          refuse(`the body is larger than ${maxBytes} octets; reading stopped there`);
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err) => finish(describeError(err, host)));
      res.on('aborted', () => finish(new Error('the connection closed before the body was complete')));
      const contentType = res.headers['content-type'];
      res.on('end', () => finish(undefined, { ok: true, body: Buffer.concat(chunks), ...(contentType === undefined ? {} : { contentType }) }));
    });
    r.end();
  });
}

/**
 * The agent of one fetch, as `agent: false` would make (a connection of its own, closed after the
 * answer), with two costs of Node's taken out of its connections:
 *
 * - Node checks the server's name (checkServerIdentity) with the peer's whole chain as objects,
 *   getPeerCertificate(true): every certificate's fields, key, modulus and fingerprints, and
 *   their issuers' in turn. The name check reads only the leaf's subjectAltName and subject;
 *   OpenSSL has verified the chain before it runs, and nothing here reads the chain. So the
 *   socket hands Node `peerNames` instead.
 * - Node's agents keep every TLS session ticket a server sends (usually two per handshake, each
 *   serialised with the server's certificates) to resume later connections to the same host; an
 *   agent that makes one connection never resumes one, and a socket with no 'session' listener
 *   has OpenSSL skip the serialising.
 */
class OneFetchAgent extends https.Agent {
  public createConnection(options: https.RequestOptions): tls.TLSSocket {
    const socket = tls.connect(options as tls.ConnectionOptions);
    socket.getPeerCertificate = (() => peerNames(socket)) as tls.TLSSocket['getPeerCertificate'];
    return socket;
  }
}

/**
 * The peer's certificate without its issuers: all that `tls.checkServerIdentity` reads.
 * (Not getPeerX509Certificate: on a client socket it takes the leaf out of the chain OpenSSL
 * keeps, and getPeerCertificate then describes the next certificate, or none.)
 *
 * @internal exported for tests
 */
export function peerNames(socket: tls.TLSSocket): tls.PeerCertificate {
  return tls.TLSSocket.prototype.getPeerCertificate.call(socket, false);
}

const contexts = new WeakMap<readonly string[], tls.SecureContext>();
let defaultContext: tls.SecureContext | undefined;

/**
 * The TLS context trusting Node's bundled roots plus `ca`, made once per list and reused by every
 * fetch: building one loads every root certificate into a store of its own, far too slow to
 * repeat per fetch (Node builds one per connection when none is given).
 */
function secureContextFor(ca: readonly string[] | undefined): tls.SecureContext {
  if (ca === undefined || ca.length === 0) {
    defaultContext ??= tls.createSecureContext({});
    return defaultContext;
  }
  let ctx = contexts.get(ca);
  if (ctx === undefined) {
    ctx = tls.createSecureContext({ ca: [...tls.rootCertificates, ...ca] });
    contexts.set(ca, ctx);
  }
  return ctx;
}

/** Turn TLS and socket errors into a sentence naming the host. */
function describeError(err: Error, host: string): Error {
  const code = (err as { code?: string }).code ?? '';
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return new Error(`the certificate of ${host} has expired (${code})`);
    case 'CERT_NOT_YET_VALID':
      return new Error(`the certificate of ${host} is not yet valid (${code})`);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new Error(`the certificate presented is not valid for ${host} (${code})`);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return new Error(`the certificate of ${host} is not issued by a trusted CA (${code})`);
    case 'ECONNREFUSED':
      return new Error(`${host} refused the connection (${code})`);
    case 'ECONNRESET':
      return new Error(`${host} reset the connection (${code})`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new Error(`${host} does not resolve (${code})`);
    default:
      return new Error(`${err.message}${code && !err.message.includes(code) ? ` (${code})` : ''}`);
  }
}

function withDeadline<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    p.then((v) => {
      clearTimeout(t);
      resolve(v);
    }, (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

/** A duration as errors give it: whole seconds as `2 s`, otherwise `500 ms`. */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
