import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { GovEmailHostedZone, GovEmailHostedZoneProps } from '../../src/constructs/hosted-zone';
import { ParkedDomain } from '../../src/constructs/parked-domain';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const US_EAST_1 = { account: '123456789012', region: 'us-east-1' };

function hostedZone(props: Partial<GovEmailHostedZoneProps> = {}, env?: { account: string; region: string }) {
  const stack = new Stack(new App(), 'Test', { env });
  const construct = new GovEmailHostedZone(stack, 'Zone', { zoneName: 'dept.gov.uk', ...props });
  return { stack, construct };
}

/** The one resource of a type in a template, with its logical id. */
function only(template: Template, type: string): [string, any] {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('GovEmailHostedZone without DNSSEC', () => {
  test('a public hosted zone, retained on delete, with its name servers as a comma-separated output', () => {
    // GIVEN a stack
    // WHEN the zone is created with the defaults
    const { stack, construct } = hostedZone({ comment: 'Department of Examples mail domain' });
    const template = lint.template(stack);

    // THEN there is one resource, the zone, retained
    const [zoneId, zone] = only(template, 'AWS::Route53::HostedZone');
    expect(Object.keys(template.toJSON().Resources)).toEqual([zoneId]);
    expect(zone).toEqual({
      Type: 'AWS::Route53::HostedZone',
      Properties: { Name: 'dept.gov.uk.', HostedZoneConfig: { Comment: 'Department of Examples mail domain' } },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // AND the name servers are an output, joined with commas
    template.hasOutput('*', {
      Description: 'Name servers of the dept.gov.uk hosted zone: delegate the domain to them at its parent.',
      Value: { 'Fn::Join': [',', { 'Fn::GetAtt': [zoneId, 'NameServers'] }] },
    });
    expect(Object.keys(template.toJSON().Outputs)).toHaveLength(1);
    // AND no DNSSEC resources, and the profile's note that DNSSEC is recommended
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::Route53::KeySigningKey', 0);
    template.resourceCountIs('AWS::Route53::DNSSEC', 0);
    expect(construct.dnssecKey).toBeUndefined();
    expect(construct.zoneName).toBe('dept.gov.uk');
    Annotations.fromStack(stack).hasInfo('/Test/Zone',
      '[cdk-gov-email:GOVUK-DNSSEC] dept.gov.uk\'s zone is not signed with DNSSEC; signing is recommended (the DS record at the parent is a manual step).');
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('an explicit removal policy replaces the default', () => {
    // GIVEN / WHEN the caller asks for the zone to be destroyed with the stack
    const { stack } = hostedZone({ removalPolicy: RemovalPolicy.DESTROY });
    // THEN the zone has Delete policies
    const [, zone] = only(lint.template(stack), 'AWS::Route53::HostedZone');
    expect(zone.DeletionPolicy).toBe('Delete');
    expect(zone.UpdateReplacePolicy).toBe('Delete');
  });

  test('the zone can carry a ParkedDomain', () => {
    // GIVEN a created zone
    const { stack, construct } = hostedZone();
    // WHEN its domain is parked
    new ParkedDomain(stack, 'Parked', { zone: construct.zone, dmarcReportTo: ['mailto:dmarc@dept.gov.uk'] });
    const template = lint.template(stack);
    // THEN the record set group is in the created zone, at its name
    const [zoneId] = only(template, 'AWS::Route53::HostedZone');
    const [, group] = only(template, 'AWS::Route53::RecordSetGroup');
    expect(group.Properties.HostedZoneId).toEqual({ Ref: zoneId });
    expect(group.Properties.RecordSets[0].Name).toBe('dept.gov.uk.');
  });
});

describe('GovEmailHostedZone with DNSSEC', () => {
  test('in us-east-1: a retained ECC_NIST_P256 signing key Route 53 may use for this zone only, an active key-signing key, and signing that depends on it', () => {
    // GIVEN a stack in us-east-1
    // WHEN the zone is created with DNSSEC
    const { stack, construct } = hostedZone({ dnssec: true }, US_EAST_1);
    const template = lint.template(stack);
    const [zoneId] = only(template, 'AWS::Route53::HostedZone');
    const [keyId, key] = only(template, 'AWS::KMS::Key');
    const [kskId, ksk] = only(template, 'AWS::Route53::KeySigningKey');
    const [, dnssec] = only(template, 'AWS::Route53::DNSSEC');
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(4);
    expect(construct.dnssecKey).toBeDefined();

    // THEN the key is an asymmetric signing key, retained
    expect(key.Properties.KeySpec).toBe('ECC_NIST_P256');
    expect(key.Properties.KeyUsage).toBe('SIGN_VERIFY');
    expect(key.Properties.EnableKeyRotation).toBeUndefined();
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.UpdateReplacePolicy).toBe('Retain');
    // AND its policy keeps the account's administration and gives Route 53 exactly what it needs
    expect(key.Properties.KeyPolicy.Statement).toEqual([
      {
        Action: 'kms:*',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] } },
        Resource: '*',
      },
      {
        Sid: 'AllowRoute53DnssecService',
        Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
        Effect: 'Allow',
        Principal: { Service: 'dnssec-route53.amazonaws.com' },
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnEquals: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/', { Ref: zoneId }]] } },
        },
      },
      {
        Sid: 'AllowRoute53DnssecCreateGrant',
        Action: 'kms:CreateGrant',
        Effect: 'Allow',
        Principal: { Service: 'dnssec-route53.amazonaws.com' },
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
      },
    ]);
    // AND the key-signing key is active, uses the key, and is retained
    expect(ksk).toEqual({
      Type: 'AWS::Route53::KeySigningKey',
      Properties: {
        HostedZoneId: { Ref: zoneId },
        KeyManagementServiceArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Name: 'cdk_gov_email_ksk',
        Status: 'ACTIVE',
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // AND signing is enabled after the key-signing key exists, and retained
    expect(dnssec).toEqual({
      Type: 'AWS::Route53::DNSSEC',
      Properties: { HostedZoneId: { Ref: zoneId } },
      DependsOn: [kskId],
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // AND the manual DS step is an output and an info note; no region rule is needed
    template.hasOutput('*', {
      Value: { 'Fn::Join': ['', ['aws route53 get-dnssec --hosted-zone-id ', { Ref: zoneId }]] },
      Description: Match.stringLikeRegexp('^DNSSEC for dept.gov.uk is live only once the parent zone holds its DS record, a manual step'),
    });
    expect(Object.keys(template.toJSON().Rules ?? {}).filter((id) => id.startsWith('ZoneDnssecKeyRegion'))).toEqual([]);
    Annotations.fromStack(stack).hasInfo('/Test/Zone', Match.stringLikeRegexp('^\\[cdk-gov-email:GOVUK-DNSSEC\\] DNSSEC signing is enabled for dept.gov.uk; add the DS record at the parent zone'));
    expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('is not signed with DNSSEC'))).toEqual([]);
  });

  test('DESTROY applies to the key, the key-signing key and signing too', () => {
    // GIVEN / WHEN DNSSEC with an explicit DESTROY policy
    const { stack } = hostedZone({ dnssec: true, removalPolicy: RemovalPolicy.DESTROY }, US_EAST_1);
    const template = lint.template(stack);
    // THEN every resource is deleted with the stack
    for (const type of ['AWS::Route53::HostedZone', 'AWS::KMS::Key', 'AWS::Route53::KeySigningKey', 'AWS::Route53::DNSSEC']) {
      expect(only(template, type)[1].DeletionPolicy).toBe('Delete');
    }
  });

  test('in an environment-agnostic stack: a CloudFormation rule refuses deployment outside us-east-1', () => {
    // GIVEN a stack with no region
    // WHEN the zone is created with DNSSEC
    const { stack } = hostedZone({ dnssec: true });
    const template = lint.template(stack);
    // THEN the region is checked where it resolves, at deployment
    const rules = Object.entries(template.toJSON().Rules as Record<string, any>).filter(([id]) => id.startsWith('ZoneDnssecKeyRegion'));
    expect(rules).toHaveLength(1);
    expect(rules[0][1]).toEqual({
      Assertions: [{
        Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        AssertDescription: '[ROUTE53-DNSSEC-KEY-REGION] Route 53 signs a zone with a customer managed ECC_NIST_P256 KMS key in US East (N. Virginia), us-east-1, so the stack that creates the key is in us-east-1.',
      }],
    });
  });

  test.each([
    ['eu-west-2'],
    ['us-east-2'],
  ])('in %s: fails synth with ROUTE53-DNSSEC-KEY-REGION', (region) => {
    // GIVEN a stack in a region other than us-east-1
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region } });
    // WHEN the zone is created with DNSSEC
    // THEN construction fails, naming the path, the rule, the region and what is allowed
    expect(() => new GovEmailHostedZone(stack, 'Zone', { zoneName: 'dept.gov.uk', dnssec: true })).toThrow(
      `Test/Zone: [ROUTE53-DNSSEC-KEY-REGION] Route 53 signs a zone with a customer managed ECC_NIST_P256 KMS key in US East (N. Virginia), us-east-1, so the stack that creates the key is in us-east-1. Got: "${region}". Allowed: a stack in "us-east-1" for dnssec: true (create the zone in a us-east-1 stack, or leave dnssec off).`);
  });

  test('in another region without DNSSEC, the zone is created', () => {
    // GIVEN a stack in eu-west-2
    // WHEN the zone is created without DNSSEC
    const { stack } = hostedZone({}, { account: '123456789012', region: 'eu-west-2' });
    // THEN the zone exists (zones are global)
    lint.template(stack).resourceCountIs('AWS::Route53::HostedZone', 1);
  });
});

describe('GovEmailHostedZone: bad input', () => {
  test.each([
    ['not a domain name', 'dept gov uk'],
    ['a single label', 'localhost'],
    ['a wildcard', '*.dept.gov.uk'],
  ])('a zone name that is %s fails synth', (_name, zoneName) => {
    // GIVEN a stack
    const stack = new Stack(new App(), 'Test');
    // WHEN the zone name is not a domain name
    // THEN construction fails with the path, rule, value and what is allowed
    expect(() => new GovEmailHostedZone(stack, 'Zone', { zoneName })).toThrow(
      `Test/Zone: [DNS-NAME-SYNTAX] A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all. Got: "${zoneName}". Allowed: zoneName as a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all).`);
  });
});

describe('GovEmailHostedZone: snapshots', () => {
  test.each<[string, () => Stack]>([
    ['defaults', () => hostedZone().stack],
    ['DNSSEC in us-east-1', () => hostedZone({ dnssec: true }, US_EAST_1).stack],
    ['DNSSEC in an environment-agnostic stack', () => hostedZone({ dnssec: true }).stack],
  ])('%s', (_name, build) => {
    // GIVEN / WHEN the scenario
    // THEN the template is as reviewed (logical ids are public API)
    expect(lint.template(build()).toJSON()).toMatchSnapshot();
  });
});
