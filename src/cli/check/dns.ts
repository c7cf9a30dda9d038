import { DnsServer, DnsTransport, parseServer, serverText, systemServers } from './dns-transport';
import {
  DnsMessage, DnsWireError, MAX_CNAME_LINKS, RCODE, RR_TYPE, WireRecord, answersFor, cnameChain,
  readA, readAaaa, readCaa, readDnskey, readDs, readMx, readTlsa, readTxt, soaZone,
} from './dns-wire';

/** How a DNS query ended. */
export type DnsOutcome =
  /** Answers of the type asked for. */
  | 'ok'
  /** The name exists but holds nothing of that type (NOERROR, no answers). */
  | 'nodata'
  /** The name does not exist (RCODE 3). */
  | 'nxdomain'
  | 'servfail'
  | 'timeout'
  /** REFUSED, a malformed answer, no server reachable, a bad name. */
  | 'failed';

/** The record types `gov-email check` asks for. */
export type DnsQueryType = 'TXT' | 'MX' | 'A' | 'AAAA' | 'CAA' | 'DNSKEY' | 'DS' | 'TLSA' | 'SOA';

export interface MxAnswer {
  readonly priority: number;
  /** The exchange; `''` for a null MX. */
  readonly exchange: string;
}

export interface CaaAnswer {
  readonly flags: number;
  readonly tag: string;
  readonly value: string;
}

export interface DnskeyAnswer {
  readonly flags: number;
  readonly protocol: number;
  readonly algorithm: number;
  /** The key, base64. */
  readonly publicKey: string;
}

export interface DsAnswer {
  readonly keyTag: number;
  readonly algorithm: number;
  readonly digestType: number;
  /** The digest, hex. */
  readonly digest: string;
}

export interface TlsaAnswer {
  /** 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 6698 §2.1.1, RFC 7218). */
  readonly usage: number;
  /** 0 the whole certificate, 1 its SubjectPublicKeyInfo. */
  readonly selector: number;
  /** 0 exact, 1 SHA-256, 2 SHA-512. */
  readonly matchingType: number;
  /** The certificate association data, hex. */
  readonly data: string;
}

/** One query's result. TXT answers keep their character-strings apart. */
export interface DnsResult<T> {
  readonly outcome: DnsOutcome;
  readonly records: T[];
  /**
   * True when the resolver set the AD bit: it validated the answer (or the denial of it) with
   * DNSSEC. Absent otherwise, and always absent from a resolver that does not validate.
   */
  readonly authenticated?: boolean;
  /** The resolver's error code (`ESERVFAIL`, `ETIMEOUT`, …) when the outcome is a failure. */
  readonly code?: string;
  /**
   * The CNAME chain the answer came through, when the name asked is an alias: each target in
   * order, the last the name the outcome is about (a dangling CNAME: the last target and an
   * outcome of `nxdomain` or `nodata`). Absent when the name itself answered.
   */
  readonly cnames?: string[];
  /**
   * True when the CNAME chain loops or runs longer than `MAX_CNAME_LINKS` links: the outcome is
   * then `failed` (code `ECNAMELOOP`), as a resolver answers SERVFAIL.
   */
  readonly cnameLoop?: boolean;
}

/** One answer of a name, and where its CNAME chain leaves the answer without records of the type asked. */
type Answer<T> = DnsResult<T> & {
  /** The end of a chain the answer does not follow to its records: asked for next. */
  readonly continueAt?: string;
};

/** Whether a result is void in the sense of RFC 7208 §4.6.4: NXDOMAIN or an empty answer. */
export function isVoid(r: DnsResult<unknown>): boolean {
  return r.outcome === 'nxdomain' || r.outcome === 'nodata';
}

/** Whether a result is a failure to get an answer at all (not "there is none"). */
export function isFailure(r: DnsResult<unknown>): boolean {
  return r.outcome === 'servfail' || r.outcome === 'timeout' || r.outcome === 'failed';
}

export interface DnsClientOptions {
  /**
   * Servers as `host[:port]` (IPv4, or IPv6 in brackets with a port).
   * @default - the system's resolvers
   */
  readonly servers?: string[];
  /** Give up on a query after this long, retries included. */
  readonly timeoutMs: number;
  /**
   * Queries sent and not yet answered, at most; more wait their turn (the timeout starts when a
   * query is sent). Answers to a burst of UDP queries arrive together, and the ones that do not
   * fit in the socket's receive buffer are lost and cost a retransmission.
   * @default DEFAULT_MAX_IN_FLIGHT
   */
  readonly maxInFlight?: number;
}

/**
 * See `DnsClientOptions.maxInFlight`: dnsperf against Knot with 40 ms round trips took 7.5 s for
 * 1,000 domains' queries at 64 outstanding and 1.9 s at 256.
 */
export const DEFAULT_MAX_IN_FLIGHT = 256;

/** A query that went to the network (a cache miss). */
export interface DnsQueryRecord {
  readonly type: DnsQueryType;
  readonly name: string;
}

/**
 * A DNS client behind a per-run cache: each (type, name) is asked once per run, and a query
 * already in flight is shared by everyone who asks for it, so a thousand domains that include
 * the same SPF record cause one query for it. Failures are cached too: a SERVFAIL is not asked
 * again for every domain that includes the name.
 *
 * Queries go out over UDP with EDNS(0) (so an answer carrying a 2048-bit DKIM key fits in one
 * datagram), and over TCP when an answer is truncated all the same (dns-transport.ts).
 *
 * Never rejects: every failure is an outcome.
 */
export class DnsClient {
  /** Queries sent to the network, in order. */
  public readonly sent: DnsQueryRecord[] = [];
  /** Called for every query sent to the network (not for cache hits). */
  public onQuery?: (q: DnsQueryRecord) => void;
  private readonly transport: DnsTransport;
  private readonly serverList: DnsServer[];
  private readonly cache = new Map<string, Promise<Answer<unknown>>>();
  private cacheHits = 0;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  /** @throws Error when a server is not an IP address with an optional port */
  constructor(private readonly options: DnsClientOptions) {
    this.serverList = options.servers !== undefined && options.servers.length > 0
      ? options.servers.map(parseServer)
      : systemServers();
    // Send a UDP query again when no answer came within a second (a datagram lost to a full
    // socket buffer in a burst should cost a second, not half the timeout), at least twice
    // within the time allowed; the timeout is the hard limit on the whole query.
    const perTryMs = Math.max(1, Math.min(1000, Math.floor(options.timeoutMs / 2)));
    this.transport = new DnsTransport({
      servers: this.serverList,
      perTryMs,
      tries: Math.min(4, Math.max(2, Math.ceil(options.timeoutMs / perTryMs))),
    });
  }

  /** The servers in use, as `host` or `host:port`. */
  public get servers(): string[] {
    return this.serverList.map(serverText);
  }

  /** Queries answered from the cache (including ones shared while in flight). */
  public get hits(): number {
    return this.cacheHits;
  }

  /**
   * The TXT records at a name, through its CNAME chain (a `_dmarc` CNAME to a central policy
   * record gives that record's TXT): a resolver's answer holds the whole chain, an authoritative
   * server's stops where its zones end, and the rest is asked for here, link by link.
   */
  public txt(name: string): Promise<DnsResult<string[]>> {
    return this.following('TXT', name, each(RR_TYPE.TXT, readTxt));
  }

  public mx(name: string): Promise<DnsResult<MxAnswer>> {
    return this.following('MX', name, each(RR_TYPE.MX, readMx));
  }

  public a(name: string): Promise<DnsResult<string>> {
    return this.following('A', name, each(RR_TYPE.A, readA));
  }

  public aaaa(name: string): Promise<DnsResult<string>> {
    return this.following('AAAA', name, each(RR_TYPE.AAAA, readAaaa));
  }

  public caa(name: string): Promise<DnsResult<CaaAnswer>> {
    return this.following('CAA', name, each(RR_TYPE.CAA, readCaa));
  }

  public dnskey(name: string): Promise<DnsResult<DnskeyAnswer>> {
    return this.query('DNSKEY', name, each(RR_TYPE.DNSKEY, readDnskey));
  }

  public ds(name: string): Promise<DnsResult<DsAnswer>> {
    return this.query('DS', name, each(RR_TYPE.DS, readDs));
  }

  public tlsa(name: string): Promise<DnsResult<TlsaAnswer>> {
    return this.following('TLSA', name, each(RR_TYPE.TLSA, readTlsa));
  }

  /**
   * The zone a name belongs to (the owner of the SOA record its SOA query brings back, in the
   * answer or the authority section), as the one record of the result.
   */
  public zoneOf(name: string): Promise<DnsResult<string>> {
    return this.query('SOA', name, (msg, asked) => {
      const zone = soaZone(msg, asked);
      return zone === undefined ? [] : [zone];
    });
  }

  /** Send a query of a type by name. */
  public byType(type: DnsQueryType, name: string): Promise<DnsResult<unknown>> {
    switch (type) {
      case 'TXT': return this.txt(name);
      case 'MX': return this.mx(name);
      case 'A': return this.a(name);
      case 'AAAA': return this.aaaa(name);
      case 'DNSKEY': return this.dnskey(name);
      case 'DS': return this.ds(name);
      case 'TLSA': return this.tlsa(name);
      case 'SOA': return this.zoneOf(name);
      default: return this.caa(name);
    }
  }

  /** Abandon queries still outstanding (their promises resolve as failures). */
  public close(): void {
    this.transport.close();
  }

  /**
   * A query that follows the name's CNAME chain to its end: every link the answers hold, then the
   * end asked for again while an answer leaves the chain without records of the type. At most
   * `MAX_CNAME_LINKS` links in all; a loop, or a longer chain, is a failure (`ECNAMELOOP`).
   */
  private following<T>(type: DnsQueryType, name: string, extract: Extract<T>): Promise<DnsResult<T>> {
    // No alias: the cached answer itself, shared with everyone who asked.
    return this.query(type, name, extract).then((answer) => {
      const alias = answer.cnames !== undefined || answer.continueAt !== undefined || answer.cnameLoop === true;
      return alias ? this.chain(type, name, extract, answer) : answer;
    });
  }

  /** The rest of `following` for a first answer that is an alias. */
  private async chain<T>(type: DnsQueryType, name: string, extract: Extract<T>, first: Answer<T>): Promise<DnsResult<T>> {
    let answer = first;
    const seen = new Set([name.toLowerCase().replace(/\.$/, '')]);
    const cnames: string[] = [];
    for (;;) {
      for (const target of answer.cnames ?? []) {
        if (seen.has(target) || cnames.length >= MAX_CNAME_LINKS) return { outcome: 'failed', records: [], code: 'ECNAMELOOP', cnames: [...cnames, target], cnameLoop: true };
        seen.add(target);
        cnames.push(target);
      }
      if (answer.cnameLoop === true) return { outcome: 'failed', records: [], code: 'ECNAMELOOP', cnames, cnameLoop: true };
      if (answer.continueAt === undefined) break;
      answer = await this.query(type, answer.continueAt, extract);
    }
    const result: DnsResult<T> = { outcome: answer.outcome, records: answer.records };
    return Object.assign(result,
      answer.authenticated === undefined ? {} : { authenticated: answer.authenticated },
      answer.code === undefined ? {} : { code: answer.code },
      cnames.length === 0 ? {} : { cnames });
  }

  private query<T>(type: DnsQueryType, rawName: string, extract: Extract<T>): Promise<Answer<T>> {
    const lower = rawName.toLowerCase();
    const name = lower.endsWith('.') ? lower.slice(0, -1) : lower;
    const key = `${type} ${name}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cacheHits++;
      return cached as Promise<Answer<T>>;
    }
    const q: DnsQueryRecord = { type, name };
    this.sent.push(q);
    this.onQuery?.(q);
    const p = this.throttled(() => this.ask(name, type, extract));
    this.cache.set(key, p);
    return p as Promise<Answer<T>>;
  }

  /** Run now if fewer than maxInFlight queries are out, otherwise when one comes back. */
  private throttled<T>(send: () => Promise<T>): Promise<T> {
    const max = this.options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    return new Promise<T>((resolve) => {
      const go = () => {
        this.inFlight++;
        void send().then((r) => {
          this.inFlight--;
          this.waiting.shift()?.();
          resolve(r);
        });
      };
      if (this.inFlight < max) go();
      else this.waiting.push(go);
    });
  }

  private async ask<T>(name: string, type: DnsQueryType, extract: Extract<T>): Promise<Answer<T>> {
    const exchange = await this.transport.query(name, RR_TYPE[type], Date.now() + this.options.timeoutMs);
    if (exchange.kind === 'failed') return failure(exchange.code);
    const message = exchange.message;
    // The CNAME links the answer holds (an SOA query reads its zone from the answer on its own).
    let chain;
    try {
      chain = type === 'SOA' ? undefined : cnameChain(message, name);
    } catch (err) {
      if (!(err instanceof DnsWireError)) throw err;
      return failure('EBADRESP');
    }
    const aliases = chain === undefined || chain.targets.length === 0 ? {} : { cnames: chain.targets };
    if (chain?.loop === true) return { outcome: 'failed', records: [], code: 'ECNAMELOOP', ...aliases, cnameLoop: true };
    switch (message.rcode) {
      case RCODE.NOERROR:
        break;
      case RCODE.NXDOMAIN:
        // With a CNAME chain, the name that does not exist is its end (RFC 6604 §2.1).
        return { outcome: 'nxdomain', records: [], code: 'ENOTFOUND', ...aliases, ...authenticated(message) };
      case RCODE.SERVFAIL:
        return { outcome: 'servfail', records: [], code: 'ESERVFAIL' };
      case RCODE.REFUSED:
        return failure('EREFUSED');
      case RCODE.NOTIMP:
        return failure('ENOTIMP');
      case RCODE.FORMERR:
        return failure('EFORMERR');
      default:
        return failure('EBADRESP');
    }
    try {
      const records = extract(message, name);
      if (records.length > 0) return { outcome: 'ok', records, ...aliases, ...authenticated(message) };
      // A chain that leaves the answer (an authoritative server answers for its own zones only):
      // its end is asked for next.
      const next = chain !== undefined && chain.targets.length > 0 ? { continueAt: chain.end } : {};
      return { outcome: 'nodata', records: [], code: 'ENODATA', ...aliases, ...next, ...authenticated(message) };
    } catch (err) {
      if (!(err instanceof DnsWireError)) throw err;
      return failure('EBADRESP');
    }
  }
}

/** Reads the values a query brought back from its answer (name: the name asked, lower case). */
type Extract<T> = (msg: DnsMessage, name: string) => T[];

/** The records of one type that answer the name, each read with `read`. */
function each<T>(type: number, read: (msg: DnsMessage, r: WireRecord) => T): Extract<T> {
  return (msg, name) => answersFor(msg, name, type).map((r) => read(msg, r));
}

function authenticated(message: DnsMessage): { authenticated?: true } {
  return message.authenticated ? { authenticated: true } : {};
}

function failure<T>(code: string): DnsResult<T> {
  return code === 'ETIMEOUT' ? { outcome: 'timeout', records: [], code } : { outcome: 'failed', records: [], code };
}

/** A TXT record's character-strings as DNS tools print them: each quoted, `"` and `\` escaped. */
export function quoteTxt(strings: string[]): string {
  return strings.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(' ');
}

/**
 * A TXT record as the record models read it: the plain text when it is one character-string
 * that reads the same unquoted (no leading quote, no surrounding whitespace), otherwise the
 * quoted strings, so the models still see where a long record is split. The two forms read
 * the same; the plain one is much cheaper to read again and again.
 *
 * `joinStrings` gives the plain text of a record split into several strings too, for records
 * whose models do not measure the strings of plain text (DKIM keys): strings that came over
 * the wire are at most 255 octets by construction, so there is nothing to measure.
 */
export function txtValue(strings: string[], options: { joinStrings?: boolean } = {}): string {
  const plain = strings.join('');
  if ((strings.length === 1 || options.joinStrings === true) && !/^["\s]/.test(plain) && !/\s$/.test(plain)) {
    return plain;
  }
  return quoteTxt(strings);
}
