/**
 * The policy host's CloudFront Function, run in Node against CloudFront Functions viewer-request
 * events (Amazon CloudFront Developer Guide, "CloudFront Functions event structure"), its code
 * taken from a synthesised template: status, headers and body, byte for byte.
 */
import * as vm from 'node:vm';
import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { mtaStsPoliciesInCode } from '../../src/assembly/mta-sts-function';
import { MtaStsPolicyHost } from '../../src/constructs/mta-sts-policy-host';
import { MtaSts, MtaStsMode } from '../../src/records/mta-sts';
import {
  HostedPolicy, policiesInPolicyHostCode, policyHostFunctionCode,
} from '../../src/records/private/mta-sts-host-code';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const PATH = '/.well-known/mta-sts.txt';
const ENFORCE = MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: 1209600, mx: ['*.mail.protection.outlook.com'] });
const TESTING = MtaSts.renderPolicy({ mode: MtaStsMode.TESTING, maxAge: 86400, mx: ['aspmx.l.google.com', '*.aspmx.l.google.com'] });
const NONE = MtaSts.renderPolicy({ mode: MtaStsMode.NONE, maxAge: 86400, mx: [] });
/** A body a caller wrote by hand: LF line endings, an extension with UTF-8, no final line break. */
const HAND_WRITTEN = 'version: STSv1\nmode: enforce\nmx: mx1.hand.gov.uk\nmax_age: 1209600\nnote: café ☕';

const HEADERS = {
  'content-type': { value: 'text/plain' },
  'cache-control': { value: 'max-age=300' },
  'strict-transport-security': { value: 'max-age=31536000; includeSubDomains' },
  'x-content-type-options': { value: 'nosniff' },
};

interface ViewerRequest {
  readonly method?: string;
  readonly host?: string;
  readonly uri?: string;
  readonly querystring?: Record<string, { value: string }>;
}

type Handler = (event: unknown) => any;

/** The handler of a function's code, loaded in a fresh context as CloudFront loads it. */
function load(code: string): Handler {
  return vm.runInNewContext(`${code}\nhandler;`, {}, { filename: 'mta-sts-policy-host.js' });
}

/** A viewer-request event as CloudFront Functions passes it (header names in lower case). */
function event(r: ViewerRequest) {
  return {
    version: '1.0',
    context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'req-1' },
    viewer: { ip: '192.0.2.25' },
    request: {
      method: r.method ?? 'GET',
      uri: r.uri ?? PATH,
      querystring: r.querystring ?? {},
      headers: {
        ...(r.host === undefined ? {} : { host: { value: r.host } }),
        'user-agent': { value: 'postfix-mta-sts-resolver' },
        'accept': { value: '*/*' },
      },
      cookies: {},
    },
  };
}

/** The function's answer, as plain data (the function runs in another realm). */
function answer(handler: Handler, r: ViewerRequest) {
  return JSON.parse(JSON.stringify(handler(event(r))));
}

/** The function code of a host with these domains, from the synthesised template. */
function synthesisedCode(policies: Array<[string, string]>): string {
  const stack = new Stack(new App(), 'Host', { env: { account: '123456789012', region: 'us-east-1' } });
  const host = new MtaStsPolicyHost(stack, 'MtaSts');
  for (const [domain, policy] of policies) {
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, `Zone-${domain}`, { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: domain });
    host.addDomain({ domainName: domain, zone, policy, policyId: MtaSts.policyId(policy) });
  }
  const fns = Object.values(lint.template(stack).findResources('AWS::CloudFront::Function'));
  expect(fns).toHaveLength(1);
  return fns[0].Properties.FunctionCode;
}

describe('the policy host function, executed against viewer-request events', () => {
  const code = synthesisedCode([
    ['dept.gov.uk', ENFORCE], ['agency.gov.uk', TESTING], ['old.gov.uk', NONE], ['hand.gov.uk', HAND_WRITTEN],
  ]);
  const handler = load(code);

  test.each([
    ['dept.gov.uk', ENFORCE], ['agency.gov.uk', TESTING], ['old.gov.uk', NONE], ['hand.gov.uk', HAND_WRITTEN],
  ])('GET https://mta-sts.%s/.well-known/mta-sts.txt: 200, text/plain, HSTS, the registered body byte for byte', (domain, policy) => {
    // WHEN a sender fetches the policy of a registered domain
    const r = answer(handler, { host: `mta-sts.${domain}` });
    // THEN the answer is exactly this
    expect(r).toEqual({ statusCode: 200, statusDescription: 'OK', headers: HEADERS, body: { encoding: 'text', data: policy } });
    expect(Buffer.from(r.body.data, 'utf8').equals(Buffer.from(policy, 'utf8'))).toBe(true);
    // AND it reads as the policy the library renders
    expect(MtaSts.parsePolicy(r.body.data)).toEqual(MtaSts.parsePolicy(policy));
  });

  test('HEAD: 200 and the same headers, no body', () => {
    expect(answer(handler, { method: 'HEAD', host: 'mta-sts.dept.gov.uk' })).toEqual({ statusCode: 200, statusDescription: 'OK', headers: HEADERS });
  });

  test.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s: 405 with Allow: GET, HEAD', (method) => {
    expect(answer(handler, { method, host: 'mta-sts.dept.gov.uk' })).toEqual({
      statusCode: 405,
      statusDescription: 'Method Not Allowed',
      headers: { ...HEADERS, allow: { value: 'GET, HEAD' } },
      body: { encoding: 'text', data: 'Method not allowed\n' },
    });
  });

  const NOT_FOUND = { statusCode: 404, statusDescription: 'Not Found', headers: HEADERS, body: { encoding: 'text', data: 'Not found\n' } };

  test.each<[string, ViewerRequest]>([
    ['a host that is not registered', { host: 'mta-sts.unknown.gov.uk' }],
    ['the domain itself, without mta-sts.', { host: 'dept.gov.uk' }],
    ['a subdomain of a registered domain', { host: 'mta-sts.www.dept.gov.uk' }],
    ['mta-sts. twice', { host: 'mta-sts.mta-sts.dept.gov.uk' }],
    ['the distribution\'s own name', { host: 'd111111abcdef8.cloudfront.net' }],
    ['no Host header', {}],
    ['a name that is a property of every object', { host: 'mta-sts.constructor' }],
    ['the root', { host: 'mta-sts.dept.gov.uk', uri: '/' }],
    ['the path with a trailing slash', { host: 'mta-sts.dept.gov.uk', uri: `${PATH}/` }],
    ['the path in upper case', { host: 'mta-sts.dept.gov.uk', uri: '/.well-known/MTA-STS.txt' }],
    ['another file in .well-known', { host: 'mta-sts.dept.gov.uk', uri: '/.well-known/security.txt' }],
    ['the path percent-encoded', { host: 'mta-sts.dept.gov.uk', uri: '/%2Ewell-known/mta-sts.txt' }],
  ])('%s: 404', (_what, request) => {
    expect(answer(handler, request)).toEqual(NOT_FOUND);
  });

  test('HEAD of an unknown path: 404 without a body; POST to an unknown path: 404, not 405', () => {
    expect(answer(handler, { method: 'HEAD', host: 'mta-sts.dept.gov.uk', uri: '/' })).toEqual({ statusCode: 404, statusDescription: 'Not Found', headers: HEADERS });
    expect(answer(handler, { method: 'POST', host: 'mta-sts.unknown.gov.uk' }).statusCode).toBe(404);
  });

  test.each([
    'MTA-STS.Dept.GOV.UK', 'mta-sts.dept.gov.uk.', 'mta-sts.dept.gov.uk:443',
  ])('the Host header %s is the same host: 200', (host) => {
    expect(answer(handler, { host }).body.data).toBe(ENFORCE);
  });

  test('a query string is ignored (CloudFront passes it apart from the URI)', () => {
    expect(answer(handler, { host: 'mta-sts.dept.gov.uk', querystring: { v: { value: '2' } } }).body.data).toBe(ENFORCE);
  });

  test('no answer is ever a redirect, and none tells CloudFront to go on to the origin', () => {
    const requests: ViewerRequest[] = [
      { host: 'mta-sts.dept.gov.uk' }, { host: 'mta-sts.dept.gov.uk', uri: '/' }, { host: 'x' }, { method: 'POST', host: 'mta-sts.dept.gov.uk' },
    ];
    for (const r of requests) {
      const a = answer(handler, r);
      expect(a.statusCode).toBeDefined(); // a response, not the request
      expect(a.statusCode < 300 || a.statusCode >= 400).toBe(true);
      expect(a.headers.location).toBeUndefined();
    }
  });
});

describe('the policy host function code', () => {
  test('is ES5.1 (the CloudFront Functions runtimes\' common core) and ASCII', () => {
    const code = synthesisedCode([['dept.gov.uk', ENFORCE], ['hand.gov.uk', HAND_WRITTEN]]);
    // espree is ESLint's own parser, installed with eslint (a dev dependency).
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const espree = require('espree');
    expect(() => espree.parse(code, { ecmaVersion: 5, sourceType: 'script' })).not.toThrow();
    expect(/^[\x0a\x20-\x7e]*$/.test(code)).toBe(true);
  });

  test('review reads the policies back exactly, each for its mta-sts host', () => {
    const code = synthesisedCode([['dept.gov.uk', ENFORCE], ['agency.gov.uk', TESTING]]);
    expect(mtaStsPoliciesInCode(code)).toEqual([
      { host: 'mta-sts.dept.gov.uk', body: ENFORCE },
      { host: 'mta-sts.agency.gov.uk', body: TESTING },
    ]);
    // AND policiesInPolicyHostCode reads them back, for the review to use
    expect(policiesInPolicyHostCode(code)).toEqual([{ domain: 'dept.gov.uk', body: ENFORCE }, { domain: 'agency.gov.uk', body: TESTING }]);
  });

  test('policiesInPolicyHostCode: undefined for other code, and for data that would not give every body', () => {
    expect(policiesInPolicyHostCode('function handler(e) { return e.request; }')).toBeUndefined();
    expect(policiesInPolicyHostCode('var POLICIES = {not json};')).toBeUndefined();
    const data = (templates: string[], shared: string[], domains: Record<string, string>) =>
      `var POLICIES = ${JSON.stringify({ templates, shared, domains })};`;
    // Well formed: a template, an argument given in full and one shared
    expect(policiesInPolicyHostCode(data(['mx: ~0 ~1 ~h~c~~'], ['b'], { 'a.gov.uk': 'x,~0,0' }))).toEqual([{ domain: 'a.gov.uk', body: 'mx: x b a-gov-uk,~' }]);
    // A template, an argument or a shared argument that is not there; an escape that is not one
    expect(policiesInPolicyHostCode(data([], [], { 'a.gov.uk': '0' }))).toBeUndefined();
    expect(policiesInPolicyHostCode(data(['~0'], [], { 'a.gov.uk': '0' }))).toBeUndefined();
    expect(policiesInPolicyHostCode(data(['~0'], [], { 'a.gov.uk': '~1,0' }))).toBeUndefined();
    expect(policiesInPolicyHostCode(data(['~x'], [], { 'a.gov.uk': '0' }))).toBeUndefined();
    expect(policiesInPolicyHostCode(data(['~0'], [], { 'a.gov.uk': '~0x,0' }))).toBeUndefined();
    expect(policiesInPolicyHostCode(data(['a'], [], { 'a.gov.uk': '00' }))).toBeUndefined();
    expect(policiesInPolicyHostCode(data(['a'], [], { 'a.gov.uk': '1' }))).toBeUndefined();
    // An argument escape inside an argument: the function would fail
    expect(policiesInPolicyHostCode(data(['~0'], [], { 'a.gov.uk': '~1x,0' }))).toBeUndefined();
    // Not the data this code writes (the shape of an earlier one)
    expect(policiesInPolicyHostCode('var POLICIES = {"lines":[],"domains":{"a.gov.uk":[0]}};')).toBeUndefined();
    expect(policiesInPolicyHostCode(`var POLICIES = ${JSON.stringify({ templates: ['a'], shared: [], domains: { 'a.gov.uk': 0 } })};`)).toBeUndefined();
  });

  test('the size at 100 domains of 22 characters: about 4.2 KB sharing one policy, or each with its own tenant MX host', () => {
    // GIVEN 100 government-like domain names (22 characters on average)
    const names = ['communities', 'digital.cabinet-office', 'environment-agency', 'dwp', 'hmrc', 'education', 'justice', 'food-standards', 'ofsted', 'highways-england'];
    const domains = Array.from({ length: 100 }, (_, i) => `${names[i % 10]}${i >= 10 ? `-${i}` : ''}.gov.uk`);
    // WHEN they share the Microsoft 365 policy, or each has its own tenant MX host (new Microsoft 365 tenants)
    const shared = policyHostFunctionCode(domains.map((domain) => ({ domain, body: ENFORCE })));
    const own = policyHostFunctionCode(domains.map((domain) => ({
      domain, body: MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: 1209600, mx: [`${domain.replace(/\./g, '-')}.a1b2c3d4.mx.microsoft`] }),
    })));
    // THEN each is one template and the names: the tenant's MX host holds the domain's name, dashed
    expect([shared.length, own.length]).toEqual([4263, 4258]);
    // AND a host with one domain: 1.5 KB, mostly the code around the policies
    expect(policyHostFunctionCode([{ domain: 'dept.gov.uk', body: ENFORCE }]).length).toBe(1511);
  });

  test('a line that holds the domain\'s name is written once for all domains; the tenant\'s random label is all a domain adds', () => {
    const domains = ['dept.gov.uk', 'agency.gov.uk', 'office.gov.uk'];
    const random = ['k2x9q4m7v1', 'p8w3n6c0z5', 'r4t7y1u9i2'];
    const code = policyHostFunctionCode(domains.map((domain, i) => ({
      domain, body: MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: 604800, mx: [`${domain.replace(/\./g, '-')}.${random[i]}.mx.microsoft`, `mx1.${domain}`] }),
    })));
    expect(/^var POLICIES = (.*);$/m.exec(code)![1]).toBe(JSON.stringify({
      templates: ['~v: STSv1\r\nmode: enforce\r\nmx: ~h.~0.mx.microsoft\r\nmx: mx1.~d\r\nmax_age: 604800\r\n'],
      shared: [],
      domains: { 'dept.gov.uk': 'k2x9q4m7v1,0', 'agency.gov.uk': 'p8w3n6c0z5,0', 'office.gov.uk': 'r4t7y1u9i2,0' },
    }));
  });
});

describe('the policy host function: properties', () => {
  const domainArb = fc.domain().map((d) => d.toLowerCase()).filter((d) => d.length <= 200);
  /**
   * Forms of lines: `{d}` the domain, `{h}` the domain with dots as dashes, `{D}` the domain in
   * upper case, `{r}` a text of the domain's own (a tenant's random label, a max_age, any text).
   */
  const LINE_FORMS = [
    'version: STSv1', 'version:STSv1', 'version \t: \tSTSv1', 'mode: enforce', 'mode: testing', 'mx: *.mail.protection.outlook.com', 'mx: relay.gateway.gov.uk',
    'max_age: 604800', '', 'x:y:z', '~', '~0', '~~1,', 'a,b,,', 'note: caf\u00e9 \u2615 \ud83d\udce8', 'mx: {h}.{r}.mx.microsoft', 'mx: mx1.{d}', 'mx: {d}',
    'mx: *.{d}', 'max_age: {r}', '{r}', 'mx: {D}', 'version{d}{h}{r}{d}~{h},', 'mx: {r}.{h}.{r}',
  ];
  const ownTextArb = fc.oneof(fc.stringMatching(/^[a-z0-9]{10}$/), fc.constantFrom('604800', '86400', '', '~', ','), fc.string({ unit: 'binary', maxLength: 20 }));
  const lineBreakArb = fc.constantFrom('\r\n', '\r\n', '\n', '\r');
  const render = (domain: string, lines: Array<[string, string, string]>, lastBreak: boolean) => lines.map(([form, own, br], i) =>
    form.replace(/\{([dhDr])\}/g, (_, c: string) => (c === 'd' ? domain : c === 'h' ? domain.replace(/\./g, '-') : c === 'D' ? domain.toUpperCase() : own))
      + (i < lines.length - 1 || lastBreak ? br : '')).join('');
  /**
   * Domains whose bodies mostly follow one list of line forms, each with texts of its own (so
   * that templates, places and shared arguments come into play), some with lines of their own,
   * some any text at all; line breaks CRLF mostly, LF or CR at times.
   */
  const policiesArb: fc.Arbitrary<HostedPolicy[]> = fc.record({
    forms: fc.oneof<Array<fc.WeightedArbitrary<Array<[string, string]>>>>(
      { weight: 4, arbitrary: fc.array(fc.tuple(fc.constantFrom(...LINE_FORMS), lineBreakArb), { maxLength: 10 }) },
      // 11 to 14 lines of texts of their own: more than the 10 places a template has, so places are merged
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('mx: {r}', 'max_age: {r}', '{r}'), lineBreakArb), { minLength: 11, maxLength: 14 }) },
    ),
    domains: fc.uniqueArray(domainArb, { minLength: 1, maxLength: 12 }),
  }).chain(({ forms, domains }) => fc.tuple(...domains.map((domain) => fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(fc.array(ownTextArb, { minLength: forms.length, maxLength: forms.length }), fc.boolean())
        .map(([own, lastBreak]) => render(domain, forms.map(([f, br], i) => [f, own[i], br]), lastBreak)),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.array(fc.tuple(fc.constantFrom(...LINE_FORMS), ownTextArb, lineBreakArb), { maxLength: 10 }), fc.boolean())
        .map(([lines, lastBreak]) => render(domain, lines, lastBreak)),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  ).map((body) => ({ domain, body })))));

  /** The values of the code's string literals, as JavaScript reads them. */
  const literalContext = vm.createContext({});
  function stringLiterals(code: string): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const espree = require('espree');
    return espree.tokenize(code, { ecmaVersion: 5 }).filter((t: { type: string }) => t.type === 'String')
      .map((t: { value: string }) => vm.runInContext(t.value, literalContext));
  }

  test('any bodies: each is served byte for byte and read back exactly, by the host code and by review; the code is ASCII, deterministic, and no string literal reads as a policy', () => {
    fc.assert(fc.property(policiesArb, (policies: HostedPolicy[]) => {
      const code = policyHostFunctionCode(policies);
      const handler = load(code);
      for (const p of policies) {
        const r = answer(handler, { host: `mta-sts.${p.domain}` });
        expect(r.statusCode).toBe(200);
        expect(r.body.data).toBe(p.body);
      }
      expect(policiesInPolicyHostCode(code)).toEqual(policies);
      expect(mtaStsPoliciesInCode(code)).toEqual(policies.map((p) => ({ host: `mta-sts.${p.domain}`, body: p.body })));
      expect(/^[\x0a\x20-\x7e]*$/.test(code)).toBe(true);
      expect(policyHostFunctionCode(policies.map((p) => ({ ...p })))).toBe(code);
      expect(stringLiterals(code).filter((l) => /version[ \t]*:[ \t]*STSv1/.test(l))).toEqual([]);
    }), { numRuns: 300 });
  });

  test('the line forms give bodies that share templates and arguments, with names in them (so the property above tests those)', () => {
    // GIVEN three domains whose bodies follow one form, with a text of their own and one they share
    const forms: Array<[string, string, string]> = [['version: STSv1', '', '\r\n'], ['mx: {h}.{r}.mx.microsoft', '', '\r\n'], ['max_age: {r}', '', '\r\n']];
    const policies = ['dept.gov.uk', 'agency.gov.uk', 'office.gov.uk'].map((domain, i) => ({
      domain, body: render(domain, forms.map(([f, , br], k) => [f, k === 1 ? `r${i}x9q4m7v1` : '1209600', br]), true),
    }));
    // THEN the code holds one template with one place, and each domain only its label
    const data = JSON.parse(/^var POLICIES = (.*);$/m.exec(policyHostFunctionCode(policies))![1]);
    expect(data.templates).toEqual(['~v: STSv1\r\nmx: ~h.r~0x9q4m7v1.mx.microsoft\r\nmax_age: 1209600\r\n']);
    expect(Object.values(data.domains)).toEqual(['0,0', '1,0', '2,0']);
  });

  test('any request: 200 exactly for GET or HEAD of the path at mta-sts.<a registered domain>, 405 for other methods there, 404 otherwise', () => {
    const requestArb = (domains: string[]) => fc.record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'),
      host: fc.oneof(fc.constantFrom(...domains.map((d) => `mta-sts.${d}`)), fc.constantFrom(...domains), domainArb.map((d) => `mta-sts.${d}`), fc.string()),
      uri: fc.oneof(fc.constant(PATH), fc.constantFrom('/', `${PATH}/`, '/.well-known/'), fc.webPath()),
    });
    const casesArb = policiesArb.chain((p) =>
      fc.tuple(fc.constant(p), fc.array(requestArb(p.map((x) => x.domain)), { minLength: 1, maxLength: 10 })));
    fc.assert(fc.property(casesArb,
      ([policies, requests]) => {
        const handler = load(policyHostFunctionCode(policies));
        for (const r of requests) {
          // The Host header as CloudFront may pass it: any case, a port, a trailing dot.
          const host = r.host.toLowerCase().replace(/:[0-9]*$/, '').replace(/\.$/, '');
          const registered = policies.find((p) => `mta-sts.${p.domain}` === host);
          const expected = registered === undefined || r.uri !== PATH ? 404 : ['GET', 'HEAD'].includes(r.method) ? 200 : 405;
          const a = answer(handler, r);
          expect(a.statusCode).toBe(expected);
          expect(a.headers).toEqual(expected === 405 ? { ...HEADERS, allow: { value: 'GET, HEAD' } } : HEADERS);
          expect(a.body === undefined).toBe(r.method === 'HEAD');
          if (expected === 200 && r.method === 'GET') expect(a.body.data).toBe(registered!.body);
        }
      }), { numRuns: 200 });
  });
});
