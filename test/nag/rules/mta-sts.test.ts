import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { AwsSolutionsChecks } from 'cdk-nag';
import { check, department, policy, triples } from '../support';

describe('A domain that receives mail publishes MTA-STS', () => {
  test('Noncompliance 1: an MX and no _mta-sts record: reported on the MX', () => {
    const { app } = department({ mtaStsTxt: null, policy: null });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-MTASTS-MISSING', 'Dept/Mx/Resource', 'error']]);
  });
  test('Noncompliance 2: a TXT record at _mta-sts that is not MTA-STS: reported on it', () => {
    const { app } = department({ mtaStsTxt: ['hello'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-MTASTS-MISSING', 'Dept/MtaSts/Resource', 'error']]);
  });
  test('Compliance: a domain with no MX needs none', () => {
    const { app } = department({ mx: null, mtaStsTxt: null, policy: null, tlsRpt: null });
    expect(check(app)).toEqual([]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('MTA-STS: one v=STSv1 record with an id of 1-32 letters and digits', () => {
  test('Noncompliance 1: an id with hyphens', () => {
    const { app } = department({ mtaStsTxt: ['v=STSv1; id=2026-05-01'] });
    expect(triples(check(app))).toEqual([['GovEmail-MTASTS-ID', 'Dept/MtaSts/Resource', 'error']]);
  });
  test('Noncompliance 2: two records', () => {
    const { app } = department({ mtaStsTxt: ['v=STSv1; id=a1', 'v=STSv1; id=b2'] });
    expect(triples(check(app))).toEqual([['GovEmail-MTASTS-RECORD-MULTIPLE', 'Dept/MtaSts/Resource', 'error']]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('The MTA-STS policy is in enforce mode', () => {
  test('Noncompliance 1: testing mode, reported on the CloudFront Function that serves the policy', () => {
    const { app } = department({ policy: policy('testing', 604800) });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-MTASTS-MODE', 'Dept/PolicyFunction/Resource', 'warning']]);
  });
  test('Noncompliance 2: mode none', () => {
    const { app } = department({ policy: 'version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n' });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-MTASTS-MODE', 'Dept/PolicyFunction/Resource', 'warning']]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('MTA-STS max_age at least 2 weeks in enforce mode, 1 day in testing', () => {
  test('Noncompliance 1: enforce with one day', () => {
    const { app } = department({ policy: policy('enforce', 86400) });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-MTASTS-MAX-AGE', 'Dept/PolicyFunction/Resource', 'warning']]);
  });
  test('Noncompliance 2: testing with an hour', () => {
    const { app } = department({ policy: policy('testing', 3600) });
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-MTASTS-MAX-AGE', 'Dept/PolicyFunction/Resource', 'warning'],
      ['GovEmail-GOVUK-MTASTS-MODE', 'Dept/PolicyFunction/Resource', 'warning'],
    ]);
  });
  test('Noncompliance 3: more than a year', () => {
    const { app } = department({ policy: policy('enforce', 31557601) });
    expect(triples(check(app))).toEqual([['GovEmail-MTASTS-POLICY-MAX-AGE', 'Dept/PolicyFunction/Resource', 'error']]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('The MTA-STS policy names its MX hosts and covers every MX', () => {
  test('Noncompliance 1: an MX the policy does not cover', () => {
    const { app } = department({ policy: policy('enforce', 1209600, 'mail.other.example') });
    expect(triples(check(app))).toEqual([['GovEmail-MTASTS-MX-NOT-COVERED', 'Dept/PolicyFunction/Resource', 'error']]);
  });
  test('Noncompliance 2: a wildcard mx entry', () => {
    const { app } = department({ mx: [{ priority: 10, hostName: 'mx1.dept.gov.uk' }], policy: policy('enforce', 1209600, '*.dept.gov.uk') });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-MTASTS-WILDCARD-MX', 'Dept/PolicyFunction/Resource', 'warning']]);
  });
  test('Compliance: Exchange Online\'s documented wildcard is info only, not reported', () => {
    const { app } = department({ policy: policy('enforce', 1209600, '*.mail.protection.outlook.com') });
    expect(check(app)).toEqual([]);
  });
});

describe('The MTA-STS policy host accepts TLS 1.2 or later only (TLSv1.2_2021 or newer)', () => {
  test('Noncompliance 1: TLSv1.2_2019, reported on the distribution', () => {
    const { app } = department({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019 });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-POLICY-HOST-TLS', 'Dept/PolicyHost/Resource', 'error']]);
  });
  test('Noncompliance 2: TLSv1.1_2016, which cdk-nag\'s AwsSolutions-CFR4 accepts', () => {
    const { app } = department({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_1_2016 });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-POLICY-HOST-TLS', 'Dept/PolicyHost/Resource', 'error']]);
    const cfr4 = new AwsSolutionsChecks().validateScope(app).violations.filter((v) => v.ruleName === 'AwsSolutions-CFR4');
    expect(cfr4).toEqual([]);
  });
  test('Noncompliance 3: a CfnDistribution for mta-sts.<domain> with the CloudFront default certificate (TLSv1)', () => {
    const { app, stack } = department({ policy: null });
    new cloudfront.CfnDistribution(stack, 'LegacyHost', {
      distributionConfig: {
        enabled: true,
        aliases: ['mta-sts.dept.gov.uk'],
        viewerCertificate: { cloudFrontDefaultCertificate: true },
        defaultCacheBehavior: { targetOriginId: 'o', viewerProtocolPolicy: 'https-only', cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
        origins: [{ id: 'o', domainName: 'none.invalid', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
      },
    });
    // (the distribution runs no function holding the policy, so the policy is not evaluated)
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/MtaSts/Resource', 'warning'],
      ['GovEmail-GOVUK-POLICY-HOST-TLS', 'Dept/LegacyHost', 'error'],
    ]);
  });
  test('Compliance: TLSv1.2_2021', () => {
    expect(check(department().app)).toEqual([]);
  });
  test('Compliance: a distribution that is not an MTA-STS policy host is not judged', () => {
    const { app, stack } = department();
    new cloudfront.CfnDistribution(stack, 'Website', {
      distributionConfig: {
        enabled: true,
        aliases: ['www.dept.gov.uk'],
        viewerCertificate: { cloudFrontDefaultCertificate: true },
        defaultCacheBehavior: { targetOriginId: 'o', viewerProtocolPolicy: 'https-only', cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
        origins: [{ id: 'o', domainName: 'none.invalid', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
      },
    });
    expect(check(app)).toEqual([]);
  });
});

describe('A domain that receives mail publishes TLS-RPT', () => {
  test('Noncompliance 1: an MX and no _smtp._tls record: reported on the MX', () => {
    const { app } = department({ tlsRpt: null });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-TLSRPT-MISSING', 'Dept/Mx/Resource', 'error']]);
  });
  test('Compliance: a domain with no MX needs none', () => {
    const { app } = department({ mx: null, mtaStsTxt: null, policy: null, tlsRpt: null });
    expect(check(app)).toEqual([]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('One well-formed TLS-RPT record with one rua', () => {
  test('Noncompliance 1: two rua destinations', () => {
    const { app } = department({ tlsRpt: ['v=TLSRPTv1; rua=mailto:a@dept.gov.uk,mailto:b@dept.gov.uk'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-TLSRPT-RUA-COUNT', 'Dept/TlsRpt/Resource', 'warning']]);
  });
  test('Noncompliance 2: a report URI that is neither mailto: nor https:', () => {
    const { app } = department({ tlsRpt: ['v=TLSRPTv1; rua=ftp://reports.dept.gov.uk'] });
    expect(triples(check(app))).toEqual([['GovEmail-TLSRPT-URI-SCHEME', 'Dept/TlsRpt/Resource', 'error']]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});
