/**
 * The DNS message format (RFC 1035 §4, EDNS(0) from RFC 6891), as far as `gov-email check`
 * needs it: a query with an OPT record out, and an answer in, its records of the types the
 * checker asks for read into plain values. Reading is defensive: every length is checked
 * against the message, compression pointers may only point backwards (so they cannot loop), and
 * a malformed message is a `DnsWireError`, never an exception of another kind or a read past the
 * end.
 */
// DNS header flags are bit fields.
/* eslint-disable no-bitwise */

/** Record types by name (RFC 1035 §3.2.2, RFC 3596, RFC 4034, RFC 6698, RFC 6844, RFC 6891). */
export const RR_TYPE = { A: 1, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, OPT: 41, DS: 43, DNSKEY: 48, TLSA: 52, CAA: 257 } as const;

/** The class IN. */
const CLASS_IN = 1;

/** Response codes (RFC 1035 §4.1.1, RFC 6891 §9 for BADVERS). */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

/**
 * The UDP payload size advertised in queries: 1232 octets, the size that fits the IPv6 minimum
 * MTU without fragmentation, agreed by DNS software vendors for DNS Flag Day 2020. An answer
 * carrying a 2048-bit DKIM key (about 420 octets) fits; without EDNS(0) only 512 would.
 */
export const EDNS_UDP_PAYLOAD_SIZE = 1232;

/** The largest DNS message there can be (the TCP length prefix is 16 bits). */
export const MAX_MESSAGE_BYTES = 65535;

/** A message that cannot be read as DNS. */
export class DnsWireError extends Error {}

export interface QueryOptions {
  /** Ask the server to recurse (a resolver); an authoritative server ignores it. */
  readonly recursionDesired: boolean;
  /** Add an OPT record advertising this UDP payload size; omit for a plain RFC 1035 query. */
  readonly ednsUdpPayloadSize?: number;
  /**
   * Set the AD bit: ask a validating resolver to say whether it validated the answer (RFC 6840
   * §5.7), without asking for the signatures themselves (no DO bit).
   */
  readonly authenticatedData?: boolean;
}

/** The wire form of a name: labels of at most 63 octets, at most 255 octets in all. @throws DnsWireError */
export function encodeName(name: string): Buffer {
  const trimmed = checkName(name);
  const wire = Buffer.allocUnsafe(nameWireLength(trimmed));
  writeName(trimmed, wire, 0);
  return wire;
}

/**
 * The name without its trailing dot, once every label is 1 to 63 octets of Latin-1 and the whole
 * fits in 255 octets on the wire. @throws DnsWireError
 */
function checkName(name: string): string {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return trimmed;
  let labelStart = 0;
  for (let i = 0; i <= trimmed.length; i++) {
    const c = i < trimmed.length ? trimmed.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      const length = i - labelStart;
      if (length === 0 || length > 63) throw new DnsWireError(`"${name}" is not a DNS name: each label must be 1 to 63 octets`);
      labelStart = i + 1;
    } else if (c > 0xff) {
      throw new DnsWireError(`"${name}" is not a DNS name: each label must be 1 to 63 octets`);
    }
  }
  if (nameWireLength(trimmed) > 255) throw new DnsWireError(`"${name}" is not a DNS name: longer than 255 octets`);
  return trimmed;
}

/** Octets on the wire of a name checked by `checkName`: a length octet per label, each label, the root's zero. */
function nameWireLength(trimmed: string): number {
  return trimmed === '' ? 1 : trimmed.length + 2;
}

/** Write a name checked by `checkName` at `at`; returns where it ends. */
function writeName(trimmed: string, out: Buffer, at: number): number {
  let pos = at;
  if (trimmed !== '') {
    let lengthAt = pos++;
    for (let i = 0; i < trimmed.length; i++) {
      const c = trimmed.charCodeAt(i);
      if (c === 0x2e) {
        out[lengthAt] = pos - lengthAt - 1;
        lengthAt = pos++;
      } else {
        out[pos++] = c;
      }
    }
    out[lengthAt] = pos - lengthAt - 1;
  }
  out[pos++] = 0;
  return pos;
}

/** A query for one name and type, class IN. @throws DnsWireError for a name that cannot be sent */
export function encodeQuery(id: number, name: string, type: number, options: QueryOptions): Buffer {
  const qname = checkName(name);
  const edns = options.ednsUdpPayloadSize !== undefined;
  // Header (12), question (name, type, class), and with EDNS(0) the OPT pseudo-record (11).
  const query = Buffer.alloc(12 + nameWireLength(qname) + 4 + (edns ? 11 : 0));
  query.writeUInt16BE(id & 0xffff, 0);
  query.writeUInt16BE((options.recursionDesired ? 0x0100 : 0) | (options.authenticatedData ? 0x0020 : 0), 2);
  query.writeUInt16BE(1, 4);
  query.writeUInt16BE(edns ? 1 : 0, 10);
  let pos = writeName(qname, query, 12);
  pos = query.writeUInt16BE(type, pos);
  pos = query.writeUInt16BE(CLASS_IN, pos);
  if (edns) {
    // OPT pseudo-record (RFC 6891 §6.1.2): root name, type OPT, class = payload size, TTL = 0
    // (extended RCODE 0, version 0, no DO bit), no options.
    pos = query.writeUInt8(0, pos);
    pos = query.writeUInt16BE(RR_TYPE.OPT, pos);
    pos = query.writeUInt16BE(options.ednsUdpPayloadSize!, pos);
    pos = query.writeUInt32BE(0, pos);
    query.writeUInt16BE(0, pos);
  }
  return query;
}

/** One resource record, its data still on the wire (names in it may point into the message). */
export interface WireRecord {
  /** The owner name as sent (case kept), no trailing dot (`''` for the root). */
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  /** Where the record's data starts in the message, and its length. */
  readonly dataOffset: number;
  readonly dataLength: number;
}

export interface DnsMessage {
  readonly id: number;
  readonly response: boolean;
  readonly truncated: boolean;
  /**
   * The AD bit: the resolver validated every record of the answer with DNSSEC (RFC 4035 §3.2.3).
   * Only a validating resolver sets it, and only a resolver the client trusts can be believed.
   */
  readonly authenticated: boolean;
  /** The full response code: the header's four bits, extended by the OPT record's eight. */
  readonly rcode: number;
  readonly question?: { readonly name: string; readonly type: number; readonly class: number };
  readonly answers: WireRecord[];
  /** The authority section (where a NODATA or NXDOMAIN answer names its zone's SOA). */
  readonly authority: WireRecord[];
  /** Whether the message carried an OPT record (the server speaks EDNS). */
  readonly edns: boolean;
  /** The message itself, for reading names inside record data. */
  readonly bytes: Buffer;
}

/** Read a message: header, question, answer section and the OPT record. @throws DnsWireError */
export function decodeMessage(bytes: Buffer): DnsMessage {
  if (bytes.length < 12) throw new DnsWireError(`a DNS message is at least 12 octets; got ${bytes.length}`);
  const id = bytes.readUInt16BE(0);
  const flags = bytes.readUInt16BE(2);
  const qdcount = bytes.readUInt16BE(4);
  const ancount = bytes.readUInt16BE(6);
  const nscount = bytes.readUInt16BE(8);
  const arcount = bytes.readUInt16BE(10);
  let offset = 12;
  let question: DnsMessage['question'];
  for (let i = 0; i < qdcount; i++) {
    const name = readName(bytes, offset);
    offset = name.next;
    need(bytes, offset, 4);
    if (i === 0) question = { name: name.name, type: bytes.readUInt16BE(offset), class: bytes.readUInt16BE(offset + 2) };
    offset += 4;
  }
  const answers: WireRecord[] = [];
  for (let i = 0; i < ancount; i++) {
    const r = readRecord(bytes, offset);
    answers.push(r.record);
    offset = r.next;
  }
  let rcode = flags & 0x000f;
  let edns = false;
  // The OPT record sits in the additional section, after the authority records.
  const truncated = (flags & 0x0200) !== 0;
  const authority: WireRecord[] = [];
  try {
    for (let i = 0; i < nscount; i++) {
      const r = readRecord(bytes, offset);
      authority.push(r.record);
      offset = r.next;
    }
    for (let i = 0; i < arcount; i++) {
      const r = readRecord(bytes, offset);
      offset = r.next;
      if (r.record.type === RR_TYPE.OPT) {
        edns = true;
        rcode |= ((r.record.ttl >>> 24) & 0xff) << 4;
      }
    }
  } catch (err) {
    // A truncated answer may stop anywhere after its answers; the sections after them are not
    // needed to use it (it is asked again over TCP).
    if (!truncated) throw err;
  }
  return { id, response: (flags & 0x8000) !== 0, truncated, authenticated: (flags & 0x0020) !== 0, rcode, question, answers, authority, edns, bytes };
}

function readRecord(bytes: Buffer, start: number): { record: WireRecord; next: number } {
  const name = readName(bytes, start);
  let offset = name.next;
  need(bytes, offset, 10);
  const type = bytes.readUInt16BE(offset);
  const cls = bytes.readUInt16BE(offset + 2);
  const ttl = bytes.readUInt32BE(offset + 4);
  const dataLength = bytes.readUInt16BE(offset + 8);
  offset += 10;
  need(bytes, offset, dataLength);
  return { record: { name: name.name, type, class: cls, ttl, dataOffset: offset, dataLength }, next: offset + dataLength };
}

/**
 * Read a name at `start`, following compression pointers (RFC 1035 §4.1.4). Each pointer must
 * point before the place it was read from, so reading always ends. Labels are read as bytes
 * (latin1), case kept, with `.` and `\` inside a label and bytes outside printable ASCII
 * escaped as zone files write them (`\.`, `\\`, `\DDD`).
 */
export function readName(bytes: Buffer, start: number): { name: string; next: number } {
  let name = '';
  let offset = start;
  let next = -1;
  let octets = 1;
  for (;;) {
    need(bytes, offset, 1);
    const len = bytes[offset];
    if ((len & 0xc0) === 0xc0) {
      need(bytes, offset, 2);
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
    need(bytes, offset + 1, len);
    octets += len + 1;
    if (octets > 255) throw new DnsWireError('a name longer than 255 octets');
    const label = readLabel(bytes, offset + 1, offset + 1 + len);
    name = octets === len + 2 ? label : `${name}.${label}`;
    offset += len + 1;
  }
  return { name, next };
}

/** A label's octets as text: as they are when all are printable and neither `.` nor `\`, otherwise escaped. */
function readLabel(bytes: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b < 0x21 || b > 0x7e || b === 0x2e || b === 0x5c) return escapeLabel(bytes, start, end);
  }
  return bytes.toString('latin1', start, end);
}

function escapeLabel(bytes: Buffer, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === 0x2e || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x21 || b > 0x7e) out += `\\${String(b).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

function need(bytes: Buffer, offset: number, length: number): void {
  if (offset + length > bytes.length) {
    throw new DnsWireError(`the message ends at octet ${bytes.length}, inside a field that needs octets up to ${offset + length}`);
  }
}

/** A TXT record's character-strings (RFC 1035 §3.3.14), as bytes read one to one (latin1). */
export function readTxt(msg: DnsMessage, r: WireRecord): string[] {
  const strings: string[] = [];
  let offset = r.dataOffset;
  const end = r.dataOffset + r.dataLength;
  while (offset < end) {
    const len = msg.bytes[offset];
    if (offset + 1 + len > end) throw new DnsWireError('a TXT character-string runs past its record');
    strings.push(msg.bytes.toString('latin1', offset + 1, offset + 1 + len));
    offset += 1 + len;
  }
  if (strings.length === 0) throw new DnsWireError('a TXT record with no character-string');
  return strings;
}

/** An MX record: preference and exchange (`''` for the root, a null MX). */
export function readMx(msg: DnsMessage, r: WireRecord): { priority: number; exchange: string } {
  if (r.dataLength < 3) throw new DnsWireError('an MX record shorter than 3 octets');
  const exchange = readName(msg.bytes, r.dataOffset + 2);
  if (exchange.next !== r.dataOffset + r.dataLength) throw new DnsWireError('an MX record whose exchange does not end with the record');
  return { priority: msg.bytes.readUInt16BE(r.dataOffset), exchange: exchange.name };
}

/** A CNAME record's target. */
export function readCname(msg: DnsMessage, r: WireRecord): string {
  const target = readName(msg.bytes, r.dataOffset);
  if (target.next !== r.dataOffset + r.dataLength) throw new DnsWireError('a CNAME record whose target does not end with the record');
  return target.name;
}

/** An A record as a dotted quad. */
export function readA(msg: DnsMessage, r: WireRecord): string {
  if (r.dataLength !== 4) throw new DnsWireError(`an A record of ${r.dataLength} octets; 4 expected`);
  return Array.from(msg.bytes.subarray(r.dataOffset, r.dataOffset + 4)).join('.');
}

/** An AAAA record in the canonical text form of RFC 5952 (lower case, longest run of zeros as `::`). */
export function readAaaa(msg: DnsMessage, r: WireRecord): string {
  if (r.dataLength !== 16) throw new DnsWireError(`an AAAA record of ${r.dataLength} octets; 16 expected`);
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(msg.bytes.readUInt16BE(r.dataOffset + i * 2));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const b = msg.bytes.subarray(r.dataOffset + 12, r.dataOffset + 16);
    return `::ffff:${Array.from(b).join('.')}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** A CAA record (RFC 8659 §4.1): flags, tag and value (the value read one byte to one character). */
export function readCaa(msg: DnsMessage, r: WireRecord): { flags: number; tag: string; value: string } {
  if (r.dataLength < 2) throw new DnsWireError('a CAA record shorter than 2 octets');
  const flags = msg.bytes[r.dataOffset];
  const tagLength = msg.bytes[r.dataOffset + 1];
  if (tagLength === 0 || 2 + tagLength > r.dataLength) throw new DnsWireError('a CAA record whose tag does not fit it');
  const tagStart = r.dataOffset + 2;
  return {
    flags,
    tag: msg.bytes.toString('latin1', tagStart, tagStart + tagLength),
    value: msg.bytes.toString('latin1', tagStart + tagLength, r.dataOffset + r.dataLength),
  };
}

/**
 * The zone a name is in, as the answer to an SOA query for it shows: the owner of the SOA record
 * in the answer (the name is the zone's apex) or in the authority section (it is inside the
 * zone). Undefined when neither holds one.
 */
export function soaZone(msg: DnsMessage, name: string): string | undefined {
  const soa = answersFor(msg, name, RR_TYPE.SOA)[0] ?? msg.authority.find((r) => r.type === RR_TYPE.SOA && r.class === CLASS_IN);
  return soa?.name.toLowerCase();
}

/** The most CNAME links followed from one name, in one answer or across several (resolvers give up at about as many). */
export const MAX_CNAME_LINKS = 16;

/** The CNAME chain that starts at a name within one answer section. */
export interface CnameChain {
  /** The targets in the order the chain reaches them, lower case (empty when the name is no alias). */
  readonly targets: string[];
  /** The last name of the chain: the name itself, or the last target. */
  readonly end: string;
  /** True when a target leads back to a name already in the chain, or the chain has more than `MAX_CNAME_LINKS` links. */
  readonly loop: boolean;
}

/**
 * The CNAME chain that starts at `name` within the answer section (RFC 1034 §3.6.2, §4.3.2: a
 * server that follows a CNAME puts each link in the answer). Loop-safe and bounded.
 * @throws DnsWireError for a CNAME record that cannot be read
 */
export function cnameChain(msg: DnsMessage, name: string): CnameChain {
  let owner = name.toLowerCase();
  const owners = new Set([owner]);
  const targets: string[] = [];
  for (;;) {
    const alias = msg.answers.find((r) => r.type === RR_TYPE.CNAME && r.class === CLASS_IN && r.name.toLowerCase() === owner);
    if (alias === undefined) return { targets, end: owner, loop: false };
    owner = readCname(msg, alias).toLowerCase();
    if (owners.has(owner) || targets.length >= MAX_CNAME_LINKS) return { targets, end: owner, loop: true };
    owners.add(owner);
    targets.push(owner);
  }
}

/**
 * The records of `type` that answer `name`: those owned by the name itself or by the names of
 * the CNAME chain that starts at it within the answer section (`cnameChain`: a loop of CNAMEs
 * must not loop here).
 */
export function answersFor(msg: DnsMessage, name: string, type: number): WireRecord[] {
  const owners = new Set([name.toLowerCase()]);
  if (type !== RR_TYPE.CNAME) {
    for (const target of cnameChain(msg, name).targets) owners.add(target);
  }
  return msg.answers.filter((r) => r.type === type && r.class === CLASS_IN && owners.has(r.name.toLowerCase()));
}

/** A DNSKEY record (RFC 4034 §2.1): flags, protocol, algorithm and the key as base64. */
export function readDnskey(msg: DnsMessage, r: WireRecord): { flags: number; protocol: number; algorithm: number; publicKey: string } {
  if (r.dataLength < 4) throw new DnsWireError('a DNSKEY record shorter than 4 octets');
  const b = msg.bytes;
  return {
    flags: b.readUInt16BE(r.dataOffset),
    protocol: b[r.dataOffset + 2],
    algorithm: b[r.dataOffset + 3],
    publicKey: b.toString('base64', r.dataOffset + 4, r.dataOffset + r.dataLength),
  };
}

/** A DS record (RFC 4034 §5.1): key tag, algorithm, digest type and the digest in hex. */
export function readDs(msg: DnsMessage, r: WireRecord): { keyTag: number; algorithm: number; digestType: number; digest: string } {
  if (r.dataLength < 5) throw new DnsWireError('a DS record shorter than 5 octets');
  const b = msg.bytes;
  return {
    keyTag: b.readUInt16BE(r.dataOffset),
    algorithm: b[r.dataOffset + 2],
    digestType: b[r.dataOffset + 3],
    digest: b.toString('hex', r.dataOffset + 4, r.dataOffset + r.dataLength),
  };
}

/** A TLSA record (RFC 6698 §2.1): usage, selector, matching type and the association data in hex. */
export function readTlsa(msg: DnsMessage, r: WireRecord): { usage: number; selector: number; matchingType: number; data: string } {
  if (r.dataLength < 4) throw new DnsWireError('a TLSA record shorter than 4 octets');
  const b = msg.bytes;
  return {
    usage: b[r.dataOffset],
    selector: b[r.dataOffset + 1],
    matchingType: b[r.dataOffset + 2],
    data: b.toString('hex', r.dataOffset + 3, r.dataOffset + r.dataLength),
  };
}
