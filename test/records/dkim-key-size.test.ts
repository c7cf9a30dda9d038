/**
 * The DKIM key size is read from the DER octets where the key is in strict DER, and left to
 * OpenSSL otherwise. Whichever way it is read, the verdict must be OpenSSL's: each case here is
 * compared with what `createPublicKey` makes of the same octets (as SubjectPublicKeyInfo, then as
 * PKCS#1 RSAPublicKey), the way every key was measured before.
 */
/* eslint-disable no-bitwise */
import * as crypto from 'node:crypto';
import { Dkim, DkimKeyType } from '../../src/records/dkim';

/** Every key object the module builds, counted: a spy that calls through to OpenSSL. */
const built = jest.fn();
jest.mock('../../src/records/private/node-builtins', () => {
  const actual = jest.requireActual('../../src/records/private/node-builtins');
  const real = jest.requireActual('node:crypto');
  return {
    ...actual,
    nodeCrypto: () => ({
      ...real,
      createPublicKey: (...args: unknown[]) => {
        built();
        return real.createPublicKey(...args);
      },
    }),
  };
});

/** What OpenSSL says the RSA key's size is, or undefined when it reads no RSA key from `der`. */
function opensslBits(der: Buffer): number | undefined {
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = crypto.createPublicKey({ key: der, format: 'der', type });
      return key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
    } catch {
      // Not this encoding.
    }
  }
  return undefined;
}

const bitsOf = (der: Buffer) => Dkim.keyBits({ publicKey: der.toString('base64'), keyType: DkimKeyType.RSA });
const ruleIds = (der: Buffer) => Dkim.check(`v=DKIM1; k=rsa; p=${der.toString('base64')}`).map((f) => `${f.ruleId}: ${f.message}`);

/** A DER element: tag, length (shortest form), contents. */
function tlv(tag: number, contents: Buffer): Buffer {
  const n = contents.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), contents]);
}
const integer = (magnitude: Buffer) => tlv(0x02, magnitude[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude);
const pkcs1 = (n: Buffer, e: Buffer) => tlv(0x30, Buffer.concat([integer(n), integer(e)]));
const RSA_ALGORITHM = Buffer.from('300d06092a864886f70d0101010500', 'hex');
const spki = (key: Buffer) => tlv(0x30, Buffer.concat([RSA_ALGORITHM, tlv(0x03, Buffer.concat([Buffer.from([0]), key]))]));

/** A deterministic stream of octets (xorshift), so that a failure can be repeated. */
function octets(seed: number): (n: number) => Buffer {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

const generated = (bits: number, type: 'spki' | 'pkcs1') =>
  crypto.generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'der', type });
const RSA_1024_SPKI = generated(1024, 'spki');
const RSA_2048_SPKI = generated(2048, 'spki');
const RSA_2048_PKCS1 = generated(2048, 'pkcs1');

describe('DKIM RSA key size: the octets read as OpenSSL reads them', () => {
  test('generated keys, as SubjectPublicKeyInfo and as RSAPublicKey', () => {
    for (const der of [RSA_1024_SPKI, RSA_2048_SPKI, RSA_2048_PKCS1, generated(1536, 'spki'), generated(3072, 'pkcs1')]) {
      expect(bitsOf(der)).toBe(opensslBits(der));
      expect(bitsOf(der)).toBeGreaterThanOrEqual(1024);
    }
  });

  test('moduli of every shape of length and top octet, both wrappings, several exponents', () => {
    const random = octets(7);
    const exponents = [Buffer.from([1]), Buffer.from([2]), Buffer.from([3]), Buffer.from([1, 0, 1]), Buffer.from([0x80]),
      Buffer.from([1, 0, 0, 0, 1]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])];
    let compared = 0;
    for (const length of [1, 2, 3, 16, 63, 64, 65, 127, 128, 129, 255, 256, 257, 384, 512, 513, 1024, 2048, 2049]) {
      for (const top of [0x01, 0x02, 0x7f, 0x80, 0xc3, 0xff]) {
        const n = Buffer.concat([Buffer.from([top]), random(length - 1)]);
        n[n.length - 1] |= 1;
        for (const e of length === 256 ? exponents : [exponents[3]]) {
          for (const der of [pkcs1(n, e), spki(pkcs1(n, e))]) {
            expect([length, top, e.toString('hex'), bitsOf(der)]).toEqual([length, top, e.toString('hex'), opensslBits(der)]);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  test('encodings that are not strict DER, and keys that are not RSA, get OpenSSL\'s verdict', () => {
    const n = RSA_2048_PKCS1.subarray(8, 8 + 257);
    const e = Buffer.from([0x02, 0x03, 1, 0, 1]);
    const cases: Buffer[] = [
      // A modulus with its high bit set and no leading zero: negative in DER.
      Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x09, 0x02, 0x82, 0x01, 0x00]), n.subarray(1), e]),
      // A modulus with a needless leading zero.
      tlv(0x30, Buffer.concat([tlv(0x02, Buffer.concat([Buffer.from([0, 0]), n.subarray(1)])), e])),
      // A zero modulus, an empty modulus, an empty exponent.
      tlv(0x30, Buffer.concat([Buffer.from([0x02, 0x01, 0x00]), e])),
      tlv(0x30, Buffer.concat([Buffer.from([0x02, 0x00]), e])),
      tlv(0x30, Buffer.concat([tlv(0x02, n), Buffer.from([0x02, 0x00])])),
      // A length in the long form where the short form would do, and with a leading zero octet.
      Buffer.concat([Buffer.from([0x30, 0x81, 0x08, 0x02, 0x01, 0x05]), e]),
      Buffer.concat([Buffer.from([0x30, 0x83, 0x00, 0x01, 0x0a]), tlv(0x02, n), e]),
      // An indefinite length.
      Buffer.concat([Buffer.from([0x30, 0x80]), tlv(0x02, n), e, Buffer.from([0, 0])]),
      // Octets after the key, inside and outside the sequence.
      Buffer.concat([RSA_2048_PKCS1, Buffer.from([0])]),
      Buffer.concat([RSA_2048_SPKI, Buffer.from([0x05, 0x00])]),
      tlv(0x30, Buffer.concat([tlv(0x02, n), e, Buffer.from([0x05, 0x00])])),
      // A BIT STRING with unused bits; RSA parameters absent; the RSASSA-PSS algorithm.
      Buffer.from(RSA_2048_SPKI.toString('hex').replace('0382010f00', '0382010f01'), 'hex'),
      tlv(0x30, Buffer.concat([Buffer.from('300b06092a864886f70d010101', 'hex'), tlv(0x03, Buffer.concat([Buffer.from([0]), RSA_2048_PKCS1]))])),
      tlv(0x30, Buffer.concat([Buffer.from('300d06092a864886f70d01010a0500', 'hex'), tlv(0x03, Buffer.concat([Buffer.from([0]), RSA_2048_PKCS1]))])),
      // Keys of other types.
      crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }),
      crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }),
      // Empty and one-octet inputs.
      Buffer.from([0x30, 0x00]),
      Buffer.from([0x30]),
    ];
    cases.forEach((der, i) => {
      expect([i, bitsOf(der)]).toEqual([i, opensslBits(der)]);
    });
    // The same verdict carries through to the findings.
    expect(ruleIds(cases[cases.length - 4])).toEqual([expect.stringMatching(/^DKIM-KEY-INVALID: The key is an ec key/)]);
  });

  test('every truncation, and thousands of corrupted octets, of real keys', () => {
    const random = octets(2026);
    let compared = 0;
    for (const key of [RSA_1024_SPKI, RSA_2048_PKCS1]) {
      for (let cut = 0; cut < key.length; cut += key.length > 200 && cut > 40 && cut < key.length - 40 ? 37 : 1) {
        const der = key.subarray(0, cut);
        expect([cut, bitsOf(der)]).toEqual([cut, opensslBits(der)]);
        compared++;
      }
      // Corrupt one or two octets, mostly in the headers where the structure is.
      for (let i = 0; i < 1500; i++) {
        const der = Buffer.from(key);
        const [a, b, c] = random(3);
        const at = a < 200 ? a % 40 : (a * 256 + b) % der.length;
        der[at] = c;
        if (b < 64) der[(at + 1 + c) % der.length] ^= a;
        expect([der.toString('hex'), bitsOf(der)]).toEqual([der.toString('hex'), opensslBits(der)]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });

  test('a key in strict DER is measured without building a key object', () => {
    built.mockClear();
    expect(bitsOf(RSA_2048_SPKI)).toBe(2048);
    expect(bitsOf(RSA_2048_PKCS1)).toBe(2048);
    expect(bitsOf(RSA_1024_SPKI)).toBe(1024);
    expect(built).not.toHaveBeenCalled();
    // And one that is not goes to OpenSSL.
    const trailing = Buffer.concat([RSA_2048_SPKI, Buffer.from([0])]);
    expect(bitsOf(trailing)).toBe(opensslBits(trailing));
    expect(built).toHaveBeenCalled();
  });
});
