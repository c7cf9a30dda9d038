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
  HostedPolicy, MAX_FUNCTION_CODE_BYTES, policiesInPolicyHostCode, policyHostFunctionCode,
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

  test('policiesInPolicyHostCode: undefined for other code', () => {
    expect(policiesInPolicyHostCode('function handler(e) { return e.request; }')).toBeUndefined();
    expect(policiesInPolicyHostCode('var POLICIES = {"lines":[],"domains":{"a.gov.uk":[3]}};')).toBeUndefined();
    expect(policiesInPolicyHostCode('var POLICIES = {not json};')).toBeUndefined();
    expect(policiesInPolicyHostCode('var POLICIES = {"lines":[1],"domains":{}};')).toBeUndefined();
  });

  test('the size at 100 domains: about 4.9 KB sharing one policy, about 9.6 KB with a policy each; both under 10 KB', () => {
    // GIVEN 100 government-like domain names (22 characters on average)
    const names = ['communities', 'digital.cabinet-office', 'environment-agency', 'dwp', 'hmrc', 'education', 'justice', 'food-standards', 'ofsted', 'highways-england'];
    const domains = Array.from({ length: 100 }, (_, i) => `${names[i % 10]}${i >= 10 ? `-${i}` : ''}.gov.uk`);
    // WHEN they share the Microsoft 365 policy, or each has its own tenant MX host (new Microsoft 365 tenants)
    const shared = policyHostFunctionCode(domains.map((domain) => ({ domain, body: ENFORCE })));
    const own = policyHostFunctionCode(domains.map((domain) => ({
      domain, body: MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: 1209600, mx: [`${domain.replace(/\./g, '-')}.a1b2c3d4.mx.microsoft`] }),
    })));
    // THEN both fit CloudFront's 10 KB (measured: docs/benchmarks.md)
    expect([shared.length, own.length]).toEqual([4870, 9604]);
    expect(own.length).toBeLessThan(MAX_FUNCTION_CODE_BYTES);
    // AND a host with one domain: 1.3 KB, mostly the code around the policies
    expect(policyHostFunctionCode([{ domain: 'dept.gov.uk', body: ENFORCE }]).length).toBe(1317);
  });
});

describe('the policy host function: properties', () => {
  const domainArb = fc.domain().map((d) => d.toLowerCase()).filter((d) => d.length <= 200);
  const bodyArb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.array(fc.constantFrom('version: STSv1', 'mode: enforce', 'mx: a.b', 'max_age: 1', '', 'x:y:z', 'version:STSv1'), { maxLength: 8 })
      .chain((lines) => fc.constantFrom('\r\n', '\n', '\r').map((sep) => lines.join(sep))),
  );
  const policiesArb = fc.uniqueArray(fc.record({ domain: domainArb, body: bodyArb }), { selector: (p) => p.domain, minLength: 1, maxLength: 8 });

  test('any bodies: each is served byte for byte and read back exactly, by the host code and by review', () => {
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
    }), { numRuns: 200 });
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
