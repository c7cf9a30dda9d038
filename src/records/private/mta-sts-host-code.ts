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
 * To fit 100 domains in 10 KB, whatever their names, the policies are packed (`packPolicies`):
 *
 * - each body is written as packed text, in which the domain's own name, as is (`~d`) or with
 *   dots as dashes (`~h`, as in a Microsoft 365 tenant's MX host), is an escape, so that the lines
 *   that hold it read alike for every domain; "version" is an escape too (`~v`), so that no string
 *   literal reads as a whole policy to a reader looking for bodies in function code;
 * - bodies with as many lines share a template, with a place (`~0` to `~9`) for each line in which
 *   they differ, less the start and end all its versions share: a tenant's MX line leaves only
 *   the tenant's random label. Domains that give the same text in a place take a template of
 *   their own when that makes the code smaller (`groupsOf`);
 * - each domain holds only the text of its places and the number of its template, and a text
 *   that several domains give is written once (`shared`).
 *
 * The function expands a domain's template at run time (`expand`, the same in the code and
 * here, for reading back). A body is cut into lines after each line break (CRLF, LF or CR, kept
 * with its line) and lines into pieces, never inside an escape or a character, and put together
 * again from the same pieces, so any body is served byte for byte, whatever its line endings or
 * characters. Measured (docs/benchmarks.md,
 * "MTA-STS policy host: function size"): 100 domains of 40-character names need about 6.2 KB
 * when they share one policy, and about 8.0 KB when each has its own tenant MX host and `max_age`
 * beside two shared `mx` lines; 100 such domains fit with names of up to 62 characters. The code
 * around the policies is about 1.4 KB.
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
    // `expand` in this file, as the function runs it.
    'function expand(s, d, a) {',
    'return s.replace(/~(.)/g, function (x, c) {',
    'return c === \'d\' ? d : c === \'h\' ? d.replace(/\\./g, \'-\') : c === \'v\' ? \'version\' : c === \'c\' ? \',\' : c === \'~\' ? c '
      + ': expand(/^~[0-9]+$/.test(a[c]) ? POLICIES.shared[a[c].slice(1)] : a[c], d, []);',
    '});',
    '}',
    'function handler(event) {',
    'var q = event.request, m = q.method, h = q.headers.host ? q.headers.host.value.toLowerCase().replace(/:[0-9]*$/, \'\').replace(/\\.$/, \'\') : \'\';',
    'var d = h.slice(0, 8) === \'mta-sts.\' ? h.slice(8) : \'\', n = Object.prototype.hasOwnProperty.call(POLICIES.domains, d) ? POLICIES.domains[d].split(\',\') : null;',
    `if (n === null || q.uri !== '${POLICY_PATH}') return answer(m, 404, 'Not Found', 'Not found\\n');`,
    'if (m !== \'GET\' && m !== \'HEAD\') return answer(m, 405, \'Method Not Allowed\', \'Method not allowed\\n\', \'GET, HEAD\');',
    'return answer(m, 200, \'OK\', expand(POLICIES.templates[n.pop()], d, n));',
    '}',
    '',
  ].join('\n');
}

/**
 * The policies a policy host function serves, read back from its code (the inverse of
 * `policyHostFunctionCode`): for reviews of a synthesised template, where the bodies are not
 * plain string literals. Undefined when the code is not a policy host function's, or its data
 * would not give a body for every domain.
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
  for (const [domain, value] of Object.entries(data.domains)) {
    const args = value.split(',');
    const template = item(data.templates, args.pop()!);
    const texts = args.map((arg) => (/^~[0-9]+$/.test(arg) ? item(data.shared, arg.slice(1)) : arg));
    const body = template === undefined || texts.includes(undefined) ? undefined : expand(template, domain, texts as string[]);
    if (body === undefined) return undefined;
    out.push({ domain, body });
  }
  return out;
}

/** The item a number written in the code gives, as the function's `list[number]` does. */
function item(list: string[], index: string): string | undefined {
  return /^(0|[1-9][0-9]*)$/.test(index) ? list[Number(index)] : undefined;
}

/**
 * The `POLICIES` object. Each body is packed text (see `ESCAPES`): a template, which domains
 * whose bodies differ only in a few places share, with `~0` to `~9` in those places, and the
 * domain's arguments, the text of its own in those places.
 */
interface PackedPolicies {
  /** The templates, each packed text with `~0` to `~9` where a domain's arguments go. */
  readonly templates: string[];
  /** The arguments that several domains give, each written once: `~<n>` in a domain's arguments. */
  readonly shared: string[];
  /** Each domain's arguments, then the number of its template, separated by commas. */
  readonly domains: Record<string, string>;
}

/**
 * The escapes of packed text, besides `~d` for the domain's own name and `~h` for it with dots as
 * dashes (as in a Microsoft 365 MX host), which make the lines that hold them read alike for
 * every domain, so that they can be shared. "version" is an escape so that no string literal of
 * the code holds `version: STSv1` and reads as a whole policy to a reader looking for bodies in
 * function code (`src/assembly/mta-sts-function.ts` takes any such literal for one); a comma is
 * one since commas separate a domain's arguments.
 */
const ESCAPES: Record<string, string> = { '~': '~', 'c': ',', 'v': 'version' };

/** At most 10 places a template, so an argument's number is one digit. */
const MAX_HOLES = 10;

/**
 * Packed text back to text, as the function's `expand` does it (the same regular expression, so
 * a `~` before a line break is text in both). Undefined where the function would fail: an escape
 * that is not one, an argument that is not given, or an argument escape inside an argument.
 */
function expand(text: string, domain: string, args: string[] | undefined): string | undefined {
  let ok = true;
  const out = text.replace(/~(.)/g, (_, c: string) => {
    if (c === 'd') return domain;
    if (c === 'h') return domain.replace(/\./g, '-');
    if (Object.prototype.hasOwnProperty.call(ESCAPES, c)) return ESCAPES[c];
    const arg = args !== undefined && /^[0-9]$/.test(c) && Number(c) < args.length ? expand(args[Number(c)], domain, undefined) : undefined;
    if (arg === undefined) ok = false;
    return arg ?? '';
  });
  return ok ? out : undefined;
}

/**
 * A body as packed text, cut into lines (each with its line break: CRLF, LF or CR). At each place
 * the domain comes first, then the domain with dots as dashes, then "version" (a regular
 * expression's alternatives are tried in order).
 */
function packedLines(domain: string, body: string): string[] {
  // A name of 1 or 2 characters would not be shorter as an escape.
  const names = [domain, domain.replace(/\./g, '-')].filter((n, i) => n.length > 2 && (i === 0 || n !== domain));
  const pattern = new RegExp([...names.map((n) => n.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')), 'version', '~', ','].join('|'), 'g');
  const packed = body.replace(pattern, (m) => (m === domain ? '~d' : m === 'version' ? '~v' : m === '~' ? '~~' : m === ',' ? '~c' : '~h'));
  return packed.split(/(?<=\n|\r(?!\n))/);
}

/**
 * Whether packed text can be cut at `at`: not inside an escape (a `~` that begins one, after a
 * run of `~` that begins at a token, is the odd one), nor inside a surrogate pair.
 */
function cuttable(text: string, at: number): boolean {
  let run = 0;
  while (at - run > 0 && text[at - 1 - run] === '~') run++;
  if (run % 2 === 1) return false;
  return !(/[\ud800-\udbff]/.test(text[at - 1] ?? '') && /[\udc00-\udfff]/.test(text[at] ?? ''));
}

/** One domain's body, packed, with its place in the order registered. */
interface Entry {
  readonly order: number;
  readonly lines: string[];
}

/** A template shared by some domains, and each one's arguments. */
interface Shape {
  readonly template: string;
  readonly args: string[][];
}

/**
 * The template of domains whose bodies have as many lines: the lines all hold alike as they
 * are, and a place for each other line, less the start and end all its versions share (a
 * Microsoft 365 tenant's MX line leaves only the tenant's random label). Places next to each
 * other are merged, fewest lines between first, while there are more than `MAX_HOLES`.
 */
function shapeOf(entries: Entry[]): Shape {
  const first = entries[0].lines;
  const holes: Array<[number, number]> = [];
  first.forEach((l, k) => {
    if (entries.some((e) => e.lines[k] !== l)) holes.push([k, k]);
  });
  while (holes.length > MAX_HOLES) {
    let at = 0;
    for (let i = 1; i + 1 < holes.length; i++) {
      if (holes[i + 1][0] - holes[i][1] < holes[at + 1][0] - holes[at][1]) at = i;
    }
    holes.splice(at, 2, [holes[at][0], holes[at + 1][1]]);
  }
  let template = '';
  const args: string[][] = entries.map(() => []);
  let k = 0;
  holes.forEach(([from, to], n) => {
    template += first.slice(k, from).join('');
    const values = entries.map((e) => e.lines.slice(from, to + 1).join(''));
    const v0 = values[0];
    const shortest = Math.min(...values.map((v) => v.length));
    let most = 0;
    while (most < shortest && values.every((v) => v[most] === v0[most])) most++;
    while (!values.every((v) => cuttable(v, most))) most--;
    let mostEnd = 0;
    while (mostEnd < shortest - most && values.every((v) => v[v.length - 1 - mostEnd] === v0[v0.length - 1 - mostEnd])) mostEnd++;
    while (!values.every((v) => cuttable(v, v.length - mostEnd))) mostEnd--;
    // When each domain gives its own text here (a tenant's random label, a max_age), the template
    // holds all they share; when some give the same, the line's name and line break only, so that
    // the same value in another template (beside `*.aspmx.l.google.com` here, `mx.backup.gov.uk`
    // there) is the same argument, written once in `shared`.
    const own = new Set(values.map((v) => v.slice(most, v.length - mostEnd))).size === values.length;
    const start = own ? most : Math.max(0, v0.slice(0, most).lastIndexOf(' ') + 1);
    const end = own ? mostEnd : /[\r\n]*$/.exec(v0.slice(v0.length - mostEnd))![0].length;
    template += `${v0.slice(0, start)}~${n}${v0.slice(v0.length - end)}`;
    values.forEach((v, i) => args[i].push(v.slice(start, v.length - end)));
    k = to + 1;
  });
  template += first.slice(k).join('');
  return { template, args };
}

/** The bytes a string takes in the code, without its quotes. */
function codeLength(text: string): number {
  // Printable ASCII other than `"` and `\` is written as it is.
  return /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(text) ? text.length : asciiOnly(JSON.stringify(text)).length - 2;
}

/** Whether an argument that `count` domains give is written once, in `shared`. */
function isShared(length: number, count: number, references: number): boolean {
  // Once with its quotes and a comma, and `~<n>` for each domain; or in full for each.
  return count > 1 && count * length > length + 3 + count * (1 + String(references).length);
}

/** An estimate of the bytes some arguments take, each with its comma, those given more than once shared. */
function argumentsCost(args: string[]): number {
  const counts = new Map<string, number>();
  for (const x of args) counts.set(x, (counts.get(x) ?? 0) + 1);
  let cost = 0;
  for (const [x, count] of counts) {
    const length = codeLength(x);
    cost += isShared(length, count, 10) ? length + 3 + count * 4 : count * (length + 1);
  }
  return cost;
}

/** An estimate of the bytes a template and its domains' arguments take (the names aside). */
function costOf(shape: Shape): number {
  return codeLength(shape.template) + 3 + shape.args.length * 2 + argumentsCost(shape.args.flat());
}

/**
 * Domains with as many lines, in groups of one template each. While it makes the code smaller,
 * the domains that give the same text in one place of the template take a template of their own
 * (one `mx` line for most domains, another for the rest): the place and text that, by an
 * estimate, save most, and the split kept only if it does save.
 */
function groupsOf(entries: Entry[], whole: Shape = shapeOf(entries)): Array<[Entry[], Shape]> {
  const templateLength = codeLength(whole.template) + 3;
  let best: { hole: number; text: string; saves: number } | undefined;
  whole.args[0].forEach((_, hole) => {
    const counts = new Map<string, number>();
    for (const a of whole.args) counts.set(a[hole], (counts.get(a[hole]) ?? 0) + 1);
    for (const [text, count] of counts) {
      const saves = count * (1 + Math.min(codeLength(text), 3)) - templateLength;
      if (count > 1 && count < entries.length && saves > 0 && (best === undefined || saves > best.saves)) best = { hole, text, saves };
    }
  });
  if (best === undefined) return [[entries, whole]];
  const { hole, text } = best;
  const inside = entries.filter((_, i) => whole.args[i][hole] === text);
  const outside = entries.filter((_, i) => whole.args[i][hole] !== text);
  const [insideShape, outsideShape] = [shapeOf(inside), shapeOf(outside)];
  if (costOf(insideShape) + costOf(outsideShape) >= costOf(whole)) return [[entries, whole]];
  return [...groupsOf(inside, insideShape), ...groupsOf(outside, outsideShape)];
}

/**
 * Bodies as packed lines, kept for the policies (objects) seen before: a host computes its code
 * again each time a domain is added, with the same policies and one more.
 */
const packedCache = new WeakMap<HostedPolicy, { domain: string; body: string; lines: string[] }>();

function cachedLines(p: HostedPolicy): string[] {
  const cached = packedCache.get(p);
  if (cached !== undefined && cached.domain === p.domain && cached.body === p.body) return cached.lines;
  const lines = packedLines(p.domain, p.body);
  packedCache.set(p, { domain: p.domain, body: p.body, lines });
  return lines;
}

/** The `POLICIES` object as JSON, ASCII only. */
function packPolicies(policies: HostedPolicy[]): string {
  const byLines = new Map<number, Entry[]>();
  policies.forEach((p, order) => {
    const lines = cachedLines(p);
    const same = byLines.get(lines.length);
    if (same === undefined) byLines.set(lines.length, [{ order, lines }]);
    else same.push({ order, lines });
  });
  const groups = [...byLines.values()].flatMap((entries) => groupsOf(entries)).sort(([a], [b]) => a[0].order - b[0].order);
  const templates: string[] = [];
  const args: string[][] = [];
  for (const [group, shape] of groups) {
    group.forEach((e, i) => {
      args[e.order] = [...shape.args[i], String(templates.length)];
    });
    templates.push(shape.template);
  }
  // The arguments several domains give, in the order they first appear.
  const counts = new Map<string, number>();
  for (const a of args) a.slice(0, -1).forEach((x) => counts.set(x, (counts.get(x) ?? 0) + 1));
  const shared: string[] = [];
  const references = new Map<string, string>();
  for (const [text, count] of counts) {
    if (isShared(codeLength(text), count, shared.length)) {
      references.set(text, `~${shared.length}`);
      shared.push(text);
    }
  }
  const domains: PackedPolicies['domains'] = {};
  policies.forEach((p, order) => {
    domains[p.domain] = args[order].map((x, i) => (i < args[order].length - 1 ? references.get(x) ?? x : x)).join(',');
  });
  const data: PackedPolicies = { templates, shared, domains };
  return asciiOnly(JSON.stringify(data));
}

/** JSON with every character outside printable ASCII written as a `\u` escape (U+2028 included). */
function asciiOnly(json: string): string {
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isPackedPolicies(data: unknown): data is PackedPolicies {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as { templates?: unknown; shared?: unknown; domains?: unknown };
  const strings = (v: unknown) => Array.isArray(v) && v.every((t) => typeof t === 'string');
  return strings(d.templates) && strings(d.shared)
    && typeof d.domains === 'object' && d.domains !== null && !Array.isArray(d.domains)
    && Object.values(d.domains).every((v) => typeof v === 'string');
}
