import { originText, recordsFromTemplate } from '../../src/assembly/resources';
import { CfnTemplate } from '../../src/assembly/template';

const ZONE = { Type: 'AWS::Route53::HostedZone', Properties: { Name: 'Dept.Gov.UK.' } };
const recordSet = (props: Record<string, unknown>) => ({ Type: 'AWS::Route53::RecordSet', Properties: props });

describe('recordsFromTemplate: record sets', () => {
  // GIVEN a template with the shapes CDK and hand-written templates use
  const template: CfnTemplate = {
    Resources: {
      Zone: ZONE,
      Spf: recordSet({ HostedZoneId: { Ref: 'Zone' }, Name: 'Dept.Gov.UK.', Type: 'TXT', TTL: '3600', ResourceRecords: ['"v=spf1 " "-all"', '"MS=ms1"'] }),
      Dmarc: recordSet({ HostedZoneId: { 'Fn::GetAtt': ['Zone', 'Id'] }, Name: { 'Fn::Join': ['', ['_dmarc.', 'dept.gov.uk', '.']] }, Type: 'TXT', TTL: 300, ResourceRecords: ['"v=DMARC1; p=reject"'] }),
      Imported: recordSet({ HostedZoneId: 'Z0123456789', Name: 'other.gov.uk', Type: 'MX', TTL: '3600', ResourceRecords: ['10 mail.other.gov.uk.'] }),
      ByName: recordSet({ HostedZoneName: 'third.gov.uk.', Name: '\\052._domainkey.third.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: ['"v=DKIM1; p="'] }),
      Unknown: recordSet({ HostedZoneId: { 'Fn::ImportValue': 'Elsewhere:Zone' }, Name: 'x.gov.uk.', Type: 'TXT', TTL: { Ref: 'Ttl' }, ResourceRecords: ['"a"'] }),
      Alias: recordSet({ HostedZoneId: { Ref: 'Zone' }, Name: 'mta-sts.dept.gov.uk.', Type: 'A', AliasTarget: { DNSName: { 'Fn::GetAtt': ['Cdn', 'DomainName'] }, HostedZoneId: 'Z2FDTNDATAQYW2' } }),
      Weighted: recordSet({ HostedZoneId: { Ref: 'Zone' }, Name: 'www.dept.gov.uk.', Type: 'CNAME', TTL: '60', SetIdentifier: 'blue', Weight: 1, ResourceRecords: ['blue.example.net'] }),
      Group: {
        Type: 'AWS::Route53::RecordSetGroup',
        Properties: {
          HostedZoneName: 'old.gov.uk.',
          RecordSets: [
            { Name: 'old.gov.uk.', Type: 'TXT', TTL: '86400', ResourceRecords: ['"v=spf1 -all"'] },
            { Name: 'old.gov.uk.', Type: 'mx', TTL: '86400', ResourceRecords: ['0 .'] },
          ],
        },
      },
      Bucket: { Type: 'AWS::S3::Bucket' },
    },
  };
  // WHEN
  const { records } = recordsFromTemplate(template, 'Dept', { templateFile: 'cdk.out/Dept.template.json' });
  const byId = (id: string, index?: number) => records.find((r) => r.origin.logicalId === id && r.origin.index === index)!;

  test('every record set and every group entry, nothing else', () => {
    expect(records.map((r) => originText(r.origin))).toEqual([
      'Dept/Spf', 'Dept/Dmarc', 'Dept/Imported', 'Dept/ByName', 'Dept/Unknown', 'Dept/Alias', 'Dept/Weighted',
      'Dept/Group.RecordSets[0]', 'Dept/Group.RecordSets[1]',
    ]);
  });

  test('a record in a zone of the template: name lower-cased without the dot, values as written', () => {
    expect(byId('Spf')).toEqual({
      name: 'dept.gov.uk',
      nameUnresolved: false,
      type: 'TXT',
      ttl: 3600,
      values: ['"v=spf1 " "-all"', '"MS=ms1"'],
      alias: false,
      zone: 'dept.gov.uk',
      zoneKey: 'dept.gov.uk',
      origin: { stack: 'Dept', logicalId: 'Spf', templateFile: 'cdk.out/Dept.template.json' },
      unresolved: false,
    });
  });

  test('a joined name and a numeric TTL; the zone by Fn::GetAtt Id', () => {
    expect(byId('Dmarc')).toMatchObject({ name: '_dmarc.dept.gov.uk', ttl: 300, zone: 'dept.gov.uk', unresolved: false });
  });

  test('an imported zone id is shown as <hosted zone ID>', () => {
    expect(byId('Imported')).toMatchObject({ name: 'other.gov.uk', type: 'MX', zone: '<hosted zone Z0123456789>', zoneKey: 'id:Z0123456789', values: ['10 mail.other.gov.uk.'] });
  });

  test('a zone by HostedZoneName; Route 53\'s \\052 is a *', () => {
    expect(byId('ByName')).toMatchObject({ name: '*._domainkey.third.gov.uk', zone: 'third.gov.uk', zoneKey: 'third.gov.uk' });
  });

  test('a zone and a TTL that are not known here', () => {
    const r = byId('Unknown');
    expect(r).toMatchObject({ zone: '<Fn::ImportValue Elsewhere:Zone>', unresolved: false });
    expect(r.ttl).toBeUndefined();
  });

  test('an alias record: no TTL, the target as a placeholder, unresolved', () => {
    expect(byId('Alias')).toMatchObject({ name: 'mta-sts.dept.gov.uk', type: 'A', alias: true, values: ['ALIAS <Fn::GetAtt Cdn.DomainName>'], unresolved: true });
    expect(byId('Alias').ttl).toBeUndefined();
  });

  test('a routing-policy record keeps its set identifier', () => {
    expect(byId('Weighted').setIdentifier).toBe('blue');
  });

  test('group entries take the group\'s zone; types are upper-cased', () => {
    expect(byId('Group', 1)).toMatchObject({ name: 'old.gov.uk', type: 'MX', zone: 'old.gov.uk', values: ['0 .'], origin: { stack: 'Dept', logicalId: 'Group', index: 1 } });
  });
});

describe('recordsFromTemplate: SES DKIM records', () => {
  const template: CfnTemplate = {
    Resources: {
      Identity: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'Dept.gov.uk' } },
      Dkim2: recordSet({ HostedZoneId: 'Z1', Name: { 'Fn::GetAtt': ['Identity', 'DkimDNSTokenName2'] }, Type: 'CNAME', TTL: '1800', ResourceRecords: [{ 'Fn::GetAtt': ['Identity', 'DkimDNSTokenValue2'] }] }),
    },
  };

  test('are shown as <SES DKIM token name/value N>, unresolved, and tied to their identity', () => {
    expect(recordsFromTemplate(template, 'Mail').records[0]).toMatchObject({
      name: '<SES DKIM token name 2>',
      nameUnresolved: true,
      values: ['<SES DKIM token value 2>'],
      sesIdentity: 'dept.gov.uk',
      unresolved: true,
    });
  });
});

describe('recordsFromTemplate: SES and CloudFront', () => {
  const template: CfnTemplate = {
    Resources: {
      Tls: { Type: 'AWS::SES::ConfigurationSet', Properties: { Name: 'require-tls', DeliveryOptions: { TlsPolicy: 'REQUIRE' } } },
      Plain: { Type: 'AWS::SES::ConfigurationSet', Properties: {} },
      Identity: {
        Type: 'AWS::SES::EmailIdentity',
        Properties: {
          EmailIdentity: 'dept.gov.uk',
          ConfigurationSetAttributes: { ConfigurationSetName: { Ref: 'Tls' } },
          DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' },
          MailFromAttributes: { MailFromDomain: 'Bounce.dept.gov.uk', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
        },
      },
      Byo: {
        Type: 'AWS::SES::EmailIdentity',
        Properties: { EmailIdentity: 'notify.dept.gov.uk', ConfigurationSetAttributes: { ConfigurationSetName: 'shared-set' }, DkimSigningAttributes: { DomainSigningSelector: 'sel1', DomainSigningPrivateKey: 'x' }, DkimAttributes: { SigningEnabled: false } },
      },
      Fn: { Type: 'AWS::CloudFront::Function', Properties: { FunctionCode: 'function handler(e) { return e.request; }' } },
      Cdn: {
        Type: 'AWS::CloudFront::Distribution',
        Properties: {
          DistributionConfig: {
            Aliases: ['MTA-STS.dept.gov.uk', 'mta-sts.old.gov.uk'],
            ViewerCertificate: { AcmCertificateArn: 'arn:aws:acm:us-east-1:1:certificate/x', MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
            DefaultCacheBehavior: { FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': ['Fn', 'FunctionARN'] } }] },
          },
        },
      },
      DefaultCert: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { ViewerCertificate: { CloudFrontDefaultCertificate: true } } } },
    },
  };
  const resources = recordsFromTemplate(template, 'Mail');

  test('configuration sets with their TLS policy', () => {
    expect(resources.configurationSets).toEqual([
      { name: 'require-tls', tlsPolicy: 'REQUIRE', tlsPolicyUnresolved: false, origin: { stack: 'Mail', logicalId: 'Tls' } },
      { tlsPolicyUnresolved: false, origin: { stack: 'Mail', logicalId: 'Plain' } },
    ]);
  });

  test('identities with their default configuration set, DKIM and MAIL FROM settings', () => {
    expect(resources.sesIdentities).toEqual([
      {
        identity: 'dept.gov.uk',
        identityUnresolved: false,
        configurationSetName: 'require-tls',
        configurationSetRef: 'Mail/Tls',
        configurationSetUnresolved: false,
        dkimSigningEnabled: true,
        nextSigningKeyLength: 'RSA_1024_BIT',
        mailFromDomain: 'bounce.dept.gov.uk',
        behaviorOnMxFailure: 'USE_DEFAULT_VALUE',
        origin: { stack: 'Mail', logicalId: 'Identity' },
      },
      {
        identity: 'notify.dept.gov.uk',
        identityUnresolved: false,
        configurationSetName: 'shared-set',
        configurationSetUnresolved: false,
        dkimSigningEnabled: false,
        domainSigningSelector: 'sel1',
        origin: { stack: 'Mail', logicalId: 'Byo' },
      },
    ]);
  });

  test('distributions with their aliases, minimum TLS and functions', () => {
    expect(resources.distributions).toEqual([
      { aliases: ['mta-sts.dept.gov.uk', 'mta-sts.old.gov.uk'], minimumProtocolVersion: 'TLSv1.2_2021', minimumProtocolVersionUnresolved: false, cloudFrontDefaultCertificate: false, functionRefs: ['Mail/Fn'], origin: { stack: 'Mail', logicalId: 'Cdn' } },
      { aliases: [], minimumProtocolVersionUnresolved: false, cloudFrontDefaultCertificate: true, functionRefs: [], origin: { stack: 'Mail', logicalId: 'DefaultCert' } },
    ]);
    expect(resources.functions).toEqual([{ code: 'function handler(e) { return e.request; }', origin: { stack: 'Mail', logicalId: 'Fn' } }]);
  });
});

test('a template with no resources publishes nothing', () => {
  expect(recordsFromTemplate({}, 'Empty')).toEqual({ records: [], sesIdentities: [], configurationSets: [], distributions: [], functions: [] });
});

describe('SES Easy DKIM records named with a trailing dot', () => {
  test('a name made as Fn::Join of the token attribute and "." still belongs to its identity', () => {
    const template = {
      Resources: {
        Identity: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'dept.gov.uk' } },
        Dkim1: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: 'Z0DEPT00000000000001',
            Name: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Identity', 'DkimDNSTokenName1'] }, '.']] },
            Type: 'CNAME',
            TTL: '3600',
            ResourceRecords: [{ 'Fn::GetAtt': ['Identity', 'DkimDNSTokenValue1'] }],
          },
        },
      },
    };
    const { records } = recordsFromTemplate(template, 'Mail');
    expect(records).toHaveLength(1);
    expect(records[0].sesIdentity).toBe('dept.gov.uk');
  });
});
