/**
 * DNSSEC as `gov-email check` sees it from a resolver: the zone a domain is in, whether that
 * zone publishes keys (DNSKEY), whether its parent vouches for one of them (a DS record whose
 * digest matches a key, RFC 4034 §5.1.4), and whether the resolver validated the answers (the AD
 * bit, RFC 4035 §3.2.3). The check trusts the resolver's AD bit and does not verify signatures
 * itself: a validating resolver refuses bogus answers (SERVFAIL) before they get here.
 */
// DNSKEY flags are bit fields.
/* eslint-disable no-bitwise */
import { createHash } from 'node:crypto';
import { DnsClient, DnskeyAnswer, DsAnswer, isFailure } from './dns';
import { dnsFailureFinding } from './dns-failures';
import { encodeName } from './dns-wire';
import { Finding, finding } from '../../records/finding';
import { DNSSEC_RULES } from '../../standard/dnssec-rules';
import { PublishedRecord } from '../report';

/** What the resolver showed of a domain's DNSSEC. */
export interface DnssecStatus {
  /** The zone the domain is in (its apex: the domain itself or a parent). */
  readonly zone: string;
  /** The zone publishes a DNSKEY with the Zone Key flag. */
  readonly signed: boolean;
  /** The parent holds a DS record for the zone. */
  readonly delegated: boolean;
  /** A DS record's digest matches one of the zone's keys (the chain of trust is intact). */
  readonly chained: boolean;
  /** The resolver set the AD bit on the zone's keys: it validated them. */
  readonly validated: boolean;
}

export interface DnssecCheck {
  /** Undefined when the zone could not be found or its keys not asked for. */
  readonly status?: DnssecStatus;
  readonly findings: Finding[];
  /** The zone's DS and DNSKEY records, for the report. */
  readonly records: PublishedRecord[];
}

/** DNSKEY flags: Zone Key (RFC 4034 §2.1.1). */
const ZONE_KEY = 0x0100;

/** DS digest types (RFC 4034 §5.1.3, RFC 4509, RFC 6605) and the hash each names. */
const DIGESTS: Record<number, string> = { 1: 'sha1', 2: 'sha256', 4: 'sha384' };

/** Check the DNSSEC of the zone `domain` is in. Never rejects. */
export async function checkDnssec(domain: string, dns: DnsClient): Promise<DnssecCheck> {
  const soa = await dns.zoneOf(domain);
  if (isFailure(soa)) return { findings: [dnsFailureFinding(soa, domain, 'SOA', 'the zone the domain is in')], records: [] };
  // A name that does not exist is reported by the rest of the check.
  if (soa.outcome === 'nxdomain') return { findings: [], records: [] };
  const zone = soa.records[0] ?? domain.toLowerCase();
  const [keys, ds] = await Promise.all([dns.dnskey(zone), dns.ds(zone)]);
  const findings: Finding[] = [];
  if (isFailure(keys)) findings.push(dnsFailureFinding(keys, zone, 'DNSKEY', 'the zone\'s DNSSEC keys'));
  if (isFailure(ds)) findings.push(dnsFailureFinding(ds, zone, 'DS', 'the parent\'s delegation signer records'));
  if (findings.length > 0) return { findings, records: [] };

  const zoneKeys = keys.records.filter((k) => (k.flags & ZONE_KEY) !== 0 && k.protocol === 3);
  const status: DnssecStatus = {
    zone,
    signed: zoneKeys.length > 0,
    delegated: ds.records.length > 0,
    chained: ds.records.some((d) => zoneKeys.some((k) => dsMatches(zone, d, k))),
    validated: keys.authenticated === true,
  };
  if (!status.signed && !status.delegated) {
    // Recommended, not required: said on the report's DNSSEC line, not as a finding.
  } else if (status.signed && !status.delegated) {
    findings.push(finding(DNSSEC_RULES.noDs,
      `The zone ${zone} publishes ${zoneKeys.length} DNSKEY record${zoneKeys.length === 1 ? '' : 's'} but its parent holds no DS record for it: no resolver can validate it.`, zone));
  } else if (!status.chained) {
    findings.push(finding(DNSSEC_RULES.dsWithoutKey, status.signed
      ? `No DS record at the parent of ${zone} (key tags ${ds.records.map((d) => d.keyTag).join(', ')}) matches a DNSKEY the zone publishes: validating resolvers answer SERVFAIL for it.`
      : `The parent of ${zone} holds DS records (key tags ${ds.records.map((d) => d.keyTag).join(', ')}) but the zone publishes no DNSKEY: validating resolvers answer SERVFAIL for it.`, zone));
  } else if (!status.validated) {
    findings.push(finding(DNSSEC_RULES.notValidated,
      `The zone ${zone} is signed and its parent holds a matching DS record, but the resolver did not mark the answers as validated (no AD bit): it may not validate DNSSEC.`, zone));
  }
  const records: PublishedRecord[] = [
    ...ds.records.map((d) => ({ name: zone, type: 'DS', value: `${d.keyTag} ${d.algorithm} ${d.digestType} ${d.digest.toUpperCase()}`, origin: 'resolver' })),
    ...keys.records.map((k) => ({ name: zone, type: 'DNSKEY', value: `${k.flags} ${k.protocol} ${k.algorithm} ${k.publicKey}`, origin: 'resolver' })),
  ];
  return { status, findings, records };
}

/** One line saying what the resolver showed, for the report. */
export function dnssecSummary(s: DnssecStatus): string {
  if (!s.signed && !s.delegated) return `DNSSEC: zone ${s.zone} not signed (GOV.UK recommends DNSSEC; DANE needs it)`;
  const parts = [
    s.signed ? 'signed' : 'not signed',
    s.delegated ? (s.chained ? 'DS at parent matches a key' : 'DS at parent matches no key') : 'no DS at parent',
    s.validated ? 'validated by the resolver (AD)' : 'not validated by the resolver',
  ];
  return `DNSSEC: zone ${s.zone} ${parts.join(', ')}`;
}

/**
 * Whether a DS record names this key: same key tag and algorithm, and a digest of the owner name
 * and the key's RDATA that matches (RFC 4034 §5.1.4). Digest types this runtime cannot compute
 * match on tag and algorithm alone.
 */
export function dsMatches(zone: string, ds: DsAnswer, key: DnskeyAnswer): boolean {
  if (ds.keyTag !== keyTag(key) || ds.algorithm !== key.algorithm) return false;
  const hash = DIGESTS[ds.digestType];
  if (hash === undefined) return true;
  const digest = createHash(hash).update(encodeName(zone.toLowerCase())).update(dnskeyRdata(key)).digest('hex');
  return digest === ds.digest.toLowerCase();
}

/** The key tag of a DNSKEY (RFC 4034 Appendix B; every algorithm in use today, not RSA/MD5). */
export function keyTag(key: DnskeyAnswer): number {
  const rdata = dnskeyRdata(key);
  let sum = 0;
  for (let i = 0; i < rdata.length; i++) sum += (i & 1) === 0 ? rdata[i] << 8 : rdata[i];
  sum += (sum >>> 16) & 0xffff;
  return sum & 0xffff;
}

function dnskeyRdata(key: DnskeyAnswer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(key.flags, 0);
  head.writeUInt8(key.protocol, 2);
  head.writeUInt8(key.algorithm, 3);
  return Buffer.concat([head, Buffer.from(key.publicKey, 'base64')]);
}
