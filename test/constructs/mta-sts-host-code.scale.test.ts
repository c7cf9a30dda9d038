/**
 * A full distribution of long names: 100 `GovEmailDomain`s of 40-character names, each with its
 * own Microsoft 365 tenant MX host and three `mx` lines, on one `MtaStsPolicyHost` distribution.
 * The host's CloudFront Function is run in Node against a viewer-request event for every host,
 * and what it serves is compared with each domain's policy byte for byte and with the id of its
 * `_mta-sts` record (the first 32 hex digits of the body's SHA-256). And what cannot fit still
 * fails synth, naming the domain and the bytes.
 */
import { createHash } from 'node:crypto';
import * as vm from 'node:vm';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { GovEmailDomain } from '../../src/constructs/gov-email-domain';
import { MtaStsPolicyHost } from '../../src/constructs/mta-sts-policy-host';
import { MtaSts, MtaStsMode } from '../../src/records/mta-sts';
import { MAX_FUNCTION_CODE_BYTES, policiesInPolicyHostCode } from '../../src/records/private/mta-sts-host-code';
import { TxtChunks } from '../../src/records/txt';
import { Sender } from '../../src/senders/sender';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 300000);

const ACCOUNT = '123456789012';
const PATH = '/.well-known/mta-sts.txt';
const PLACES = ['valeriver', 'northmoor', 'eastbrook', 'westfield', 'highcliffe', 'ashworth', 'kingsbridge', 'marshgate', 'oakhollow', 'redmere'];
const BODIES = ['inspectorate', 'borough-council', 'regulatory-agency', 'pensions-service', 'planning-authority', 'water-board', 'health-trust', 'courts-service', 'fire-rescue', 'archives'];

/** The i-th of 100 government-like names of exactly 40 characters (`valeriver-inspectorate-...-00.gov.uk`). */
function longName(i: number): string {
  const tail = `-${String(i).padStart(2, '0')}.gov.uk`;
  const label = `${PLACES[i % 10]}-${BODIES[Math.floor(i / 10)]}-${PLACES[(i * 7 + 3) % 10]}-${BODIES[(i * 3) % 10]}`;
  return `${label.slice(0, 40 - tail.length).replace(/-$/, 'x')}${tail}`;
}

/** A new-style Microsoft 365 tenant MX host: `<domain with dots as dashes>.<10 random letters and digits>.mx.microsoft`. */
function tenantMx(domain: string): string {
  const random = BigInt(`0x${createHash('sha256').update(domain).digest('hex').slice(0, 15)}`).toString(36).padStart(10, '0').slice(-10);
  return `${domain.replace(/\./g, '-')}.${random}.mx.microsoft`;
}

/** One to 365 days, different for most domains. */
const maxAgeOf = (i: number) => Duration.days(1 + ((i * 37) % 365));

interface Variant {
  readonly name: string;
  /** The policy's two `mx` lines after the tenant's own. */
  readonly additionalMx: (domain: string) => string[];
}

const VARIANTS: Variant[] = [
  { name: 'the tenant MX and two shared lines', additionalMx: () => ['*.mail.protection.outlook.com', 'relay.gateway.gov.uk'] },
  { name: 'three lines that each hold the domain\'s name', additionalMx: (d) => [`mx1.${d}`, `${d.replace(/\./g, '-')}.relay.gateway.gov.uk`] },
];

/** 100 domains in five department stacks (eu-west-2) of 20, and their host (us-east-1). */
function department(variant: Variant) {
  const app = new App();
  const hostStack = new Stack(app, 'MtaStsHost', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const host = new MtaStsPolicyHost(hostStack, 'MtaSts');
  const deptStacks = Array.from({ length: 5 }, (_, s) => new Stack(app, `Department${s + 1}`, { env: { account: ACCOUNT, region: 'eu-west-2' } }));
  const domains = Array.from({ length: 100 }, (_, i) => {
    const name = longName(i);
    const stack = deptStacks[Math.floor(i / 20)];
    return new GovEmailDomain(stack, `Domain${i}`, {
      zone: route53.HostedZone.fromHostedZoneAttributes(stack, `Zone${i}`, { hostedZoneId: `Z${String(i).padStart(20, '0')}`, zoneName: name }),
      senders: [Sender.microsoft365({ mx: tenantMx(name), initialDomain: 'dept.onmicrosoft.com' })],
      dmarc: { reportTo: ['mailto:dmarc@dept.gov.uk'] },
      tlsReportTo: ['mailto:tls@dept.gov.uk'],
      mtaSts: { host, mode: MtaStsMode.ENFORCE, maxAge: maxAgeOf(i), additionalMx: variant.additionalMx(name) },
    });
  });
  return { app, hostStack, deptStacks, host, domains };
}

/** A viewer-request event as CloudFront Functions passes it. */
function viewerRequest(host: string) {
  return {
    version: '1.0',
    context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'req-1' },
    viewer: { ip: '192.0.2.25' },
    request: { method: 'GET', uri: PATH, querystring: {}, headers: { host: { value: host }, accept: { value: '*/*' } }, cookies: {} },
  };
}

describe.each(VARIANTS)('100 domains of 40-character names, each with its tenant MX: $name', (variant) => {
  const { hostStack, deptStacks, host, domains } = department(variant);
  const hostTemplate = lint.template(hostStack);
  const functions = Object.values(hostTemplate.findResources('AWS::CloudFront::Function'));
  const code: string = functions[0]?.Properties.FunctionCode;

  test('the domains are as the scenario says: 40 characters, enforce, three mx lines, the tenant\'s first', () => {
    expect(new Set(domains.map((d) => d.domainName)).size).toBe(100);
    for (const d of domains) {
      expect(d.domainName).toHaveLength(40);
      const policy = MtaSts.parsePolicy(d.mtaStsPolicy!);
      expect(policy.mode).toBe(MtaStsMode.ENFORCE);
      expect(policy.mx).toEqual([tenantMx(d.domainName), ...variant.additionalMx(d.domainName)]);
    }
    expect(new Set(domains.map((d) => MtaSts.parsePolicy(d.mtaStsPolicy!).maxAge)).size).toBeGreaterThan(90);
  });

  test('synth: one distribution and one function for all 100, its code within CloudFront\'s 10 KB', () => {
    expect(host.distributions).toHaveLength(1);
    expect(functions).toHaveLength(1);
    expect(hostTemplate.toJSON().Resources).toBeDefined();
    expect(Buffer.byteLength(code, 'utf8')).toBeLessThanOrEqual(MAX_FUNCTION_CODE_BYTES);
    // AND the department stacks synthesise too (cfn-lint reads them)
    for (const s of deptStacks) lint.template(s);
  });

  test('the function, run for every host, serves its policy byte for byte; the SHA-256 of what it serves is the _mta-sts id', () => {
    const handler = vm.runInNewContext(`${code}\nhandler;`, {}, { filename: 'mta-sts-policy-host.js' });
    const txt = new Map<string, string>();
    for (const s of deptStacks) {
      for (const r of Object.values(lint.template(s).findResources('AWS::Route53::RecordSet'))) {
        const name = String(r.Properties.Name);
        if (name.startsWith('_mta-sts.')) txt.set(name.slice('_mta-sts.'.length, -1), MtaSts.parseRecord(TxtChunks.parse(r.Properties.ResourceRecords[0])).id);
      }
    }
    for (const d of domains) {
      const answer = JSON.parse(JSON.stringify(handler(viewerRequest(`mta-sts.${d.domainName}`))));
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toEqual({ value: 'text/plain' });
      const served = Buffer.from(answer.body.data, 'utf8');
      expect(served.equals(Buffer.from(d.mtaStsPolicy!, 'utf8'))).toBe(true);
      const sha = createHash('sha256').update(served).digest('hex');
      expect(txt.get(d.domainName)).toBe(sha.slice(0, 32));
    }
    // AND review reads the same 100 policies back from the code
    expect(policiesInPolicyHostCode(code)).toEqual(domains.map((d) => ({ domain: d.domainName, body: d.mtaStsPolicy })));
  });
});

describe('what cannot fit still fails synth', () => {
  test('domains with large bodies of their own: the first that would not fit is refused, naming it and the bytes', () => {
    // GIVEN a host, and policies of about 1 KB each that share nothing but their first and last lines
    const stack = new Stack(new App(), 'Host', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const host = new MtaStsPolicyHost(stack, 'MtaSts');
    const hex = (i: number, j: number) => createHash('sha256').update(`${i}/${j}`).digest('hex').slice(0, 56);
    const bigPolicy = (i: number) => MtaSts.renderPolicy({
      mode: MtaStsMode.ENFORCE, maxAge: 1209600, mx: Array.from({ length: 14 }, (_, j) => `mx-${hex(i, j)}.example.net`),
    });
    // WHEN domains are added until one does not fit
    let message = '';
    let n = 0;
    while (message === '' && n < 100) {
      n++;
      const name = longName(n - 1);
      const policy = bigPolicy(n);
      try {
        host.addDomain({
          domainName: name,
          zone: route53.HostedZone.fromHostedZoneAttributes(stack, `Zone${n}`, { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: name }),
          policy,
          policyId: MtaSts.policyId(policy),
        });
      } catch (e) {
        message = (e as Error).message;
      }
    }
    // THEN the tenth is refused, with the size of the code it would have made, and the host keeps nine
    expect(n).toBe(10);
    expect(message).toMatch(new RegExp(
      '^Host/MtaSts: \\[MTASTS-HOST-FUNCTION-SIZE\\] The CloudFront Function that holds one distribution\'s policies is at most 10 KB \\(10,240 bytes\\) of code\\. '
      + `Got: "1[0-9]{4} bytes of function code for distribution 1 with ${longName(9).replace(/\./g, '\\.')}, its domain number 10"\\. `
      + 'Allowed: at most 10240 bytes: set domainsPerDistribution below 10 \\(now 100\\)\\.$'));
    expect(host.domainNames).toHaveLength(9);
    const code = Object.values(lint.template(stack).findResources('AWS::CloudFront::Function'))[0].Properties.FunctionCode as string;
    expect(code.length).toBeLessThanOrEqual(MAX_FUNCTION_CODE_BYTES);
    expect(policiesInPolicyHostCode(code)?.map((p) => p.domain)).toEqual(host.domainNames);
  });
});
