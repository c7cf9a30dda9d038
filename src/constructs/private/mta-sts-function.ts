/**
 * The code of the CloudFront Function that serves MTA-STS policies for `MtaStsPolicyHost`: built
 * here from the policies registered with one distribution, and read back (for reviews and
 * tests). No aws-cdk-lib import: the CLI may use it too.
 *
 * The function answers in the viewer-request event, so CloudFront never checks its cache nor
 * contacts an origin (CloudFront Developer Guide, "Generate HTTP responses in request
 * triggers"). It answers:
 *
 * | Request | Answer |
 * |---|---|
 * | `GET https://mta-sts.<domain>/.well-known/mta-sts.txt`, `<domain>` registered | 200, `Content-Type: text/plain`, the policy body exactly as registered |
 * | `HEAD` of the same | 200 and the same headers, no body |
 * | any other method on the same | 405, `Allow: GET, HEAD` |
 * | any other path, or a host that is not `mta-sts.<a registered domain>` | 404 |
 *
 * Every answer carries `Strict-Transport-Security`, a short `Cache-Control`, and
 * `X-Content-Type-Options: nosniff`. Never a redirect: RFC 8461 §3.3 forbids senders to follow
 * one.
 *
 * ## Why the policies are in the code, and how they are packed
 *
 * A CloudFront Function's code is at most 10 KB (quota "Maximum size of a function", not
 * adjustable). The alternative, a CloudFront KeyValueStore, is loaded by CloudFormation only when
 * the store is created (`ImportSource`, from an S3 object): later changes need the KeyValueStore
 * API (a Lambda-backed custom resource) or a new store each time, and an S3 upload either way,
 * and each value is at most 1 KB. Policies in the code change atomically with the function, need
 * no S3 and no Lambda, and can be read in the template.
 *
 * To fit 100 domains in 10 KB the policies are packed: each distinct line is written once
 * (`lines`; the `version: STSv1` line split at its colon, so that no string literal reads as a
 * whole policy to a reader looking for bodies in function code), and each domain's body is a
 * list of line numbers joined with CRLF (`domains`). Splitting a body at CRLF
 * and joining it again gives back exactly the body registered, whatever its line endings, so any
 * body is served byte for byte. Measured (docs/benchmarks.md, "MTA-STS policy host"): 100
 * domains sharing one Microsoft 365 policy need about 3.6 KB, 100 domains with a policy of their
 * own (an `mx` host per domain) about 8.3 KB.
 */

/** The path of the policy (RFC 8461 §3.2). */
export const POLICY_PATH = '/.well-known/mta-sts.txt';

/**
 * CloudFront Functions' limit on a function's code, in bytes (10 KB): quota "Maximum size of a
 * function" (Amazon CloudFront Developer Guide, "Quotas on CloudFront Functions").
 */
export const MAX_FUNCTION_CODE_BYTES = 10 * 1024;

/** `Strict-Transport-Security` on every answer: one year, as the NCSC advises for HSTS. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * `Cache-Control` on every answer: short, so that a client that caches HTTP answers sees a new
 * policy within minutes (senders cache the policy itself for `max_age`, by its id).
 */
export const CACHE_CONTROL = 'max-age=300';

/** One domain's policy, as the function serves it. */
export interface HostedPolicy {
  /** The policy domain, lower case without a trailing dot: served at `mta-sts.<domain>`. */
  readonly domain: string;
  /** The policy body, exactly as served. */
  readonly body: string;
}

/** The data line of the code: `var POLICIES = <JSON>;`, alone on its line. */
const DATA_LINE = /^var POLICIES = (\{.*\});$/m;

/**
 * The function's code, serving each policy at `mta-sts.<domain>`. Deterministic: the same
 * policies in the same order give the same code. The code is ASCII only (other characters are
 * written as `\u` escapes), so its length is its size in bytes.
 *
 * @param policies the domains and their bodies, in the order registered (domains unique)
 */
export function policyHostFunctionCode(policies: HostedPolicy[]): string {
  // Compact but readable: every byte counts against the 10 KB limit.
  return [
    '// MTA-STS policy host (cdk-gov-email MtaStsPolicyHost): RFC 8461 3.3. Policy lines once each; a body is its line numbers joined with CRLF.',
    `var POLICIES = ${packPolicies(policies)};`,
    'function answer(method, status, text, body, allow) {',
    `var h = { 'content-type': { value: 'text/plain' }, 'cache-control': { value: '${CACHE_CONTROL}' }, `
      + `'strict-transport-security': { value: '${STRICT_TRANSPORT_SECURITY}' }, 'x-content-type-options': { value: 'nosniff' } };`,
    'if (allow) h.allow = { value: allow };',
    'var r = { statusCode: status, statusDescription: text, headers: h };',
    'if (method !== \'HEAD\') r.body = { encoding: \'text\', data: body };',
    'return r;',
    '}',
    'function handler(event) {',
    'var q = event.request, m = q.method;',
    'var host = q.headers.host ? q.headers.host.value.toLowerCase().replace(/:[0-9]*$/, \'\').replace(/\\.$/, \'\') : \'\';',
    'var d = host.slice(0, 8) === \'mta-sts.\' ? host.slice(8) : \'\';',
    'var n = Object.prototype.hasOwnProperty.call(POLICIES.domains, d) ? POLICIES.domains[d] : null;',
    `if (n === null || q.uri !== '${POLICY_PATH}') return answer(m, 404, 'Not Found', 'Not found\\n');`,
    'if (m !== \'GET\' && m !== \'HEAD\') return answer(m, 405, \'Method Not Allowed\', \'Method not allowed\\n\', \'GET, HEAD\');',
    'return answer(m, 200, \'OK\', n.map(function (i) { var l = POLICIES.lines[i]; return typeof l === \'string\' ? l : l.join(\':\'); }).join(\'\\r\\n\'));',
    '}',
    '',
  ].join('\n');
}

/**
 * The policies a policy host function serves, read back from its code (the inverse of
 * `policyHostFunctionCode`): for reviews of a synthesised template, where the bodies are not
 * plain string literals. Undefined when the code is not a policy host function's.
 *
 * @param code a CloudFront Function's code
 */
export function policiesInPolicyHostCode(code: string): HostedPolicy[] | undefined {
  const m = DATA_LINE.exec(code);
  if (m === null) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(m[1]);
  } catch {
    return undefined;
  }
  if (!isPackedPolicies(data)) return undefined;
  const out: HostedPolicy[] = [];
  for (const [domain, numbers] of Object.entries(data.domains)) {
    if (numbers.some((n) => data.lines[n] === undefined)) return undefined;
    out.push({ domain, body: numbers.map((n) => joinLine(data.lines[n])).join('\r\n') });
  }
  return out;
}

/**
 * A line as packed: the line itself, or its parts split at its colons when the line would
 * otherwise read as a whole policy to a reader looking for policy bodies in function code
 * (`src/assembly/mta-sts-function.ts` takes any string literal holding "version: STSv1" for one).
 */
type PackedLine = string | string[];

/** `version: STSv1` and its variants, as the assembly reader recognises a policy body. */
const POLICY_MARKER = /version[ \t]*:[ \t]*STSv1/;

function joinLine(line: PackedLine): string {
  return typeof line === 'string' ? line : line.join(':');
}

interface PackedPolicies {
  readonly lines: PackedLine[];
  readonly domains: Record<string, number[]>;
}

/** The `POLICIES` object as JSON, ASCII only. */
function packPolicies(policies: HostedPolicy[]): string {
  const lines: PackedLine[] = [];
  const lineNumbers = new Map<string, number>();
  const domains: Record<string, number[]> = {};
  for (const p of policies) {
    domains[p.domain] = p.body.split('\r\n').map((line) => {
      let n = lineNumbers.get(line);
      if (n === undefined) {
        n = lines.length;
        lineNumbers.set(line, n);
        lines.push(POLICY_MARKER.test(line) ? line.split(':') : line);
      }
      return n;
    });
  }
  return asciiOnly(JSON.stringify({ lines, domains }));
}

/** JSON with every character outside printable ASCII written as a `\u` escape (U+2028 included). */
function asciiOnly(json: string): string {
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isPackedPolicies(data: unknown): data is PackedPolicies {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as { lines?: unknown; domains?: unknown };
  return Array.isArray(d.lines) && d.lines.every((l) => typeof l === 'string' || (Array.isArray(l) && l.every((s) => typeof s === 'string')))
    && typeof d.domains === 'object' && d.domains !== null
    && Object.values(d.domains).every((v) => Array.isArray(v) && v.every((n) => Number.isInteger(n)));
}
