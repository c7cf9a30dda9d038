import { generateKeyPairSync } from 'node:crypto';
import { DomainPosture } from '../../src/standard/posture';
import { GovUkProfile, GovUkReportAddresses } from '../../src/standard/profile';

const rsaKey = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey
  .export({ format: 'der', type: 'spki' }).toString('base64');
const KEY_2048 = rsaKey(2048);

const MX_HOST = 'dept-gov-uk.mail.protection.outlook.com';
const policy = (mode: string, maxAge: number, mx: string[] = [MX_HOST]) =>
  ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`].join('\r\n') + '\r\n';

/** A department domain that meets the standard: Microsoft 365 mail, SPF, DKIM, DMARC, MTA-STS, TLS-RPT. */
const ACTIVE: DomainPosture = {
  domainName: 'dept.gov.uk',
  apexTxt: ['"v=spf1 include:spf.protection.outlook.com -all"', 'MS=ms12345678'],
  mx: [`0 ${MX_HOST}.`],
  dmarc: ['v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; fo=1; rua=mailto:dmarc@dept.gov.uk'],
  mtaStsTxt: ['v=STSv1; id=a1b2c3'],
  mtaStsPolicy: policy('enforce', 1209600),
  tlsRpt: ['v=TLSRPTv1; rua=mailto:tls-reports@dept.gov.uk'],
  dkim: [{ selector: 'selector1', values: [`v=DKIM1; k=rsa; p=${KEY_2048}`], expectedToSign: true }],
  spfIncludeCosts: [{ domain: 'spf.protection.outlook.com', lookups: 1 }],
  sesTlsRequired: true,
  policyHostMinimumTls: 'TLSv1.2_2021',
  dnssec: true,
};

/** A domain that sends and receives no mail, locked down as GOV.UK asks. */
const PARKED: DomainPosture = {
  domainName: 'old-dept.gov.uk',
  apexTxt: ['v=spf1 -all'],
  mx: ['0 .'],
  dmarc: ['v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=mailto:dmarc@dept.gov.uk'],
  dkimWildcard: ['v=DKIM1; p='],
  caa: ['0 issue ";"'],
};

const ids = (posture: DomainPosture) => GovUkProfile.evaluate(posture).map((f) => f.ruleId);
const seriousIds = (posture: DomainPosture) =>
  GovUkProfile.evaluate(posture).filter((f) => f.severity !== 'info').map((f) => f.ruleId);

describe('GovUkProfile: a domain in use', () => {
  test('a domain that meets the standard has no errors or warnings', () => {
    expect(seriousIds(ACTIVE)).toEqual([]);
    expect(GovUkProfile.isParked(ACTIVE)).toBe(false);
  });

  const dmarc = (text: string): Partial<DomainPosture> => ({ dmarc: [text] });
  const longMailbox = 'a'.repeat(210);

  test.each<[string, Partial<DomainPosture>]>([
    ['GOVUK-DMARC-MISSING', { dmarc: [] }],
    ['GOVUK-DMARC-MISSING', { dmarc: ['some other text'] }],
    ['GOVUK-DMARC-POLICY', dmarc('v=DMARC1; p=none; sp=reject; rua=mailto:dmarc@dept.gov.uk')],
    ['GOVUK-DMARC-POLICY', dmarc('v=DMARC1; rua=mailto:dmarc@dept.gov.uk')],
    ['GOVUK-DMARC-SUBDOMAIN-POLICY', dmarc('v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@dept.gov.uk')],
    ['GOVUK-DMARC-SUBDOMAIN-POLICY', dmarc('v=DMARC1; p=none; rua=mailto:dmarc@dept.gov.uk')],
    ['GOVUK-DMARC-PCT', dmarc('v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@dept.gov.uk')],
    ['GOVUK-DMARC-RUA-MISSING', dmarc('v=DMARC1; p=reject')],
    ['GOVUK-DMARC-RUA-COUNT', dmarc('v=DMARC1; p=reject; rua=mailto:a@dept.gov.uk,mailto:b@dept.gov.uk,mailto:c@dept.gov.uk')],
    ['GOVUK-DMARC-LENGTH', dmarc(`v=DMARC1; p=reject; rua=mailto:${longMailbox}@dept.gov.uk,mailto:${longMailbox}@dept.gov.uk`)],
    ['GOVUK-DMARC-RUF-CENTRAL', dmarc(`v=DMARC1; p=reject; rua=mailto:dmarc@dept.gov.uk; ruf=${GovUkReportAddresses.DMARC_RUA}`)],
    ['GOVUK-DMARC-REPORT-AUTHORISATION', {
      dmarc: ['v=DMARC1; p=reject; rua=mailto:dmarc@reports.example.com'],
      reportAuthorisations: [{ name: 'dept.gov.uk._report._dmarc.reports.example.com', values: [] }],
    }],
    ['GOVUK-SPF-MISSING', { apexTxt: ['MS=ms12345678'] }],
    ['GOVUK-SPF-ALL', { apexTxt: ['v=spf1 include:spf.protection.outlook.com +all'] }],
    ['GOVUK-SPF-ALL', { apexTxt: ['v=spf1 include:spf.protection.outlook.com ?all'] }],
    ['GOVUK-SPF-ALL', { apexTxt: ['v=spf1 include:spf.protection.outlook.com'] }],
    ['GOVUK-DKIM-MISSING', { dkim: [{ selector: 'selector1', values: [], expectedToSign: true }] }],
    ['GOVUK-DKIM-MISSING', { dkim: [{ selector: 'selector1', values: ['v=DKIM1; p='] }] }],
    ['GOVUK-MTASTS-MISSING', { mtaStsTxt: [] }],
    ['GOVUK-MTASTS-POLICY-UNAVAILABLE', { mtaStsPolicy: undefined, mtaStsPolicyError: 'HTTP 404' }],
    ['GOVUK-MTASTS-MODE', { mtaStsPolicy: policy('testing', 604800) }],
    ['GOVUK-MTASTS-MODE', { mtaStsPolicy: policy('none', 86400, []) }],
    ['GOVUK-MTASTS-MAX-AGE', { mtaStsPolicy: policy('enforce', 604800) }],
    ['GOVUK-MTASTS-MAX-AGE', { mtaStsPolicy: policy('testing', 3600) }],
    ['GOVUK-MTASTS-WILDCARD-MX', { mtaStsPolicy: policy('enforce', 1209600, [MX_HOST, '*.example.net']) }],
    ['GOVUK-TLSRPT-MISSING', { tlsRpt: [] }],
    ['GOVUK-TLSRPT-RUA-COUNT', { tlsRpt: ['v=TLSRPTv1; rua=mailto:a@dept.gov.uk,mailto:b@dept.gov.uk'] }],
    ['GOVUK-SES-TLS-REQUIRED', { sesTlsRequired: false }],
    ['GOVUK-POLICY-HOST-TLS', { policyHostMinimumTls: 'TLSv1.1_2016' }],
    ['GOVUK-POLICY-HOST-TLS', { policyHostMinimumTls: 'TLSv1.2_2019' }],
    ['GOVUK-DNSSEC', { dnssec: false }],
    ['GOVUK-NOT-EVALUATED', { unresolved: ['dkim'] }],
  ])('%s: reported for the breach', (ruleId, change) => {
    // GIVEN a compliant domain with one thing changed
    const posture = { ...ACTIVE, ...change };
    // WHEN it is evaluated THEN the rule is reported, and the compliant domain does not have it
    expect(ids(posture)).toContain(ruleId);
    expect(ids(ACTIVE)).not.toContain(ruleId);
  });

  test.each<[string, Partial<DomainPosture>]>([
    ['quarantine is as good as reject', { dmarc: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@dept.gov.uk'] }],
    ['~all is accepted', { apexTxt: ['v=spf1 include:spf.protection.outlook.com ~all'] }],
    ['redirect without all is accepted', { apexTxt: ['v=spf1 redirect=_spf.dept.gov.uk'], spfIncludeCosts: [{ domain: '_spf.dept.gov.uk', lookups: 1 }] }],
    ['pct=100 is not a breach of GOVUK-DMARC-PCT', { dmarc: ['v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@dept.gov.uk'] }],
    ['an authorised external report destination', {
      dmarc: ['v=DMARC1; p=reject; rua=mailto:dmarc@reports.example.com'],
      reportAuthorisations: [{ name: 'dept.gov.uk._report._dmarc.reports.example.com', values: ['v=DMARC1'] }],
    }],
    ['TLSv1.2_2025 is newer than the minimum', { policyHostMinimumTls: 'TLSv1.2_2025' }],
    ['a domain that only sends needs no MTA-STS or TLS-RPT', { mx: ['0 .'], mtaStsTxt: [], tlsRpt: [], mtaStsPolicy: undefined }],
  ])('passes: %s', (_name, change) => {
    const posture = { ...ACTIVE, ...change };
    expect(seriousIds(posture).filter((id) => id.startsWith('GOVUK-'))).toEqual([]);
  });

  test('Exchange Online\'s documented wildcard is info, not a warning', () => {
    const findings = GovUkProfile.evaluate({ ...ACTIVE, mtaStsPolicy: policy('enforce', 1209600, ['*.mail.protection.outlook.com']) });
    expect(findings.filter((f) => f.ruleId === 'GOVUK-MTASTS-WILDCARD-MX').map((f) => f.severity)).toEqual(['info']);
  });

  test('an MX the MTA-STS policy does not cover is an error from the RFC rules', () => {
    const findings = GovUkProfile.evaluate({ ...ACTIVE, mx: [`0 ${MX_HOST}.`, '10 backup.example.net.'] });
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)).toContain('MTASTS-MX-NOT-COVERED');
  });

  test('RFC findings of the records come through with their own rule ids', () => {
    expect(ids({ ...ACTIVE, apexTxt: ['v=spf1 include:spf.protection.outlook.com -all', 'v=spf1 -all'] })).toContain('SPF-MULTIPLE-RECORDS');
    expect(ids({ ...ACTIVE, dmarc: ['v=DMARC1; p=rejected; rua=mailto:dmarc@dept.gov.uk'] }).length).toBeGreaterThan(0);
  });

  test('findings name the record and quote the value given', () => {
    const [f] = GovUkProfile.evaluate({ ...ACTIVE, dmarc: ['v=DMARC1; p=none; sp=reject; rua=mailto:dmarc@dept.gov.uk'] })
      .filter((x) => x.ruleId === 'GOVUK-DMARC-POLICY');
    expect(f).toMatchObject({ severity: 'error', path: '_dmarc.dept.gov.uk' });
    expect(f.message).toContain('v=DMARC1; p=none; sp=reject');
    expect(f.source).toMatch(/GOV\.UK/);
  });

  test('fields left undefined are not evaluated', () => {
    expect(GovUkProfile.evaluate({ domainName: 'dept.gov.uk', sendsMail: true })).toEqual([]);
  });
});

describe('GovUkProfile: a parked domain', () => {
  test('the locked-down shape has no errors or warnings and is recognised as parked', () => {
    expect(GovUkProfile.isParked(PARKED)).toBe(true);
    expect(seriousIds(PARKED)).toEqual([]);
  });

  test.each<[string, Partial<DomainPosture>]>([
    ['GOVUK-PARKED-SPF', { apexTxt: ['v=spf1 ~all'] }],
    ['GOVUK-PARKED-SPF', { apexTxt: [] }],
    ['GOVUK-PARKED-DMARC', { dmarc: ['v=DMARC1; p=reject; sp=reject; adkim=r; aspf=s; rua=mailto:dmarc@dept.gov.uk'] }],
    ['GOVUK-PARKED-DMARC', { dmarc: ['v=DMARC1; p=quarantine; adkim=s; aspf=s; rua=mailto:dmarc@dept.gov.uk'] }],
    ['GOVUK-PARKED-DKIM', { dkimWildcard: [] }],
    ['GOVUK-PARKED-MX', { mx: [] }],
    ['GOVUK-PARKED-CAA', { caa: [] }],
    ['GOVUK-PARKED-CAA', { caa: ['0 issue "amazon.com"'] }],
    ['GOVUK-DMARC-RUA-MISSING', { dmarc: ['v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s'] }],
    ['GOVUK-DMARC-MISSING', { dmarc: [] }],
  ])('%s: reported for the breach', (ruleId, change) => {
    const posture = { ...PARKED, ...change, parked: true };
    expect(ids(posture)).toContain(ruleId);
  });

  test('a domain said to be parked but publishing a DKIM key is told to revoke it', () => {
    const posture: DomainPosture = { ...PARKED, parked: true, dkim: [{ selector: 'old', values: [`v=DKIM1; p=${KEY_2048}`] }] };
    expect(ids(posture)).toContain('GOVUK-PARKED-DKIM');
  });

  test('a null MX with a sending SPF is a send-only domain, not a parked one', () => {
    const posture: DomainPosture = { ...PARKED, apexTxt: ['v=spf1 include:amazonses.com -all'] };
    expect(GovUkProfile.isParked(posture)).toBe(false);
    expect(GovUkProfile.sendsMail(posture)).toBe(true);
    expect(GovUkProfile.receivesMail(posture)).toBe(false);
  });
});
