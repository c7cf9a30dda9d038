/**
 * Properties of MtaStsPolicyHost with GovEmailDomain: a change to one domain's policy changes its
 * `_mta-sts` id and the body its host serves, and nothing of any other domain; and the
 * placement of domains on distributions depends only on their order.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { GovEmailDomain, GovEmailDomainMtaStsOptions } from '../../src/constructs/gov-email-domain';
import { MtaStsPolicyHost } from '../../src/constructs/mta-sts-policy-host';
import { MtaSts, MtaStsMode } from '../../src/records/mta-sts';
import { policiesInPolicyHostCode } from '../../src/records/private/mta-sts-host-code';
import { Sender } from '../../src/senders/sender';
import { TemplateLinter } from '../util/cfn-lint';

/** cfn-lint takes seconds a run: the templates of the first example of each property are linted. */
const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const DOMAINS = ['dept.gov.uk', 'agency.gov.uk', 'office.gov.uk'];
const M365 = Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' });

interface PolicyChoice {
  readonly mode: MtaStsMode;
  readonly maxAgeDays: number;
  readonly additionalMx: string[];
}

const choiceArb: fc.Arbitrary<PolicyChoice> = fc.record({
  mode: fc.constantFrom(MtaStsMode.ENFORCE, MtaStsMode.TESTING, MtaStsMode.NONE),
  maxAgeDays: fc.integer({ min: 1, max: 365 }),
  additionalMx: fc.uniqueArray(fc.constantFrom('mx1.backup.gov.uk', 'mx2.backup.gov.uk', 'relay.gateway.gov.uk'), { maxLength: 3 }),
});

/** Synthesise the department with these choices, and read what each domain publishes and is served. */
function synth(choices: PolicyChoice[]) {
  const app = new App();
  const hostStack = new Stack(app, 'MtaStsHost', { env: { account: '123456789012', region: 'us-east-1' } });
  const deptStack = new Stack(app, 'Department', { env: { account: '123456789012', region: 'eu-west-2' } });
  const host = new MtaStsPolicyHost(hostStack, 'MtaSts');
  DOMAINS.forEach((name, i) => {
    const c = choices[i];
    const mtaSts: GovEmailDomainMtaStsOptions = { host, mode: c.mode, maxAge: Duration.days(c.maxAgeDays), additionalMx: c.additionalMx };
    new GovEmailDomain(deptStack, `Domain${i}`, {
      zone: route53.HostedZone.fromHostedZoneAttributes(deptStack, `Zone${i}`, { hostedZoneId: `Z0000000000000000000${i}`, zoneName: name }),
      senders: [M365],
      dmarc: { reportTo: [`mailto:dmarc@${name}`] },
      tlsReportTo: [`mailto:tls@${name}`],
      mtaSts,
    });
  });
  const read = (stack: Stack) => (lint.size < 2 ? lint.template(stack) : Template.fromStack(stack));
  const host1 = read(hostStack).toJSON().Resources as Record<string, any>;
  const dept = read(deptStack).toJSON().Resources as Record<string, any>;
  const fn = Object.values(host1).find((r) => r.Type === 'AWS::CloudFront::Function');
  const served = new Map(policiesInPolicyHostCode(fn.Properties.FunctionCode)!.map((p) => [p.domain, p.body]));
  const ids = new Map(Object.values(dept).filter((r) => String(r.Properties?.Name).startsWith('_mta-sts.'))
    .map((r) => [String(r.Properties.Name).slice('_mta-sts.'.length, -1), MtaSts.parseRecord(JSON.parse(r.Properties.ResourceRecords[0])).id]));
  return { host: host1, dept, served, ids };
}

describe('MtaStsPolicyHost with GovEmailDomain: properties', () => {
  test('any change to a domain\'s policy changes its id (to the hash of the new body) and only its id', () => {
    fc.assert(fc.property(
      fc.array(choiceArb, { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 2 }), choiceArb,
      (choices, k, changed) => {
        const after = choices.map((c, i) => (i === k ? changed : c));
        const a = synth(choices);
        const b = synth(after);
        const body = (r: ReturnType<typeof synth>, d: string) => r.served.get(d)!;
        fc.pre(body(a, DOMAINS[k]) !== body(b, DOMAINS[k]));
        for (const [i, d] of DOMAINS.entries()) {
          // Every id is the hash of the body served for its domain
          expect(a.ids.get(d)).toBe(MtaSts.policyId(body(a, d)));
          expect(b.ids.get(d)).toBe(MtaSts.policyId(body(b, d)));
          // The changed domain's id changes; no other domain's id or body does
          expect(a.ids.get(d) !== b.ids.get(d)).toBe(i === k);
          expect(body(a, d) !== body(b, d)).toBe(i === k);
        }
        // AND in the department's stack only that TXT record changes; in the host's, only the
        // function's code and the distribution's comment (its policies' version)
        const changedIds = (x: Record<string, any>, y: Record<string, any>) =>
          Object.keys({ ...x, ...y }).filter((id) => JSON.stringify(x[id]) !== JSON.stringify(y[id])).map((id) => id.replace(/[0-9A-F]{8}$/, ''));
        expect(changedIds(a.dept, b.dept)).toEqual([`Domain${k}MtaSts`]);
        expect(changedIds(a.host, b.host)).toEqual(['MtaStsShard1Function', 'MtaStsShard1Distribution']);
      },
    ), { numRuns: 25 });
  }, 120000);

  test('placement depends only on order: a domain\'s distribution is its place divided by the shard size, whatever the others', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 7 }),
      fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), { minLength: 1, maxLength: 30 }),
      fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
      (size, labels, reserved) => {
        const stack = new Stack(new App(), 'Host', { env: { account: '123456789012', region: 'us-east-1' } });
        const host = new MtaStsPolicyHost(stack, 'MtaSts', { domainsPerDistribution: size });
        const policy = MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: 1209600, mx: ['mx.gov.uk'] });
        let place = 0;
        const expected: Array<[string, number]> = [];
        labels.forEach((label, i) => {
          if (reserved[i]) {
            host.reserveSlots(1);
            place++;
          }
          const domain = `${label}.gov.uk`;
          host.addDomain({ domainName: domain, zone: route53.HostedZone.fromHostedZoneAttributes(stack, `Z${i}`, { hostedZoneId: 'Z0123456789', zoneName: domain }), policy, policyId: MtaSts.policyId(policy) });
          expected.push([domain, Math.floor(place / size) + 1]);
          place++;
        });
        const shardOf = (d: string) => Number(/Shard(\d+)\//.exec(`${host.distributionFor(d).node.path}`)![1]);
        expect(expected.map(([d]) => [d, shardOf(d)])).toEqual(expected);
      },
    ), { numRuns: 100 });
  });
});
