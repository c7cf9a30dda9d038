/**
 * Names in answers are read label by label into one string, a label's octets taken as they are
 * unless one needs escaping. What is read, and what is refused, must be what the plain reading
 * gives (every label escaped octet by octet, then joined), for any octets at all.
 */
/* eslint-disable no-bitwise */
import * as fc from 'fast-check';
import { DnsWireError, readName } from '../../src/cli/check/dns-wire';

/** The plain reading, for comparison. */
function plainReadName(bytes: Buffer, start: number): { name: string; next: number } {
  const need = (offset: number, length: number) => {
    if (offset + length > bytes.length) {
      throw new DnsWireError(`the message ends at octet ${bytes.length}, inside a field that needs octets up to ${offset + length}`);
    }
  };
  const labels: string[] = [];
  let offset = start;
  let next = -1;
  let octets = 1;
  for (;;) {
    need(offset, 1);
    const len = bytes[offset];
    if ((len & 0xc0) === 0xc0) {
      need(offset, 2);
      const target = ((len & 0x3f) << 8) | bytes[offset + 1];
      if (target >= offset) throw new DnsWireError(`a compression pointer at octet ${offset} does not point backwards`);
      if (next < 0) next = offset + 2;
      offset = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new DnsWireError(`an unknown label type at octet ${offset}`);
    if (len === 0) {
      if (next < 0) next = offset + 1;
      break;
    }
    need(offset + 1, len);
    octets += len + 1;
    if (octets > 255) throw new DnsWireError('a name longer than 255 octets');
    let out = '';
    for (const b of bytes.subarray(offset + 1, offset + 1 + len)) {
      if (b === 0x2e || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
      else if (b < 0x21 || b > 0x7e) out += `\\${String(b).padStart(3, '0')}`;
      else out += String.fromCharCode(b);
    }
    labels.push(out);
    offset += len + 1;
  }
  return { name: labels.join('.'), next };
}

function outcome(f: () => { name: string; next: number }): string {
  try {
    const r = f();
    return `${JSON.stringify(r.name)} next ${r.next}`;
  } catch (err) {
    return `${(err as Error).constructor.name}: ${(err as Error).message}`;
  }
}

/** Messages built of labels (mostly printable, some with octets to escape), pointers backwards and forwards, and noise. */
const pieces = fc.array(fc.oneof(
  fc.constantFrom('mx1', '_dmarc', 'bench', 'test', 'a.b', 'back\\slash', 'sp ace', '\u00e9t\u00e9', 'x'.repeat(63))
    .map((t) => Buffer.concat([Buffer.from([Buffer.byteLength(t, 'latin1')]), Buffer.from(t, 'latin1')])),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.concat([Buffer.from([b.length]), Buffer.from(b)])),
  fc.integer({ min: 0, max: 0x3fff }).map((t) => Buffer.from([0xc0 | (t >> 8), t & 0xff])),
  fc.integer({ min: 0, max: 60 }).map((t) => Buffer.from([0xc0, t])),
  fc.constant(Buffer.from([0])),
  fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => Buffer.from(b)),
), { maxLength: 40 }).map((parts) => Buffer.concat(parts));

describe('DNS name reading', () => {
  test('the same names, ends and refusals as the plain reading, from every offset', () => {
    fc.assert(fc.property(pieces, (bytes) => {
      for (let start = 0; start <= bytes.length; start++) {
        expect(outcome(() => readName(bytes, start))).toBe(outcome(() => plainReadName(bytes, start)));
      }
    }), { numRuns: 1500 });
  });

  test('names that need escaping, compressed, and the 255-octet limit', () => {
    const label = (t: string) => Buffer.concat([Buffer.from([t.length]), Buffer.from(t, 'latin1')]);
    const msg = Buffer.concat([label('a.b'), label('x\\y'), label('\u0000\u007f '), Buffer.from([0]), label('mx1'), Buffer.from([0xc0, 0x00])]);
    expect(readName(msg, 0)).toEqual({ name: 'a\\.b.x\\\\y.\\000\\127\\032', next: 13 });
    expect(readName(msg, 13)).toEqual({ name: 'mx1.a\\.b.x\\\\y.\\000\\127\\032', next: 19 });
    const long = Buffer.concat([...Array(4).fill(label('c'.repeat(63))), Buffer.from([0])]);
    expect(() => readName(long, 0)).toThrow(/longer than 255 octets/);
    expect(readName(long.subarray(64), 0).name).toBe(Array(3).fill('c'.repeat(63)).join('.'));
  });
});
