import * as fc from 'fast-check';
import { Finding, Severity } from '../../src/records/finding';
import { MTASTS_RULES, MtaSts, MtaStsMode, MtaStsPolicyModel, MtaStsRecordModel } from '../../src/records/mta-sts';
import { RecordSyntaxError } from '../../src/records/syntax-error';
import fixtures from '../fixtures/mta-sts.json';

const ids = (findings: Finding[]) => [...new Set(findings.map((f) => f.ruleId))].sort();
const crlf = (...lines: string[]) => lines.map((l) => `${l}\r\n`).join('');
const policy = (...extra: string[]) => crlf('version: STSv1', 'mode: enforce', 'mx: mail.example.gov.uk', 'max_age: 1209600', ...extra);

describe('MTA-STS rules: each has a violating and a passing input', () => {
  type Check = () => Finding[];
  const cases: Array<[string, Check, Check]> = [
    ['MTASTS-VERSION', () => MtaSts.checkRecord('V=STSv1; id=1'), () => MtaSts.checkRecord('v=STSv1; id=1')],
    ['MTASTS-ID', () => MtaSts.checkRecord('v=STSv1; id=a-b'), () => MtaSts.checkRecord('v=STSv1; id=ab')],
    ['MTASTS-RECORD-MULTIPLE',
      () => MtaSts.checkRecordSet(['v=STSv1; id=1', 'v=STSv1; id=2']),
      () => MtaSts.checkRecordSet(['v=STSv1; id=1', 'v=spf1 -all'])],
    ['MTASTS-DUPLICATE-FIELD', () => MtaSts.checkRecord('v=STSv1; id=1; id=2'), () => MtaSts.checkRecord('v=STSv1; id=1')],
    ['MTASTS-EXTENSION-SYNTAX', () => MtaSts.checkRecord('v=STSv1; id=1; _x=y'), () => MtaSts.checkRecord('v=STSv1; id=1; x=y')],
    ['MTASTS-UNKNOWN-FIELD', () => MtaSts.checkRecord('v=STSv1; id=1; x=y'), () => MtaSts.checkRecord('v=STSv1; id=1')],
    ['MTASTS-RECORD-SYNTAX', () => MtaSts.checkRecord('"v=STSv1; id =1"'), () => MtaSts.checkRecord('"v=STSv1; id=1;"')],
    ['MTASTS-POLICY-VERSION',
      () => MtaSts.checkPolicy(crlf('version: STSv2', 'mode: none', 'max_age: 1')),
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: none', 'max_age: 1'))],
    ['MTASTS-POLICY-VERSION-ORDER',
      () => MtaSts.checkPolicy(crlf('mode: none', 'version: STSv1', 'max_age: 1')),
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: none', 'max_age: 1'))],
    ['MTASTS-POLICY-MODE',
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: report', 'max_age: 1')),
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: none', 'max_age: 1'))],
    ['MTASTS-POLICY-MAX-AGE',
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: none', 'max_age: -1')),
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: none', 'max_age: 31557600'))],
    ['MTASTS-POLICY-MX-MISSING',
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: testing', 'max_age: 1')),
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: testing', 'mx: mx.example.com', 'max_age: 1'))],
    ['MTASTS-POLICY-MX-SYNTAX',
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: testing', 'mx: *mx.example.com', 'max_age: 1')),
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: testing', 'mx: mx.example.com', 'max_age: 1'))],
    ['MTASTS-POLICY-MX-WILDCARD',
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: testing', 'mx: *.example.com', 'max_age: 1')),
      () => MtaSts.checkPolicy(crlf('version: STSv1', 'mode: testing', 'mx: mx.example.com', 'max_age: 1'))],
    ['MTASTS-MX-NOT-COVERED',
      () => MtaSts.checkPolicy(policy(), { mxHosts: ['mail.example.gov.uk', 'other.example.gov.uk'] }),
      () => MtaSts.checkPolicy(policy(), { mxHosts: ['MAIL.example.gov.uk.'] })],
    ['MTASTS-POLICY-DUPLICATE-KEY', () => MtaSts.checkPolicy(policy('max_age: 86400')), () => MtaSts.checkPolicy(policy())],
    ['MTASTS-POLICY-UNKNOWN-KEY', () => MtaSts.checkPolicy(policy('Mode: none')), () => MtaSts.checkPolicy(policy())],
    ['MTASTS-POLICY-EXTENSION-SYNTAX', () => MtaSts.checkPolicy(policy('_ext: 1')), () => MtaSts.checkPolicy(policy('ext: 1'))],
    ['MTASTS-POLICY-SYNTAX', () => MtaSts.checkPolicy(policy('', 'x: 1')), () => MtaSts.checkPolicy(policy('x: 1'))],
    ['MTASTS-POLICY-SIZE', () => MtaSts.checkPolicy(policy(`x: ${'a'.repeat(65536)}`)), () => MtaSts.checkPolicy(policy(`x: ${'a'.repeat(65000)}`))],
  ];

  test('every rule is in the table', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(Object.values(MTASTS_RULES).map((r) => r.id).sort());
  });

  test.each(cases)('%s', (ruleId, violating, passing) => {
    const bad = violating().filter((f) => f.ruleId === ruleId);
    expect(bad.length).toBeGreaterThan(0);
    const rule = Object.values(MTASTS_RULES).find((r) => r.id === ruleId)!;
    expect(bad[0]).toMatchObject({ severity: rule.severity, source: rule.source });
    expect(passing().map((f) => f.ruleId)).not.toContain(ruleId);
  });
});

describe('MtaSts TXT record', () => {
  test('parses the RFC example, quoted, with a trailing ";"', () => {
    expect(MtaSts.parseRecord('"v=STSv1; id=20160831085700Z;"')).toEqual({ id: '20160831085700Z' });
  });

  test('parses split strings and keeps extensions in order', () => {
    expect(MtaSts.parseRecord('"v=STSv1; id=abc" "; x=1; y=2"')).toEqual({
      id: 'abc',
      extensions: [{ name: 'x', value: '1' }, { name: 'y', value: '2' }],
    });
  });

  test('keeps a repeated id as an extension, so the first wins', () => {
    expect(MtaSts.parseRecord('v=STSv1; id=first; id=second')).toEqual({ id: 'first', extensions: [{ name: 'id', value: 'second' }] });
  });

  test('a missing id is an empty id', () => {
    expect(MtaSts.parseRecord('v=STSv1;')).toEqual({ id: '' });
  });

  test.each(['', 'v=spf1 -all', 'V=STSv1; id=1', 'v=STSV1; id=1', 'v=STSv10; id=1', 'id=1; v=STSv1'])('not an MTA-STS record: %j', (text) => {
    expect(() => MtaSts.parseRecord(text)).toThrow(RecordSyntaxError);
    expect(() => MtaSts.parseRecord(text)).toThrow(/MTASTS-VERSION/);
  });

  test('renders canonically', () => {
    expect(MtaSts.renderRecord({ id: '20240101T000000' })).toBe('v=STSv1; id=20240101T000000');
    expect(MtaSts.renderRecord({ id: 'a1', extensions: [{ name: 'ext', value: 'x' }] })).toBe('v=STSv1; id=a1; ext=x');
  });

  test('refuses to render an invalid id', () => {
    expect(() => MtaSts.renderRecord({ id: '2024-01-01' })).toThrow(/MTASTS-ID/);
    expect(() => MtaSts.renderRecord({ id: '' })).toThrow(/MTASTS-ID/);
  });

  test('the id finding names the value', () => {
    expect(MtaSts.validateRecord({ id: 'a'.repeat(33) }, { name: '_mta-sts.example.gov.uk' })).toEqual([
      expect.objectContaining({ ruleId: 'MTASTS-ID', path: '_mta-sts.example.gov.uk', message: expect.stringContaining(`"${'a'.repeat(33)}"`) }),
    ]);
  });

  test.each([
    ['v=STSv1; id=1', true],
    ['"v=STSv1; id=1"', true],
    ['v=STSv1', true],
    ['V=stsv1; id=1', true],
    ['v=STSv1 ; id=1', true],
    ['v=spf1 -all', false],
    ['v=STSv10; id=1', false],
    ['google-site-verification=abc', false],
  ])('isMtaStsRecord(%j) is %s', (text, expected) => {
    expect(MtaSts.isMtaStsRecord(text)).toBe(expected);
  });

  test('checkRecordSet ignores other TXT values and checks the record', () => {
    expect(MtaSts.checkRecordSet(['v=spf1 -all', 'v=STSv1; id=abc'])).toEqual([]);
    expect(ids(MtaSts.checkRecordSet(['v=STSv1; id=a-b']))).toEqual(['MTASTS-ID']);
    expect(MtaSts.checkRecordSet([])).toEqual([]);
  });

  test('a mis-cased record in a set is reported, not silently ignored', () => {
    expect(ids(MtaSts.checkRecordSet(['v=stsv1; id=abc']))).toEqual(['MTASTS-VERSION']);
  });

  test('TXT encoding problems are reported too', () => {
    expect(ids(MtaSts.checkRecord('"v=STSv1; id=caf\\303\\251"'))).toEqual(['MTASTS-ID', 'TXT-NON-ASCII']);
  });
});

describe('MTA-STS syntax details', () => {
  test.each([
    ['a space before v=STSv1', '" v=STSv1; id=1"', ['MTASTS-RECORD-SYNTAX']],
    ['a space after the last field', '"v=STSv1; id=1 "', ['MTASTS-RECORD-SYNTAX']],
    ['a space after v=STSv1 alone', '"v=STSv1 "', ['MTASTS-ID', 'MTASTS-RECORD-SYNTAX']],
    ['spaces in the version', '"v = STSv1; id=1"', ['MTASTS-RECORD-SYNTAX']],
    ['a field without "="', 'v=STSv1; id=1; flag', ['MTASTS-EXTENSION-SYNTAX']],
    ['an extension value with "="', 'v=STSv1; id=1; x=a=b', ['MTASTS-EXTENSION-SYNTAX']],
    ['a repeated extension', 'v=STSv1; id=1; x=1; x=2', ['MTASTS-DUPLICATE-FIELD', 'MTASTS-UNKNOWN-FIELD']],
    ['a repeated version', 'v=STSv1; id=1; v=STSv1', ['MTASTS-DUPLICATE-FIELD']],
  ])('record with %s', (_, text, expected) => {
    expect(ids(MtaSts.checkRecord(text))).toEqual(expected);
  });

  test.each([
    ['a byte order mark', `\uFEFF${policy()}`, ['MTASTS-POLICY-SYNTAX']],
    ['a bare CR', 'version: STSv1\rmode: none\nmode: none\nmax_age: 1\n', ['MTASTS-POLICY-SYNTAX', 'MTASTS-POLICY-VERSION']],
    ['a line without a colon', policy('just text'), ['MTASTS-POLICY-SYNTAX']],
    ['an extension without a value', policy('ext:'), ['MTASTS-POLICY-EXTENSION-SYNTAX']],
    ['an extension value with a control character', policy('ext: a\u0001b'), ['MTASTS-POLICY-EXTENSION-SYNTAX']],
    ['a UTF-8 extension value', policy('ext: café au lait'), ['MTASTS-POLICY-UNKNOWN-KEY']],
    ['a repeated extension', policy('ext: 1', 'ext: 2'), ['MTASTS-POLICY-DUPLICATE-KEY', 'MTASTS-POLICY-UNKNOWN-KEY']],
    ['a repeated version', policy('version: STSv1'), ['MTASTS-POLICY-DUPLICATE-KEY']],
    ['mx lines in any order', crlf('mx: a.example', 'version: STSv1', 'mode: testing', 'max_age: 1', 'mx: b.example'), ['MTASTS-POLICY-VERSION-ORDER']],
  ])('policy with %s', (_, text, expected) => {
    expect(ids(MtaSts.checkPolicy(text))).toEqual(expected);
  });

  test('a null MX host is not an MX to cover', () => {
    expect(MtaSts.checkPolicy(policy(), { mxHosts: ['.'] })).toEqual([]);
  });
});

describe('MtaSts policy', () => {
  const m365: MtaStsPolicyModel = { mode: MtaStsMode.ENFORCE, maxAge: 1209600, mx: ['*.mail.protection.outlook.com'] };

  test('renders with CRLF line endings, version first, one mx line per pattern', () => {
    expect(MtaSts.renderPolicy({ mode: MtaStsMode.TESTING, maxAge: 86400, mx: ['a.example.com', 'b.example.com'] })).toBe(
      'version: STSv1\r\nmode: testing\r\nmx: a.example.com\r\nmx: b.example.com\r\nmax_age: 86400\r\n');
  });

  test('parses the Microsoft 365 policy', () => {
    expect(MtaSts.parsePolicy('version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmax_age: 1209600\r\n')).toEqual(m365);
  });

  test('is lenient about spaces, LF and a missing final line ending', () => {
    expect(MtaSts.parsePolicy('version:STSv1\nmode :  enforce  \n  mx: *.mail.protection.outlook.com\nmax_age:\t1209600')).toEqual(m365);
  });

  test('keys are case-sensitive', () => {
    expect(() => MtaSts.parsePolicy(crlf('Version: STSv1', 'mode: none', 'max_age: 1'))).toThrow(/MTASTS-POLICY-VERSION.*case-sensitive/);
    expect(() => MtaSts.parsePolicy(crlf('version: stsv1', 'mode: none', 'max_age: 1'))).toThrow(/MTASTS-POLICY-VERSION/);
  });

  test('a repeated key is kept as an extension, the first value wins', () => {
    expect(MtaSts.parsePolicy(crlf('version: STSv1', 'mode: testing', 'mode: enforce', 'mx: a.example', 'max_age: 1'))).toEqual({
      mode: MtaStsMode.TESTING, maxAge: 1, mx: ['a.example'], extensions: [{ name: 'mode', value: 'enforce' }],
    });
  });

  test.each([
    ['no mode', crlf('version: STSv1', 'max_age: 1'), 'MTASTS-POLICY-MODE'],
    ['no max_age', crlf('version: STSv1', 'mode: none'), 'MTASTS-POLICY-MAX-AGE'],
    ['max_age not digits', crlf('version: STSv1', 'mode: none', 'max_age: 1e6'), 'MTASTS-POLICY-MAX-AGE'],
    ['empty body', '', 'MTASTS-POLICY-VERSION'],
  ])('parsePolicy throws on %s', (_, text, ruleId) => {
    expect(() => MtaSts.parsePolicy(text)).toThrow(new RegExp(ruleId));
  });

  test('checkPolicy reports every unreadable required field at once', () => {
    expect(ids(MtaSts.checkPolicy('hello'))).toEqual(['MTASTS-POLICY-MAX-AGE', 'MTASTS-POLICY-MODE', 'MTASTS-POLICY-SYNTAX', 'MTASTS-POLICY-VERSION']);
  });

  test('refuses to render an invalid policy', () => {
    expect(() => MtaSts.renderPolicy({ mode: MtaStsMode.ENFORCE, maxAge: 1, mx: [] })).toThrow(/MTASTS-POLICY-MX-MISSING/);
    expect(() => MtaSts.renderPolicy({ mode: MtaStsMode.NONE, maxAge: 31557601, mx: [] })).toThrow(/MTASTS-POLICY-MAX-AGE/);
    expect(() => MtaSts.renderPolicy({ mode: MtaStsMode.NONE, maxAge: 1.5, mx: [] })).toThrow(/MTASTS-POLICY-MAX-AGE/);
    expect(() => MtaSts.renderPolicy({ mode: 'report' as MtaStsMode, maxAge: 1, mx: ['a.example'] })).toThrow(/MTASTS-POLICY-MODE/);
    expect(() => MtaSts.renderPolicy({ ...m365, extensions: [{ name: 'mx', value: 'b.example' }] })).toThrow(/MTASTS-POLICY-EXTENSION-SYNTAX/);
  });

  test('coverage is only checked for enforce and testing', () => {
    const none: MtaStsPolicyModel = { mode: MtaStsMode.NONE, maxAge: 86400, mx: [] };
    expect(MtaSts.validatePolicy(none, { mxHosts: ['mail.example.gov.uk'] })).toEqual([]);
    expect(ids(MtaSts.validatePolicy({ ...none, mode: MtaStsMode.TESTING, mx: ['x.example'] }, { mxHosts: ['mail.example.gov.uk'] }))).toEqual(['MTASTS-MX-NOT-COVERED']);
  });

  test('the not-covered finding names the host', () => {
    const f = MtaSts.validatePolicy(m365, { mxHosts: ['mx1.example.gov.uk'] }).find((x) => x.ruleId === 'MTASTS-MX-NOT-COVERED');
    expect(f).toMatchObject({ severity: Severity.ERROR, message: expect.stringContaining('"mx1.example.gov.uk"') });
  });

  test.each([
    ['mail.example.com', undefined],
    ['*.example.com', undefined],
    ['xn--bcher-kva.example', undefined],
    ['mail.*.example.com', 'MTASTS-POLICY-MX-SYNTAX'],
    ['*', 'MTASTS-POLICY-MX-SYNTAX'],
    ['*.', 'MTASTS-POLICY-MX-SYNTAX'],
    ['**.example.com', 'MTASTS-POLICY-MX-SYNTAX'],
    ['*.*.example.com', 'MTASTS-POLICY-MX-SYNTAX'],
    ['mail..example.com', 'MTASTS-POLICY-MX-SYNTAX'],
    ['mail.example.com.', 'MTASTS-POLICY-MX-SYNTAX'],
    ['mail_1.example.com', 'MTASTS-POLICY-MX-SYNTAX'],
    ['-mail.example.com', 'MTASTS-POLICY-MX-SYNTAX'],
    ['bücher.example', 'MTASTS-POLICY-MX-SYNTAX'],
    [`${'a'.repeat(64)}.example`, 'MTASTS-POLICY-MX-SYNTAX'],
    ['', 'MTASTS-POLICY-MX-SYNTAX'],
  ])('mx pattern %j', (mx, ruleId) => {
    const found = MtaSts.validatePolicy({ mode: MtaStsMode.TESTING, maxAge: 1, mx: [mx] }).filter((f) => f.severity === Severity.ERROR);
    expect(found.map((f) => f.ruleId)).toEqual(ruleId === undefined ? [] : [ruleId]);
  });

  test.each(fixtures.filter((f) => f.kind === 'policy').map((f) => [f.note, f] as const))('fixture policy: %s', (_, f) => {
    expect(ids(MtaSts.checkPolicy(f.value, { mxHosts: (f as { mxHosts?: string[] }).mxHosts }))).toEqual([...f.expected].sort());
  });

  test.each(fixtures.filter((f) => f.kind === 'record').map((f) => [f.note, f] as const))('fixture record: %s', (_, f) => {
    expect(ids(MtaSts.checkRecord(f.value, { name: f.name }))).toEqual([...f.expected].sort());
  });

  test('the fixture corpus has at least 10 entries of each kind', () => {
    expect(fixtures.filter((f) => f.kind === 'record').length).toBeGreaterThanOrEqual(10);
    expect(fixtures.filter((f) => f.kind === 'policy').length).toBeGreaterThanOrEqual(10);
  });
});

describe('MtaSts.matchesMx (RFC 8461 §4.1)', () => {
  test.each([
    ['*.example.com', 'mail.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', '.example.com', false],
    ['*.EXAMPLE.com', 'Mail.Example.COM.', true],
    ['mail.example.com', 'mail.example.com.', true],
    ['mail.example.com', 'MAIL.EXAMPLE.COM', true],
    ['mail.example.com', 'mail.example.com..', false],
    ['mail.example.com.', 'mail.example.com', false],
    ['mail.*.example.com', 'mail.x.example.com', false],
    ['*mail.example.com', 'xmail.example.com', false],
    ['*', 'com', false],
    ['*.mail.protection.outlook.com', 'example-gov-uk.mail.protection.outlook.com', true],
    ['*.aspmx.l.google.com', 'aspmx.l.google.com', false],
    ['mail.example.com', '', false],
  ])('matchesMx(%j, %j) is %s', (pattern, host, expected) => {
    expect(MtaSts.matchesMx(pattern, host)).toBe(expected);
  });

  test('uncoveredMx lists the hosts no pattern matches, in order', () => {
    const p: MtaStsPolicyModel = { mode: MtaStsMode.ENFORCE, maxAge: 1, mx: ['aspmx.l.google.com', '*.aspmx.l.google.com'] };
    expect(MtaSts.uncoveredMx(p, ['alt1.aspmx.l.google.com', 'mx.example.net', 'aspmx.l.google.com.', 'a.b.aspmx.l.google.com']))
      .toEqual(['mx.example.net', 'a.b.aspmx.l.google.com']);
  });
});

describe('MtaSts.policyUrl and policyId', () => {
  test.each([
    ['example.gov.uk', 'https://mta-sts.example.gov.uk/.well-known/mta-sts.txt'],
    ['Example.GOV.uk.', 'https://mta-sts.example.gov.uk/.well-known/mta-sts.txt'],
  ])('policyUrl(%j)', (domain, url) => {
    expect(MtaSts.policyUrl(domain)).toBe(url);
  });

  test.each(['', 'example.gov.uk/evil', 'exa mple.gov.uk', 'https://example.gov.uk'])('policyUrl refuses %j', (domain) => {
    expect(() => MtaSts.policyUrl(domain)).toThrow(/not a domain name/);
  });

  test('policyId is the first 32 hex digits of the SHA-256 of the body', () => {
    // SHA-256("") = e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    expect(MtaSts.policyId('')).toBe('e3b0c44298fc1c149afbf4c8996fb924');
  });
});

// ---- Properties ------------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const hostName = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
const mxPattern = fc.tuple(fc.boolean(), hostName).map(([wild, h]) => (wild ? `*.${h}` : h));
const extName = (reserved: string[]) => fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/).filter((n) => !reserved.includes(n));
const uniqueExtensions = (name: fc.Arbitrary<string>, value: fc.Arbitrary<string>) =>
  fc.option(fc.uniqueArray(fc.record({ name, value }), { minLength: 1, maxLength: 4, selector: (e) => e.name }), { nil: undefined });

const recordModel: fc.Arbitrary<MtaStsRecordModel> = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9]{1,32}$/),
  extensions: uniqueExtensions(extName(['id', 'v']), fc.stringMatching(/^[\x21-\x3a\x3c\x3e-\x7e]{1,20}$/)),
}, { requiredKeys: ['id'] });

const policyExtValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e](?:[\x20-\x7e]{0,20}[\x21-\x7e])?$/),
  fc.constantFrom('café', 'ünïcode value', '日本語'),
);
const policyModel: fc.Arbitrary<MtaStsPolicyModel> = fc.constantFrom(...Object.values(MtaStsMode)).chain((mode) => fc.record({
  mode: fc.constant(mode),
  maxAge: fc.integer({ min: 0, max: 31557600 }),
  mx: fc.array(mxPattern, { minLength: mode === MtaStsMode.NONE ? 0 : 1, maxLength: 5 }),
  extensions: uniqueExtensions(extName(['version', 'mode', 'max_age', 'mx']), policyExtValue),
}, { requiredKeys: ['mode', 'maxAge', 'mx'] }));

describe('MTA-STS properties', () => {
  test('parseRecord(renderRecord(m)) equals m, and a valid record checks without errors', () => {
    fc.assert(fc.property(recordModel, (m) => {
      const text = MtaSts.renderRecord(m);
      expect(MtaSts.parseRecord(text)).toEqual(m);
      expect(MtaSts.checkRecord(text).filter((f) => f.severity !== Severity.INFO)).toEqual([]);
    }));
  });

  test('parsePolicy(renderPolicy(m)) equals m, with CRLF or LF line endings', () => {
    fc.assert(fc.property(policyModel, (m) => {
      const body = MtaSts.renderPolicy(m);
      expect(MtaSts.parsePolicy(body)).toEqual(m);
      expect(MtaSts.parsePolicy(body.replace(/\r\n/g, '\n'))).toEqual(m);
      expect(MtaSts.checkPolicy(body).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    }));
  });

  test('a valid policy covers every host its exact patterns name', () => {
    fc.assert(fc.property(policyModel, (m) => {
      const exact = m.mx.filter((p) => !p.startsWith('*.'));
      expect(MtaSts.uncoveredMx(m, exact.map((h) => `${h.toUpperCase()}.`))).toEqual([]);
    }));
  });

  test('policyId is 1–32 letters and digits, equal for equal bodies', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (body) => {
      const id = MtaSts.policyId(body);
      expect(id).toMatch(/^[A-Za-z0-9]{1,32}$/);
      expect(MtaSts.policyId(`${body}`)).toBe(id);
      expect(MtaSts.validateRecord({ id })).toEqual([]);
    }));
  });

  test('policyId differs when the body differs', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
      fc.pre(a !== b);
      expect(MtaSts.policyId(a)).not.toBe(MtaSts.policyId(b));
    }));
    // Bodies that differ only in line endings are different bodies.
    expect(MtaSts.policyId('mode: enforce\r\n')).not.toBe(MtaSts.policyId('mode: enforce\n'));
  });

  /** The §4.1 rule, written independently: compare label by label. */
  function referenceMatch(pattern: string, host: string): boolean {
    const h = (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase();
    if (h === '') return false;
    const hl = h.split('.');
    const pl = pattern.toLowerCase().split('.');
    if (pl.length !== hl.length) return false;
    const wildcard = pl.length > 1 && pl[0] === '*';
    return pl.every((l, i) => (i === 0 && wildcard ? hl[0] !== '' : l === hl[i]));
  }

  test('matchesMx agrees with a label-by-label reference', () => {
    const smallLabel = fc.constantFrom('a', 'B', 'mail', 'MAIL', 'mx', '*', 'x*', '');
    const name = fc.array(smallLabel, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
    const pattern = fc.tuple(fc.constantFrom('', '*.', '*', '.'), name, fc.constantFrom('', '.')).map(([pre, n, post]) => `${pre}${n}${post}`);
    const host = fc.tuple(name, fc.constantFrom('', '.')).map(([n, dot]) => `${n}${dot}`);
    // Hosts derived from the pattern (its "*" labels replaced, its case changed) so that matches are common.
    const pair = pattern.chain((p) => fc.tuple(
      fc.constant(p),
      fc.oneof(host, fc.tuple(smallLabel, fc.boolean(), fc.constantFrom('', '.')).map(([l, upper, dot]) => {
        const replaced = p.replace(/^\*(?=\.)/, l).replace(/\.$/, '');
        return `${upper ? replaced.toUpperCase() : replaced}${dot}`;
      })),
    ));
    fc.assert(fc.property(pair, ([p, h]) => {
      expect(MtaSts.matchesMx(p, h)).toBe(referenceMatch(p, h));
    }), { numRuns: 2000 });
  });

  test('matchesMx: a wildcard pattern matches a host with exactly one more label', () => {
    fc.assert(fc.property(label, hostName, (first, rest) => {
      expect(MtaSts.matchesMx(`*.${rest}`, `${first}.${rest}`)).toBe(true);
      expect(MtaSts.matchesMx(`*.${rest}`, rest)).toBe(false);
      expect(MtaSts.matchesMx(`*.${rest}`, `x.${first}.${rest}`)).toBe(false);
    }));
  });

  test('checks never throw, whatever the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      expect(Array.isArray(MtaSts.checkRecord(text))).toBe(true);
      expect(Array.isArray(MtaSts.checkRecord(`v=STSv1;${text}`))).toBe(true);
      expect(Array.isArray(MtaSts.checkPolicy(text, { mxHosts: [text] }))).toBe(true);
      expect(Array.isArray(MtaSts.checkPolicy(`version: STSv1\nmode: enforce\nmax_age: 1\n${text}`, { mxHosts: [text] }))).toBe(true);
      expect(Array.isArray(MtaSts.checkRecordSet([text, 'v=STSv1; id=1']))).toBe(true);
    }));
  });
});
