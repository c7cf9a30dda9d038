import { generateKeyPairSync } from 'node:crypto';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import { DEPT, check, department, triples, zoneStack } from '../support';

/** A base64 SubjectPublicKeyInfo RSA key of this many bits, as a DKIM p= value. */
function rsaKey(bits: number): string {
  return generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

describe('SES: the identity\'s default configuration set requires TLS', () => {
  test('Noncompliance 1: a configuration set with TLS policy OPTIONAL: reported on the set', () => {
    const { app } = department({ tlsPolicy: ses.ConfigurationSetTlsPolicy.OPTIONAL });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-SES-TLS-REQUIRED', 'Dept/RequireTls/Resource', 'error']]);
  });
  test('Noncompliance 2: no default configuration set: reported on the identity', () => {
    const { app, stack, zone } = zoneStack();
    department({ ses: false }, { stack, zone });
    new ses.ConfigurationSet(stack, 'Unattached', { tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE });
    new ses.EmailIdentity(stack, 'Identity', {
      identity: ses.Identity.publicHostedZone(zone),
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
    });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-SES-TLS-REQUIRED', 'Dept/Identity/Resource', 'error']]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('DKIM: RSA keys of at least 2048 bits', () => {
  test('Noncompliance 1: SES Easy DKIM RSA_1024_BIT: reported on the identity', () => {
    const { app } = department({ keyLength: ses.EasyDkimSigningKeyLength.RSA_1024_BIT });
    expect(triples(check(app))).toEqual([['GovEmail-DKIM-RSA-KEY-UNDER-2048', 'Dept/Identity/Resource', 'warning']]);
  });
  test('Noncompliance 2: a published 1024-bit key: reported on its TXT record', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    new route53.TxtRecord(stack, 'Selector1', { zone, recordName: 'selector1._domainkey', values: [`v=DKIM1; k=rsa; p=${rsaKey(1024)}`] });
    expect(triples(check(app))).toEqual([['GovEmail-DKIM-RSA-KEY-UNDER-2048', 'Dept/Selector1/Resource', 'warning']]);
  });
  test('Noncompliance 3: a published 512-bit key is an error', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    new route53.TxtRecord(stack, 'Selector1', { zone, recordName: 'selector1._domainkey', values: [`v=DKIM1; k=rsa; p=${rsaKey(512)}`] });
    expect(triples(check(app))).toEqual([['GovEmail-DKIM-RSA-KEY-UNDER-1024', 'Dept/Selector1/Resource', 'error']]);
  });
  test('Compliance: Easy DKIM RSA_2048_BIT, and a published 2048-bit key', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    new route53.TxtRecord(stack, 'Selector1', { zone, recordName: 'selector1._domainkey', values: [`v=DKIM1; k=rsa; p=${rsaKey(2048)}`] });
    expect(check(app)).toEqual([]);
  });
});

describe('A sending domain publishes a DKIM key for each signing service', () => {
  test('Noncompliance 1: SPF authorises a sender but no DKIM key is published: reported on the apex SPF record', () => {
    const { app } = department({ ses: false });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DKIM-MISSING', 'Dept/Spf/Resource', 'warning']]);
  });
  test('Noncompliance 2: SES signs with a bring-your-own-DKIM selector that has no key: on the identity, and the domain\'s lack of any key on its apex', () => {
    const { app, stack, zone } = zoneStack();
    department({ ses: false }, { stack, zone });
    const secret = new secretsmanager.Secret(stack, 'DkimKey');
    const configurationSet = new ses.ConfigurationSet(stack, 'RequireTls', { tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE });
    new ses.EmailIdentity(stack, 'Identity', {
      identity: ses.Identity.domain(DEPT),
      configurationSet,
      dkimIdentity: ses.DkimIdentity.byoDkim({ selector: 'ses2026', privateKey: secret.secretValue }),
    });
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-DKIM-MISSING', 'Dept/Identity/Resource', 'warning'],
      ['GovEmail-GOVUK-DKIM-MISSING', 'Dept/Spf/Resource', 'warning'],
    ]);
  });
  test('Compliance: SES Easy DKIM', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('Each DKIM key record is well formed', () => {
  test('Noncompliance 1: an unknown key type', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    new route53.TxtRecord(stack, 'Selector1', { zone, recordName: 'selector1._domainkey', values: ['v=DKIM1; k=dsa; p=AAAA'] });
    // (and with no usable key left, the domain's lack of any DKIM key, on its apex)
    expect(triples(check(app))).toEqual([
      ['GovEmail-DKIM-KEY-TYPE', 'Dept/Selector1/Resource', 'error'],
      ['GovEmail-GOVUK-DKIM-MISSING', 'Dept/Spf/Resource', 'warning'],
    ]);
  });
  test('Noncompliance 2: no p= tag', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    new route53.TxtRecord(stack, 'Selector1', { zone, recordName: 'selector1._domainkey', values: ['v=DKIM1; k=rsa'] });
    // (and with no usable key left, the domain's lack of any DKIM key, on its apex)
    expect(triples(check(app))).toEqual([
      ['GovEmail-DKIM-KEY-MISSING', 'Dept/Selector1/Resource', 'error'],
      ['GovEmail-GOVUK-DKIM-MISSING', 'Dept/Spf/Resource', 'warning'],
    ]);
  });
  test('Compliance', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    new route53.TxtRecord(stack, 'Selector1', { zone, recordName: 'selector1._domainkey', values: [`v=DKIM1; k=rsa; p=${rsaKey(2048)}`] });
    expect(check(app)).toEqual([]);
  });
});
