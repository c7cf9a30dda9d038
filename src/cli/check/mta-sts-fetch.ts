/**
 * Fetch an MTA-STS policy the way a sending MTA must (RFC 8461 §3.3): HTTPS only, the
 * certificate validated in full against trusted roots for `mta-sts.<domain>` (SNI and name
 * check), no redirect followed, HTTP 200 only, `Content-Type: text/plain`, and a body capped at
 * 64 KiB (reading stops there), within connect and total timeouts.
 *
 * Certificate validation is never turned off; `ca` adds trust anchors (a private CA) to
 * Node's bundled roots.
 */
import * as https from 'node:https';
import * as tls from 'node:tls';

/** RFC 8461 §3.2 gives no size; senders cap it. 64 KiB is the limit the record models use. */
export const MAX_POLICY_BYTES = 64 * 1024;
export const POLICY_PATH = '/.well-known/mta-sts.txt';

export interface PolicyFetchOptions {
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
   * Connect to this address and port instead of resolving `mta-sts.<domain>`, still sending
   * SNI and Host `mta-sts.<domain>` and validating the certificate for that name. For tests and
   * benchmarks against a local server.
   * @default - resolve the policy host and connect to port 443
   */
  readonly connectTo?: { readonly host: string; readonly port: number };
  /**
   * Resolve the policy host to an address. Returning undefined (or rejecting) means the host
   * does not resolve; the message is used in the error.
   * @default - the system's resolver
   */
  readonly lookup?: (host: string) => Promise<string>;
  /** @default MAX_POLICY_BYTES */
  readonly maxBytes?: number;
}

export type PolicyFetchResult =
  | { readonly ok: true; readonly url: string; readonly body: string }
  | { readonly ok: false; readonly url: string; readonly error: string };

/** Fetch `https://mta-sts.<domain>/.well-known/mta-sts.txt`. Never rejects. */
export async function fetchMtaStsPolicy(domain: string, options: PolicyFetchOptions): Promise<PolicyFetchResult> {
  const host = `mta-sts.${domain.toLowerCase().replace(/\.$/, '')}`;
  const url = `https://${host}${POLICY_PATH}`;
  const fail = (error: string): PolicyFetchResult => ({ ok: false, url, error });
  const started = Date.now();

  let address = host;
  let port = 443;
  if (options.connectTo !== undefined) {
    address = options.connectTo.host;
    port = options.connectTo.port;
  } else if (options.lookup !== undefined) {
    try {
      address = await withDeadline(options.lookup(host), options.timeoutMs, 'resolving the policy host timed out');
    } catch (err) {
      return fail(`${host} does not resolve: ${(err as Error).message}`);
    }
  }
  const remaining = options.timeoutMs - (Date.now() - started);
  if (remaining <= 0) return fail(`no answer within ${seconds(options.timeoutMs)}`);
  return request(host, address, port, { ...options, timeoutMs: remaining }).then(
    (body) => ({ ok: true, url, body }),
    (err: Error) => fail(err.message),
  );
}

function request(host: string, address: string, port: number, options: PolicyFetchOptions): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_POLICY_BYTES;
  return new Promise<string>((resolve, reject) => {
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: Error | undefined, body?: string) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      if (err !== undefined) {
        req.destroy();
        reject(err);
      } else {
        resolve(body!);
      }
    };
    // secureContext is a tls.connect option that https passes through; its types omit it.
    const requestOptions: https.RequestOptions & { secureContext?: tls.SecureContext } = {
      host: address,
      port,
      path: POLICY_PATH,
      method: 'GET',
      servername: host,
      headers: { 'Host': host, 'Accept': 'text/plain', 'User-Agent': 'gov-email-check' },
      secureContext: secureContextFor(options.ca),
      rejectUnauthorized: true,
      // The certificate must be valid for the policy host, whatever address was dialled.
      checkServerIdentity: (_name, cert) => tls.checkServerIdentity(host, cert),
      agent: false,
    };
    const req = https.request(requestOptions);
    timers.push(setTimeout(() => finish(new Error(`no answer within ${seconds(options.timeoutMs)}`)), options.timeoutMs));
    const connectTimeout = Math.min(options.connectTimeoutMs ?? options.timeoutMs, options.timeoutMs);
    const connectTimer = setTimeout(() => finish(new Error(`could not connect to ${host} within ${seconds(connectTimeout)}`)), connectTimeout);
    timers.push(connectTimer);
    req.on('socket', (socket) => socket.once('secureConnect', () => clearTimeout(connectTimer)));
    req.on('error', (err) => finish(describeError(err, host)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        const location = res.headers.location;
        finish(new Error(`HTTP ${status} redirect${location ? ` to ${location}` : ''}; RFC 8461 §3.3 forbids following redirects`));
        res.destroy();
        return;
      }
      if (status !== 200) {
        finish(new Error(`HTTP ${status}; only 200 is accepted`));
        res.destroy();
        return;
      }
      const type = res.headers['content-type'];
      const media = (type ?? '').split(';')[0].trim().toLowerCase();
      if (media !== 'text/plain') {
        finish(new Error(type === undefined ? 'no Content-Type; text/plain is required' : `Content-Type "${type}"; text/plain is required`));
        res.destroy();
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        finish(new Error(`the body is ${declared} octets (Content-Length); at most ${maxBytes} are read`));
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          finish(new Error(`the body is larger than ${maxBytes} octets; reading stopped there`));
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err) => finish(describeError(err, host)));
      res.on('aborted', () => finish(new Error('the connection closed before the body was complete')));
      res.on('end', () => finish(undefined, Buffer.concat(chunks).toString('utf8')));
    });
    req.end();
  });
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

/** Turn TLS and socket errors into a sentence naming the policy host. */
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

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
