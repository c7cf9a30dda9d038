/**
 * `gov-email check` on parked domains whose `_dmarc` is a CNAME to a central DMARC policy record
 * in another zone, against Knot DNS on 127.0.0.1: the lookup follows the CNAME as a resolver
 * would (Knot, authoritative, answers for one zone at a time), judges the domain by the record it
 * points at, names the target in its facts, and reports a target that is missing, empty, or a
 * loop as a finding of its own. And the chain reader itself, held to chains built at random.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import * as fc from 'fast-check';
import { Knotd } from './support/knotd';
import { checkDomain } from '../../src/cli/check/checker';
import { DnsClient } from '../../src/cli/check/dns';
import { MAX_CNAME_LINKS, RR_TYPE, answersFor, cnameChain, decodeMessage, readTxt } from '../../src/cli/check/dns-wire';
import { DomainReport } from '../../src/cli/report';

const GOOD = 'v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=mailto:dmarc@dept.test';
const WEAK = 'v=DMARC1; p=none; rua=mailto:dmarc@dept.test';
/** What every parked domain publishes besides its `_dmarc`. */
const PARKED = ['@ TXT "v=spf1 -all"', '@ MX 0 .', '@ CAA 0 issue ";"', '*._domainkey TXT "v=DKIM1; p="'];

let dir: string;
let knotd: Knotd;
let dns: DnsClient;
const fetch = { timeoutMs: 300, connectTo: { host: '127.0.0.1', port: 9 } };

function zone(name: string, lines: string[]): { zone: string; file: string } {
  const file = join(dir, `${name}.zone`);
  writeFileSync(file, [`$ORIGIN ${name}.`, '$TTL 300', '@ SOA ns hostmaster 1 3600 600 86400 300', '@ NS ns', 'ns A 127.0.0.1', ...lines, ''].join('\n'));
  return { zone: name, file };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'check-central-dmarc-'));
  knotd = await Knotd.start(dir, [
    // The department's zone: the central records, and a wildcard authorising reports for every domain.
    zone('dept.test', [
      `_parked._dmarc-policy TXT "${GOOD}"`,
      `_monitor._dmarc-policy TXT "${WEAK}"`,
      '_empty._dmarc-policy A 192.0.2.1',
      '_hop._dmarc-policy CNAME _parked._dmarc-policy.dept.test.',
      'loop-a._policy CNAME loop-b._policy.other.test.',
      '*._report._dmarc TXT "v=DMARC1"',
    ]),
    zone('other.test', ['loop-b._policy CNAME loop-a._policy.dept.test.']),
    zone('good.test', [...PARKED, '_dmarc CNAME _parked._dmarc-policy.dept.test.']),
    zone('two-hops.test', [...PARKED, '_dmarc CNAME _hop._dmarc-policy.dept.test.']),
    zone('weak.test', [...PARKED, '_dmarc CNAME _monitor._dmarc-policy.dept.test.']),
    zone('dangling.test', [...PARKED, '_dmarc CNAME _gone._dmarc-policy.dept.test.']),
    zone('empty.test', [...PARKED, '_dmarc CNAME _empty._dmarc-policy.dept.test.']),
    zone('loop.test', [...PARKED, '_dmarc CNAME loop-a._policy.dept.test.']),
    // A chain inside one zone, which Knot follows itself and answers whole; and a loop there.
    zone('samezone.test', [...PARKED, '_dmarc CNAME _policy', `_policy TXT "${GOOD}"`]),
    zone('selfloop.test', [...PARKED, '_dmarc CNAME _a', '_a CNAME _b', '_b CNAME _a']),
  ]);
});
beforeEach(() => {
  dns = new DnsClient({ servers: [knotd.address], timeoutMs: 2000 });
});
afterEach(() => dns.close());
afterAll(async () => {
  await knotd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const findings = (r: DomainReport) => r.findings.map((f) => [f.ruleId, f.severity, f.path]);
const dmarcRows = (r: DomainReport) => r.records.filter((x) => x.name.includes('dmarc') && !x.name.includes('_report')).map((x) => [x.name, x.type, x.value]);

describe('check follows a _dmarc CNAME to the central policy record', () => {
  test('to a good record in another zone: judged by it, no findings, the target in the facts and the records', async () => {
    const r = await checkDomain('good.test', { dns, fetch });
    expect(r.profile).toBe('parked');
    expect(findings(r)).toEqual([]);
    expect(r.facts).toContain('_dmarc.good.test is a CNAME to _parked._dmarc-policy.dept.test');
    expect(dmarcRows(r)).toEqual([
      ['_dmarc.good.test', 'CNAME', '_parked._dmarc-policy.dept.test'],
      ['_parked._dmarc-policy.dept.test', 'TXT', `"${GOOD}"`],
    ]);
    expect(r.records.find((x) => x.type === 'TXT' && x.name === '_parked._dmarc-policy.dept.test')?.origin).toBe('through the CNAME at _dmarc.good.test');
  });

  test('through two links, each in another zone: the chain in order in the facts', async () => {
    const r = await checkDomain('two-hops.test', { dns, fetch });
    expect(findings(r)).toEqual([]);
    expect(r.facts).toContain('_dmarc.two-hops.test is a CNAME to _hop._dmarc-policy.dept.test, a CNAME to _parked._dmarc-policy.dept.test');
  });

  test('a chain Knot answers whole from one zone reads the same', async () => {
    const r = await checkDomain('samezone.test', { dns, fetch });
    expect(findings(r)).toEqual([]);
    expect(r.facts).toContain('_dmarc.samezone.test is a CNAME to _policy.samezone.test');
  });

  test('to a p=none record: the parked-domain finding, as for a record of its own', async () => {
    const r = await checkDomain('weak.test', { dns, fetch });
    expect(findings(r)).toEqual(expect.arrayContaining([
      ['GOVUK-DMARC-POLICY', 'error', '_dmarc.weak.test'],
      ['GOVUK-PARKED-DMARC', 'error', '_dmarc.weak.test'],
    ]));
    expect(r.findings.find((f) => f.ruleId === 'GOVUK-PARKED-DMARC')!.message).toBe('weak.test sends no mail, so DMARC must be p=reject; sp=reject; adkim=s; aspf=s; got: p=none, sp=(inherits none), adkim=r (default), aspf=r (default).');
    expect(r.facts).toContain('_dmarc.weak.test is a CNAME to _monitor._dmarc-policy.dept.test');
  });

  test('to a name that does not exist: DNS-CNAME-DANGLING naming the target, beside the missing policy', async () => {
    const r = await checkDomain('dangling.test', { dns, fetch });
    expect(findings(r)).toEqual([
      ['DNS-CNAME-DANGLING', 'error', '_dmarc.dangling.test'],
      ['GOVUK-DMARC-MISSING', 'error', '_dmarc.dangling.test'],
    ]);
    expect(r.findings[0].message).toBe('_dmarc.dangling.test is a CNAME to _gone._dmarc-policy.dept.test, which does not exist (NXDOMAIN): receivers find no DMARC policy for the domain. '
      + 'Publish the policy record at _gone._dmarc-policy.dept.test, or point _dmarc.dangling.test at one that exists.');
    expect(r.facts).toContain('_dmarc.dangling.test is a CNAME to _gone._dmarc-policy.dept.test (missing)');
    expect(dmarcRows(r)).toEqual([['_dmarc.dangling.test', 'CNAME', '_gone._dmarc-policy.dept.test']]);
  });

  test('to a name that holds no TXT record: DNS-CNAME-DANGLING too', async () => {
    const r = await checkDomain('empty.test', { dns, fetch });
    expect(findings(r)[0]).toEqual(['DNS-CNAME-DANGLING', 'error', '_dmarc.empty.test']);
    expect(r.findings[0].message).toContain('which holds no TXT record');
  });

  test('a loop across two zones: DNS-CNAME-LOOP naming the chain, no crash, no hang', async () => {
    const r = await checkDomain('loop.test', { dns, fetch });
    expect(findings(r)).toEqual([['DNS-CNAME-LOOP', 'error', '_dmarc.loop.test']]);
    expect(r.findings[0].message).toBe('_dmarc.loop.test is a CNAME chain that does not end (_dmarc.loop.test → loop-a._policy.dept.test → loop-b._policy.other.test → loop-a._policy.dept.test): '
      + 'resolvers answer SERVFAIL, so receivers cannot read the DMARC record.');
    expect(r.facts?.[0]).toMatch(/^_dmarc\.loop\.test is a CNAME to .*, a loop$/);
  });

  test('a loop inside one zone: DNS-CNAME-LOOP too', async () => {
    const r = await checkDomain('selfloop.test', { dns, fetch });
    expect(findings(r).map(([id]) => id)).toEqual(['DNS-CNAME-LOOP']);
  });

  test('the client: each answer asked for once per run, and the result names the chain', async () => {
    const first = await dns.txt('_dmarc.two-hops.test');
    expect(first).toEqual({ outcome: 'ok', records: [[GOOD]], cnames: ['_hop._dmarc-policy.dept.test', '_parked._dmarc-policy.dept.test'] });
    await dns.txt('_dmarc.two-hops.test');
    // Knot answers the second link itself (both names are in dept.test): two queries, each once.
    expect(dns.sent.filter((q) => q.type === 'TXT').map((q) => q.name)).toEqual(['_dmarc.two-hops.test', '_hop._dmarc-policy.dept.test']);
    expect(await dns.txt('_dmarc.loop.test')).toMatchObject({ outcome: 'failed', code: 'ECNAMELOOP', cnameLoop: true });
  });
});

describe('the CNAME chain of one answer, held to chains built at random', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  const names = fc.uniqueArray(fc.array(label, { minLength: 2, maxLength: 3 }).map((l) => l.join('.')), { minLength: 2, maxLength: MAX_CNAME_LINKS + 4 });

  test('every link in order, the end, and a loop or an over-long chain reported, whatever the order of the answers and the case of the names', () => {
    fc.assert(fc.property(names, fc.option(fc.nat(), { nil: undefined }), fc.boolean(), fc.integer(), (chain, back, txtAtEnd, seed) => {
      const links = chain.slice(1).map((target, i) => ({ type: 'CNAME' as const, name: chain[i], data: target }));
      const loopsTo = back === undefined ? undefined : chain[back % chain.length];
      if (loopsTo !== undefined) links.push({ type: 'CNAME', name: chain[chain.length - 1], data: loopsTo });
      const answers: dnsPacket.Answer[] = [...links.map((l) => ({ ...l, name: seed % 2 === 0 ? l.name.toUpperCase() : l.name })),
        ...(txtAtEnd && loopsTo === undefined ? [{ type: 'TXT' as const, name: chain[chain.length - 1], data: ['v=DMARC1; p=reject'] }] : [])];
      // Any order of the answer section.
      const shuffled = answers.map((a, i) => ({ a, k: (i * 7919 + seed) % 104729 })).sort((x, y) => x.k - y.k).map((x) => x.a);
      const msg = decodeMessage(dnsPacket.encode({ type: 'response', id: 1, questions: [{ name: chain[0], type: 'TXT', class: 'IN' }], answers: shuffled }));
      const read = cnameChain(msg, chain[0]);
      const tooLong = chain.length - 1 > MAX_CNAME_LINKS;
      expect(read.loop).toBe(loopsTo !== undefined || tooLong);
      expect(read.targets).toEqual(chain.slice(1, MAX_CNAME_LINKS + 1));
      if (!read.loop) {
        expect(read.end).toBe(chain[chain.length - 1]);
        expect(answersFor(msg, chain[0], RR_TYPE.TXT).map((r) => readTxt(msg, r))).toEqual(txtAtEnd ? [['v=DMARC1; p=reject']] : []);
      }
    }));
  });
});
