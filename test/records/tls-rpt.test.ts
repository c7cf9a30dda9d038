import * as fc from 'fast-check';
import { Finding, Severity } from '../../src/records/finding';
import { RecordSyntaxError } from '../../src/records/syntax-error';
import { TLSRPT_RULES, TlsRpt, TlsRptModel } from '../../src/records/tls-rpt';
import { TXT_RULES } from '../../src/records/txt';
import * as fixtures from '../fixtures/tls-rpt.json';

const ids = (findings: Finding[]) => [...new Set(findings.map((f) => f.ruleId))].sort();
const RUA = 'rua=mailto:tls-rua@example.gov.uk';
const CATALOGUE = new Set([...Object.values(TLSRPT_RULES), ...Object.values(TXT_RULES)].map((r) => r.id));

describe('TlsRpt rules: each rule has a record that breaks it and one that keeps it', () => {
  // [rule id, a record (or record set) that breaks it, a similar one that does not]
  const cases: Array<[string, string | string[], string | string[]]> = [
    ['TLSRPT-VERSION', `v=TLSRPTv2; ${RUA}`, `v=TLSRPTv1; ${RUA}`],
    ['TLSRPT-VERSION', `V=TLSRPTv1; ${RUA}`, `v=TLSRPTv1; ${RUA}`],
    ['TLSRPT-VERSION', `v = TLSRPTv1; ${RUA}`, `v=TLSRPTv1 ; ${RUA}`],
    ['TLSRPT-VERSION', `${RUA}; v=TLSRPTv1`, `v=TLSRPTv1; ${RUA}`],
    ['TLSRPT-VERSION', `v=TLSRPTv1 ${RUA}`, `v=TLSRPTv1;${RUA}`],
    ['TLSRPT-RUA-MISSING', 'v=TLSRPTv1', `v=TLSRPTv1; ${RUA}`],
    ['TLSRPT-RUA-MISSING', 'v=TLSRPTv1; Rua=mailto:tls-rua@example.gov.uk', `v=TLSRPTv1; ${RUA}`],
    ['TLSRPT-URI-SCHEME', 'v=TLSRPTv1; rua=tls-rua@example.gov.uk', 'v=TLSRPTv1; rua=mailto:tls-rua@example.gov.uk'],
    ['TLSRPT-URI-SCHEME', 'v=TLSRPTv1; rua=http://tlsrpt.example.gov.uk/r', 'v=TLSRPTv1; rua=https://tlsrpt.example.gov.uk/r'],
    ['TLSRPT-URI-SCHEME', 'v=TLSRPTv1; rua=ftp://tlsrpt.example.gov.uk/r', 'v=TLSRPTv1; rua=HTTPS://tlsrpt.example.gov.uk/r'],
    ['TLSRPT-URI-ENCODING', 'v=TLSRPTv1; rua=mailto:tls!rua@example.gov.uk', 'v=TLSRPTv1; rua=mailto:tls%21rua@example.gov.uk'],
    ['TLSRPT-URI-ENCODING', 'v=TLSRPTv1; rua=https://r.example.gov.uk/a!b', 'v=TLSRPTv1; rua=https://r.example.gov.uk/a%21b'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=mailto:tls-rua', 'v=TLSRPTv1; rua=mailto:tls-rua@example.gov.uk'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=mailto:tls%2@example.gov.uk', 'v=TLSRPTv1; rua=mailto:tls%2Creports@example.gov.uk'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=mailto:tls%ZZreports@example.gov.uk', 'v=TLSRPTv1; rua=mailto:tls%3Breports@example.gov.uk'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=mailto:tls..rua@example.gov.uk', 'v=TLSRPTv1; rua=mailto:tls.rua@example.gov.uk'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=https://', 'v=TLSRPTv1; rua=https://r.example.gov.uk'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=https://r.example.gov.uk:99999/', 'v=TLSRPTv1; rua=https://r.example.gov.uk:8443/'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=https://user@r.example.gov.uk/', 'v=TLSRPTv1; rua=https://r.example.gov.uk/user'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=https://r.example.gov.uk/a b', 'v=TLSRPTv1; rua=https://r.example.gov.uk/a%20b'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=https://300.1.1.1/', 'v=TLSRPTv1; rua=https://192.0.2.1/'],
    ['TLSRPT-URI-MALFORMED', 'v=TLSRPTv1; rua=', `v=TLSRPTv1; ${RUA}`],
    ['TLSRPT-DUPLICATE-FIELD', `v=TLSRPTv1; ${RUA}; rua=mailto:b@example.gov.uk`, `v=TLSRPTv1; ${RUA},mailto:b@example.gov.uk`],
    ['TLSRPT-DUPLICATE-FIELD', `v=TLSRPTv1; ${RUA}; v=TLSRPTv1`, `v=TLSRPTv1; ${RUA}`],
    ['TLSRPT-DUPLICATE-FIELD', `v=TLSRPTv1; ${RUA}; x=1; x=2`, `v=TLSRPTv1; ${RUA}; x=1; X=2`],
    ['TLSRPT-FIELD-SYNTAX', `v=TLSRPTv1; ${RUA}; ext`, `v=TLSRPTv1; ${RUA}; ext=1`],
    ['TLSRPT-FIELD-SYNTAX', `v=TLSRPTv1; ${RUA}; ext=a b`, `v=TLSRPTv1; ${RUA}; ext=a_b`],
    ['TLSRPT-FIELD-SYNTAX', `v=TLSRPTv1; ${RUA}; _ext=1`, `v=TLSRPTv1; ${RUA}; e_xt=1`],
    ['TLSRPT-UNKNOWN-FIELD', `v=TLSRPTv1; ${RUA}; ext=1`, `v=TLSRPTv1; ${RUA}`],
    ['TLSRPT-MULTIPLE-RECORDS', [`v=TLSRPTv1; ${RUA}`, `v=TLSRPTv1; ${RUA}`], [`v=TLSRPTv1; ${RUA}`, 'v=spf1 -all']],
    ['TLSRPT-NO-RECORD', ['v=spf1 -all'], [`v=TLSRPTv1; ${RUA}`]],
  ];

  const run = (input: string | string[]) => (Array.isArray(input) ? TlsRpt.checkRecordSet(input) : TlsRpt.check(input));

  test.each(cases)('%s: flags %j, passes %j', (ruleId, bad, good) => {
    expect(ids(run(bad))).toContain(ruleId);
    expect(ids(run(good))).not.toContain(ruleId);
  });

  test('every rule in the catalogue has a case above', () => {
    const covered = new Set(cases.map(([id]) => id));
    expect(Object.values(TLSRPT_RULES).map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test('rule ids are upper kebab case with the TLSRPT- prefix and each names RFC 8460', () => {
    for (const r of Object.values(TLSRPT_RULES)) {
      expect(r.id).toMatch(/^TLSRPT-[A-Z0-9]+(-[A-Z0-9]+)*$/);
      expect(r.source).toMatch(/RFC 8460 §3/);
    }
  });

  test('a finding carries severity, source and path, and names the offending URI', () => {
    expect(TlsRpt.check('v=TLSRPTv1; rua=http://r.example.gov.uk/', { name: '_smtp._tls.example.gov.uk' })).toEqual([{
      ruleId: 'TLSRPT-URI-SCHEME',
      severity: Severity.ERROR,
      message: 'rua URI "http://r.example.gov.uk/" uses http:; only mailto: and https: are allowed.',
      source: TLSRPT_RULES.uriScheme.source,
      path: '_smtp._tls.example.gov.uk',
      subject: { name: '_smtp._tls.example.gov.uk', type: 'TXT' },
    }]);
  });

  test('explains a DMARC-style size, a split address and a wrongly cased rua', () => {
    const messages = (text: string) => TlsRpt.check(text).map((f) => f.message).join('\n');
    expect(messages('v=TLSRPTv1; rua=mailto:a@example.gov.uk!10m')).toContain('%21');
    expect(messages('v=TLSRPTv1; rua=mailto:a@example.gov.uk!10m')).toContain('no DMARC-style !size');
    expect(messages('v=TLSRPTv1; rua=mailto:tls,rua@example.gov.uk')).toContain('write its "," as %2C');
    expect(messages('v=TLSRPTv1; RUA=mailto:a@example.gov.uk')).toContain('"RUA" is not rua');
    expect(messages('\\"v=TLSRPTv1; rua=mailto:a@example.gov.uk\\"')).toContain('quote character');
  });
});

describe('TlsRpt.parse and render', () => {
  test('reads the rua list, white space and extensions', () => {
    expect(TlsRpt.parse('"v=TLSRPTv1 ; rua = mailto:a@example.gov.uk , https://r.example.gov.uk/x ;; ext=1;"')).toEqual({
      reportUris: ['mailto:a@example.gov.uk', 'https://r.example.gov.uk/x'],
      extensions: [{ name: 'ext', value: '1' }],
    });
  });

  test('a record with no rua has an empty list and no extensions key', () => {
    expect(TlsRpt.parse('v=TLSRPTv1;')).toEqual({ reportUris: [] });
    expect(Object.keys(TlsRpt.parse(`v=TLSRPTv1; ${RUA}`))).toEqual(['reportUris']);
  });

  test('a second rua is kept as an extension for validate to report, and render refuses it', () => {
    const model = TlsRpt.parse('v=TLSRPTv1; rua=mailto:a@example.gov.uk; rua=mailto:b@example.gov.uk');
    expect(model).toEqual({ reportUris: ['mailto:a@example.gov.uk'], extensions: [{ name: 'rua', value: 'mailto:b@example.gov.uk' }] });
    expect(TlsRpt.validate(model).map((f) => f.ruleId)).toEqual(['TLSRPT-DUPLICATE-FIELD']);
    expect(() => TlsRpt.render(model)).toThrow(
      'Cannot render an invalid TLS-RPT record: [TLSRPT-DUPLICATE-FIELD] The field rua appears 2 times; it may appear once.');
  });

  test('renders the canonical form', () => {
    expect(TlsRpt.render({ reportUris: ['mailto:tls-rua@mailcheck.service.ncsc.gov.uk', 'https://r.example.gov.uk/v1'] }))
      .toBe('v=TLSRPTv1; rua=mailto:tls-rua@mailcheck.service.ncsc.gov.uk,https://r.example.gov.uk/v1');
    expect(TlsRpt.render({ reportUris: ['mailto:a@example.gov.uk'], extensions: [{ name: 'ext', value: '1' }] }))
      .toBe('v=TLSRPTv1; rua=mailto:a@example.gov.uk; ext=1');
  });

  test.each([
    ['another version', 'v=TLSRPTv2; rua=mailto:a@example.gov.uk'],
    ['another record', 'v=STSv1; id=20240101'],
    ['empty text', ''],
  ])('throws RecordSyntaxError for %s', (_name, text) => {
    expect(() => TlsRpt.parse(text)).toThrow(RecordSyntaxError);
    expect(() => TlsRpt.parse(text)).toThrow(/\[TLSRPT-VERSION\]/);
  });

  test('validate flags URIs holding raw separators in a built model', () => {
    const model: TlsRptModel = { reportUris: ['mailto:a,b@example.gov.uk', 'mailto:a;b@example.gov.uk'] };
    expect(TlsRpt.validate(model).map((f) => f.ruleId)).toEqual(['TLSRPT-URI-ENCODING', 'TLSRPT-URI-ENCODING']);
  });
});

describe('TlsRpt.isTlsRpt and checkRecordSet', () => {
  test.each([
    ['v=TLSRPTv1; rua=mailto:a@example.gov.uk', true],
    ['v=TLSRPTv1', true],
    ['"v=TLSRPTv1;" "rua=mailto:a@example.gov.uk"', true],
    ['V=TLSRPTv1; rua=mailto:a@example.gov.uk', false],
    ['v=TLSRPTv10; rua=mailto:a@example.gov.uk', false],
    ['v=DMARC1; p=reject', false],
  ])('%j is %s', (text, expected) => {
    expect(TlsRpt.isTlsRpt(text)).toBe(expected);
  });

  test('two records: an error, with the path, and each record is checked', () => {
    const findings = TlsRpt.checkRecordSet([`v=TLSRPTv1; ${RUA}`, 'v=TLSRPTv1; rua=http://r.example.gov.uk/'],
      { name: '_smtp._tls.example.gov.uk' });
    expect(ids(findings)).toEqual(['TLSRPT-MULTIPLE-RECORDS', 'TLSRPT-URI-SCHEME']);
    expect(findings[0]).toMatchObject({ ruleId: 'TLSRPT-MULTIPLE-RECORDS', path: '_smtp._tls.example.gov.uk' });
  });

  test('a failed attempt beside a good record is reported; other TXT values are ignored', () => {
    expect(ids(TlsRpt.checkRecordSet([`v=TLSRPTv1; ${RUA}`, `v=TLSRPTv2; ${RUA}`, 'v=spf1 -all']))).toEqual(['TLSRPT-VERSION']);
  });
});

describe('TlsRpt fixtures: real-world shaped records', () => {
  const entries = Array.from(fixtures) as Array<{ name: string; value: string; note: string; expected: string[] }>;

  test('there are at least 8 entries, each with a note', () => {
    expect(entries.length).toBeGreaterThanOrEqual(8);
    expect(entries.every((e) => e.note.length > 0)).toBe(true);
  });

  test.each(entries.map((e) => [e.name, e.value, e.expected] as const))('%s', (name, value, expected) => {
    const findings = TlsRpt.check(value, { name });
    expect(ids(findings)).toEqual([...expected].sort());
    expect(findings.every((f) => f.path === name)).toBe(true);
  });
});

// ---- Properties ----

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('gov.uk', 'com', 'org.uk'))
  .map(([labels, suffix]) => [...labels, suffix].join('.'));
const localPart = fc.array(fc.oneof(fc.stringMatching(/^[a-z0-9+_-]{1,8}$/), fc.constant('tls%21rpt')), { minLength: 1, maxLength: 3 })
  .map((atoms) => atoms.join('.'));
const mailto = fc.tuple(localPart, domain, fc.constantFrom('', '?subject=tls%3Breport')).map(([l, d, q]) => `mailto:${l}@${d}${q}`);
const pathSegment = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/), fc.constantFrom('%2C', '%21', '%3B', 'a%2Cb'));
const https = fc.tuple(domain, fc.constantFrom('', ':443', ':8443'), fc.array(pathSegment, { maxLength: 3 }), fc.constantFrom('', '?k=v%3Bw'))
  .map(([d, port, segments, query]) => `https://${d}${port}/${segments.join('/')}${query}`);
const extension = fc.record({
  name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,8}$/).filter((n) => n !== 'rua' && n !== 'v'),
  value: fc.stringMatching(/^[\x21-\x3A\x3C\x3E-\x7E]{1,12}$/),
});
/** Valid TLS-RPT models: one to three mailto/https URIs, extensions with distinct names. */
const tlsRptModel: fc.Arbitrary<TlsRptModel> = fc.record({
  reportUris: fc.array(fc.oneof(mailto, https), { minLength: 1, maxLength: 3 }),
  extensions: fc.uniqueArray(extension, { minLength: 1, maxLength: 3, selector: (e) => e.name }),
}, { requiredKeys: ['reportUris'] });

describe('TlsRpt properties', () => {
  test('parse(render(model)) equals the model, and the generated models have no errors', () => {
    fc.assert(fc.property(tlsRptModel, (model) => {
      const text = TlsRpt.render(model);
      expect(TlsRpt.parse(text)).toEqual(model);
      expect(TlsRpt.isTlsRpt(text)).toBe(true);
      expect(TlsRpt.validate(model).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    }));
  });

  test('check never throws, whatever the input, and reports only catalogued rules', () => {
    const tlsish = fc.array(fc.constantFrom('v=TLSRPTv1', 'v', '=', ';', ' ', 'rua', 'RUA', 'mailto:', 'https://', 'http://',
      '@', 'example.gov.uk', ',', '!', '%', '%2C', ':', '/', '"', '\\', 'ext', '\u00e9'), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), tlsish, tlsish.map((s) => `v=TLSRPTv1;${s}`)), (text) => {
      const findings = TlsRpt.check(text, { name: '_smtp._tls.example.gov.uk' });
      expect(findings.every((f) => CATALOGUE.has(f.ruleId))).toBe(true);
      expect(() => TlsRpt.checkRecordSet([text, text])).not.toThrow();
      expect(() => TlsRpt.isTlsRpt(text)).not.toThrow();
    }));
  });
});

describe('TlsRpt.check: a record over 255 octets', () => {
  const long = `v=TLSRPTv1; rua=mailto:${'t'.repeat(60)}@example.gov.uk,https://${'r'.repeat(60)}.example.gov.uk/${'p'.repeat(120)}`;
  test('plain text is measured split as it is published: no TXT-STRING-LENGTH', () => {
    expect(long.length).toBeGreaterThan(255);
    expect(ids(TlsRpt.check(long))).toEqual([]);
  });
  test('one quoted string of more than 255 octets is TXT-STRING-LENGTH', () => {
    expect(ids(TlsRpt.check(`"${long}"`))).toEqual(['TXT-STRING-LENGTH']);
  });
});
