/**
 * DNS failures in `gov-email check` (NXDOMAIN, SERVFAIL, REFUSED, timeouts, an unreachable
 * resolver, one failing name) are findings for the domain, never a crash or a stop of the
 * batch; and the resolver's per-run cache. Against a real DNS server on 127.0.0.1.
 */
import * as dgram from 'node:dgram';
import { TestDnsServer } from './support/dns-server';
import { buildWorld } from './support/zones';
import { checkDomains } from '../../src/cli/check/bulk';
import { checkDomain } from '../../src/cli/check/checker';
import { DnsClient } from '../../src/cli/check/dns';
import { DomainReport } from '../../src/cli/report';

describe('DNS failures are findings', () => {
  let server: TestDnsServer;
  let dns: DnsClient;
  // No MTA-STS fetch reaches a server here: the port is closed.
  const fetch = { timeoutMs: 300, connectTo: { host: '127.0.0.1', port: 9 } };

  beforeAll(async () => {
    server = await TestDnsServer.start(buildWorld().zone);
  });
  beforeEach(() => {
    dns = new DnsClient({ servers: [server.address], timeoutMs: 500 });
  });
  afterEach(() => dns.close());
  afterAll(() => server.stop());

  const ids = (r: DomainReport) => r.findings.map((f) => f.ruleId);

  test('a domain that does not exist: DNS-NXDOMAIN alone, no profile, no records', async () => {
    const r = await checkDomain('missing.test', { dns, fetch });
    expect(r).toEqual({
      domain: 'missing.test',
      records: [],
      findings: [expect.objectContaining({ ruleId: 'DNS-NXDOMAIN', severity: 'error', path: 'missing.test' })],
    });
  });

  test.each<[string, string, RegExp]>([
    ['servfail.test', 'DNS-SERVFAIL', /^10 queries about servfail\.test were answered SERVFAIL \(TXT servfail\.test, MX servfail\.test, CAA servfail\.test and 7 more\)/],
    ['refused.test', 'DNS-QUERY-FAILED', /^10 queries about refused\.test failed \(EREFUSED\)/],
    ['slow.test', 'DNS-TIMEOUT', /^10 queries about slow\.test got no answer in time/],
  ])('%s: the apex cannot be read, so one %s finding and nothing built on missing answers', async (domain, ruleId, message) => {
    const started = Date.now();
    const r = await checkDomain(domain, { dns, fetch });
    expect(r.profile).toBeUndefined();
    expect(ids(r)).toEqual([ruleId]);
    expect(r.findings[0].message).toMatch(message);
    expect(r.findings[0].path).toBe(domain);
    // The timeout bounds the wait (the server answers slow.test after 1.5 s).
    expect(Date.now() - started).toBeLessThan(1400);
  });

  test('one name failing: a finding at that name, and the rest of the domain is still evaluated', async () => {
    const r = await checkDomain('partial.test', { dns, fetch });
    expect(r.profile).toBe('active');
    expect(r.findings.map((f) => [f.ruleId, f.path])).toEqual([
      ['DNS-SERVFAIL', '_dmarc.partial.test'],
      // The policy host is unreachable here; the MTA-STS record was still found and evaluated.
      ['GOVUK-MTASTS-POLICY-UNAVAILABLE', 'https://mta-sts.partial.test/.well-known/mta-sts.txt'],
    ]);
    expect(r.records.map((x) => x.name)).toContain('_mta-sts.partial.test');
  });

  test('a batch with every kind of failure finishes, each domain reported, in order', async () => {
    const domains = ['servfail.test', 'healthy.test', 'missing.test', 'slow.test', 'refused.test', 'partial.test', 'parked.test'];
    const reports = await checkDomains(domains, { dns, fetch, concurrency: 3 });
    expect(reports.map((r) => [r.domain, r.findings[0]?.ruleId ?? 'none'])).toEqual([
      ['servfail.test', 'DNS-SERVFAIL'],
      ['healthy.test', 'GOVUK-MTASTS-POLICY-UNAVAILABLE'],
      ['missing.test', 'DNS-NXDOMAIN'],
      ['slow.test', 'DNS-TIMEOUT'],
      ['refused.test', 'DNS-QUERY-FAILED'],
      ['partial.test', 'DNS-SERVFAIL'],
      ['parked.test', 'none'],
    ]);
  });

  test('a resolver that does not answer at all: findings, not a crash', async () => {
    const closed = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => closed.bind(0, '127.0.0.1', () => resolve()));
    const port = closed.address().port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = new DnsClient({ servers: [`127.0.0.1:${port}`], timeoutMs: 300 });
    try {
      const r = await checkDomain('healthy.test', { dns: nowhere, fetch });
      expect(r.findings).toHaveLength(1);
      expect(['DNS-QUERY-FAILED', 'DNS-TIMEOUT']).toContain(r.findings[0].ruleId);
      expect(r.findings[0].message).toContain('none of its records could be checked');
    } finally {
      nowhere.close();
    }
  });
});

describe('DnsClient', () => {
  let server: TestDnsServer;

  beforeAll(async () => {
    server = await TestDnsServer.start({
      'a.test': { TXT: ['one', ['two ', 'strings']], MX: [[0, '.']], A: ['192.0.2.1'], CAA: [{ tag: 'issue', value: ';' }] },
      'bad.test': { servfail: true },
    });
  });
  afterAll(() => server.stop());

  test('answers by type, keeping TXT character-strings apart; nodata and NXDOMAIN told apart', async () => {
    const dns = new DnsClient({ servers: [server.address], timeoutMs: 500 });
    try {
      expect(await dns.txt('a.test')).toEqual({ outcome: 'ok', records: [['one'], ['two ', 'strings']] });
      expect(await dns.mx('A.TEST.')).toEqual({ outcome: 'ok', records: [{ priority: 0, exchange: '' }] });
      expect(await dns.a('a.test')).toEqual({ outcome: 'ok', records: ['192.0.2.1'] });
      expect(await dns.caa('a.test')).toEqual({ outcome: 'ok', records: [{ flags: 0, tag: 'issue', value: ';' }] });
      expect((await dns.aaaa('a.test')).outcome).toBe('nodata');
      expect((await dns.txt('nothing.a.test')).outcome).toBe('nxdomain');
      expect((await dns.txt('bad.test')).outcome).toBe('servfail');
    } finally {
      dns.close();
    }
  });

  test('one query per (type, name) per run: concurrent askers share the query in flight; failures are cached too', async () => {
    const dns = new DnsClient({ servers: [server.address], timeoutMs: 500 });
    server.resetLog();
    try {
      const results = await Promise.all([dns.txt('a.test'), dns.txt('A.test'), dns.txt('a.test.'), dns.txt('bad.test'), dns.txt('bad.test')]);
      expect(results[0]).toBe(results[1]);
      await dns.txt('a.test');
      await dns.txt('bad.test');
      expect(server.count('a.test', 'TXT')).toBe(1);
      expect(server.count('bad.test', 'TXT')).toBe(1);
      expect(dns.sent).toEqual([{ type: 'TXT', name: 'a.test' }, { type: 'TXT', name: 'bad.test' }]);
      expect(dns.hits).toBe(5);
    } finally {
      dns.close();
    }
  });
});
