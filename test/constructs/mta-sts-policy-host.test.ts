import { createHash } from 'node:crypto';
import { App, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Dependable } from 'constructs';
import { GovEmailDomain } from '../../src/constructs/gov-email-domain';
import { MtaStsPolicyHost, MtaStsPolicyHostProps } from '../../src/constructs/mta-sts-policy-host';
import { MtaSts, MtaStsMode } from '../../src/records/mta-sts';
import { policiesInPolicyHostCode } from '../../src/records/private/mta-sts-host-code';
import { Sender } from '../../src/senders/sender';
import { TemplateLinter } from '../util/cfn-lint';
import { thrownBy, warningIds } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const ACCOUNT = '123456789012';
const US_EAST_1 = { account: ACCOUNT, region: 'us-east-1' };
const EU_WEST_2 = { account: ACCOUNT, region: 'eu-west-2' };
const M365_POLICY = MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: 1209600, mx: ['*.mail.protection.outlook.com'] });
const CLOUDFRONT_ZONE = { 'Fn::FindInMap': ['AWSCloudFrontPartitionHostedZoneIdMap', { Ref: 'AWS::Partition' }, 'zoneId'] };

/** A stable zone id per domain, as Route 53 would give. */
const zoneId = (domain: string) => `Z${createHash('sha256').update(domain).digest('hex').slice(0, 20).toUpperCase()}`;

function hostStack(props?: MtaStsPolicyHostProps) {
  const app = new App();
  const stack = new Stack(app, 'Host', { env: US_EAST_1 });
  const host = new MtaStsPolicyHost(stack, 'MtaSts', props);
  return { app, stack, host };
}

/** The domain's zone, imported by id (known at synth) in `stack`. */
function zoneOf(stack: Stack, domain: string, zoneName: string = domain): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, `Zone-${domain}`, { hostedZoneId: zoneId(zoneName), zoneName });
}

/** Register a domain directly, as GovEmailDomain does. */
function register(host: MtaStsPolicyHost, stack: Stack, domain: string, policy: string = M365_POLICY, zoneName?: string) {
  return host.addDomain({ domainName: domain, zone: zoneOf(stack, domain, zoneName), policy, policyId: MtaSts.policyId(policy) });
}

/** A host with the numbered domains d1.gov.uk … dN.gov.uk registered. */
function hostWith(count: number, props?: MtaStsPolicyHostProps) {
  const h = hostStack(props);
  for (let i = 1; i <= count; i++) register(h.host, h.stack, `d${i}.gov.uk`);
  return h;
}

/** The logical id without the 8-character hash CDK appends. */
const stripHash = (id: string) => id.replace(/[0-9A-F]{8}$/, '');

describe('MtaStsPolicyHost: one domain', () => {
  test('a CloudFront Function in cloudfront-js-2.0, published, holding the policy of mta-sts.<domain>', () => {
    // GIVEN a host in us-east-1
    const { stack, host } = hostStack();
    // WHEN dept.gov.uk registers its policy
    register(host, stack, 'dept.gov.uk');
    const template = lint.template(stack);
    // THEN one function serves it, and its code holds exactly that body for that domain
    template.resourceCountIs('AWS::CloudFront::Function', 1);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      AutoPublish: true,
      FunctionConfig: { Runtime: 'cloudfront-js-2.0', Comment: 'MTA-STS policies (RFC 8461) of distribution 1 (cdk-gov-email)' },
    });
    const code = Object.values(template.findResources('AWS::CloudFront::Function'))[0].Properties.FunctionCode;
    expect(policiesInPolicyHostCode(code)).toEqual([{ domain: 'dept.gov.uk', body: M365_POLICY }]);
  });

  test('the distribution: HTTPS only (no redirect), TLSv1.2_2021, SNI, HTTP/2 and HTTP/3, IPv6, price class 100, no logging, the function at viewer request', () => {
    // GIVEN / WHEN one domain is registered
    const { stack, host } = hostStack();
    register(host, stack, 'dept.gov.uk');
    const template = lint.template(stack);
    // THEN the distribution is exactly this
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    const [fnId] = Object.keys(template.findResources('AWS::CloudFront::Function'));
    const [certId] = Object.keys(template.findResources('AWS::CertificateManager::Certificate'));
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    expect(distribution).toEqual({
      Aliases: ['mta-sts.dept.gov.uk'],
      Comment: expect.stringMatching(/^MTA-STS policies of 1 domains \(cdk-gov-email\), version [0-9a-f]{16}$/),
      DefaultCacheBehavior: {
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
        Compress: false,
        FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }],
        TargetOriginId: 'HostMtaStsShard1DistributionOrigin1AB6DE07E',
        ViewerProtocolPolicy: 'https-only',
      },
      Enabled: true,
      HttpVersion: 'http2and3',
      IPV6Enabled: true,
      Origins: [{
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
        DomainName: 'no-origin.example.com',
        Id: 'HostMtaStsShard1DistributionOrigin1AB6DE07E',
      }],
      PriceClass: 'PriceClass_100',
      ViewerCertificate: { AcmCertificateArn: { Ref: certId }, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
  });

  test('the certificate: mta-sts.<domain>, DNS-validated in the domain\'s own zone', () => {
    // GIVEN / WHEN one domain is registered
    const { stack, host } = hostStack();
    register(host, stack, 'dept.gov.uk');
    const template = lint.template(stack);
    // THEN the certificate names it, and ACM validates it with a record CloudFormation writes in the domain's zone
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'mta-sts.dept.gov.uk',
      SubjectAlternativeNames: Match.absent(),
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'mta-sts.dept.gov.uk', HostedZoneId: zoneId('dept.gov.uk') }],
    });
  });

  test('A and AAAA alias records for mta-sts.<domain> in the domain\'s zone, as one resource', () => {
    // GIVEN / WHEN one domain is registered
    const { stack, host } = hostStack();
    register(host, stack, 'dept.gov.uk');
    const template = lint.template(stack);
    // THEN one record set group in the domain's zone holds both alias records
    const [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    const aliasTarget = { DNSName: { 'Fn::GetAtt': [distributionId, 'DomainName'] }, HostedZoneId: CLOUDFRONT_ZONE, EvaluateTargetHealth: false };
    template.resourceCountIs('AWS::Route53::RecordSetGroup', 1);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.hasResourceProperties('AWS::Route53::RecordSetGroup', {
      HostedZoneId: zoneId('dept.gov.uk'),
      RecordSets: [
        { Name: 'mta-sts.dept.gov.uk.', Type: 'A', AliasTarget: aliasTarget },
        { Name: 'mta-sts.dept.gov.uk.', Type: 'AAAA', AliasTarget: aliasTarget },
      ],
    });
    expect(template.toJSON().Mappings.AWSCloudFrontPartitionHostedZoneIdMap.aws.zoneId).toBe('Z2FDTNDATAQYW2');
  });

  test('five resources for one domain: a function, a certificate, a distribution, and a record set group; stable logical ids', () => {
    // GIVEN / WHEN one domain is registered
    const { stack, host } = hostStack();
    register(host, stack, 'dept.gov.uk');
    const resources = lint.template(stack).toJSON().Resources;
    // THEN the logical ids are the construct ids (public API: they must not change)
    expect(Object.keys(resources)).toEqual([
      'MtaStsAliasesdeptgovuk2B5DD270', 'MtaStsShard1Function2040E75E', 'MtaStsShard1Certificate5646C010', 'MtaStsShard1Distribution2CDF0155',
    ]);
  });

  test('what addDomain gives back: the function, the distribution and the alias records, and the TLS minimum', () => {
    // GIVEN a host
    const { stack, host } = hostStack();
    // WHEN a domain registers
    const registration = register(host, stack, 'dept.gov.uk');
    // THEN the domain's record can depend on everything that serves its policy
    const roots = Dependable.of(registration.policyServedBy).dependencyRoots.map((c) => c.node.path);
    expect(roots).toEqual(['Host/MtaSts/Shard1/Function', 'Host/MtaSts/Shard1/Distribution', 'Host/MtaSts/Aliases/dept.gov.uk']);
    expect(registration.minimumProtocolVersion).toBe('TLSv1.2_2021');
    expect(host.domainNames).toEqual(['dept.gov.uk']);
    expect(host.distributionFor('DEPT.gov.uk.')).toBe(host.distributions[0]);
    expect(host.policyFunctions).toHaveLength(1);
  });

  test('distributionFor a domain not registered', () => {
    const { host } = hostStack();
    expect(thrownBy(() => host.distributionFor('dept.gov.uk'))).toBe('Host/MtaSts: "dept.gov.uk" is not registered with this MTA-STS policy host.');
  });

  test('a host with no domain creates nothing (a template with no resource: not linted, and not deployable alone)', () => {
    const { stack, host } = hostStack();
    expect(Object.keys(Template.fromStack(stack).toJSON().Resources ?? {})).toEqual([]);
    expect(host.distributions).toEqual([]);
  });
});

describe('MtaStsPolicyHost: several domains in several zones', () => {
  test('one certificate DNS-validated in each domain\'s own zone, a subdomain in its parent\'s zone', () => {
    // GIVEN a host
    const { stack, host } = hostStack();
    // WHEN two domains with zones of their own, and a subdomain in the first one's zone, register
    register(host, stack, 'dept.gov.uk');
    register(host, stack, 'agency.gov.uk');
    register(host, stack, 'notify.dept.gov.uk', M365_POLICY, 'dept.gov.uk');
    const template = lint.template(stack);
    // THEN each name is validated in the zone that holds it
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'mta-sts.dept.gov.uk',
      SubjectAlternativeNames: ['mta-sts.agency.gov.uk', 'mta-sts.notify.dept.gov.uk'],
      DomainValidationOptions: [
        { DomainName: 'mta-sts.dept.gov.uk', HostedZoneId: zoneId('dept.gov.uk') },
        { DomainName: 'mta-sts.agency.gov.uk', HostedZoneId: zoneId('agency.gov.uk') },
        { DomainName: 'mta-sts.notify.dept.gov.uk', HostedZoneId: zoneId('dept.gov.uk') },
      ],
    });
    // AND the alias records go in the same zones
    const groups = Object.values(template.findResources('AWS::Route53::RecordSetGroup')).map((r) => [r.Properties.HostedZoneId, r.Properties.RecordSets[0].Name]);
    expect(groups).toEqual([
      [zoneId('dept.gov.uk'), 'mta-sts.dept.gov.uk.'],
      [zoneId('agency.gov.uk'), 'mta-sts.agency.gov.uk.'],
      [zoneId('dept.gov.uk'), 'mta-sts.notify.dept.gov.uk.'],
    ]);
  });

  test('the certificate is what acm.Certificate with CertificateValidation.fromDnsMultiZone renders for the same names', () => {
    // GIVEN three domains registered with the host
    const { stack, host } = hostStack();
    const zones = ['dept.gov.uk', 'agency.gov.uk', 'other.gov.uk'].map((d) => {
      register(host, stack, d);
      return [`mta-sts.${d}`, stack.node.findChild(`Zone-${d}`) as route53.IHostedZone] as const;
    });
    // AND, in another stack, acm.Certificate for the same names and zones
    const reference = new Stack(new App(), 'Reference', { env: US_EAST_1 });
    new acm.Certificate(reference, 'Certificate', {
      domainName: zones[0][0],
      subjectAlternativeNames: zones.slice(1).map(([n]) => n),
      validation: acm.CertificateValidation.fromDnsMultiZone(Object.fromEntries(zones)),
    });
    // THEN the two render the same certificate (but for the Name tag, the construct path)
    const props = (t: Template) => {
      const { Tags, ...rest } = Object.values(t.findResources('AWS::CertificateManager::Certificate'))[0].Properties;
      return rest;
    };
    expect(props(lint.template(stack))).toEqual(props(lint.template(reference)));
  });

  test('the certificate\'s domain name is the first name of at most 64 characters', () => {
    // GIVEN a first domain whose mta-sts. name is 65 characters long
    const { stack, host } = hostStack();
    const longer = `${'a'.repeat(50)}.gov.uk`;
    expect(`mta-sts.${longer}`).toHaveLength(65);
    register(host, stack, longer);
    register(host, stack, 'dept.gov.uk');
    // THEN the second is the certificate's domain name, the first a subject alternative name
    lint.template(stack).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'mta-sts.dept.gov.uk',
      SubjectAlternativeNames: [`mta-sts.${longer}`],
    });
  });

  test('domains sharing a policy share its lines in the function\'s code', () => {
    // GIVEN ten domains with the same policy
    const { stack } = hostWith(10);
    const code = Object.values(lint.template(stack).findResources('AWS::CloudFront::Function'))[0].Properties.FunctionCode as string;
    // THEN each line is written once and every domain is served the same body
    expect(code.match(/mail\.protection\.outlook\.com/g)).toHaveLength(1);
    expect(policiesInPolicyHostCode(code)).toEqual(Array.from({ length: 10 }, (_, i) => ({ domain: `d${i + 1}.gov.uk`, body: M365_POLICY })));
  });
});

describe('MtaStsPolicyHost: many domains, sharded', () => {
  test('100 domains: one distribution, one certificate of 100 names, one function; 101: a second of each', () => {
    // GIVEN / WHEN 100 domains
    const hundred = hostWith(100);
    const t100 = lint.template(hundred.stack);
    // THEN one of each
    t100.resourceCountIs('AWS::CloudFront::Distribution', 1);
    t100.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    t100.resourceCountIs('AWS::CloudFront::Function', 1);
    t100.resourceCountIs('AWS::Route53::RecordSetGroup', 100);
    expect(Object.values(t100.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig.Aliases).toHaveLength(100);

    // GIVEN / WHEN the 101st domain
    const more = hostWith(101);
    const t101 = lint.template(more.stack);
    // THEN a second distribution, certificate and function serve it alone, and mta-sts.d101 points at it
    t101.resourceCountIs('AWS::CloudFront::Distribution', 2);
    t101.resourceCountIs('AWS::CertificateManager::Certificate', 2);
    t101.resourceCountIs('AWS::CloudFront::Function', 2);
    t101.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ Aliases: ['mta-sts.d101.gov.uk'] }) });
    t101.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'mta-sts.d101.gov.uk',
      DomainValidationOptions: [{ DomainName: 'mta-sts.d101.gov.uk', HostedZoneId: zoneId('d101.gov.uk') }],
    });
    const shard2 = Object.keys(t101.findResources('AWS::CloudFront::Distribution')).find((id) => id.startsWith('MtaStsShard2'));
    t101.hasResourceProperties('AWS::Route53::RecordSetGroup', {
      HostedZoneId: zoneId('d101.gov.uk'),
      RecordSets: Match.arrayWith([Match.objectLike({ AliasTarget: Match.objectLike({ DNSName: { 'Fn::GetAtt': [shard2, 'DomainName'] } }) })]),
    });
    expect(more.host.distributionFor('d101.gov.uk')).toBe(more.host.distributions[1]);
    expect(more.host.distributionFor('d100.gov.uk')).toBe(more.host.distributions[0]);
  });

  test('adding a domain never moves one: the first distribution\'s resources are the same with 100 domains as with 101', () => {
    // GIVEN the templates with 100 and with 101 domains
    // (the same templates as the test above lints)
    const a = Template.fromStack(hostWith(100).stack).toJSON().Resources;
    const b = Template.fromStack(hostWith(101).stack).toJSON().Resources;
    // THEN every resource of the first 100 is unchanged, under the same logical id
    for (const [id, resource] of Object.entries(a)) {
      expect([id, b[id]]).toEqual([id, resource]);
    }
    expect(Object.keys(b).filter((id) => !(id in a)).map(stripHash)).toEqual([
      'MtaStsAliasesd101govuk', 'MtaStsShard2Function', 'MtaStsShard2Certificate', 'MtaStsShard2Distribution',
    ]);
  });

  test('a smaller shard size: 25 domains a distribution, 60 domains in 3', () => {
    const { stack, host } = hostWith(60, { domainsPerDistribution: 25 });
    const template = lint.template(stack);
    template.resourceCountIs('AWS::CloudFront::Distribution', 3);
    expect(Object.values(template.findResources('AWS::CloudFront::Distribution')).map((d) => d.Properties.DistributionConfig.Aliases.length)).toEqual([25, 25, 10]);
    expect(host.domainNames).toHaveLength(60);
  });

  test('reserveSlots keeps the place of a removed domain, so the domains after it stay where they were', () => {
    // GIVEN 4 domains, 2 a distribution
    const before = hostStack({ domainsPerDistribution: 2 });
    ['a', 'b', 'c', 'd'].forEach((d) => register(before.host, before.stack, `${d}.gov.uk`));
    // WHEN b is removed and its place reserved
    const after = hostStack({ domainsPerDistribution: 2 });
    register(after.host, after.stack, 'a.gov.uk');
    after.host.reserveSlots(1);
    ['c', 'd'].forEach((d) => register(after.host, after.stack, `${d}.gov.uk`));
    // THEN c and d are on the second distribution still, with the same certificate and function
    const second = (stack: Stack) => Object.fromEntries(Object.entries(lint.template(stack).toJSON().Resources).filter(([id]) => id.startsWith('MtaStsShard2')));
    expect(second(after.stack)).toEqual(second(before.stack));
    expect(after.host.distributionFor('c.gov.uk')).toBe(after.host.distributions[1]);
    // AND without the reservation, c would have moved to the first
    const moved = hostStack({ domainsPerDistribution: 2 });
    ['a', 'c', 'd'].forEach((d) => register(moved.host, moved.stack, `${d}.gov.uk`));
    expect(moved.host.distributionFor('c.gov.uk')).toBe(moved.host.distributions[0]);
  });

  test('reserving a whole distribution\'s places creates no empty distribution', () => {
    const { stack, host } = hostStack({ domainsPerDistribution: 2 });
    host.reserveSlots(2);
    register(host, stack, 'c.gov.uk');
    const ids = Object.keys(lint.template(stack).toJSON().Resources).map(stripHash);
    expect(ids).toEqual(['MtaStsAliasescgovuk', 'MtaStsShard2Function', 'MtaStsShard2Certificate', 'MtaStsShard2Distribution']);
  });

  test('300 domains with GovEmailDomain, one host and one loop: 3 distributions; 1 resource a domain in the host stack, 1 in the domain stack', () => {
    // GIVEN a host in us-east-1 and the department's domains in eu-west-2 (50 a stack: 7 records each)
    const app = new App();
    const hostStk = new Stack(app, 'MtaStsHost', { env: US_EAST_1 });
    const deptStks = Array.from({ length: 6 }, (_, i) => new Stack(app, `Domains${i + 1}`, { env: EU_WEST_2 }));
    const host = new MtaStsPolicyHost(hostStk, 'MtaSts');
    // WHEN 300 domains are built in one loop
    for (let i = 1; i <= 300; i++) {
      const name = `domain${i}.gov.uk`;
      const deptStk = deptStks[Math.floor((i - 1) / 50)];
      new GovEmailDomain(deptStk, `Domain${i}`, {
        zone: route53.HostedZone.fromHostedZoneAttributes(deptStk, `Zone${i}`, { hostedZoneId: zoneId(name), zoneName: name }),
        senders: [Sender.microsoft365({ initialDomain: `tenant${i}.onmicrosoft.com` })],
        dmarc: { reportTo: [`mailto:dmarc@${name}`] },
        tlsReportTo: [`mailto:tls@${name}`],
        mtaSts: { host },
      });
    }
    const hostTemplate = lint.template(hostStk);
    // THEN 3 distributions, certificates and functions, and one record set group a domain
    hostTemplate.resourceCountIs('AWS::CloudFront::Distribution', 3);
    hostTemplate.resourceCountIs('AWS::CertificateManager::Certificate', 3);
    hostTemplate.resourceCountIs('AWS::CloudFront::Function', 3);
    hostTemplate.resourceCountIs('AWS::Route53::RecordSetGroup', 300);
    expect(Object.keys(hostTemplate.toJSON().Resources)).toHaveLength(309);
    // AND one _mta-sts record a domain in the department's stacks, each of which waits for the host's
    // (GovEmailDomain's own templates are linted by its tests: 2,100 records would take cfn-lint minutes)
    const txt = deptStks.flatMap((d) => Object.values(Template.fromStack(d).findResources('AWS::Route53::RecordSet')))
      .filter((r) => r.Properties.Name.startsWith('_mta-sts.'));
    expect(txt).toHaveLength(300);
    const assembly = app.synth();
    expect(deptStks.map((d) => assembly.getStackByName(d.stackName).dependencies.some((x) => x.id === 'MtaStsHost'))).toEqual(Array(6).fill(true));
    // AND each function stays well under CloudFront's 10 KB
    for (const fn of Object.values(hostTemplate.findResources('AWS::CloudFront::Function'))) {
      expect(Buffer.byteLength(fn.Properties.FunctionCode)).toBeLessThan(10240);
    }
  }, 120000);
});

describe('MtaStsPolicyHost with GovEmailDomain', () => {
  const M365 = Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' });

  function departmentIn(stack: Stack, host: MtaStsPolicyHost, zoneStack: Stack = stack) {
    return new GovEmailDomain(stack, 'Dept', {
      zone: zoneOf(zoneStack, 'dept.gov.uk'),
      senders: [M365],
      dmarc: { reportTo: ['mailto:dmarc@dept.gov.uk'] },
      tlsReportTo: ['mailto:tls@dept.gov.uk'],
      mtaSts: { host },
    });
  }

  test('in one stack: the _mta-sts record depends on the function, the distribution and the alias records', () => {
    // GIVEN a department and its host in one us-east-1 stack
    const { stack, host } = hostStack();
    // WHEN the domain uses the host
    const dept = departmentIn(stack, host);
    const template = lint.template(stack);
    // THEN the TXT record's id is the hash of the body the function serves
    const code = Object.values(template.findResources('AWS::CloudFront::Function'))[0].Properties.FunctionCode;
    expect(policiesInPolicyHostCode(code)).toEqual([{ domain: 'dept.gov.uk', body: dept.mtaStsPolicy }]);
    const [txtId, txt] = Object.entries(template.findResources('AWS::Route53::RecordSet')).find(([, r]) => r.Properties.Name === '_mta-sts.dept.gov.uk.')!;
    expect(txt.Properties.ResourceRecords).toEqual([`"v=STSv1; id=${MtaSts.policyId(dept.mtaStsPolicy!)}"`]);
    // AND it is created only once the policy is served (RFC 8461 §8.1)
    expect(stripHash(txtId)).toBe('DeptMtaSts');
    expect(txt.DependsOn.map(stripHash)).toEqual(['MtaStsAliasesdeptgovuk', 'MtaStsShard1Distribution', 'MtaStsShard1Function']);
    // AND the domain's posture names the host's TLS minimum, which the standard accepts
    expect(dept.posture.policyHostMinimumTls).toBe('TLSv1.2_2021');
    expect(warningIds(stack, { withPath: true })).toEqual([]);
  });

  test('across regions: records in the host\'s us-east-1 stack, the TXT record in eu-west-2, a stack dependency and no cross-region reference', () => {
    // GIVEN a host in us-east-1 and the department in eu-west-2, its zone imported by id there
    const app = new App();
    const hostStk = new Stack(app, 'MtaStsHost', { env: US_EAST_1 });
    const deptStk = new Stack(app, 'Department', { env: EU_WEST_2 });
    const host = new MtaStsPolicyHost(hostStk, 'MtaSts');
    // WHEN the department registers with the host
    departmentIn(deptStk, host);
    const hostTemplate = lint.template(hostStk);
    const deptTemplate = lint.template(deptStk);
    // THEN the host's stack holds the alias records and the certificate validation, in the department's zone
    hostTemplate.hasResourceProperties('AWS::Route53::RecordSetGroup', { HostedZoneId: zoneId('dept.gov.uk') });
    hostTemplate.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainValidationOptions: [{ DomainName: 'mta-sts.dept.gov.uk', HostedZoneId: zoneId('dept.gov.uk') }],
    });
    // AND the department's stack holds the _mta-sts record, and none of the host's records
    deptTemplate.hasResourceProperties('AWS::Route53::RecordSet', { Name: '_mta-sts.dept.gov.uk.', Type: 'TXT' });
    deptTemplate.resourceCountIs('AWS::Route53::RecordSetGroup', 0);
    // AND the dependency on the function became a dependency of the department's stack on the host's
    const assembly = app.synth();
    expect(assembly.getStackByName('Department').dependencies.map((d) => d.id)).toContain('MtaStsHost');
    expect(assembly.getStackByName('MtaStsHost').dependencies.map((d) => d.id)).not.toContain('Department');
    // AND nothing crosses regions: no export, import, SSM parameter or custom resource
    for (const t of [hostTemplate, deptTemplate]) {
      const json = JSON.stringify(t.toJSON());
      expect(json).not.toMatch(/Fn::ImportValue|"Export"|AWS::SSM::Parameter"|Custom::/);
    }
  });

  test('across regions, a zone created in the department\'s stack is refused: its id would cross regions', () => {
    // GIVEN the department's zone created in eu-west-2
    const app = new App();
    const hostStk = new Stack(app, 'MtaStsHost', { env: US_EAST_1 });
    const deptStk = new Stack(app, 'Department', { env: EU_WEST_2 });
    const host = new MtaStsPolicyHost(hostStk, 'MtaSts');
    const zone = new route53.PublicHostedZone(deptStk, 'Zone', { zoneName: 'dept.gov.uk' });
    // WHEN it registers, THEN synth fails, saying how to import the zone
    expect(thrownBy(() => host.addDomain({ domainName: 'dept.gov.uk', zone, policy: M365_POLICY, policyId: MtaSts.policyId(M365_POLICY) }))).toBe(
      'MtaStsHost/MtaSts: [MTASTS-HOST-ZONE-REFERENCE] The policy host publishes mta-sts.<domain> and the certificate validation records in each domain\'s zone from its own stack: '
      + 'a zone created in a stack in another region must be imported there by id. Got: "the zone Department/Zone, created in eu-west-2". '
      + 'Allowed: a zone whose id is known at synth (HostedZone.fromHostedZoneAttributes({ hostedZoneId, zoneName })), or a zone from a stack in us-east-1.');
  });

  test('a zone created in another region is accepted when the host\'s stack allows cross-region references (CDK\'s, through SSM)', () => {
    const app = new App();
    const hostStk = new Stack(app, 'MtaStsHost', { env: US_EAST_1, crossRegionReferences: true });
    const deptStk = new Stack(app, 'Department', { env: EU_WEST_2 });
    const host = new MtaStsPolicyHost(hostStk, 'MtaSts');
    const zone = new route53.PublicHostedZone(deptStk, 'Zone', { zoneName: 'dept.gov.uk' });
    expect(() => host.addDomain({ domainName: 'dept.gov.uk', zone, policy: M365_POLICY, policyId: MtaSts.policyId(M365_POLICY) })).not.toThrow();
  });

  test('a zone created in another us-east-1 stack is a same-region reference, which CDK handles', () => {
    const app = new App();
    const zones = new Stack(app, 'Zones', { env: US_EAST_1 });
    const hostStk = new Stack(app, 'MtaStsHost', { env: US_EAST_1 });
    const host = new MtaStsPolicyHost(hostStk, 'MtaSts');
    const zone = new route53.PublicHostedZone(zones, 'Zone', { zoneName: 'dept.gov.uk' });
    host.addDomain({ domainName: 'dept.gov.uk', zone, policy: M365_POLICY, policyId: MtaSts.policyId(M365_POLICY) });
    lint.template(hostStk).hasResourceProperties('AWS::Route53::RecordSetGroup', { HostedZoneId: { 'Fn::ImportValue': Match.stringLikeRegexp('^Zones:') } });
  });

  test('two hosts serving one domain: synth fails, naming both (one record set per name and type)', () => {
    // GIVEN two hosts in one app
    const { app, stack, host } = hostStack();
    const second = new MtaStsPolicyHost(stack, 'Second');
    // WHEN both serve dept.gov.uk, in the same zone
    register(host, stack, 'dept.gov.uk');
    second.addDomain({ domainName: 'dept.gov.uk', zone: stack.node.findChild('Zone-dept.gov.uk') as route53.IHostedZone, policy: M365_POLICY, policyId: MtaSts.policyId(M365_POLICY) });
    // THEN synth fails on the second, naming the first
    expect(thrownBy(() => app.synth())).toContain(
      '[ROUTE53-RECORD-CONFLICT] A "mta-sts.dept.gov.uk" in one hosted zone is published by both Host/Second/Aliases/dept.gov.uk and Host/MtaSts/Aliases/dept.gov.uk.');
  });
});

describe('MtaStsPolicyHost: properties', () => {
  test.each([
    [cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021],
    [cloudfront.SecurityPolicyProtocol.TLS_V1_2_2025],
    [cloudfront.SecurityPolicyProtocol.TLS_V1_3_2025],
  ])('minimumProtocolVersion %s is accepted and set', (version) => {
    const { stack, host } = hostStack({ minimumProtocolVersion: version });
    const registration = register(host, stack, 'dept.gov.uk');
    lint.template(stack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: version }) }),
    });
    expect(registration.minimumProtocolVersion).toBe(version);
  });

  test('priceClass', () => {
    const { stack, host } = hostStack({ priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL });
    register(host, stack, 'dept.gov.uk');
    lint.template(stack).hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ PriceClass: 'PriceClass_All' }) });
  });

  test('accessLogBucket: standard logs under mta-sts/, and no bucket created', () => {
    const { stack, host } = hostStack({
      accessLogBucket: s3.Bucket.fromBucketAttributes(new Stack(new App(), 'Logs', { env: US_EAST_1 }), 'Logs', { bucketName: 'dept-cloudfront-logs', region: 'us-east-1' }),
    });
    register(host, stack, 'dept.gov.uk');
    const template = lint.template(stack);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Logging: { Bucket: 'dept-cloudfront-logs.s3.us-east-1.amazonaws.com', Prefix: 'mta-sts/' } }),
    });
    template.resourceCountIs('AWS::S3::Bucket', 0);
  });

  test('a stack with no region: a CloudFormation rule stops deployment outside us-east-1', () => {
    const stack = new Stack(new App(), 'Host');
    const host = new MtaStsPolicyHost(stack, 'MtaSts');
    register(host, stack, 'dept.gov.uk');
    const rules = lint.template(stack).toJSON().Rules;
    expect(Object.keys(rules)).toEqual(['MtaStsHostRegion2C7C88EB', 'CheckBootstrapVersion']);
    expect(rules.MtaStsHostRegion2C7C88EB).toEqual({
      Assertions: [{
        Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        AssertDescription: '[MTASTS-HOST-REGION] An MTA-STS policy host is in a us-east-1 stack: CloudFront takes its certificates from ACM in US East (N. Virginia) only.',
      }],
    });
  });

  test('more than 10 domains a distribution: a warning about ACM\'s default quota, once', () => {
    const ten = hostWith(10);
    expect(warningIds(ten.stack, { withPath: true })).toEqual([]);
    const many = hostWith(25);
    expect(warningIds(many.stack, { withPath: true })).toEqual(['/Host/MtaSts MTASTS-HOST-CERTIFICATE-NAMES']);
    Annotations.fromStack(many.stack).hasWarning('/Host/MtaSts', Match.stringLikeRegexp(
      '^The certificate of distribution 1 names more than 10 domains, ACM\'s default quota: raise "Domain names per ACM certificate" in us-east-1 to 100 \\(Service Quotas\\) before deploying'));
    const small = hostWith(25, { domainsPerDistribution: 10 });
    expect(warningIds(small.stack, { withPath: true })).toEqual([]);
  });
});

describe('MtaStsPolicyHost: bad input fails synth, naming the construct, the rule, the value and what is allowed', () => {
  const TLS_ALLOWED = 'Allowed: SecurityPolicyProtocol.TLS_V1_2_2021 or newer (TLS_V1_2_2025, TLS_V1_3_2025).';
  const TLS_SUMMARY = 'The MTA-STS policy host accepts TLS 1.2 or later only (CloudFront security policy TLSv1.2_2021 or newer).';
  const SHARD_SUMMARY = 'A distribution of the policy host serves 1 to 100 domains: CloudFront allows 100 alternate domain names per distribution by default, and ACM at most 100 names per certificate.';

  test.each<[string, () => unknown, string]>([
    ['a host outside us-east-1', () => new MtaStsPolicyHost(new Stack(new App(), 'Host', { env: EU_WEST_2 }), 'MtaSts'),
      'Host/MtaSts: [MTASTS-HOST-REGION] An MTA-STS policy host is in a us-east-1 stack: CloudFront takes its certificates from ACM in US East (N. Virginia) only. '
      + 'Got: "eu-west-2". Allowed: a stack in "us-east-1" (env: { region: \'us-east-1\' }); the domains\' own stacks may be in any region.'],
    ['TLSv1.2_2019', () => hostStack({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019 }),
      `Host/MtaSts: [GOVUK-POLICY-HOST-TLS] ${TLS_SUMMARY} Got: "TLSv1.2_2019". ${TLS_ALLOWED}`],
    ['TLSv1.1_2016, which cdk-nag\'s AwsSolutions-CFR4 accepts', () => hostStack({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_1_2016 }),
      `Host/MtaSts: [GOVUK-POLICY-HOST-TLS] ${TLS_SUMMARY} Got: "TLSv1.1_2016". ${TLS_ALLOWED}`],
    ['TLSv1_2016 (which sorts after TLSv1.2_2021 by name)', () => hostStack({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2016 }),
      `Host/MtaSts: [GOVUK-POLICY-HOST-TLS] ${TLS_SUMMARY} Got: "TLSv1_2016". ${TLS_ALLOWED}`],
    ['SSLv3', () => hostStack({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.SSL_V3 }),
      `Host/MtaSts: [GOVUK-POLICY-HOST-TLS] ${TLS_SUMMARY} Got: "SSLv3". ${TLS_ALLOWED}`],
    ['0 domains a distribution', () => hostStack({ domainsPerDistribution: 0 }),
      `Host/MtaSts: [MTASTS-HOST-SHARD-SIZE] ${SHARD_SUMMARY} Got: 0. Allowed: a whole number from 1 to 100 known at synth (above 10, raise ACM's quota "Domain names per ACM certificate" first).`],
    ['101 domains a distribution', () => hostStack({ domainsPerDistribution: 101 }),
      `Host/MtaSts: [MTASTS-HOST-SHARD-SIZE] ${SHARD_SUMMARY} Got: 101. Allowed: a whole number from 1 to 100 known at synth (above 10, raise ACM's quota "Domain names per ACM certificate" first).`],
    ['2.5 domains a distribution', () => hostStack({ domainsPerDistribution: 2.5 }),
      `Host/MtaSts: [MTASTS-HOST-SHARD-SIZE] ${SHARD_SUMMARY} Got: 2.5. Allowed: a whole number from 1 to 100 known at synth (above 10, raise ACM's quota "Domain names per ACM certificate" first).`],
    ['reserving 0 places', () => hostStack().host.reserveSlots(0),
      `Host/MtaSts: [MTASTS-HOST-SHARD-SIZE] ${SHARD_SUMMARY} Got: 0. Allowed: a whole number of places, 1 or more, known at synth.`],
  ])('%s', (_what, build, message) => {
    expect(thrownBy(build)).toBe(message);
  });

  const POLICY_ID = MtaSts.policyId(M365_POLICY);
  test.each<[string, Partial<{ domainName: string; policy: string; policyId: string }>, string]>([
    ['a domain name known only at deployment', { domainName: Fn.importValue('Domain') },
      'Host/MtaSts: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. '
      + 'Got: "${Token[TOKEN.'],
    ['a domain name with a space', { domainName: 'dept .gov.uk' },
      'Host/MtaSts: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. '
      + 'Got: "dept .gov.uk". Allowed: a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets) whose mta-sts. name is at most 253 octets.'],
    ['a domain name whose mta-sts. name is over 253 octets', { domainName: `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.uk` },
      'Host/MtaSts: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. '
      + `Got: "${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.uk". Allowed: a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets) whose mta-sts. name is at most 253 octets.`],
    ['a domain outside its zone', { domainName: 'other.gov.uk' },
      'Host/MtaSts: [ROUTE53-NAME-OUTSIDE-ZONE] Records are published at the hosted zone\'s own name or a name under it; when the zone was imported without its name, the domain name must be given. '
      + 'Got: "other.gov.uk". Allowed: "dept.gov.uk" or a name ending in ".dept.gov.uk".'],
    ['a policy known only at deployment', { policy: Fn.importValue('Policy') },
      'Host/MtaSts: [MTASTS-POLICY-SYNTAX] Each policy line is "key:" followed by optional spaces and the value, lines end in CRLF or LF; no blank line, no space before the key or the colon, no byte order mark. '
      + 'Got: "${Token[TOKEN.'],
    ['a policy without max_age', { policy: 'version: STSv1\r\nmode: enforce\r\nmx: mx.dept.gov.uk\r\n' },
      'Host/MtaSts: [MTASTS-POLICY-MAX-AGE] A policy has a "max_age" line whose value is a whole number of seconds, 0 to 31557600, of at most 10 digits. '
      + 'Got: "version: STSv1\\r\\nmode: enforce\\r\\nmx: mx.dept.gov.uk\\r\\n". Allowed: a valid MTA-STS policy for dept.gov.uk (The policy has no "max_age" line.).'],
    ['a policy in enforce mode with no mx', { policy: 'version: STSv1\r\nmode: enforce\r\nmax_age: 86400\r\n' },
      'Host/MtaSts: [MTASTS-POLICY-MX-MISSING] A policy whose mode is not "none" lists at least one "mx" pattern. '
      + 'Got: "version: STSv1\\r\\nmode: enforce\\r\\nmax_age: 86400\\r\\n". Allowed: a valid MTA-STS policy for dept.gov.uk (A policy in mode "enforce" must list at least one "mx" pattern; got none.).'],
    ['a policy with a blank line', { policy: 'version: STSv1\r\n\r\nmode: none\r\nmax_age: 86400\r\n' },
      'Host/MtaSts: [MTASTS-POLICY-SYNTAX] Each policy line is "key:" followed by optional spaces and the value, lines end in CRLF or LF; no blank line, no space before the key or the colon, no byte order mark. '
      + 'Got: "version: STSv1\\r\\n\\r\\nmode: none\\r\\nmax_age: 86400\\r\\n". Allowed: a valid MTA-STS policy for dept.gov.uk (Line 2 is blank; strict parsers stop there.).'],
    ['a policy id with a hyphen', { policyId: '2026-05-01' },
      'Host/MtaSts: [MTASTS-ID] An MTA-STS TXT record has an "id" field of 1–32 letters and digits. '
      + `Got: "2026-05-01". Allowed: 1 to 32 letters and digits known at synth, such as MtaSts.policyId(policy) ("${POLICY_ID}").`],
  ])('%s', (_what, options, message) => {
    const { stack, host } = hostStack();
    const zone = zoneOf(stack, 'dept.gov.uk');
    const thrown = thrownBy(() => host.addDomain({ domainName: 'dept.gov.uk', zone, policy: M365_POLICY, policyId: POLICY_ID, ...options }));
    if (message.endsWith('${Token[TOKEN.')) {
      expect(thrown.startsWith(message)).toBe(true);
      expect(thrown).toMatch(/\]\}"\. Allowed: a (domain name|policy body) known at synth: /);
    } else {
      expect(thrown).toBe(message);
    }
    // AND the host is as it was
    expect(host.domainNames).toEqual([]);
  });

  test('a domain registered twice', () => {
    const { stack, host } = hostStack();
    register(host, stack, 'dept.gov.uk');
    expect(thrownBy(() => host.addDomain({ domainName: 'Dept.gov.uk.', zone: stack.node.findChild('Zone-dept.gov.uk') as route53.IHostedZone, policy: M365_POLICY, policyId: POLICY_ID }))).toBe(
      'Host/MtaSts: [ROUTE53-RECORD-CONFLICT] One construct publishes each name and type in a hosted zone: Route 53 holds one record set per name and type, and a CNAME alone at its name. '
      + 'Got: "Dept.gov.uk.". Allowed: each domain once: "dept.gov.uk" is already served by Host/MtaSts/Shard1.');
  });

  test('a function that would outgrow 10 KB: the domain that would not fit is named, and the shard size to lower', () => {
    // GIVEN a host, and policies of about 1 KB each that share nothing (14 mx hosts of their own,
    // none built from the domain's name, so no packing can write them once)
    const { stack, host } = hostStack();
    const bigPolicy = (i: number) => MtaSts.renderPolicy({
      mode: MtaStsMode.ENFORCE,
      maxAge: 1209600,
      mx: Array.from({ length: 14 }, (_, j) => `mx${j}-${createHash('sha256').update(`${i}/${j}`).digest('hex').slice(0, 55)}.example.net`),
    });
    // WHEN domains are added until one does not fit
    let message = '';
    let n = 0;
    while (message === '' && n < 20) {
      n++;
      try {
        register(host, stack, `d${n}.gov.uk`, bigPolicy(n));
      } catch (e) {
        message = (e as Error).message;
      }
    }
    // THEN the tenth is refused, naming itself and the size, and the host is as it was with nine
    expect(n).toBe(10);
    expect(message).toMatch(new RegExp(
      '^Host/MtaSts: \\[MTASTS-HOST-FUNCTION-SIZE\\] The CloudFront Function that holds one distribution\'s policies is at most 10 KB \\(10,240 bytes\\) of code\\. '
      + 'Got: "1[0-9]{4} bytes of function code for distribution 1 with d10\\.gov\\.uk, its domain number 10"\\. '
      + 'Allowed: at most 10240 bytes: set domainsPerDistribution below 10 \\(now 100\\)\\.$'));
    expect(host.domainNames).toHaveLength(9);
    const code = Object.values(lint.template(stack).findResources('AWS::CloudFront::Function'))[0].Properties.FunctionCode as string;
    expect(code.length).toBeGreaterThan(9000);
    expect(code.length).toBeLessThanOrEqual(10240);
  });

  test('a distribution whose every mta-sts. name is over 64 characters: no certificate domain name', () => {
    const { app, stack, host } = hostStack();
    const long = `${'a'.repeat(50)}.gov.uk`;
    register(host, stack, long);
    expect(thrownBy(() => app.synth())).toContain(
      `[MTASTS-HOST-CERTIFICATE-NAME] A certificate's domain name (its common name) is at most 64 characters: one mta-sts.<domain> name of each distribution must be. Got: ["mta-sts.${long}"]. `
      + 'Allowed: a domain of at most 56 characters among those of this distribution.');
  });
});

describe('MtaStsPolicyHost: cdk-nag', () => {
  test('AwsSolutionsChecks: no error but access logging, which is the caller\'s choice (acknowledged with a reason here, or accessLogBucket)', () => {
    // GIVEN a host of three domains without access logs, CFR3 acknowledged
    const { app, stack, host } = hostStack();
    ['dept.gov.uk', 'agency.gov.uk', 'other.gov.uk'].forEach((d) => register(host, stack, d));
    Validations.of(host).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason: 'The distributions serve one small public file per domain; CloudFront metrics show traffic, and senders report failures by TLS-RPT.',
    });
    // THEN AwsSolutions reports no error, and only the geo-restriction and WAF suggestions as warnings
    const violations = new AwsSolutionsChecks().validateScope(app).violations;
    expect(violations.filter((v) => v.severity === 'error')).toEqual([]);
    expect(violations.map((v) => v.ruleName).sort()).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR2']);

    // GIVEN a host with an access log bucket, THEN no CFR3 to acknowledge
    const logged = hostStack({ accessLogBucket: s3.Bucket.fromBucketName(new Stack(new App(), 'Logs'), 'Logs', 'dept-logs') });
    register(logged.host, logged.stack, 'dept.gov.uk');
    expect(new AwsSolutionsChecks().validateScope(logged.app).violations.filter((v) => v.severity === 'error')).toEqual([]);
  });
});

describe('MtaStsPolicyHost: snapshots', () => {
  test('a host of three domains', () => {
    const { stack, host } = hostStack();
    register(host, stack, 'dept.gov.uk');
    register(host, stack, 'agency.gov.uk', MtaSts.renderPolicy({ mode: MtaStsMode.TESTING, maxAge: 86400, mx: ['aspmx.l.google.com', '*.aspmx.l.google.com'] }));
    register(host, stack, 'old.gov.uk', MtaSts.renderPolicy({ mode: MtaStsMode.NONE, maxAge: 86400, mx: [] }));
    expect(lint.template(stack).toJSON()).toMatchSnapshot();
  });
});
