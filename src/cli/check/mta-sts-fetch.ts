/**
 * Fetch an MTA-STS policy the way a sending MTA must (RFC 8461 §3.3): HTTPS only, the
 * certificate validated in full against trusted roots for `mta-sts.<domain>` (SNI and name
 * check), no redirect followed, HTTP 200 only, `Content-Type: text/plain`, and a body capped at
 * 64 KiB (reading stops there), within connect and total timeouts.
 *
 * Certificate validation is never turned off; `ca` adds trust anchors (a private CA) to
 * Node's bundled roots.
 */
import { HttpsGetOptions, httpsGet } from './https-get';

/** RFC 8461 §3.2 gives no size; senders cap it. 64 KiB is the limit the record models use. */
export const MAX_POLICY_BYTES = 64 * 1024;
export const POLICY_PATH = '/.well-known/mta-sts.txt';

export interface PolicyFetchOptions extends HttpsGetOptions {
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
  const result = await httpsGet({
    host,
    path: POLICY_PATH,
    maxBytes: options.maxBytes ?? MAX_POLICY_BYTES,
    accept: 'text/plain',
    hostNoun: 'the policy host',
    redirectNote: '; RFC 8461 §3.3 forbids following redirects',
    checkHeaders: (res) => {
      const type = res.headers['content-type'];
      const media = (type ?? '').split(';')[0].trim().toLowerCase();
      if (media === 'text/plain') return undefined;
      return type === undefined ? 'no Content-Type; text/plain is required' : `Content-Type "${type}"; text/plain is required`;
    },
  }, options);
  return result.ok ? { ok: true, url, body: result.body.toString('utf8') } : { ok: false, url, error: result.error };
}
