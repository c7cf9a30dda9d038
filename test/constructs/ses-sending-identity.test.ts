import { App, CfnParameter, Duration, Fn, RemovalPolicy, Stack, StackProps, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import { SesDkim, SesSendingIdentity, SesSendingIdentityProps } from '../../src/constructs/ses-sending-identity';
import { Dkim } from '../../src/records/dkim';
import { Severity } from '../../src/records/finding';
import { Mx } from '../../src/records/mx';
import { Spf } from '../../src/records/spf';
import { TxtChunks } from '../../src/records/txt';
import dkimFixtures from '../fixtures/dkim.json';
import { TemplateLinter } from '../util/cfn-lint';
import { thrownBy } from '../util/constructs';

// Keys from the DKIM fixtures (test/fixtures/dkim.json), so no key material is written here.
const keyOf = (name: string) => Dkim.parse(TxtChunks.parse(dkimFixtures.find((f) => f.name === name)!.value)).publicKey;
const KEY_2048 = keyOf('google._domainkey.example.gov.uk');
const KEY_1024 = keyOf('selector1._domainkey.example.gov.uk');
const KEY_512 = keyOf('old._domainkey.example.gov.uk');

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:111111111111:secret:ses-dkim-AbCdEf';
const ENV = { account: '111111111111', region: 'eu-west-2' };

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

/** Every template synthesised here, for the parse-back test. */
const emitted: Array<{ scenario: string; template: Template }> = [];

interface Setup {
  readonly stack: Stack;
  readonly zone: route53.IHostedZone;
}

function newStack(stackProps: StackProps = { env: ENV }): Setup {
  const app = new App();
  const stack = new Stack(app, 'Dept', stackProps);
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'dept.gov.uk' });
  return { stack, zone };
}

function synth(scenario: string, stack: Stack): Template {
  const template = lint.template(stack);
  emitted.push({ scenario, template });
  return template;
}

function build(scenario: string, props: Partial<SesSendingIdentityProps> = {}, stackProps?: StackProps) {
  const { stack, zone } = newStack(stackProps);
  const ses1 = new SesSendingIdentity(stack, 'Ses', { zone, ...props });
  return { stack, zone, ses: ses1, template: synth(scenario, stack) };
}

/** The message synthesis fails with (CDK lists every validation error with its path). */
const synthError = (stack: Stack) => thrownBy(() => Template.fromStack(stack));

const ack = (id: string) => Match.stringLikeRegexp(`\\[ack: cdk-gov-email:${id}\\]`);

describe('SesSendingIdentity: defaults', () => {
  // GIVEN a zone dept.gov.uk in eu-west-2, WHEN the identity is created with defaults
  const { stack, ses: identity, template } = build('defaults');

  test('creates exactly the identity, its configuration set and five records', () => {
    // THEN
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    template.resourceCountIs('AWS::Route53::RecordSet', 5);
    expect(Object.keys(template.toJSON().Resources).sort()).toEqual([
      'SesConfigurationSet74E7EAAF',
      'SesDkimCname1D004363E',
      'SesDkimCname2F35D7EAA',
      'SesDkimCname3EDA6F04E',
      'SesIdentity9ACE5943',
      'SesMailFromMxEEE4F17B',
      'SesMailFromSpfF7CAA19A',
      'ZoneA5DE4B68',
    ]);
  });

  test('the identity: Easy DKIM RSA_2048_BIT, MAIL FROM with REJECT_MESSAGE, default configuration set, retained', () => {
    template.hasResource('AWS::SES::EmailIdentity', {
      Properties: {
        EmailIdentity: 'dept.gov.uk',
        DkimAttributes: { SigningEnabled: true },
        DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
        MailFromAttributes: { MailFromDomain: 'mail.dept.gov.uk', BehaviorOnMxFailure: 'REJECT_MESSAGE' },
        ConfigurationSetAttributes: { ConfigurationSetName: { Ref: 'SesConfigurationSet74E7EAAF' } },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('the configuration set requires TLS, suppresses bounces and complaints, publishes reputation metrics, retained', () => {
    template.hasResource('AWS::SES::ConfigurationSet', {
      Properties: {
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: true },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test.each([1, 2, 3])('DKIM CNAME %d: name and value are the identity\'s attributes, name fully qualified once', (n) => {
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: { Ref: 'ZoneA5DE4B68' },
      Type: 'CNAME',
      TTL: '3600',
      Name: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['SesIdentity9ACE5943', `DkimDNSTokenName${n}`] }, '.']] },
      ResourceRecords: [{ 'Fn::GetAtt': ['SesIdentity9ACE5943', `DkimDNSTokenValue${n}`] }],
    });
  });

  test('the DKIM CNAMEs and MAIL FROM records are retained with the identity, so it stays verified; logical ids unchanged', () => {
    // THEN every record that verifies the identity keeps DeletionPolicy and UpdateReplacePolicy Retain
    const records = template.findResources('AWS::Route53::RecordSet');
    expect(Object.keys(records).sort()).toEqual([
      'SesDkimCname1D004363E', 'SesDkimCname2F35D7EAA', 'SesDkimCname3EDA6F04E', 'SesMailFromMxEEE4F17B', 'SesMailFromSpfF7CAA19A',
    ]);
    for (const record of Object.values(records)) {
      expect(record).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('no SES host is hard-coded in the DKIM records', () => {
    const cnames = template.findResources('AWS::Route53::RecordSet', { Properties: { Type: 'CNAME' } });
    expect(Object.keys(cnames)).toHaveLength(3);
    expect(JSON.stringify(cnames)).not.toMatch(/amazonses|dkim\./i);
  });

  test('MAIL FROM MX: 10 feedback-smtp.eu-west-2.amazonses.com.', () => {
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: { Ref: 'ZoneA5DE4B68' },
      Name: 'mail.dept.gov.uk.',
      Type: 'MX',
      TTL: '3600',
      ResourceRecords: ['10 feedback-smtp.eu-west-2.amazonses.com.'],
    });
  });

  test('MAIL FROM SPF TXT, quoted for Route 53', () => {
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: { Ref: 'ZoneA5DE4B68' },
      Name: 'mail.dept.gov.uk.',
      Type: 'TXT',
      TTL: '3600',
      ResourceRecords: ['"v=spf1 include:amazonses.com -all"'],
    });
  });

  test('exposes the domain, the MAIL FROM domain, the identity and the configuration set', () => {
    expect(identity.domainName).toBe('dept.gov.uk');
    expect(identity.mailFromDomain).toBe('mail.dept.gov.uk');
    expect(stack.resolve(identity.identity.emailIdentityName)).toEqual({ Ref: 'SesIdentity9ACE5943' });
    expect(stack.resolve(identity.configurationSet.configurationSetName)).toEqual({ Ref: 'SesConfigurationSet74E7EAAF' });
  });

  test('raises no warning', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('SesSendingIdentity: identity below the zone apex', () => {
  // GIVEN the zone dept.gov.uk, WHEN the identity is notify.dept.gov.uk
  const { stack, ses: identity, template } = build('subdomain', { domainName: 'notify.dept.gov.uk' });

  test('the identity and MAIL FROM are the subdomain', () => {
    // THEN
    expect(identity.mailFromDomain).toBe('mail.notify.dept.gov.uk');
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'notify.dept.gov.uk',
      MailFromAttributes: { MailFromDomain: 'mail.notify.dept.gov.uk', BehaviorOnMxFailure: 'REJECT_MESSAGE' },
    });
  });

  test('the MAIL FROM records are at mail.notify.dept.gov.uk. in the parent zone', () => {
    for (const type of ['MX', 'TXT']) {
      const found = template.findResources('AWS::Route53::RecordSet', { Properties: { Type: type } });
      expect(Object.values(found).map((r: any) => [r.Properties.Name, r.Properties.HostedZoneId])).toEqual([
        ['mail.notify.dept.gov.uk.', { Ref: 'ZoneA5DE4B68' }],
      ]);
    }
  });

  test('the DKIM CNAME names are the attributes plus a dot, never the zone appended again', () => {
    const cnames = Object.values(template.findResources('AWS::Route53::RecordSet', { Properties: { Type: 'CNAME' } }));
    expect(cnames.map((r: any) => r.Properties.Name)).toEqual([1, 2, 3].map((n) => (
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['SesIdentity9ACE5943', `DkimDNSTokenName${n}`] }, '.']] })));
    expect(JSON.stringify(cnames)).not.toContain('dept.gov.uk');
  });

  test('raises no warning', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('SesSendingIdentity: options', () => {
  test('mailFromSubdomain of two labels, ttl and configurationSetName', () => {
    // GIVEN / WHEN
    const { ses: identity, template } = build('options', {
      domainName: 'notify.dept.gov.uk',
      mailFromSubdomain: 'bounce.mail',
      ttl: Duration.minutes(5),
      configurationSetName: 'dept-notify',
    });
    // THEN
    expect(identity.mailFromDomain).toBe('bounce.mail.notify.dept.gov.uk');
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'bounce.mail.notify.dept.gov.uk.', Type: 'MX', TTL: '300', ResourceRecords: ['10 feedback-smtp.eu-west-2.amazonses.com.'],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'bounce.mail.notify.dept.gov.uk.', Type: 'TXT', TTL: '300', ResourceRecords: ['"v=spf1 include:amazonses.com -all"'],
    });
    expect(Object.values(template.findResources('AWS::Route53::RecordSet')).map((r: any) => r.Properties.TTL))
      .toEqual(['300', '300', '300', '300', '300']);
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'dept-notify' });
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      MailFromAttributes: { MailFromDomain: 'bounce.mail.notify.dept.gov.uk', BehaviorOnMxFailure: 'REJECT_MESSAGE' },
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: 'SesConfigurationSet74E7EAAF' } },
    });
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('removalPolicy DESTROY applies to the identity and the configuration set', () => {
    // GIVEN / WHEN
    const { template } = build('destroy', { removalPolicy: RemovalPolicy.DESTROY });
    // THEN
    template.hasResource('AWS::SES::EmailIdentity', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    template.hasResource('AWS::SES::ConfigurationSet', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    // and to the records that verify the identity, which go with it
    const records = Object.values(template.findResources('AWS::Route53::RecordSet'));
    expect(records).toHaveLength(5);
    for (const record of records) {
      expect(record).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    }
  });

  test('tlsPolicy OPTIONAL is allowed explicitly and warns GOVUK-SES-TLS-REQUIRED', () => {
    // GIVEN / WHEN
    const { stack, template } = build('tls-optional', { tlsPolicy: ses.ConfigurationSetTlsPolicy.OPTIONAL });
    // THEN
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { DeliveryOptions: { TlsPolicy: 'OPTIONAL' } });
    Annotations.fromStack(stack).hasWarning('/Dept/Ses', ack('GOVUK-SES-TLS-REQUIRED'));
    Annotations.fromStack(stack).hasWarning('/Dept/Ses',
      Match.stringLikeRegexp('^The configuration set\'s TLS policy is OPTIONAL: SES may deliver this identity\'s mail in plain text\\.'));
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('tlsPolicy REQUIRE given explicitly raises no warning', () => {
    const { stack, template } = build('tls-require', { tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { DeliveryOptions: { TlsPolicy: 'REQUIRE' } });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('Easy DKIM RSA_1024_BIT is allowed explicitly and warns DKIM-RSA-KEY-UNDER-2048', () => {
    // GIVEN / WHEN
    const { stack, template } = build('easy-1024', { dkim: SesDkim.easy(ses.EasyDkimSigningKeyLength.RSA_1024_BIT) });
    // THEN
    template.hasResourceProperties('AWS::SES::EmailIdentity', { DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' } });
    Annotations.fromStack(stack).hasWarning('/Dept/Ses', ack('DKIM-RSA-KEY-UNDER-2048'));
    template.resourceCountIs('AWS::Route53::RecordSet', 5);
  });

  test('SesDkim.easy() with no argument is RSA_2048_BIT', () => {
    const { template } = build('easy-explicit', { dkim: SesDkim.easy() });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' } });
  });
});

describe('SesSendingIdentity: BYODKIM', () => {
  function byo(options: { publicKey: string; selector?: string; jsonField?: string; secretInStack?: boolean }) {
    const { stack, zone } = newStack();
    const privateKey = options.secretInStack
      ? new secretsmanager.Secret(stack, 'DkimKey')
      : secretsmanager.Secret.fromSecretCompleteArn(stack, 'DkimKey', SECRET_ARN);
    const identity = new SesSendingIdentity(stack, 'Ses', {
      zone,
      domainName: 'notify.dept.gov.uk',
      dkim: SesDkim.byoDkim({
        selector: options.selector ?? 'ses2026',
        privateKey,
        privateKeyJsonField: options.jsonField,
        publicKey: options.publicKey,
      }),
    });
    return { stack, identity };
  }

  test('the private key is a Secrets Manager dynamic reference and the public key a TXT record', () => {
    // GIVEN / WHEN
    const { stack } = byo({ publicKey: KEY_2048 });
    const template = synth('byodkim', stack);
    // THEN the key record is retained with the identity
    template.hasResource('AWS::Route53::RecordSet', {
      Properties: { Type: 'TXT', Name: 'ses2026._domainkey.notify.dept.gov.uk.' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'notify.dept.gov.uk',
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: {
        DomainSigningPrivateKey: `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:::}}`,
        DomainSigningSelector: 'ses2026',
        NextSigningKeyLength: Match.absent(),
      },
    });
    const record = `v=DKIM1; k=rsa; p=${KEY_2048}`;
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: { Ref: 'ZoneA5DE4B68' },
      Name: 'ses2026._domainkey.notify.dept.gov.uk.',
      Type: 'TXT',
      TTL: '3600',
      ResourceRecords: [`"${record.slice(0, 255)}" "${record.slice(255)}"`],
    });
    // No Easy DKIM CNAMEs: SES has no tokens for a BYODKIM identity.
    template.resourceCountIs('AWS::Route53::RecordSet', 3);
    expect(template.findResources('AWS::Route53::RecordSet', { Properties: { Type: 'CNAME' } })).toEqual({});
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('a secret in the stack, read from a JSON field, is referenced and never inlined', () => {
    // GIVEN / WHEN
    const { stack } = byo({ publicKey: KEY_2048, jsonField: 'privateKey', secretInStack: true });
    const template = synth('byodkim-json', stack);
    // THEN
    const identity = Object.values(template.findResources('AWS::SES::EmailIdentity'))[0] as any;
    expect(identity.Properties.DkimSigningAttributes.DomainSigningPrivateKey).toEqual({
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'DkimKey7881C5C4' }, ':SecretString:privateKey::}}']],
    });
    expect(JSON.stringify(identity)).not.toMatch(/PRIVATE KEY|MII/);
  });

  test('a PEM-armoured public key is published as the bare base64 key', () => {
    // GIVEN a key with PEM armour and line breaks
    const pem = `-----BEGIN PUBLIC KEY-----\n${KEY_2048.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    // WHEN
    const { stack } = byo({ publicKey: pem });
    const template = synth('byodkim-pem', stack);
    // THEN
    const txt = Object.values(template.findResources('AWS::Route53::RecordSet', { Properties: { Name: 'ses2026._domainkey.notify.dept.gov.uk.' } }));
    expect(txt).toHaveLength(1);
    expect(TxtChunks.parse((txt[0] as any).Properties.ResourceRecords[0])).toBe(`v=DKIM1; k=rsa; p=${KEY_2048}`);
  });

  test('a 1024-bit public key is published with the DKIM-RSA-KEY-UNDER-2048 warning', () => {
    const { stack } = byo({ publicKey: KEY_1024 });
    const template = synth('byodkim-1024', stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'ses2026._domainkey.notify.dept.gov.uk.', Type: 'TXT', ResourceRecords: [`"v=DKIM1; k=rsa; p=${KEY_1024}"`],
    });
    Annotations.fromStack(stack).hasWarning('/Dept/Ses', ack('DKIM-RSA-KEY-UNDER-2048'));
  });

  test('a public key that is a token: no TXT record, and the GOVUK-DKIM-MISSING warning names it', () => {
    // GIVEN a key from a parameter
    const { stack, zone } = newStack();
    const param = new CfnParameter(stack, 'DkimPublicKey');
    // WHEN
    new SesSendingIdentity(stack, 'Ses', {
      zone,
      dkim: SesDkim.byoDkim({
        selector: 'ses2026',
        privateKey: secretsmanager.Secret.fromSecretCompleteArn(stack, 'DkimKey', SECRET_ARN),
        publicKey: param.valueAsString,
      }),
    });
    const template = synth('byodkim-token', stack);
    // THEN
    expect(template.findResources('AWS::Route53::RecordSet', { Properties: { Type: 'TXT', Name: Match.stringLikeRegexp('_domainkey') } })).toEqual({});
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
    Annotations.fromStack(stack).hasWarning('/Dept/Ses', ack('GOVUK-DKIM-MISSING'));
    Annotations.fromStack(stack).hasWarning('/Dept/Ses',
      Match.stringLikeRegexp('the TXT record ses2026\\._domainkey\\.dept\\.gov\\.uk was not created'));
  });

  test.each([
    ['512-bit key', KEY_512, '[Dept/Ses] [DKIM-RSA-KEY-UNDER-1024] The RSA key is 512 bits; the minimum is 1024. (RFC 8301 §3.2)'],
    ['not base64', 'not*a*key', '[Dept/Ses] [DKIM-KEY-INVALID] The key is not base64: it holds "*". (RFC 6376 §3.6.1; RFC 8463 §4)'],
  ])('a bad public key (%s) fails synth with the DKIM finding', (_desc, publicKey, expected) => {
    // GIVEN / WHEN
    const { stack } = byo({ publicKey });
    // THEN
    expect(synthError(stack)).toBe(`Validation failed with the following errors:\n  ${expected}`);
  });
});

describe('SesSendingIdentity: imported zones and unresolved values', () => {
  test('a zone imported by id alone: fully-qualified names, and a warning that zone membership was not checked', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Dept', { env: ENV });
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ');
    // WHEN
    new SesSendingIdentity(stack, 'Ses', { zone, domainName: 'notify.dept.gov.uk' });
    const template = synth('zone-by-id', stack);
    // THEN
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0123456789ABCDEFGHIJ', Name: 'mail.notify.dept.gov.uk.', Type: 'MX',
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0123456789ABCDEFGHIJ', Name: 'mail.notify.dept.gov.uk.', Type: 'TXT',
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      Name: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['SesIdentity9ACE5943', 'DkimDNSTokenName1'] }, '.']] },
    });
    Annotations.fromStack(stack).hasWarning('/Dept/Ses', ack('GOVUK-NOT-EVALUATED'));
    Annotations.fromStack(stack).hasWarning('/Dept/Ses',
      Match.stringLikeRegexp('^Whether "notify\\.dept\\.gov\\.uk" is in the hosted zone \\(its name is a token\\) is not known until deployment'));
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('a zone imported with its name: names relative to it, as with a zone in the stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Dept', { env: ENV });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'dept.gov.uk' });
    const identity = new SesSendingIdentity(stack, 'Ses', { zone });
    const template = synth('zone-attributes', stack);
    expect(identity.domainName).toBe('dept.gov.uk');
    template.hasResourceProperties('AWS::Route53::RecordSet', { HostedZoneId: 'Z0123456789ABCDEFGHIJ', Name: 'mail.dept.gov.uk.', Type: 'MX' });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a zone name with a trailing dot is the same zone', () => {
    const app = new App();
    const stack = new Stack(app, 'Dept', { env: ENV });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'dept.gov.uk.' });
    const identity = new SesSendingIdentity(stack, 'Ses', { zone });
    const template = synth('zone-trailing-dot', stack);
    expect(identity.domainName).toBe('dept.gov.uk');
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'dept.gov.uk' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'mail.dept.gov.uk.', Type: 'TXT' });
  });

  test('a zone whose name is a token and no domainName: the identity is the token, with a warning', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Dept', { env: ENV });
    const zoneName = new CfnParameter(stack, 'ZoneName').valueAsString;
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName });
    // WHEN
    const identity = new SesSendingIdentity(stack, 'Ses', { zone });
    const template = synth('zone-token', stack);
    // THEN
    expect(Token.isUnresolved(identity.domainName)).toBe(true);
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: { Ref: 'ZoneName' },
      MailFromAttributes: { MailFromDomain: { 'Fn::Join': ['', ['mail.', { Ref: 'ZoneName' }]] } },
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: { 'Fn::Join': ['', ['mail.', { Ref: 'ZoneName' }, '.']] }, Type: 'MX',
    });
    Annotations.fromStack(stack).hasWarning('/Dept/Ses', ack('GOVUK-NOT-EVALUATED'));
  });

  test('a MAIL FROM subdomain and a BYODKIM selector that are tokens are warned about, not checked', () => {
    // GIVEN
    const { stack, zone } = newStack();
    const sub = new CfnParameter(stack, 'MailFrom').valueAsString;
    const selector = new CfnParameter(stack, 'Selector').valueAsString;
    // WHEN
    new SesSendingIdentity(stack, 'Ses', {
      zone,
      mailFromSubdomain: sub,
      dkim: SesDkim.byoDkim({ selector, privateKey: secretsmanager.Secret.fromSecretCompleteArn(stack, 'DkimKey', SECRET_ARN), publicKey: KEY_2048 }),
    });
    const template = synth('tokens', stack);
    // THEN
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: { 'Fn::Join': ['', [{ Ref: 'MailFrom' }, '.dept.gov.uk.']] }, Type: 'MX',
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: { 'Fn::Join': ['', [{ Ref: 'Selector' }, '._domainkey.dept.gov.uk.']] }, Type: 'TXT',
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { DkimSigningAttributes: { DomainSigningSelector: { Ref: 'Selector' } } });
    const warnings = Annotations.fromStack(stack).findWarning('/Dept/Ses', ack('GOVUK-NOT-EVALUATED'));
    expect(warnings.map((w) => String(w.entry.data).replace(/\$\{Token\[[^\]]+\]\}/g, '<token>').split(' is not known')[0])).toEqual([
      'The MAIL FROM subdomain ("<token>")',
      'The BYODKIM selector ("<token>")',
    ]);
  });

  test('an environment-agnostic stack: the MX host is joined with AWS::Region, with a warning', () => {
    // GIVEN / WHEN
    const { stack, template } = build('region-token', {}, {});
    // THEN
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'mail.dept.gov.uk.',
      Type: 'MX',
      ResourceRecords: [{ 'Fn::Join': ['', ['10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com.']] }],
    });
    Annotations.fromStack(stack).hasWarning('/Dept/Ses', ack('GOVUK-NOT-EVALUATED'));
    Annotations.fromStack(stack).hasWarning('/Dept/Ses', Match.stringLikeRegexp('^The MAIL FROM MX host feedback-smtp\\.<region>\\.amazonses\\.com'));
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('SesSendingIdentity: bad input fails synth with the path, rule, value and what is allowed', () => {
  const DOMAIN_SUMMARY = 'An SES domain identity is a domain name: at least two labels of letters, digits and inner hyphens, each at most 63 characters, at most 253 in all, with no trailing dot.';
  const DOMAIN_ALLOWED = 'a domain name such as notify.dept.gov.uk: at least two labels of letters, digits and inner hyphens, each at most 63 characters, at most 253 in all, no trailing dot';
  const ZONE_SUMMARY = 'An SES domain identity is the hosted zone\'s name or a name under it, so its DKIM and MAIL FROM records can be published in that zone.';
  const MAIL_FROM_SUMMARY = 'The custom MAIL FROM domain is a subdomain of the identity (one or more labels under it) that is not itself used to send mail or to receive mail.';
  const MAIL_FROM_ALLOWED = 'one or more labels of letters, digits and inner hyphens (each at most 63 characters, no leading or trailing dot) that keep the MAIL FROM domain within 253 characters, such as "mail" or "bounce.mail"';
  const SELECTOR_SUMMARY = 'A BYODKIM selector is one DNS label: 1–63 letters, digits and inner hyphens.';
  const SELECTOR_ALLOWED = 'one DNS label of 1–63 letters, digits and inner hyphens, such as "ses2026"';

  const domain = (value: string) => `Dept/Ses: [SES-DOMAIN-NAME] ${DOMAIN_SUMMARY} Got: "${value}". Allowed: ${DOMAIN_ALLOWED}.`;
  const outside = (value: string) => `Dept/Ses: [SES-DOMAIN-OUTSIDE-ZONE] ${ZONE_SUMMARY} Got: "${value}". Allowed: "dept.gov.uk" or a name under it (the zone's name).`;
  const mailFrom = (value: string) => `Dept/Ses: [SES-MAIL-FROM-DOMAIN] ${MAIL_FROM_SUMMARY} Got: "${value}". Allowed: ${MAIL_FROM_ALLOWED}.`;
  const configurationSet = (value: string, length: number) => `Dept/Ses: [SES-CONFIGURATION-SET-NAME] A configuration set name is 1 to 64 letters, digits, underscores and hyphens. Got: "${value}". Allowed: 1 to 64 letters, digits, underscores and hyphens, such as "dept-gov-uk-tls-required" (this one has ${length} characters).`;
  const long63 = 'a'.repeat(63);

  test.each<[string, Partial<SesSendingIdentityProps>, string]>([
    ['domain with a trailing dot', { domainName: 'notify.dept.gov.uk.' }, domain('notify.dept.gov.uk.')],
    ['empty domain', { domainName: '' }, domain('')],
    ['one-label domain', { domainName: 'uk' }, domain('uk')],
    ['domain with an underscore', { domainName: 'no_tify.dept.gov.uk' }, domain('no_tify.dept.gov.uk')],
    ['domain with a space', { domainName: 'notify dept.gov.uk' }, domain('notify dept.gov.uk')],
    ['domain with a leading hyphen label', { domainName: '-notify.dept.gov.uk' }, domain('-notify.dept.gov.uk')],
    ['domain with a trailing hyphen label', { domainName: 'notify-.dept.gov.uk' }, domain('notify-.dept.gov.uk')],
    ['domain with an empty label', { domainName: 'notify..dept.gov.uk' }, domain('notify..dept.gov.uk')],
    ['domain with a 64-character label', { domainName: `${'a'.repeat(64)}.dept.gov.uk` }, domain(`${'a'.repeat(64)}.dept.gov.uk`)],
    ['domain over 253 characters', { domainName: `${long63}.${long63}.${long63}.${'a'.repeat(51)}.dept.gov.uk` },
      domain(`${long63}.${long63}.${long63}.${'a'.repeat(51)}.dept.gov.uk`)],
    ['domain with an all-digit last label', { domainName: 'dept.gov.123' }, domain('dept.gov.123')],
    ['domain with a leading dot', { domainName: '.dept.gov.uk' }, domain('.dept.gov.uk')],
    ['domain with a scheme', { domainName: 'https://dept.gov.uk' }, domain('https://dept.gov.uk')],
    ['an email address', { domainName: 'info@dept.gov.uk' }, domain('info@dept.gov.uk')],
    ['domain outside the zone', { domainName: 'other.gov.uk' }, outside('other.gov.uk')],
    ['the zone\'s parent', { domainName: 'gov.uk' }, outside('gov.uk')],
    ['a name that only ends like the zone', { domainName: 'xdept.gov.uk' }, outside('xdept.gov.uk')],
    ['empty MAIL FROM subdomain', { mailFromSubdomain: '' }, mailFrom('')],
    ['MAIL FROM subdomain with a trailing dot', { mailFromSubdomain: 'mail.' }, mailFrom('mail.')],
    ['MAIL FROM subdomain with a leading dot', { mailFromSubdomain: '.mail' }, mailFrom('.mail')],
    ['MAIL FROM subdomain that is a full name', { mailFromSubdomain: 'mail.dept.gov.uk.' }, mailFrom('mail.dept.gov.uk.')],
    ['MAIL FROM subdomain with an underscore', { mailFromSubdomain: 'ma_il' }, mailFrom('ma_il')],
    ['MAIL FROM subdomain _dmarc', { mailFromSubdomain: '_dmarc' }, mailFrom('_dmarc')],
    ['MAIL FROM subdomain with a leading hyphen', { mailFromSubdomain: '-mail' }, mailFrom('-mail')],
    ['MAIL FROM subdomain with a space', { mailFromSubdomain: 'mail from' }, mailFrom('mail from')],
    ['MAIL FROM subdomain a wildcard', { mailFromSubdomain: '*' }, mailFrom('*')],
    ['MAIL FROM subdomain with a 64-character label', { mailFromSubdomain: 'a'.repeat(64) }, mailFrom('a'.repeat(64))],
    ['a configuration set name with a dot', { configurationSetName: 'dept.gov.uk' }, configurationSet('dept.gov.uk', 11)],
    ['a configuration set name with a space', { configurationSetName: 'dept tls' }, configurationSet('dept tls', 8)],
    ['an empty configuration set name', { configurationSetName: '' }, configurationSet('', 0)],
    ['a configuration set name of 65 characters', { configurationSetName: 'c'.repeat(65) }, configurationSet('c'.repeat(65), 65)],
    ['MAIL FROM domain over 253 characters', { mailFromSubdomain: `${long63}.${long63}.${long63}.${'a'.repeat(61)}` },
      mailFrom(`${long63}.${long63}.${long63}.${'a'.repeat(61)}`)],
  ])('%s', (_desc, props, expected) => {
    // GIVEN
    const { stack, zone } = newStack();
    // WHEN / THEN
    expect(() => new SesSendingIdentity(stack, 'Ses', { zone, ...props })).toThrow(new Error(expected));
  });

  test('a configuration set name of 64 letters, digits, underscores and hyphens is accepted (SES-CONFIGURATION-SET-NAME)', () => {
    // GIVEN
    const { stack, zone } = newStack();
    const name = `Dept_tls-2026${'x'.repeat(51)}`;
    // WHEN
    new SesSendingIdentity(stack, 'Ses', { zone, configurationSetName: name });
    // THEN the name reaches the template as given
    expect(name).toHaveLength(64);
    Template.fromStack(stack).hasResourceProperties('AWS::SES::ConfigurationSet', { Name: name });
  });

  test('a configuration set name known only at deployment is not checked, with a warning', () => {
    const { stack, zone } = newStack();
    new SesSendingIdentity(stack, 'Ses', { zone, configurationSetName: Fn.importValue('SetName') });
    Annotations.fromStack(stack).hasWarning('/Dept/Ses', Match.stringLikeRegexp('^The configuration set name \\("\\$\\{Token'));
  });

  test('the MAIL FROM domain at the 253-character limit is accepted', () => {
    // mail.<...>.dept.gov.uk: 63+1+63+1+63+1+49+1+11 = 253
    const { stack, zone } = newStack();
    const sub = `${long63}.${long63}.${long63}.${'a'.repeat(49)}`;
    const identity = new SesSendingIdentity(stack, 'Ses', { zone, mailFromSubdomain: sub });
    expect(identity.mailFromDomain).toHaveLength(253);
  });

  test.each<[string, string]>([
    ['empty', ''],
    ['two labels', 'ses.2026'],
    ['underscore', 'ses_2026'],
    ['leading underscore', '_ses'],
    ['trailing hyphen', 'ses-'],
    ['64 characters', 'a'.repeat(64)],
    ['with _domainkey', 'ses._domainkey'],
  ])('BYODKIM selector: %s', (_desc, selector) => {
    // GIVEN
    const { stack, zone } = newStack();
    const privateKey = secretsmanager.Secret.fromSecretCompleteArn(stack, 'DkimKey', SECRET_ARN);
    // WHEN / THEN
    expect(() => new SesSendingIdentity(stack, 'Ses', {
      zone,
      dkim: SesDkim.byoDkim({ selector, privateKey, publicKey: KEY_2048 }),
    })).toThrow(new Error(`Dept/Ses: [SES-DKIM-SELECTOR] ${SELECTOR_SUMMARY} Got: "${selector}". Allowed: ${SELECTOR_ALLOWED}.`));
  });

  test('a zone imported by id alone and no domainName', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Dept', { env: ENV });
    const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ');
    // WHEN / THEN
    expect(() => new SesSendingIdentity(stack, 'Ses', { zone })).toThrow(new Error(
      `Dept/Ses: [SES-DOMAIN-NAME] ${DOMAIN_SUMMARY} Got: undefined. Allowed: a domainName: the zone was imported by id alone, so its name is not known (or import it with HostedZone.fromHostedZoneAttributes).`));
  });

  test('a stack region that makes no host name fails with MX-EXCHANGE', () => {
    // GIVEN a mistyped region
    const { stack, zone } = newStack({ env: { account: '111111111111', region: 'eu_west_2' } });
    // WHEN / THEN
    expect(() => new SesSendingIdentity(stack, 'Ses', { zone })).toThrow(new Error(
      'Dept/Ses: [MX-EXCHANGE] An MX exchange is a host name: labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 in all. '
      + 'Got: "eu_west_2". Allowed: an AWS region name such as eu-west-2, so that the MAIL FROM MX host "feedback-smtp.eu_west_2.amazonses.com" is a host name.'));
  });

  test('a MAIL FROM domain another identity sends from fails synth naming both', () => {
    // GIVEN dept.gov.uk (MAIL FROM mail.dept.gov.uk) and an identity for mail.dept.gov.uk
    const { stack, zone } = newStack();
    new SesSendingIdentity(stack, 'Ses', { zone });
    new SesSendingIdentity(stack, 'Mail', { zone, domainName: 'mail.dept.gov.uk' });
    // WHEN / THEN
    expect(synthError(stack)).toBe(
      'Validation failed with the following errors:\n'
      + `  [Dept/Ses] [SES-MAIL-FROM-DOMAIN] ${MAIL_FROM_SUMMARY} Got: MAIL FROM "mail.dept.gov.uk", which Dept/Mail uses as its sending domain. `
      + 'Allowed: a MAIL FROM subdomain no identity sends from. (Amazon SES Developer Guide, "Using a custom MAIL FROM domain")');
  });

  test('two identities with distinct MAIL FROM domains pass', () => {
    const { stack, zone } = newStack();
    new SesSendingIdentity(stack, 'Ses', { zone });
    new SesSendingIdentity(stack, 'Notify', { zone, domainName: 'notify.dept.gov.uk' });
    const template = synth('two-identities', stack);
    template.resourceCountIs('AWS::SES::EmailIdentity', 2);
    template.resourceCountIs('AWS::SES::ConfigurationSet', 2);
    template.resourceCountIs('AWS::Route53::RecordSet', 10);
  });
});

describe('every record the construct emits reads back clean through the record models', () => {
  // Runs after the scenarios above have synthesised their templates.
  test('TXT values parse and check with no error; MX values check with no error', () => {
    expect(emitted.length).toBeGreaterThanOrEqual(15);
    let txt = 0;
    let mx = 0;
    for (const { scenario, template } of emitted) {
      const records = Object.values(template.findResources('AWS::Route53::RecordSet')) as any[];
      for (const r of records) {
        const { Name: name, Type: type, ResourceRecords: values } = r.Properties;
        if (type === 'TXT') {
          for (const v of values) {
            expect(typeof v).toBe('string');
            const text = TxtChunks.parse(v);
            const findings = /_domainkey/.test(JSON.stringify(name)) ? Dkim.check(v, { name }) : Spf.check(v, { name });
            expect({ scenario, text, errors: findings.filter((f) => f.severity === Severity.ERROR) }).toEqual({ scenario, text, errors: [] });
            txt++;
          }
        } else if (type === 'MX' && typeof values[0] === 'string') {
          const errors = Mx.checkRecordSet(values, { name }).filter((f) => f.severity === Severity.ERROR);
          expect({ scenario, errors }).toEqual({ scenario, errors: [] });
          mx++;
        }
      }
    }
    expect(txt).toBeGreaterThanOrEqual(15);
    expect(mx).toBeGreaterThanOrEqual(13);
  });
});
