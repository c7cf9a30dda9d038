/**
 * Talk to a domain's mail server the way a sending MTA does, as far as TLS: connect to port 25,
 * read the greeting, EHLO, STARTTLS (RFC 3207), and a TLS handshake with SNI set to the MX host,
 * then QUIT. What was negotiated and the certificates presented are recorded, with a verdict on
 * them worked out here: the chain against Node's bundled roots (plus any `ca` given), the dates,
 * and the name (RFC 8461 §4.2 asks the same of an MTA-STS sender).
 *
 * Everything is bounded: the connect, the greeting (as a whole, so a server that sends it one
 * byte at a time gets no longer), each command's reply, the handshake and the whole probe each
 * have a timeout; the octets read from the server and the length of a reply line are capped; one
 * connection per probe. A probe never rejects: every way it can end is an outcome.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { promises as dnsPromises } from 'node:dns';
import { isIP } from 'node:net';
import * as net from 'node:net';
import { hostname } from 'node:os';
import * as tls from 'node:tls';

/** The SMTP port mail servers receive on (RFC 5321 §4.5.4.2). */
export const SMTP_PORT = 25;

/** Give up connecting after this long. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/**
 * Wait this long for the whole greeting. RFC 5321 §4.5.3.2.1 gives a sending MTA five minutes;
 * a check does not wait that long, but long enough for the pause some servers make before
 * greeting to catch clients that talk first (Postfix postscreen waits 6 s by default).
 */
export const DEFAULT_BANNER_TIMEOUT_MS = 20_000;
/** After QUIT is written, the connection is destroyed this long after, whatever the server does. */
const QUIT_GRACE_MS = 1000;
/** Wait this long for the whole reply to one command (EHLO, STARTTLS). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 15_000;
/** Wait this long for the TLS handshake to complete. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 15_000;
/** The whole probe, from the address lookup to QUIT, ends within this. */
export const DEFAULT_PROBE_TIMEOUT_MS = 60_000;
/** At most this many octets of replies are read from one server, plaintext and TLS together. */
export const MAX_REPLY_BYTES = 64 * 1024;
/**
 * The longest reply line read, CRLF included. RFC 5321 §4.5.3.1.5 allows 512 octets; servers
 * that overrun it a little are tolerated, a line without end is not.
 */
export const MAX_REPLY_LINE_BYTES = 4096;

/**
 * Probes running at once, at most, by default (see `ProbeLimiter`): each to another host (see
 * DEFAULT_MAX_CONNECTIONS_PER_HOST). With 8, a 1,000-domain check at 40 ms round trips waited
 * on the probes for 30 of its 35 seconds (bench/check).
 */
export const DEFAULT_MAX_CONNECTIONS = 32;
/** Connections to one MX host at once, at most, by default: mail servers throttle clients that open many. */
export const DEFAULT_MAX_CONNECTIONS_PER_HOST = 1;
/**
 * MX hosts probed per domain, at most, by default: the most preferred ones. Domains with more
 * MX hosts are rare, and each probe can take up to the probe timeout.
 */
export const DEFAULT_MAX_MX_PER_DOMAIN = 5;

/** The lowest TLS version the UK government standard accepts for mail in transit. */
export const MINIMUM_TLS_VERSION = 'TLSv1.2';

/**
 * How a probe ended. The set is closed: a report can say something for each.
 */
export type SmtpProbeOutcome =
  /** STARTTLS was offered and a TLS session established (whatever the certificate: see `tls.certificate`). */
  | 'tls'
  /** The server answered EHLO without offering STARTTLS (or does not speak ESMTP at all). */
  | 'no-starttls'
  /** STARTTLS was offered but refused when sent, or the TLS handshake failed. */
  | 'tls-failed'
  /** The connection was refused or reset, closed before the greeting, or the server refused the session (a 4xx or 5xx greeting or reply to EHLO). */
  | 'refused'
  /** No route to the host, or the local system forbade the connection. */
  | 'unreachable'
  /** The MX host name did not resolve to an address. */
  | 'unresolved'
  /** A timeout ran out: `phase` says which. */
  | 'timeout'
  /**
   * Not probed, or given up while connecting: earlier probes of the run found that no MX host
   * could be reached on port 25 (see `ProbeLimiter`), so outbound port 25 appears to be blocked.
   */
  | 'blocked'
  /** The server broke SMTP: a malformed reply, too many octets or too long a line, data where there must be none, or the connection closed mid-conversation. */
  | 'protocol-error';

/** Where in the conversation a probe was when it ended. */
export type SmtpProbePhase = 'resolve' | 'connect' | 'banner' | 'ehlo' | 'starttls' | 'handshake' | 'quit';

export interface SmtpProbeOptions {
  /**
   * The port to connect to.
   * @default SMTP_PORT
   */
  readonly port?: number;
  /**
   * Connect to this address and port instead of resolving the MX host, still sending SNI
   * for the MX host and checking the certificate for that name. For tests and benchmarks
   * against a local server.
   * @default - resolve the MX host and connect to `port`
   */
  readonly connectTo?: { readonly host: string; readonly port: number };
  /**
   * Resolve the MX host to an address. Rejecting means the host does not resolve; the message
   * is used in the result.
   * @default - the system's resolver
   */
  readonly lookup?: (host: string) => Promise<string>;
  /**
   * The name sent with EHLO.
   * @default - this machine's host name when it is fully qualified, else the address literal of the local end of the connection (RFC 5321 §4.1.4)
   */
  readonly ehloName?: string;
  /**
   * More trust anchors (PEM), added to Node's bundled roots, for a private CA.
   * @default - Node's bundled roots only
   */
  readonly ca?: string[];
  /** @default DEFAULT_CONNECT_TIMEOUT_MS */
  readonly connectTimeoutMs?: number;
  /** @default DEFAULT_BANNER_TIMEOUT_MS */
  readonly bannerTimeoutMs?: number;
  /** @default DEFAULT_COMMAND_TIMEOUT_MS */
  readonly commandTimeoutMs?: number;
  /** @default DEFAULT_HANDSHAKE_TIMEOUT_MS */
  readonly handshakeTimeoutMs?: number;
  /** @default DEFAULT_PROBE_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** @default MAX_REPLY_BYTES */
  readonly maxReplyBytes?: number;
  /** @default MAX_REPLY_LINE_BYTES */
  readonly maxLineBytes?: number;
  /**
   * The time certificate dates are judged at.
   * @default - now
   */
  readonly now?: () => Date;
}

/** One certificate the server's chain holds, as a report and a DANE match need it. */
export interface PresentedCertificate {
  /** The subject, one `KEY=value` per line as OpenSSL prints it. */
  readonly subject: string;
  /** The subjectAltName entries, as `DNS:name` or `IP Address:addr`. */
  readonly subjectAltNames: string[];
  readonly issuer: string;
  /** ISO 8601. */
  readonly notBefore: string;
  /** ISO 8601. */
  readonly notAfter: string;
  /** SHA-256 of the DER, colon-separated hex as OpenSSL prints it. */
  readonly fingerprint256: string;
  /** The certificate, DER. */
  readonly der: Buffer;
  /** `rsa`, `ec`, `ed25519`, … */
  readonly keyType?: string;
  /** The key size in bits (the modulus for RSA, the curve's for EC). */
  readonly keyBits?: number;
  /**
   * The certificate is one of the trust anchors (Node's bundled roots or `ca`). Node lists the
   * trusted root a chain ends in after the certificates the server sent, whether or not the
   * server sent it too.
   */
  readonly trustAnchor: boolean;
}

/** The certificate chain presented, and the verdict on it. */
export interface SmtpCertificateCheck {
  /** The leaf first, then each issuer as far as it is known. */
  readonly chain: PresentedCertificate[];
  /**
   * The chain validates: it leads to a trusted root and every certificate in it is within its
   * dates (OpenSSL's verification). The name is judged apart, in `nameMatches`.
   */
  readonly chainValid: boolean;
  /** Why the chain did not validate: OpenSSL's code, such as `CERT_HAS_EXPIRED` or `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  readonly chainError?: string;
  /**
   * The chain leads to a trusted root, dates aside: it validates, or the only fault OpenSSL
   * reports is a date. (OpenSSL reports one fault: an expired certificate from an untrusted
   * issuer may be reported as either.)
   */
  readonly trusted: boolean;
  /** The leaf's notAfter has passed. */
  readonly expired: boolean;
  /** The leaf's notBefore has not come yet. */
  readonly notYetValid: boolean;
  /** The leaf is valid for the MX host name (RFC 6125, as `tls.checkServerIdentity` checks it). */
  readonly nameMatches: boolean;
  /** Why the name does not match. */
  readonly nameError?: string;
}

/** The TLS session established after STARTTLS. */
export interface SmtpTlsSession {
  /** The version negotiated, as Node names it: `TLSv1.3`, `TLSv1.2`, `TLSv1.1`, `TLSv1`. */
  readonly version: string;
  /** The cipher suite, OpenSSL's name. */
  readonly cipher: string;
  /** The cipher suite, the IANA name. */
  readonly cipherStandardName?: string;
  /**
   * TLS 1.2 or later was negotiated. The probe offers TLS 1.0 to 1.3, so a server that
   * negotiates less than 1.2 supports nothing newer; one connection is made, so the lowest
   * version a server would accept is not measured.
   */
  readonly meetsMinimum: boolean;
  /** The certificates presented and the verdict on them; undefined when none was presented. */
  readonly certificate?: SmtpCertificateCheck;
}

/** What a probe of one MX host found. */
export interface SmtpProbeResult {
  /** The MX host, lower case, no trailing dot. */
  readonly host: string;
  /** The address connected to (or tried). */
  readonly address?: string;
  readonly port: number;
  readonly outcome: SmtpProbeOutcome;
  /** Where the probe ended: `quit` when the conversation ran to the end. */
  readonly phase: SmtpProbePhase;
  /** A sentence saying what went wrong (or, for `no-starttls`, what was found); undefined when the outcome is `tls`. */
  readonly error?: string;
  /** The greeting's lines, without the code. */
  readonly banner?: string[];
  /** The EHLO reply's extension lines (the lines after the first), as sent. */
  readonly extensions?: string[];
  /** EHLO offered STARTTLS. */
  readonly starttlsOffered: boolean;
  /** The TLS session, when one was established. */
  readonly tls?: SmtpTlsSession;
  /** How long the probe took, in milliseconds. */
  readonly elapsedMs: number;
}

/**
 * Probe the MX host `host`: STARTTLS, the TLS version and cipher, and the certificate chain
 * with a verdict on it. Never rejects.
 */
export async function probeMx(host: string, options: SmtpProbeOptions = {}): Promise<SmtpProbeResult> {
  return runProbe(host.toLowerCase().replace(/\.$/, ''), options);
}

/** @internal What a run-wide watcher (the port 25 breaker of `ProbeLimiter`) learns from one probe. */
export interface ProbeWatcher {
  /** The probe is trying to connect; `giveUp` ends it as `blocked`. */
  connecting(giveUp: () => void): void;
  /** The TCP connection was made. */
  connected(): void;
  /** The probe is past connecting, however it got there. */
  leftConnect(): void;
}

async function runProbe(host: string, options: SmtpProbeOptions, watcher?: ProbeWatcher): Promise<SmtpProbeResult> {
  const probe = new Probe(host, options, watcher);
  try {
    return await probe.run();
  } catch (err) {
    // Not expected: every failure the probe knows of is an outcome. Reported, never thrown.
    return probe.result('protocol-error', `the probe failed: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** A presented certificate as the TLS socket gives it, with its issuers (none for a leaf read alone). */
type PeerChain = tls.PeerCertificate & { issuerCertificate?: tls.DetailedPeerCertificate };

/** An SMTP reply: its code and the text of each line. */
interface Reply {
  readonly code: number;
  readonly lines: string[];
}

/** How a probe that did not reach TLS ended. */
class ProbeEnd extends Error {
  constructor(readonly outcome: Exclude<SmtpProbeOutcome, 'tls'>, message: string) {
    super(message);
  }
}

const REPLY_LINE = /^([2-5][0-9]{2})([ -])(.*)$/s;
const REPLY_CODE_ONLY = /^([2-5][0-9]{2})$/;

/** One probe: one connection, one conversation. */
class Probe {
  private readonly started = Date.now();
  private readonly port: number;
  private readonly maxBytes: number;
  private readonly maxLine: number;
  private readonly timeoutMs: number;
  private phase: SmtpProbePhase = 'resolve';
  private address?: string;
  private raw?: net.Socket;
  private secure?: tls.TLSSocket;
  private banner?: string[];
  private extensions?: string[];
  private starttlsOffered = false;
  private session?: SmtpTlsSession;

  // Reading replies.
  private received = 0;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private replyLines: string[] = [];
  private replyCode?: number;
  private readonly replies: Reply[] = [];
  private waiter?: { resolve: (r: Reply) => void; reject: (e: Error) => void };
  /** Set once the probe has failed: every later wait fails with it at once. */
  private failure?: ProbeEnd;
  /** Fail whatever is being waited for. */
  private pending?: (err: Error) => void;

  /**
   * The presented chain as Node read it to check the server's identity (it does so whenever the
   * chain verifies): read again, it would cost as much a second time.
   */
  private verifiedPeer?: PeerChain;

  constructor(private readonly host: string, private readonly options: SmtpProbeOptions, private readonly watcher?: ProbeWatcher) {
    this.port = options.connectTo?.port ?? options.port ?? SMTP_PORT;
    this.maxBytes = options.maxReplyBytes ?? MAX_REPLY_BYTES;
    this.maxLine = options.maxLineBytes ?? MAX_REPLY_LINE_BYTES;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  }

  public async run(): Promise<SmtpProbeResult> {
    const deadline = setTimeout(() => this.fail(new ProbeEnd('timeout', `${this.host} did not finish within ${seconds(this.timeoutMs)} (${PHASE_WORDS[this.phase]})`)),
      this.timeoutMs);
    try {
      await this.converse();
      return this.result('tls');
    } catch (err) {
      if (!(err instanceof ProbeEnd)) throw err;
      return this.result(err.outcome, err.message);
    } finally {
      clearTimeout(deadline);
      this.watcher?.leftConnect();
      this.secure?.destroy();
      this.raw?.destroy();
    }
  }

  public result(outcome: SmtpProbeOutcome, error?: string): SmtpProbeResult {
    return {
      host: this.host,
      ...(this.address === undefined ? {} : { address: this.address }),
      port: this.port,
      outcome,
      phase: this.phase,
      ...(error === undefined ? {} : { error }),
      ...(this.banner === undefined ? {} : { banner: this.banner }),
      ...(this.extensions === undefined ? {} : { extensions: this.extensions }),
      starttlsOffered: this.starttlsOffered,
      ...(this.session === undefined ? {} : { tls: this.session }),
      elapsedMs: Date.now() - this.started,
    };
  }

  private async converse(): Promise<void> {
    this.address = await this.resolve();

    this.phase = 'connect';
    this.watcher?.connecting(() => this.fail(blockedEnd()));
    const raw = await this.connect(this.address);
    this.watcher?.leftConnect();

    this.phase = 'banner';
    const greeting = await this.reply(this.options.bannerTimeoutMs ?? DEFAULT_BANNER_TIMEOUT_MS);
    this.banner = greeting.lines;
    if (greeting.code !== 220) {
      throw new ProbeEnd(greeting.code >= 400 ? 'refused' : 'protocol-error', `${this.host} greeted with ${quoteReply(greeting)}${greeting.code >= 400 ? ', refusing the session' : '; 220 is expected'}`);
    }

    this.phase = 'ehlo';
    const ehlo = await this.command(`EHLO ${this.options.ehloName ?? defaultEhloName(raw)}`);
    if (ehlo.code !== 250) {
      if (ehlo.code === 500 || ehlo.code === 502 || ehlo.code === 504) {
        // A server without ESMTP (RFC 5321 §4.1.1.1): HELO would do for mail, but STARTTLS is an ESMTP extension.
        await this.quit();
        throw new ProbeEnd('no-starttls', `${this.host} does not support EHLO (${quoteReply(ehlo)}), so it cannot offer STARTTLS`);
      }
      throw new ProbeEnd(ehlo.code >= 400 ? 'refused' : 'protocol-error', `${this.host} answered EHLO with ${quoteReply(ehlo)}`);
    }
    this.extensions = ehlo.lines.slice(1);
    this.starttlsOffered = this.extensions.some((line) => /^STARTTLS$/i.test(line.trim()));
    if (!this.starttlsOffered) {
      await this.quit();
      throw new ProbeEnd('no-starttls', `${this.host} does not offer STARTTLS`);
    }

    this.phase = 'starttls';
    const go = await this.command('STARTTLS');
    if (go.code !== 220) {
      await this.quit();
      throw new ProbeEnd('tls-failed', `${this.host} offered STARTTLS but answered it with ${quoteReply(go)}`);
    }
    if (this.partialBytes > 0 || this.replies.length > 0) {
      // RFC 3207 §5: nothing may come between the 220 and the handshake. Bytes that do were
      // sent in plaintext and could be taken as part of the TLS session.
      throw new ProbeEnd('protocol-error', `${this.host} sent data after its 220 reply to STARTTLS, before the TLS handshake`);
    }

    this.phase = 'handshake';
    this.session = await this.handshake(raw);

    this.phase = 'quit';
    await this.quit();
  }

  private async resolve(): Promise<string> {
    if (this.options.connectTo !== undefined) return this.options.connectTo.host;
    if (isIP(this.host) !== 0) return this.host;
    const lookup = this.options.lookup ?? systemLookup;
    const found = await this.wait<string>(this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      `resolving ${this.host} took longer than ${seconds(this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS)}`,
      (resolve, reject) => {
        lookup(this.host).then(resolve, (err: Error) => reject(new ProbeEnd('unresolved', `${this.host} does not resolve: ${err?.message ?? String(err)}`)));
      });
    return found;
  }

  private connect(address: string): Promise<net.Socket> {
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return this.wait<net.Socket>(timeoutMs, `${this.host} (${address} port ${this.port}) did not accept a connection within ${seconds(timeoutMs)}`, (resolve) => {
      const socket = net.connect({ host: address, port: this.port });
      this.raw = socket;
      socket.on('error', (err) => this.socketGone(err));
      socket.on('close', () => this.socketGone(undefined));
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.once('connect', () => {
        this.watcher?.connected();
        resolve(socket);
      });
    });
  }

  /** Run the TLS handshake over the connection and judge what was presented. */
  private handshake(raw: net.Socket): Promise<SmtpTlsSession> {
    const timeoutMs = this.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    // From here on the TLS socket reads the connection; nothing more is read as plaintext.
    raw.removeAllListeners('data');
    return this.wait<SmtpTlsSession>(timeoutMs, `the TLS handshake with ${this.host} did not complete within ${seconds(timeoutMs)}`, (resolve) => {
      const secure = tls.connect({
        socket: raw,
        ...(isIP(this.host) === 0 ? { servername: this.host } : {}),
        secureContext: secureContextFor(this.options.ca),
        // Only so that what the server presents can be reported: the verdict is worked out
        // below, from OpenSSL's verification (socket.authorized) and the name check. Node calls
        // this with the whole chain (getPeerCertificate(true)) when the chain verifies; it is
        // kept for describeSession.
        rejectUnauthorized: false,
        checkServerIdentity: (_name: string, cert: tls.PeerCertificate) => {
          this.verifiedPeer = cert as PeerChain;
          return undefined;
        },
      });
      this.secure = secure;
      secure.on('error', (err) => this.socketGone(err));
      secure.on('close', () => this.socketGone(undefined));
      secure.on('data', (chunk: Buffer) => this.onData(chunk));
      secure.once('secureConnect', () => resolve(this.describeSession(secure)));
    });
  }

  private describeSession(secure: tls.TLSSocket): SmtpTlsSession {
    const version = secure.getProtocol() ?? 'unknown';
    const cipher = secure.getCipher();
    const peer: PeerChain | undefined = this.verifiedPeer ?? secure.getPeerCertificate(true);
    const certificate = peer !== undefined && peer !== null && Object.keys(peer).length > 0
      ? this.judgeCertificate(secure, peer)
      : undefined;
    return {
      version,
      cipher: cipher?.name ?? 'unknown',
      ...(cipher?.standardName === undefined ? {} : { cipherStandardName: cipher.standardName }),
      meetsMinimum: tlsVersionAtLeast(version, MINIMUM_TLS_VERSION),
      ...(certificate === undefined ? {} : { certificate }),
    };
  }

  private judgeCertificate(secure: tls.TLSSocket, leaf: PeerChain): SmtpCertificateCheck {
    const chain: PresentedCertificate[] = [];
    const anchors = trustAnchors(this.options.ca);
    const seen = new Set<string>();
    for (let c: PeerChain | undefined = leaf; c !== undefined && c.raw !== undefined; c = c.issuerCertificate) {
      if (seen.has(c.fingerprint256)) break;
      seen.add(c.fingerprint256);
      chain.push(new PeerCertificate(c, anchors));
    }
    const now = (this.options.now ?? (() => new Date()))().getTime();
    const first = chain[0];
    const expired = now > Date.parse(first.notAfter);
    const notYetValid = now < Date.parse(first.notBefore);
    const chainError = secure.authorized ? undefined : String(secure.authorizationError ?? 'UNKNOWN');
    const nameFault = tls.checkServerIdentity(this.host, leaf);
    return {
      chain,
      chainValid: secure.authorized,
      ...(chainError === undefined ? {} : { chainError }),
      trusted: secure.authorized || chainError === 'CERT_HAS_EXPIRED' || chainError === 'CERT_NOT_YET_VALID',
      expired,
      notYetValid,
      nameMatches: nameFault === undefined,
      ...(nameFault === undefined ? {} : { nameError: nameFault.message }),
    };
  }

  /** Send a command and wait for its reply. */
  private command(line: string, timeoutMs?: number): Promise<Reply> {
    if (this.failure === undefined) (this.secure ?? this.raw)!.write(`${line}\r\n`);
    return this.reply(timeoutMs ?? this.options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  }

  /**
   * Say QUIT and close the connection. What the server would answer changes nothing, so its reply
   * is not waited for: that would add a round trip to every probe.
   */
  private async quit(): Promise<void> {
    const socket = this.secure ?? this.raw;
    const raw = this.raw;
    if (socket === undefined) return;
    // Both layers closed once QUIT is written, and destroyed a moment later whatever the
    // server does, so that nothing of the probe lingers.
    const close = () => {
      raw?.end();
      setTimeout(() => {
        socket.destroy();
        raw?.destroy();
      }, QUIT_GRACE_MS).unref();
    };
    if (this.failure === undefined && !socket.destroyed) socket.end('QUIT\r\n', close);
    else close();
  }

  /** The next whole reply, within timeoutMs (for the reply as a whole, however slowly it comes). */
  private reply(timeoutMs: number): Promise<Reply> {
    const what = this.phase === 'banner' ? 'greet' : `answer ${PHASE_WORDS[this.phase]}`;
    return this.wait<Reply>(timeoutMs, `${this.host} did not ${what} within ${seconds(timeoutMs)}`, (resolve, reject) => {
      const queued = this.replies.shift();
      if (queued !== undefined) {
        resolve(queued);
        return;
      }
      this.waiter = { resolve, reject };
    });
  }

  /**
   * Wait for something the probe started, failing with a timeout after timeoutMs, or at once
   * when the probe has failed (the deadline, the connection gone).
   */
  private wait<T>(timeoutMs: number, timeoutMessage: string, start: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => this.fail(new ProbeEnd('timeout', timeoutMessage)), timeoutMs);
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pending = undefined;
        this.waiter = undefined;
        f();
      };
      this.pending = (err) => settle(() => reject(err));
      start((v) => settle(() => resolve(v)), (e) => settle(() => reject(e)));
    });
  }

  private fail(end: ProbeEnd): void {
    if (this.failure !== undefined) return;
    this.failure = end;
    this.pending?.(end);
    this.secure?.destroy();
    this.raw?.destroy();
  }

  private socketGone(err: Error | undefined): void {
    if (this.failure !== undefined) return;
    const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
    switch (this.phase) {
      case 'resolve':
      case 'connect':
        this.fail(connectFailure(this.host, this.address ?? this.host, this.port, err));
        return;
      case 'banner':
        if (this.received === 0) {
          this.fail(new ProbeEnd('refused', `${this.host} ${code === 'ECONNRESET' ? 'reset' : 'closed'} the connection without greeting`));
        } else {
          this.fail(new ProbeEnd('protocol-error', `${this.host} closed the connection in the middle of its greeting`));
        }
        return;
      case 'ehlo':
      case 'starttls':
        this.fail(new ProbeEnd('protocol-error', `${this.host} closed the connection without answering ${PHASE_WORDS[this.phase]}${err ? ` (${code || err.message})` : ''}`));
        return;
      case 'handshake':
        this.fail(new ProbeEnd('tls-failed', err === undefined || code === 'ECONNRESET'
          ? `${this.host} closed the connection during the TLS handshake${code ? ` (${code})` : ''}`
          : `the TLS handshake with ${this.host} failed: ${tlsErrorText(err)}`));
        return;
      case 'quit':
        // The session was established and judged; a server that hangs up on QUIT changes nothing.
        this.pending?.(new ProbeEnd('protocol-error', 'closed'));
        return;
    }
  }

  /** Split what the server sends into lines and lines into replies, within the caps. */
  private onData(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    this.received += chunk.length;
    if (this.received > this.maxBytes) {
      this.fail(new ProbeEnd('protocol-error', `${this.host} sent more than ${this.maxBytes} octets of replies; reading stopped there`));
      return;
    }
    let rest = chunk;
    for (let nl = rest.indexOf(0x0a); nl !== -1; nl = rest.indexOf(0x0a)) {
      const piece = rest.subarray(0, nl + 1);
      rest = rest.subarray(nl + 1);
      if (this.partialBytes + piece.length > this.maxLine) {
        this.fail(lineTooLong(this.host, this.maxLine));
        return;
      }
      const line = Buffer.concat([...this.partial, piece]).toString('latin1').replace(/\r?\n$/, '');
      this.partial = [];
      this.partialBytes = 0;
      if (!this.onLine(line)) return;
    }
    if (rest.length > 0) {
      this.partial.push(rest);
      this.partialBytes += rest.length;
      if (this.partialBytes > this.maxLine) this.fail(lineTooLong(this.host, this.maxLine));
    }
  }

  /** One reply line. False when it ended the probe. */
  private onLine(line: string): boolean {
    const codeOnly = REPLY_CODE_ONLY.exec(line);
    const m = codeOnly === null ? REPLY_LINE.exec(line) : [line, codeOnly[1], ' ', ''];
    if (m === null) {
      this.fail(new ProbeEnd('protocol-error', `${this.host} sent a line that is not an SMTP reply: ${quoteLine(line)}`));
      return false;
    }
    const code = Number(m[1]);
    if (this.replyCode !== undefined && code !== this.replyCode) {
      // RFC 5321 §4.2.1: every line of a multiline reply has the same code.
      this.fail(new ProbeEnd('protocol-error', `${this.host} sent a multiline reply whose lines have different codes (${this.replyCode} then ${code})`));
      return false;
    }
    this.replyCode = code;
    this.replyLines.push(m[3]);
    if (m[2] === ' ') {
      const reply = { code, lines: this.replyLines };
      this.replyCode = undefined;
      this.replyLines = [];
      if (this.waiter !== undefined) {
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve(reply);
      } else {
        this.replies.push(reply);
      }
    }
    return true;
  }
}

const PHASE_WORDS: Record<SmtpProbePhase, string> = {
  resolve: 'resolving the host',
  connect: 'connecting',
  banner: 'waiting for the greeting',
  ehlo: 'EHLO',
  starttls: 'STARTTLS',
  handshake: 'the TLS handshake',
  quit: 'QUIT',
};

function connectFailure(host: string, address: string, port: number, err: Error | undefined): ProbeEnd {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  const where = `${host} (${address} port ${port})`;
  switch (code) {
    case 'ECONNREFUSED':
      return new ProbeEnd('refused', `${where} refused the connection (${code})`);
    case 'ECONNRESET':
      return new ProbeEnd('refused', `${where} reset the connection (${code})`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EADDRNOTAVAIL':
      return new ProbeEnd('unreachable', `${where} cannot be reached from here (${code})`);
    case 'EACCES':
    case 'EPERM':
      return new ProbeEnd('unreachable', `this system does not allow connecting to ${where} (${code}); outbound port ${port} may be blocked`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return new ProbeEnd('unresolved', `${host} does not resolve (${code})`);
    default:
      return new ProbeEnd('unreachable', `could not connect to ${where}: ${err?.message ?? 'the connection closed'}`);
  }
}

function lineTooLong(host: string, maxLine: number): ProbeEnd {
  return new ProbeEnd('protocol-error', `${host} sent a reply line longer than ${maxLine} octets; reading stopped there`);
}

/** A TLS failure as a phrase: OpenSSL's reason, with its code. */
function tlsErrorText(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const reason = (err as { reason?: string }).reason ?? err.message.split('\n')[0];
  return code && !reason.includes(code) ? `${reason} (${code})` : reason;
}

/** A reply as a report quotes it: code and first line, cut short. */
function quoteReply(r: Reply): string {
  return quoteLine(`${r.code} ${r.lines[0] ?? ''}`.trim());
}

function quoteLine(line: string): string {
  const printable = line.replace(/[^\x20-\x7e]/g, '?');
  return `"${printable.length > 120 ? `${printable.slice(0, 120)}…` : printable}"`;
}

/** This machine's host name when it is fully qualified, else undefined; read once. */
let fqdn: string | null | undefined;

function defaultEhloName(socket: net.Socket): string {
  if (fqdn === undefined) {
    const name = hostname();
    fqdn = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(name) ? name : null;
  }
  if (fqdn !== null) return fqdn;
  const local = socket.localAddress ?? '127.0.0.1';
  return isIP(local) === 6 ? `[IPv6:${local}]` : `[${local}]`;
}

async function systemLookup(host: string): Promise<string> {
  return (await dnsPromises.lookup(host)).address;
}

const TLS_ORDER = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Whether a TLS version, as Node names it, is `minimum` or later. Unknown names are not. */
export function tlsVersionAtLeast(version: string, minimum: string): boolean {
  const v = TLS_ORDER.indexOf(version);
  const m = TLS_ORDER.indexOf(minimum);
  return v !== -1 && m !== -1 && v >= m;
}

/** `TLS 1.2` for `TLSv1.2`, `TLS 1.0` for `TLSv1`: how people write versions. */
export function tlsVersionText(version: string): string {
  const m = /^TLSv1(?:\.(\d))?$/.exec(version);
  return m === null ? version : `TLS 1.${m[1] ?? '0'}`;
}

/**
 * One certificate of a presented chain. What the verdict and a DANE match need (the DER, its
 * fingerprint, the dates) is taken from what the TLS socket already holds; the rest (names, key)
 * is parsed from the DER only when read, as a report reads it only for a certificate at fault.
 * Parsing a certificate costs more than the rest of its description together, and a check of
 * many domains describes thousands.
 */
class PeerCertificate implements PresentedCertificate {
  public readonly der: Buffer;
  public readonly fingerprint256: string;
  public readonly notBefore: string;
  public readonly notAfter: string;
  public readonly trustAnchor: boolean;
  private parsed?: X509Certificate;
  private keyDetails?: { readonly keyType?: string; readonly keyBits?: number };

  constructor(c: tls.PeerCertificate, anchors: Set<string>) {
    this.der = c.raw;
    this.fingerprint256 = c.fingerprint256;
    // The same text X509Certificate's validFrom and validTo give (OpenSSL's ASN1_TIME_print).
    this.notBefore = new Date(c.valid_from).toISOString();
    this.notAfter = new Date(c.valid_to).toISOString();
    this.trustAnchor = anchors.has(c.fingerprint256);
  }

  public get subject(): string {
    return this.x509().subject;
  }

  public get subjectAltNames(): string[] {
    const san = this.x509().subjectAltName;
    return san === undefined ? [] : san.split(/,\s*/);
  }

  public get issuer(): string {
    return this.x509().issuer;
  }

  public get keyType(): string | undefined {
    return this.key().keyType;
  }

  public get keyBits(): number | undefined {
    return this.key().keyBits;
  }

  /** Every field, as a plain object: what JSON.stringify writes. */
  public toJSON(): PresentedCertificate {
    const { keyType, keyBits } = this.key();
    return {
      subject: this.subject,
      subjectAltNames: this.subjectAltNames,
      issuer: this.issuer,
      notBefore: this.notBefore,
      notAfter: this.notAfter,
      fingerprint256: this.fingerprint256,
      der: this.der,
      ...(keyType === undefined ? {} : { keyType }),
      ...(keyBits === undefined ? {} : { keyBits }),
      trustAnchor: this.trustAnchor,
    };
  }

  private x509(): X509Certificate {
    this.parsed ??= new X509Certificate(this.der);
    return this.parsed;
  }

  private key(): { readonly keyType?: string; readonly keyBits?: number } {
    if (this.keyDetails === undefined) {
      const key = this.x509().publicKey;
      const details = key.asymmetricKeyDetails;
      this.keyDetails = { keyType: key.asymmetricKeyType, keyBits: details?.modulusLength ?? curveBits(details?.namedCurve) };
    }
    return this.keyDetails;
  }
}

function curveBits(curve: string | undefined): number | undefined {
  const m = /(\d{3})/.exec(curve ?? '');
  return m === null ? undefined : Number(m[1]);
}

/**
 * TLS 1.0 and 1.1 are offered so that a server that supports nothing newer is observed rather
 * than lost in a handshake failure; OpenSSL 3 refuses them (and their SHA-1 signatures) above
 * security level 0, so the context is built at level 0. The verdict does not rest on what the
 * handshake accepts: the version is reported and judged, the chain is judged by OpenSSL's
 * verification and the name by `checkServerIdentity`.
 */
const CLIENT_TLS = { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

const contexts = new WeakMap<readonly string[], tls.SecureContext>();
let defaultContext: tls.SecureContext | undefined;

/** The TLS context, made once per `ca` list and reused by every probe (building one loads every root). */
function secureContextFor(ca: readonly string[] | undefined): tls.SecureContext {
  if (ca === undefined || ca.length === 0) {
    defaultContext ??= tls.createSecureContext({ ...CLIENT_TLS });
    return defaultContext;
  }
  let ctx = contexts.get(ca);
  if (ctx === undefined) {
    ctx = tls.createSecureContext({ ...CLIENT_TLS, ca: [...tls.rootCertificates, ...ca] });
    contexts.set(ca, ctx);
  }
  return ctx;
}

const anchorSets = new WeakMap<readonly string[], Set<string>>();
let bundledAnchors: Set<string> | undefined;

/** The SHA-256 fingerprints of the trust anchors: Node's bundled roots and `ca`. */
function trustAnchors(ca: readonly string[] | undefined): Set<string> {
  bundledAnchors ??= new Set(tls.rootCertificates.flatMap(fingerprints));
  if (ca === undefined || ca.length === 0) return bundledAnchors;
  let set = anchorSets.get(ca);
  if (set === undefined) {
    set = new Set([...bundledAnchors, ...ca.flatMap(fingerprints)]);
    anchorSets.set(ca, set);
  }
  return set;
}

/**
 * The fingerprints of the certificates in a PEM text (a bundle may hold several): SHA-256 of each
 * one's DER, written as X509Certificate's fingerprint256 writes it (hashing the DER is what
 * OpenSSL does, without parsing the certificate first).
 */
function fingerprints(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const der = Buffer.from(block.slice('-----BEGIN CERTIFICATE-----'.length, -'-----END CERTIFICATE-----'.length), 'base64');
    return createHash('sha256').update(der).digest('hex').toUpperCase().replace(/..(?!$)/g, '$&:');
  });
}

/**
 * The run-wide port 25 breaker's default: probing stops when this many distinct MX hosts, of at
 * least DEFAULT_BLOCKED_MIN_DOMAINS domains, have not accepted a connection within the connect
 * timeout and no probe has connected. A network that drops outbound port 25 makes every probe wait
 * for its connect timeout: at 10 s each, 32 at a time, a 1,000-domain check would wait 7 minutes
 * to learn nothing.
 */
export const DEFAULT_BLOCKED_AFTER_HOSTS = 8;
/** See DEFAULT_BLOCKED_AFTER_HOSTS: timeouts of one domain's hosts alone say more about the domain than the network. */
export const DEFAULT_BLOCKED_MIN_DOMAINS = 3;

/** What `ProbeLimiter` is given. */
export interface ProbeLimiterOptions {
  /** @default DEFAULT_MAX_CONNECTIONS */
  readonly maxConnections?: number;
  /** @default DEFAULT_MAX_CONNECTIONS_PER_HOST */
  readonly maxConnectionsPerHost?: number;
  /**
   * Stop probing for the rest of the run once this many distinct MX hosts have failed to connect
   * by timeout (not by refusal, and not after a greeting) while no probe has connected; 0 never
   * stops. A probe that connects, to any host, turns the breaker off for the run.
   * @default DEFAULT_BLOCKED_AFTER_HOSTS
   */
  readonly blockedAfterHosts?: number;
  /**
   * ... and those hosts are MX hosts of at least this many domains (`probeMxHosts` calls).
   * @default DEFAULT_BLOCKED_MIN_DOMAINS
   */
  readonly blockedMinDomains?: number;
  /** Called once, when probing stops, with a sentence saying why (`ProbeLimiter.blocked`). */
  readonly onBlocked?: (notice: string) => void;
}

/**
 * Caps the probes running at once, in all and per MX host. `run` waits for a free slot, then
 * runs the task; tasks start in the order they were given.
 *
 * One limiter serves a whole run, so it also holds the run's port 25 breaker (see
 * `ProbeLimiterOptions.blockedAfterHosts`), which `probeMxHosts` consults: once it has tripped,
 * probes still connecting are given up and no more are made; each ends as `blocked`.
 */
export class ProbeLimiter {
  private readonly maxConnections: number;
  private readonly maxPerHost: number;
  private running = 0;
  private readonly perHost = new Map<string, number>();
  private readonly queue: Array<{ host: string; start: () => void }> = [];

  // The port 25 breaker.
  private readonly blockedAfterHosts: number;
  private readonly blockedMinDomains: number;
  private readonly onBlocked?: (notice: string) => void;
  /** A probe has connected: the network lets port 25 out, and the breaker is off for the run. */
  private anyConnected = false;
  /** The MX hosts whose connect timed out, and the domains (`probeMxHosts` calls) they were probed for. */
  private readonly timedOut = new Map<string, Set<object>>();
  private readonly timedOutDomains = new Set<object>();
  /** Probes now connecting, each with the means to give it up. */
  private readonly connecting = new Set<() => void>();
  private notice?: string;

  constructor(options: ProbeLimiterOptions = {}) {
    this.maxConnections = Math.max(1, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
    this.maxPerHost = Math.max(1, options.maxConnectionsPerHost ?? DEFAULT_MAX_CONNECTIONS_PER_HOST);
    this.blockedAfterHosts = Math.max(0, options.blockedAfterHosts ?? DEFAULT_BLOCKED_AFTER_HOSTS);
    this.blockedMinDomains = Math.max(1, options.blockedMinDomains ?? DEFAULT_BLOCKED_MIN_DOMAINS);
    this.onBlocked = options.onBlocked;
  }

  /**
   * Once the breaker has tripped: the sentence that says so, for the run to print once. Undefined
   * while probing goes on.
   */
  public get blocked(): string | undefined {
    return this.notice;
  }

  /** Run `task` for `host` once the limits allow. */
  public run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const key = host.toLowerCase().replace(/\.$/, '');
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        host: key,
        start: () => {
          Promise.resolve().then(task).then(resolve, reject).finally(() => {
            this.running--;
            const n = (this.perHost.get(key) ?? 1) - 1;
            if (n === 0) this.perHost.delete(key);
            else this.perHost.set(key, n);
            this.next();
          });
        },
      });
      this.next();
    });
  }

  /** @internal What one probe of `domain` tells the breaker. */
  public watcher(): ProbeWatcher {
    let giveUp: (() => void) | undefined;
    return {
      connecting: (g) => {
        giveUp = g;
        if (this.notice !== undefined) g();
        else this.connecting.add(g);
      },
      connected: () => {
        this.anyConnected = true;
      },
      leftConnect: () => {
        if (giveUp !== undefined) this.connecting.delete(giveUp);
      },
    };
  }

  /** @internal A probe's result, for the breaker: a connect that timed out counts towards tripping it. */
  public record(result: SmtpProbeResult, domain: object): void {
    if (this.notice !== undefined || this.anyConnected || this.blockedAfterHosts === 0) return;
    if (result.outcome !== 'timeout' || result.phase !== 'connect') return;
    let domains = this.timedOut.get(result.host);
    if (domains === undefined) {
      domains = new Set();
      this.timedOut.set(result.host, domains);
    }
    domains.add(domain);
    this.timedOutDomains.add(domain);
    if (this.timedOut.size >= this.blockedAfterHosts && this.timedOutDomains.size >= this.blockedMinDomains) this.trip(result);
  }

  /** @internal A result for a probe not made because the breaker has tripped. */
  public blockedResult(host: string, options: SmtpProbeOptions): SmtpProbeResult {
    return {
      host,
      port: options.connectTo?.port ?? options.port ?? SMTP_PORT,
      outcome: 'blocked',
      phase: 'connect',
      error: blockedEnd().message,
      starttlsOffered: false,
      elapsedMs: 0,
    };
  }

  private trip(last: SmtpProbeResult): void {
    this.notice = `No MX host could be reached on port ${last.port}: outbound port ${last.port} appears to be blocked from this network; `
      + 'use --no-smtp, or run from a network that allows it. '
      + `(The first ${this.timedOut.size} MX hosts tried, of ${this.timedOutDomains.size} domains, did not accept a connection in time`
      + ' and none did; the other MX hosts were not probed.)';
    for (const giveUp of [...this.connecting]) giveUp();
    this.connecting.clear();
    this.onBlocked?.(this.notice);
  }

  private next(): void {
    for (let i = 0; i < this.queue.length && this.running < this.maxConnections;) {
      const item = this.queue[i];
      const n = this.perHost.get(item.host) ?? 0;
      if (n >= this.maxPerHost) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.running++;
      this.perHost.set(item.host, n + 1);
      item.start();
    }
  }
}

/** How a probe given up, or not made, because the breaker tripped, ends. */
function blockedEnd(): ProbeEnd {
  return new ProbeEnd('blocked', 'not probed: no MX host could be reached on port 25 during this check, so outbound port 25 appears to be blocked from this network');
}

export interface MxProbeOptions extends SmtpProbeOptions {
  /**
   * Probe at most this many MX hosts, the first ones given (list them most preferred first).
   * @default DEFAULT_MAX_MX_PER_DOMAIN
   */
  readonly maxHosts?: number;
  /**
   * Share connection limits, and the port 25 breaker, with other domains' probes.
   * @default - a limiter of this call's own, with the default limits
   */
  readonly limiter?: ProbeLimiter;
}

/**
 * Probe a domain's MX hosts: the first `maxHosts` (null MX entries and repeats left out), each
 * once, within the limiter's limits. Once the limiter's port 25 breaker has tripped, the hosts
 * are neither looked up nor probed: each gets a `blocked` result. Never rejects.
 *
 * @returns the probes, in the order of `mxHosts`, and the hosts not probed because of `maxHosts`
 */
export async function probeMxHosts(mxHosts: string[], options: MxProbeOptions = {}): Promise<{ probes: SmtpProbeResult[]; notProbed: string[] }> {
  const hosts = [...new Set(mxHosts.map((h) => h.toLowerCase().replace(/\.$/, '')).filter((h) => h !== ''))];
  const max = Math.max(0, options.maxHosts ?? DEFAULT_MAX_MX_PER_DOMAIN);
  const limiter = options.limiter ?? new ProbeLimiter();
  /** This domain, for the breaker: it counts the domains whose hosts timed out. */
  const domain = {};
  const probe = async (h: string, opts: SmtpProbeOptions): Promise<SmtpProbeResult> => {
    if (limiter.blocked !== undefined) return limiter.blockedResult(h, opts);
    const r = await runProbe(h, opts, limiter.watcher());
    limiter.record(r, domain);
    return r;
  };
  const probes = await Promise.all(hosts.slice(0, max).map(async (h) => {
    if (limiter.blocked !== undefined) return limiter.blockedResult(h, options);
    // The address first, outside the limiter: a lookup holds no connection, so it should not
    // hold a slot (with round trips of tens of milliseconds, lookups inside the slots were what
    // bounded a run), and a host that does not resolve never takes one.
    const found = await lookupFirst(h, options);
    if (found === undefined) return limiter.run(h, () => probe(h, options));
    const resolved: SmtpProbeOptions = { ...options, lookup: () => (found.ok ? Promise.resolve(found.address) : Promise.reject(found.error)) };
    return found.ok ? limiter.run(h, () => probe(h, resolved)) : probe(h, resolved);
  }));
  return { probes, notProbed: hosts.slice(max) };
}

/**
 * The host's address, looked up as `probeMx` would and within the same time; undefined when
 * `probeMx` looks nothing up (an IP address, or `connectTo`).
 */
type Lookup = { ok: true; address: string } | { ok: false; error: Error };

async function lookupFirst(host: string, options: SmtpProbeOptions): Promise<Lookup | undefined> {
  if (options.connectTo !== undefined || isIP(host) !== 0) return undefined;
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const lookup = options.lookup ?? systemLookup;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, error: new Error(`no answer within ${seconds(timeoutMs)}`) }), timeoutMs);
    lookup(host).then(
      (address) => resolve({ ok: true, address }),
      (error: unknown) => resolve({ ok: false, error: error instanceof Error ? error : new Error(String(error)) }),
    ).finally(() => clearTimeout(timer));
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
