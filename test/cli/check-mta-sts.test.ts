/**
 * The MTA-STS policy fetch of `gov-email check`, as a sending MTA must do it (RFC 8461 §3.3),
 * against a real HTTPS server on 127.0.0.1 with certificates from a CA made in the test:
 * certificate validation (expired, wrong name, untrusted), no redirects, HTTP 200 only,
 * text/plain only, the 64 KiB cap, timeouts, and what the profile makes of the result.
 */
import * as net from 'node:net';
import { hasOpenssl } from './support/certs';
import { CheckEnvironment, runCheck } from './support/environment';
import { buildWorld, policy } from './support/zones';
import { MAX_POLICY_BYTES, fetchMtaStsPolicy } from '../../src/cli/check/mta-sts-fetch';
import { DomainReport, Report } from '../../src/cli/report';

const describeWithOpenssl = hasOpenssl() ? describe : describe.skip;

describeWithOpenssl('MTA-STS policy fetch', () => {
  let env: CheckEnvironment;

  beforeAll(async () => {
    const world = buildWorld();
    env = await CheckEnvironment.start({
      ...world,
      hosts: {
        ...world.hosts,
        'mta-sts.charset.test': { contentType: 'text/plain; charset=utf-8', body: policy('enforce', 1209600, ['mx.charset.test']) },
        'mta-sts.declared-big.test': { headers: { 'Content-Length': String(MAX_POLICY_BYTES + 1) }, stall: true },
        'mta-sts.no-type.test': { contentType: null, body: 'version: STSv1\r\n' },
        'mta-sts.crlf.test': { body: policy('enforce', 1209600, ['mx.crlf.test']) },
        'mta-sts.found.test': { status: 302, headers: { Location: '/elsewhere' } },
        'mta-sts.created.test': { status: 201, body: policy('enforce', 1209600, ['mx.created.test']) },
      },
    });
  });
  afterAll(() => env.stop());

  const options = () => ({ timeoutMs: 500, ca: [env.ca.cert], connectTo: { host: '127.0.0.1', port: env.https.port } });

  test('a good policy: fetched with SNI and Host mta-sts.<domain>, body returned as served', async () => {
    const r = await fetchMtaStsPolicy('healthy.test', options());
    expect(r).toEqual({
      ok: true,
      url: 'https://mta-sts.healthy.test/.well-known/mta-sts.txt',
      body: policy('enforce', 1209600, ['mx1.healthy.test', 'mx2.healthy.test']),
    });
    expect(env.https.requestCount('mta-sts.healthy.test')).toBeGreaterThan(0);
  });

  test('text/plain with parameters is text/plain', async () => {
    expect((await fetchMtaStsPolicy('charset.test', options())).ok).toBe(true);
  });

  test.each<[string, RegExp]>([
    ['sts-redirect.test', /^HTTP 301 redirect to https:\/\/mta-sts\.healthy\.test\/\.well-known\/mta-sts\.txt; RFC 8461 §3\.3 forbids following redirects$/],
    ['found.test', /^HTTP 302 redirect to \/elsewhere/],
    ['sts-404.test', /^HTTP 404; only 200 is accepted$/],
    ['created.test', /^HTTP 201; only 200 is accepted$/],
    ['sts-html.test', /^Content-Type "text\/html; charset=utf-8"; text\/plain is required$/],
    ['no-type.test', /^no Content-Type; text\/plain is required$/],
    ['sts-expired.test', /^the certificate of mta-sts\.sts-expired\.test has expired \(CERT_HAS_EXPIRED\)$/],
    ['sts-wrong-name.test', /^the certificate presented is not valid for mta-sts\.sts-wrong-name\.test \(ERR_TLS_CERT_ALTNAME_INVALID\)$/],
    ['sts-huge.test', /^the body is larger than 65536 octets; reading stopped there$/],
    ['declared-big.test', /^the body is 65537 octets \(Content-Length\); at most 65536 are read$/],
    ['sts-stall.test', /^no answer within 500 ms$/],
    // The server's default certificate does not name a host it does not serve.
    ['unknown-host.test', /^the certificate presented is not valid for mta-sts\.unknown-host\.test/],
  ])('%s is refused: %s', async (domain, error) => {
    const started = Date.now();
    const r = await fetchMtaStsPolicy(domain, options());
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(error);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('a redirect is not followed', async () => {
    const before = env.https.requestCount('mta-sts.healthy.test');
    await fetchMtaStsPolicy('sts-redirect.test', options());
    expect(env.https.requestCount('mta-sts.healthy.test')).toBe(before);
  });

  test('without the private CA the certificate is not trusted (validation cannot be turned off)', async () => {
    const r = await fetchMtaStsPolicy('healthy.test', { ...options(), ca: undefined });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^the certificate of mta-sts\.healthy\.test is not issued by a trusted CA \(/) });
  });

  test('connect timeout: a server that accepts TCP but never speaks TLS', async () => {
    const sockets: net.Socket[] = [];
    const mute = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (mute.address() as net.AddressInfo).port;
      const r = await fetchMtaStsPolicy('healthy.test', { ...options(), timeoutMs: 2000, connectTimeoutMs: 200, connectTo: { host: '127.0.0.1', port } });
      expect(r).toMatchObject({ ok: false, error: 'could not connect to mta-sts.healthy.test within 200 ms' });
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  test('a refused connection, and a policy host that does not resolve', async () => {
    const refused = await fetchMtaStsPolicy('healthy.test', { ...options(), connectTo: { host: '127.0.0.1', port: 9 } });
    expect(refused).toMatchObject({ ok: false, error: 'mta-sts.healthy.test refused the connection (ECONNREFUSED)' });
    const unresolved = await fetchMtaStsPolicy('healthy.test', { timeoutMs: 500, lookup: () => Promise.reject(new Error('NXDOMAIN')) });
    expect(unresolved).toMatchObject({ ok: false, error: 'mta-sts.healthy.test does not resolve: NXDOMAIN' });
  });

  describe('in gov-email check', () => {
    let reports: Map<string, DomainReport>;
    const domains = ['sts-redirect.test', 'sts-html.test', 'sts-expired.test', 'sts-wrong-name.test', 'sts-huge.test', 'sts-404.test', 'sts-stall.test', 'sts-uncovered.test', 'healthy.test'];

    beforeAll(async () => {
      const r = await env.run([...domains, '--format', 'json']);
      reports = new Map((JSON.parse(r.stdout) as Report).domains.map((d) => [d.domain, d]));
    });

    test.each(domains.filter((d) => d !== 'sts-uncovered.test' && d !== 'healthy.test'))('%s: GOVUK-MTASTS-POLICY-UNAVAILABLE and nothing else', (domain) => {
      const findings = reports.get(domain)!.findings;
      expect(findings.map((f) => [f.ruleId, f.path])).toEqual([['GOVUK-MTASTS-POLICY-UNAVAILABLE', `https://mta-sts.${domain}/.well-known/mta-sts.txt`]]);
      expect(findings[0].message).toMatch(new RegExp(`^The MTA-STS policy at https://mta-sts\\.${domain.replace(/\./g, '\\.')}/\\.well-known/mta-sts\\.txt could not be fetched: .+\\.$`));
      expect(reports.get(domain)!.records.some((r) => r.type === 'POLICY')).toBe(false);
    });

    test('every MX host is checked against the policy\'s patterns', () => {
      expect(reports.get('sts-uncovered.test')!.findings.map((f) => f.ruleId)).toEqual(['MTASTS-MX-NOT-COVERED']);
      expect(reports.get('sts-uncovered.test')!.findings[0].message).toContain('"backup.sts-uncovered.test"');
      expect(reports.get('healthy.test')!.findings).toEqual([]);
    });

    test('without --ca-file every policy host fails validation', async () => {
      const r = await runCheck(['healthy.test', '--resolver', env.dns.address, '--https-port', String(env.https.port), '--no-smtp', '--timeout', '500ms', '--format', 'json']);
      const findings = (JSON.parse(r.stdout) as Report).domains[0].findings;
      expect(findings.map((f) => f.ruleId)).toEqual(['GOVUK-MTASTS-POLICY-UNAVAILABLE']);
      expect(findings[0].message).toContain('is not issued by a trusted CA');
      expect(r.code).toBe(1);
    });
  });
});
