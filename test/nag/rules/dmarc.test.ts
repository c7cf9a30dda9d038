import * as route53 from 'aws-cdk-lib/aws-route53';
import { DMARC, check, department, triples } from '../support';

describe('Every domain publishes a DMARC record', () => {
  test('Noncompliance 1: no _dmarc record, reported on the apex SPF record', () => {
    const { app } = department({ dmarc: null });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-MISSING', 'Dept/Spf/Resource', 'error']]);
  });
  test('Noncompliance 2: a TXT record at _dmarc that is not DMARC, reported on it', () => {
    const { app } = department({ dmarc: ['hello'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-MISSING', 'Dept/Dmarc/Resource', 'error']]);
  });
  test('Noncompliance 3: no SPF, MX or DMARC, only an SES identity: reported on the identity', () => {
    const { app } = department({ apexTxt: null, mx: null, dmarc: null, mtaStsTxt: null, policy: null, tlsRpt: null });
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-DMARC-MISSING', 'Dept/Identity/Resource', 'error'],
      ['GovEmail-GOVUK-SPF-MISSING', 'Dept/Identity/Resource', 'error'],
    ]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('DMARC p and sp are quarantine or reject, for all mail', () => {
  test('Noncompliance 1: p=none (sp inherits it)', () => {
    const { app } = department({ dmarc: ['v=DMARC1; p=none; rua=mailto:d@dept.gov.uk'] });
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-DMARC-POLICY', 'Dept/Dmarc/Resource', 'error'],
      ['GovEmail-GOVUK-DMARC-SUBDOMAIN-POLICY', 'Dept/Dmarc/Resource', 'error'],
    ]);
  });
  test('Noncompliance 2: sp=none under p=reject', () => {
    const { app } = department({ dmarc: ['v=DMARC1; p=reject; sp=none; rua=mailto:d@dept.gov.uk'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-SUBDOMAIN-POLICY', 'Dept/Dmarc/Resource', 'error']]);
  });
  test('Noncompliance 3: pct=50', () => {
    const { app } = department({ dmarc: ['v=DMARC1; p=reject; pct=50; rua=mailto:d@dept.gov.uk'] });
    expect(triples(check(app))).toEqual([
      ['GovEmail-DMARC-PCT', 'Dept/Dmarc/Resource', 'warning'],
      ['GovEmail-GOVUK-DMARC-PCT', 'Dept/Dmarc/Resource', 'error'],
    ]);
  });
  test('Compliance: quarantine is enough', () => {
    const { app } = department({ dmarc: ['v=DMARC1; p=quarantine; rua=mailto:d@dept.gov.uk'] });
    expect(check(app)).toEqual([]);
  });
});

describe('DMARC: one or two rua destinations, never the central address as ruf', () => {
  test('Noncompliance 1: no rua', () => {
    const { app } = department({ dmarc: ['v=DMARC1; p=reject'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-RUA-MISSING', 'Dept/Dmarc/Resource', 'error']]);
  });
  test('Noncompliance 2: three rua destinations', () => {
    const { app } = department({ dmarc: ['v=DMARC1; p=reject; rua=mailto:a@dept.gov.uk,mailto:b@dept.gov.uk,mailto:c@dept.gov.uk'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-RUA-COUNT', 'Dept/Dmarc/Resource', 'error']]);
  });
  test('Noncompliance 3: the central aggregate address as a ruf', () => {
    const { app } = department({ dmarc: ['v=DMARC1; p=reject; rua=mailto:d@dept.gov.uk; ruf=mailto:dmarc-rua@dmarc.service.gov.uk'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-RUF-CENTRAL', 'Dept/Dmarc/Resource', 'error']]);
  });
  test('Noncompliance 4: reports to another organisation whose authorisation record is not DMARC: reported on that record', () => {
    const { app, stack } = department({ dmarc: ['v=DMARC1; p=reject; rua=mailto:reports@agency.gov.uk'] });
    const agency = new route53.PublicHostedZone(stack, 'AgencyZone', { zoneName: 'agency.gov.uk' });
    new route53.TxtRecord(stack, 'Authorisation', { zone: agency, recordName: 'dept.gov.uk._report._dmarc', values: ['hello'] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-REPORT-AUTHORISATION', 'Dept/Authorisation/Resource', 'warning']]);
  });
  test('Compliance: reports to another organisation that authorises them', () => {
    const { app, stack } = department({ dmarc: ['v=DMARC1; p=reject; rua=mailto:reports@agency.gov.uk'] });
    const agency = new route53.PublicHostedZone(stack, 'AgencyZone', { zoneName: 'agency.gov.uk' });
    new route53.TxtRecord(stack, 'Authorisation', { zone: agency, recordName: 'dept.gov.uk._report._dmarc', values: ['v=DMARC1'] });
    expect(check(app)).toEqual([]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('One well-formed DMARC record of at most 450 characters', () => {
  test('Noncompliance 1: two DMARC records at _dmarc', () => {
    const { app } = department({ dmarc: [DMARC, 'v=DMARC1; p=quarantine; rua=mailto:d@dept.gov.uk'] });
    expect(triples(check(app))).toEqual([['GovEmail-DMARC-MULTIPLE-RECORDS', 'Dept/Dmarc/Resource', 'error']]);
  });
  test('Noncompliance 2: longer than 450 characters', () => {
    const long = `${DMARC}; ${'x'.repeat(200)}=1; ${'y'.repeat(200)}=2`;
    const { app } = department({ dmarc: [long] });
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-DMARC-LENGTH', 'Dept/Dmarc/Resource', 'warning'],
      ['GovEmail-TXT-UDP-SIZE', 'Dept/Dmarc/Resource', 'warning'],
    ]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});
