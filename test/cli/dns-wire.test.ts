/**
 * The DNS message codec of `gov-email check` (src/cli/check/dns-wire.ts), held to an independent
 * implementation: answers encoded with dns-packet are read back exactly, queries it writes are
 * read by dns-packet as meant, IPv6 addresses print as the WHATWG URL parser prints them, and no
 * sequence of bytes makes the reader throw anything but DnsWireError or read forever.
 */
// DNS header flags are bit fields.
/* eslint-disable no-bitwise */
import * as dnsPacket from 'dns-packet';
import * as fc from 'fast-check';
import {
  DnsWireError, EDNS_UDP_PAYLOAD_SIZE, RR_TYPE, answersFor, decodeMessage, encodeName, encodeQuery, readA, readAaaa, readCaa, readMx,
  readName, readTxt,
} from '../../src/cli/check/dns-wire';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/);
const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));

function response(qname: string, qtype: string, answers: dnsPacket.Answer[], extra: Partial<dnsPacket.Packet> = {}): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: 4242,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
    questions: [{ name: qname, type: qtype as dnsPacket.RecordType, class: 'IN' }],
    answers,
    ...extra,
  });
}

describe('answers encoded by another implementation are read back exactly', () => {
  test('TXT: every character-string kept apart, every byte kept (read one byte to one character)', () => {
    fc.assert(fc.property(name, fc.array(fc.array(bytes(255), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }), (n, records) => {
      const msg = decodeMessage(response(n, 'TXT', records.map((data) => ({ type: 'TXT', name: n, ttl: 300, data }))));
      const read = answersFor(msg, n, RR_TYPE.TXT).map((r) => readTxt(msg, r));
      expect(read).toEqual(records.map((strings) => strings.map((s) => s.toString('latin1'))));
    }));
  });

  test('MX, A, AAAA and CAA', () => {
    // Eight groups, zeros frequent (runs of zeros are what the text form compresses), written out in full.
    const ipv6 = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
      .filter((groups) => !(groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff))
      .map((groups) => groups.map((g) => g.toString(16)).join(':'));
    fc.assert(fc.property(name, fc.integer({ min: 0, max: 65535 }), name, fc.ipV4(), ipv6, fc.integer({ min: 0, max: 255 }),
      fc.constantFrom('issue', 'issuewild', 'iodef'), fc.stringMatching(/^[ -~]{0,60}$/), (n, preference, exchange, v4, v6, flags, tag, value) => {
        const mx = decodeMessage(response(n, 'MX', [{ type: 'MX', name: n, ttl: 60, data: { preference, exchange } }]));
        expect(answersFor(mx, n, RR_TYPE.MX).map((r) => readMx(mx, r))).toEqual([{ priority: preference, exchange }]);
        const a = decodeMessage(response(n, 'A', [{ type: 'A', name: n, ttl: 60, data: v4 }]));
        expect(answersFor(a, n, RR_TYPE.A).map((r) => readA(a, r))).toEqual([v4]);
        const aaaa = decodeMessage(response(n, 'AAAA', [{ type: 'AAAA', name: n, ttl: 60, data: v6 }]));
        // The WHATWG URL parser prints IPv6 addresses in the RFC 5952 form too.
        expect(answersFor(aaaa, n, RR_TYPE.AAAA).map((r) => readAaaa(aaaa, r))).toEqual([new URL(`http://[${v6}]/`).hostname.slice(1, -1)]);
        const caa = decodeMessage(response(n, 'CAA', [{ type: 'CAA', name: n, ttl: 60, data: { flags, tag, value } as dnsPacket.CaaData }]));
        expect(answersFor(caa, n, RR_TYPE.CAA).map((r) => readCaa(caa, r))).toEqual([{ flags, tag, value }]);
      }));
  });

  test('an IPv4-mapped IPv6 address prints with its IPv4 part dotted, as inet_ntop prints it', () => {
    const msg = decodeMessage(response('a.test', 'AAAA', [{ type: 'AAAA', name: 'a.test', data: '0:0:0:0:0:ffff:c000:201' }]));
    expect(readAaaa(msg, msg.answers[0])).toBe('::ffff:192.0.2.1');
  });

  test('a null MX reads as the empty exchange; answers reached through a CNAME chain are the answers', () => {
    const mx = decodeMessage(response('a.test', 'MX', [{ type: 'MX', name: 'a.test', data: { preference: 0, exchange: '.' } }]));
    expect(readMx(mx, mx.answers[0])).toEqual({ priority: 0, exchange: '' });
    const chained = decodeMessage(response('Sel._domainkey.A.test', 'TXT', [
      { type: 'CNAME', name: 'sel._domainkey.a.test', data: 'key.Provider.test' },
      { type: 'CNAME', name: 'KEY.provider.test', data: 'final.provider.test' },
      { type: 'TXT', name: 'final.provider.test', data: ['v=DKIM1; p=abc'] },
      { type: 'TXT', name: 'unrelated.test', data: ['not this'] },
    ]));
    expect(answersFor(chained, 'sel._domainkey.a.test', RR_TYPE.TXT).map((r) => readTxt(chained, r))).toEqual([['v=DKIM1; p=abc']]);
    const loop = decodeMessage(response('x.test', 'TXT', [
      { type: 'CNAME', name: 'x.test', data: 'y.test' }, { type: 'CNAME', name: 'y.test', data: 'x.test' },
    ]));
    expect(answersFor(loop, 'x.test', RR_TYPE.TXT)).toEqual([]);
  });

  test('the response code is extended by the OPT record; the OPT record says the server speaks EDNS', () => {
    const plain = decodeMessage(response('a.test', 'TXT', [], { flags: 3 }));
    expect([plain.rcode, plain.edns]).toEqual([3, false]);
    const withOpt = decodeMessage(response('a.test', 'TXT', [], {
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 1, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
    }));
    expect([withOpt.rcode, withOpt.edns]).toEqual([16, true]);
  });
});

describe('queries', () => {
  test('are read by another implementation as the name and type asked, with recursion desired and EDNS(0) when asked', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), name, fc.constantFrom('TXT', 'MX', 'A', 'AAAA', 'CAA'), fc.boolean(), (id, n, type, edns) => {
      const decoded = dnsPacket.decode(encodeQuery(id, n, RR_TYPE[type as keyof typeof RR_TYPE], {
        recursionDesired: true, ednsUdpPayloadSize: edns ? EDNS_UDP_PAYLOAD_SIZE : undefined,
      }));
      expect(decoded.id).toBe(id);
      expect(decoded.type).toBe('query');
      expect((decoded.flags ?? 0) & dnsPacket.RECURSION_DESIRED).toBe(dnsPacket.RECURSION_DESIRED);
      expect(decoded.questions).toEqual([{ name: n, type, class: 'IN' }]);
      const opt = (decoded.additionals ?? []).filter((a) => a.type === 'OPT') as Array<{ udpPayloadSize: number; ednsVersion: number }>;
      expect(opt.map((o) => [o.udpPayloadSize, o.ednsVersion])).toEqual(edns ? [[EDNS_UDP_PAYLOAD_SIZE, 0]] : []);
    }));
  });

  test('a name that cannot be sent is refused before anything is sent', () => {
    expect(() => encodeName(`${'a'.repeat(64)}.test`)).toThrow(DnsWireError);
    expect(() => encodeName('a..test')).toThrow(DnsWireError);
    expect(() => encodeName(Array(130).fill('ab').join('.'))).toThrow(/255 octets/);
    expect(() => encodeName('caf\u00e9\u2603.test')).toThrow(DnsWireError);
    expect(encodeName('a.test.')).toEqual(encodeName('a.test'));
  });
});

describe('hostile messages', () => {
  const header = (ancount: number) => Buffer.from([0, 1, 0x81, 0x80, 0, 0, 0, ancount, 0, 0, 0, 0]);

  test('a compression pointer to itself or forwards is an error, not a loop', () => {
    expect(() => readName(Buffer.concat([header(0), Buffer.from([0xc0, 12])]), 12)).toThrow(/does not point backwards/);
    expect(() => readName(Buffer.concat([header(0), Buffer.from([0xc0, 14, 1, 0x61, 0])]), 12)).toThrow(DnsWireError);
    // Backwards pointers are followed: "b" then a pointer to "a" at 12.
    const ok = Buffer.concat([header(0), Buffer.from([1, 0x61, 0, 1, 0x62, 0xc0, 12])]);
    expect(readName(ok, 15)).toEqual({ name: 'b.a', next: 19 });
  });

  test('labels with dots, backslashes and unprintable bytes are escaped as zone files write them', () => {
    const msg = Buffer.concat([header(0), Buffer.from([3, 0x61, 0x2e, 0x5c, 2, 0x00, 0x7f, 0])]);
    expect(readName(msg, 12).name).toBe('a\\.\\\\.\\000\\127');
  });

  test('records that run past the message, or whose data does not fit their type, are errors', () => {
    const txt = response('a.test', 'TXT', [{ type: 'TXT', name: 'a.test', data: ['hello'] }]);
    expect(() => decodeMessage(txt.subarray(0, txt.length - 2))).toThrow(DnsWireError);
    const a = decodeMessage(response('a.test', 'TXT', [{ type: 'TXT', name: 'a.test', data: ['hello'] }]));
    expect(() => readA(a, a.answers[0])).toThrow(/4 expected/);
    expect(() => readAaaa(a, a.answers[0])).toThrow(/16 expected/);
    expect(() => readMx(a, { ...a.answers[0], dataLength: 2 })).toThrow(DnsWireError);
  });

  test('any bytes at all: a message or a DnsWireError, and every record read the same way', () => {
    fc.assert(fc.property(bytes(600), (b) => {
      try {
        const msg = decodeMessage(b);
        for (const r of msg.answers) {
          for (const read of [readTxt, readMx, readA, readAaaa, readCaa]) {
            try {
              read(msg, r);
            } catch (err) {
              expect(err).toBeInstanceOf(DnsWireError);
            }
          }
        }
      } catch (err) {
        expect(err).toBeInstanceOf(DnsWireError);
      }
    }), { numRuns: 3000 });
  });

  test('mutations of a real answer: a message or a DnsWireError', () => {
    const base = response('sel._domainkey.a.test', 'TXT', [
      { type: 'CNAME', name: 'sel._domainkey.a.test', data: 'key.a.test' },
      { type: 'TXT', name: 'key.a.test', data: ['v=DKIM1; k=rsa; p=MIIBIjANBgkqh'] },
      { type: 'MX', name: 'a.test', data: { preference: 10, exchange: 'mx.a.test' } },
    ]);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
      const b = Buffer.from(base);
      for (const [at, value] of edits) b[at] = value;
      try {
        const msg = decodeMessage(b);
        answersFor(msg, 'sel._domainkey.a.test', RR_TYPE.TXT).forEach((r) => {
          try {
            readTxt(msg, r);
          } catch (err) {
            expect(err).toBeInstanceOf(DnsWireError);
          }
        });
      } catch (err) {
        expect(err).toBeInstanceOf(DnsWireError);
      }
    }), { numRuns: 3000 });
  });
});
