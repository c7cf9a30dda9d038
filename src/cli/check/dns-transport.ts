/**
 * Sends DNS queries and brings back the answers: UDP with EDNS(0) first, TCP when the answer is
 * truncated, retransmission after a silent try, the next server when one fails, a plain query
 * when a server does not understand EDNS(0), and a hard deadline on all of it.
 *
 * One connected UDP socket per server: the kernel delivers only datagrams from that server's
 * address and port, and an answer is taken only if it carries the query's id and question.
 */
import * as dgram from 'node:dgram';
import { getServers } from 'node:dns';
import { isIP } from 'node:net';
import * as net from 'node:net';
import {
  DnsMessage, DnsWireError, EDNS_UDP_PAYLOAD_SIZE, MAX_MESSAGE_BYTES, QueryOptions, RCODE, decodeMessage, encodeQuery,
} from './dns-wire';

/** A DNS server to ask. */
export interface DnsServer {
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

/**
 * Read a server as `--resolver` takes it: an IPv4 address, an IPv6 address, either with a port
 * (`192.0.2.53:5353`, `[2001:db8::53]:53`). @throws Error naming what is wrong
 */
export function parseServer(text: string): DnsServer {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4 = /^([\d.]+)(?::(\d+))?$/.exec(text);
  let address: string;
  let portText: string | undefined;
  if (bracketed !== null) [, address, portText] = bracketed;
  else if (v4 !== null) [, address, portText] = v4;
  else [address, portText] = [text, undefined];
  const family = isIP(address);
  if (family === 0) throw new Error(`"${text}" is not an IP address`);
  const port = portText === undefined ? 53 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`"${text}" has a port outside 1 to 65535`);
  return { address, port, family: family as 4 | 6 };
}

/** The system's resolvers (from /etc/resolv.conf on Linux), or 127.0.0.1 when none is set. */
export function systemServers(): DnsServer[] {
  const servers = getServers().flatMap((s) => {
    try {
      return [parseServer(s)];
    } catch {
      return [];
    }
  });
  return servers.length > 0 ? servers : [{ address: '127.0.0.1', port: 53, family: 4 }];
}

/** `host` or `host:port` as Node's resolver prints a server. */
export function serverText(s: DnsServer): string {
  if (s.port === 53) return s.address;
  return s.family === 6 ? `[${s.address}]:${s.port}` : `${s.address}:${s.port}`;
}

/** How an exchange ended: an answer to use, or a failure code as Node's resolver names them. */
export type Exchange =
  | { readonly kind: 'answer'; readonly message: DnsMessage }
  | { readonly kind: 'failed'; readonly code: string };

export interface TransportOptions {
  readonly servers: DnsServer[];
  /** Wait this long for an answer to one UDP datagram before sending it again (or to the next server). */
  readonly perTryMs: number;
  /** UDP sends per query, at most. */
  readonly tries: number;
}

interface Waiter {
  readonly name: string;
  readonly type: number;
  readonly settle: (e: Exchange | undefined) => void;
}

/** One server's connected UDP socket and the queries waiting on it, by id. */
class UdpChannel {
  private readonly socket: dgram.Socket;
  private readonly ready: Promise<string | undefined>;
  private readonly waiting = new Map<number, Waiter>();
  /** The error that broke the socket: every later send fails with it. */
  private broken?: string;
  /** Undefined until the socket is connected (or failed to): then true, or the error code. */
  private connected?: true | string;

  constructor(readonly server: DnsServer, private readonly onBroken: (code: string) => void) {
    this.socket = dgram.createSocket({ type: server.family === 6 ? 'udp6' : 'udp4' });
    this.socket.unref();
    this.ready = new Promise<string | undefined>((resolvePromise) => {
      const resolve = (code: string | undefined) => {
        this.connected ??= code ?? true;
        resolvePromise(code);
      };
      this.socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'ECONNREFUSED'));
      this.socket.connect(server.port, server.address, () => {
        // Room for a burst of answers: ones that do not fit are lost and cost a retransmission.
        try {
          this.socket.setRecvBufferSize(4 * 1024 * 1024);
        } catch {
          // The kernel's limit applies.
        }
        resolve(undefined);
      });
    });
    this.socket.on('message', (bytes) => this.onMessage(bytes));
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.fail(err.code ?? 'ECONNREFUSED'));
  }

  /**
   * Send one datagram once the socket is connected; `waiter.settle` gets the answer (or undefined
   * if the id is dropped unanswered), `failed` the error code when it cannot be sent.
   */
  public send(query: Buffer, id: number, waiter: Waiter, failed: (code: string) => void): void {
    if (this.connected === undefined) {
      void this.ready.then(() => this.send(query, id, waiter, failed));
      return;
    }
    const broken = this.connected === true ? this.broken : this.connected;
    if (broken !== undefined) {
      failed(broken);
      return;
    }
    this.waiting.set(id, waiter);
    try {
      this.socket.send(query, (err) => {
        if (!err) return;
        // A refusal (ICMP port unreachable) reaches whichever call on the socket comes next, not
        // the query it answered: it says the server refuses them all.
        const code = (err as NodeJS.ErrnoException).code ?? 'ECONNREFUSED';
        this.fail(code);
        failed(code);
      });
    } catch {
      // The socket was closed (the run is over): nothing more is sent on it.
      this.waiting.delete(id);
      failed('ECANCELLED');
    }
  }

  public hasId(id: number): boolean {
    return this.waiting.has(id);
  }

  public drop(id: number): void {
    this.waiting.delete(id);
  }

  public close(): void {
    for (const w of this.waiting.values()) w.settle(undefined);
    this.waiting.clear();
    try {
      this.socket.close();
    } catch {
      // Already closed.
    }
  }

  private onMessage(bytes: Buffer): void {
    if (bytes.length < 12) return;
    const id = bytes.readUInt16BE(0);
    const waiter = this.waiting.get(id);
    if (waiter === undefined) return;
    let message: DnsMessage;
    try {
      message = decodeMessage(bytes);
    } catch (err) {
      if (!(err instanceof DnsWireError)) throw err;
      this.waiting.delete(id);
      waiter.settle({ kind: 'failed', code: 'EBADRESP' });
      return;
    }
    // Not an answer to this question: ignore it, as a late or forged datagram.
    if (!message.response || !answers(message, waiter.name, waiter.type)) return;
    this.waiting.delete(id);
    waiter.settle({ kind: 'answer', message });
  }

  private fail(code: string): void {
    this.broken = code;
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiters) w.settle({ kind: 'failed', code });
    this.onBroken(code);
  }
}

/** Recursion desired, the AD bit (so a validating resolver says what it validated), EDNS(0) unless refused. */
function queryOptions(edns: boolean): QueryOptions {
  return { recursionDesired: true, authenticatedData: true, ednsUdpPayloadSize: edns ? EDNS_UDP_PAYLOAD_SIZE : undefined };
}

function answers(message: DnsMessage, name: string, type: number): boolean {
  const q = message.question;
  return q !== undefined && q.type === type && q.name.toLowerCase() === name.toLowerCase();
}

/** Sends queries to the configured servers. `close()` abandons everything outstanding. */
export class DnsTransport {
  private readonly channels = new Map<DnsServer, UdpChannel>();
  private readonly tcpSockets = new Set<net.Socket>();
  /**
   * Servers that refused a datagram (ICMP port unreachable): asked no more in this run. Several
   * refusals can reach the socket as one error, so waiting for each query's own would only turn
   * the rest into timeouts.
   */
  private readonly refused = new Set<DnsServer>();
  private closed = false;

  constructor(private readonly options: TransportOptions) {}

  /**
   * Ask for `type` at `name` until `deadline` (ms since the epoch). Resolves with the answer to
   * use (whatever its RCODE) or a failure code (`ETIMEOUT`, `EBADRESP`, `ECONNREFUSED`, …).
   */
  public async query(name: string, type: number, deadline: number): Promise<Exchange> {
    let edns = true;
    let last: Exchange = { kind: 'failed', code: 'ETIMEOUT' };
    const servers = this.options.servers;
    for (let attempt = 0, serverIndex = 0; attempt < this.options.tries && !this.closed; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const server = servers[serverIndex % servers.length];
      const result = await this.udp(server, name, type, edns, Math.min(this.options.perTryMs, remaining));
      if (result === undefined) {
        // Silence: send again, to the next server if there is one.
        serverIndex++;
        continue;
      }
      if (result.kind === 'failed') {
        last = result;
        serverIndex++;
        continue;
      }
      let message = result.message;
      if (edns && !message.edns && (message.rcode === RCODE.FORMERR || message.rcode === RCODE.NOTIMP || message.rcode === RCODE.BADVERS)) {
        // A server that does not speak EDNS(0) (RFC 6891 §7): ask it the plain way, once.
        edns = false;
        attempt--;
        continue;
      }
      if (message.truncated) {
        const tcp = await this.tcp(server, name, type, edns, deadline);
        if (tcp.kind === 'failed') return tcp;
        message = tcp.message;
      }
      if ((message.rcode === RCODE.SERVFAIL || message.rcode === RCODE.REFUSED || message.rcode === RCODE.NOTIMP)
        && serverIndex + 1 < servers.length) {
        // This server cannot answer; another may.
        last = { kind: 'answer', message };
        serverIndex++;
        continue;
      }
      return { kind: 'answer', message };
    }
    return this.closed ? { kind: 'failed', code: 'ECANCELLED' } : last;
  }

  /** Abandon every query outstanding and release the sockets. */
  public close(): void {
    this.closed = true;
    for (const c of this.channels.values()) c.close();
    this.channels.clear();
    for (const s of this.tcpSockets) s.destroy();
    this.tcpSockets.clear();
  }

  private channel(server: DnsServer): UdpChannel {
    let c = this.channels.get(server);
    if (c === undefined) {
      const created = new UdpChannel(server, (code) => {
        if (code === 'ECONNREFUSED') this.refused.add(server);
        if (this.channels.get(server) === created) this.channels.delete(server);
      });
      c = created;
      this.channels.set(server, c);
    }
    return c;
  }

  /** One UDP datagram and its answer; undefined when none came within `waitMs`. */
  private udp(server: DnsServer, name: string, type: number, edns: boolean, waitMs: number): Promise<Exchange | undefined> {
    if (this.refused.has(server)) return Promise.resolve({ kind: 'failed', code: 'ECONNREFUSED' });
    const channel = this.channel(server);
    let id: number;
    do id = Math.floor(Math.random() * 0x10000); while (channel.hasId(id));
    let query: Buffer;
    try {
      query = encodeQuery(id, name, type, queryOptions(edns));
    } catch (err) {
      if (!(err instanceof DnsWireError)) throw err;
      return Promise.resolve({ kind: 'failed', code: 'EBADNAME' });
    }
    return new Promise((resolve) => {
      let done = false;
      const settle = (e: Exchange | undefined) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        channel.drop(id);
        resolve(e);
      };
      const timer = setTimeout(() => settle(undefined), waitMs);
      channel.send(query, id, { name, type, settle }, (code) => settle({ kind: 'failed', code }));
    });
  }

  /** The same question over TCP (RFC 7766), for an answer that did not fit in UDP. */
  private tcp(server: DnsServer, name: string, type: number, edns: boolean, deadline: number): Promise<Exchange> {
    const id = Math.floor(Math.random() * 0x10000);
    const query = encodeQuery(id, name, type, queryOptions(edns));
    return new Promise((resolve) => {
      const socket = net.connect({ host: server.address, port: server.port });
      this.tcpSockets.add(socket);
      let done = false;
      const finish = (e: Exchange) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.tcpSockets.delete(socket);
        socket.destroy();
        resolve(e);
      };
      const timer = setTimeout(() => finish({ kind: 'failed', code: 'ETIMEOUT' }), Math.max(0, deadline - Date.now()));
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length, 0);
      socket.on('connect', () => socket.write(Buffer.concat([prefix, query])));
      let received = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length < 2) return;
        const length = received.readUInt16BE(0);
        if (received.length < 2 + length) return;
        if (received.length > 2 + MAX_MESSAGE_BYTES) return finish({ kind: 'failed', code: 'EBADRESP' });
        try {
          const message = decodeMessage(received.subarray(2, 2 + length));
          if (message.id !== id || !message.response || !answers(message, name, type)) return finish({ kind: 'failed', code: 'EBADRESP' });
          return finish({ kind: 'answer', message });
        } catch (err) {
          if (!(err instanceof DnsWireError)) throw err;
          return finish({ kind: 'failed', code: 'EBADRESP' });
        }
      });
      socket.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'failed', code: err.code ?? 'ECONNREFUSED' }));
      socket.on('close', () => finish({ kind: 'failed', code: 'ECONNRESET' }));
    });
  }
}
