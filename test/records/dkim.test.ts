import { generateKeyPairSync } from 'node:crypto';
import * as fc from 'fast-check';
import { DKIM_RULES, Dkim, DkimKeyModel, DkimKeyType } from '../../src/records/dkim';
import { Finding, Severity } from '../../src/records/finding';
import { RecordSyntaxError } from '../../src/records/syntax-error';
import { TxtChunks } from '../../src/records/txt';
import fixtures from '../fixtures/dkim.json';

const ids = (findings: Finding[]) => [...new Set(findings.map((f) => f.ruleId))].sort();

// Real keys, generated once per file (RSA 512–2048 and Ed25519 take milliseconds).
function rsa(bits: number, type: 'spki' | 'pkcs1' = 'spki'): string {
  return generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'der', type }).toString('base64');
}
const RSA_512 = rsa(512);
const RSA_1024 = rsa(1024);
const RSA_2048 = rsa(2048);
const RSA_2048_PKCS1 = rsa(2048, 'pkcs1');
const ED25519_SPKI = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
const ED25519 = ED25519_SPKI.subarray(ED25519_SPKI.length - 32).toString('base64');
/** An 8192-bit key is too slow to generate per run: take the fixture's. */
const RSA_8192 = Dkim.parse(fixtures.find((f) => f.name.startsWith('huge.'))!.value).publicKey;

describe('DKIM rules: each has a violating and a passing input', () => {
  const cases: Array<[string, string, string]> = [
    ['DKIM-TAG-SYNTAX', `v=DKIM1; k=rsa; p=${RSA_2048}; bad`, `v=DKIM1; k=rsa; p=${RSA_2048}`],
    ['DKIM-VERSION', `v=DKIM2; p=${RSA_2048}`, `v=DKIM1; p=${RSA_2048}`],
    ['DKIM-DUPLICATE-TAG', `v=DKIM1; k=rsa; k=rsa; p=${RSA_2048}`, `v=DKIM1; k=rsa; p=${RSA_2048}`],
    ['DKIM-KEY-MISSING', 'v=DKIM1; k=rsa', 'v=DKIM1; k=rsa; p='],
    ['DKIM-KEY-REVOKED', 'v=DKIM1; p=', `v=DKIM1; p=${RSA_2048}`],
    ['DKIM-KEY-TYPE', `v=DKIM1; k=ecdsa; p=${RSA_2048}`, `v=DKIM1; k=RSA; p=${RSA_2048}`],
    ['DKIM-KEY-INVALID', `v=DKIM1; p=${RSA_2048.slice(0, 100)}`, `v=DKIM1; p=${RSA_2048}`],
    ['DKIM-RSA-KEY-UNDER-1024', `v=DKIM1; p=${RSA_512}`, `v=DKIM1; p=${RSA_1024}`],
    ['DKIM-RSA-KEY-UNDER-2048', `v=DKIM1; p=${RSA_1024}`, `v=DKIM1; p=${RSA_2048}`],
    ['DKIM-RSA-KEY-OVER-4096', `v=DKIM1; p=${RSA_8192}`, `v=DKIM1; p=${RSA_2048}`],
    ['DKIM-ED25519-KEY-LENGTH', `v=DKIM1; k=ed25519; p=${ED25519_SPKI.toString('base64')}`, `v=DKIM1; k=ed25519; p=${ED25519}`],
    ['DKIM-HASH-SHA256', `v=DKIM1; h=sha1; p=${RSA_2048}`, `v=DKIM1; h=sha1:sha256; p=${RSA_2048}`],
    ['DKIM-SERVICE-TYPE', `v=DKIM1; s=other; p=${RSA_2048}`, `v=DKIM1; s=email; p=${RSA_2048}`],
    ['DKIM-TESTING', `v=DKIM1; t=y; p=${RSA_2048}`, `v=DKIM1; t=s; p=${RSA_2048}`],
    ['DKIM-UNKNOWN-TAG', `v=DKIM1; x=1; p=${RSA_2048}`, `v=DKIM1; n=1; p=${RSA_2048}`],
  ];

  test('every rule is in the table', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(Object.values(DKIM_RULES).map((r) => r.id).sort());
  });

  test.each(cases)('%s', (ruleId, violating, passing) => {
    const bad = Dkim.check(violating, { name: 'sel._domainkey.example.gov.uk' }).filter((f) => f.ruleId === ruleId);
    expect(bad.length).toBeGreaterThan(0);
    const rule = Object.values(DKIM_RULES).find((r) => r.id === ruleId)!;
    expect(bad[0]).toMatchObject({ severity: rule.severity, source: rule.source, path: 'sel._domainkey.example.gov.uk' });
    expect(Dkim.check(passing).map((f) => f.ruleId)).not.toContain(ruleId);
  });
});

describe('Dkim.parse', () => {
  test('reads every tag', () => {
    expect(Dkim.parse(`v=DKIM1; k=RSA; h=SHA256 : sha1; s=Email; t=Y:s; n=rotated 2024; p=${RSA_2048}; x=1;`)).toEqual({
      version: 'DKIM1',
      keyType: DkimKeyType.RSA,
      hashAlgorithms: ['sha256', 'sha1'],
      serviceTypes: ['email'],
      flags: ['y', 's'],
      notes: 'rotated 2024',
      publicKey: RSA_2048,
      unknownTags: [{ name: 'x', value: '1' }],
    });
  });

  test('removes whitespace folded into the key and joins split strings', () => {
    const folded = RSA_2048.match(/.{1,50}/g)!.join(' \t ');
    expect(Dkim.parse(`v=DKIM1; p=${folded}`).publicKey).toBe(RSA_2048);
    expect(Dkim.parse(TxtChunks.toRoute53Value(`v=DKIM1; p=${RSA_2048}`)).publicKey).toBe(RSA_2048);
  });

  test('a revoked key is an empty key', () => {
    expect(Dkim.parse('v=DKIM1; p=')).toEqual({ version: 'DKIM1', publicKey: '' });
    expect(Dkim.isRevoked(Dkim.parse('v=DKIM1; p='))).toBe(true);
    expect(Dkim.isRevoked(Dkim.parse(`p=${RSA_2048}`))).toBe(false);
  });

  test('a repeated tag, or a v that is not first, is kept in unknownTags', () => {
    expect(Dkim.parse(`p=${RSA_2048}; v=DKIM1; p=abc`)).toEqual({
      publicKey: RSA_2048,
      unknownTags: [{ name: 'v', value: 'DKIM1' }, { name: 'p', value: 'abc' }],
    });
  });

  test.each([
    ['not a tag list', 'hello world', 'DKIM-TAG-SYNTAX'],
    ['another version', 'v=DKIM2; p=abc', 'DKIM-VERSION'],
    ['a version in lower case', 'v=dkim1; p=abc', 'DKIM-VERSION'],
    ['SPF', 'v=spf1 -all', 'DKIM-VERSION'],
    ['no p', 'v=DKIM1; k=rsa', 'DKIM-KEY-MISSING'],
    ['P in capitals', 'v=DKIM1; P=abc', 'DKIM-KEY-MISSING'],
    ['an unknown key type', 'v=DKIM1; k=dsa; p=abc', 'DKIM-KEY-TYPE'],
    ['empty text', '', 'DKIM-KEY-MISSING'],
  ])('throws on %s', (_, text, ruleId) => {
    expect(() => Dkim.parse(text)).toThrow(RecordSyntaxError);
    expect(() => Dkim.parse(text)).toThrow(new RegExp(`\\[${ruleId}\\]`));
  });
});

describe('Dkim.render', () => {
  test('writes v first, p after the other known tags', () => {
    expect(Dkim.render({ version: 'DKIM1', keyType: DkimKeyType.ED25519, flags: ['s'], publicKey: ED25519 }))
      .toBe(`v=DKIM1; k=ed25519; t=s; p=${ED25519}`);
    expect(Dkim.render({ version: 'DKIM1', publicKey: '' })).toBe('v=DKIM1; p=');
  });

  test.each([
    ['a short key', { publicKey: RSA_512 }, 'DKIM-RSA-KEY-UNDER-1024'],
    ['garbage', { publicKey: 'not base64!' }, 'DKIM-KEY-INVALID'],
    ['sha1 only', { publicKey: RSA_2048, hashAlgorithms: ['sha1'] }, 'DKIM-HASH-SHA256'],
    ['an unknown type', { publicKey: RSA_2048, keyType: 'dsa' as DkimKeyType }, 'DKIM-KEY-TYPE'],
    ['a wrong version', { publicKey: RSA_2048, version: 'DKIM2' }, 'DKIM-VERSION'],
    ['a duplicate', { publicKey: RSA_2048, unknownTags: [{ name: 'p', value: 'x' }] }, 'DKIM-DUPLICATE-TAG'],
    ['a ";" in notes', { publicKey: RSA_2048, notes: 'a;b' }, 'DKIM-TAG-SYNTAX'],
    ['a bad tag name', { publicKey: RSA_2048, unknownTags: [{ name: '1x', value: 'x' }] }, 'DKIM-TAG-SYNTAX'],
  ])('refuses %s', (_, model, ruleId) => {
    expect(() => Dkim.render(model as DkimKeyModel)).toThrow(new RegExp(`\\[${ruleId}\\]`));
  });
});

describe('Dkim.keyBits', () => {
  test.each([
    ['RSA 512', RSA_512, undefined, 512],
    ['RSA 1024', RSA_1024, DkimKeyType.RSA, 1024],
    ['RSA 2048', RSA_2048, undefined, 2048],
    ['RSA 2048 PKCS#1', RSA_2048_PKCS1, DkimKeyType.RSA, 2048],
    ['RSA 8192', RSA_8192, undefined, 8192],
    ['Ed25519', ED25519, DkimKeyType.ED25519, 256],
    ['Ed25519 as SPKI', ED25519_SPKI.toString('base64'), DkimKeyType.ED25519, undefined],
    ['Ed25519 key with k=rsa', ED25519_SPKI.toString('base64'), DkimKeyType.RSA, undefined],
    ['RSA key with k=ed25519', RSA_2048, DkimKeyType.ED25519, undefined],
    ['revoked', '', undefined, undefined],
    ['garbage', 'AAAA', undefined, undefined],
    ['not base64', 'a*b', undefined, undefined],
  ])('%s', (_, publicKey, keyType, bits) => {
    expect(Dkim.keyBits({ publicKey, ...(keyType ? { keyType } : {}) })).toBe(bits);
  });
});

describe('DKIM fixtures', () => {
  test('the corpus has at least 6 entries', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(6);
  });

  test.each(fixtures.map((f) => [f.note, f] as const))('%s', (_, f) => {
    expect(ids(Dkim.check(f.value, { name: f.name }))).toEqual([...f.expected].sort());
  });
});

// ---- Properties ------------------------------------------------------------------------------

const tagValue = fc.stringMatching(/^[\x21-\x3a\x3c-\x7e]{0,12}$/);
const keyAndType = fc.constantFrom(
  { publicKey: RSA_2048 },
  { publicKey: RSA_2048, keyType: DkimKeyType.RSA },
  { publicKey: RSA_2048_PKCS1, keyType: DkimKeyType.RSA },
  { publicKey: RSA_1024 },
  { publicKey: ED25519, keyType: DkimKeyType.ED25519 },
  { publicKey: '' },
  { publicKey: '', keyType: DkimKeyType.ED25519 },
);
const nonEmptySubset = (items: string[]) => fc.subarray(items, { minLength: 1 });
const dkimModel: fc.Arbitrary<DkimKeyModel> = fc.tuple(keyAndType, fc.record({
  version: fc.constant('DKIM1'),
  hashAlgorithms: fc.tuple(fc.subarray(['sha1', 'future']), fc.nat(2)).map(([others, at]) => {
    const list = [...others];
    list.splice(Math.min(at, list.length), 0, 'sha256');
    return list;
  }),
  serviceTypes: fc.tuple(nonEmptySubset(['*', 'email']), fc.subarray(['other'])).map(([a, b]) => [...a, ...b]),
  flags: nonEmptySubset(['y', 's', 'z']),
  notes: fc.stringMatching(/^[\x21-\x3a\x3c-\x7e](?:[\x20-\x3a\x3c-\x7e]{0,20}[\x21-\x3a\x3c-\x7e])?$/),
  unknownTags: fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/), value: tagValue }), {
    minLength: 1, maxLength: 3, selector: (t) => t.name,
  }).filter((ts) => ts.every((t) => !['v', 'h', 'k', 'n', 'p', 's', 't'].includes(t.name))),
}, { requiredKeys: [] })).map(([key, rest]) => ({ ...rest, ...key }));

describe('DKIM properties', () => {
  test('parse(render(m)) equals m, and render emits no error', () => {
    fc.assert(fc.property(dkimModel, (m) => {
      const text = Dkim.render(m);
      expect(Dkim.parse(text)).toEqual(m);
      expect(Dkim.validate(m).filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    }));
  });

  test('keyBits matches the key size generated', () => {
    fc.assert(fc.property(keyAndType, (k) => {
      const expected = k.publicKey === '' ? undefined
        : k.keyType === DkimKeyType.ED25519 ? 256
          : k.publicKey === RSA_1024 ? 1024 : 2048;
      expect(Dkim.keyBits(k)).toBe(expected);
    }));
  });

  test('check never throws, whatever the input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      expect(Array.isArray(Dkim.check(text))).toBe(true);
      expect(Array.isArray(Dkim.check(`v=DKIM1; p=${text}`))).toBe(true);
      expect(Array.isArray(Dkim.check(`v=DKIM1; k=ed25519; ${text}`))).toBe(true);
    }));
  });
});
