import * as fc from 'fast-check';
import { BIMI_RULES, Bimi, BimiAvatarPreference, BimiModel } from '../../src/records/bimi';
import { Finding, Severity } from '../../src/records/finding';
import { RecordSyntaxError } from '../../src/records/syntax-error';
import { TXT_RULES, TxtChunks } from '../../src/records/txt';

const ids = (findings: Finding[]) => [...new Set(findings.map((f) => f.ruleId))].sort();
const LOGO = 'l=https://www.dept.gov.uk/bimi/logo.svg';
const CATALOGUE = new Set([...Object.values(BIMI_RULES), ...Object.values(TXT_RULES)].map((r) => r.id));

describe('Bimi rules: each rule has a record that breaks it and one that keeps it', () => {
  // [rule id, a record (or record set) that breaks it, a similar one that does not]
  const cases: Array<[string, string | string[], string | string[]]> = [
    ['BIMI-VERSION', `v=BIMI2; ${LOGO}`, `v=BIMI1; ${LOGO}`],
    ['BIMI-VERSION', `V=BIMI1; ${LOGO}`, `v=BIMI1; ${LOGO}`],
    ['BIMI-VERSION', `v=bimi1; ${LOGO}`, `v = BIMI1; ${LOGO}`],
    ['BIMI-VERSION', `${LOGO}; v=BIMI1`, `v=BIMI1; ${LOGO}`],
    ['BIMI-VERSION', `v=BIMI1 ${LOGO}`, `v=BIMI1;${LOGO}`],
    ['BIMI-LOGO-URL', 'v=BIMI1', `v=BIMI1; ${LOGO}`],
    ['BIMI-LOGO-URL', 'v=BIMI1; L=https://www.dept.gov.uk/logo.svg', `v=BIMI1; ${LOGO}`],
    ['BIMI-LOGO-URL', 'v=BIMI1; l=http://www.dept.gov.uk/logo.svg', `v=BIMI1; ${LOGO}`],
    ['BIMI-LOGO-URL', 'v=BIMI1; l=www.dept.gov.uk/logo.svg', `v=BIMI1; ${LOGO}`],
    ['BIMI-LOGO-URL', 'v=BIMI1; l=https://www.dept.gov.uk/logo.png', 'v=BIMI1; l=https://www.dept.gov.uk/logo.svgz'],
    ['BIMI-LOGO-URL', 'v=BIMI1; l=https://www.dept.gov.uk/logo.JPG?v=2', 'v=BIMI1; l=https://www.dept.gov.uk/logo?format=png'],
    ['BIMI-LOGO-URL', 'v=BIMI1; l=https://192.0.2.1/logo.svg', 'v=BIMI1; l=https://logo.dept.gov.uk/logo.svg'],
    ['BIMI-LOGO-URL', 'v=BIMI1; l=https://a.gov.uk/1.svg,https://b.gov.uk/2.svg', 'v=BIMI1; l=https://a.gov.uk/1%2C2.svg'],
    ['BIMI-LOGO-URL', 'v=BIMI1; l=; a=https://www.dept.gov.uk/vmc.pem', 'v=BIMI1; l=; a='],
    ['BIMI-AUTHORITY-URL', `v=BIMI1; ${LOGO}; a=http://www.dept.gov.uk/vmc.pem`, `v=BIMI1; ${LOGO}; a=https://www.dept.gov.uk/vmc.pem`],
    ['BIMI-AUTHORITY-URL', `v=BIMI1; ${LOGO}; a=https://[2001:db8::1]/vmc.pem`, `v=BIMI1; ${LOGO}; a=`],
    ['BIMI-TAG-SYNTAX', `v=BIMI1; ${LOGO}; 1x=y`, `v=BIMI1; ${LOGO}; x1=y`],
    ['BIMI-TAG-SYNTAX', `v=BIMI1; ${LOGO}; flag`, `v=BIMI1; ${LOGO}; flag=`],
    ['BIMI-TAG-VALUE', `v=BIMI1; ${LOGO}; lps=yes`, `v=BIMI1; ${LOGO}; lps=true`],
    ['BIMI-TAG-VALUE', `v=BIMI1; ${LOGO}; avp=logo`, `v=BIMI1; ${LOGO}; avp=personal`],
    ['BIMI-DUPLICATE-TAG', `v=BIMI1; ${LOGO}; ${LOGO}`, `v=BIMI1; ${LOGO}`],
    ['BIMI-DUPLICATE-TAG', `v=BIMI1; ${LOGO}; v=BIMI1`, `v=BIMI1; ${LOGO}`],
    ['BIMI-UNKNOWN-TAG', `v=BIMI1; ${LOGO}; s=brand`, `v=BIMI1; ${LOGO}; avp=brand`],
    ['BIMI-DECLINED', 'v=BIMI1; l=; a=;', `v=BIMI1; ${LOGO}; a=`],
    ['BIMI-MULTIPLE-RECORDS', [`v=BIMI1; ${LOGO}`, 'v=BIMI1; l=https://www.dept.gov.uk/other.svg'], [`v=BIMI1; ${LOGO}`, 'google-site-verification=abc']],
  ];
  test.each(cases)('%s: %j breaks it, %j does not', (ruleId, bad, good) => {
    const check = (r: string | string[]) => (Array.isArray(r) ? Bimi.checkRecordSet(r, { name: 'default._bimi.dept.gov.uk' }) : Bimi.check(r));
    expect(ids(check(bad))).toContain(ruleId);
    expect(ids(check(good))).not.toContain(ruleId);
  });

  test('every BIMI record rule (not the DMARC, logo and certificate rules) is covered above', () => {
    const recordRules = ['BIMI-VERSION', 'BIMI-TAG-SYNTAX', 'BIMI-LOGO-URL', 'BIMI-AUTHORITY-URL', 'BIMI-TAG-VALUE',
      'BIMI-DUPLICATE-TAG', 'BIMI-UNKNOWN-TAG', 'BIMI-DECLINED', 'BIMI-MULTIPLE-RECORDS'];
    expect([...new Set(cases.map(([id]) => id))].sort()).toEqual(recordRules.sort());
  });
});

describe('Bimi.parse and render', () => {
  test('a full record, lenient about spaces and a trailing ";"', () => {
    expect(Bimi.parse(' v = BIMI1 ;l= https://www.dept.gov.uk/logo.svg ; a=https://www.dept.gov.uk/vmc.pem; lps=true; avp=personal; x=1;')).toEqual({
      logoUrl: 'https://www.dept.gov.uk/logo.svg',
      authorityUrl: 'https://www.dept.gov.uk/vmc.pem',
      localPartSelectors: true,
      avatarPreference: BimiAvatarPreference.PERSONAL,
      extensions: [{ name: 'x', value: '1' }],
    });
  });

  test('quoted and split strings are joined first', () => {
    expect(Bimi.parse('"v=BIMI1; l=https://www.dept.gov" ".uk/logo.svg"')).toEqual({ logoUrl: 'https://www.dept.gov.uk/logo.svg' });
  });

  test('declination: empty l= and a= are kept as empty, and render back the same way', () => {
    const model = Bimi.parse('v=BIMI1; l=; a=;');
    expect(model).toEqual({ logoUrl: '', authorityUrl: '' });
    expect(Bimi.isDeclined(model)).toBe(true);
    expect(Bimi.render(model)).toBe('v=BIMI1; l=; a=');
    expect(Bimi.isDeclined({ logoUrl: 'https://www.dept.gov.uk/logo.svg' })).toBe(false);
  });

  test('canonical form: v, l, a, lps, avp, then extensions', () => {
    expect(Bimi.render({
      logoUrl: 'https://www.dept.gov.uk/logo.svg',
      authorityUrl: 'https://www.dept.gov.uk/vmc.pem',
      localPartSelectors: false,
      avatarPreference: BimiAvatarPreference.BRAND,
    })).toBe('v=BIMI1; l=https://www.dept.gov.uk/logo.svg; a=https://www.dept.gov.uk/vmc.pem; lps=false; avp=brand');
  });

  test('text that is not a BIMI record throws a RecordSyntaxError of BIMI-VERSION, with a hint', () => {
    expect(() => Bimi.parse('v=DMARC1; p=reject')).toThrow(RecordSyntaxError);
    expect(() => Bimi.parse('V=BIMI1; l=')).toThrow('it must be "v=BIMI1" (the case as shown)');
    expect(() => Bimi.parse('"\\"v=BIMI1; l=\\""')).toThrow(/quote/);
  });

  test('render refuses a record with an error, naming the rule', () => {
    expect(() => Bimi.render({ logoUrl: 'http://www.dept.gov.uk/logo.svg' })).toThrow('Cannot render an invalid BIMI record: [BIMI-LOGO-URL]');
    expect(() => Bimi.render({})).toThrow('[BIMI-LOGO-URL] The record has no l= tag');
  });

  test('check gives findings their path and subject', () => {
    const [f] = Bimi.check('v=BIMI1; l=http://x.gov.uk/a.svg', { name: 'default._bimi.dept.gov.uk' });
    expect(f).toEqual(expect.objectContaining({
      ruleId: 'BIMI-LOGO-URL',
      severity: Severity.ERROR,
      path: 'default._bimi.dept.gov.uk',
      subject: { name: 'default._bimi.dept.gov.uk', type: 'TXT' },
    }));
    expect(f.message).toBe('l= "http://x.gov.uk/a.svg" uses http:; only https: is allowed.');
  });

  test('isBimi selects records as receivers do', () => {
    expect(Bimi.isBimi('v=BIMI1')).toBe(true);
    expect(Bimi.isBimi('v=BIMI1;l=')).toBe(true);
    expect(Bimi.isBimi('v=BIMI10; l=')).toBe(false);
    expect(Bimi.isBimi('v=spf1 -all')).toBe(false);
  });

  test.each([
    ['default', true], ['brand2', true], ['a.b-c', true], ['', false], ['-x', false], ['a..b', false], ['a_b', false], ['a b', false],
  ])('selector %j is valid: %s', (selector, valid) => {
    expect(Bimi.isValidSelector(selector)).toBe(valid);
  });
});

describe('Bimi.checkDmarc: BIMI needs DMARC at enforcement', () => {
  const at = { name: 'default._bimi.dept.gov.uk', dmarcName: '_dmarc.dept.gov.uk' };
  test.each([
    ['v=DMARC1; p=reject; rua=mailto:d@dept.gov.uk'],
    ['v=DMARC1; p=quarantine'],
    ['v=DMARC1; p=quarantine; pct=100'],
    ['v=DMARC1; p=reject; pct=50'],
    ['v=DMARC1; p=reject; sp=quarantine'],
  ])('%s is at enforcement', (dmarc) => {
    expect(Bimi.checkDmarc([dmarc], at)).toEqual([]);
  });

  test.each<[string[], string]>([
    [['v=DMARC1; p=none'], 'the DMARC policy is p=none; set p=quarantine or p=reject. Got: "v=DMARC1; p=none"'],
    [['v=DMARC1; rua=mailto:d@dept.gov.uk'], 'the DMARC policy is absent'],
    [['v=DMARC1; p=reject; sp=none'], 'the DMARC subdomain policy is sp=none'],
    [['v=DMARC1; p=quarantine; pct=50'], 'p=quarantine applies to 50% of mail (pct=50)'],
    [['v=DMARC1; p=reject; t=y'], 'test mode (t=y)'],
    [[], 'there is no DMARC record at _dmarc.dept.gov.uk'],
    [['v=spf1 -all'], 'there is no DMARC record at _dmarc.dept.gov.uk'],
    [['v=DMARC1; p=reject', 'v=DMARC1; p=quarantine'], '_dmarc.dept.gov.uk holds 2 DMARC records'],
  ])('%j is not: %s', (values, message) => {
    const findings = Bimi.checkDmarc(values, at);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toEqual(expect.objectContaining({
      ruleId: 'BIMI-DMARC-POLICY',
      severity: Severity.ERROR,
      path: 'default._bimi.dept.gov.uk',
      subject: { name: 'default._bimi.dept.gov.uk', type: 'TXT' },
    }));
    expect(findings[0].message).toContain(message);
    expect(findings[0].message).toMatch(/^Receivers show no BIMI logo unless DMARC is at enforcement: /);
  });
});

// ---- Properties ----

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('gov.uk', 'com', 'org.uk'))
  .map(([labels, suffix]) => [...labels, suffix].join('.'));
const segment = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/), fc.constantFrom('%2C', '%3B', 'a%20b'));
const url = (suffix: fc.Arbitrary<string>) => fc.tuple(host, fc.constantFrom('', ':443', ':8443'), fc.array(segment, { maxLength: 4 }), suffix,
  fc.constantFrom('', '?v=2', '#x'))
  .map(([h, port, segments, end, query]) => `https://${h}${port}/${[...segments, `logo${end}`].join('/')}${query}`);
const extension = fc.record({
  name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/).filter((n) => !['v', 'l', 'a', 'lps', 'avp'].includes(n)),
  value: fc.stringMatching(/^(?:[\x21-\x3A\x3C-\x7E]{1,12}(?: [\x21-\x3A\x3C-\x7E]{1,6})?)?$/),
});
/** Valid BIMI models: a logo (or a declination), maybe evidence, the optional tags, extensions with distinct names. */
const bimiModel: fc.Arbitrary<BimiModel> = fc.oneof(
  fc.record({
    logoUrl: url(fc.constantFrom('.svg', '.SVG', '.svgz', '')),
    authorityUrl: fc.oneof(fc.constant(''), url(fc.constantFrom('.pem', ''))),
    localPartSelectors: fc.boolean(),
    avatarPreference: fc.constantFrom(BimiAvatarPreference.BRAND, BimiAvatarPreference.PERSONAL),
    extensions: fc.uniqueArray(extension, { minLength: 1, maxLength: 3, selector: (e) => e.name }),
  }, { requiredKeys: ['logoUrl'] }),
  fc.constant<BimiModel>({ logoUrl: '', authorityUrl: '' }),
);

describe('Bimi properties', () => {
  test('parse(render(model)) equals the model, without errors, and its TXT strings are at most 255 octets', () => {
    fc.assert(fc.property(bimiModel, (model) => {
      const text = Bimi.render(model);
      expect(Bimi.parse(text)).toEqual(model);
      expect(Bimi.isBimi(text)).toBe(true);
      expect(Bimi.validate(model).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
      for (const chunk of TxtChunks.split(text)) expect(Buffer.byteLength(chunk, 'utf8')).toBeLessThanOrEqual(255);
      expect(TxtChunks.parse(TxtChunks.toRoute53Value(text))).toBe(text);
    }));
  });

  test('check never throws, whatever the input, and reports only catalogued rules', () => {
    const bimiish = fc.array(fc.constantFrom('v=BIMI1', 'v', '=', ';', ' ', 'l', 'a', 'L', 'lps', 'avp', 'true', 'brand', 'https://',
      'http://', 'example.gov.uk', '/logo.svg', '.png', ',', '%', ':', '"', '\\', '\u00e9'), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), bimiish, bimiish.map((s) => `v=BIMI1;${s}`)), (text) => {
      const findings = Bimi.check(text, { name: 'default._bimi.example.gov.uk' });
      expect(findings.every((f) => CATALOGUE.has(f.ruleId))).toBe(true);
      expect(() => Bimi.checkRecordSet([text, text])).not.toThrow();
      expect(() => Bimi.checkDmarc([text])).not.toThrow();
    }));
  });
});

describe('Bimi.check: a long record', () => {
  test('plain text over 255 octets is measured split as it is published', () => {
    const long = `v=BIMI1; l=https://www.dept.gov.uk/${'p'.repeat(200)}/logo.svg; a=https://www.dept.gov.uk/${'c'.repeat(100)}/vmc.pem`;
    expect(ids(Bimi.check(long))).toEqual([]);
    expect(ids(Bimi.check(`"${long}"`))).toContain('TXT-STRING-LENGTH');
  });
});
