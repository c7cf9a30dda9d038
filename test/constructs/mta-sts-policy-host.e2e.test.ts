/**
 * End to end on this machine: a department's domains in eu-west-2 with their policy host in
 * us-east-1 are synthesised; the records of the templates are served by a real DNS server, and
 * the answers of the host's CloudFront Function by a real HTTPS server with a test CA (both on
 * 127.0.0.1, from test/cli/support). Then, as a sending MTA does (RFC 8461 §3.3, §4): look up
 * `_mta-sts.<domain>`, fetch `https://mta-sts.<domain>/.well-known/mta-sts.txt` validating the
 * certificate for that name, without following redirects, and read the policy with the library's
 * own parser; check the id is the body's and every MX host is covered.
 */
import { Resolver } from 'node:dns/promises';
import * as vm from 'node:vm';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { fetchMtaStsPolicy } from '../../src/cli/check/mta-sts-fetch';
import { DomainPortfolio, PortfolioDomain } from '../../src/constructs/domain-portfolio';
import { GovEmailDomain } from '../../src/constructs/gov-email-domain';
import { MtaStsPolicyHost } from '../../src/constructs/mta-sts-policy-host';
import { MtaSts, MtaStsMode } from '../../src/records/mta-sts';
import { Mx } from '../../src/records/mx';
import { policiesInPolicyHostCode } from '../../src/records/private/mta-sts-host-code';
import { TxtChunks } from '../../src/records/txt';
import { Sender } from '../../src/senders/sender';
import { TestCa, hasOpenssl } from '../cli/support/certs';
import { TestDnsServer, TestZone } from '../cli/support/dns-server';
import { TestHttpsServer, TestPolicyHost } from '../cli/support/https-server';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const describeWithOpenssl = hasOpenssl() ? describe : describe.skip;
const ACCOUNT = '123456789012';

/** The department: three domains, three ways of receiving mail, one policy host. */
function department() {
  const app = new App();
  const hostStack = new Stack(app, 'MtaStsHost', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const deptStack = new Stack(app, 'Department', { env: { account: ACCOUNT, region: 'eu-west-2' } });
  const host = new MtaStsPolicyHost(hostStack, 'MtaSts');
  const zone = (name: string, id: string) => route53.HostedZone.fromHostedZoneAttributes(deptStack, `Zone-${name}`, { hostedZoneId: id, zoneName: name });
  const common = (name: string) => ({ dmarc: { reportTo: [`mailto:dmarc@${name}`] }, tlsReportTo: [`mailto:tls@${name}`] });
  const domains = [
    new GovEmailDomain(deptStack, 'Dept', {
      zone: zone('dept.test', 'Z00000000000000000001'),
      senders: [Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' })],
      ...common('dept.test'),
      mtaSts: { host },
    }),
    new GovEmailDomain(deptStack, 'Agency', {
      zone: zone('agency.test', 'Z00000000000000000002'),
      senders: [Sender.googleWorkspace({ legacyMx: true })],
      ...common('agency.test'),
      mtaSts: { host, mode: MtaStsMode.TESTING },
    }),
    new GovEmailDomain(deptStack, 'Lab', {
      zone: zone('lab.dept.test', 'Z00000000000000000003'),
      senders: [Sender.custom({ name: 'On-premises gateway', mx: [{ preference: 10, exchange: 'mx1.lab.dept.test' }, { preference: 20, exchange: 'mx2.lab.dept.test' }] })],
      ...common('lab.dept.test'),
      mtaSts: { host },
    }),
  ];
  return { app, hostStack, deptStack, host, domains };
}

/** A template's record sets (TXT and MX) as the test DNS server holds them. */
function zoneFromTemplate(template: Template): TestZone {
  const zone: Record<string, { TXT?: string[]; MX?: Array<[number, string]> }> = {};
  for (const r of Object.values(template.findResources('AWS::Route53::RecordSet'))) {
    const name = String(r.Properties.Name).replace(/\.$/, '');
    const values: string[] = r.Properties.ResourceRecords;
    const set = (zone[name] ??= {});
    if (r.Properties.Type === 'TXT') set.TXT = values.map((v) => TxtChunks.parse(v));
    if (r.Properties.Type === 'MX') set.MX = values.map((v) => Mx.parse(v)).map((m) => [m.preference, m.exchange.replace(/\.$/, '')] as [number, string]);
  }
  return zone;
}

/** How the host's function answers `GET https://mta-sts.<domain>/.well-known/mta-sts.txt`, as the test HTTPS server serves it. */
function functionAnswers(hostTemplate: Template, domains: string[]): Record<string, TestPolicyHost> {
  const [fn] = Object.values(hostTemplate.findResources('AWS::CloudFront::Function'));
  const handler = vm.runInNewContext(`${fn.Properties.FunctionCode}\nhandler;`, {});
  const hosts: Record<string, TestPolicyHost> = {};
  for (const d of domains) {
    const host = `mta-sts.${d}`;
    const r = handler({ version: '1.0', context: {}, viewer: { ip: '127.0.0.1' }, request: { method: 'GET', uri: '/.well-known/mta-sts.txt', querystring: {}, headers: { host: { value: host } }, cookies: {} } });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers as Record<string, { value: string }>)) if (k !== 'content-type') headers[k] = v.value;
    hosts[host] = { status: r.statusCode, contentType: r.headers['content-type'].value, headers, body: r.body.data };
  }
  return hosts;
}

describeWithOpenssl('MtaStsPolicyHost end to end: a sending MTA fetches and validates each policy', () => {
  const { app, hostStack, deptStack, domains } = department();
  const names = domains.map((d) => d.domainName);
  let ca: TestCa;
  let dns: TestDnsServer;
  let https: TestHttpsServer;
  let resolver: Resolver;

  beforeAll(async () => {
    app.synth();
    const hostTemplate = lint.template(hostStack);
    const zone = zoneFromTemplate(lint.template(deptStack));
    // mta-sts.<domain> is an alias to CloudFront in the host's stack; here it is the local HTTPS server.
    for (const group of Object.values(hostTemplate.findResources('AWS::Route53::RecordSetGroup'))) {
      zone[String(group.Properties.RecordSets[0].Name).replace(/\.$/, '')] = { A: ['127.0.0.1'] };
    }
    ca = TestCa.create();
    dns = await TestDnsServer.start(zone);
    https = await TestHttpsServer.start({ ca, hosts: functionAnswers(hostTemplate, names) });
    resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.address]);
  });
  afterAll(async () => {
    await Promise.all([dns?.stop(), https?.stop()]);
    ca?.dispose();
  });

  test('the function serves each domain\'s own policy, as GovEmailDomain built it', () => {
    const code = Object.values(Template.fromStack(hostStack).findResources('AWS::CloudFront::Function'))[0].Properties.FunctionCode;
    expect(policiesInPolicyHostCode(code)).toEqual(domains.map((d) => ({ domain: d.domainName, body: d.mtaStsPolicy })));
  });

  test.each(['dept.test', 'agency.test', 'lab.dept.test'])('%s: TXT id, HTTPS fetch, parse, id = hash of the body, every MX covered', async (domain) => {
    // 1. The _mta-sts record: one v=STSv1 record, its id
    const txt = (await resolver.resolveTxt(`_mta-sts.${domain}`)).map((strings) => strings.join(''));
    expect(txt.filter((t) => MtaSts.isMtaStsRecord(t))).toHaveLength(1);
    expect(MtaSts.checkRecord(txt[0])).toEqual([]);
    const { id } = MtaSts.parseRecord(txt[0]);
    // 2. The policy host resolves
    expect(await resolver.resolve4(`mta-sts.${domain}`)).toEqual(['127.0.0.1']);
    // 3. The fetch, as a sender must make it: HTTPS, certificate valid for mta-sts.<domain>, 200, text/plain, no redirect
    const fetched = await fetchMtaStsPolicy(domain, { timeoutMs: 3000, ca: [ca.cert], connectTo: { host: '127.0.0.1', port: https.port } });
    expect(fetched).toEqual({ ok: true, url: `https://mta-sts.${domain}/.well-known/mta-sts.txt`, body: domains.find((d) => d.domainName === domain)!.mtaStsPolicy });
    const body = fetched.ok ? fetched.body : '';
    // 4. The policy reads, with no error, and its id is the record's: senders cache this body under this id
    expect(MtaSts.checkPolicy(body).filter((f) => f.severity === 'error')).toEqual([]);
    expect(MtaSts.policyId(body)).toBe(id);
    const policy = MtaSts.parsePolicy(body);
    // 5. Every MX host of the domain matches a pattern of the policy (RFC 8461 §4.1)
    const mx = await resolver.resolveMx(domain);
    expect(mx.length).toBeGreaterThan(0);
    expect(mx.filter((m) => !policy.mx.some((p) => MtaSts.matchesMx(p, m.exchange)))).toEqual([]);
  });

  test('the policies: enforce for Microsoft 365 and the gateway, testing for Google Workspace', async () => {
    const modes = await Promise.all(names.map(async (d) => {
      const f = await fetchMtaStsPolicy(d, { timeoutMs: 3000, ca: [ca.cert], connectTo: { host: '127.0.0.1', port: https.port } });
      return [d, f.ok ? MtaSts.parsePolicy(f.body).mode : f.error];
    }));
    expect(modes).toEqual([['dept.test', 'enforce'], ['agency.test', 'testing'], ['lab.dept.test', 'enforce']]);
  });

  test('the answer carries Strict-Transport-Security and a short Cache-Control', async () => {
    const answers = functionAnswers(Template.fromStack(hostStack), ['dept.test']);
    expect(answers['mta-sts.dept.test']).toEqual({
      status: 200,
      contentType: 'text/plain',
      headers: { 'cache-control': 'max-age=300', 'strict-transport-security': 'max-age=31536000; includeSubDomains', 'x-content-type-options': 'nosniff' },
      body: domains[0].mtaStsPolicy,
    });
  });
});

/** A portfolio whose host spreads over two us-east-1 stacks: distribution 1 in Estate-MtaSts, 4 and 5 in Estate-MtaSts02. */
function portfolioOverTwoHostStacks() {
  const app = new App();
  const common = (name: string, zoneId: string, distribution: number) => ({
    domainName: name, hostedZoneId: zoneId, dmarc: { reportTo: [`mailto:dmarc@${name}`] }, tlsReportTo: [`mailto:tls@${name}`], mtaSts: { distribution },
  });
  const p = new DomainPortfolio(app, 'Estate', {
    env: { account: ACCOUNT, region: 'eu-west-2' },
    domains: [
      PortfolioDomain.sending({ ...common('dept.test', 'Z00000000000000000001', 1), senders: [Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' })] }),
      PortfolioDomain.sending({ ...common('agency.test', 'Z00000000000000000002', 4), senders: [Sender.googleWorkspace({ legacyMx: true })] }),
      PortfolioDomain.sending({
        ...common('lab.test', 'Z00000000000000000003', 5),
        senders: [Sender.custom({ name: 'On-premises gateway', mx: [{ preference: 10, exchange: 'mx1.lab.test' }, { preference: 20, exchange: 'mx2.lab.test' }] })],
      }),
    ],
  });
  return { app, p };
}

describeWithOpenssl('MtaStsPolicyHost end to end over several host stacks (DomainPortfolio)', () => {
  const { app, p } = portfolioOverTwoHostStacks();
  const names = p.domainNames;
  let ca: TestCa;
  let dns: TestDnsServer;
  let https: TestHttpsServer;
  let resolver: Resolver;

  beforeAll(async () => {
    app.synth();
    const zone: TestZone = {};
    for (const stack of p.stacks) Object.assign(zone, zoneFromTemplate(lint.template(stack)));
    const hosts: Record<string, TestPolicyHost> = {};
    for (const stack of p.mtaStsStacks) {
      const template = lint.template(stack);
      for (const group of Object.values(template.findResources('AWS::Route53::RecordSetGroup'))) {
        zone[String(group.Properties.RecordSets[0].Name).replace(/\.$/, '')] = { A: ['127.0.0.1'] };
      }
      // Each domain answered by the function of the distribution its alias points at, in that stack
      for (const d of names.filter((n) => p.mtaStsHost!.distributionFor(n).stack === stack)) {
        const fn = Object.values(template.findResources('AWS::CloudFront::Function')).find((f) => f.Properties.FunctionConfig.Comment.includes(`distribution ${p.mtaStsDistributionFor(d)} `));
        Object.assign(hosts, functionAnswers(Template.fromJSON({ Resources: { F: fn } }), [d]));
      }
    }
    ca = TestCa.create();
    dns = await TestDnsServer.start(zone);
    https = await TestHttpsServer.start({ ca, hosts });
    resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.address]);
  });
  afterAll(async () => {
    await Promise.all([dns?.stop(), https?.stop()]);
    ca?.dispose();
  });

  test('two host stacks, each domain on its pinned distribution', () => {
    expect(p.mtaStsStacks.map((s) => s.stackName)).toEqual(['Estate-MtaSts', 'Estate-MtaSts02']);
    expect(names.map((n) => [n, p.mtaStsDistributionFor(n), Stack.of(p.mtaStsHost!.distributionFor(n)).stackName])).toEqual([
      ['dept.test', 1, 'Estate-MtaSts'], ['agency.test', 4, 'Estate-MtaSts02'], ['lab.test', 5, 'Estate-MtaSts02'],
    ]);
  });

  test.each(['dept.test', 'agency.test', 'lab.test'])('%s: TXT id, HTTPS fetch, parse, id = hash of the body, every MX covered', async (domain) => {
    const txt = (await resolver.resolveTxt(`_mta-sts.${domain}`)).map((strings) => strings.join('')).filter((t) => MtaSts.isMtaStsRecord(t));
    expect(txt).toHaveLength(1);
    const { id } = MtaSts.parseRecord(txt[0]);
    expect(await resolver.resolve4(`mta-sts.${domain}`)).toEqual(['127.0.0.1']);
    const fetched = await fetchMtaStsPolicy(domain, { timeoutMs: 3000, ca: [ca.cert], connectTo: { host: '127.0.0.1', port: https.port } });
    expect(fetched).toEqual({ ok: true, url: `https://mta-sts.${domain}/.well-known/mta-sts.txt`, body: p.sendingDomain(domain).mtaStsPolicy });
    const body = fetched.ok ? fetched.body : '';
    expect(MtaSts.checkPolicy(body).filter((f) => f.severity === 'error')).toEqual([]);
    expect(MtaSts.policyId(body)).toBe(id);
    const policy = MtaSts.parsePolicy(body);
    const mx = await resolver.resolveMx(domain);
    expect(mx.length).toBeGreaterThan(0);
    expect(mx.filter((m) => !policy.mx.some((x) => MtaSts.matchesMx(x, m.exchange)))).toEqual([]);
  });
});
