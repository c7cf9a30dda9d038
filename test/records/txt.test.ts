import * as fc from 'fast-check';
import { TxtChunks } from '../../src/records/txt';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('TxtChunks.split', () => {
  test.each([
    ['empty value is one empty string', '', ['']],
    ['short value stays whole', 'v=spf1 -all', ['v=spf1 -all']],
    ['exactly 255 octets stays whole', 'a'.repeat(255), ['a'.repeat(255)]],
    ['256 octets splits 255 + 1', 'a'.repeat(256), ['a'.repeat(255), 'a']],
  ])('%s', (_name, value, expected) => {
    expect(TxtChunks.split(value)).toEqual(expected);
  });

  test('splits on UTF-8 octets, never inside a character', () => {
    // GIVEN 200 ASCII characters then 30 three-octet characters (290 octets, 230 UTF-16 units)
    const value = 'a'.repeat(200) + '€'.repeat(30);
    // WHEN
    const chunks = TxtChunks.split(value, { asciiOnly: false });
    // THEN the first string holds 200 + 18 * 3 = 254 octets: a 19th euro sign would be 257
    expect(chunks).toHaveLength(2);
    expect(bytes(chunks[0])).toBe(254);
    expect(chunks.join('')).toBe(value);
  });

  test('refuses non-ASCII where the record must be ASCII, naming the rule and the character', () => {
    expect(() => TxtChunks.split('v=DMARC1; p=reject; rua=mailto:dmarc@dépt.gov.uk'))
      .toThrow(/\[TXT-NON-ASCII\].*U\+00E9 \("é"\) at index 38/);
  });

  test('property: every chunk is at most 255 octets and the chunks join back to the input', () => {
    // ASCII-only values take a faster path than mixed ones; both are drawn here.
    const values = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 1200 }),
      fc.string({ unit: 'binary-ascii', maxLength: 1200 }),
      fc.string({ unit: fc.constantFrom('a', '"', '\\', ' ', 'é', '\u{1F600}'), maxLength: 900 }),
    );
    fc.assert(fc.property(values, (value) => {
      const chunks = TxtChunks.split(value, { asciiOnly: false });
      expect(chunks.every((c) => bytes(c) <= 255)).toBe(true);
      expect(chunks.join('')).toBe(value);
      // No chunk but the last could have taken the next character.
      for (let i = 0; i < chunks.length - 1; i++) {
        const next = String.fromCodePoint(chunks[i + 1].codePointAt(0)!);
        expect(bytes(chunks[i]) + bytes(next)).toBeGreaterThan(255);
      }
    }));
  });
});

describe('TxtChunks.toRoute53Value and parse', () => {
  test('quotes each string and escapes quotes and backslashes', () => {
    expect(TxtChunks.toRoute53Value('say "hi" \\ bye', { asciiOnly: true })).toBe('"say \\"hi\\" \\\\ bye"');
  });

  test('writes octets outside printable ASCII as octal escapes, as Route 53 does', () => {
    expect(TxtChunks.toRoute53Value('é', { asciiOnly: false })).toBe('"\\303\\251"');
  });

  test('long values become several quoted strings', () => {
    const value = 'v=spf1 ' + 'ip4:192.0.2.1 '.repeat(30) + '-all';
    const rendered = TxtChunks.toRoute53Value(value);
    expect(rendered.startsWith('"v=spf1 ')).toBe(true);
    expect(rendered.split('" "')).toHaveLength(2);
    expect(TxtChunks.parse(rendered)).toBe(value);
  });

  test('refuses a value over Route 53\'s 4,000 characters', () => {
    expect(() => TxtChunks.toRoute53Value('a'.repeat(3990))).toThrow(/^\[TXT-ROUTE53-VALUE-LENGTH\].*Got 4037 characters/);
  });

  test('a value just under the limit is accepted and one over it names the rule', () => {
    // 3,900 octets: 16 quoted strings and 15 spaces make 3,947 characters.
    expect(TxtChunks.toRoute53Value('a'.repeat(3900))).toHaveLength(3947);
    expect(() => TxtChunks.toRoute53Value('a'.repeat(3960))).toThrow('[TXT-ROUTE53-VALUE-LENGTH]');
  });

  test.each([
    ['unquoted text is taken as it is', 'v=spf1 -all', 'v=spf1 -all', false],
    ['one quoted string', '"v=spf1 -all"', 'v=spf1 -all', false],
    ['split strings join with no separator', '"v=spf1 include:a.example" " -all"', 'v=spf1 include:a.example -all', false],
    ['escaped quote and backslash', '"a\\"b\\\\c"', 'a"b\\c', false],
    ['octal escapes (Route 53)', '"\\303\\251"', 'é', false],
    ['decimal escapes (zone file)', '"\\195\\169"', 'é', true],
    ['surrounding whitespace', '  "x"   "y"  ', 'xy', false],
  ])('parse: %s', (_name, text, expected, decimal) => {
    expect(TxtChunks.parse(text, decimal)).toBe(expected);
  });

  test('property: parse(toRoute53Value(x)) gives back x, for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 900 }), (value) => {
      expect(TxtChunks.parse(TxtChunks.toRoute53Value(value, { asciiOnly: false }))).toBe(value);
    }));
  });

  test('property: parseStrings keeps the strings toRoute53Value made', () => {
    const values = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', maxLength: 900 }),
      fc.string({ unit: fc.constantFrom('a', '"', '\\', ' ', '\t', '~'), maxLength: 900 }),
    );
    fc.assert(fc.property(values, (value) => {
      const loose = { asciiOnly: false };
      expect(TxtChunks.parseStrings(TxtChunks.toRoute53Value(value, loose))).toEqual(TxtChunks.split(value, loose));
    }));
  });
});

describe('TxtChunks.validate', () => {
  test.each([
    ['TXT-STRING-LENGTH', ['a'.repeat(256)], ['a'.repeat(255)]],
    ['TXT-NON-ASCII', ['v=spf1 include:exämple.com -all'], ['v=spf1 include:example.com -all']],
    ['TXT-UDP-SIZE', ['a'.repeat(255), 'a'.repeat(200)], ['a'.repeat(255), 'a'.repeat(194)]],
  ])('%s: flags the violation and passes the compliant value', (ruleId, bad, good) => {
    expect(TxtChunks.validate(bad, { name: 'example.gov.uk' }).map((f) => f.ruleId)).toContain(ruleId);
    expect(TxtChunks.validate(good, { name: 'example.gov.uk' }).map((f) => f.ruleId)).not.toContain(ruleId);
  });

  test('findings carry the rule source and the name as path', () => {
    const [f] = TxtChunks.validate(['a'.repeat(300)], { name: '_dmarc.example.gov.uk' });
    expect(f).toMatchObject({ ruleId: 'TXT-STRING-LENGTH', severity: 'error', path: '_dmarc.example.gov.uk' });
    expect(f.source).toMatch(/RFC 1035/);
  });
});
