import { createHash } from 'node:crypto';
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DomainPortfolio, DomainPortfolioProps, PortfolioDomain, PortfolioDomainKind } from '../../src/constructs/domain-portfolio';
import { GovEmailDomain } from '../../src/constructs/gov-email-domain';
import { ParkedDomain } from '../../src/constructs/parked-domain';
import { MtaStsMode } from '../../src/records/mta-sts';
import { Sender } from '../../src/senders/sender';
import { TemplateLinter } from '../util/cfn-lint';
import { zoneIdFor } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 180000);
let linted = 0;
/** The stack's template, remembered for cfn-lint under a name of its own (stack paths repeat across tests). */
function lintTemplate(stack: Stack): Template {
  const template = Template.fromStack(stack);
  lint.add(`t${++linted}-${stack.stackName}`, template.toJSON());
  return template;
}

const ENV = { account: '111111111111', region: 'eu-west-2' };
const REPORT = 'mailto:dmarc-reports@dept.gov.uk';

/** N parked domains, each the apex of its own zone. */
function parkedDomains(n: number, start: number = 1): PortfolioDomain[] {
  return Array.from({ length: n }, (_, i) => PortfolioDomain.parked({
    domainName: `parked-${String(start + i).padStart(4, '0')}.gov.uk`,
    hostedZoneId: `Z0PARKED${String(start + i).padStart(12, '0')}`,
  }));
}

/** The department's main domain: SES, Microsoft 365 (receives mail) and GOV.UK Notify. */
function deptDomain(extra: Partial<{ mode: MtaStsMode; publish: boolean }> = {}): PortfolioDomain {
  return PortfolioDomain.sending({
    domainName: 'dept.gov.uk',
    hostedZoneId: 'Z0DEPT00000000000001',
    senders: [Sender.amazonSes(), Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' }), Sender.govUkNotify()],
    dmarc: { reportTo: [REPORT] },
    tlsReportTo: ['mailto:tls-reports@dept.gov.uk'],
    mtaSts: { mode: extra.mode ?? MtaStsMode.ENFORCE, publish: extra.publish },
  });
}

/** A service on a subdomain of the department's zone that sends through SES only. */
function notifyDomain(): PortfolioDomain {
  return PortfolioDomain.sending({
    domainName: 'notify.dept.gov.uk',
    hostedZoneId: 'Z0DEPT00000000000001',
    zoneName: 'dept.gov.uk',
    senders: [Sender.amazonSes()],
    dmarc: { reportTo: [REPORT] },
  });
}

function portfolio(props: Partial<DomainPortfolioProps> = {}, app: App = new App()) {
  const p = new DomainPortfolio(app, 'Estate', { env: ENV, dmarcReportTo: [REPORT], domains: [], ...props });
  return { app, p };
}

const resourceCount = (stack: Stack) => Object.keys(Template.fromStack(stack).toJSON().Resources ?? {}).length;
const templateBytes = (stack: Stack) => JSON.stringify(Template.fromStack(stack).toJSON(), undefined, 1).length;
const logicalIdOf = (stack: Stack, type: string, comment?: string) => Object.entries(Template.fromStack(stack).findResources(type))
  .filter(([, r]) => comment === undefined || r.Properties.Comment === comment).map(([id]) => id);

describe('DomainPortfolio: the sharding rule', () => {
  test('a domain goes to stack (first 4 bytes of SHA-256 of its name, big-endian) mod shardCount + 1', () => {
    // GIVEN the rule written out with nothing but a SHA-256
    const byHand = (name: string, n: number) => createHash('sha256').update(name).digest().readUInt32BE(0) % n + 1;
    // THEN shardOf gives the same, for names written in any case and with a trailing dot
    for (const name of ['dept.gov.uk', 'old-dept.gov.uk', 'parked-0001.gov.uk', 'notify.dept.gov.uk']) {
      for (const n of [1, 2, 4, 10, 16, 100]) {
        expect(DomainPortfolio.shardOf(name, n)).toBe(byHand(name, n));
        expect(DomainPortfolio.shardOf(`${name.toUpperCase()}.`, n)).toBe(byHand(name, n));
      }
    }
    // AND the values are fixed: they are public API (a change would move deployed domains)
    expect(['dept.gov.uk', 'old-dept.gov.uk', 'dept-campaign.gov.uk', 'parked-0001.gov.uk'].map((d) => DomainPortfolio.shardOf(d, 4))).toEqual([2, 2, 4, 3]);
    expect(['dept.gov.uk', 'old-dept.gov.uk', 'dept-campaign.gov.uk', 'parked-0001.gov.uk'].map((d) => DomainPortfolio.shardOf(d, 10))).toEqual([8, 2, 4, 3]);
  });

  test('adding domains, removing them or reordering the list never moves a domain, and its logical id is the same in any portfolio', () => {
    // GIVEN a portfolio of 60 domains, and the same with 40 more, some removed and the list reversed
    const before = portfolio({ domains: parkedDomains(60) }).p;
    const after = portfolio({ domains: [...parkedDomains(40, 61), ...parkedDomains(50, 11)].reverse() }).p;
    // THEN every domain in both is in the same stack, under the same logical id
    for (const name of after.domainNames.filter((d) => before.domainNames.includes(d))) {
      expect(after.stackFor(name).stackName).toBe(before.stackFor(name).stackName);
      expect(Stack.of(after.parkedDomain(name).recordSetGroup).getLogicalId(after.parkedDomain(name).recordSetGroup))
        .toBe(Stack.of(before.parkedDomain(name).recordSetGroup).getLogicalId(before.parkedDomain(name).recordSetGroup));
    }
    expect(before.stackFor('parked-0011.gov.uk').stackName).toBe(`Estate-Shard0${DomainPortfolio.shardOf('parked-0011.gov.uk', 4)}`);
  });

  test('the logical id of a domain\'s record set group comes from its name only', () => {
    const { p } = portfolio({ domains: parkedDomains(1) });
    const stack = p.stackFor('parked-0001.gov.uk');
    expect(logicalIdOf(stack, 'AWS::Route53::RecordSetGroup')).toEqual(['parked0001govuk1FF44155']);
  });

  test('a pinned domain goes to the stack it names, above shardCount too', () => {
    // GIVEN one domain pinned to stack 1 and one to stack 7 of a 4-stack portfolio
    const { p } = portfolio({
      domains: [
        PortfolioDomain.parked({ domainName: 'old-dept.gov.uk', hostedZoneId: 'Z0OLD', stack: 1 }),
        PortfolioDomain.parked({ domainName: 'dept-campaign.gov.uk', hostedZoneId: 'Z0CAMPAIGN', stack: 7 }),
      ],
    });
    // THEN each is where it was pinned, and only those two stacks exist
    expect(DomainPortfolio.shardOf('old-dept.gov.uk', 4)).toBe(2);
    expect(p.stackFor('old-dept.gov.uk').stackName).toBe('Estate-Shard01');
    expect(p.stackFor('dept-campaign.gov.uk').stackName).toBe('Estate-Shard07');
    expect(p.stacks.map((s) => s.stackName)).toEqual(['Estate-Shard01', 'Estate-Shard07']);
  });
});

describe('DomainPortfolio: stacks', () => {
  test('600 parked domains in 2 stacks: each within 400 resources and far under the 1 MB template limit, every record of every domain there', () => {
    // GIVEN 600 parked domains over 2 stacks
    const { p } = portfolio({ shardCount: 2, domains: parkedDomains(600) });
    // THEN the 2 stacks hold all 600 record set groups, one resource a domain, nothing else
    expect(p.stacks.map((s) => s.stackName)).toEqual(['Estate-Shard01', 'Estate-Shard02']);
    const counts = p.stacks.map(resourceCount);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(600 * ParkedDomain.RESOURCES_PER_DOMAIN);
    expect(counts).toEqual([296, 304]);
    for (const stack of p.stacks) {
      const template = lintTemplate(stack);
      expect(Object.keys(template.findResources('AWS::Route53::RecordSetGroup'))).toHaveLength(resourceCount(stack));
      // About 1.1 KB a parked domain: 400 domains would be about 450 KB, under half the 1 MB limit.
      expect(templateBytes(stack)).toBeLessThan(resourceCount(stack) * 1200);
    }
    expect(p.mtaStsStack).toBeUndefined();
    expect(p.stackFor('parked-0001.gov.uk').account).toBe('111111111111');
    expect(p.stackFor('parked-0001.gov.uk').region).toBe('eu-west-2');
  });

  test('a parked domain publishes what ParkedDomain publishes, in its zone, with the portfolio\'s report address unless it gives its own', () => {
    const { p } = portfolio({
      domains: [
        PortfolioDomain.parked({ domainName: 'old-dept.gov.uk', hostedZoneId: 'Z0OLD' }),
        PortfolioDomain.parked({
          domainName: 'campaign.dept.gov.uk',
          hostedZoneId: 'Z0DEPT00000000000001',
          zoneName: 'dept.gov.uk',
          dmarcReportTo: ['mailto:campaign-dmarc@dept.gov.uk'],
          caa: false,
          ttl: Duration.minutes(5),
        }),
      ],
    });
    const old = Template.fromStack(p.stackFor('old-dept.gov.uk'));
    old.hasResourceProperties('AWS::Route53::RecordSetGroup', {
      HostedZoneId: 'Z0OLD',
      RecordSets: Match.arrayWith([
        { Name: '_dmarc.old-dept.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: [`"v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=${REPORT}"`] },
      ]),
    });
    const campaign = Template.fromStack(p.stackFor('campaign.dept.gov.uk')).findResources('AWS::Route53::RecordSetGroup', {
      Properties: { HostedZoneId: 'Z0DEPT00000000000001' },
    });
    const sets = Object.values(campaign)[0].Properties.RecordSets;
    expect(sets.map((r: any) => `${r.Name} ${r.Type} ${r.TTL}`)).toEqual([
      'campaign.dept.gov.uk. TXT 300', 'campaign.dept.gov.uk. MX 300', '_dmarc.campaign.dept.gov.uk. TXT 300', '*._domainkey.campaign.dept.gov.uk. TXT 300',
    ]);
    expect(sets[2].ResourceRecords[0]).toContain('rua=mailto:campaign-dmarc@dept.gov.uk');
    expect(p.parkedDomain('OLD-DEPT.gov.uk.')).toBeInstanceOf(ParkedDomain);
  });

  test('a sending domain that receives mail gets its MTA-STS policy from a host in a us-east-1 stack of the same account, deployed first', () => {
    // GIVEN a department domain (Microsoft 365 receives its mail), an SES-only subdomain and parked domains
    const { app, p } = portfolio({ domains: [deptDomain({ mode: MtaStsMode.TESTING }), notifyDomain(), ...parkedDomains(3)] });
    // THEN the host stack is in us-east-1 in the department's account, and serves dept.gov.uk only
    expect(p.mtaStsStack!.stackName).toBe('Estate-MtaSts');
    expect(p.mtaStsStack!.region).toBe('us-east-1');
    expect(p.mtaStsStack!.account).toBe('111111111111');
    expect(p.mtaStsHost!.domainNames).toEqual(['dept.gov.uk']);
    const host = lintTemplate(p.mtaStsStack!);
    host.resourceCountIs('AWS::CloudFront::Distribution', 1);
    host.hasResourceProperties('AWS::Route53::RecordSetGroup', {
      HostedZoneId: 'Z0DEPT00000000000001',
      RecordSets: [Match.objectLike({ Name: 'mta-sts.dept.gov.uk.', Type: 'A' }), Match.objectLike({ Name: 'mta-sts.dept.gov.uk.', Type: 'AAAA' })],
    });
    // AND the department's stack publishes the _mta-sts id after the host's stack is deployed
    const deptStack = p.stackFor('dept.gov.uk');
    const dept = lintTemplate(deptStack);
    dept.hasResourceProperties('AWS::Route53::RecordSet', { Name: '_mta-sts.dept.gov.uk.', Type: 'TXT' });
    expect(p.sendingDomain('dept.gov.uk').mtaStsPolicy).toContain('mode: testing');
    const assembly = app.synth();
    expect(assembly.getStackByName(deptStack.stackName).dependencies.map((d) => d.id)).toContain(p.mtaStsStack!.artifactId);
    // AND the SES-only subdomain (no MX) has no MTA-STS, and is a GovEmailDomain in its own stack
    expect(p.sendingDomain('notify.dept.gov.uk')).toBeInstanceOf(GovEmailDomain);
    expect(p.sendingDomain('notify.dept.gov.uk').mtaStsRecord).toBeUndefined();
    lintTemplate(p.stackFor('notify.dept.gov.uk')).hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'notify.dept.gov.uk' });
  });

  test('a sending domain can leave MTA-STS out, with the warning, and then no host stack is made', () => {
    const { p } = portfolio({ domains: [deptDomain({ publish: false })] });
    expect(p.mtaStsStack).toBeUndefined();
    expect(p.mtaStsHost).toBeUndefined();
    const warnings = Annotations.fromStack(p.stackFor('dept.gov.uk')).findWarning('*', Match.stringLikeRegexp('GOVUK-MTASTS-MISSING'));
    expect(warnings).toHaveLength(1);
  });

  test('resources per domain: a parked domain is 1; the department domain (SES, Microsoft 365, Notify, MTA-STS) and its host records', () => {
    const { p } = portfolio({ domains: [deptDomain(), notifyDomain(), ...parkedDomains(1)] });
    const count = (c: { node: { findAll(): any[] } }) => c.node.findAll().filter((x) => x.cfnResourceType !== undefined).length;
    expect(count(p.parkedDomain('parked-0001.gov.uk'))).toBe(1);
    expect(count(p.sendingDomain('dept.gov.uk'))).toBe(14);
    expect(count(p.sendingDomain('notify.dept.gov.uk'))).toBe(9);
    expect(resourceCount(p.mtaStsStack!)).toBe(4);
  });

  test('in a Stage, the stacks are named after the stage and are in its assembly', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const p = new DomainPortfolio(stage, 'Estate', { dmarcReportTo: [REPORT], domains: [deptDomain(), ...parkedDomains(2)] });
    expect(p.stacks.map((s) => s.stackName)).toEqual(['Prod-Estate-Shard02', 'Prod-Estate-Shard03']);
    expect(p.mtaStsStack!.stackName).toBe('Prod-Estate-MtaSts');
    // Environment-agnostic domain stacks; the host stack still in us-east-1
    expect(p.mtaStsStack!.region).toBe('us-east-1');
    expect(Stack.of(p.sendingDomain('dept.gov.uk')).stackName).toBe('Prod-Estate-Shard02');
    const names = app.synth().nestedAssemblies.flatMap((a) => a.nestedAssembly.stacks.map((s) => s.stackName)).sort();
    expect(names).toEqual(['Prod-Estate-MtaSts', 'Prod-Estate-Shard02', 'Prod-Estate-Shard03']);
  });

  test('a stackNamePrefix names the stacks', () => {
    const { p } = portfolio({ stackNamePrefix: 'DeptParked', domains: parkedDomains(1) });
    expect(p.stacks.map((s) => s.stackName)).toEqual(['DeptParked-Shard03']);
  });

  test('no stack traces are recorded for the portfolio\'s constructs unless the app asks', () => {
    const { p } = portfolio({ domains: parkedDomains(1) });
    const group = p.parkedDomain('parked-0001.gov.uk').recordSetGroup;
    const traces = (c: { node: Stack['node'] }) => c.node.metadata.filter((m) => m.type === 'aws:cdk:creationStack' || m.trace !== undefined);
    expect(traces(group)).toEqual([]);
    const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': false, 'aws:cdk:disable-stack-trace': false } });
    const traced = portfolio({ domains: parkedDomains(1) }, app).p;
    expect(traces(traced.parkedDomain('parked-0001.gov.uk').recordSetGroup)).toHaveLength(1);
  });

  test('snapshot: the department, its SES subdomain and two parked domains', () => {
    const { app } = portfolio({
      domains: [
        deptDomain({ mode: MtaStsMode.TESTING }),
        notifyDomain(),
        PortfolioDomain.parked({ domainName: 'old-dept.gov.uk', hostedZoneId: 'Z0DEPT00000000000002' }),
        PortfolioDomain.parked({ domainName: 'dept-campaign.gov.uk', hostedZoneId: 'Z0DEPT00000000000003' }),
      ],
    });
    const assembly = app.synth();
    const templates = Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template])
      .sort(([a], [b]) => String(a).localeCompare(String(b))));
    expect(Object.keys(templates)).toEqual(['Estate-MtaSts', 'Estate-Shard01', 'Estate-Shard02', 'Estate-Shard04']);
    expect(JSON.parse(JSON.stringify(templates).replace(/[0-9a-f]{64}/g, '<hash>'))).toMatchSnapshot();
  });
});

describe('DomainPortfolio: bad input fails synth, naming the path, the rule, the value and what is allowed', () => {
  test('inside a stack', () => {
    const stack = new Stack(new App(), 'Dns');
    expect(() => new DomainPortfolio(stack, 'Estate', { domains: [] })).toThrow(
      'Dns/Estate: [PORTFOLIO-SCOPE] A DomainPortfolio creates its own stacks, so it is created in an App or a Stage, never inside a Stack. '
      + 'Got: "a scope inside the stack Dns". Allowed: an App or a Stage: new DomainPortfolio(app, id, props).');
  });

  test.each([0, 101, 2.5])('shardCount %p', (shardCount) => {
    expect(() => portfolio({ shardCount })).toThrow(
      `Estate: [PORTFOLIO-SHARD-COUNT] A portfolio spreads its domains over a fixed number of stacks (shardCount, 1 to 100), chosen once: changing it moves domains between stacks. Got: ${shardCount}. Allowed: a whole number from 1 to 100 known at synth.`);
  });

  test.each([0, 501])('maxResourcesPerStack %p', (maxResourcesPerStack) => {
    expect(() => portfolio({ maxResourcesPerStack })).toThrow(
      `Got: ${maxResourcesPerStack}. Allowed: maxResourcesPerStack as a whole number from 1 to 500 (CloudFormation's quota per stack).`);
  });

  test('a stack over maxResourcesPerStack: what to do, with the shardCount that fits and the stacks with room', () => {
    expect(() => portfolio({ shardCount: 2, maxResourcesPerStack: 40, domains: parkedDomains(70) })).toThrow(
      'Estate: [PORTFOLIO-STACK-RESOURCES] Each stack of a portfolio holds at most maxResourcesPerStack resources (default 400), well under CloudFormation\'s 500 resources per stack, which also keeps its template far below the 1 MB limit for templates uploaded through S3. '
      + 'Got: "stack 2 (Estate-Shard02) with 41 resources for 41 domains". Allowed: at most 40 resources a stack (maxResourcesPerStack). Before the first deployment, raise shardCount to 3 or more (it moves domains between stacks). '
      + 'Once deployed, pin the domains added since with `stack` to a stack with room (1 (11 free)) or to a new stack number above 2.');
  });

  test('the same domain twice', () => {
    expect(() => portfolio({ domains: [...parkedDomains(1), PortfolioDomain.parked({ domainName: 'Parked-0001.gov.uk.', hostedZoneId: 'Z0OTHER' })] })).toThrow(
      'Estate: [ROUTE53-RECORD-CONFLICT] One construct publishes each name and type in a hosted zone: Route 53 holds one record set per name and type, and a CNAME alone at its name. '
      + 'Got: "Parked-0001.gov.uk.". Allowed: each domain once in a portfolio: "parked-0001.gov.uk" is given twice.');
  });

  test('one zone id with two zone names', () => {
    expect(() => portfolio({ domains: [notifyDomain(), PortfolioDomain.parked({ domainName: 'old.dept.gov.uk', hostedZoneId: 'Z0DEPT00000000000001', zoneName: 'old.dept.gov.uk' })] })).toThrow(
      'Estate: [PORTFOLIO-ZONE-NAME] A hosted zone id names one zone: every domain given the same hostedZoneId gives the same zoneName. '
      + 'Got: "old.dept.gov.uk for old.dept.gov.uk". Allowed: "dept.gov.uk", the zoneName given with hostedZoneId Z0DEPT00000000000001 before.');
  });

  test.each([0, 1000, 1.5])('a domain pinned to stack %p', (stack) => {
    expect(() => portfolio({ domains: [PortfolioDomain.parked({ domainName: 'old-dept.gov.uk', hostedZoneId: 'Z0OLD', stack })] })).toThrow(
      `Estate: [PORTFOLIO-STACK-PIN] A domain pinned to a stack names it by number, a whole number from 1 to 999. Got: "stack ${stack} for old-dept.gov.uk". Allowed: a whole number from 1 to 999, or no stack to let the sharding rule choose (it gives 2).`);
  });

  test('a parked domain with no report address, in a portfolio without one', () => {
    expect(() => new DomainPortfolio(new App(), 'Estate', { domains: parkedDomains(1) })).toThrow(
      'Estate: [PORTFOLIO-DOMAIN-OPTIONS] A parked domain publishes DMARC with aggregate reports, so it needs a report destination. '
      + 'Got: "parked-0001.gov.uk". Allowed: a parked domain with dmarcReportTo, or a portfolio whose dmarcReportTo gives the report destinations of its parked domains.');
  });

  test('a domain name that is not one', () => {
    expect(() => portfolio({ domains: [PortfolioDomain.parked({ domainName: 'old_dept.gov.uk', hostedZoneId: 'Z0OLD' })] })).toThrow(
      'Estate: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. '
      + 'Got: "old_dept.gov.uk". Allowed: a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all).');
  });

  test('a hosted zone id given as an ARN path', () => {
    expect(() => portfolio({ domains: [PortfolioDomain.parked({ domainName: 'old-dept.gov.uk', hostedZoneId: '/hostedzone/Z0OLD' })] })).toThrow(
      'Got: "/hostedzone/Z0OLD". Allowed: the id of old-dept.gov.uk\'s hosted zone, such as "Z0123456789ABCDEFGHIJ" (letters and digits, without "/hostedzone/").');
  });

  test('a domain outside its zone fails in the domain\'s own construct, with its path', () => {
    expect(() => portfolio({ domains: [PortfolioDomain.parked({ domainName: 'old-dept.gov.uk', hostedZoneId: 'Z0DEPT', zoneName: 'dept.gov.uk' })] })).toThrow(
      /^Estate\/Shard02\/old-dept\.gov\.uk: \[ROUTE53-NAME-OUTSIDE-ZONE\] .* Got: "old-dept\.gov\.uk"\. Allowed: "dept\.gov\.uk" or a name ending in "\.dept\.gov\.uk"\.$/);
  });

  test('something other than a PortfolioDomain', () => {
    expect(() => portfolio({ domains: [{ domainName: 'old-dept.gov.uk' } as any] })).toThrow(
      'Estate: [PORTFOLIO-DOMAIN-OPTIONS] Each domain of a portfolio is made with PortfolioDomain.parked() or PortfolioDomain.sending(), with its domain name and hosted zone id known at synth. '
      + 'Got: {"domainName":"old-dept.gov.uk"}. Allowed: PortfolioDomain.parked({ domainName, hostedZoneId, ... }) or PortfolioDomain.sending({ domainName, hostedZoneId, senders, dmarc, ... }).');
  });

  test('asking for a domain that is not there, or of the other kind', () => {
    const { p } = portfolio({ domains: [deptDomain(), ...parkedDomains(1)] });
    expect(() => p.stackFor('nope.gov.uk')).toThrow('Estate: "nope.gov.uk" is not a domain of this portfolio.');
    expect(() => p.parkedDomain('dept.gov.uk')).toThrow('Estate: "dept.gov.uk" is a sending domain of this portfolio; use sendingDomain().');
    expect(() => p.sendingDomain('parked-0001.gov.uk')).toThrow('Estate: "parked-0001.gov.uk" is a parked domain of this portfolio; use parkedDomain().');
    expect(PortfolioDomain.parked({ domainName: 'a.gov.uk', hostedZoneId: 'Z1' }).kind).toBe(PortfolioDomainKind.PARKED);
  });
});

describe('DomainPortfolio: the MTA-STS host over several us-east-1 stacks', () => {
  const M365 = Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' });
  const receiving = (name: string, distribution?: number) => PortfolioDomain.sending({
    domainName: name,
    hostedZoneId: zoneIdFor(name),
    senders: [M365],
    dmarc: { reportTo: [REPORT] },
    tlsReportTo: ['mailto:tls-reports@dept.gov.uk'],
    mtaSts: distribution === undefined ? undefined : { distribution },
  });
  const names = Array.from({ length: 12 }, (_, i) => `r${i + 1}.gov.uk`);

  test('each receiving domain on the distribution its name gives (bytes 4 to 7 of its SHA-256), or its pin; distribution 4 in MtaSts02', () => {
    // GIVEN 12 receiving domains over 3 distributions, and one pinned to distribution 4
    const domains = [...names.map((n) => receiving(n)), receiving('pinned.gov.uk', 4)];
    const { app, p } = portfolio({ mtaStsDistributionCount: 3, mtaStsHost: { domainsPerDistribution: 10 }, domains });
    // THEN the rule, written out with nothing but a SHA-256, gives each its distribution
    const byHand = (name: string, n: number) => createHash('sha256').update(name).digest().readUInt32BE(4) % n + 1;
    for (const n of names) expect(p.mtaStsDistributionFor(n)).toBe(byHand(n, 3));
    expect(names.map((n) => DomainPortfolio.mtaStsDistributionOf(n, 3))).toEqual([3, 1, 3, 1, 3, 2, 1, 3, 3, 2, 1, 2]);
    expect(p.mtaStsDistributionFor('pinned.gov.uk')).toBe(4);
    // AND distributions 1-3 are in Estate-MtaSts, distribution 4 and its alias records in Estate-MtaSts02, both in us-east-1
    expect(p.mtaStsStacks.map((s) => `${s.stackName} ${s.region}`)).toEqual(['Estate-MtaSts us-east-1', 'Estate-MtaSts02 us-east-1']);
    expect(p.mtaStsHost!.stacks).toEqual(p.mtaStsStacks);
    const second = lintTemplate(p.mtaStsStacks[1]);
    expect(Object.keys(second.toJSON().Resources).map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'PolicyHostAliasespinnedgovuk', 'PolicyHostShard4Certificate', 'PolicyHostShard4Distribution', 'PolicyHostShard4Function',
    ]);
    const first = lintTemplate(p.mtaStsStacks[0]);
    first.resourceCountIs('AWS::CloudFront::Distribution', 3);
    first.resourceCountIs('AWS::Route53::RecordSetGroup', 12);
    // AND the pinned domain's stack waits for Estate-MtaSts02, with no export anywhere
    const assembly = app.synth();
    expect(assembly.getStackByName(p.stackFor('pinned.gov.uk').stackName).dependencies.map((d) => d.id)).toContain(p.mtaStsStacks[1].artifactId);
    for (const s of assembly.stacks) expect([s.stackName, s.template.Outputs, JSON.stringify(s.template).includes('Fn::ImportValue')]).toEqual([s.stackName, undefined, false]);
  });

  test('the list reordered: every template the same (within a distribution the domains are in name order)', () => {
    const synth = (list: string[]) => {
      const { app } = portfolio({ mtaStsDistributionCount: 3, mtaStsHost: { domainsPerDistribution: 10 }, domains: list.map((n) => receiving(n)) });
      return app.synth().stacks.map((s) => [s.stackName, s.template]).sort(([a], [b]) => String(a).localeCompare(String(b)));
    };
    expect(synth([...names].reverse())).toEqual(synth(names));
  });

  test('a distribution over domainsPerDistribution: the error names it, the count that fits and the distributions with room', () => {
    const small = { mtaStsDistributionCount: 2, mtaStsHost: { domainsPerDistribution: 4 } };
    const { p } = portfolio({ ...small, domains: names.slice(0, 6).map((n) => receiving(n)) });
    expect(p.mtaStsHost!.distributions).toHaveLength(2);
    expect(() => portfolio({ ...small, domains: names.slice(0, 9).map((n) => receiving(n)) })).toThrow(
      /^Estate: \[MTASTS-HOST-SHARD-SIZE\] .* Got: "distribution 1 with 5 receiving domains \(0 pinned\)"\. Allowed: at most 4 domains a distribution \(domainsPerDistribution\)\. Before the first deployment, raise mtaStsDistributionCount to 4 or more \(it moves domains between distributions\)\. Once deployed, pin 1 of the domains added since \(mtaSts\.distribution\) to a distribution with room \(none\) or to a new distribution number above 2/);
  });

  test('bad counts and pins', () => {
    expect(() => portfolio({ mtaStsDistributionCount: 0 })).toThrow(/^Estate: \[MTASTS-HOST-SHARD-SIZE\] .* Got: "mtaStsDistributionCount 0"\. Allowed: a whole number from 1 to 200/);
    expect(() => portfolio({ domains: [receiving('r1.gov.uk', 1.5)] })).toThrow(
      /^Estate: \[MTASTS-HOST-SHARD-SIZE\] .* Got: "mtaSts\.distribution 1\.5 for r1\.gov\.uk"\. Allowed: a whole number from 1 to 999, or no distribution to let the rule choose \(it gives 1\)/);
  });
});
