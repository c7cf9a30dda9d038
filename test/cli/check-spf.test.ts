/**
 * The SPF walk of `gov-email check`: DNS lookups and void lookups counted as RFC 7208 §4.6.4
 * counts them, loops found, include targets checked, and the measured costs handed to the
 * profile so that its count agrees. Against a real DNS server on 127.0.0.1.
 */
import * as fc from 'fast-check';
import { hasOpenssl } from './support/certs';
import { TestDnsServer, TestZone } from './support/dns-server';
import { CheckEnvironment } from './support/environment';
import { buildWorld } from './support/zones';
import { DnsClient } from '../../src/cli/check/dns';
import { walkSpf } from '../../src/cli/check/spf-walk';
import { DomainReport, Report } from '../../src/cli/report';
import { Spf } from '../../src/records/spf';

/** Records that exercise the counting rules, beside the shared test zones. */
const EXTRA: TestZone = {
  'after-all.test': { TXT: ['v=spf1 ip4:192.0.2.1 -all include:never1.test a:never2.test'] },
  'redirect-ignored.test': { TXT: ['v=spf1 include:spf2.provider.test -all redirect=never3.test'] },
  'redirect.test': { TXT: ['v=spf1 ip4:192.0.2.1 redirect=spf.provider.test'] },
  'macros.test': { TXT: ['v=spf1 ptr exists:%{i}.bl.test include:%{d}.x.test ip4:192.0.2.1 ip6:2001:db8::1 -all'] },
  'twice.test': { TXT: ['v=spf1 include:spf.provider.test include:spf.provider.test -all'] },
  'two-records-include.test': { TXT: ['v=spf1 include:two.example.test -all'] },
  'two.example.test': { TXT: ['v=spf1 -all', 'v=spf1 ip4:192.0.2.1 -all'] },
  'bad-include.test': { TXT: ['v=spf1 include:bad.example.test -all'] },
  'bad.example.test': { TXT: ['v=spf1 ip4:192.0.2.1 frob -all'] },
  'not-spf-include.test': { TXT: ['v=spf1 include:verify.example.test -all'] },
  'verify.example.test': { TXT: ['google-site-verification=abc'] },
  'deep-loop.test': { TXT: ['v=spf1 include:l1.deep-loop.test -all'] },
  'l1.deep-loop.test': { TXT: ['v=spf1 include:l2.deep-loop.test -all'] },
  'l2.deep-loop.test': { TXT: ['v=spf1 ip4:192.0.2.1 include:l1.deep-loop.test -all'] },
};

describe('SPF walk (walkSpf against a real DNS server)', () => {
  let server: TestDnsServer;
  let dns: DnsClient;

  beforeAll(async () => {
    server = await TestDnsServer.start({ ...buildWorld().zone, ...EXTRA });
  });
  beforeEach(() => {
    dns = new DnsClient({ servers: [server.address], timeoutMs: 500 });
    server.resetLog();
  });
  afterEach(() => dns.close());
  afterAll(() => server.stop());

  const walk = async (domain: string) => {
    const txt = await dns.txt(domain);
    const spf = txt.records.map((s) => s.join('')).filter((v) => Spf.isSpf(v));
    expect(spf).toHaveLength(1);
    const model = Spf.parse(spf[0]);
    const result = await walkSpf(domain, model, dns);
    // The profile, given the measured costs, counts exactly what was measured.
    expect(Spf.lookupCount(model, { includeCosts: result.includeCosts }).lookups).toBe(result.lookups);
    return result;
  };

  test.each<[string, number, number]>([
    // domain, DNS lookups, void lookups
    ['healthy.test', 2, 0], // include → include
    ['parked.test', 0, 0],
    ['chain10.test', 10, 0],
    ['chain11.test', 11, 0],
    ['voids.test', 4, 3], // a:NXDOMAIN, mx:no MX, include → exists:NXDOMAIN
    ['voids2.test', 2, 2],
    ['after-all.test', 0, 0], // terms after "all" are never evaluated
    ['redirect-ignored.test', 1, 0], // redirect is ignored when "all" is present
    ['redirect.test', 2, 0], // redirect counts, and so does its target's include
    ['macros.test', 3, 0], // ptr, exists and include count; macros are not expanded
    ['twice.test', 4, 0], // a repeated include is evaluated (and counted) again
    ['many-mx.test', 1, 0],
    ['long-txt.test', 2, 0],
    ['loop.test', 3, 0],
  ])('%s takes %i lookups and %i void lookups', async (domain, lookups, voids) => {
    const r = await walk(domain);
    expect({ lookups: r.lookups, voids: r.voids }).toEqual({ lookups, voids });
  });

  test('each include target\'s measured cost is handed over, its own void lookup included', async () => {
    expect((await walk('healthy.test')).includeCosts).toEqual([{ domain: 'spf.provider.test', lookups: 1, voidLookups: 0 }]);
    expect((await walk('voids.test')).includeCosts).toEqual([{ domain: 'inc.voids.test', lookups: 1, voidLookups: 1 }]);
    expect((await walk('no-include.test')).includeCosts).toEqual([
      { domain: 'nothing-here.test', lookups: 0, voidLookups: 1 },
      { domain: 'spf.provider.test', lookups: 1, voidLookups: 0 },
    ]);
  });

  test('terms that are never evaluated, and macros, are never queried', async () => {
    await walk('after-all.test');
    await walk('redirect-ignored.test');
    await walk('macros.test');
    for (const name of ['never1.test', 'never2.test', 'never3.test']) expect(server.count(name)).toBe(0);
    expect(server.queries.filter((q) => q.name.includes('%') || q.name.endsWith('bl.test') || q.name.endsWith('x.test'))).toEqual([]);
  });

  test('a record included twice is fetched once', async () => {
    await walk('twice.test');
    expect(server.count('spf.provider.test', 'TXT')).toBe(1);
  });

  test.each<[string, string, string]>([
    ['loop.test', 'SPF-INCLUDE-LOOP', 'b.loop.test'],
    ['deep-loop.test', 'SPF-INCLUDE-LOOP', 'l2.deep-loop.test'],
    ['self-redirect.test', 'SPF-INCLUDE-LOOP', 'self-redirect.test'],
    ['no-include.test', 'SPF-INCLUDE-NO-RECORD', 'no-include.test'],
    ['not-spf-include.test', 'SPF-INCLUDE-NO-RECORD', 'not-spf-include.test'],
    ['two-records-include.test', 'SPF-MULTIPLE-RECORDS', 'two.example.test'],
    ['bad-include.test', 'SPF-UNKNOWN-MECHANISM', 'bad.example.test'],
    ['include-servfail.test', 'DNS-SERVFAIL', 'broken-dns.provider.test'],
    ['many-mx.test', 'SPF-MX-ADDRESS-LOOKUPS', 'many-mx.test'],
  ])('%s: %s at %s', async (domain, ruleId, path) => {
    const r = await walk(domain);
    expect(r.findings.map((f) => [f.ruleId, f.path, f.severity])).toEqual([[ruleId, path, 'error']]);
  });

  test('a target with TXT records but no SPF record is not a void lookup', async () => {
    expect((await walk('not-spf-include.test')).voids).toBe(0);
    expect((await walk('no-include.test')).voids).toBe(1);
  });

  test('the include records found are listed with where they were included from', async () => {
    expect((await walk('chain11.test')).records.map((r) => `${r.name} ← ${r.origin}`).slice(0, 2)).toEqual([
      'c1.chain11.test ← SPF include from chain11.test',
      'c2.chain11.test ← SPF include from c1.chain11.test',
    ]);
  });

  test('property: the walk counts what a recursive count of the records gives, and so does the profile', async () => {
    // Random include trees (record i includes only records after it, so no loops), with a and
    // mx terms at names that exist or not.
    const term = fc.oneof(
      fc.constant('ip4:192.0.2.1'),
      fc.constantFrom('a:host.rand.test', 'a:nothing.rand.test', 'mx:host.rand.test', 'mx:mail.rand.test', 'exists:nothing.rand.test'),
      fc.nat(5).map((n) => `include:r${n}.rand.test`),
    );
    const records = fc.array(fc.array(term, { maxLength: 4 }), { minLength: 6, maxLength: 6 });
    await fc.assert(fc.asyncProperty(records, fc.constantFrom('-all', '~all', ''), async (recs, all) => {
      const text = (i: number) => ['v=spf1', ...recs[i].filter((t) => !t.startsWith('include:') || Number(t.slice(9, t.indexOf('.'))) > i), all].filter((x) => x !== '').join(' ');
      const zone: TestZone = {
        'host.rand.test': { A: ['192.0.2.7'] },
        'mail.rand.test': { MX: [[10, 'host.rand.test']] },
      };
      recs.forEach((_, i) => (zone[`r${i}.rand.test`] = { TXT: [text(i)] }));
      server.setZone(zone);
      const expected = (i: number): { lookups: number; voids: number } => {
        let lookups = 0;
        let voids = 0;
        for (const t of Spf.parse(text(i)).terms) {
          if (t.mechanism === 'ip4' || t.mechanism === 'all') continue;
          lookups++;
          const target = t.domainSpec!;
          if (t.mechanism === 'include') {
            const sub = expected(Number(target.slice(1, target.indexOf('.'))));
            lookups += sub.lookups;
            voids += sub.voids;
          } else if (target === 'nothing.rand.test' || (t.mechanism === 'mx' && target === 'host.rand.test') || (t.mechanism === 'a' && target === 'mail.rand.test')) {
            voids++;
          }
        }
        return { lookups, voids };
      };
      const client = new DnsClient({ servers: [server.address], timeoutMs: 1000 });
      try {
        const model = Spf.parse(text(0));
        const r = await walkSpf('r0.rand.test', model, client);
        expect({ lookups: r.lookups, voids: r.voids }).toEqual(expected(0));
        expect(Spf.lookupCount(model, { includeCosts: r.includeCosts }).lookups).toBe(r.lookups);
        expect(r.findings).toEqual([]);
      } finally {
        client.close();
      }
    }), { numRuns: 40 });
    server.setZone({ ...buildWorld().zone, ...EXTRA });
  });
});

const describeWithOpenssl = hasOpenssl() ? describe : describe.skip;

describeWithOpenssl('SPF findings in gov-email check', () => {
  let env: CheckEnvironment;
  let reports: Map<string, DomainReport>;
  const domains = ['chain10.test', 'chain11.test', 'voids.test', 'voids2.test', 'loop.test', 'self-redirect.test',
    'no-include.test', 'include-servfail.test', 'many-mx.test', 'long-txt.test', 'healthy.test'];

  beforeAll(async () => {
    const world = buildWorld();
    env = await CheckEnvironment.start({ ...world, zone: { ...world.zone, ...EXTRA } });
    const r = await env.run([...domains, '--format', 'json']);
    reports = new Map((JSON.parse(r.stdout) as Report).domains.map((d) => [d.domain, d]));
  });
  afterAll(() => env.stop());

  const ids = (d: string) => reports.get(d)!.findings.filter((f) => f.severity !== 'info').map((f) => f.ruleId).sort();

  test.each<[string, string[]]>([
    ['chain10.test', []],
    ['chain11.test', ['SPF-LOOKUP-LIMIT']],
    ['voids.test', ['SPF-VOID-LOOKUP-LIMIT']],
    ['voids2.test', []],
    ['loop.test', ['SPF-INCLUDE-LOOP']],
    ['self-redirect.test', ['SPF-INCLUDE-LOOP']],
    ['no-include.test', ['SPF-INCLUDE-NO-RECORD']],
    ['include-servfail.test', ['DNS-SERVFAIL']],
    ['many-mx.test', ['GOVUK-MTASTS-WILDCARD-MX', 'SPF-MX-ADDRESS-LOOKUPS']],
    ['long-txt.test', []],
    ['healthy.test', []],
  ])('%s: %j', (domain, expected) => {
    expect(ids(domain)).toEqual(expected);
  });

  test('the profile reports the lookups that were measured', () => {
    const f = reports.get('chain11.test')!.findings.find((x) => x.ruleId === 'SPF-LOOKUP-LIMIT')!;
    expect(f).toMatchObject({ severity: 'error', path: 'chain11.test', message: expect.stringMatching(/^Evaluating the record takes 11 DNS lookups; the limit is 10\. Lookups by term, nested includes counted: .*\(\d+\)\.$/) });
    // Every include's cost was measured, so none is reported as unknown.
    expect([...reports.values()].flatMap((d) => d.findings).filter((x) => x.ruleId === 'SPF-LOOKUP-COST-UNKNOWN')).toEqual([]);
  });

  test('measured void lookups over the limit are an error (a receiver\'s permerror), reported once', () => {
    const voids = reports.get('voids.test')!.findings.filter((x) => x.ruleId === 'SPF-VOID-LOOKUP-LIMIT');
    expect(voids).toEqual([expect.objectContaining({ severity: 'error', path: 'voids.test' })]);
    expect(voids[0].message).toContain('makes 3 void lookups');
  });

  test('a long TXT answer arrives over TCP, and an SPF record split into several strings is read whole', () => {
    expect(env.dns.queries.some((q) => q.name === 'long-txt.test' && q.type === 'TXT' && q.transport === 'tcp')).toBe(true);
    const spf = reports.get('long-txt.test')!.records.find((r) => r.name === 'long-txt.test' && r.value.includes('v=spf1'))!;
    expect(spf.value).toBe('"v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 " "ip4:203.0.113.0/24 include:spf.provider.test " "-all"');
  });
});
