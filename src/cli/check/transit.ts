/**
 * What the STARTTLS probes of a domain's mail servers mean: findings against the transit rules,
 * and whether senders (SES with its TLS policy set to Require, a department's own gateway) can
 * be made to require TLS to the domain without mail to it failing.
 *
 * Pure functions: the probes are made by `smtp-probe.ts`.
 */
import { SmtpProbeResult, tlsVersionText } from './smtp-probe';
import { Finding, finding, subjectOf } from '../../records/finding';
import { MtaSts, MtaStsMode, MtaStsPolicyModel } from '../../records/mta-sts';
import { TRANSIT_RULES } from '../../standard/transit-rules';

/**
 * `FindingSubject.type` for the SMTP service of a mail server (what it offers on port 25:
 * STARTTLS, the TLS versions, its certificate), at the MX host's name.
 */
export const SUBJECT_SMTP = 'SMTP';

/** Whether requiring TLS for mail to a domain is safe, and why not. */
export interface TlsReadiness {
  readonly domain: string;
  /**
   * Forcing TLS to this domain is safe: every MX host was probed, offers STARTTLS, negotiates
   * TLS 1.2 or later and presents a certificate that validates, within its dates, for its name.
   */
  readonly ready: boolean;
  /**
   * Whether the probes could tell: false when no MX host could be reached (or none was
   * probed), so `ready` is false for want of an answer rather than because of a fault.
   */
  readonly known: boolean;
  /** One sentence. */
  readonly summary: string;
  /** What stands in the way, one entry per MX host (or the domain) at fault. */
  readonly reasons: string[];
}

/**
 * The findings the probes of a domain's MX hosts give.
 *
 * @param domain the domain
 * @param mxHosts every MX host the domain publishes (null MX entries are left out), most
 * preferred first; those with no probe among `probes` are reported as not probed
 * @param probes the probes made (see `probeMxHosts`)
 * @param mtaStsPolicy the domain's MTA-STS policy, as fetched (its body) or parsed; a body
 * that cannot be read counts as no policy
 */
export function transitFindings(
  domain: string,
  mxHosts: string[],
  probes: SmtpProbeResult[],
  mtaStsPolicy?: MtaStsPolicyModel | string,
): Finding[] {
  const d = normalise(domain);
  const hosts = uniqueHosts(mxHosts);
  const byHost = probesByHost(probes);
  const policy = readPolicy(mtaStsPolicy);
  const applies = policy !== undefined && policy.mode !== MtaStsMode.NONE;
  const findings: Finding[] = [];

  const notProbed = hosts.filter((h) => !byHost.has(h));
  if (notProbed.length > 0) {
    findings.push(finding(TRANSIT_RULES.probeLimit,
      `${notProbed.length} of ${d}'s ${hosts.length} MX hosts were not probed (${notProbed.join(', ')}): `
      + `only the ${plural(hosts.length - notProbed.length, 'most preferred is', 'most preferred are')} contacted.`,
      d, undefined, subjectOf(d, 'MX')));
  }

  const enforce = applies && policy.mode === MtaStsMode.ENFORCE;
  const probed = [...byHost.values()];
  const blocked = probed.filter((p) => p.outcome === 'blocked');
  if (blocked.length > 0) {
    // The run stopped probing: port 25 looked blocked from here. One finding for the domain says
    // so, in place of a timeout for each host; what else was found is reported as usual.
    const explained = probed.filter(unreachable);
    const all = explained.length === probed.length;
    findings.push(finding(TRANSIT_RULES.unreachable,
      `${all ? `None of ${d}'s MX hosts was probed` : `${explained.length} of ${d}'s ${probed.length} MX hosts were not probed`} `
      + `(${explained.map((p) => p.host).join(', ')}): no MX host could be reached on port ${blocked[0].port} during this check, `
      + `so outbound port ${blocked[0].port} appears to be blocked from this network; use --no-smtp, or run from a network that allows it.`,
      d, undefined, subjectOf(d, 'MX')));
    for (const p of probed.filter((q) => !unreachable(q))) findings.push(...probeFindings(p, enforce));
    return findings;
  }
  if (probed.length > 0 && probed.every(unreachable)) {
    findings.push(finding(TRANSIT_RULES.unreachable,
      `None of ${d}'s MX hosts could be reached on port ${probed[0].port} from here (${probed.map((p) => `${p.host}: ${p.error ?? p.outcome}`).join('; ')}). `
      + 'Outbound connections to port 25 are commonly blocked by internet providers, cloud platforms and office networks, so this says more about the network '
      + 'the check ran on than about the domain: run the check where port 25 is open, or with --no-smtp to leave the mail servers out.',
      d, undefined, subjectOf(d, 'MX')));
    return findings;
  }

  for (const p of probed) findings.push(...probeFindings(p, enforce));
  return findings;
}

/** The findings of one probe. */
function probeFindings(p: SmtpProbeResult, enforce: boolean): Finding[] {
  const subject = subjectOf(p.host, SUBJECT_SMTP);
  const make = (r: typeof TRANSIT_RULES[keyof typeof TRANSIT_RULES], message: string) => finding(r, message, p.host, undefined, subject);
  switch (p.outcome) {
    case 'no-starttls':
      return [make(TRANSIT_RULES.starttlsMissing, `${sentence(p.error ?? `${p.host} does not offer STARTTLS`)}: mail to it travels in plaintext, and senders that require TLS cannot deliver to it.`)];
    case 'tls-failed':
      return [make(TRANSIT_RULES.starttlsFailed, `${sentence(p.error ?? `STARTTLS with ${p.host} failed`)}: senders that require TLS cannot deliver to it.`)];
    case 'tls':
      break;
    default:
      return [make(TRANSIT_RULES.mxFailed, `${sentence(p.error ?? `${p.host} could not be probed (${p.outcome})`)}; its transit security is not known.`)];
  }
  const session = p.tls!;
  const out: Finding[] = [];
  if (!session.meetsMinimum) {
    out.push(make(TRANSIT_RULES.tlsVersion,
      `${p.host} negotiated ${tlsVersionText(session.version)} (${session.cipher}) although TLS 1.3 and 1.2 were offered: it supports nothing newer, and the standard asks for TLS 1.2 or later.`));
  }
  const refusal = enforce ? ' The domain\'s MTA-STS policy is in enforce mode: senders that apply it will not deliver to this host.' : '';
  const cert = session.certificate;
  if (cert === undefined) {
    out.push(make(TRANSIT_RULES.certUntrusted, `${p.host} presented no certificate.${refusal}`));
    return out;
  }
  const leaf = cert.chain[0];
  if (cert.expired) {
    out.push(make(TRANSIT_RULES.certExpired, `The certificate of ${p.host} (${leaf.subject.replace(/\n/g, ', ')}) expired on ${day(leaf.notAfter)}.${refusal}`));
  } else if (cert.notYetValid) {
    out.push(make(TRANSIT_RULES.certExpired, `The certificate of ${p.host} (${leaf.subject.replace(/\n/g, ', ')}) is not valid until ${day(leaf.notBefore)}.${refusal}`));
  } else if (cert.chainError === 'CERT_HAS_EXPIRED' || cert.chainError === 'CERT_NOT_YET_VALID') {
    out.push(make(TRANSIT_RULES.certExpired, `A certificate in the chain ${p.host} presents is outside its validity period (${cert.chainError}).${refusal}`));
  }
  if (!cert.trusted) {
    out.push(make(TRANSIT_RULES.certUntrusted, `The certificate chain of ${p.host} does not lead to a trusted root (${untrustedWhy(cert.chainError)}; issuer ${leaf.issuer.replace(/\n/g, ', ')}).${refusal}`));
  }
  if (!cert.nameMatches) {
    const names = leaf.subjectAltNames.length > 0 ? leaf.subjectAltNames.join(', ') : `no subjectAltName; subject ${leaf.subject.replace(/\n/g, ', ')}`;
    out.push(make(TRANSIT_RULES.certName, `The certificate of ${p.host} is not valid for that name (it is for ${names}).${refusal}`));
  }
  // A host with no fault gets no finding: the report's line for it says what it offers.
  return out;
}

/**
 * Whether requiring TLS for mail to `domain` is safe: every MX host offers STARTTLS with TLS 1.2
 * or later and a certificate that validates for its name.
 *
 * @param probes the probes of the domain's MX hosts
 * @param mxHosts every MX host the domain publishes; a host without a probe makes the answer
 * "not ready" (its TLS is not known). When not given, the hosts probed.
 */
export function tlsReadiness(domain: string, probes: SmtpProbeResult[], mxHosts?: string[]): TlsReadiness {
  const d = normalise(domain);
  const byHost = probesByHost(probes);
  const hosts = mxHosts === undefined ? [...byHost.keys()] : uniqueHosts(mxHosts);
  if (hosts.length === 0) {
    return { domain: d, ready: false, known: false, summary: `${d}: no MX host to probe, so whether TLS can be required is not known.`, reasons: ['no MX host probed'] };
  }
  const probed = hosts.flatMap((h) => (byHost.has(h) ? [byHost.get(h)!] : []));
  if (probed.length > 0 && probed.every(unreachable) && probed.some((p) => p.outcome === 'blocked')) {
    return {
      domain: d,
      ready: false,
      known: false,
      summary: `${d}: not known; its MX hosts were not probed, as outbound port ${probed[0].port} appears to be blocked from this network (no MX host could be reached on it).`,
      reasons: probed.map((p) => `${p.host}: ${p.error ?? p.outcome}`),
    };
  }
  if (probed.length > 0 && probed.every(unreachable)) {
    return {
      domain: d,
      ready: false,
      known: false,
      summary: `${d}: not known; no MX host could be reached on port ${probed[0].port} (outbound port 25 may be blocked here).`,
      reasons: probed.map((p) => `${p.host}: ${p.error ?? p.outcome}`),
    };
  }
  const reasons = hosts.flatMap((h) => {
    const p = byHost.get(h);
    if (p === undefined) return [`${h}: not probed`];
    const why = notReadyBecause(p);
    return why === undefined ? [] : [`${h}: ${why}`];
  });
  if (reasons.length === 0) {
    const versions = [...new Set(probed.map((p) => tlsVersionText(p.tls!.version)))].join(' and ');
    return {
      domain: d,
      ready: true,
      known: true,
      summary: `${d}: forcing TLS is safe; ${hosts.length === 1 ? 'its MX host offers' : `all ${hosts.length} MX hosts offer`} STARTTLS with ${versions} and a certificate valid for ${hosts.length === 1 ? 'its name' : 'their names'}.`,
      reasons: [],
    };
  }
  return {
    domain: d,
    ready: false,
    known: true,
    summary: `${d}: forcing TLS is not safe; ${reasons.length} of ${hosts.length} MX host${hosts.length === 1 ? '' : 's'} would fail (${reasons.join('; ')}).`,
    reasons,
  };
}

/** One line per domain, for the command to print: `ready`, `NOT READY` or `unknown`, and why. */
export function readinessLine(r: TlsReadiness): string {
  const word = r.ready ? 'ready' : r.known ? 'NOT READY' : 'unknown';
  return `${word.padEnd(9)} ${r.summary}`;
}

/** The total line: how many domains are ready for TLS to be required. */
export function readinessTotal(rs: TlsReadiness[]): string {
  const ready = rs.filter((r) => r.ready).length;
  const unknown = rs.filter((r) => !r.known).length;
  const notReady = rs.length - ready - unknown;
  return `TLS readiness: ${ready} of ${rs.length} domain${rs.length === 1 ? '' : 's'} ready for TLS to be required; ${notReady} not ready; ${unknown} not known.`;
}

/** Why mail to this host would fail if TLS were required, or undefined when it would not. */
function notReadyBecause(p: SmtpProbeResult): string | undefined {
  switch (p.outcome) {
    case 'no-starttls':
      return 'no STARTTLS';
    case 'tls-failed':
      return `STARTTLS fails (${p.error ?? 'the handshake failed'})`;
    case 'tls':
      break;
    default:
      return `not known (${p.error ?? p.outcome})`;
  }
  const session = p.tls!;
  const faults: string[] = [];
  if (!session.meetsMinimum) faults.push(`${tlsVersionText(session.version)} only`);
  const cert = session.certificate;
  if (cert === undefined) {
    faults.push('no certificate');
  } else {
    if (cert.expired) faults.push('certificate expired');
    else if (cert.notYetValid) faults.push('certificate not yet valid');
    else if (!cert.chainValid && cert.trusted) faults.push(`certificate chain out of date (${cert.chainError})`);
    if (!cert.trusted) faults.push(`certificate not trusted (${cert.chainError ?? 'unknown'})`);
    if (!cert.nameMatches) faults.push('certificate not for this name');
  }
  return faults.length === 0 ? undefined : faults.join(', ');
}

/**
 * The probe failed before there was an SMTP server to talk to, in a way a blocked outbound
 * port 25 produces: a connect that timed out, was refused, or found no route; or it was not made
 * because the run's probes found port 25 blocked.
 */
function unreachable(p: SmtpProbeResult): boolean {
  return p.outcome === 'unreachable' || p.outcome === 'blocked' || ((p.outcome === 'timeout' || p.outcome === 'refused') && p.phase === 'connect');
}

function readPolicy(policy: MtaStsPolicyModel | string | undefined): MtaStsPolicyModel | undefined {
  if (typeof policy !== 'string') return policy;
  try {
    return MtaSts.parsePolicy(policy);
  } catch {
    return undefined;
  }
}

function probesByHost(probes: SmtpProbeResult[]): Map<string, SmtpProbeResult> {
  const m = new Map<string, SmtpProbeResult>();
  for (const p of probes) {
    const h = normalise(p.host);
    if (!m.has(h)) m.set(h, p);
  }
  return m;
}

function uniqueHosts(hosts: string[]): string[] {
  return [...new Set(hosts.map(normalise).filter((h) => h !== ''))];
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

const UNTRUSTED_WORDS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed certificate that is not a trusted root',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the issuer of the certificate is not known',
  UNABLE_TO_GET_ISSUER_CERT: 'an issuer in the chain is not known',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuing CA is not a trusted root and no intermediate was sent',
};

function untrustedWhy(code: string | undefined): string {
  if (code === undefined) return 'no reason given';
  return UNTRUSTED_WORDS[code] === undefined ? code : `${UNTRUSTED_WORDS[code]}, ${code}`;
}

/** A probe's sentence without its closing punctuation, for a finding's message to go on from. */
function sentence(text: string): string {
  return text.replace(/[.;:\s]+$/, '');
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : `${n} ${many}`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

