import * as fc from 'fast-check';
import {
  DMARC_RULES, Dmarc, DmarcAlignment, DmarcModel, DmarcPolicy, DmarcPsd, DmarcReportUri,
} from '../../src/records/dmarc';
import { Finding, Severity } from '../../src/records/finding';
import { RecordSyntaxError } from '../../src/records/syntax-error';
import { TXT_RULES } from '../../src/records/txt';
import * as fixtures from '../fixtures/dmarc.json';

const ids = (findings: Finding[]) => [...new Set(findings.map((f) => f.ruleId))].sort();
const RUA = 'rua=mailto:dmarc-rua@dmarc.service.gov.uk';
const KNOWN = ['v', 'p', 'sp', 'np', 'adkim', 'aspf', 'fo', 'rua', 'ruf', 'psd', 't', 'pct', 'rf', 'ri'];
const CATALOGUE = new Set([...Object.values(DMARC_RULES), ...Object.values(TXT_RULES)].map((r) => r.id));

describe('Dmarc rules: each rule has a record that breaks it and one that keeps it', () => {
  // [rule id, a record (or record set) that breaks it, a similar one that does not]
  const cases: Array<[string, string | string[], string | string[]]> = [
    ['DMARC-VERSION', 'v=DMARC2; p=reject', 'v=DMARC1; p=reject'],
    ['DMARC-VERSION', 'v=dmarc1; p=reject', 'V=DMARC1; p=reject'],
    ['DMARC-VERSION', 'p=reject; v=DMARC1', 'v=DMARC1; p=reject'],
    ['DMARC-LITERAL-QUOTES', '\\"v=DMARC1; p=reject\\"', '"v=DMARC1; p=reject"'],
    ['DMARC-TAG-SYNTAX', 'v=DMARC1; p=reject; aspf', 'v=DMARC1; p=reject; aspf=r'],
    ['DMARC-TAG-SYNTAX', 'v=DMARC1; p=reject; aspf=', 'v=DMARC1; p=reject; aspf=r'],
    ['DMARC-TAG-SYNTAX', 'v=DMARC1; p=reject; x-y=1', 'v=DMARC1; p=reject; xy=1'],
    ['DMARC-DUPLICATE-TAG', 'v=DMARC1; p=reject; P=none', 'v=DMARC1; p=reject; sp=none'],
    ['DMARC-DUPLICATE-TAG', 'v=DMARC1; p=reject; v=DMARC1', 'v=DMARC1; p=reject'],
    ['DMARC-DUPLICATE-TAG', 'v=DMARC1; p=reject; foo=1; FOO=2', 'v=DMARC1; p=reject; foo=1; bar=2'],
    ['DMARC-POLICY-VALUE', 'v=DMARC1; p=rejected', 'v=DMARC1; p=reject'],
    ['DMARC-POLICY-VALUE', 'v=DMARC1; p=reject; sp=block', 'v=DMARC1; p=reject; sp=quarantine'],
    ['DMARC-POLICY-VALUE', 'v=DMARC1; p=reject; np=yes', 'v=DMARC1; p=reject; np=none'],
    ['DMARC-NO-POLICY', 'v=DMARC1', 'v=DMARC1; p=none'],
    ['DMARC-NO-POLICY', 'v=DMARC1; rua=dmarc@example.gov.uk', 'v=DMARC1; p=none; rua=dmarc@example.gov.uk'],
    ['DMARC-POLICY-IMPLIED-NONE', `v=DMARC1; ${RUA}`, `v=DMARC1; p=none; ${RUA}`],
    ['DMARC-ALIGNMENT-VALUE', 'v=DMARC1; p=reject; adkim=strict', 'v=DMARC1; p=reject; adkim=s'],
    ['DMARC-ALIGNMENT-VALUE', 'v=DMARC1; p=reject; aspf=x', 'v=DMARC1; p=reject; aspf=R'],
    ['DMARC-FO-VALUE', `v=DMARC1; p=reject; fo=2; ${RUA}`, `v=DMARC1; p=reject; fo=1; ${RUA}`],
    ['DMARC-FO-VALUE', 'v=DMARC1; p=reject; fo=1:', 'v=DMARC1; p=reject; fo=1'],
    ['DMARC-FO-COMBINATION', 'v=DMARC1; p=reject; fo=1:d; ruf=mailto:f@example.gov.uk', 'v=DMARC1; p=reject; fo=d:s; ruf=mailto:f@example.gov.uk'],
    ['DMARC-FO-WITHOUT-RUF', `v=DMARC1; p=reject; fo=d; ${RUA}`, 'v=DMARC1; p=reject; fo=d; ruf=mailto:f@example.gov.uk'],
    ['DMARC-FO-WITHOUT-RUF', `v=DMARC1; p=reject; fo=d:s; ${RUA}`, `v=DMARC1; p=reject; fo=1; ${RUA}`],
    ['DMARC-FO-WITHOUT-RUF', `v=DMARC1; p=reject; fo=s; ${RUA}`, `v=DMARC1; p=reject; fo=0; ${RUA}`],
    ['DMARC-FO-WITHOUT-RUF', `v=DMARC1; p=reject; fo=0:1; ${RUA}`, `v=DMARC1; p=reject; ${RUA}`],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; rua=dmarc@example.gov.uk', 'v=DMARC1; p=reject; rua=mailto:dmarc@example.gov.uk'],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; rua=mailto:dmarc', 'v=DMARC1; p=reject; rua=mailto:dmarc@example.gov.uk'],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; rua=mailto:dmarc@example', 'v=DMARC1; p=reject; rua=mailto:dmarc@example.org'],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; rua=mailto:a b@example.gov.uk', 'v=DMARC1; p=reject; rua=mailto:a%2Bb@example.gov.uk'],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; rua=mailto:dmarc@example.gov.uk!10x', 'v=DMARC1; p=reject; rua=mailto:dmarc@example.gov.uk!10M'],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; rua=mailto:d@example.gov.uk,', 'v=DMARC1; p=reject; rua=mailto:d@example.gov.uk'],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; rua=mailto:d%zz@example.gov.uk', 'v=DMARC1; p=reject; rua=mailto:d%21@example.gov.uk'],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; rua=mailto:d%2@example.gov.uk', 'v=DMARC1; p=reject; rua=mailto:dmarc%2Creports@example.gov.uk'],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; ruf=mailto:d%ZZ@example.gov.uk', 'v=DMARC1; p=reject; ruf=mailto:dmarc%3Bfailures@example.gov.uk'],
    ['DMARC-REPORT-URI', 'v=DMARC1; p=reject; ruf=mailto:a,b@example.gov.uk', 'v=DMARC1; p=reject; ruf=mailto:a@example.gov.uk%2Cb@example.gov.uk'],
    ['DMARC-REPORT-URI-SCHEME', 'v=DMARC1; p=reject; rua=https://dmarc.example.gov.uk/r', 'v=DMARC1; p=reject; rua=mailto:r@dmarc.example.gov.uk'],
    ['DMARC-REPORT-SIZE', 'v=DMARC1; p=reject; rua=mailto:d@example.gov.uk!50k', 'v=DMARC1; p=reject; rua=mailto:d@example.gov.uk'],
    ['DMARC-PSD-VALUE', 'v=DMARC1; p=reject; psd=yes', 'v=DMARC1; p=reject; psd=Y'],
    ['DMARC-TESTING-VALUE', 'v=DMARC1; p=reject; t=1', 'v=DMARC1; p=reject; t=n'],
    ['DMARC-PCT', 'v=DMARC1; p=reject; pct=100', 'v=DMARC1; p=reject'],
    ['DMARC-PCT', 'v=DMARC1; p=reject; pct=0', 'v=DMARC1; p=reject; t=y'],
    ['DMARC-PCT', 'v=DMARC1; p=reject; pct=150', 'v=DMARC1; p=reject'],
    ['DMARC-PCT', 'v=DMARC1; p=reject; pct=half', 'v=DMARC1; p=reject'],
    ['DMARC-HISTORIC-TAG', 'v=DMARC1; p=reject; rf=afrf', 'v=DMARC1; p=reject'],
    ['DMARC-HISTORIC-TAG', 'v=DMARC1; p=reject; ri=3600', 'v=DMARC1; p=reject'],
    ['DMARC-HISTORIC-TAG', 'v=DMARC1; p=reject; ri=hourly', 'v=DMARC1; p=reject'],
    ['DMARC-UNKNOWN-TAG', 'v=DMARC1; p=reject; bimi=1', 'v=DMARC1; p=reject; np=reject'],
    ['DMARC-MULTIPLE-RECORDS', ['v=DMARC1; p=reject', 'v=DMARC1; p=none'], ['v=DMARC1; p=reject', 'google-site-verification=abc']],
    ['DMARC-NO-RECORD', ['google-site-verification=abc'], ['google-site-verification=abc', 'v=DMARC1; p=reject']],
    ['DMARC-NO-RECORD', [], ['v=DMARC1; p=reject']],
  ];

  const run = (input: string | string[]) => (Array.isArray(input) ? Dmarc.checkRecordSet(input) : Dmarc.check(input));

  test.each(cases)('%s: flags %j, passes %j', (ruleId, bad, good) => {
    expect(ids(run(bad))).toContain(ruleId);
    expect(ids(run(good))).not.toContain(ruleId);
  });

  test('every rule in the catalogue has a case above', () => {
    const covered = new Set(cases.map(([id]) => id));
    expect(Object.values(DMARC_RULES).map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test('rule ids are upper kebab case with the DMARC- prefix and each names an RFC section', () => {
    for (const r of Object.values(DMARC_RULES)) {
      expect(r.id).toMatch(/^DMARC-[A-Z0-9]+(-[A-Z0-9]+)*$/);
      expect(r.source).toMatch(/RFC \d+ (§|App\.)/);
    }
  });

  test('a finding carries the rule\'s severity and source, the path, and names the offending value', () => {
    const [f] = Dmarc.check('v=DMARC1; p=rejected', { name: '_dmarc.example.gov.uk' });
    expect(f).toEqual({
      ruleId: 'DMARC-POLICY-VALUE',
      severity: Severity.ERROR,
      message: expect.stringContaining('got "rejected"'),
      source: DMARC_RULES.policyValue.source,
      path: '_dmarc.example.gov.uk',
      subject: { name: '_dmarc.example.gov.uk', type: 'TXT' },
    });
  });

  test('a record that is not DMARC gives one finding, with the path, and the reason', () => {
    expect(Dmarc.check('v=DMARC1 p=reject', { name: '_dmarc.x.gov.uk' })).toEqual([{
      ruleId: 'DMARC-VERSION',
      severity: Severity.ERROR,
      message: expect.stringContaining('separate tags with ";"'),
      source: DMARC_RULES.version.source,
      path: '_dmarc.x.gov.uk',
      subject: { name: '_dmarc.x.gov.uk', type: 'TXT' },
    }]);
  });

  test('a comma splitting an address is explained', () => {
    const messages = Dmarc.check('v=DMARC1; p=reject; rua=mailto:dmarc,reports@example.gov.uk').map((f) => f.message);
    expect(messages).toContainEqual(expect.stringContaining('write its "," as %2C'));
  });
});

describe('Dmarc.validate on models', () => {
  test.each<[string, DmarcModel, string]>([
    ['an enum value that is not one', { policy: 'block' as DmarcPolicy }, 'DMARC-POLICY-VALUE'],
    ['a subdomain policy that is not one', { policy: DmarcPolicy.REJECT, subdomainPolicy: 'x' as DmarcPolicy }, 'DMARC-POLICY-VALUE'],
    ['an alignment that is not one', { policy: DmarcPolicy.REJECT, spfAlignment: 'strict' as DmarcAlignment }, 'DMARC-ALIGNMENT-VALUE'],
    ['a psd that is not one', { policy: DmarcPolicy.REJECT, psd: 'yes' as DmarcPsd }, 'DMARC-PSD-VALUE'],
    ['an empty fo', { policy: DmarcPolicy.REJECT, failureOptions: [] }, 'DMARC-FO-VALUE'],
    ['an fo option that is not one', { policy: DmarcPolicy.REJECT, failureOptions: ['x'] }, 'DMARC-FO-VALUE'],
    ['an empty rua', { policy: DmarcPolicy.REJECT, aggregateReportUris: [] }, 'DMARC-REPORT-URI'],
    ['a URI holding a raw ","', { policy: DmarcPolicy.REJECT, aggregateReportUris: [{ uri: 'mailto:a,b@example.gov.uk' }] }, 'DMARC-REPORT-URI'],
    ['a URI holding a raw ";"', { policy: DmarcPolicy.REJECT, failureReportUris: [{ uri: 'mailto:a;b@example.gov.uk' }] }, 'DMARC-REPORT-URI'],
    ['a URI holding a raw "!"', { policy: DmarcPolicy.REJECT, aggregateReportUris: [{ uri: 'mailto:a!b@example.gov.uk' }] }, 'DMARC-REPORT-URI'],
    ['a pct that is not a percentage', { policy: DmarcPolicy.REJECT, percentage: 12.5 }, 'DMARC-PCT'],
    ['a historic report interval', { policy: DmarcPolicy.REJECT, reportInterval: 86400 }, 'DMARC-HISTORIC-TAG'],
  ])('%s', (_name, model, ruleId) => {
    expect(ids(Dmarc.validate(model))).toContain(ruleId);
  });

  test('an RFC-legal p=none record has no finding: UK-profile judgements are made elsewhere', () => {
    expect(Dmarc.validate({ policy: DmarcPolicy.NONE })).toEqual([]);
  });

  test('a record the generator writes for a parked domain (GOV.UK\'s fo=1, no ruf) has no finding at all', () => {
    const model: DmarcModel = {
      policy: DmarcPolicy.REJECT,
      subdomainPolicy: DmarcPolicy.REJECT,
      dkimAlignment: DmarcAlignment.STRICT,
      spfAlignment: DmarcAlignment.STRICT,
      failureOptions: ['1'],
      aggregateReportUris: [{ uri: 'mailto:dmarc-rua@dmarc.service.gov.uk' }],
    };
    expect(ids(Dmarc.validate(model))).toEqual([]);
  });
});

describe('Dmarc.parse', () => {
  test('reads every tag into the model', () => {
    expect(Dmarc.parse('v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; fo=d:s; '
      + 'rua=mailto:a@example.gov.uk!10m, mailto:b@example.gov.uk; ruf=mailto:f@example.gov.uk; psd=n; t=y; '
      + 'pct=100; rf=afrf; ri=86400; foo=bar')).toEqual({
      policy: DmarcPolicy.REJECT,
      subdomainPolicy: DmarcPolicy.QUARANTINE,
      nonExistentSubdomainPolicy: DmarcPolicy.REJECT,
      dkimAlignment: DmarcAlignment.STRICT,
      spfAlignment: DmarcAlignment.RELAXED,
      failureOptions: ['d', 's'],
      aggregateReportUris: [{ uri: 'mailto:a@example.gov.uk', maxSize: '10m' }, { uri: 'mailto:b@example.gov.uk' }],
      failureReportUris: [{ uri: 'mailto:f@example.gov.uk' }],
      psd: DmarcPsd.NO,
      testing: true,
      percentage: 100,
      reportFormat: 'afrf',
      reportInterval: 86400,
      unknownTags: [{ name: 'foo', value: 'bar' }],
    });
  });

  test('a minimal record has no fields at all, not undefined ones', () => {
    expect(Object.keys(Dmarc.parse('v=DMARC1; p=none'))).toEqual(['policy']);
    expect(Object.keys(Dmarc.parse('v=DMARC1'))).toEqual([]);
  });

  test('keeps duplicates and unreadable values as tags for validate to report, and render refuses them', () => {
    const model = Dmarc.parse('v=DMARC1; p=reject; P=none; adkim=strict; fo');
    expect(model).toEqual({
      policy: DmarcPolicy.REJECT,
      unknownTags: [{ name: 'p', value: 'none' }, { name: 'adkim', value: 'strict' }, { name: 'fo', value: '' }],
    });
    expect(ids(Dmarc.validate(model))).toEqual(['DMARC-ALIGNMENT-VALUE', 'DMARC-DUPLICATE-TAG', 'DMARC-TAG-SYNTAX']);
    expect(() => Dmarc.render(model)).toThrow(
      'Cannot render an invalid DMARC record: [DMARC-DUPLICATE-TAG] The tag p appears 2 times; it may appear once. [DMARC-ALIGNMENT-VALUE] adkim must be r or s; got "strict". [DMARC-TAG-SYNTAX] "fo=" is not a tag: write name=value, the name in letters and the value not empty.');
  });

  test('reads quoted and split strings, white space, empty tags and a trailing ";"', () => {
    expect(Dmarc.parse('"v=DMARC1;  p = Reject ;; " "rua = mailto:a@example.gov.uk ;"')).toEqual({
      policy: DmarcPolicy.REJECT,
      aggregateReportUris: [{ uri: 'mailto:a@example.gov.uk' }],
    });
  });

  test.each([
    ['missing version', 'p=reject', 'DMARC-VERSION'],
    ['another record', 'v=spf1 -all', 'DMARC-VERSION'],
    ['empty text', '', 'DMARC-VERSION'],
    ['literal quotes', '\\"v=DMARC1; p=reject\\"', 'DMARC-LITERAL-QUOTES'],
  ])('throws RecordSyntaxError for %s', (_name, text, ruleId) => {
    expect(() => Dmarc.parse(text)).toThrow(RecordSyntaxError);
    try {
      Dmarc.parse(text);
    } catch (e) {
      expect((e as RecordSyntaxError).ruleId).toBe(ruleId);
    }
  });
});

describe('Dmarc.render', () => {
  test('writes tags in canonical order, separated by "; "', () => {
    const model: DmarcModel = {
      unknownTags: [{ name: 'foo', value: 'bar' }],
      reportInterval: 3600,
      reportFormat: 'afrf',
      percentage: 100,
      testing: false,
      psd: DmarcPsd.YES,
      failureReportUris: [{ uri: 'mailto:f@example.gov.uk' }],
      aggregateReportUris: [{ uri: 'mailto:a@example.gov.uk', maxSize: '10m' }, { uri: 'mailto:b@example.gov.uk' }],
      failureOptions: ['1'],
      spfAlignment: DmarcAlignment.STRICT,
      dkimAlignment: DmarcAlignment.RELAXED,
      nonExistentSubdomainPolicy: DmarcPolicy.REJECT,
      subdomainPolicy: DmarcPolicy.QUARANTINE,
      policy: DmarcPolicy.NONE,
    };
    expect(Dmarc.render(model)).toBe('v=DMARC1; p=none; sp=quarantine; np=reject; adkim=r; aspf=s; fo=1; '
      + 'rua=mailto:a@example.gov.uk!10m,mailto:b@example.gov.uk; ruf=mailto:f@example.gov.uk; psd=y; t=n; '
      + 'pct=100; rf=afrf; ri=3600; foo=bar');
  });

  test('the GOV.UK parked-domain record', () => {
    expect(Dmarc.render({
      policy: DmarcPolicy.REJECT,
      subdomainPolicy: DmarcPolicy.REJECT,
      dkimAlignment: DmarcAlignment.STRICT,
      spfAlignment: DmarcAlignment.STRICT,
      failureOptions: ['1'],
      aggregateReportUris: [{ uri: 'mailto:dmarc-rua@dmarc.service.gov.uk' }],
    })).toBe('v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; fo=1; rua=mailto:dmarc-rua@dmarc.service.gov.uk');
  });
});

describe('Dmarc.isDmarc', () => {
  test.each([
    ['v=DMARC1; p=reject', true],
    ['V=DMARC1;p=reject', true],
    ['v = DMARC1', true],
    ['"v=DMARC1; " "p=reject"', true],
    ['v=dmarc1; p=reject', false],
    ['v=DMARC10; p=reject', false],
    ['v=DMARC1 p=reject', false],
    ['p=reject; v=DMARC1', false],
    ['\\"v=DMARC1; p=reject\\"', false],
    ['v=spf1 -all', false],
    ['', false],
  ])('%j is %s', (text, expected) => {
    expect(Dmarc.isDmarc(text)).toBe(expected);
  });
});

describe('Dmarc.checkRecordSet', () => {
  test('one record among other TXT values is checked alone', () => {
    expect(ids(Dmarc.checkRecordSet(['google-site-verification=abc', 'v=DMARC1; p=rejected']))).toEqual(['DMARC-POLICY-VALUE']);
  });

  test('two records: an error, and each record is checked too', () => {
    const findings = Dmarc.checkRecordSet(['v=DMARC1; p=reject', 'v=DMARC1; p=none; pct=50'], { name: '_dmarc.example.gov.uk' });
    expect(ids(findings)).toEqual(['DMARC-MULTIPLE-RECORDS', 'DMARC-PCT']);
    expect(findings.find((f) => f.ruleId === 'DMARC-MULTIPLE-RECORDS')).toMatchObject({
      severity: Severity.ERROR, path: '_dmarc.example.gov.uk', message: expect.stringContaining('2 records'),
    });
  });

  test('a failed attempt at a record is reported even beside a good one', () => {
    expect(ids(Dmarc.checkRecordSet(['v=DMARC1; p=reject', 'v=dmarc1; p=none']))).toEqual(['DMARC-VERSION']);
    expect(ids(Dmarc.checkRecordSet(['"\\"v=DMARC1; p=reject\\""']))).toEqual(['DMARC-LITERAL-QUOTES']);
  });
});

describe('Dmarc.organisationalDomain', () => {
  test.each([
    ['dept.gov.uk', 'dept.gov.uk'],
    ['a.dept.gov.uk', 'dept.gov.uk'],
    ['b.a.DEPT.gov.uk.', 'dept.gov.uk'],
    ['example.com', 'example.com'],
    ['mail.example.com', 'example.com'],
    ['trust.nhs.uk', 'trust.nhs.uk'],
    ['x.force.police.uk', 'force.police.uk'],
    ['mail.company.co.uk', 'company.co.uk'],
    ['example.uk', 'example.uk'],
    ['www.school.kent.sch.uk', 'school.kent.sch.uk'],
    ['kent.sch.uk', 'kent.sch.uk'],
    ['gov.uk', 'gov.uk'],
    ['uk', 'uk'],
  ])('%s is in %s', (name, org) => {
    expect(Dmarc.organisationalDomain(name)).toBe(org);
  });

  test('two departments under gov.uk are different organisations', () => {
    expect(Dmarc.organisationalDomain('dept.gov.uk')).not.toBe(Dmarc.organisationalDomain('other.gov.uk'));
  });
});

describe('Dmarc.externalReportAuthorisation', () => {
  test.each<[string, string, string | undefined]>([
    ['example.gov.uk', 'mailto:dmarc-rua@dmarc.service.gov.uk', 'example.gov.uk._report._dmarc.dmarc.service.gov.uk'],
    ['example.gov.uk', 'mailto:dmarc@reports.example.gov.uk', undefined],
    ['a.dept.gov.uk', 'mailto:dmarc@dept.gov.uk', undefined],
    ['dept.gov.uk', 'mailto:dmarc@other.gov.uk', 'dept.gov.uk._report._dmarc.other.gov.uk'],
    ['Example.gov.uk.', 'MAILTO:d@Reports.Vendor.example.com!10m', 'example.gov.uk._report._dmarc.reports.vendor.example.com'],
    ['_dmarc.example.gov.uk', 'mailto:d@vendor.example.com', 'example.gov.uk._report._dmarc.vendor.example.com'],
    ['example.gov.uk', 'https://reports.vendor.example.com/dmarc', undefined],
    ['example.gov.uk', 'mailto:not-an-address', undefined],
    ['', 'mailto:d@vendor.example.com', undefined],
  ])('%s sending to %s needs %s', (policyDomain, uri, expected) => {
    expect(Dmarc.externalReportAuthorisation(policyDomain, uri)).toBe(expected);
  });
});

describe('Dmarc fixtures: real-world shaped records', () => {
  const entries = Array.from(fixtures) as Array<{ name: string; value: string; note: string; expected: string[] }>;

  test('there are at least 14 entries, each with a note', () => {
    expect(entries.length).toBeGreaterThanOrEqual(14);
    expect(entries.every((e) => e.note.length > 0)).toBe(true);
  });

  test.each(entries.map((e) => [e.name, e.value, e.expected] as const))('%s', (name, value, expected) => {
    const findings = Dmarc.check(value, { name });
    expect(ids(findings)).toEqual([...expected].sort());
    expect(findings.every((f) => f.path === name)).toBe(true);
  });
});

// ---- Properties ----

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('gov.uk', 'com', 'org.uk', 'net'))
  .map(([labels, suffix]) => [...labels, suffix].join('.'));
/** A dot-atom local part; `%21` is an encoded "!", which is legal in a local part. */
const localPart = fc.array(fc.oneof(fc.stringMatching(/^[a-z0-9+_-]{1,8}$/), fc.constant('dmarc%21reports')), { minLength: 1, maxLength: 3 })
  .map((atoms) => atoms.join('.'));
const address = fc.tuple(localPart, domain).map(([l, d]) => `${l}@${d}`);
/** mailto: one or two addresses (the second joined by an encoded ","), maybe a header with an encoded ";". */
const mailto = fc.tuple(fc.array(address, { minLength: 1, maxLength: 2 }), fc.constantFrom('', '?subject=dmarc%3Breport'))
  .map(([addresses, query]) => `mailto:${addresses.join('%2C')}${query}`);
const reportUri: fc.Arbitrary<DmarcReportUri> = fc.record({
  uri: mailto,
  maxSize: fc.stringMatching(/^[1-9][0-9]{0,3}[kmgt]?$/),
}, { requiredKeys: ['uri'] });
const policy = fc.constantFrom(...Object.values(DmarcPolicy));
const alignment = fc.constantFrom(...Object.values(DmarcAlignment));
const unknownTag = fc.record({
  name: fc.stringMatching(/^[A-Za-z]{1,8}$/).filter((n) => !KNOWN.includes(n.toLowerCase())),
  value: fc.stringMatching(/^[\x21-\x3A\x3C-\x7E](?:[\x20-\x3A\x3C-\x7E]{0,10}[\x21-\x3A\x3C-\x7E])?$/),
});
/** Valid DMARC models: every tag optional, unknown tags with distinct names. */
const dmarcModel: fc.Arbitrary<DmarcModel> = fc.record({
  policy,
  subdomainPolicy: policy,
  nonExistentSubdomainPolicy: policy,
  dkimAlignment: alignment,
  spfAlignment: alignment,
  failureOptions: fc.shuffledSubarray(['0', '1', 'd', 's'], { minLength: 1 }),
  aggregateReportUris: fc.array(reportUri, { minLength: 1, maxLength: 3 }),
  failureReportUris: fc.array(reportUri, { minLength: 1, maxLength: 2 }),
  psd: fc.constantFrom(...Object.values(DmarcPsd)),
  testing: fc.boolean(),
  percentage: fc.integer({ min: 0, max: 100 }),
  reportFormat: fc.constantFrom('afrf', 'afrf:iodef'),
  reportInterval: fc.integer({ min: 0, max: 4294967295 }),
  unknownTags: fc.uniqueArray(unknownTag, { minLength: 1, maxLength: 3, selector: (t) => t.name.toLowerCase() }),
}, { requiredKeys: [] }).filter((m) => m.policy !== undefined || m.aggregateReportUris !== undefined);

describe('Dmarc properties', () => {
  test('parse(render(model)) equals the model, and the generated models have no errors', () => {
    fc.assert(fc.property(dmarcModel, (model) => {
      const text = Dmarc.render(model);
      expect(Dmarc.parse(text)).toEqual(model);
      expect(Dmarc.isDmarc(text)).toBe(true);
      expect(Dmarc.validate(model).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    }));
  });

  test('parse is case-insensitive for tag names and enumerated values', () => {
    const caseValues = new Set(['p', 'sp', 'np', 'adkim', 'aspf', 'fo', 'psd', 't']);
    fc.assert(fc.property(dmarcModel, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (model, flips) => {
      let i = 0;
      const recase = (s: string) => [...s].map((c) => (flips[i++ % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');
      const text = Dmarc.render(model).split('; ').map((tag) => {
        const eq = tag.indexOf('=');
        const name = tag.slice(0, eq);
        const value = tag.slice(eq + 1);
        if (!KNOWN.includes(name)) {
          return tag; // unknown tag names are kept as written
        }
        return `${recase(name)}=${caseValues.has(name) ? recase(value) : value}`;
      }).join('; ');
      expect(Dmarc.parse(text)).toEqual(model);
    }));
  });

  test('check never throws, whatever the input, and reports only catalogued rules', () => {
    const dmarcish = fc.array(fc.constantFrom('v=DMARC1', 'V', 'v', '=', ';', ' ', 'p', 'sp', 'reject', 'none', 'rua', 'ruf',
      'mailto:', '@', 'example.gov.uk', ',', '!', '10m', 'fo', '1', ':', 'd', '"', '\\', '%', '%2C', 'pct', 'psd', 't', 'y', '\u00e9'),
    { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), dmarcish, dmarcish.map((s) => `v=DMARC1;${s}`)), (text) => {
      const findings = Dmarc.check(text, { name: '_dmarc.example.gov.uk' });
      expect(findings.every((f) => CATALOGUE.has(f.ruleId))).toBe(true);
      expect(() => Dmarc.checkRecordSet([text, text])).not.toThrow();
      expect(() => Dmarc.isDmarc(text)).not.toThrow();
    }));
  });
});

describe('Dmarc.check: a record over 255 octets', () => {
  const long = `v=DMARC1; p=reject; rua=${['d', 'e', 'f'].map((c) => `mailto:${c.repeat(60)}@example.gov.uk`).join(',')}`;
  test('plain text is measured split as it is published: no TXT-STRING-LENGTH', () => {
    expect(long.length).toBeGreaterThan(255);
    expect(ids(Dmarc.check(long))).toEqual([]);
  });
  test('one quoted string of more than 255 octets is TXT-STRING-LENGTH', () => {
    expect(ids(Dmarc.check(`"${long}"`))).toEqual(['TXT-STRING-LENGTH']);
  });
});
