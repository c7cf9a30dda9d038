/**
 * The benchmark's generated domains: a mix like a department's portfolio, deterministic so the
 * server processes and the benchmark agree without talking. All of them live in one zone,
 * bench.test, which knotd serves from the zone file `zoneFile` writes.
 *
 * Of every 20 domains: 11 in use and healthy (an SPF include of one of 8 shared mail
 * providers, itself including another; DKIM selector1 as a CNAME to the provider's 2048-bit
 * key; MTA-STS enforce; TLS-RPT), 2 in use but weak (MTA-STS testing, DMARC p=none), 1 with an
 * SPF chain over the limit, 5 parked and locked down, 1 that does not exist. The MX hosts of the
 * domains in use (mx1 and mx2 of each) have an A record, 127.0.0.1, where the benchmark's mail
 * server listens (servers.ts); parked domains publish a null MX.
 */
import { TestZone } from '../../test/cli/support/dns-server';
import { TestPolicyHost } from '../../test/cli/support/https-server';
import { policy, txtStrings } from '../../test/cli/support/zones';

export const BENCH_DOMAINS = 1000;
/** The zone every generated name is in. */
export const BENCH_ZONE = 'bench.test';
const PROVIDERS = 8;

export function benchDomains(n: number = BENCH_DOMAINS): string[] {
  return Array.from({ length: n }, (_, i) => `d${String(i).padStart(4, '0')}.bench.test`);
}

type Kind = 'healthy' | 'weak' | 'long-chain' | 'parked' | 'missing';

export function kindOf(i: number): Kind {
  const k = i % 20;
  if (k < 11) return 'healthy';
  if (k < 13) return 'weak';
  if (k < 14) return 'long-chain';
  if (k < 19) return 'parked';
  return 'missing';
}

export interface BenchWorld {
  readonly zone: TestZone;
  readonly hosts: Record<string, TestPolicyHost>;
  /** The MX hosts of the domains in use, in domain order: the names the mail server needs certificates for. */
  readonly mxHosts: string[];
}

/** The address every MX host has: the mail server is on this machine. */
export const MX_ADDRESS = '127.0.0.1';

/** @param dkimKey a base64 RSA public key for the providers' DKIM records */
export function benchWorld(dkimKey: string, n: number = BENCH_DOMAINS): BenchWorld {
  const zone: TestZone = {};
  const hosts: Record<string, TestPolicyHost> = {};
  const mxHosts: string[] = [];
  for (let p = 0; p < PROVIDERS; p++) {
    zone[`spf.p${p}.bench.test`] = { TXT: [`v=spf1 ip4:192.0.2.${p}/32 include:spf2.p${p}.bench.test -all`] };
    zone[`spf2.p${p}.bench.test`] = { TXT: [`v=spf1 ip4:198.51.100.${p}/32 ip6:2001:db8:${p}::/48 -all`] };
    zone[`key.p${p}.bench.test`] = { TXT: [txtStrings(`v=DKIM1; k=rsa; p=${dkimKey}`)] };
  }
  // A chain of 11 lookups shared by the long-chain domains.
  for (let c = 1; c <= 10; c++) {
    zone[`c${c}.chain.bench.test`] = { TXT: [c < 10 ? `v=spf1 include:c${c + 1}.chain.bench.test -all` : 'v=spf1 ip4:203.0.113.1 -all'] };
  }
  benchDomains(n).forEach((d, i) => {
    const kind = kindOf(i);
    const p = i % PROVIDERS;
    if (kind === 'missing') return;
    zone[`_dmarc.${d}`] = { TXT: [`v=DMARC1; p=${kind === 'weak' ? 'none' : 'reject'}; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc@${d}`] };
    if (kind === 'parked') {
      zone[d] = { TXT: ['v=spf1 -all'], MX: [[0, '.']], CAA: [{ tag: 'issue', value: ';' }] };
      zone[`*._domainkey.${d}`] = { TXT: ['v=DKIM1; p='] };
      return;
    }
    const include = kind === 'long-chain' ? `include:spf.p${p}.bench.test include:c1.chain.bench.test` : `include:spf.p${p}.bench.test`;
    zone[d] = { TXT: [`v=spf1 ${include} -all`, `verification=${d}`], MX: [[10, `mx1.${d}`], [20, `mx2.${d}`]] };
    for (const mx of [`mx1.${d}`, `mx2.${d}`]) {
      zone[mx] = { A: [MX_ADDRESS] };
      mxHosts.push(mx);
    }
    zone[`_mta-sts.${d}`] = { TXT: ['v=STSv1; id=20261128'] };
    zone[`_smtp._tls.${d}`] = { TXT: [`v=TLSRPTv1; rua=mailto:tls@${d}`] };
    zone[`selector1._domainkey.${d}`] = { CNAME: `key.p${p}.bench.test` };
    hosts[`mta-sts.${d}`] = { body: policy(kind === 'weak' ? 'testing' : 'enforce', 1209600, [`mx1.${d}`, `mx2.${d}`]) };
  });
  return { zone, hosts, mxHosts };
}

/** A TXT character-string in zone-file syntax: quoted, `"` and `\\` escaped. */
function quoted(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * The world's records as an RFC 1035 zone file for `BENCH_ZONE`, with the SOA and NS records an
 * authoritative server needs. Names are absolute (trailing dot); every record has TTL 300.
 */
export function zoneFile(zone: TestZone): string {
  const origin = `${BENCH_ZONE}.`;
  const lines = [
    `$ORIGIN ${origin}`,
    '$TTL 300',
    `@ SOA ns.${origin} hostmaster.${origin} 1 3600 600 86400 300`,
    `@ NS ns.${origin}`,
    'ns A 127.0.0.1',
  ];
  const abs = (name: string) => (name === '' || name === '.' ? '.' : `${name.replace(/\.$/, '')}.`);
  for (const [name, set] of Object.entries(zone)) {
    const owner = abs(name);
    if (set.CNAME !== undefined) lines.push(`${owner} CNAME ${abs(set.CNAME)}`);
    for (const t of set.TXT ?? []) lines.push(`${owner} TXT ${(typeof t === 'string' ? [t] : t).map(quoted).join(' ')}`);
    for (const [pref, host] of set.MX ?? []) lines.push(`${owner} MX ${pref} ${abs(host)}`);
    for (const a of set.A ?? []) lines.push(`${owner} A ${a}`);
    for (const a of set.AAAA ?? []) lines.push(`${owner} AAAA ${a}`);
    for (const c of set.CAA ?? []) lines.push(`${owner} CAA ${c.flags ?? 0} ${c.tag} ${quoted(c.value)}`);
  }
  return `${lines.join('\n')}\n`;
}
