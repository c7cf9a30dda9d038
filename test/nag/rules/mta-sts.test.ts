import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MtaStsMaxAge, MtaStsMissing, MtaStsMode, MtaStsPolicy, MtaStsRecord, PolicyHostTls, TlsRptMissing, TlsRptRecord } from '../../../src/nag/rules';
import { department, policy, ruleRows, triples } from '../support';

describe('MtaStsMissing: a domain that receives mail publishes MTA-STS', () => {
  test('Noncompliance 1: an MX and no _mta-sts record: reported on the MX', () => {
    const { app } = department({ mtaStsTxt: null, policy: null });
    expect(triples(ruleRows(app, MtaStsMissing))).toEqual([['GovEmail-GOVUK-MTASTS-MISSING', 'Dept/Mx/Resource', 'error']]);
  });
  test('Noncompliance 2: a TXT record at _mta-sts that is not MTA-STS: reported on it', () => {
    const { app } = department({ mtaStsTxt: ['hello'] });
    expect(triples(ruleRows(app, MtaStsMissing))).toEqual([['GovEmail-GOVUK-MTASTS-MISSING', 'Dept/MtaSts/Resource', 'error']]);
  });
  test('Compliance: a domain with no MX needs none', () => {
    const { app } = department({ mx: null, mtaStsTxt: null, policy: null, tlsRpt: null });
    expect(ruleRows(app, MtaStsMissing)).toEqual([]);
  });
  test('Compliance', () => {
    expect(ruleRows(department().app, MtaStsMissing)).toEqual([]);
  });
});

describe('MtaStsRecord: one v=STSv1 record with an id of 1-32 letters and digits', () => {
  test('Noncompliance 1: an id with hyphens', () => {
    const { app } = department({ mtaStsTxt: ['v=STSv1; id=2026-05-01'] });
    expect(triples(ruleRows(app, MtaStsRecord))).toEqual([['GovEmail-MTASTS-ID', 'Dept/MtaSts/Resource', 'error']]);
  });
  test('Noncompliance 2: two records', () => {
    const { app } = department({ mtaStsTxt: ['v=STSv1; id=a1', 'v=STSv1; id=b2'] });
    expect(triples(ruleRows(app, MtaStsRecord))).toEqual([['GovEmail-MTASTS-RECORD-MULTIPLE', 'Dept/MtaSts/Resource', 'error']]);
  });
  test('Compliance', () => {
    expect(ruleRows(department().app, MtaStsRecord)).toEqual([]);
  });
});

describe('MtaStsMode: the policy is in enforce mode', () => {
  test('Noncompliance 1: testing mode, reported on the CloudFront Function that serves the policy', () => {
    const { app } = department({ policy: policy('testing', 604800) });
    expect(triples(ruleRows(app, MtaStsMode))).toEqual([['GovEmail-GOVUK-MTASTS-MODE', 'Dept/PolicyFunction/Resource', 'warning']]);
  });
  test('Noncompliance 2: mode none', () => {
    const { app } = department({ policy: 'version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n' });
    expect(triples(ruleRows(app, MtaStsMode))).toEqual([['GovEmail-GOVUK-MTASTS-MODE', 'Dept/PolicyFunction/Resource', 'warning']]);
  });
  test('Compliance', () => {
    expect(ruleRows(department().app, MtaStsMode)).toEqual([]);
  });
});

describe('MtaStsMaxAge: max_age at least 2 weeks in enforce mode, 1 day in testing', () => {
  test('Noncompliance 1: enforce with one day', () => {
    const { app } = department({ policy: policy('enforce', 86400) });
    expect(triples(ruleRows(app, MtaStsMaxAge))).toEqual([['GovEmail-GOVUK-MTASTS-MAX-AGE', 'Dept/PolicyFunction/Resource', 'warning']]);
  });
  test('Noncompliance 2: testing with an hour', () => {
    const { app } = department({ policy: policy('testing', 3600) });
    expect(triples(ruleRows(app, MtaStsMaxAge))).toEqual([['GovEmail-GOVUK-MTASTS-MAX-AGE', 'Dept/PolicyFunction/Resource', 'warning']]);
  });
  test('Noncompliance 3: more than a year', () => {
    const { app } = department({ policy: policy('enforce', 31557601) });
    expect(triples(ruleRows(app, MtaStsMaxAge))).toEqual([['GovEmail-MTASTS-POLICY-MAX-AGE', 'Dept/PolicyFunction/Resource', 'error']]);
  });
  test('Compliance', () => {
    expect(ruleRows(department().app, MtaStsMaxAge)).toEqual([]);
  });
});

describe('MtaStsPolicy: the policy names its MX hosts and covers every MX', () => {
  test('Noncompliance 1: an MX the policy does not cover', () => {
    const { app } = department({ policy: policy('enforce', 1209600, 'mail.other.example') });
    expect(triples(ruleRows(app, MtaStsPolicy))).toEqual([['GovEmail-MTASTS-MX-NOT-COVERED', 'Dept/PolicyFunction/Resource', 'error']]);
  });
  test('Noncompliance 2: a wildcard mx entry', () => {
    const { app } = department({ mx: [{ priority: 10, hostName: 'mx1.dept.gov.uk' }], policy: policy('enforce', 1209600, '*.dept.gov.uk') });
    expect(triples(ruleRows(app, MtaStsPolicy))).toEqual([['GovEmail-GOVUK-MTASTS-WILDCARD-MX', 'Dept/PolicyFunction/Resource', 'warning']]);
  });
  test('Compliance: Exchange Online\'s documented wildcard is info only, not reported', () => {
    const { app } = department({ policy: policy('enforce', 1209600, '*.mail.protection.outlook.com') });
    expect(ruleRows(app, MtaStsPolicy)).toEqual([]);
  });
});

describe('PolicyHostTls: the MTA-STS policy host accepts TLS 1.2 or later only (TLSv1.2_2021 or newer)', () => {
  test('Noncompliance 1: TLSv1.2_2019, reported on the distribution', () => {
    const { app } = department({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019 });
    expect(triples(ruleRows(app, PolicyHostTls))).toEqual([['GovEmail-GOVUK-POLICY-HOST-TLS', 'Dept/PolicyHost/Resource', 'error']]);
  });
  test('Noncompliance 2: TLSv1.1_2016, which cdk-nag\'s AwsSolutions-CFR4 accepts', () => {
    const { app } = department({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_1_2016 });
    expect(triples(ruleRows(app, PolicyHostTls))).toEqual([['GovEmail-GOVUK-POLICY-HOST-TLS', 'Dept/PolicyHost/Resource', 'error']]);
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
    expect(triples(ruleRows(app, PolicyHostTls))).toEqual([['GovEmail-GOVUK-POLICY-HOST-TLS', 'Dept/LegacyHost', 'error']]);
  });
  test('Compliance: TLSv1.2_2021', () => {
    expect(ruleRows(department().app, PolicyHostTls)).toEqual([]);
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
    expect(ruleRows(app, PolicyHostTls)).toEqual([]);
  });
});

describe('TlsRptMissing: a domain that receives mail publishes TLS-RPT', () => {
  test('Noncompliance 1: an MX and no _smtp._tls record: reported on the MX', () => {
    const { app } = department({ tlsRpt: null });
    expect(triples(ruleRows(app, TlsRptMissing))).toEqual([['GovEmail-GOVUK-TLSRPT-MISSING', 'Dept/Mx/Resource', 'error']]);
  });
  test('Compliance: a domain with no MX needs none', () => {
    const { app } = department({ mx: null, mtaStsTxt: null, policy: null, tlsRpt: null });
    expect(ruleRows(app, TlsRptMissing)).toEqual([]);
  });
  test('Compliance', () => {
    expect(ruleRows(department().app, TlsRptMissing)).toEqual([]);
  });
});

describe('TlsRptRecord: one well-formed TLS-RPT record with one rua', () => {
  test('Noncompliance 1: two rua destinations', () => {
    const { app } = department({ tlsRpt: ['v=TLSRPTv1; rua=mailto:a@dept.gov.uk,mailto:b@dept.gov.uk'] });
    expect(triples(ruleRows(app, TlsRptRecord))).toEqual([['GovEmail-GOVUK-TLSRPT-RUA-COUNT', 'Dept/TlsRpt/Resource', 'warning']]);
  });
  test('Noncompliance 2: a report URI that is neither mailto: nor https:', () => {
    const { app } = department({ tlsRpt: ['v=TLSRPTv1; rua=ftp://reports.dept.gov.uk'] });
    expect(triples(ruleRows(app, TlsRptRecord))).toEqual([['GovEmail-TLSRPT-URI-SCHEME', 'Dept/TlsRpt/Resource', 'error']]);
  });
  test('Compliance', () => {
    expect(ruleRows(department().app, TlsRptRecord)).toEqual([]);
  });
});
