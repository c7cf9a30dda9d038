/**
 * The benchmark's network delay, in a process of its own on 127.0.0.1 (the kernel here has no
 * netem): a relay for DNS over UDP and TCP (one port for both, as resolvers expect), and for the
 * HTTPS policy host and the SMTP server over TCP (a port each), holding every datagram and every chunk of a stream for a fixed
 * one-way delay in each direction, so a round trip through it takes the real one plus twice
 * that. TCP's own handshake with the relay is not delayed (the kernel completes it before the
 * relay sees the connection); everything after it is.
 *
 *   node -r ts-node/register bench/check/proxy.ts <dns upstream port> <https upstream port> <smtp upstream port>
 *
 * Prints one JSON line, {"dnsPort", "httpsPort", "smtpPort"}, then reads commands, one JSON object a line,
 * on standard input, answering each with one JSON line:
 *
 *   {"cmd":"reset","oneWayMs":5,"capture":true}  set the delay, zero the counts, start a capture
 *   {"cmd":"stats"}                               the counts since the reset (and the capture)
 *
 * It exits when its standard input closes. Alongside the relaying it reads the DNS header and
 * question of every message (not the rest) to count queries, retransmissions, truncated answers,
 * TCP connections and the most questions outstanding at once, and the HTTPS and SMTP connections
 * and the most of each open at once; with a capture on it also lists
 * the questions asked, once each, in the order first asked.
 */
// DNS header flags are bit fields.
/* eslint-disable no-bitwise */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { createInterface } from 'node:readline';

const HOST = '127.0.0.1';
const TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 43: 'DS', 48: 'DNSKEY', 52: 'TLSA', 257: 'CAA',
};

/** The counts one measured run gets from the relay. */
export interface ProxyStats {
  /** DNS queries received over UDP (retransmissions included). */
  udpQueries: number;
  /** UDP queries carrying an OPT record (EDNS0). */
  ednsQueries: number;
  /** UDP queries for a question already asked since the reset (retransmissions). */
  udpRepeats: number;
  udpAnswers: number;
  /** UDP answers with the TC bit set (too large; the client must ask again over TCP). */
  truncated: number;
  tcpConnections: number;
  tcpQueries: number;
  /** Distinct questions (name and type) asked. */
  questions: number;
  /** The most questions asked and not yet fully answered (a truncated answer does not count) at once. */
  peakOutstanding: number;
  httpsConnections: number;
  /** The most HTTPS connections open at once. */
  peakHttpsConnections: number;
  smtpConnections: number;
  /** The most SMTP connections open at once. */
  peakSmtpConnections: number;
  /** With a capture on: the questions, `name TYPE`, in the order first asked. */
  captured?: string[];
}

let oneWayMs = 0;
let capture = false;
let stats: ProxyStats = fresh();
const seen = new Set<string>();
const outstanding = new Set<string>();
let httpsOpen = 0;
let smtpOpen = 0;

function fresh(): ProxyStats {
  return {
    udpQueries: 0,
    ednsQueries: 0,
    udpRepeats: 0,
    udpAnswers: 0,
    truncated: 0,
    tcpConnections: 0,
    tcpQueries: 0,
    questions: 0,
    peakOutstanding: 0,
    httpsConnections: 0,
    peakHttpsConnections: 0,
    smtpConnections: 0,
    peakSmtpConnections: 0,
  };
}

/** Run `fn` after the one-way delay (at once with none). Equal delays keep their order. */
function later(fn: () => void): void {
  if (oneWayMs > 0) setTimeout(fn, oneWayMs);
  else fn();
}

/** The question of a DNS message, as `name TYPE`, or undefined when it cannot be read. */
function questionOf(msg: Buffer): string | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) < 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  while (at < msg.length) {
    const len = msg[at];
    if (len === 0) break;
    if (len > 63 || at + 1 + len > msg.length) return undefined;
    labels.push(msg.toString('latin1', at + 1, at + 1 + len).toLowerCase());
    at += 1 + len;
  }
  if (at + 3 > msg.length) return undefined;
  const type = msg.readUInt16BE(at + 1);
  return `${labels.join('.')} ${TYPES[type] ?? `TYPE${type}`}`;
}

function onQuery(msg: Buffer, udp: boolean): void {
  const q = questionOf(msg);
  if (udp) {
    stats.udpQueries++;
    if (msg.length >= 12 && msg.readUInt16BE(10) > 0) stats.ednsQueries++;
  } else {
    stats.tcpQueries++;
  }
  if (q === undefined) return;
  if (seen.has(q)) {
    if (udp) stats.udpRepeats++;
  } else {
    seen.add(q);
    stats.questions++;
    if (capture) stats.captured!.push(q);
  }
  outstanding.add(q);
  stats.peakOutstanding = Math.max(stats.peakOutstanding, outstanding.size);
}

function onAnswer(msg: Buffer, udp: boolean): void {
  const tc = msg.length >= 3 && (msg[2] & 0x02) !== 0;
  if (udp) {
    stats.udpAnswers++;
    if (tc) stats.truncated++;
  }
  const q = questionOf(msg);
  if (q !== undefined && !tc) outstanding.delete(q);
}

/** Cut a TCP DNS stream into its length-prefixed messages, handing each to `each`. */
function framer(each: (msg: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const len = pending.readUInt16BE(0);
      each(pending.subarray(2, 2 + len));
      pending = pending.subarray(2 + len);
    }
  };
}

/** A UDP socket and a TCP server on one free port of 127.0.0.1. */
async function udpAndTcpOnOnePort(): Promise<{ udp: dgram.Socket; tcp: net.Server }> {
  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    await new Promise<void>((resolve) => udp.bind(0, HOST, () => resolve()));
    const port = udp.address().port;
    const tcp = net.createServer({ allowHalfOpen: true });
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, HOST, () => resolve(true));
    });
    if (ok) return { udp, tcp };
    udp.close();
    if (attempt > 20) throw new Error('no port free for both UDP and TCP');
  }
}

async function main(): Promise<void> {
  const [dnsUpstream, httpsUpstream, smtpUpstream] = process.argv.slice(2).map(Number);
  const { udp, tcp } = await udpAndTcpOnOnePort();

  // UDP: one upstream socket per client socket, so answers find their way back.
  const upstreams = new Map<string, dgram.Socket>();
  udp.on('message', (msg, from) => {
    const key = `${from.address}:${from.port}`;
    let up = upstreams.get(key);
    if (up === undefined) {
      up = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
      up.bind(0, HOST);
      up.on('message', (answer) => {
        onAnswer(answer, true);
        later(() => udp.send(answer, from.port, from.address));
      });
      upstreams.set(key, up);
    }
    onQuery(msg, true);
    const socket = up;
    later(() => socket.send(msg, dnsUpstream, HOST));
  });

  tcp.on('connection', (client) => {
    stats.tcpConnections++;
    relayOne(client, dnsUpstream, framer((m) => onQuery(m, false)), framer((m) => onAnswer(m, false)));
  });

  const https = net.createServer({ allowHalfOpen: true }, (client) => {
    stats.httpsConnections++;
    httpsOpen++;
    stats.peakHttpsConnections = Math.max(stats.peakHttpsConnections, httpsOpen);
    client.once('close', () => httpsOpen--);
    relayOne(client, httpsUpstream);
  });
  await new Promise<void>((resolve) => https.listen(0, HOST, () => resolve()));

  const smtp = net.createServer({ allowHalfOpen: true }, (client) => {
    stats.smtpConnections++;
    smtpOpen++;
    stats.peakSmtpConnections = Math.max(stats.peakSmtpConnections, smtpOpen);
    client.once('close', () => smtpOpen--);
    relayOne(client, smtpUpstream);
  });
  await new Promise<void>((resolve) => smtp.listen(0, HOST, () => resolve()));

  process.stdout.write(`${JSON.stringify({
    dnsPort: udp.address().port,
    httpsPort: (https.address() as net.AddressInfo).port,
    smtpPort: (smtp.address() as net.AddressInfo).port,
  })}\n`);

  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const cmd = JSON.parse(line) as { cmd: string; oneWayMs?: number; capture?: boolean };
    if (cmd.cmd === 'reset') {
      oneWayMs = cmd.oneWayMs ?? 0;
      capture = cmd.capture ?? false;
      stats = fresh();
      if (capture) stats.captured = [];
      seen.clear();
      outstanding.clear();
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } else {
      process.stdout.write(`${JSON.stringify(stats)}\n`);
    }
  });
  rl.on('close', () => process.exit(0));
}

/** Relay one accepted connection to `upstreamPort`, delaying every chunk both ways. */
function relayOne(client: net.Socket, upstreamPort: number, up?: (c: Buffer) => void, down?: (c: Buffer) => void): void {
  const upstream = net.connect({ port: upstreamPort, host: HOST, allowHalfOpen: true });
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('data', (c: Buffer) => {
    up?.(c);
    later(() => upstream.write(c));
  });
  upstream.on('data', (c: Buffer) => {
    down?.(c);
    later(() => client.write(c));
  });
  client.on('end', () => later(() => upstream.end()));
  upstream.on('end', () => later(() => client.end()));
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', () => later(() => upstream.destroy()));
  upstream.on('close', () => later(() => client.destroy()));
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
