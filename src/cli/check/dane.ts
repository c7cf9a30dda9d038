/**
 * DANE for SMTP (RFC 7672): a mail server's `_25._tcp.<mx>` TLSA records, checked against the
 * certificate chain the server presented to the STARTTLS probe. Usages 2 (DANE-TA) and 3
 * (DANE-EE), selectors 0 (the certificate) and 1 (its public key), matching types 0 (exact), 1
 * (SHA-256) and 2 (SHA-512), as RFC 7671 §5 and RFC 7672 §3 say senders use them.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { DnsResult, TlsaAnswer, isFailure } from './dns';
import { dnsFailureFinding } from './dns-failures';
import { Finding, finding } from '../../records/finding';
import { DANE_RULES } from '../../standard/dnssec-rules';
import { PublishedRecord } from '../report';

/** The TLSA name of an MX host on port 25 (RFC 7672 §2.2.1). */
export function tlsaName(mxHost: string): string {
  return `_25._tcp.${mxHost.toLowerCase().replace(/\.$/, '')}`;
}

/** Octets of association data each matching type gives (0: any length). */
const DATA_OCTETS: Record<number, number> = { 0: 0, 1: 32, 2: 64 };

export interface DaneCheck {
  readonly findings: Finding[];
  readonly records: PublishedRecord[];
  /** Whether a usable TLSA record matched the chain; undefined when there was nothing to match. */
  readonly matched?: boolean;
}

/**
 * Check an MX host's TLSA records.
 *
 * @param chain the certificates the server presented, leaf first (DER); undefined when no
 * STARTTLS probe saw any
 */
export function checkDane(mxHost: string, tlsa: DnsResult<TlsaAnswer>, chain: Buffer[] | undefined): DaneCheck {
  const name = tlsaName(mxHost);
  if (isFailure(tlsa)) return { findings: [dnsFailureFinding(tlsa, name, 'TLSA', 'the MX host\'s DANE records')], records: [] };
  if (tlsa.records.length === 0) return { findings: [], records: [] };
  const findings: Finding[] = [];
  const records = tlsa.records.map((t) => ({ name, type: 'TLSA', value: tlsaText(t), origin: 'resolver' }));
  const usable: TlsaAnswer[] = [];
  for (const t of tlsa.records) {
    const octets = DATA_OCTETS[t.matchingType];
    if ((t.selector !== 0 && t.selector !== 1) || octets === undefined || (octets > 0 && t.data.length !== octets * 2) || t.data.length === 0) {
      findings.push(finding(DANE_RULES.parameters, `The TLSA record ${tlsaText(t)} at ${name} cannot be used: selector ${t.selector}, matching type ${t.matchingType}, ${t.data.length / 2} octets of data.`, name));
    } else if (t.usage !== 2 && t.usage !== 3) {
      findings.push(finding(DANE_RULES.usage, `The TLSA record ${tlsaText(t)} at ${name} has usage ${t.usage} (${t.usage === 0 ? 'PKIX-TA' : t.usage === 1 ? 'PKIX-EE' : 'unassigned'}); SMTP senders use only 2 (DANE-TA) and 3 (DANE-EE).`, name));
    } else {
      usable.push(t);
    }
  }
  if (tlsa.authenticated !== true) {
    findings.push(finding(DANE_RULES.withoutDnssec,
      `The TLSA records at ${name} were not validated with DNSSEC (no AD bit from the resolver): senders that use DANE ignore them unless the zone is signed and validates.`, name));
  }
  if (usable.length === 0) return { findings, records };
  if (chain === undefined || chain.length === 0) {
    findings.push(finding(DANE_RULES.notProbed, `${usable.length} usable TLSA record${usable.length === 1 ? '' : 's'} at ${name}, not checked: no certificate was seen from ${mxHost}.`, name));
    return { findings, records };
  }
  const certs = parseChain(chain);
  const matched = certs !== undefined && usable.some((t) => matchesParsed(t, certs, mxHost));
  if (!matched) {
    findings.push(finding(DANE_RULES.noMatch,
      `None of the ${usable.length} usable TLSA record${usable.length === 1 ? '' : 's'} at ${name} matches the certificate chain ${mxHost} presents: DANE senders defer mail to it.`, name));
  }
  return { findings, records, matched };
}

/**
 * Whether a TLSA record matches a presented chain (leaf first). DANE-EE (3) matches the leaf,
 * whatever its names or dates (RFC 7672 §3.1.1). DANE-TA (2) matches an issuing certificate in
 * the chain that really signed the certificates below it, and the leaf must then carry the MX
 * host's name (RFC 7672 §3.1.2, §3.2.2).
 */
export function tlsaMatches(t: TlsaAnswer, chain: Buffer[], mxHost: string): boolean {
  const certs = parseChain(chain);
  return certs !== undefined && matchesParsed(t, certs, mxHost);
}

/** The chain's certificates, parsed once for all of a host's TLSA records; undefined when one cannot be parsed. */
function parseChain(chain: Buffer[]): X509Certificate[] | undefined {
  try {
    return chain.map((der) => new X509Certificate(der));
  } catch {
    return undefined;
  }
}

function matchesParsed(t: TlsaAnswer, certs: X509Certificate[], mxHost: string): boolean {
  if (certs.length === 0) return false;
  if (t.usage === 3) return associates(t, certs[0]);
  if (t.usage !== 2) return false;
  for (let i = 1; i < certs.length; i++) {
    if (!associates(t, certs[i])) continue;
    if (signedDownTo(certs, i) && certs[0].checkHost(mxHost.replace(/\.$/, '')) !== undefined) return true;
  }
  return false;
}

/** Whether certs[0..top] form a chain: each certificate issued and signed by the next. */
function signedDownTo(certs: X509Certificate[], top: number): boolean {
  for (let j = 0; j < top; j++) {
    if (!certs[j].checkIssued(certs[j + 1]) || !certs[j].verify(certs[j + 1].publicKey)) return false;
  }
  return true;
}

function associates(t: TlsaAnswer, cert: X509Certificate): boolean {
  const selected = t.selector === 0 ? cert.raw : cert.publicKey.export({ type: 'spki', format: 'der' });
  const data = t.matchingType === 0 ? selected : createHash(t.matchingType === 1 ? 'sha256' : 'sha512').update(selected).digest();
  return data.toString('hex') === t.data.toLowerCase();
}

function tlsaText(t: TlsaAnswer): string {
  return `${t.usage} ${t.selector} ${t.matchingType} ${t.data.toUpperCase()}`;
}
