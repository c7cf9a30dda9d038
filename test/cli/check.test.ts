/**
 * `gov-email check` end to end, against a real DNS server and a real HTTPS server on 127.0.0.1
 * (test/cli/support): output formats, exit codes, input handling, order and the DNS cache.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasOpenssl } from './support/certs';
import { CheckEnvironment, runCheck } from './support/environment';
import { TestWorld, buildWorld, txtStrings } from './support/zones';
import { checkDomains } from '../../src/cli/check/bulk';
import { CHECK_RULES } from '../../src/cli/check/check-rules';
import { checkDomain } from '../../src/cli/check/checker';
import { DnsClient } from '../../src/cli/check/dns';
import { DomainReport, Report } from '../../src/cli/report';

const describeWithOpenssl = hasOpenssl() ? describe : describe.skip;

describeWithOpenssl('gov-email check', () => {
  let world: TestWorld;
  let env: CheckEnvironment;
  let tmp: string;

  beforeAll(async () => {
    world = buildWorld();
    env = await CheckEnvironment.start(world);
    tmp = mkdtempSync(join(tmpdir(), 'gov-email-check-'));
  });
  afterAll(async () => {
    await env.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const json = async (args: string[]) => {
    const r = await env.run([...args, '--format', 'json']);
    return { ...r, report: JSON.parse(r.stdout) as Report };
  };
  const byDomain = (report: Report) => new Map<string, DomainReport>(report.domains.map((d) => [d.domain, d]));

  test('the JSON report of a healthy domain: every record found, no findings', async () => {
    const { code, report, stderr } = await json(['healthy.test']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const url = 'https://mta-sts.healthy.test/.well-known/mta-sts.txt';
    expect(report).toEqual({
      command: 'check',
      input: 'healthy.test',
      domains: [{
        domain: 'healthy.test',
        dnssec: { zone: 'healthy.test', signed: false, delegated: false, chained: false, validated: false },
        facts: ['DNSSEC: zone healthy.test not signed (GOV.UK recommends DNSSEC; DANE needs it)'],
        profile: 'active',
        records: [
          { name: 'healthy.test', type: 'TXT', value: '"v=spf1 include:spf.provider.test -all"' },
          { name: 'healthy.test', type: 'TXT', value: '"MS=ms12345678"' },
          { name: 'healthy.test', type: 'MX', value: '0 mx1.healthy.test' },
          { name: 'healthy.test', type: 'MX', value: '10 mx2.healthy.test' },
          { name: 'spf.provider.test', type: 'TXT', value: '"v=spf1 ip4:192.0.2.0/24 include:spf2.provider.test -all"', origin: 'SPF include from healthy.test' },
          { name: 'spf2.provider.test', type: 'TXT', value: '"v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 -all"', origin: 'SPF include from spf.provider.test' },
          { name: '_dmarc.healthy.test', type: 'TXT', value: '"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc@healthy.test,mailto:agg@reports.example"' },
          { name: 'healthy.test._report._dmarc.reports.example', type: 'TXT', value: '"v=DMARC1"', origin: 'DMARC report authorisation' },
          { name: '_mta-sts.healthy.test', type: 'TXT', value: '"v=STSv1; id=20261128T000000"' },
          { name: url, type: 'POLICY', value: 'version: STSv1; mode: enforce; mx: mx1.healthy.test; mx: mx2.healthy.test; max_age: 1209600', origin: 'https' },
          { name: '_smtp._tls.healthy.test', type: 'TXT', value: '"v=TLSRPTv1; rua=mailto:tls@healthy.test"' },
          // The selector is a CNAME to the provider's key: the alias, then the key where it is.
          { name: 'selector1._domainkey.healthy.test', type: 'CNAME', value: 'key2048.provider.test' },
          {
            name: 'key2048.provider.test',
            type: 'TXT',
            origin: 'through the CNAME at selector1._domainkey.healthy.test',
            // Two character-strings, as DNS holds a 2048-bit key.
            value: txtStrings(`v=DKIM1; k=rsa; p=${world.keys.rsa2048}`).map((s) => `"${s}"`).join(' '),
          },
          { name: 'healthy.test', type: 'CAA', value: '0 issue "amazon.com"' },
        ],
        findings: [],
      }],
    });
  });

  test('the table lists the records and the findings of each domain, then the totals', async () => {
    const r = await env.run(['healthy.test', 'parked-weak.test']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('healthy.test (active)');
    expect(r.stdout).toContain('  healthy.test                                          MX           0 mx1.healthy.test');
    expect(r.stdout).toContain('  no findings');
    expect(r.stdout).toContain('parked-weak.test (parked)');
    expect(r.stdout).toMatch(/ {2}ERROR {4}GOVUK-PARKED-DMARC {2}parked-weak\.test sends no mail/);
    expect(lines[lines.length - 2]).toBe('2 domains: 1 error, 1 warning, 1 info');
    expect(r.stdout).not.toContain('\x1b[');
  });

  test('markdown and SARIF; SARIF describes the check\'s own rules with their source', async () => {
    const md = await env.run(['missing.test', '--format', 'markdown']);
    expect(md.stdout).toContain('## gov-email check: :x: 1 domain: 1 error, 0 warnings, 0 info');
    expect(md.stdout).toContain('| error | `DNS-NXDOMAIN` |');

    const sarif = JSON.parse((await env.run(['missing.test', 'healthy.test', '--format', 'sarif'])).stdout);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules).toEqual([expect.objectContaining({
      id: 'DNS-NXDOMAIN',
      shortDescription: { text: CHECK_RULES.nxdomain.summary },
      defaultConfiguration: { level: 'error' },
      properties: { source: CHECK_RULES.nxdomain.source },
    })]);
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({ ruleId: 'DNS-NXDOMAIN', level: 'error', properties: { domain: 'missing.test', source: CHECK_RULES.nxdomain.source } });
  });

  describe('exit codes', () => {
    test('0 when no domain has an error', async () => {
      expect((await env.run(['healthy.test', 'parked.test'])).code).toBe(0);
    });
    test('1 when a domain has an error', async () => {
      expect((await env.run(['healthy.test', 'weak.test'])).code).toBe(1);
    });
    test('warnings alone: 0, or 1 with --strict', async () => {
      const plain = await json(['warn-only.test']);
      expect(plain.report.domains[0].findings.map((f) => `${f.severity} ${f.ruleId}`)).toEqual(['warning GOVUK-MTASTS-MODE']);
      expect(plain.code).toBe(0);
      expect((await env.run(['warn-only.test', '--strict'])).code).toBe(1);
    });
    test('a domain that does not exist is an error finding, and the batch goes on', async () => {
      const { code, report } = await json(['missing.test', 'healthy.test']);
      expect(code).toBe(1);
      expect(report.domains.map((d) => [d.domain, d.findings.map((f) => f.ruleId)])).toEqual([
        ['missing.test', ['DNS-NXDOMAIN']],
        ['healthy.test', []],
      ]);
    });
    test.each<[string, string[], RegExp]>([
      ['an unknown option', ['healthy.test', '--bogus'], /Unknown option '--bogus'/],
      ['no domains', [], /no domains given/],
      ['a word that is not a domain', ['healthy.test', 'not_a domain!', 'http://x.test/'], /not a domain name: "not_a domain!", "http:\/\/x\.test\/"\./],
      ['a single label', ['localhost'], /not a domain name: "localhost"/],
      ['an unknown format', ['healthy.test', '--format', 'xml'], /--format must be one of table, markdown, json, sarif/],
      ['a resolver that is not an address', ['healthy.test', '--resolver', 'dns.example'], /--resolver takes an IP address/],
      ['a bad timeout', ['healthy.test', '--timeout', 'soon'], /--timeout takes seconds/],
      ['a zero concurrency', ['healthy.test', '--concurrency', '0'], /--concurrency takes a whole number from 1/],
      ['a bad port', ['healthy.test', '--https-port', '70000'], /--https-port takes a whole number from 1 to 65535/],
      ['a bad selector', ['healthy.test', '--selector', 'a b'], /--selector takes a DKIM selector/],
      ['a file that cannot be read', ['--file', '/nonexistent/domains.txt'], /cannot read --file \/nonexistent\/domains\.txt/],
    ])('2 for %s, with a message on stderr and nothing on stdout', async (_name, args, message) => {
      // Put the test options first so the case's own options win where they repeat.
      const r = await runCheck([...env.pointAtServers, ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    });
    test('2 for a --ca-file that holds no certificate', async () => {
      const file = join(tmp, 'not-a-ca.pem');
      writeFileSync(file, 'hello\n');
      const r = await runCheck([...env.pointAtServers, 'healthy.test', '--ca-file', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('holds no PEM certificate');
    });
  });

  describe('input', () => {
    test('--file: one or more a line, commas or spaces, # comments; IDN and case normalised; each domain once, in order', async () => {
      const file = join(tmp, 'domains.txt');
      writeFileSync(file, '# our domains\nParked.Test.\nhealthy.test, weak.test  # the weak one\n\nhealthy.test\n');
      const { report } = await json(['--file', file]);
      expect(report.domains.map((d) => d.domain)).toEqual(['parked.test', 'healthy.test', 'weak.test']);
      expect(report.input).toBe(`--file ${file}`);
    });
    test('"-" reads the list from standard input', async () => {
      const r = await env.run(['-', '--format', 'json'], { stdin: 'weak.test\nparked.test\n' });
      expect((JSON.parse(r.stdout) as Report).domains.map((d) => d.domain)).toEqual(['weak.test', 'parked.test']);
    });
    test('an internationalised name is checked as its A-label', async () => {
      const { report } = await json(['bücher.test']);
      expect(report.domains[0].domain).toBe('xn--bcher-kva.test');
      expect(report.domains[0].findings.map((f) => f.ruleId)).toEqual(['DNS-NXDOMAIN']);
    });
  });

  test('--selector: DKIM selectors beyond the catalogue\'s (selector1, selector2, google)', async () => {
    const without = await json(['custom-selector.test']);
    expect(without.report.domains[0].findings.map((f) => f.ruleId)).toEqual(['GOVUK-DKIM-MISSING']);
    expect(without.report.domains[0].findings[0].message).toContain('selectors looked at: google, selector1, selector2');
    const withIt = await json(['custom-selector.test', '--selector', 'S2024']);
    expect(withIt.report.domains[0].findings).toEqual([]);
    expect(withIt.report.domains[0].records.map((r) => r.name)).toContain('s2024._domainkey.custom-selector.test');
  });

  test('results come back in input order whatever order they finish in', async () => {
    // The apex answers of order1..6 take 300, 0, 200, 50, 100 and 0 ms.
    const domains = ['order1.test', 'order2.test', 'order3.test', 'order4.test', 'order5.test', 'order6.test'];
    const dns = new DnsClient({ servers: [env.dns.address], timeoutMs: 2000 });
    const reports = await checkDomains(domains, {
      dns,
      concurrency: 6,
      fetch: { timeoutMs: 2000, ca: [env.ca.cert], connectTo: { host: '127.0.0.1', port: env.https.port } },
      onProgress: () => undefined,
    });
    dns.close();
    expect(reports.map((r) => r.domain)).toEqual(domains);
    expect(reports.every((r) => r.findings.length === 0)).toBe(true);

    const cli = await env.run([...domains, '--concurrency', '3', '--timeout', '2s', '--format', 'json']);
    expect((JSON.parse(cli.stdout) as Report).domains.map((d) => d.domain)).toEqual(domains);
  });

  test('the DNS cache: two domains sharing an include cause one query for it', async () => {
    env.dns.resetLog();
    const { report } = await json(['share-a.test', 'share-b.test']);
    expect(report.domains.flatMap((d) => d.findings)).toEqual([]);
    expect(env.dns.count('_spf.shared.test', 'TXT')).toBe(1);
    // Each domain's own names are asked once each too.
    expect(env.dns.count('share-a.test', 'TXT')).toBe(1);
    expect(env.dns.count('share-b.test', 'TXT')).toBe(1);
  });

  test('a progress bar on stderr only when stderr is a terminal', async () => {
    const quiet = await env.run(['healthy.test', 'parked.test']);
    expect(quiet.stderr).toBe('');
    const tty = await env.run(['healthy.test', 'parked.test'], { tty: true });
    expect(tty.stderr).toContain('] 2/2 domains');
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(tty.stdout).toBe(quiet.stdout);
  });

  describe('profiles', () => {
    let reports: Map<string, DomainReport>;
    beforeAll(async () => {
      reports = byDomain((await json(['parked.test', 'parked-weak.test', 'weak.test', 'broken.test'])).report);
    });
    const ids = (d: string) => reports.get(d)!.findings.map((f) => f.ruleId).sort();

    test('a parked domain (null MX, -all) gets the parked profile; locked down, it has no findings', () => {
      expect(reports.get('parked.test')!.profile).toBe('parked');
      expect(ids('parked.test')).toEqual([]);
    });
    test('the *._domainkey wildcard is found by asking for a made-up selector, never for the literal "*"', () => {
      const wildcard = reports.get('parked.test')!.records.find((r) => r.name === '*._domainkey.parked.test')!;
      expect(wildcard).toMatchObject({ type: 'TXT', value: '"v=DKIM1; p="', origin: expect.stringMatching(/^wildcard answer for gov-email-probe-[0-9a-f]{8}\._domainkey\.parked\.test$/) });
      expect(env.dns.queries.some((q) => q.name.startsWith('gov-email-probe-') && q.name.endsWith('._domainkey.parked.test'))).toBe(true);
      expect(env.dns.queries.some((q) => q.name.startsWith('*'))).toBe(false);
      // selector1, selector2 and google got the wildcard's answer: not listed as keys of their own.
      expect(reports.get('parked.test')!.records.filter((r) => r.name.endsWith('._domainkey.parked.test'))).toEqual([wildcard]);
    });
    test('a parked domain without the wildcard DKIM revocation, CAA and strict DMARC', () => {
      expect(reports.get('parked-weak.test')!.profile).toBe('parked');
      expect(ids('parked-weak.test')).toEqual(['GOVUK-PARKED-CAA', 'GOVUK-PARKED-DKIM', 'GOVUK-PARKED-DMARC']);
    });
    test('a weak domain: ?all, p=none, testing mode with a short max_age, two TLS-RPT rua, a 1024-bit key, an unauthorised report address', () => {
      expect(reports.get('weak.test')!.profile).toBe('active');
      expect(ids('weak.test')).toEqual([
        'DKIM-RSA-KEY-UNDER-2048', 'GOVUK-DMARC-POLICY', 'GOVUK-DMARC-REPORT-AUTHORISATION', 'GOVUK-DMARC-SUBDOMAIN-POLICY',
        'GOVUK-MTASTS-MAX-AGE', 'GOVUK-MTASTS-MODE', 'GOVUK-SPF-ALL', 'GOVUK-TLSRPT-RUA-COUNT',
      ]);
    });
    test('malformed records are findings: an unknown SPF mechanism, a bad DMARC policy, a bad MTA-STS id and policy mode', () => {
      expect(ids('broken.test')).toEqual([
        'DMARC-POLICY-VALUE', 'GOVUK-DMARC-POLICY', 'GOVUK-DMARC-SUBDOMAIN-POLICY', 'MTASTS-ID', 'MTASTS-POLICY-MODE', 'SPF-UNKNOWN-MECHANISM',
      ]);
    });
  });
});

describe('checkDomain never rejects', () => {
  test('an unexpected failure inside the checker is a CHECK-FAILED finding for that domain', async () => {
    // GIVEN a DNS client that fails in a way no DNS answer does
    const broken = new Proxy({}, { get: () => () => { throw new TypeError('resolver exploded'); } });
    // WHEN the domain is checked
    const report = await checkDomain('dept.gov.uk', { dns: broken as any, fetch: {} as any });
    // THEN the batch goes on with a finding for the domain
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.path])).toEqual([['CHECK-FAILED', 'error', 'dept.gov.uk']]);
    expect(report.findings[0].message).toBe('dept.gov.uk could not be checked: resolver exploded.');
  });
});
