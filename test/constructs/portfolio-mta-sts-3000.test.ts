/**
 * One DomainPortfolio of 3,000 receiving domains: their MTA-STS policies on 30 distributions of
 * 100 (the rule's overflow pinned to the distributions with room, as the synth error asks), over
 * 10 us-east-1 stacks. Three portfolios of 3,000 are built, once for the whole file: the estate,
 * the same estate again (the output is deterministic), and the estate reordered with one domain
 * removed and one added (no other domain moves).
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { DomainPortfolio, PortfolioDomain } from '../../src/constructs/domain-portfolio';
import { policiesInPolicyHostCode } from '../../src/records/private/mta-sts-host-code';
import { Sender } from '../../src/senders/sender';
import { TemplateLinter } from '../util/cfn-lint';
import { zoneIdFor } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 300000);

const ENV = { account: '111111111111', region: 'eu-west-2' };
const M365 = Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' });
const COUNT = 3000;
const DISTRIBUTIONS = 30;
/** The smallest shardCount that fits 3,000 receiving domains of 7 resources in 400 a stack (the synth error names it). */
const SHARDS = 68;

const nameOf = (i: number) => `r${String(i).padStart(4, '0')}.gov.uk`;

/**
 * Pins for the domains the rule would put on a full distribution: in each distribution over 100,
 * those after the first 100 (in name order) go to the distributions with room, lowest first. An
 * operator does this once, before the first deployment, as `MTASTS-HOST-SHARD-SIZE` says.
 */
function pinsFor(names: string[]): Map<string, number> {
  const bins = new Map<number, string[]>();
  for (const n of [...names].sort()) {
    const d = DomainPortfolio.mtaStsDistributionOf(n, DISTRIBUTIONS);
    bins.set(d, [...(bins.get(d) ?? []), n]);
  }
  const over = [...bins.values()].flatMap((b) => b.slice(100));
  const pins = new Map<string, number>();
  for (let d = 1; d <= DISTRIBUTIONS && over.length > 0; d++) {
    for (let free = 100 - Math.min(100, bins.get(d)?.length ?? 0); free > 0 && over.length > 0; free--) pins.set(over.shift()!, d);
  }
  return pins;
}

function receiving(name: string, distribution?: number): PortfolioDomain {
  return PortfolioDomain.sending({
    domainName: name,
    hostedZoneId: zoneIdFor(name),
    senders: [M365],
    dmarc: { reportTo: ['mailto:dmarc@dept.gov.uk'] },
    tlsReportTo: ['mailto:tls@dept.gov.uk'],
    mtaSts: distribution === undefined ? undefined : { distribution },
  });
}

/** What the assembly says of each receiving domain: its host stack, alias group, distribution, certificate, function and policy there. */
interface Placement {
  readonly hostStack: string;
  readonly aliasGroup: string;
  readonly distribution: string;
  readonly certificate: string;
  readonly fn: string;
  readonly body: string;
}

function placements(stacks: CloudFormationStackArtifact[]): Map<string, Placement> {
  const out = new Map<string, Placement>();
  for (const s of stacks) {
    const resources: Record<string, any> = s.template.Resources;
    const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
    for (const [groupId, group] of byType('AWS::Route53::RecordSetGroup')) {
      const domain = String(group.Properties.RecordSets[0].Name).replace(/^mta-sts\.|\.$/g, '');
      const distribution = group.Properties.RecordSets[0].AliasTarget.DNSName['Fn::GetAtt'][0];
      const config = resources[distribution].Properties.DistributionConfig;
      const fn = config.DefaultCacheBehavior.FunctionAssociations[0].FunctionARN['Fn::GetAtt'][0];
      const body = policiesInPolicyHostCode(resources[fn].Properties.FunctionCode)!.find((p) => p.domain === domain)?.body ?? '';
      const certificate = config.ViewerCertificate.AcmCertificateArn.Ref;
      out.set(domain, { hostStack: s.stackName, aliasGroup: groupId, distribution, certificate, fn, body });
    }
  }
  return out;
}

/** A domain's construct: its stack and the logical id of each of its resources. */
function domainRecords(p: DomainPortfolio, name: string): string[] {
  const d: IConstruct = p.sendingDomain(name);
  const stack = Stack.of(d);
  return [stack.stackName, ...d.node.findAll().filter((c) => CfnResource.isCfnResource(c)).map((c) => stack.getLogicalId(c as CfnResource))];
}

function estate(names: string[], pins: Map<string, number>) {
  const app = new App();
  const p = new DomainPortfolio(app, 'Estate', {
    env: ENV,
    shardCount: SHARDS,
    mtaStsDistributionCount: DISTRIBUTIONS,
    domains: names.map((n) => receiving(n, pins.get(n))),
  });
  const assembly = app.synth();
  const hostStacks = p.mtaStsStacks.map((s) => assembly.getStackByName(s.stackName));
  return { p, assembly, hostStacks, placed: placements(hostStacks) };
}

describe('DomainPortfolio: 3,000 receiving domains, one portfolio', () => {
  const names = Array.from({ length: COUNT }, (_, i) => nameOf(i + 1));
  const pins = pinsFor(names);
  const first = estate(names, pins);
  // One domain removed (one of a full distribution) and one added, pinned to the place it leaves, the list reversed.
  const removed = nameOf(1234);
  const added = 'r9999.gov.uk';
  const changedNames = [...names.filter((n) => n !== removed), added].reverse();
  const changedPins = new Map(pins);
  changedPins.set(added, first.p.mtaStsDistributionFor(removed));
  const changed = estate(changedNames, changedPins);

  test('30 distributions of 100 domains, 3 in each of 10 us-east-1 stacks; the first keeps the name <prefix>-MtaSts', () => {
    expect(pins.size).toBeGreaterThan(0);
    expect(first.p.mtaStsStacks.map((s) => s.stackName)).toEqual(['Estate-MtaSts', ...Array.from({ length: 9 }, (_, i) => `Estate-MtaSts${String(i + 2).padStart(2, '0')}`)]);
    expect(first.p.mtaStsStacks.every((s) => s.region === 'us-east-1' && s.account === ENV.account)).toBe(true);
    expect(first.p.mtaStsHost!.distributions).toHaveLength(30);
    for (const s of first.hostStacks) {
      const distributions = Object.values(s.template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::CloudFront::Distribution');
      expect(distributions.map((d) => d.Properties.DistributionConfig.Aliases.length)).toEqual([100, 100, 100]);
    }
    expect(first.placed.size).toBe(COUNT);
    for (const n of names) expect(first.placed.get(n)!.body).toBe(first.p.sendingDomain(n).mtaStsPolicy);
  });

  test('every stack within 400 resources and 1 MB of template; the host stacks 309 resources each; no export, no cross-stack reference', () => {
    for (const s of first.assembly.stacks) {
      const resources = Object.keys(s.template.Resources);
      expect([s.stackName, resources.length <= 400]).toEqual([s.stackName, true]);
      expect([s.stackName, JSON.stringify(s.template, undefined, 1).length < 1024 * 1024]).toEqual([s.stackName, true]);
      expect([s.stackName, s.template.Outputs]).toEqual([s.stackName, undefined]);
      expect(JSON.stringify(s.template)).not.toContain('Fn::ImportValue');
    }
    expect(first.hostStacks.map((s) => Object.keys(s.template.Resources).length)).toEqual(Array(10).fill(309));
    // The templates cfn-lint checks: three host stacks (all alike but for their domains), and two of the domains' stacks
    for (const s of [...first.hostStacks.filter((_, i) => i % 4 === 0), ...first.assembly.stacks.filter((x) => x.stackName.startsWith('Estate-Shard')).slice(0, 2)]) {
      lint.add(`portfolio3000-${s.stackName}`, s.template);
    }
  });

  test('each domain\'s stack waits for the host stacks that serve its domains, and for no other', () => {
    for (const shard of first.p.stacks) {
      const served = new Set<Stack>();
      const domains = first.p.domainNames.filter((n) => first.p.stackFor(n) === shard);
      for (const d of domains) served.add(first.p.mtaStsStacks.find((s) => s.stackName === first.placed.get(d)!.hostStack)!);
      const deps = first.assembly.getStackByName(shard.stackName).dependencies.map((x) => x.id).filter((id) => !id.endsWith('.assets')).sort();
      expect(deps).toEqual([...served].map((s) => s.artifactId).sort());
    }
  });

  test('deterministic: the same estate synthesised twice gives the same templates (300 of the domains, over the same 30 distributions)', () => {
    // The 3,000 are compared across two synths below, all but the distribution that changes; a
    // whole estate twice over, at a tenth of the size, costs a tenth of the time.
    const some = names.slice(0, 300);
    const once = estate(some, new Map());
    const again = estate(some, new Map());
    expect(once.hostStacks.length).toBeGreaterThan(1);
    expect(again.assembly.stacks.map((s) => s.stackName)).toEqual(once.assembly.stacks.map((s) => s.stackName));
    for (const s of once.assembly.stacks) {
      expect(JSON.stringify(again.assembly.getStackByName(s.stackName).template)).toBe(JSON.stringify(s.template));
    }
  });

  test('one domain removed, one added and the list reversed: no other domain moves (stack, logical ids, distribution, certificate, function entry)', () => {
    let compared = 0;
    for (const n of names.filter((x) => x !== removed)) {
      expect([n, changed.placed.get(n)]).toEqual([n, first.placed.get(n)]);
      expect(changed.p.mtaStsDistributionFor(n)).toBe(first.p.mtaStsDistributionFor(n));
      expect(domainRecords(changed.p, n)).toEqual(domainRecords(first.p, n));
      compared++;
    }
    expect(compared).toBe(COUNT - 1);
    // The new domain took the removed one's place; its distribution still serves 100
    expect(changed.placed.get(added)!.distribution).toBe(first.placed.get(removed)!.distribution);
    expect(changed.placed.has(removed)).toBe(false);
    expect(changed.p.mtaStsHost!.distributions).toHaveLength(30);
    // Only the distribution that changed domains has a new certificate, function code and aliases: the others' resources are identical
    const touched = first.placed.get(removed)!;
    for (const s of first.hostStacks) {
      const after = changed.assembly.getStackByName(s.stackName).template.Resources;
      for (const [id, r] of Object.entries(s.template.Resources as Record<string, any>)) {
        if (s.stackName === touched.hostStack && [touched.distribution, touched.certificate, touched.fn, touched.aliasGroup].includes(id)) continue;
        expect([id, after[id]]).toEqual([id, r]);
      }
    }
  });
});
