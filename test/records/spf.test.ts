import { Severity } from '../../src/records/finding';
import { Spf, SPF_RULES, SpfMechanism, SpfModel, SpfQualifier, SpfTerm } from '../../src/records/spf';
import { RecordSyntaxError } from '../../src/records/syntax-error';
import { TxtChunks } from '../../src/records/txt';

function ids(text: string, options = {}): string[] {
  return Spf.check(text, options).map((f) => f.ruleId);
}

function modelIds(model: SpfModel): string[] {
  return Spf.validate(model).map((f) => f.ruleId);
}

const includes = (n: number) => Array.from({ length: n }, (_, i) => `include:s${i}.example.com`).join(' ');

describe('Spf.parse', () => {
  test('reads every kind of term', () => {
    // GIVEN a record using each mechanism and modifier
    const text = 'v=spf1 +all -include:_spf.example.com ~a ?a:mail.example.com/24//64 mx//56 ptr ptr:example.com '
      + 'ip4:192.0.2.0/24 ip4:192.0.2.1 ip6:2001:db8::/32 exists:%{ir}.%{v}._spf.example.com redirect=_spf.example.com '
      + 'exp=explain.example.com x-note=%{c}hello';
    // WHEN parsed
    const model = Spf.parse(text);
    // THEN each term keeps exactly what was written
    expect(model.terms).toEqual<SpfTerm[]>([
      { mechanism: SpfMechanism.ALL, qualifier: SpfQualifier.PASS },
      { mechanism: SpfMechanism.INCLUDE, qualifier: SpfQualifier.FAIL, domainSpec: '_spf.example.com' },
      { mechanism: SpfMechanism.A, qualifier: SpfQualifier.SOFTFAIL },
      { mechanism: SpfMechanism.A, qualifier: SpfQualifier.NEUTRAL, domainSpec: 'mail.example.com', cidr4: 24, cidr6: 64 },
      { mechanism: SpfMechanism.MX, cidr6: 56 },
      { mechanism: SpfMechanism.PTR },
      { mechanism: SpfMechanism.PTR, domainSpec: 'example.com' },
      { mechanism: SpfMechanism.IP4, ip: '192.0.2.0', cidr4: 24 },
      { mechanism: SpfMechanism.IP4, ip: '192.0.2.1' },
      { mechanism: SpfMechanism.IP6, ip: '2001:db8::', cidr6: 32 },
      { mechanism: SpfMechanism.EXISTS, domainSpec: '%{ir}.%{v}._spf.example.com' },
      { modifier: 'redirect', domainSpec: '_spf.example.com' },
      { modifier: 'exp', domainSpec: 'explain.example.com' },
      { modifier: 'x-note', domainSpec: '%{c}hello' },
    ]);
    // AND rendering gives the text back
    expect(Spf.render(Spf.parse('v=spf1 -include:_spf.example.com a/24 mx:m.example.com//64 ~all'))).toBe(
      'v=spf1 -include:_spf.example.com a/24 mx:m.example.com//64 ~all');
  });

  test('is lenient about case, whitespace and quoted strings', () => {
    expect(Spf.parse('  V=SPF1   INCLUDE:_spf.Example.com\t~ALL  Redirect=x.example.com ')).toEqual({
      terms: [
        { mechanism: SpfMechanism.INCLUDE, domainSpec: '_spf.Example.com' },
        { mechanism: SpfMechanism.ALL, qualifier: SpfQualifier.SOFTFAIL },
        { modifier: 'redirect', domainSpec: 'x.example.com' },
      ],
    });
    expect(Spf.parse('"v=spf1 include:a.example.com " "-all"')).toEqual(Spf.parse('v=spf1 include:a.example.com -all'));
    expect(Spf.parse('v=spf1')).toEqual({ terms: [] });
    expect(Spf.parse('v=spf1 ')).toEqual({ terms: [] });
  });

  test('keeps an empty unknown-modifier value and an empty domain-spec apart from none', () => {
    expect(Spf.parse('v=spf1 foo= a:').terms).toEqual([
      { modifier: 'foo', domainSpec: '' },
      { mechanism: SpfMechanism.A, domainSpec: '' },
    ]);
  });

  test('keeps readable but wrong values for validate to report', () => {
    expect(Spf.parse('v=spf1 ip4:192.0.2.0/33 ip6:::1/129 ip4:192.0.2.0/024 a:x.example.com/024').terms).toEqual([
      { mechanism: SpfMechanism.IP4, ip: '192.0.2.0', cidr4: 33 },
      { mechanism: SpfMechanism.IP6, ip: '::1', cidr6: 129 },
      // A prefix with a leading zero is not a prefix (RFC 7208 §12): it stays part of the argument.
      { mechanism: SpfMechanism.IP4, ip: '192.0.2.0/024' },
      { mechanism: SpfMechanism.A, domainSpec: 'x.example.com/024' },
    ]);
  });

  test.each([
    ['v=spf10 -all', 'SPF-VERSION'],
    ['spf1 -all', 'SPF-VERSION'],
    ['v=spf1-all', 'SPF-VERSION'],
    ['"v=spf1" "-all"', 'SPF-VERSION'],
    ['" v=spf1 -all"', 'SPF-VERSION'],
    ['v=DMARC1; p=reject', 'SPF-VERSION'],
    ['', 'SPF-VERSION'],
    ['v=spf1 foo -all', 'SPF-UNKNOWN-MECHANISM'],
    ['v=spf1 redirect:_spf.example.com', 'SPF-UNKNOWN-MECHANISM'],
    ['v=spf1 -all;', 'SPF-UNKNOWN-MECHANISM'],
    ['v=spf1 include -all', 'SPF-MALFORMED-TERM'],
    ['v=spf1 all:example.com', 'SPF-MALFORMED-TERM'],
    ['v=spf1 -redirect=example.com', 'SPF-MALFORMED-TERM'],
    ['v=spf1 a/24/64', 'SPF-MALFORMED-TERM'],
    ['v=spf1 ip4', 'SPF-MALFORMED-TERM'],
    ['v=spf1 ptr/24', 'SPF-MALFORMED-TERM'],
    ['v=spf1 ~', 'SPF-MALFORMED-TERM'],
    ['v=spf1 1x=y', 'SPF-MALFORMED-TERM'],
  ])('throws RecordSyntaxError for %j (%s)', (text, ruleId) => {
    let caught: unknown;
    try {
      Spf.parse(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RecordSyntaxError);
    expect((caught as RecordSyntaxError).ruleId).toBe(ruleId);
  });

  test('the unknown-mechanism message points at the redirect slip', () => {
    expect(Spf.check('v=spf1 redirect:_spf.example.com')[0].message).toMatch(/written "redirect=<domain>"/);
  });
});

describe('Spf.isSpf (RFC 7208 §4.5 record selection)', () => {
  test.each([
    ['v=spf1 -all', true],
    ['v=spf1', true],
    ['V=SpF1 -all', true],
    ['"v=spf1 " "-all"', true],
    ['v=spf1-all', false],
    ['v=spf10 -all', false],
    ['spf2.0/pra -all', false],
    ['" v=spf1 -all"', false],
    ['google-site-verification=abc', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(Spf.isSpf(text)).toBe(expected);
  });
});

describe('Spf.render', () => {
  test('writes v=spf1 and the terms separated by one space', () => {
    const model: SpfModel = {
      terms: [
        { mechanism: SpfMechanism.IP6, ip: '2001:db8::', cidr6: 32 },
        { mechanism: SpfMechanism.INCLUDE, domainSpec: 'spf.protection.outlook.com' },
        { mechanism: SpfMechanism.ALL, qualifier: SpfQualifier.FAIL },
        { modifier: 'exp', domainSpec: 'explain.example.com' },
      ],
    };
    expect(Spf.render(model)).toBe('v=spf1 ip6:2001:db8::/32 include:spf.protection.outlook.com -all exp=explain.example.com');
    expect(Spf.render({ terms: [] })).toBe('v=spf1');
  });

  test.each<[string, SpfModel, string]>([
    ['a malformed term', { terms: [{ mechanism: SpfMechanism.INCLUDE }] }, 'SPF-MALFORMED-TERM'],
    ['two redirects', { terms: [{ modifier: 'redirect', domainSpec: 'a.example.com' }, { modifier: 'redirect', domainSpec: 'b.example.com' }] }, 'SPF-DUPLICATE-MODIFIER'],
    ['11 lookups', Spf.parse(`v=spf1 ${includes(11)} -all`), 'SPF-LOOKUP-LIMIT'],
    ['a bad macro', { terms: [{ mechanism: SpfMechanism.EXISTS, domainSpec: '%{x}.example.com' }] }, 'SPF-INVALID-MACRO'],
  ])('refuses to write an RFC violation: %s', (_, model, ruleId) => {
    expect(() => Spf.render(model)).toThrow(`[${ruleId}]`);
  });

  test('writes a record that is only warned about', () => {
    expect(Spf.render({ terms: [{ mechanism: SpfMechanism.PTR }, { mechanism: SpfMechanism.ALL }] })).toBe('v=spf1 ptr all');
  });
});

// [rule, a record that breaks it, a record that keeps it]
const RULE_TABLE: Array<[string, string, string]> = [
  ['SPF-VERSION', 'v=spf1-all', 'v=spf1 -all'],
  ['SPF-UNKNOWN-MECHANISM', 'v=spf1 inclde:_spf.example.com -all', 'v=spf1 include:_spf.example.com -all'],
  ['SPF-MALFORMED-TERM', 'v=spf1 ?exp=explain.example.com -all', 'v=spf1 exp=explain.example.com -all'],
  ['SPF-MALFORMED-TERM', 'v=spf1 a//64/24 -all', 'v=spf1 a/24//64 -all'],
  ['SPF-INVALID-DOMAIN-SPEC', 'v=spf1 include:localhost -all', 'v=spf1 include:localhost.example.com -all'],
  ['SPF-INVALID-DOMAIN-SPEC', 'v=spf1 include:example.123 -all', 'v=spf1 include:example.123a -all'],
  ['SPF-INVALID-DOMAIN-SPEC', 'v=spf1 a:example.com- -all', 'v=spf1 a:example.c-m -all'],
  ['SPF-INVALID-DOMAIN-SPEC', 'v=spf1 a: -all', 'v=spf1 a -all'],
  ['SPF-INVALID-DOMAIN-SPEC', 'v=spf1 include:a..example.com -all', 'v=spf1 include:a.example.com. -all'],
  ['SPF-INVALID-DOMAIN-SPEC', `v=spf1 include:${'x'.repeat(64)}.example.com -all`, `v=spf1 include:${'x'.repeat(63)}.example.com -all`],
  ['SPF-INVALID-DOMAIN-SPEC', `v=spf1 include:${'abcdefghi.'.repeat(25)}comx -all`, `v=spf1 include:${'abcdefghi.'.repeat(25)}com -all`],
  ['SPF-INVALID-DOMAIN-SPEC', 'v=spf1 exists:%{i}.123 -all', 'v=spf1 exists:%{i}.example -all'],
  ['SPF-INVALID-DOMAIN-SPEC', 'v=spf1 exists:%{i}example.com%{d}x -all', 'v=spf1 exists:x.%{d} -all'],
  ['SPF-INVALID-MACRO', 'v=spf1 exists:%{z}.example.com -all', 'v=spf1 exists:%{l}.example.com -all'],
  ['SPF-INVALID-MACRO', 'v=spf1 exists:%x.example.com -all', 'v=spf1 exists:%%x.example.com -all'],
  ['SPF-INVALID-MACRO', 'v=spf1 exists:%{i.example.com -all', 'v=spf1 exists:%{i}.example.com -all'],
  ['SPF-INVALID-MACRO', 'v=spf1 exists:%{d0}.example.com -all', 'v=spf1 exists:%{d128}.example.com -all'],
  ['SPF-INVALID-MACRO', 'v=spf1 exists:%{ir:}.example.com -all', 'v=spf1 exists:%{ir.-+,/_=}.example.com -all'],
  ['SPF-INVALID-MACRO', 'v=spf1 -all exp=%{c}.example.com', 'v=spf1 -all exp=%{h}.example.com'],
  ['SPF-INVALID-MACRO', 'v=spf1 exists:%{t}.example.com -all', 'v=spf1 exists:%{I}.%{V}.%-%_.example.com -all'],
  ['SPF-INVALID-MACRO', 'v=spf1 -all note=50%', 'v=spf1 -all note=50%%%{c}%{r}%{t}'],
  ['SPF-INVALID-IP4', 'v=spf1 ip4:192.0.2.256 -all', 'v=spf1 ip4:192.0.2.255 -all'],
  ['SPF-INVALID-IP4', 'v=spf1 ip4:192.0.2 -all', 'v=spf1 ip4:0.0.0.0/0 -all'],
  ['SPF-INVALID-IP4', 'v=spf1 ip4:192.0.02.1 -all', 'v=spf1 ip4:192.0.2.1 -all'],
  ['SPF-INVALID-IP4', 'v=spf1 ip4:2001:db8::1 -all', 'v=spf1 ip6:2001:db8::1 -all'],
  ['SPF-INVALID-IP6', 'v=spf1 ip6:2001:db8::1::2 -all', 'v=spf1 ip6:2001:db8:0:0:1::2 -all'],
  ['SPF-INVALID-IP6', 'v=spf1 ip6:1:2:3:4:5:6:7:8:9 -all', 'v=spf1 ip6:1:2:3:4:5:6:7:8 -all'],
  ['SPF-INVALID-IP6', 'v=spf1 ip6:1:2:3:4:5:6:7:8:: -all', 'v=spf1 ip6:1:2:3:4:5:6:7:: -all'],
  ['SPF-INVALID-IP6', 'v=spf1 ip6:2001:db8::g -all', 'v=spf1 ip6:2001:DB8::F -all'],
  ['SPF-INVALID-IP6', 'v=spf1 ip6:fe80::1%eth0 -all', 'v=spf1 ip6:fe80::1 -all'],
  ['SPF-INVALID-IP6', 'v=spf1 ip6:::ffff:192.0.2.256 -all', 'v=spf1 ip6:::ffff:192.0.2.1 -all'],
  ['SPF-INVALID-IP6', 'v=spf1 ip6:192.0.2.1 -all', 'v=spf1 ip6::: -all'],
  ['SPF-INVALID-IP6', 'v=spf1 ip6:12345:: -all', 'v=spf1 ip6:1:2:3:4:5:6:192.0.2.1 -all'],
  ['SPF-CIDR-RANGE', 'v=spf1 ip4:192.0.2.0/33 -all', 'v=spf1 ip4:192.0.2.0/32 -all'],
  ['SPF-CIDR-RANGE', 'v=spf1 ip6:2001:db8::/129 -all', 'v=spf1 ip6:2001:db8::/128 -all'],
  ['SPF-CIDR-RANGE', 'v=spf1 a/33 -all', 'v=spf1 a/0 -all'],
  ['SPF-CIDR-RANGE', 'v=spf1 mx:mx.example.com//129 -all', 'v=spf1 mx:mx.example.com//0 -all'],
  ['SPF-LOOKUP-LIMIT', `v=spf1 ${includes(11)} -all`, `v=spf1 ${includes(10)} -all`],
  ['SPF-LOOKUP-LIMIT', `v=spf1 ${includes(10)} redirect=r.example.com`, `v=spf1 ${includes(9)} redirect=r.example.com`],
  ['SPF-LOOKUP-LIMIT', 'v=spf1 a mx ptr exists:x.example.com a:b.example.com mx:c.example.com a//64 mx/24 include:d.example.com ptr:e.example.com exists:f.example.com -all',
    'v=spf1 a mx ptr exists:x.example.com a:b.example.com mx:c.example.com a//64 mx/24 include:d.example.com ptr:e.example.com -all'],
  ['SPF-LOOKUP-COST-UNKNOWN', 'v=spf1 include:_spf.example.com -all', 'v=spf1 ip4:192.0.2.1 -all'],
  ['SPF-LOOKUP-COST-UNKNOWN', 'v=spf1 redirect=_spf.example.com', 'v=spf1 -all redirect=_spf.example.com'],
  ['SPF-VOID-LOOKUP-LIMIT', 'v=spf1 exists:a.example.com exists:b.example.com exists:c.example.com -all',
    'v=spf1 exists:a.example.com exists:b.example.com -all'],
  ['SPF-VOID-LOOKUP-LIMIT', 'v=spf1 a:%{d}.example.com mx:%{d}.example.com exists:%{i}.example.com -all',
    'v=spf1 a:d.example.com mx:d.example.com exists:%{i}.example.com -all'],
  ['SPF-MX-ADDRESS-LOOKUPS', 'v=spf1 mx -all', 'v=spf1 a -all'],
  ['SPF-TERMS-AFTER-ALL', 'v=spf1 -all ip4:192.0.2.1', 'v=spf1 ip4:192.0.2.1 -all exp=explain.example.com'],
  ['SPF-REDIRECT-WITH-ALL', 'v=spf1 redirect=_spf.example.com ~all', 'v=spf1 redirect=_spf.example.com'],
  ['SPF-DUPLICATE-MODIFIER', 'v=spf1 redirect=a.example.com redirect=b.example.com', 'v=spf1 redirect=a.example.com'],
  ['SPF-DUPLICATE-MODIFIER', 'v=spf1 -all exp=a.example.com exp=b.example.com', 'v=spf1 -all exp=a.example.com note=1 note=2'],
  ['SPF-PTR', 'v=spf1 ptr -all', 'v=spf1 a -all'],
  ['SPF-PTR', 'v=spf1 ?ptr:example.com -all', 'v=spf1 ?a:example.com -all'],
  ['SPF-PTR', 'v=spf1 exists:%{p}.example.com -all', 'v=spf1 exists:%{h}.example.com -all'],
  ['SPF-PASS-ALL', 'v=spf1 +all', 'v=spf1 -all'],
  ['SPF-PASS-ALL', 'v=spf1 all', 'v=spf1 ~all'],
  ['SPF-PASS-ALL', 'v=spf1 ip4:192.0.2.1 all', 'v=spf1 ?all'],
  ['SPF-PASS-ALL', 'v=spf1 all -all', 'v=spf1 -all +all'],
  ['SPF-NO-ALL', 'v=spf1 ip4:192.0.2.1', 'v=spf1 redirect=_spf.example.com'],
  ['SPF-NO-ALL', 'v=spf1', 'v=spf1 -all'],
  ['SPF-DUPLICATE-TERM', 'v=spf1 a a -all', 'v=spf1 a mx -all'],
  ['SPF-DUPLICATE-TERM', 'v=spf1 include:X.example.com ~include:x.example.com. -all', 'v=spf1 include:x.example.com include:y.example.com -all'],
  ['SPF-DUPLICATE-TERM', 'v=spf1 ip4:192.0.2.0/24 -ip4:192.0.2.0/24 -all', 'v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.0/25 -all'],
  ['SPF-UNKNOWN-MODIFIER', 'v=spf1 redirct=_spf.example.com', 'v=spf1 redirect=_spf.example.com'],
  ['SPF-VERSION-AS-TERM', 'v=spf1 include:_spf.example.com v=spf1 -all', 'v=spf1 include:_spf.example.com -all'],
  ['SPF-VERSION-AS-TERM', 'v=spf1 a -all V=SPF1 mx -all', 'v=spf1 a mx -all'],
  ['TXT-UDP-SIZE', `v=spf1 ${Array.from({ length: 30 }, (_, i) => `ip4:192.0.2.${i}`).join(' ')} -all`, 'v=spf1 ip4:192.0.2.1 -all'],
  ['TXT-NON-ASCII', 'v=spf1 include:spf.example.com \u2013all', 'v=spf1 include:spf.example.com -all'],
  ['TXT-STRING-LENGTH', `"v=spf1 ${'ip4:192.0.2.1 '.repeat(20)}-all"`, `"v=spf1 ${'ip4:192.0.2.1 '.repeat(10)}" "${'ip4:192.0.2.1 '.repeat(10)}-all"`],
];

describe('Spf.check: every rule', () => {
  test.each(RULE_TABLE)('%s: flags %j, passes %j', (ruleId, bad, good) => {
    expect(ids(bad)).toContain(ruleId);
    expect(ids(good)).not.toContain(ruleId);
  });

  test('every SPF rule has a row in the table (SPF-MULTIPLE-RECORDS is a record-set rule, tested below)', () => {
    const inTable = new Set(RULE_TABLE.map(([id]) => id));
    const missing = Object.values(SPF_RULES).map((r) => r.id).filter((id) => !inTable.has(id) && id !== SPF_RULES.multipleRecords.id);
    expect(missing).toEqual([]);
  });

  test('TXT-STRING-LENGTH: plain text is measured split as it is published; quoted strings as written', () => {
    // GIVEN a record of more than 255 octets (16 ip4 ranges), well within every other limit
    const text = `v=spf1 ${Array.from({ length: 16 }, (_, i) => `ip4:198.51.${100 + i}.0/24`).join(' ')} -all`;
    expect(text.length).toBeGreaterThan(255);
    // WHEN it is checked as plain text, as published, and as one quoted string
    // THEN only the one quoted string breaks the 255-octet rule
    expect(Spf.check(text)).toEqual([]);
    expect(Spf.check(TxtChunks.toRoute53Value(text))).toEqual([]);
    expect(ids(`"${text}"`)).toEqual(['TXT-STRING-LENGTH']);
    // AND the lookup limit on a long record is reported alone
    const over = `${text.slice(0, -'-all'.length)}${Array.from({ length: 11 }, (_, i) => `a:${i}.uk`).join(' ')} -all`;
    expect(over.length).toBeLessThan(450);
    expect(ids(over)).toEqual(['SPF-LOOKUP-LIMIT']);
  });

  test('a finding names the offending value, carries the rule source and the name as path', () => {
    const [f] = Spf.check('v=spf1 ip4:192.0.2.0/33 -all', { name: 'example.gov.uk' });
    expect(f).toEqual({
      ruleId: 'SPF-CIDR-RANGE',
      severity: Severity.ERROR,
      message: expect.stringContaining('got 33'),
      source: SPF_RULES.cidrRange.source,
      path: 'example.gov.uk',
      subject: { name: 'example.gov.uk', type: 'TXT' },
    });
    expect(Spf.check('nonsense', { name: 'example.gov.uk' })[0].path).toBe('example.gov.uk');
  });

  test('an effective "+all" is reported once, a later "+all" only as a term after all', () => {
    expect(ids('v=spf1 -all +all').sort()).toEqual(['SPF-TERMS-AFTER-ALL']);
  });

  test('never throws, even on a non-string from JavaScript', () => {
    const notText = undefined as unknown as string;
    expect(Spf.check(notText).map((f) => f.ruleId)).toEqual(['SPF-MALFORMED-TERM']);
    expect(Spf.isSpf(notText)).toBe(false);
    expect(Spf.checkRecordSet([notText])).toEqual([]);
  });

  test('a clean record has no findings', () => {
    expect(Spf.check('v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a:mail.example.gov.uk -all')).toEqual([]);
  });

  test('severities are those the rules declare', () => {
    const severities = Object.fromEntries(Spf.check('v=spf1 ptr mx a a +all include:x.example.com').map((f) => [f.ruleId, f.severity]));
    expect(severities).toEqual({
      'SPF-PTR': Severity.WARNING,
      'SPF-MX-ADDRESS-LOOKUPS': Severity.INFO,
      'SPF-DUPLICATE-TERM': Severity.INFO,
      'SPF-PASS-ALL': Severity.WARNING,
      'SPF-TERMS-AFTER-ALL': Severity.WARNING,
    });
  });
});

describe('Spf.validate on models built by hand', () => {
  test.each<[string, SpfTerm, string]>([
    ['neither mechanism nor modifier', {}, 'SPF-MALFORMED-TERM'],
    ['both mechanism and modifier', { mechanism: SpfMechanism.A, modifier: 'redirect', domainSpec: 'x.example.com' }, 'SPF-MALFORMED-TERM'],
    ['include without domainSpec', { mechanism: SpfMechanism.INCLUDE }, 'SPF-MALFORMED-TERM'],
    ['exists without domainSpec', { mechanism: SpfMechanism.EXISTS }, 'SPF-MALFORMED-TERM'],
    ['ip4 without ip', { mechanism: SpfMechanism.IP4 }, 'SPF-MALFORMED-TERM'],
    ['all with a domainSpec', { mechanism: SpfMechanism.ALL, domainSpec: 'x.example.com' }, 'SPF-MALFORMED-TERM'],
    ['ip4 with cidr6', { mechanism: SpfMechanism.IP4, ip: '192.0.2.0', cidr6: 64 }, 'SPF-MALFORMED-TERM'],
    ['ip6 with cidr4', { mechanism: SpfMechanism.IP6, ip: '2001:db8::', cidr4: 24 }, 'SPF-MALFORMED-TERM'],
    ['a with ip', { mechanism: SpfMechanism.A, ip: '192.0.2.1' }, 'SPF-MALFORMED-TERM'],
    ['ptr with cidr4', { mechanism: SpfMechanism.PTR, cidr4: 24 }, 'SPF-MALFORMED-TERM'],
    ['a qualifier that is not one', { mechanism: SpfMechanism.A, qualifier: '!' as SpfQualifier }, 'SPF-MALFORMED-TERM'],
    ['a modifier with a qualifier', { modifier: 'redirect', qualifier: SpfQualifier.FAIL, domainSpec: 'x.example.com' }, 'SPF-MALFORMED-TERM'],
    ['a modifier with a cidr', { modifier: 'foo', domainSpec: 'x', cidr4: 3 }, 'SPF-MALFORMED-TERM'],
    ['a modifier name in upper case', { modifier: 'Redirect', domainSpec: 'x.example.com' }, 'SPF-MALFORMED-TERM'],
    ['a modifier name that is not a name', { modifier: 'a b', domainSpec: 'x' }, 'SPF-MALFORMED-TERM'],
    ['a modifier without a value', { modifier: 'exp' }, 'SPF-MALFORMED-TERM'],
    ['an unknown mechanism', { mechanism: 'foo' as SpfMechanism }, 'SPF-UNKNOWN-MECHANISM'],
    ['a fractional prefix', { mechanism: SpfMechanism.IP4, ip: '192.0.2.0', cidr4: 24.5 }, 'SPF-CIDR-RANGE'],
    ['a negative prefix', { mechanism: SpfMechanism.A, cidr6: -1 }, 'SPF-CIDR-RANGE'],
    ['a domain-spec with a space', { mechanism: SpfMechanism.INCLUDE, domainSpec: 'a b.example.com' }, 'SPF-INVALID-DOMAIN-SPEC'],
    ['a non-ASCII domain-spec', { mechanism: SpfMechanism.INCLUDE, domainSpec: 'bücher.example.com' }, 'SPF-INVALID-DOMAIN-SPEC'],
    ['a non-ASCII unknown-modifier value', { modifier: 'note', domainSpec: 'caf\u00e9' }, 'SPF-INVALID-DOMAIN-SPEC'],
    ['an empty redirect', { modifier: 'redirect', domainSpec: '' }, 'SPF-INVALID-DOMAIN-SPEC'],
  ])('%s', (_, term, ruleId) => {
    expect(modelIds({ terms: [term, { mechanism: SpfMechanism.ALL, qualifier: SpfQualifier.FAIL }] })).toContain(ruleId);
  });

  test('a valid hand-built model has no findings', () => {
    expect(Spf.validate({ terms: [{ mechanism: SpfMechanism.IP4, ip: '192.0.2.0', cidr4: 24 }, { mechanism: SpfMechanism.ALL, qualifier: SpfQualifier.FAIL }] })).toEqual([]);
  });

  test('measures the rendered size (RFC 7208 §3.4)', () => {
    const terms: SpfTerm[] = Array.from({ length: 30 }, (_, i) => ({ mechanism: SpfMechanism.IP4, ip: `198.51.100.${i}` }));
    expect(modelIds({ terms: [...terms, { mechanism: SpfMechanism.ALL, qualifier: SpfQualifier.FAIL }] })).toEqual(['TXT-UDP-SIZE']);
  });
});

describe('Spf.lookupCount (RFC 7208 §4.6.4)', () => {
  test('counts include a mx ptr exists redirect, not ip4 ip6 all exp', () => {
    const count = Spf.lookupCount(Spf.parse(
      'v=spf1 ip4:192.0.2.1 ip6:2001:db8::1 include:i.example.com a mx ptr exists:e.example.com exp=x.example.com redirect=r.example.com'));
    expect(count).toEqual({ lookups: 6, unknownIncludes: ['i.example.com', 'r.example.com'], voidLookupRisk: 1 });
  });

  test('adds the known cost of include and redirect targets, matched case-insensitively', () => {
    const count = Spf.lookupCount(Spf.parse('v=spf1 include:SPF.Protection.Outlook.com include:_spf.google.com redirect=_spf.example.com'), {
      includeCosts: [
        { domain: 'spf.protection.outlook.com.', lookups: 1 },
        { domain: '_spf.google.com', lookups: 3, voidLookups: 1 },
        { domain: '_spf.example.com', lookups: 4, voidLookups: 2 },
      ],
    });
    expect(count).toEqual({ lookups: 3 + 1 + 3 + 4, unknownIncludes: [], voidLookupRisk: 3 });
  });

  test('known costs can push a short record over the limit', () => {
    const text = 'v=spf1 include:spf.protection.outlook.com include:_spf.google.com include:_spf.salesforce.com mx -all';
    const options = { includeCosts: [{ domain: 'spf.protection.outlook.com', lookups: 1 }, { domain: '_spf.google.com', lookups: 3 }, { domain: '_spf.salesforce.com', lookups: 3 }] };
    expect(Spf.lookupCount(Spf.parse(text), options).lookups).toBe(11);
    expect(ids(text, options)).toContain('SPF-LOOKUP-LIMIT');
    expect(ids(text, options)).not.toContain('SPF-LOOKUP-COST-UNKNOWN');
  });

  test('counts a repeated include each time, and lists an unknown target once', () => {
    expect(Spf.lookupCount(Spf.parse('v=spf1 include:a.example.com include:a.example.com -all'))).toEqual({
      lookups: 2, unknownIncludes: ['a.example.com'], voidLookupRisk: 0,
    });
  });

  test('ignores terms after "all" and a redirect when "all" is present', () => {
    expect(Spf.lookupCount(Spf.parse('v=spf1 redirect=r.example.com a -all mx include:x.example.com')).lookups).toBe(1);
  });

  test('counts void-lookup risk for exists and for a/mx with macros', () => {
    expect(Spf.lookupCount(Spf.parse('v=spf1 exists:e.example.com a:%{d}.example.com mx:%{d}.example.com a:x.example.com mx -all')).voidLookupRisk).toBe(3);
  });
});

describe('Spf.allQualifier', () => {
  test.each<[string, SpfQualifier | undefined]>([
    ['v=spf1 -all', SpfQualifier.FAIL],
    ['v=spf1 ~all', SpfQualifier.SOFTFAIL],
    ['v=spf1 ?all', SpfQualifier.NEUTRAL],
    ['v=spf1 +all', SpfQualifier.PASS],
    ['v=spf1 all', SpfQualifier.PASS],
    ['v=spf1 ~all -all', SpfQualifier.SOFTFAIL],
    ['v=spf1 include:_spf.example.com', undefined],
    ['v=spf1 redirect=_spf.example.com', undefined],
  ])('%j → %s', (text, expected) => {
    expect(Spf.allQualifier(Spf.parse(text))).toBe(expected);
  });
});

describe('Spf.checkRecordSet (RFC 7208 §4.5)', () => {
  test('two SPF records at a name is SPF-MULTIPLE-RECORDS', () => {
    const findings = Spf.checkRecordSet(['v=spf1 -all', 'google-site-verification=abc123', '"v=spf1 include:_spf.google.com ~all"'], { name: 'example.gov.uk' });
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'SPF-MULTIPLE-RECORDS', severity: Severity.ERROR, path: 'example.gov.uk' })]);
    expect(findings[0].message).toContain('v=spf1 include:_spf.google.com ~all');
  });

  test('one SPF record is checked as check does', () => {
    const values = ['MS=ms12345678', 'v=spf1 ptr -all', 'spf2.0/pra include:spf.example.com -all'];
    expect(Spf.checkRecordSet(values, { name: 'example.gov.uk' })).toEqual(Spf.check('v=spf1 ptr -all', { name: 'example.gov.uk' }));
    expect(Spf.checkRecordSet(['v=spf1 -all'])).toEqual([]);
  });

  test('no SPF record reports nothing (the profile reports a missing record)', () => {
    expect(Spf.checkRecordSet([])).toEqual([]);
    expect(Spf.checkRecordSet(['google-site-verification=abc', 'spf2.0/mfrom,pra -all'])).toEqual([]);
  });

  test.each(['v=spf1-all', 'spf1 -all', 'v=spf10 -all', 'V = SPF1 -all', '"v=spf1" "-all"'])(
    'reports %j, which receivers ignore', (value) => {
      expect(Spf.checkRecordSet([value, 'v=spf1 -all']).map((f) => f.ruleId)).toEqual(['SPF-VERSION']);
    });
});
