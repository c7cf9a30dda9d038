/**
 * The test zones for `gov-email check`: healthy, weak, broken and parked domains, SPF loops,
 * 10- and 11-lookup chains, void lookups, missing records, SERVFAIL and slow answers, long TXT
 * records split into several strings, and the MTA-STS policy hosts that go with them.
 * All under `.test` (RFC 2606), served only by the test servers on 127.0.0.1.
 */
import { generateKeyPairSync } from 'node:crypto';
import { TestRecordSet, TestZone } from './dns-server';
import { TestPolicyHost } from './https-server';

export function rsaPublicKey(bits: number): string {
  return generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
}

/** Split a TXT value into character-strings of at most 255 octets, as DNS holds long records. */
export function txtStrings(value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += 255) out.push(value.slice(i, i + 255));
  return out;
}

export const policy = (mode: string, maxAge: number, mx: string[]) =>
  ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`].join('\r\n') + '\r\n';

const STS_ID = 'v=STSv1; id=20261128T000000';

/** A domain that receives mail and meets the standard, apart from what `overrides` changes. */
function receiving(domain: string, overrides: TestZone = {}, policyMx?: string[]): { zone: TestZone; host: TestPolicyHost } {
  const zone: TestZone = {
    [domain]: { TXT: ['v=spf1 include:spf.provider.test -all'], MX: [[10, `mx.${domain}`]] },
    [`mx.${domain}`]: { A: ['192.0.2.25'] },
    [`_dmarc.${domain}`]: { TXT: [`v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc@${domain}`] },
    [`_mta-sts.${domain}`]: { TXT: [STS_ID] },
    [`_smtp._tls.${domain}`]: { TXT: [`v=TLSRPTv1; rua=mailto:tls@${domain}`] },
    [`selector1._domainkey.${domain}`]: { CNAME: 'key2048.provider.test' },
    ...overrides,
  };
  return { zone, host: { body: policy('enforce', 1209600, policyMx ?? [`mx.${domain}`]) } };
}

export interface TestWorld {
  readonly zone: TestZone;
  /** `mta-sts.<domain>` → how it answers. */
  readonly hosts: Record<string, TestPolicyHost>;
  /** The DKIM public keys published (base64 SPKI). */
  readonly keys: { readonly rsa2048: string; readonly rsa1024: string };
}

/** Build the zones and policy hosts (generates two RSA keys: about a second). */
export function buildWorld(): TestWorld {
  const key2048 = rsaPublicKey(2048);
  const key1024 = rsaPublicKey(1024);
  const zone: TestZone = {};
  const hosts: Record<string, TestPolicyHost> = {};
  const add = (domain: string, r: { zone: TestZone; host?: TestPolicyHost }) => {
    Object.assign(zone, r.zone);
    if (r.host !== undefined) hosts[`mta-sts.${domain}`] = r.host;
  };

  // A mail provider's SPF include (two levels, so it costs 1 more lookup) and DKIM key.
  Object.assign(zone, {
    'spf.provider.test': { TXT: ['v=spf1 ip4:192.0.2.0/24 include:spf2.provider.test -all'] },
    'spf2.provider.test': { TXT: ['v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 -all'] },
    // A 2048-bit key is longer than one character-string: DNS holds it as two.
    'key2048.provider.test': { TXT: [txtStrings(`v=DKIM1; k=rsa; p=${key2048}`)] },
    'reports.example': { A: ['192.0.2.80'] },
    'healthy.test._report._dmarc.reports.example': { TXT: ['v=DMARC1'] },
  });

  // healthy.test: Microsoft-365-like mail, everything as the standard asks.
  add('healthy.test', receiving('healthy.test', {
    'healthy.test': {
      TXT: ['v=spf1 include:spf.provider.test -all', 'MS=ms12345678'],
      MX: [[0, 'mx1.healthy.test'], [10, 'mx2.healthy.test']],
      CAA: [{ tag: 'issue', value: 'amazon.com' }],
    },
    '_dmarc.healthy.test': { TXT: ['v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc@healthy.test,mailto:agg@reports.example'] },
  }, ['mx1.healthy.test', 'mx2.healthy.test']));

  // warn-only.test: MTA-STS still in testing mode, nothing else wrong (a warning, no error).
  add('warn-only.test', {
    zone: receiving('warn-only.test').zone,
    host: { body: policy('testing', 86400, ['mx.warn-only.test']) },
  });

  // custom-selector.test: signs with a selector the catalogue does not know (s2024).
  const custom = receiving('custom-selector.test');
  delete custom.zone['selector1._domainkey.custom-selector.test'];
  custom.zone['s2024._domainkey.custom-selector.test'] = { CNAME: 'key2048.provider.test' };
  add('custom-selector.test', custom);

  // weak.test: legal but below the standard.
  add('weak.test', {
    zone: receiving('weak.test', {
      'weak.test': { TXT: ['v=spf1 include:spf.provider.test ?all'], MX: [[10, 'mx.weak.test']] },
      '_dmarc.weak.test': { TXT: ['v=DMARC1; p=none; rua=mailto:dmarc@weak.test,mailto:x@elsewhere.example'] },
      '_smtp._tls.weak.test': { TXT: ['v=TLSRPTv1; rua=mailto:a@weak.test,mailto:b@weak.test'] },
      'selector1._domainkey.weak.test': { TXT: [`v=DKIM1; k=rsa; p=${key1024}`] },
    }).zone,
    host: { body: policy('testing', 3600, ['mx.weak.test']) },
  });

  // broken.test: records that do not parse, or break the RFCs.
  add('broken.test', {
    zone: receiving('broken.test', {
      'broken.test': { TXT: ['v=spf1 include:spf.provider.test foo:bar -all'], MX: [[10, 'mx.broken.test']] },
      '_dmarc.broken.test': { TXT: ['v=DMARC1; p=rejected; rua=mailto:dmarc@broken.test'] },
      '_mta-sts.broken.test': { TXT: ['v=STSv1; id=not valid!'] },
    }).zone,
    host: { body: 'version: STSv1\r\nmode: enforcing\r\nmax_age: 86400\r\n' },
  });

  // parked.test: sends and receives no mail, locked down as GOV.UK asks.
  Object.assign(zone, {
    'parked.test': { TXT: ['v=spf1 -all'], MX: [[0, '.']], CAA: [{ tag: 'issue', value: ';' }] },
    '_dmarc.parked.test': { TXT: ['v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc@parked.test'] },
    '*._domainkey.parked.test': { TXT: ['v=DKIM1; p='] },
  });
  // parked-weak.test: parked, but no wildcard DKIM revocation, no CAA, DMARC quarantine.
  Object.assign(zone, {
    'parked-weak.test': { TXT: ['v=spf1 -all'], MX: [[0, '.']] },
    '_dmarc.parked-weak.test': { TXT: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@parked-weak.test'] },
  });

  // SPF: a loop through two includes, and a record that redirects to itself.
  add('loop.test', receiving('loop.test', {
    'loop.test': { TXT: ['v=spf1 include:a.loop.test -all'], MX: [[10, 'mx.loop.test']] },
    'a.loop.test': { TXT: ['v=spf1 include:b.loop.test -all'] },
    'b.loop.test': { TXT: ['v=spf1 include:a.loop.test -all'] },
  }));
  add('self-redirect.test', receiving('self-redirect.test', {
    'self-redirect.test': { TXT: ['v=spf1 redirect=self-redirect.test'], MX: [[10, 'mx.self-redirect.test']] },
  }));

  // SPF chains of 10 and 11 lookups: include → include → … each one lookup.
  for (const n of [10, 11]) {
    const d = `chain${n}.test`;
    const link = (i: number) => `c${i}.${d}`;
    const links: TestZone = {};
    for (let i = 1; i < n; i++) links[link(i)] = { TXT: [`v=spf1 include:${link(i + 1)} -all`] };
    links[link(n)] = { TXT: ['v=spf1 ip4:192.0.2.1 -all'] };
    add(d, receiving(d, { [d]: { TXT: [`v=spf1 include:${link(1)} -all`], MX: [[10, `mx.${d}`]] }, ...links }));
  }

  // Void lookups: three terms whose queries come back empty or NXDOMAIN (one of them inside
  // an include), and a domain with only two.
  add('voids.test', receiving('voids.test', {
    'voids.test': { TXT: ['v=spf1 a:gone1.voids.test mx:nomx.voids.test include:inc.voids.test -all'], MX: [[10, 'mx.voids.test']] },
    'nomx.voids.test': { A: ['192.0.2.9'] },
    'inc.voids.test': { TXT: ['v=spf1 exists:gone2.voids.test -all'] },
  }));
  add('voids2.test', receiving('voids2.test', {
    'voids2.test': { TXT: ['v=spf1 a:gone1.voids2.test a:gone2.voids2.test -all'], MX: [[10, 'mx.voids2.test']] },
  }));

  // SPF include targets that are not there, or fail.
  add('no-include.test', receiving('no-include.test', {
    'no-include.test': { TXT: ['v=spf1 include:nothing-here.test include:spf.provider.test -all'], MX: [[10, 'mx.no-include.test']] },
  }));
  add('include-servfail.test', receiving('include-servfail.test', {
    'include-servfail.test': { TXT: ['v=spf1 include:broken-dns.provider.test -all'], MX: [[10, 'mx.include-servfail.test']] },
    'broken-dns.provider.test': { servfail: true },
  }));

  // An "mx" term for a domain with 11 MX hosts.
  const elevenMx: Array<[number, string]> = Array.from({ length: 11 }, (_, i) => [10 + i, `mx${i}.many-mx.test`]);
  add('many-mx.test', receiving('many-mx.test', {
    'many-mx.test': { TXT: ['v=spf1 mx -all'], MX: elevenMx },
  }, ['*.many-mx.test']));

  // Two domains that share an include, for the cache.
  for (const d of ['share-a.test', 'share-b.test']) {
    add(d, receiving(d, { [d]: { TXT: ['v=spf1 include:_spf.shared.test -all'], MX: [[10, `mx.${d}`]] } }));
  }
  zone['_spf.shared.test'] = { TXT: ['v=spf1 ip4:203.0.113.0/24 -all'] };

  // Long TXT: an SPF record split into several strings, beside enough verification tokens that
  // the answer does not fit in UDP and the resolver must ask again over TCP.
  add('long-txt.test', receiving('long-txt.test', {
    'long-txt.test': {
      TXT: [
        ['v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ', 'ip4:203.0.113.0/24 include:spf.provider.test ', '-all'],
        ...Array.from({ length: 12 }, (_, i) => `site-verification-${i}=${'x'.repeat(100)}`),
      ],
      MX: [[10, 'mx.long-txt.test']],
    },
  }));

  // DNS failures: a missing domain (no entry), SERVFAIL or REFUSED everywhere, a slow server,
  // SERVFAIL for one name only.
  zone['servfail.test'] = { servfail: true };
  zone['refused.test'] = { refused: true };
  zone['slow.test'] = { delayMs: 1500, TXT: ['v=spf1 -all'], MX: [[0, '.']] };
  add('partial.test', receiving('partial.test', { '_dmarc.partial.test': { servfail: true } }));

  // MTA-STS policy hosts that a sending MTA must not accept, and a policy that misses an MX.
  const sts: Array<[string, TestPolicyHost]> = [
    ['sts-redirect.test', { status: 301, headers: { Location: 'https://mta-sts.healthy.test/.well-known/mta-sts.txt' } }],
    ['sts-html.test', { contentType: 'text/html; charset=utf-8' }],
    ['sts-expired.test', { cert: 'expired' }],
    ['sts-wrong-name.test', { cert: 'wrong-name' }],
    ['sts-huge.test', { endless: true }],
    ['sts-404.test', { status: 404 }],
    ['sts-stall.test', { stall: true }],
  ];
  for (const [d, behaviour] of sts) {
    const r = receiving(d);
    add(d, { zone: r.zone, host: { ...r.host, ...behaviour } });
  }
  add('sts-uncovered.test', receiving('sts-uncovered.test', {
    'sts-uncovered.test': { TXT: ['v=spf1 include:spf.provider.test -all'], MX: [[10, 'mx.sts-uncovered.test'], [20, 'backup.sts-uncovered.test']] },
  }, ['mx.sts-uncovered.test']));

  // Input order: domains whose answers take different times.
  for (const [i, delay] of [[1, 300], [2, 0], [3, 200], [4, 50], [5, 100], [6, 0]]) {
    const d = `order${i}.test`;
    const r = receiving(d);
    const apex = r.zone[d] as TestRecordSet;
    add(d, { zone: { ...r.zone, [d]: { ...apex, delayMs: delay } }, host: r.host });
  }

  return { zone, hosts, keys: { rsa2048: key2048, rsa1024: key1024 } };
}
