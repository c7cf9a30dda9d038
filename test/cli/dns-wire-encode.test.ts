/**
 * Queries are written into one buffer, octet by octet. The names and queries must be the ones
 * the straightforward encoding gives (labels as Latin-1 buffers joined with length octets),
 * and the same names refused with the same messages, whatever the name.
 */
import * as fc from 'fast-check';
import { DnsWireError, EDNS_UDP_PAYLOAD_SIZE, RR_TYPE, encodeName, encodeQuery } from '../../src/cli/check/dns-wire';

/** The plain encoding, for comparison: a buffer per label, joined. */
function plainName(name: string): Buffer {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const labels = trimmed === '' ? [] : trimmed.split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    if (bytes.length === 0 || bytes.length > 63 || label !== bytes.toString('latin1')) {
      throw new DnsWireError(`"${name}" is not a DNS name: each label must be 1 to 63 octets`);
    }
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const wire = Buffer.concat(parts);
  if (wire.length > 255) throw new DnsWireError(`"${name}" is not a DNS name: longer than 255 octets`);
  return wire;
}

function plainQuery(id: number, name: string, type: number, edns: boolean, rd: boolean, ad: boolean): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id % 0x10000, 0);
  header.writeUInt16BE((rd ? 0x0100 : 0) + (ad ? 0x0020 : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(edns ? 1 : 0, 10);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(type, 0);
  question.writeUInt16BE(1, 2);
  const opt = Buffer.from([0, 0, 41, EDNS_UDP_PAYLOAD_SIZE / 256, EDNS_UDP_PAYLOAD_SIZE % 256, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, plainName(name), question, ...(edns ? [opt] : [])]);
}

/** What a call gives: the octets in hex, or the error's class and message. */
function outcome(f: () => Buffer): string {
  try {
    return f().toString('hex');
  } catch (err) {
    return `${(err as Error).constructor.name}: ${(err as Error).message}`;
  }
}

/** Names near every limit: labels of 0, 1, 63 and 64 octets, 255 and 256 octets in all, dots at the ends, characters past Latin-1. */
const names = fc.oneof(
  fc.array(fc.oneof(
    fc.constantFrom('', 'a', 'mx1', '_dmarc', 'xn--bcher-kva', 'é', 'ā', '😀', 'a'.repeat(62), 'a'.repeat(63), 'a'.repeat(64)),
    fc.string({ maxLength: 70 }),
  ), { maxLength: 8 }).map((labels) => labels.join('.')),
  fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 130 }), fc.boolean())
    .map(([size, count, dot]) => `${Array(count).fill('b'.repeat(size)).join('.')}${dot ? '.' : ''}`),
  fc.constantFrom('', '.', '..', 'a.', '.a', 'a..b', `${Array(4).fill('c'.repeat(63)).join('.')}`, `${Array(4).fill('c'.repeat(63)).join('.')}.`,
    `${Array(3).fill('c'.repeat(63)).join('.')}.${'d'.repeat(61)}`, `${Array(3).fill('c'.repeat(63)).join('.')}.${'d'.repeat(62)}`),
);

describe('DNS query encoding', () => {
  test('names: the same octets, or the same refusal, as the plain encoding', () => {
    fc.assert(fc.property(names, (name) => {
      expect(outcome(() => encodeName(name))).toBe(outcome(() => plainName(name)));
    }), { numRuns: 3000 });
  });

  test('the limits are where they were: 63-octet labels and 255-octet names pass, one more does not', () => {
    const c63 = 'c'.repeat(63);
    expect(encodeName(`${c63}.${c63}.${c63}.${'d'.repeat(61)}`)).toHaveLength(255);
    expect(() => encodeName(`${c63}.${c63}.${c63}.${'d'.repeat(62)}`)).toThrow(/longer than 255 octets/);
    expect(() => encodeName(`${'a'.repeat(64)}.test`)).toThrow(/1 to 63 octets/);
    expect(encodeName('.')).toEqual(Buffer.from([0]));
  });

  test('queries: the same octets as the plain encoding, with and without EDNS(0)', () => {
    const types = fc.constantFrom(...Object.values(RR_TYPE));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x1ffff }), names, types, fc.boolean(), fc.boolean(), fc.boolean(),
      (id, name, type, edns, rd, ad) => {
        const options = { recursionDesired: rd, authenticatedData: ad, ...(edns ? { ednsUdpPayloadSize: EDNS_UDP_PAYLOAD_SIZE } : {}) };
        expect(outcome(() => encodeQuery(id, name, type, options))).toBe(outcome(() => plainQuery(id, name, type, edns, rd, ad)));
      }), { numRuns: 2000 });
  });
});
