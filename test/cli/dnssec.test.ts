/**
 * DNSSEC and DANE in `gov-email check`, against real servers on 127.0.0.1: Knot DNS signing the
 * test zones itself, with a parent zone that holds (or lacks, or garbles) their DS records, and
 * Unbound validating them from the parent's DS as trust anchor. The same zones are read twice:
 * through Unbound (a validating resolver, AD bit set on what validated) and from Knot directly
 * (answers, never validated).
 */
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCa } from './support/certs';
import { Knotd } from './support/knotd';
import { Unbound } from './support/unbound';
import { checkDomain } from '../../src/cli/check/checker';
import { checkDane, tlsaMatches } from '../../src/cli/check/dane';
import { DnsClient, TlsaAnswer } from '../../src/cli/check/dns';
import { checkDnssec, dnssecSummary, dsMatches, keyTag } from '../../src/cli/check/dnssec';
import { renderReport } from '../../src/cli/report';

jest.setTimeout(120_000);

const PARENT = 'dnssec.test';
const CHILDREN = ['signed', 'nods', 'unsigned', 'orphan', 'mismatch'].map((c) => `${c}.${PARENT}`);
const MX = `mx.signed.${PARENT}`;

let dir: string;
let knotd: Knotd;
let unbound: Unbound;
let ca: TestCa;
let leafDer: Buffer;
let caDer: Buffer;
let otherLeafDer: Buffer;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const spki = (der: Buffer) => new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
const der = (pem: string) => new X509Certificate(pem).raw;

function zone(name: string, lines: string[]): string {
  const file = join(dir, `${name}.zone`);
  writeFileSync(file, [`$ORIGIN ${name}.`, '$TTL 300', '@ SOA ns hostmaster 1 3600 600 86400 300', '@ NS ns', 'ns A 127.0.0.1', ...lines, ''].join('\n'));
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dnssec-'));
  ca = TestCa.create();
  leafDer = der(ca.issue({ names: [MX] }).cert);
  otherLeafDer = der(ca.issue({ names: ['other.example'] }).cert);
  caDer = der(ca.cert);
  const mail = ['@ MX 10 mx', 'mx A 192.0.2.25', '@ TXT "v=spf1 -all"', '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@signed.dnssec.test"', 'www A 192.0.2.80'];
  const zones = [
    { zone: PARENT, file: zone(PARENT, CHILDREN.map((c) => `${c.split('.')[0]} NS ns.${c}.`)), signed: true },
    {
      zone: CHILDREN[0],
      signed: true,
      file: zone(CHILDREN[0], [
        ...mail,
        `_25._tcp.mx TLSA 3 1 1 ${sha256(spki(leafDer))}`,
        `_25._tcp.mx TLSA 2 0 1 ${sha256(caDer)}`,
      ]),
    },
    { zone: CHILDREN[1], signed: true, file: zone(CHILDREN[1], ['@ TXT "v=spf1 -all"']) },
    { zone: CHILDREN[2], file: zone(CHILDREN[2], ['@ TXT "v=spf1 -all"']) },
    { zone: CHILDREN[3], file: zone(CHILDREN[3], ['@ TXT "v=spf1 -all"']) },
    { zone: CHILDREN[4], signed: true, file: zone(CHILDREN[4], ['@ TXT "v=spf1 -all"']) },
  ];
  knotd = await Knotd.start(dir, zones);
  // The parent vouches for signed (its real key), orphan (a key it does not have) and mismatch
  // (a digest of nothing); nods and unsigned get no DS.
  const fake = `13 2 ${'ab'.repeat(32)}`;
  zone(PARENT, [
    ...CHILDREN.map((c) => `${c.split('.')[0]} NS ns.${c}.`),
    knotd.ds(CHILDREN[0]).replace(`${CHILDREN[0]}.`, 'signed'),
    `orphan DS 12345 ${fake}`,
    `mismatch DS ${knotd.ds(CHILDREN[4]).split(' DS ')[1].split(' ')[0]} ${fake}`,
  ]);
  await knotd.reload(PARENT);
  unbound = await Unbound.start(dir, `127.0.0.1@${knotd.port}`, [PARENT, ...CHILDREN], knotd.ds(PARENT));
});

afterAll(async () => {
  await unbound?.stop();
  await knotd?.stop();
  ca?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function withDns<T>(server: string, run: (dns: DnsClient) => Promise<T>): Promise<T> {
  const dns = new DnsClient({ servers: [server], timeoutMs: 3000 });
  try {
    return await run(dns);
  } finally {
    dns.close();
  }
}

const rules = (findings: Array<{ ruleId: string }>) => findings.map((f) => f.ruleId).sort();

describe('through a validating resolver (Unbound)', () => {
  test('a signed zone with its DS at the parent: signed, chained, validated; no finding', async () => {
    const r = await withDns(unbound.address, (dns) => checkDnssec(CHILDREN[0], dns));
    expect(r.status).toEqual({ zone: CHILDREN[0], signed: true, delegated: true, chained: true, validated: true });
    expect(r.findings).toEqual([]);
    expect(r.records.map((x) => x.type)).toEqual(['DS', 'DNSKEY']);
    expect(dnssecSummary(r.status!)).toBe(`DNSSEC: zone ${CHILDREN[0]} signed, DS at parent matches a key, validated by the resolver (AD)`);
  });

  test('a name inside a signed zone is reported with its zone', async () => {
    const r = await withDns(unbound.address, (dns) => checkDnssec(`www.${CHILDREN[0]}`, dns));
    expect(r.status).toMatchObject({ zone: CHILDREN[0], validated: true });
  });

  test('signed without a DS at the parent: DNSSEC-NO-DS, not validated (an island)', async () => {
    const r = await withDns(unbound.address, (dns) => checkDnssec(CHILDREN[1], dns));
    expect(r.status).toEqual({ zone: CHILDREN[1], signed: true, delegated: false, chained: false, validated: false });
    expect(rules(r.findings)).toEqual(['DNSSEC-NO-DS']);
  });

  test('unsigned: no finding, the summary says so', async () => {
    const r = await withDns(unbound.address, (dns) => checkDnssec(CHILDREN[2], dns));
    expect(r.status).toEqual({ zone: CHILDREN[2], signed: false, delegated: false, chained: false, validated: false });
    expect(r.findings).toEqual([]);
    expect(dnssecSummary(r.status!)).toContain('not signed (GOV.UK recommends DNSSEC');
  });

  test('a DS for a key the zone does not have, or a digest that matches nothing: the resolver refuses the zone (SERVFAIL)', async () => {
    for (const z of [CHILDREN[3], CHILDREN[4]]) {
      const r = await withDns(unbound.address, (dns) => checkDnssec(z, dns));
      expect(rules(r.findings)).toContain('DNS-SERVFAIL');
      expect(r.status).toBeUndefined();
    }
  });

  test('the whole check: the DNSSEC line in the table, the status in JSON', async () => {
    const report = await withDns(unbound.address, (dns) => checkDomain(CHILDREN[0], { dns, fetch: { timeoutMs: 500, connectTo: { host: '127.0.0.1', port: 9 } } }));
    expect(report.dnssec).toMatchObject({ validated: true });
    const table = renderReport({ command: 'check', input: CHILDREN[0], domains: [report] }, 'table');
    expect(table).toContain(`DNSSEC: zone ${CHILDREN[0]} signed, DS at parent matches a key, validated by the resolver (AD)`);
    expect(report.records.filter((r) => r.type === 'DS')).toHaveLength(1);
  });
});

describe('from the authoritative server directly (no validation)', () => {
  test('signed and chained but not validated: DNSSEC-NOT-VALIDATED', async () => {
    const r = await withDns(knotd.address, (dns) => checkDnssec(CHILDREN[0], dns));
    expect(r.status).toEqual({ zone: CHILDREN[0], signed: true, delegated: true, chained: true, validated: false });
    expect(rules(r.findings)).toEqual(['DNSSEC-NOT-VALIDATED']);
  });

  test('a DS at the parent and no key in the zone, or a DS that matches no key: DNSSEC-DS-WITHOUT-DNSKEY', async () => {
    const orphan = await withDns(knotd.address, (dns) => checkDnssec(CHILDREN[3], dns));
    expect(orphan.status).toMatchObject({ signed: false, delegated: true, chained: false });
    expect(rules(orphan.findings)).toEqual(['DNSSEC-DS-WITHOUT-DNSKEY']);
    expect(orphan.findings[0].message).toContain('publishes no DNSKEY');
    const mismatch = await withDns(knotd.address, (dns) => checkDnssec(CHILDREN[4], dns));
    expect(mismatch.status).toMatchObject({ signed: true, delegated: true, chained: false });
    expect(rules(mismatch.findings)).toEqual(['DNSSEC-DS-WITHOUT-DNSKEY']);
    expect(mismatch.findings[0].message).toContain('matches a DNSKEY');
  });

  test('key tags and DS digests computed here agree with Knot\'s', async () => {
    const { keys, ds } = await withDns(knotd.address, async (dns) => ({ keys: await dns.dnskey(CHILDREN[0]), ds: await dns.ds(CHILDREN[0]) }));
    const [tag, alg, type, digest] = knotd.ds(CHILDREN[0]).split(' DS ')[1].split(' ');
    expect(keys.records.map(keyTag)).toContain(Number(tag));
    expect(ds.records).toEqual([{ keyTag: Number(tag), algorithm: Number(alg), digestType: Number(type), digest }]);
    expect(keys.records.some((k) => dsMatches(CHILDREN[0], ds.records[0], k))).toBe(true);
    expect(keys.records.some((k) => dsMatches(CHILDREN[0], { ...ds.records[0], digest: 'ab'.repeat(32) }, k))).toBe(false);
  });
});

describe('DANE: TLSA records against the chain a mail server presents', () => {
  const tlsaOf = (server: string) => withDns(server, (dns) => dns.tlsa(`_25._tcp.${MX}`));

  test('validated TLSA records that match the chain: no finding', async () => {
    const r = checkDane(MX, await tlsaOf(unbound.address), [leafDer, caDer]);
    expect(r.findings).toEqual([]);
    expect(r.matched).toBe(true);
    expect(r.records).toHaveLength(2);
  });

  test('the same records unvalidated (straight from Knot): DANE-WITHOUT-DNSSEC', async () => {
    const r = checkDane(MX, await tlsaOf(knotd.address), [leafDer, caDer]);
    expect(rules(r.findings)).toEqual(['DANE-WITHOUT-DNSSEC']);
  });

  test('a chain that matches neither record: DANE-NO-MATCH; no chain at all: DANE-NOT-PROBED', async () => {
    const tlsa = await tlsaOf(unbound.address);
    const stranger = TestCa.create();
    try {
      const strangerChain = [der(stranger.issue({ names: [MX] }).cert), der(stranger.cert)];
      expect(rules(checkDane(MX, tlsa, strangerChain).findings)).toEqual(['DANE-NO-MATCH']);
    } finally {
      stranger.dispose();
    }
    expect(rules(checkDane(MX, tlsa, undefined).findings)).toEqual(['DANE-NOT-PROBED']);
  });

  test('DANE-TA needs the chain to be signed by the anchor and the leaf to name the MX host; DANE-EE needs neither', () => {
    const ta: TlsaAnswer = { usage: 2, selector: 0, matchingType: 1, data: sha256(caDer) };
    const ee: TlsaAnswer = { usage: 3, selector: 1, matchingType: 1, data: sha256(spki(leafDer)) };
    expect(tlsaMatches(ta, [leafDer, caDer], MX)).toBe(true);
    expect(tlsaMatches(ta, [otherLeafDer, caDer], MX)).toBe(false);
    expect(tlsaMatches(ta, [leafDer], MX)).toBe(false);
    expect(tlsaMatches(ee, [leafDer], 'any.name.at.all')).toBe(true);
    expect(tlsaMatches({ ...ee, selector: 0, data: sha256(leafDer) }, [leafDer], MX)).toBe(true);
    expect(tlsaMatches({ ...ee, matchingType: 2, data: createHash('sha512').update(spki(leafDer)).digest('hex') }, [leafDer], MX)).toBe(true);
    expect(tlsaMatches({ ...ee, matchingType: 0, data: spki(leafDer).toString('hex') }, [leafDer], MX)).toBe(true);
    expect(tlsaMatches(ee, [otherLeafDer], MX)).toBe(false);
  });

  test('usages 0 and 1 are not for SMTP; bad parameters are reported and not used', () => {
    const authenticated = {
      outcome: 'ok' as const,
      authenticated: true,
      records: [
        { usage: 1, selector: 1, matchingType: 1, data: sha256(spki(leafDer)) },
        { usage: 3, selector: 1, matchingType: 1, data: 'abcd' },
        { usage: 3, selector: 7, matchingType: 1, data: sha256(spki(leafDer)) },
      ],
    };
    const r = checkDane(MX, authenticated, [leafDer, caDer]);
    expect(rules(r.findings)).toEqual(['DANE-TLSA-PARAMETERS', 'DANE-TLSA-PARAMETERS', 'DANE-TLSA-USAGE']);
    expect(r.matched).toBeUndefined();
  });
});
