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
 * To fit 100 domains in 10 KB the policies are packed: each domain's body is the list of its
 * lines, joined with CRLF at run time (`domains`), and a line that several bodies hold is written
 * once (`lines`) and referred to by its number. A line that reads as `version: STSv1` is written
 * split at its colons, so that no string literal reads as a whole policy to a reader looking for
 * bodies in function code. Splitting a body at CRLF and joining it again gives back exactly the
 * body registered, whatever its line endings, so any body is served byte for byte. Measured
 * (docs/benchmarks.md, "MTA-STS policy host"): 100 domains sharing one Microsoft 365 policy need
 * about 4.9 KB, 100 domains each with its own tenant MX host about 9.6 KB (names of 21 characters
 * on average); the code around the policies is about 1.2 KB.
 */

/** The path of the policy (RFC 8461 §3.2). */
export const POLICY_PATH = '/.well-known/mta-sts.txt';

/**
 * CloudFront Functions' limit on a function's code, in bytes (10 KB): quota "Maximum size of a
 * function" (Amazon CloudFront Developer Guide, "Quotas on CloudFront Functions").
 */
export const MAX_FUNCTION_CODE_BYTES = 10 * 1024;

/** `Strict-Transport-Security` on every answer: one year, this host and the names under it. */
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
  // Terse, since every byte counts against the 10 KB limit, but one statement a line.
  return [
    '// cdk-gov-email MtaStsPolicyHost (RFC 8461 3.3)',
    `var POLICIES = ${packPolicies(policies)};`,
    'function answer(m, s, t, b, a) {',
    `var h = {'content-type': {value: 'text/plain'}, 'cache-control': {value: '${CACHE_CONTROL}'}, `
      + `'strict-transport-security': {value: '${STRICT_TRANSPORT_SECURITY}'}, 'x-content-type-options': {value: 'nosniff'}};`,
    'if (a) h.allow = {value: a};',
    'var r = {statusCode: s, statusDescription: t, headers: h};',
    'if (m !== \'HEAD\') r.body = {encoding: \'text\', data: b};',
    'return r;',
    '}',
    'function line(l) {',
    'if (typeof l === \'number\') l = POLICIES.lines[l];',
    'return typeof l === \'string\' ? l : l.join(\':\');',
    '}',
    'function handler(event) {',
    'var q = event.request, m = q.method, h = q.headers.host ? q.headers.host.value.toLowerCase().replace(/:[0-9]*$/, \'\').replace(/\\.$/, \'\') : \'\';',
    'var d = h.slice(0, 8) === \'mta-sts.\' ? h.slice(8) : \'\', n = Object.prototype.hasOwnProperty.call(POLICIES.domains, d) ? POLICIES.domains[d] : null;',
    `if (n === null || q.uri !== '${POLICY_PATH}') return answer(m, 404, 'Not Found', 'Not found\\n');`,
    'if (m !== \'GET\' && m !== \'HEAD\') return answer(m, 405, \'Method Not Allowed\', \'Method not allowed\\n\', \'GET, HEAD\');',
    'return answer(m, 200, \'OK\', n.map(line).join(\'\\r\\n\'));',
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
  for (const [domain, lines] of Object.entries(data.domains)) {
    const read = lines.map((l) => (typeof l === 'number' ? data.lines[l] : l));
    if (read.some((l) => l === undefined)) return undefined;
    out.push({ domain, body: read.map((l) => joinLine(l!)).join('\r\n') });
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

interface PackedPolicies {
  /** The lines more than one body holds (or one body more than once). */
  readonly lines: PackedLine[];
  /** Each domain's body, line by line: a number in `lines`, or a line only it holds. */
  readonly domains: Record<string, Array<number | PackedLine>>;
}

function packLine(line: string): PackedLine {
  return POLICY_MARKER.test(line) ? line.split(':') : line;
}

function joinLine(line: PackedLine): string {
  return typeof line === 'string' ? line : line.join(':');
}

/** The `POLICIES` object as JSON, ASCII only. */
function packPolicies(policies: HostedPolicy[]): string {
  const split = policies.map((p) => ({ domain: p.domain, lines: p.body.split('\r\n') }));
  const uses = new Map<string, number>();
  for (const p of split) {
    for (const l of p.lines) uses.set(l, (uses.get(l) ?? 0) + 1);
  }
  const lines: PackedLine[] = [];
  const numbers = new Map<string, number>();
  const domains: PackedPolicies['domains'] = {};
  for (const p of split) {
    domains[p.domain] = p.lines.map((l) => {
      // A line used once is written where it is used: a number would cost more than it saves.
      if (uses.get(l)! < 2) return packLine(l);
      let n = numbers.get(l);
      if (n === undefined) {
        n = lines.length;
        numbers.set(l, n);
        lines.push(packLine(l));
      }
      return n;
    });
  }
  const data: PackedPolicies = { lines, domains };
  return asciiOnly(JSON.stringify(data));
}

/** JSON with every character outside printable ASCII written as a `\u` escape (U+2028 included). */
function asciiOnly(json: string): string {
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isPackedLine(l: unknown): l is PackedLine {
  return typeof l === 'string' || (Array.isArray(l) && l.every((s) => typeof s === 'string'));
}

function isPackedPolicies(data: unknown): data is PackedPolicies {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as { lines?: unknown; domains?: unknown };
  return Array.isArray(d.lines) && d.lines.every(isPackedLine)
    && typeof d.domains === 'object' && d.domains !== null
    && Object.values(d.domains).every((v) => Array.isArray(v) && v.every((l) => Number.isInteger(l) || isPackedLine(l)));
}
