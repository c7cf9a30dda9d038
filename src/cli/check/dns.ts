import { CaaRecord } from 'node:dns';
import { Resolver } from 'node:dns/promises';

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
export type DnsQueryType = 'TXT' | 'MX' | 'A' | 'AAAA' | 'CAA';

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

/** One query's result. TXT answers keep their character-strings apart. */
export interface DnsResult<T> {
  readonly outcome: DnsOutcome;
  readonly records: T[];
  /** The resolver's error code (`ESERVFAIL`, `ETIMEOUT`, …) when the outcome is a failure. */
  readonly code?: string;
}

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

/** See `DnsClientOptions.maxInFlight`; chosen with bench/check. */
export const DEFAULT_MAX_IN_FLIGHT = 64;

/** A query that went to the network (a cache miss). */
export interface DnsQueryRecord {
  readonly type: DnsQueryType;
  readonly name: string;
}

/**
 * Node's resolver (c-ares) behind a per-run cache: each (type, name) is asked once per run,
 * and a query already in flight is shared by everyone who asks for it, so a thousand domains
 * that include the same SPF record cause one query for it. Failures are cached too: a SERVFAIL
 * is not asked again for every domain that includes the name.
 *
 * Never rejects: every failure is an outcome.
 */
export class DnsClient {
  /** Queries sent to the network, in order. */
  public readonly sent: DnsQueryRecord[] = [];
  /** Called for every query sent to the network (not for cache hits). */
  public onQuery?: (q: DnsQueryRecord) => void;
  private readonly resolver: Resolver;
  private readonly cache = new Map<string, Promise<DnsResult<unknown>>>();
  private cacheHits = 0;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: DnsClientOptions) {
    // Retransmit a UDP query that got no answer after at most a second (a datagram lost to a
    // full socket buffer in a burst should cost a second, not half the timeout), at least once
    // within the time allowed. The guard in withTimeout is the hard limit: c-ares lengthens its
    // retry timeouts, so its own total is only roughly tries × timeout.
    const perTry = Math.max(1, Math.min(1000, Math.floor(options.timeoutMs / 2)));
    this.resolver = new Resolver({ timeout: perTry, tries: Math.min(4, Math.max(2, Math.ceil(options.timeoutMs / perTry))) });
    if (options.servers !== undefined && options.servers.length > 0) {
      this.resolver.setServers(options.servers);
    }
  }

  /** The servers in use, as the resolver reports them. */
  public get servers(): string[] {
    return this.resolver.getServers();
  }

  /** Queries answered from the cache (including ones shared while in flight). */
  public get hits(): number {
    return this.cacheHits;
  }

  public txt(name: string): Promise<DnsResult<string[]>> {
    return this.query('TXT', name, (n) => this.resolver.resolveTxt(n));
  }

  public mx(name: string): Promise<DnsResult<MxAnswer>> {
    return this.query('MX', name, (n) => this.resolver.resolveMx(n));
  }

  public a(name: string): Promise<DnsResult<string>> {
    return this.query('A', name, (n) => this.resolver.resolve4(n));
  }

  public aaaa(name: string): Promise<DnsResult<string>> {
    return this.query('AAAA', name, (n) => this.resolver.resolve6(n));
  }

  public caa(name: string): Promise<DnsResult<CaaAnswer>> {
    return this.query('CAA', name, async (n) => (await this.resolver.resolveCaa(n)).map(toCaa));
  }

  /** Send a query of a type by name (the benchmark's floor replays queries this way). */
  public byType(type: DnsQueryType, name: string): Promise<DnsResult<unknown>> {
    switch (type) {
      case 'TXT': return this.txt(name);
      case 'MX': return this.mx(name);
      case 'A': return this.a(name);
      case 'AAAA': return this.aaaa(name);
      default: return this.caa(name);
    }
  }

  /** Abandon queries still outstanding (their promises resolve as failures). */
  public close(): void {
    this.resolver.cancel();
  }

  private query<T>(type: DnsQueryType, rawName: string, run: (name: string) => Promise<T[]>): Promise<DnsResult<T>> {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    const key = `${type} ${name}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cacheHits++;
      return cached as Promise<DnsResult<T>>;
    }
    const q: DnsQueryRecord = { type, name };
    this.sent.push(q);
    this.onQuery?.(q);
    const p = this.throttled(() => this.withTimeout(name, run));
    this.cache.set(key, p);
    return p;
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

  private withTimeout<T>(name: string, run: (name: string) => Promise<T[]>): Promise<DnsResult<T>> {
    return new Promise<DnsResult<T>>((resolve) => {
      let settled = false;
      const finish = (r: DnsResult<T>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const timer = setTimeout(() => finish({ outcome: 'timeout', records: [], code: 'ETIMEOUT' }), this.options.timeoutMs);
      let started: Promise<T[]>;
      try {
        started = run(name);
      } catch (err) {
        finish(fromError(err));
        return;
      }
      started.then(
        (records) => finish(records.length === 0 ? { outcome: 'nodata', records: [] } : { outcome: 'ok', records }),
        (err) => finish(fromError(err)),
      );
    });
  }
}

function fromError<T>(err: unknown): DnsResult<T> {
  const code = (err as { code?: string } | undefined)?.code ?? 'EUNKNOWN';
  switch (code) {
    case 'ENOTFOUND':
      return { outcome: 'nxdomain', records: [], code };
    case 'ENODATA':
      return { outcome: 'nodata', records: [], code };
    case 'ESERVFAIL':
      return { outcome: 'servfail', records: [], code };
    case 'ETIMEOUT':
      return { outcome: 'timeout', records: [], code };
    default:
      return { outcome: 'failed', records: [], code };
  }
}

function toCaa(r: CaaRecord): CaaAnswer {
  const fields = r as unknown as Record<string, unknown>;
  const tag = Object.keys(fields).find((k) => k !== 'critical') ?? 'unknown';
  return { flags: r.critical, tag, value: String(fields[tag] ?? '') };
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
