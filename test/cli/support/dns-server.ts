/**
 * A small authoritative DNS server for tests and the benchmark: UDP and TCP on 127.0.0.1, one
 * random port for both (as resolvers expect), built on dns-packet.
 *
 * It holds a zone in memory and answers as an authoritative server would: NXDOMAIN for names
 * that do not exist, an empty NOERROR answer for a name that exists without the type asked for
 * (and for empty non-terminals), CNAMEs followed within the zone, `*.` wildcards (RFC 4592) for
 * names that do not exist, and truncation (TC) over UDP when the answer does not fit, so the
 * resolver retries over TCP. Names can be set to answer SERVFAIL or REFUSED, or to answer late.
 * Every query is counted, so tests can see what the resolver asked.
 */
// DNS header flags and RCODEs are bit fields.
/* eslint-disable no-bitwise */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as dnsPacket from 'dns-packet';

/** The records and behaviour of one name. */
export interface TestRecordSet {
  /** TXT records; each is one string or several character-strings. */
  readonly TXT?: Array<string | string[]>;
  /** MX records as [preference, exchange]; exchange "." (or "") is a null MX. */
  readonly MX?: Array<[number, string]>;
  readonly A?: string[];
  readonly AAAA?: string[];
  /** CAA records. */
  readonly CAA?: Array<{ flags?: number; tag: 'issue' | 'issuewild' | 'iodef'; value: string }>;
  /** A CNAME: every other type is answered by following it (within this zone). */
  readonly CNAME?: string;
  /** Answer every query for this name with SERVFAIL. */
  readonly servfail?: boolean;
  /** Answer every query for this name with REFUSED. */
  readonly refused?: boolean;
  /** Answer after this many milliseconds. */
  readonly delayMs?: number;
  /** Never answer. */
  readonly silent?: boolean;
}

/** Names (lower case, no trailing dot; `*.` for a wildcard) and what they hold. */
export type TestZone = Record<string, TestRecordSet>;

export interface DnsQueryLogEntry {
  readonly name: string;
  readonly type: string;
  readonly transport: 'udp' | 'tcp';
}

const TTL = 300;
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

export class TestDnsServer {
  /** Start a server holding the zone on 127.0.0.1 and a random port (UDP and TCP). */
  public static async start(zone: TestZone): Promise<TestDnsServer> {
    const server = new TestDnsServer(zone);
    await server.listen();
    return server;
  }

  public readonly queries: DnsQueryLogEntry[] = [];
  /** Added to every answer, in milliseconds: the round trip to a resolver further away. */
  public latencyMs = 0;
  private zone = new Map<string, TestRecordSet>();
  private ancestors = new Set<string>();
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private portNumber = 0;

  private constructor(zone: TestZone) {
    this.setZone(zone);
  }

  /** The port both UDP and TCP listen on. */
  public get port(): number {
    return this.portNumber;
  }

  /** `127.0.0.1:<port>`, as `--resolver` takes it. */
  public get address(): string {
    return `127.0.0.1:${this.portNumber}`;
  }

  /** Replace the zone. */
  public setZone(zone: TestZone): void {
    this.zone = new Map(Object.entries(zone).map(([k, v]) => [normalise(k), v]));
    // Every name above a name in the zone exists (an empty non-terminal if nothing else).
    this.ancestors = new Set();
    for (const name of this.zone.keys()) {
      if (name.startsWith('*.')) continue;
      for (let n = name; n.includes('.');) {
        n = n.slice(n.indexOf('.') + 1);
        this.ancestors.add(n);
      }
    }
  }

  /** How many queries were received for a name (and type, when given). */
  public count(name: string, type?: string): number {
    const n = normalise(name);
    return this.queries.filter((q) => q.name === n && (type === undefined || q.type === type)).length;
  }

  public resetLog(): void {
    this.queries.length = 0;
  }

  public async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    await Promise.all([
      new Promise<void>((resolve) => (this.udp ? this.udp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve())),
    ]);
  }

  private async listen(): Promise<void> {
    // UDP first on a random port, then TCP on the same number; retry if TCP's is taken.
    for (let attempt = 0; attempt < 20; attempt++) {
      // A large receive buffer, as a real server has, so a burst of queries is not dropped.
      const udp = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(0, '127.0.0.1', () => resolve());
      });
      const port = udp.address().port;
      const tcp = net.createServer((socket) => this.onTcp(socket));
      const ok = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (!ok) {
        udp.close();
        continue;
      }
      udp.on('message', (msg, rinfo) => this.onUdp(udp, msg, rinfo));
      this.udp = udp;
      this.tcp = tcp;
      this.portNumber = port;
      return;
    }
    throw new Error('could not bind a UDP and TCP port pair for the test DNS server');
  }

  private onUdp(udp: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const opt = (query.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const limit = Math.max(512, opt?.udpPayloadSize ?? 512);
    this.answer(query, 'udp', (response) => {
      let buf = dnsPacket.encode(response);
      if (buf.length > limit) {
        buf = dnsPacket.encode({ ...response, flags: (response.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [] });
      }
      udp.send(buf, rinfo.port, rinfo.address);
    });
  }

  private onTcp(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        let query: dnsPacket.DecodedPacket;
        try {
          query = dnsPacket.decode(msg);
        } catch {
          socket.destroy();
          return;
        }
        this.answer(query, 'tcp', (response) => {
          if (!socket.destroyed) socket.write(dnsPacket.streamEncode(response));
        });
      }
    });
  }

  private answer(query: dnsPacket.DecodedPacket, transport: 'udp' | 'tcp', send: (p: dnsPacket.Packet) => void): void {
    const q = query.questions?.[0];
    if (q === undefined) return;
    const name = normalise(q.name);
    this.queries.push({ name, type: q.type, transport });
    // SERVFAIL, REFUSED, delays and silence hold for the name and everything under it, as they
    // do when a zone's servers are broken or slow.
    const behaviour = this.behaviourOf(name);
    const base: dnsPacket.Packet = {
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0),
      questions: [q],
      answers: [],
    };
    const respond = (p: dnsPacket.Packet) => {
      if (behaviour.silent) return;
      const delay = (behaviour.delayMs ?? 0) + this.latencyMs;
      if (delay > 0) {
        const t = setTimeout(() => {
          this.timers.delete(t);
          send(p);
        }, delay);
        this.timers.add(t);
      } else {
        send(p);
      }
    };
    if (behaviour.servfail) return respond({ ...base, flags: base.flags! | RCODE.SERVFAIL });
    if (behaviour.refused) return respond({ ...base, flags: base.flags! | RCODE.REFUSED });
    const { answers, rcode } = this.lookup(name, q.type, q.name, 0);
    respond({ ...base, flags: base.flags! | rcode, answers });
  }

  private lookup(name: string, type: string, ownerAsAsked: string, depth: number): { answers: dnsPacket.Answer[]; rcode: number } {
    let set = this.zone.get(name);
    if (set === undefined) {
      if (this.hasDescendant(name)) return { answers: [], rcode: RCODE.NOERROR };
      const wildcard = this.zone.get(`*.${name.slice(name.indexOf('.') + 1)}`);
      if (wildcard === undefined || name.indexOf('.') < 0) return { answers: [], rcode: RCODE.NXDOMAIN };
      set = wildcard;
    }
    if (set.CNAME !== undefined && type !== 'CNAME') {
      const target = normalise(set.CNAME);
      const cname: dnsPacket.Answer = { type: 'CNAME', name: ownerAsAsked, ttl: TTL, data: target };
      if (depth > 8 || !this.zone.has(target)) return { answers: [cname], rcode: RCODE.NOERROR };
      const rest = this.lookup(target, type, target, depth + 1);
      return { answers: [cname, ...rest.answers], rcode: rest.rcode };
    }
    return { answers: recordsOf(set, type, ownerAsAsked), rcode: RCODE.NOERROR };
  }

  private behaviourOf(name: string): TestRecordSet {
    for (let n = name; ; n = n.slice(n.indexOf('.') + 1)) {
      const set = this.zone.get(n);
      if (set !== undefined && (set.servfail || set.refused || set.silent || set.delayMs)) return set;
      if (n.indexOf('.') < 0) return {};
    }
  }

  private hasDescendant(name: string): boolean {
    return this.ancestors.has(name);
  }
}

function recordsOf(set: TestRecordSet, type: string, owner: string): dnsPacket.Answer[] {
  const base = { name: owner, ttl: TTL };
  switch (type) {
    case 'TXT':
      return (set.TXT ?? []).map((t) => ({ ...base, type: 'TXT', data: (Array.isArray(t) ? t : [t]).map((s) => Buffer.from(s, 'utf8')) }));
    case 'MX':
      return (set.MX ?? []).map(([preference, exchange]) => ({ ...base, type: 'MX', data: { preference, exchange: exchange === '.' ? '' : exchange } }));
    case 'A':
      return (set.A ?? []).map((a) => ({ ...base, type: 'A', data: a }));
    case 'AAAA':
      return (set.AAAA ?? []).map((a) => ({ ...base, type: 'AAAA', data: a }));
    case 'CAA':
      return (set.CAA ?? []).map((c) => ({ ...base, type: 'CAA', data: { flags: c.flags ?? 0, tag: c.tag, value: c.value } }));
    case 'CNAME':
      return set.CNAME === undefined ? [] : [{ ...base, type: 'CNAME', data: normalise(set.CNAME) }];
    default:
      return [];
  }
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
