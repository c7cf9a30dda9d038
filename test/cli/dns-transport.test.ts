/**
 * How `gov-email check` talks to DNS servers (src/cli/check/dns-transport.ts, through
 * DnsClient): EDNS(0) so that a DKIM key comes back in one datagram, TCP for what is still
 * truncated, the plain query for a server that does not speak EDNS, the next server after a
 * silent or failing one, and answers that are not answers to the question ignored or refused.
 * Against servers on 127.0.0.1 started here: Knot DNS, the test DNS server, and scripted UDP and
 * TCP servers that misbehave on purpose.
 */
import * as dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { TestDnsServer } from './support/dns-server';
import { Knotd } from './support/knotd';
import { rsaPublicKey, txtStrings } from './support/zones';
import { DnsClient } from '../../src/cli/check/dns';
import { parseServer } from '../../src/cli/check/dns-transport';

jest.setTimeout(60_000);

/** A UDP (and, if asked, TCP) server on one port that answers as `reply` says. */
class ScriptedServer {
  public static async start(
    udpReply: (query: dnsPacket.DecodedPacket, raw: Buffer) => Buffer | Buffer[] | undefined,
    tcpReply?: (query: dnsPacket.DecodedPacket, socket: net.Socket) => void,
  ): Promise<ScriptedServer> {
    for (;;) {
      const udp = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
      const port = udp.address().port;
      const server = new ScriptedServer(udp, port);
      udp.on('message', (raw, rinfo) => {
        const query = dnsPacket.decode(raw);
        server.queries.push({ query, transport: 'udp' });
        const out = udpReply(query, raw);
        for (const b of out === undefined ? [] : Array.isArray(out) ? out : [out]) udp.send(b, rinfo.port, rinfo.address);
      });
      if (tcpReply === undefined) return server;
      const tcp = net.createServer((socket) => {
        server.sockets.add(socket);
        socket.on('close', () => server.sockets.delete(socket));
        socket.on('error', () => undefined);
        socket.once('data', (chunk: Buffer) => {
          const query = dnsPacket.decode(chunk.subarray(2));
          server.queries.push({ query, transport: 'tcp' });
          tcpReply(query, socket);
        });
      });
      const listening = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (listening) {
        server.tcp = tcp;
        return server;
      }
      udp.close();
    }
  }

  public readonly queries: Array<{ query: dnsPacket.DecodedPacket; transport: 'udp' | 'tcp' }> = [];
  public tcp?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private constructor(private readonly udp: dgram.Socket, public readonly port: number) {}

  public get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  public async stop(): Promise<void> {
    this.udp.close();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
  }
}

function answer(query: dnsPacket.DecodedPacket, answers: dnsPacket.Answer[], extra: Partial<dnsPacket.Packet> = {}): Buffer {
  return dnsPacket.encode({ type: 'response', id: query.id, flags: dnsPacket.RECURSION_AVAILABLE, questions: query.questions, answers, ...extra });
}

function optOf(query: dnsPacket.DecodedPacket): { udpPayloadSize: number } | undefined {
  return (query.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize: number } | undefined;
}

async function withClient<T>(servers: string[], timeoutMs: number, run: (dns: DnsClient) => Promise<T>): Promise<T> {
  const dns = new DnsClient({ servers, timeoutMs });
  try {
    return await run(dns);
  } finally {
    dns.close();
  }
}

describe('against Knot DNS', () => {
  const key2048 = rsaPublicKey(2048);
  const key4096 = rsaPublicKey(4096);
  let knotd: Knotd;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dns-transport-'));
    const zone = join(dir, 'transport.test.zone');
    const txt = (strings: string[]) => strings.map((s) => `"${s}"`).join(' ');
    writeFileSync(zone, [
      '$ORIGIN transport.test.',
      '$TTL 300',
      '@ SOA ns.transport.test. hostmaster.transport.test. 1 3600 600 86400 300',
      '@ NS ns',
      'ns A 192.0.2.53',
      '@ MX 10 mx1',
      '@ MX 20 MX2.Transport.test.',
      '@ TXT "v=spf1 -all"',
      `sel2048._domainkey TXT ${txt(txtStrings(`v=DKIM1; k=rsa; p=${key2048}`))}`,
      `sel4096._domainkey TXT ${txt(txtStrings(`v=DKIM1; k=rsa; p=${key4096}`))}`,
      // Three 4096-bit keys under one name: about 2.2 KB, more than any UDP answer carries here.
      ...[1, 2, 3].map(() => `big TXT ${txt(txtStrings(`v=DKIM1; k=rsa; p=${key4096}`))}`),
      'alias CNAME sel2048._domainkey',
      'v6 AAAA 2001:db8::25',
      '@ CAA 0 issue "amazon.com"',
      '',
    ].join('\n'));
    knotd = await Knotd.start(dir, [{ zone: 'transport.test', file: zone }]);
  });
  afterAll(async () => {
    await knotd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a 2048-bit and a 4096-bit DKIM key, each in one UDP answer (EDNS(0)); three 4096-bit keys truncated and read whole over TCP', async () => {
    await withClient([knotd.address], 2000, async (dns) => {
      expect(await dns.txt('sel2048._domainkey.transport.test')).toEqual({ outcome: 'ok', records: [txtStrings(`v=DKIM1; k=rsa; p=${key2048}`)] });
      expect(await dns.txt('sel4096._domainkey.transport.test')).toEqual({ outcome: 'ok', records: [txtStrings(`v=DKIM1; k=rsa; p=${key4096}`)] });
      const big = await dns.txt('big.transport.test');
      expect(big.outcome).toBe('ok');
      // Knot holds one copy of identical records.
      expect(big.records).toEqual([txtStrings(`v=DKIM1; k=rsa; p=${key4096}`)]);
    });
  });

  test('MX, A through CNAME, AAAA, CAA, NODATA and NXDOMAIN as Knot answers them', async () => {
    await withClient([knotd.address], 2000, async (dns) => {
      expect((await dns.mx('transport.test')).records).toEqual([{ priority: 10, exchange: 'mx1.transport.test' }, { priority: 20, exchange: 'mx2.transport.test' }]);
      expect((await dns.txt('alias.transport.test')).records).toEqual([txtStrings(`v=DKIM1; k=rsa; p=${key2048}`)]);
      expect(await dns.aaaa('v6.transport.test')).toEqual({ outcome: 'ok', records: ['2001:db8::25'] });
      expect(await dns.caa('transport.test')).toEqual({ outcome: 'ok', records: [{ flags: 0, tag: 'issue', value: 'amazon.com' }] });
      expect((await dns.a('v6.transport.test')).outcome).toBe('nodata');
      expect((await dns.txt('missing.transport.test')).outcome).toBe('nxdomain');
      // Not Knot's zone: it refuses.
      expect(await dns.txt('elsewhere.test')).toMatchObject({ outcome: 'failed', code: 'EREFUSED' });
    });
  });
});

describe('the test DNS server: what goes over UDP and what over TCP', () => {
  test('a DKIM key of 2048 bits arrives over UDP; an answer larger than 1232 octets is asked again over TCP', async () => {
    const key = rsaPublicKey(2048);
    const server = await TestDnsServer.start({
      'sel._domainkey.a.test': { TXT: [txtStrings(`v=DKIM1; k=rsa; p=${key}`)] },
      'big.a.test': { TXT: [txtStrings('x'.repeat(1400))] },
    });
    try {
      await withClient([server.address], 2000, async (dns) => {
        expect((await dns.txt('sel._domainkey.a.test')).outcome).toBe('ok');
        expect((await dns.txt('big.a.test')).records).toEqual([txtStrings('x'.repeat(1400))]);
      });
      expect(server.queries.map((q) => `${q.name} ${q.transport}`)).toEqual(['sel._domainkey.a.test udp', 'big.a.test udp', 'big.a.test tcp']);
    } finally {
      await server.stop();
    }
  });
});

describe('servers that misbehave', () => {
  const txtAnswer = (q: dnsPacket.DecodedPacket, text: string) => answer(q, [{ type: 'TXT', name: q.questions![0].name, data: [text] }]);

  test('queries carry EDNS(0) with a 1232-octet payload; a server answering FORMERR to it is asked the plain way', async () => {
    const server = await ScriptedServer.start((q) => (optOf(q) !== undefined
      ? answer(q, [], { flags: 1 })
      : txtAnswer(q, 'plain')));
    try {
      expect(await withClient([server.address], 2000, (dns) => dns.txt('a.test'))).toEqual({ outcome: 'ok', records: [['plain']] });
      expect(server.queries.map((q) => optOf(q.query)?.udpPayloadSize ?? 'none')).toEqual([1232, 'none']);
    } finally {
      await server.stop();
    }
  });

  test('a silent server is skipped for the next one; a datagram sent again when none answers', async () => {
    const silent = await ScriptedServer.start(() => undefined);
    const good = await ScriptedServer.start((q) => txtAnswer(q, 'from the second'));
    try {
      expect(await withClient([silent.address, good.address], 1000, (dns) => dns.txt('a.test'))).toEqual({ outcome: 'ok', records: [['from the second']] });
      const timedOut = await withClient([silent.address], 600, (dns) => dns.txt('b.test'));
      expect(timedOut).toEqual({ outcome: 'timeout', records: [], code: 'ETIMEOUT' });
      // 600 ms allowed, 300 ms a try: the question went out twice.
      expect(silent.queries.filter((q) => q.query.questions![0].name === 'b.test')).toHaveLength(2);
    } finally {
      await Promise.all([silent.stop(), good.stop()]);
    }
  });

  test('SERVFAIL from the first server: the second is asked; from the only one: servfail', async () => {
    const failing = await ScriptedServer.start((q) => answer(q, [], { flags: 2 }));
    const good = await ScriptedServer.start((q) => txtAnswer(q, 'ok'));
    try {
      expect((await withClient([failing.address, good.address], 1000, (dns) => dns.txt('a.test'))).records).toEqual([['ok']]);
      expect(await withClient([failing.address], 1000, (dns) => dns.txt('a.test'))).toEqual({ outcome: 'servfail', records: [], code: 'ESERVFAIL' });
    } finally {
      await Promise.all([failing.stop(), good.stop()]);
    }
  });

  test('answers to another question or with another id are ignored, and the real answer taken', async () => {
    const server = await ScriptedServer.start((q) => [
      answer({ ...q, id: (q.id! + 1) % 65536 }, [{ type: 'TXT', name: 'a.test', data: ['wrong id'] }]),
      dnsPacket.encode({ type: 'response', id: q.id, questions: [{ name: 'other.test', type: 'TXT' }], answers: [{ type: 'TXT', name: 'other.test', data: ['forged'] }] }),
      dnsPacket.encode({ type: 'query', id: q.id, questions: q.questions }),
      txtAnswer(q, 'real'),
    ]);
    try {
      expect(await withClient([server.address], 1000, (dns) => dns.txt('a.test'))).toEqual({ outcome: 'ok', records: [['real']] });
    } finally {
      await server.stop();
    }
  });

  test('a malformed answer, and one whose names loop, are failures (EBADRESP), not crashes', async () => {
    const server = await ScriptedServer.start((q, raw) => {
      const name = q.questions![0].name;
      if (name === 'short.test') return raw.subarray(0, 8);
      const good = txtAnswer(q, 'x');
      if (name === 'cut.test') return Buffer.concat([good.subarray(0, good.length - 3)]).fill(0x80, 2, 3);
      // The answer's owner name is a pointer to itself.
      const headerAndQuestion = raw.length - 11;
      const pointer = Buffer.from([0xc0, headerAndQuestion, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0]);
      const looped = Buffer.concat([raw.subarray(0, headerAndQuestion), pointer]);
      looped.writeUInt16BE(0x8180, 2);
      looped.writeUInt16BE(1, 6);
      looped.writeUInt16BE(0, 10);
      return looped;
    });
    try {
      await withClient([server.address], 600, async (dns) => {
        expect(await dns.txt('short.test')).toMatchObject({ outcome: 'timeout' });
        expect(await dns.txt('cut.test')).toEqual({ outcome: 'failed', records: [], code: 'EBADRESP' });
        expect(await dns.txt('loop.test')).toEqual({ outcome: 'failed', records: [], code: 'EBADRESP' });
      });
    } finally {
      await server.stop();
    }
  });

  test('truncated over UDP, then over TCP: a connection closed mid-answer, an answer that never completes, a giant answer', async () => {
    const server = await ScriptedServer.start(
      (q) => answer(q, [], { flags: dnsPacket.TRUNCATED_RESPONSE }),
      (q, socket) => {
        const name = q.questions![0].name;
        const full = dnsPacket.streamEncode({
          type: 'response',
          id: q.id,
          questions: q.questions,
          answers: Array.from({ length: 200 }, (_, i) => ({ type: 'TXT' as const, name, data: [`record ${i} ${'y'.repeat(240)}`] })),
        });
        if (name === 'closed.test') socket.end(full.subarray(0, 100));
        else if (name === 'stalled.test') socket.write(full.subarray(0, 100));
        else socket.write(full);
      });
    try {
      await withClient([server.address], 800, async (dns) => {
        expect(await dns.txt('closed.test')).toEqual({ outcome: 'failed', records: [], code: 'ECONNRESET' });
        expect(await dns.txt('stalled.test')).toEqual({ outcome: 'timeout', records: [], code: 'ETIMEOUT' });
        const giant = await dns.txt('giant.test');
        expect(giant.outcome).toBe('ok');
        expect(giant.records).toHaveLength(200);
      });
    } finally {
      await server.stop();
    }
  });

  test('a closed port: every query fails as refused, none is left to time out', async () => {
    const closed = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => closed.bind(0, '127.0.0.1', () => resolve()));
    const port = closed.address().port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const results = await withClient([`127.0.0.1:${port}`], 2000, (dns) => Promise.all('abcdefghijkl'.split('').map((l) => dns.txt(`${l}.test`))));
    expect(results.map((r) => r.code)).toEqual(Array(12).fill('ECONNREFUSED'));
  });

  test('close() ends every query still waiting at once', async () => {
    const silent = await ScriptedServer.start(() => undefined);
    const dns = new DnsClient({ servers: [silent.address], timeoutMs: 30_000 });
    try {
      const waiting = Promise.all([dns.txt('a.test'), dns.mx('a.test')]);
      await new Promise((r) => setTimeout(r, 50));
      dns.close();
      const results = await waiting;
      expect(results.map((r) => r.outcome)).toEqual(['failed', 'failed']);
    } finally {
      await silent.stop();
    }
  });

  test('a name that cannot be sent fails without a query', async () => {
    const server = await ScriptedServer.start((q) => txtAnswer(q, 'x'));
    try {
      expect(await withClient([server.address], 500, (dns) => dns.txt(`${'a'.repeat(64)}.test`))).toEqual({ outcome: 'failed', records: [], code: 'EBADNAME' });
      expect(server.queries).toHaveLength(0);
    } finally {
      await server.stop();
    }
  });
});

describe('server addresses', () => {
  test.each([
    ['192.0.2.53', { address: '192.0.2.53', port: 53, family: 4 }],
    ['192.0.2.53:5353', { address: '192.0.2.53', port: 5353, family: 4 }],
    ['[2001:db8::53]:53', { address: '2001:db8::53', port: 53, family: 6 }],
    ['2001:db8::53', { address: '2001:db8::53', port: 53, family: 6 }],
    ['[::1]', { address: '::1', port: 53, family: 6 }],
  ])('%s', (text, expected) => {
    expect(parseServer(text)).toEqual(expected);
  });

  test.each(['dns.example', '192.0.2.53:0', '192.0.2.53:70000', '[2001:db8::53', '300.1.1.1', ''])('refused: "%s"', (text) => {
    expect(() => parseServer(text)).toThrow();
  });
});
