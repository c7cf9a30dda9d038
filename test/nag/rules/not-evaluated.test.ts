import { CfnParameter } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { GovEmailChecks } from '../../../src/nag';
import { check, department, triples, zoneStack } from '../support';

describe('A value not known before deployment is reported as not evaluated, never as compliant', () => {
  test('Noncompliance 1: a DMARC value from a stack parameter: reported on the record, naming the value', () => {
    const { app, stack, zone } = zoneStack();
    department({ dmarc: null }, { stack, zone });
    const value = new CfnParameter(stack, 'DmarcValue');
    new route53.TxtRecord(stack, 'Dmarc', { zone, recordName: '_dmarc', values: [value.valueAsString] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/Dmarc/Resource', 'warning']]);
    const [violation] = new GovEmailChecks().validateScope(app).violations.filter((v) => v.ruleName === 'GovEmail-GOVUK-NOT-EVALUATED');
    expect(violation.description).toBe('dept.gov.uk: dmarc could not be evaluated because its value is not known here; it is not assumed compliant. '
      + '_dmarc.dept.gov.uk TXT holds "<parameter DmarcValue>", which is not known before deployment.');
  });
  test('Noncompliance 2: SES Easy DKIM with no key length in the template (aws-cdk-lib\'s default): reported on the identity', () => {
    const { app, stack, zone } = zoneStack();
    department({ ses: false }, { stack, zone });
    const configurationSet = new ses.ConfigurationSet(stack, 'RequireTls', { tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE });
    new ses.EmailIdentity(stack, 'Identity', { identity: ses.Identity.publicHostedZone(zone), configurationSet });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/Identity/Resource', 'warning']]);
  });
  test('Noncompliance 3: DKIM CNAMEs whose targets are stack parameters: reported on each', () => {
    const { app, stack, zone } = zoneStack();
    department({ ses: false }, { stack, zone });
    for (const n of [1, 2]) {
      const target = new CfnParameter(stack, `Target${n}`);
      new route53.CnameRecord(stack, `Selector${n}`, { zone, recordName: `selector${n}._domainkey`, domainName: target.valueAsString });
    }
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/Selector1/Resource', 'warning'],
      ['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/Selector2/Resource', 'warning'],
    ]);
  });
  test('Compliance: Microsoft 365 DKIM CNAMEs to the tenant\'s keys are DKIM-DELEGATED (info, not reported by the pack), not GOVUK-NOT-EVALUATED', () => {
    const { app, stack, zone } = zoneStack();
    department({ ses: false }, { stack, zone });
    for (const n of [1, 2]) {
      new route53.CnameRecord(stack, `Selector${n}`, { zone, recordName: `selector${n}._domainkey`, domainName: `selector${n}-dept-gov-uk._domainkey.dept.onmicrosoft.com` });
    }
    expect(triples(check(app))).toEqual([]);
  });
  test('Noncompliance 4: an MTA-STS record whose policy is served from outside the app: reported on the record', () => {
    const { app } = department({ policy: null });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/MtaSts/Resource', 'warning']]);
  });
  test('Noncompliance 5: the policy host\'s minimum protocol from a parameter: reported on the distribution', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    const minimum = new CfnParameter(stack, 'MinimumTls');
    const distribution = stack.node.findChild('PolicyHost').node.defaultChild as cloudfront.CfnDistribution;
    distribution.addPropertyOverride('DistributionConfig.ViewerCertificate.MinimumProtocolVersion', minimum.valueAsString);
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/PolicyHost/Resource', 'warning']]);
  });
  test('Noncompliance 6: a domain whose name is a parameter: every record of it', () => {
    const { app, stack, zone } = zoneStack();
    const domain = new CfnParameter(stack, 'Domain');
    new route53.CfnRecordSet(stack, 'Dmarc', { hostedZoneId: zone.hostedZoneId, name: `_dmarc.${domain.valueAsString}.`, type: 'TXT', ttl: '300', resourceRecords: ['"v=DMARC1; p=none"'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/Dmarc', 'warning']]);
  });
  test('Noncompliance 7: an SES identity whose default configuration set is not in the app: reported on the identity', () => {
    const { app, stack, zone } = zoneStack();
    department({ ses: false }, { stack, zone });
    new ses.EmailIdentity(stack, 'Identity', {
      identity: ses.Identity.publicHostedZone(zone),
      configurationSet: ses.ConfigurationSet.fromConfigurationSetName(stack, 'Shared', 'shared-require-tls'),
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
    });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/Identity/Resource', 'warning']]);
    const [violation] = new GovEmailChecks().validateScope(app).violations.filter((v) => v.ruleName === 'GovEmail-GOVUK-NOT-EVALUATED');
    expect(violation.description).toMatch(/The default configuration set "shared-require-tls" is not in this app/);
  });
  test('Compliance: SES Easy DKIM with RSA_2048_BIT set in the template counts as evaluated', () => {
    expect(check(department().app)).toEqual([]);
  });
});
