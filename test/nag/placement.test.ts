/**
 * Placement by data: every finding carries its subject (the record's DNS name and type, and for
 * GOVUK-NOT-EVALUATED the posture field), the profile and the record models set it where they
 * make the finding, and the pack puts the finding on the resource that holds that record. No
 * message is read: rewording one moves nothing.
 */
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { DEPT, ENV, check, department, policy, triples, zoneStack } from './support';
import { ASSEMBLY_RULES } from '../../src/assembly/domains';
import { CAA_RULES } from '../../src/records/caa';
import { DKIM_RULES } from '../../src/records/dkim';
import { DMARC_RULES } from '../../src/records/dmarc';
import { Finding, FindingSubject, RuleDefinition, Severity } from '../../src/records/finding';
import { MTASTS_RULES } from '../../src/records/mta-sts';
import { MX_RULES } from '../../src/records/mx';
import { SPF_RULES } from '../../src/records/spf';
import { TLSRPT_RULES } from '../../src/records/tls-rpt';
import { TXT_RULES } from '../../src/records/txt';
import { GOVUK_RULES as R } from '../../src/standard/govuk-rules';
import { DomainPosture } from '../../src/standard/posture';
import { GovUkProfile } from '../../src/standard/profile';

const APEX: FindingSubject = { name: DEPT, type: 'TXT' };
const MX: FindingSubject = { name: DEPT, type: 'MX' };
const CAA: FindingSubject = { name: DEPT, type: 'CAA' };
const DMARC_TXT: FindingSubject = { name: `_dmarc.${DEPT}`, type: 'TXT' };
const MTA_STS_TXT: FindingSubject = { name: `_mta-sts.${DEPT}`, type: 'TXT' };
const TLS_RPT: FindingSubject = { name: `_smtp._tls.${DEPT}`, type: 'TXT' };
const WILDCARD_DKIM: FindingSubject = { name: `*._domainkey.${DEPT}`, type: 'TXT' };
const DKIM_KEYS: FindingSubject = { name: `_domainkey.${DEPT}`, type: 'TXT' };
const POLICY: FindingSubject = { name: `mta-sts.${DEPT}`, type: 'MTA-STS-POLICY' };
const POLICY_HOST: FindingSubject = { name: `mta-sts.${DEPT}`, type: 'HTTPS' };
const SES: FindingSubject = { name: DEPT, type: 'SES-IDENTITY' };
const selector = (s: string, type: string = 'TXT'): FindingSubject => ({ name: `${s}._domainkey.${DEPT}`, type });

/** The `_mta-sts` TXT record's rules; the other MTA-STS record rules are about the policy file. */
const MTA_STS_RECORD_RULES: RuleDefinition[] = [
  MTASTS_RULES.version, MTASTS_RULES.id, MTASTS_RULES.multipleRecords, MTASTS_RULES.duplicateField,
  MTASTS_RULES.extensionSyntax, MTASTS_RULES.unknownField, MTASTS_RULES.recordSyntax,
];

/**
 * The subjects a finding of each rule has, as the profile and the record models make them (a
 * DKIM rule at whichever selector, a TXT rule at whichever TXT record).
 */
function subjectsOf(f: Finding): FindingSubject[] | 'any TXT record' {
  const is = (group: Record<string, RuleDefinition>) => Object.values(group).some((r) => r.id === f.ruleId);
  const sel = /^([^.]+)\._domainkey\./.exec(f.subject?.name ?? '')?.[1] ?? 'none';
  if (is(TXT_RULES)) return 'any TXT record';
  if (is(SPF_RULES)) return [APEX];
  if (is(DMARC_RULES)) return [DMARC_TXT];
  if (is(TLSRPT_RULES)) return [TLS_RPT];
  if (MTA_STS_RECORD_RULES.some((r) => r.id === f.ruleId)) return [MTA_STS_TXT];
  if (is(MTASTS_RULES)) return [POLICY];
  if (is(DKIM_RULES)) return [selector(sel)];
  if (is(MX_RULES)) return [MX];
  if (is(CAA_RULES)) return [CAA];
  const byGovUk: Record<string, FindingSubject[]> = {
    [R.spfMissing.id]: [APEX],
    [R.spfAll.id]: [APEX],
    [R.parkedSpf.id]: [APEX],
    [R.dmarcMissing.id]: [DMARC_TXT],
    [R.dmarcPolicy.id]: [DMARC_TXT],
    [R.dmarcSubdomainPolicy.id]: [DMARC_TXT],
    [R.dmarcPercentage.id]: [DMARC_TXT],
    [R.dmarcReporting.id]: [DMARC_TXT],
    [R.dmarcReportCount.id]: [DMARC_TXT],
    [R.dmarcLength.id]: [DMARC_TXT],
    [R.dmarcCentralRuf.id]: [DMARC_TXT],
    [R.parkedDmarc.id]: [DMARC_TXT],
    [R.dmarcReportAuthorisation.id]: [{ name: `${DEPT}._report._dmarc.reports.example`, type: 'TXT' }],
    [R.dkimMissing.id]: [selector(sel), DKIM_KEYS],
    [R.parkedDkim.id]: [selector(sel), WILDCARD_DKIM],
    [R.dkimDelegated.id]: [selector(sel, 'CNAME')],
    [R.mtaStsMissing.id]: [MTA_STS_TXT],
    [R.mtaStsPolicyUnavailable.id]: [POLICY],
    [R.mtaStsMode.id]: [POLICY],
    [R.mtaStsMaxAge.id]: [POLICY],
    [R.mtaStsWildcardMx.id]: [POLICY],
    [R.tlsRptMissing.id]: [TLS_RPT],
    [R.tlsRptReportCount.id]: [TLS_RPT],
    [R.sesTlsRequired.id]: [SES],
    [R.policyHostTls.id]: [POLICY_HOST],
    [R.dnssec.id]: [{ name: DEPT, type: 'DNSKEY' }],
    [R.parkedMx.id]: [MX],
    [R.parkedCaa.id]: [CAA],
  };
  return byGovUk[f.ruleId] ?? [];
}

describe('findings carry their subject where they are made', () => {
  /** Postures that between them break most of the profile's rules. */
  const postures: DomainPosture[] = [
    {
      domainName: DEPT,
      sendsMail: true,
      receivesMail: true,
      apexTxt: ['v=spf1 ptr ip4:192.0.2.300 ?all', 'v=spf1 -all', 'spf1 -all'],
      mx: ['10 192.0.2.1', '0 .'],
      dmarc: ['v=DMARC1; p=none; pct=50; ruf=mailto:dmarc-rua@dmarc.service.gov.uk; rua=mailto:a@reports.example,mailto:b@x.example,mailto:c@y.example; fo=x'],
      reportAuthorisations: [{ name: `${DEPT}._report._dmarc.reports.example`, values: [] }],
      mtaStsTxt: ['v=STSv1; id=not-an-id!; id=2'],
      mtaStsPolicy: 'mode: testing\nversion: STSv1\nmx: *.example.net\nmax_age: 60\nfoo: bar\n',
      tlsRpt: ['v=TLSRPTv1; rua=mailto:a@x.example,mailto:b@x.example'],
      dkim: [{ selector: 's1', values: ['v=DKIM1; k=dsa; p=AAAA'] }, { selector: 's2', values: [], expectedToSign: true }],
      dkimDelegated: [{ selector: 'selector1', target: 'selector1-dept._domainkey.dept.onmicrosoft.com' }],
      sesTlsRequired: false,
      policyHostMinimumTls: 'TLSv1',
      dnssec: false,
      unresolved: ['caa', 'dkimWildcard', 'sesTlsRequired'],
    },
    {
      domainName: DEPT,
      parked: true,
      apexTxt: ['v=spf1 ~all'],
      dmarc: ['v=DMARC1; p=quarantine'],
      dkimWildcard: [],
      dkim: [{ selector: 'old', values: ['v=DKIM1; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] }],
      mx: ['10 mx.example.net'],
      caa: [],
      tlsRpt: ['v=TLSRPTv1'],
    },
    { domainName: DEPT, sendsMail: true, receivesMail: true, apexTxt: [], dmarc: [], mx: ['10 mx.dept.gov.uk'], mtaStsTxt: [], tlsRpt: [], dkim: [] },
    { domainName: DEPT, receivesMail: true, mx: ['10 mx.dept.gov.uk'], mtaStsTxt: ['v=STSv1; id=1'], mtaStsPolicyError: 'HTTP 404' },
    { domainName: DEPT, sendsMail: true, apexTxt: ['v=spf1 include:spf.protection.outlook.com +all'], dmarc: [`v=DMARC1; p=reject; rua=mailto:d@dept.gov.uk; x=${'y'.repeat(440)}`] },
  ];
  const findings = postures.flatMap((p) => GovUkProfile.evaluate(p));

  test('the postures break the rules this test means them to', () => {
    const ids = new Set(findings.map((f) => f.ruleId));
    // Every GOV.UK rule but the one the sender catalogue checks (two services on one selector).
    expect(Object.values(R).map((r) => r.id).filter((id) => !ids.has(id))).toEqual([R.dkimSelectorPerService.id]);
    expect(ids.size).toBeGreaterThan(40);
  });

  test.each(postures.map((p, i) => [i, p] as const))('every finding of posture %i has the subject of its record', (_i, posture) => {
    for (const f of GovUkProfile.evaluate(posture).filter((x) => x.ruleId !== R.notEvaluated.id)) {
      const wanted = subjectsOf(f);
      if (wanted === 'any TXT record') {
        expect([f.ruleId, f.subject?.type]).toEqual([f.ruleId, 'TXT']);
      } else {
        expect([f.ruleId, wanted]).toEqual([f.ruleId, expect.arrayContaining([f.subject])]);
      }
    }
  });

  test('GOVUK-NOT-EVALUATED names the posture field and the record that holds it', () => {
    const notEvaluated = findings.filter((f) => f.ruleId === R.notEvaluated.id).map((f) => f.subject);
    expect(notEvaluated).toEqual([
      { ...CAA, field: 'caa' },
      { ...WILDCARD_DKIM, field: 'dkimWildcard' },
      { ...SES, field: 'sesTlsRequired' },
    ]);
  });

  test('record models given a name set the subject, lower case without the trailing dot', () => {
    const f = GovUkProfile.evaluate({ domainName: 'Dept.GOV.uk', apexTxt: ['v=spf1 +all'] });
    expect(f.map((x) => x.subject)).toEqual(f.map(() => ({ name: DEPT, type: 'TXT' })));
  });
});

/** The department with every record the pack reads, each part there to hold a subject. */
function everything(options: Parameters<typeof department>[0] = {}, delegatedDkim: boolean = false): App {
  const { app, stack, zone } = zoneStack();
  department(options, { stack, zone });
  if (delegatedDkim) {
    new route53.CnameRecord(stack, 'Selector1', { zone, recordName: 'selector1._domainkey', domainName: 'selector1-dept._domainkey.dept.onmicrosoft.com' });
  } else {
    new route53.TxtRecord(stack, 'Selector1', { zone, recordName: 'selector1._domainkey', values: ['v=DKIM1; k=rsa; p=AAAA'] });
  }
  new route53.CaaRecord(stack, 'Caa', { zone, values: [{ flag: 0, tag: route53.CaaTag.ISSUE, value: ';' }] });
  return app;
}

interface Case {
  /** Where the finding is reported. */
  readonly on: string[];
  /** The app (by default, `everything()`). */
  readonly app?: () => App;
}

/** Where a finding with each subject goes. */
function placementOf(subject: FindingSubject): Case {
  const name = subject.name;
  if (subject.type === 'MTA-STS-POLICY') return { on: ['Dept/PolicyFunction/Resource'] };
  if (subject.type === 'HTTPS') {
    return { on: ['Dept/PolicyHost/Resource'], app: () => everything({ minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019 }) };
  }
  if (subject.type === 'SES-IDENTITY') return { on: ['Dept/RequireTls/Resource'], app: () => everything({ tlsPolicy: ses.ConfigurationSetTlsPolicy.OPTIONAL }) };
  if (subject.type === 'MX') return { on: ['Dept/Mx/Resource'] };
  if (subject.type === 'CNAME') return { on: ['Dept/Selector1/Resource'], app: () => everything({}, true) };
  if (subject.type === 'CAA') return { on: ['Dept/Caa/Resource'] };
  if (name === DEPT) return { on: ['Dept/Spf/Resource'] };
  if (name === `_dmarc.${DEPT}`) return { on: ['Dept/Dmarc/Resource'] };
  if (name === `_mta-sts.${DEPT}`) return { on: ['Dept/MtaSts/Resource'] };
  if (name === `_smtp._tls.${DEPT}`) return { on: ['Dept/TlsRpt/Resource'] };
  if (name === `selector1._domainkey.${DEPT}`) return { on: ['Dept/Selector1/Resource'] };
  throw new Error(`no placement written for ${JSON.stringify(subject)}`);
}

/** Every rule whose findings the pack reports, with the subject its findings have (one of them). */
const REPORTABLE: Array<[string, FindingSubject]> = [
  SPF_RULES, DMARC_RULES, TLSRPT_RULES, MTASTS_RULES, DKIM_RULES, MX_RULES, CAA_RULES, TXT_RULES, R,
]
  .flatMap((group) => Object.values(group))
  // GOVUK-NOT-EVALUATED and the report authorisation have tests of their own below; two services
  // on one DKIM selector is found by the sender catalogue and the constructs, not the profile.
  .filter((r) => ![R.notEvaluated.id, R.dmarcReportAuthorisation.id, R.dkimSelectorPerService.id].includes(r.id))
  .map((r) => {
    const subjects = subjectsOf({ ruleId: r.id, severity: r.severity, message: '', source: r.source, subject: selector('selector1') });
    return [r.id, subjects === 'any TXT record' ? APEX : subjects[0]] as [string, FindingSubject];
  });

/** Run the pack with the profile reporting only this finding for the department. */
function placed(app: App, f: Finding) {
  const spy = jest.spyOn(GovUkProfile, 'evaluate').mockImplementation((posture) => (posture.domainName === DEPT ? [f] : []));
  try {
    return triples(check(app));
  } finally {
    spy.mockRestore();
  }
}

describe('each rule the pack can report is placed on the resource holding its subject', () => {
  test.each(REPORTABLE)('%s', (ruleId, subject) => {
    const { on, app } = placementOf(subject);
    const f: Finding = { ruleId, severity: Severity.WARNING, message: `Reworded: ${ruleId} is not what its message says.`, source: 'test', subject };
    expect(placed((app ?? everything)(), f)).toEqual(on.map((path) => [`GovEmail-${ruleId}`, path, 'warning']));
  });

  test.each([
    ['GOVUK-DMARC-MISSING: no DMARC record, on the apex SPF record', R.dmarcMissing, DMARC_TXT, { dmarc: null }, 'Dept/Spf/Resource'],
    ['GOVUK-MTASTS-MISSING: no _mta-sts record, where the MX is', R.mtaStsMissing, MTA_STS_TXT, { mtaStsTxt: null, policy: null }, 'Dept/Mx/Resource'],
    ['GOVUK-TLSRPT-MISSING: no TLS-RPT record, where the MX is', R.tlsRptMissing, TLS_RPT, { tlsRpt: null }, 'Dept/Mx/Resource'],
    ['GOVUK-DKIM-MISSING for the domain as a whole: on the apex SPF record', R.dkimMissing, DKIM_KEYS, {}, 'Dept/Spf/Resource'],
    ['GOVUK-DKIM-MISSING at a selector: on the SES identity', R.dkimMissing, selector('ses2026'), {}, 'Dept/Identity/Resource'],
    ['GOVUK-DMARC-REPORT-AUTHORISATION, published elsewhere: on the DMARC record that needs it', R.dmarcReportAuthorisation,
      { name: `${DEPT}._report._dmarc.reports.example`, type: 'TXT' }, {}, 'Dept/Dmarc/Resource'],
    ['GOVUK-PARKED-DKIM with no wildcard record: on the apex SPF record', R.parkedDkim, WILDCARD_DKIM, {}, 'Dept/Spf/Resource'],
  ] as const)('a record that is missing: %s', (_title, rule, subject, options, on) => {
    const f: Finding = { ruleId: rule.id, severity: Severity.ERROR, message: 'Reworded.', source: 'test', subject };
    expect(placed(everything(options), f)).toEqual([[`GovEmail-${rule.id}`, on, 'error']]);
  });

  test('ROUTE53-RECORD-CONFLICT: on every record set of the subject\'s name and type, not on others at the name', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    new route53.TxtRecord(stack, 'Verification', { zone, values: ['MS=ms12345678'] });
    const conflict = (subject: FindingSubject): Finding => ({
      ruleId: ASSEMBLY_RULES.duplicateRecordSet.id, severity: Severity.ERROR, message: 'Reworded.', source: 'test', subject,
    });
    const rows = (subject: FindingSubject) => placed(app, conflict(subject)).map(([, path]) => path);
    // (the MX at the same name is not in conflict)
    expect(rows(APEX)).toEqual(['Dept/Spf/Resource', 'Dept/Verification/Resource']);
  });

  test('GOVUK-NOT-EVALUATED: on the records of its field whose values are not known, whatever its message says', () => {
    const { app, stack, zone } = zoneStack();
    department({ dmarc: null }, { stack, zone });
    new route53.TxtRecord(stack, 'Dmarc', { zone, recordName: '_dmarc', values: [new CfnParameter(stack, 'DmarcValue').valueAsString] });
    const f: Finding = {
      ruleId: R.notEvaluated.id,
      severity: Severity.WARNING,
      source: 'test',
      subject: { ...DMARC_TXT, field: 'dmarc' },
      // Names another field: placement reads the subject, not this.
      message: `${DEPT}: mx could not be evaluated.`,
    };
    expect(placed(app, f)).toEqual([['GovEmail-GOVUK-NOT-EVALUATED', 'Dept/Dmarc/Resource', 'warning']]);
  });
});

describe('rewording a message moves no finding', () => {
  /** A department that breaks many rules at once, across every kind of resource the pack reads. */
  function weak(): App {
    const { app, stack, zone } = zoneStack();
    department({
      apexTxt: ['v=spf1 include:spf.protection.outlook.com ?all'],
      dmarc: ['v=DMARC1; p=none; pct=50; rua=mailto:a@dept.gov.uk,mailto:b@dept.gov.uk,mailto:c@dept.gov.uk'],
      policy: policy('testing', 3600, '*.mail.example.net'),
      tlsRpt: ['v=TLSRPTv1; rua=mailto:a@dept.gov.uk,mailto:b@dept.gov.uk'],
      tlsPolicy: ses.ConfigurationSetTlsPolicy.OPTIONAL,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019,
    }, { stack, zone });
    new route53.TxtRecord(stack, 'Verification', { zone, values: ['MS=ms12345678'] });
    new route53.CnameRecord(stack, 'Selector1', { zone, recordName: 'selector1._domainkey', domainName: new CfnParameter(stack, 'Target').valueAsString });
    const parked = new Stack(app, 'Parked', { env: ENV });
    new route53.CfnRecordSetGroup(parked, 'OldDept', {
      hostedZoneName: 'old-dept.gov.uk.',
      recordSets: [
        { name: 'old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=spf1 ~all"'] },
        { name: 'old-dept.gov.uk.', type: 'MX', ttl: '86400', resourceRecords: ['10 mx.example.net'] },
        { name: '_dmarc.old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=DMARC1; p=quarantine; rua=mailto:d@old-dept.gov.uk"'] },
      ],
    });
    return app;
  }

  test('every finding rewritten in other words lands on the same resources', () => {
    const before = check(weak());
    expect(new Set(before.map((r) => r.rule)).size).toBeGreaterThan(12);
    expect(new Set(before.map((r) => r.path)).size).toBeGreaterThan(6);
    const evaluate = GovUkProfile.evaluate;
    const spy = jest.spyOn(GovUkProfile, 'evaluate').mockImplementation((posture) =>
      // Each message replaced by one that names other records, fields and domains.
      evaluate(posture).map((f) => ({ ...f, message: `old-dept.gov.uk: apexTxt mx _dmarc.${DEPT} mta-sts.${DEPT} ${f.ruleId.split('').reverse().join('')}` })));
    try {
      const after = check(weak());
      expect(after).toEqual(before);
    } finally {
      spy.mockRestore();
    }
  });
});
