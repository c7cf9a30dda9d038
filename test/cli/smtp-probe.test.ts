/**
 * The STARTTLS probe of `gov-email check` against real mail servers on 127.0.0.1: a good one,
 * one without STARTTLS, TLS 1.0 and 1.1 only, expired, not yet valid, wrong-name and
 * self-signed certificates, and servers that misbehave (a greeting sent a byte a second,
 * silence, a flood without line ends, a connection closed in the handshake).
 */
import { X509Certificate } from 'node:crypto';
import * as net from 'node:net';
import { TestCa, TestCertificate, hasOpenssl } from './support/certs';
import {
  Script, TestSmtpServer, TestSmtpOptions, closeInHandshake, flood, injectAfterStarttls, refuseStarttls, replies, silent, silentAfterStarttls, tarpit,
} from './support/smtp-server';
import {
  MAX_REPLY_BYTES, ProbeLimiter, SmtpProbeOptions, SmtpProbeResult, probeMx, probeMxHosts, tlsVersionAtLeast, tlsVersionText,
} from '../../src/cli/check/smtp-probe';

const describeWithOpenssl = hasOpenssl() ? describe : describe.skip;
const MX = 'mx.dept.test';

describeWithOpenssl('SMTP STARTTLS probe', () => {
  let ca: TestCa;
  let good: TestCertificate;
  const servers: TestSmtpServer[] = [];

  beforeAll(() => {
    ca = TestCa.create();
    good = ca.issue({ names: [MX] });
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    ca.dispose();
  });

  async function real(options: Partial<TestSmtpOptions> = {}): Promise<TestSmtpServer> {
    const s = await TestSmtpServer.start({ cert: good, ...options });
    servers.push(s);
    return s;
  }
  async function scripted(script: Script): Promise<TestSmtpServer> {
    const s = await TestSmtpServer.scripted(script);
    servers.push(s);
    return s;
  }
  function probe(s: TestSmtpServer, options: SmtpProbeOptions = {}): Promise<SmtpProbeResult> {
    return probeMx(MX, { connectTo: { host: '127.0.0.1', port: s.port }, ca: [ca.cert], timeoutMs: 10_000, ...options });
  }

  test('a good server: STARTTLS, TLS 1.3, SNI the MX host, the chain with its DER, valid for the name; QUIT; one connection', async () => {
    const s = await real();
    const r = await probe(s);
    expect(r).toMatchObject({ host: MX, address: '127.0.0.1', port: s.port, outcome: 'tls', phase: 'quit', starttlsOffered: true });
    expect(r.error).toBeUndefined();
    expect(r.banner).toEqual(['mx.test ESMTP']);
    expect(r.extensions).toContain('STARTTLS');
    expect(r.tls).toMatchObject({ version: 'TLSv1.3', meetsMinimum: true });
    expect(r.tls!.cipher).toMatch(/^TLS_/);
    const cert = r.tls!.certificate!;
    expect(cert).toMatchObject({ chainValid: true, trusted: true, expired: false, notYetValid: false, nameMatches: true });
    expect(cert.chainError).toBeUndefined();
    expect(cert.chain[0]).toMatchObject({ subject: `CN=${MX}`, subjectAltNames: [`DNS:${MX}`], issuer: 'CN=gov-email test CA', keyType: 'ec', keyBits: 256, trustAnchor: false });
    expect(cert.chain[0].der.equals(new X509Certificate(good.cert).raw)).toBe(true);
    expect(Date.parse(cert.chain[0].notAfter)).toBeGreaterThan(Date.now());
    expect(cert.chain[cert.chain.length - 1]).toMatchObject({ subject: 'CN=gov-email test CA', trustAnchor: true });
    await s.sawQuit();
    expect(s.servernames).toEqual([MX]);
    expect(s.commands).toEqual([expect.stringMatching(/^EHLO \S+$/), 'STARTTLS', 'QUIT']);
    expect(s.connections).toBe(1);
  });

  test('a presented certificate\'s names and key, read when asked, are X509Certificate\'s; as JSON it has every field', async () => {
    const r = await probe(await real({ cert: ca.issue({ names: [MX, 'other.dept.test'] }) }));
    const leaf = r.tls!.certificate!.chain[0];
    const x = new X509Certificate(leaf.der);
    const fields = {
      subject: x.subject,
      subjectAltNames: [`DNS:${MX}`, 'DNS:other.dept.test'],
      issuer: x.issuer,
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      fingerprint256: x.fingerprint256,
      keyType: 'ec',
      keyBits: 256,
      trustAnchor: false,
    };
    expect(leaf).toMatchObject(fields);
    const json = JSON.parse(JSON.stringify(leaf)) as Record<string, unknown>;
    expect(json).toMatchObject(fields);
    expect(Buffer.from((json.der as { data: number[] }).data).equals(leaf.der)).toBe(true);
  });

  test('the EHLO name is the one given', async () => {
    const s = await real();
    await probe(s, { ehloName: 'checker.dept.test' });
    expect(s.commands[0]).toBe('EHLO checker.dept.test');
  });

  test('the host is resolved with lookup, and the port is the one given', async () => {
    const s = await real();
    const asked: string[] = [];
    const r = await probeMx(`${MX.toUpperCase()}.`, {
      port: s.port,
      ca: [ca.cert],
      lookup: async (h) => {
        asked.push(h);
        return '127.0.0.1';
      },
    });
    expect(asked).toEqual([MX]);
    expect(r).toMatchObject({ host: MX, outcome: 'tls', port: s.port });
  });

  test('without the private CA, the chain does not validate against the bundled roots alone', async () => {
    const s = await real();
    const r = await probe(s, { ca: undefined });
    expect(r.outcome).toBe('tls');
    expect(r.tls!.certificate).toMatchObject({ chainValid: false, trusted: false, nameMatches: true });
    expect(r.tls!.certificate!.chainError).toMatch(/^UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)$/);
  });

  test('a server that stops at TLS 1.2 negotiates TLS 1.2, which meets the minimum', async () => {
    const r = await probe(await real({ maxVersion: 'TLSv1.2' }));
    expect(r.tls).toMatchObject({ version: 'TLSv1.2', meetsMinimum: true });
  });

  test.each(['TLSv1', 'TLSv1.1'] as const)('a server that supports only %s is observed, and falls short of the minimum', async (version) => {
    // OpenSSL 3 refuses TLS 1.0 and 1.1 above security level 0, on both ends.
    const r = await probe(await real({ minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' }));
    expect(r.outcome).toBe('tls');
    expect(r.tls).toMatchObject({ version, meetsMinimum: false });
    expect(r.tls!.certificate).toMatchObject({ chainValid: true, nameMatches: true });
  });

  test('no STARTTLS in the EHLO reply: no-starttls, and QUIT', async () => {
    const s = await real({ starttls: false });
    const r = await probe(s);
    expect(r).toMatchObject({ outcome: 'no-starttls', phase: 'ehlo', starttlsOffered: false, error: `${MX} does not offer STARTTLS` });
    expect(r.tls).toBeUndefined();
    await s.sawQuit();
    expect(s.commands).toEqual([expect.stringMatching(/^EHLO /), 'QUIT']);
  });

  test('an expired certificate: presented, reported, and judged expired (the chain itself is trusted)', async () => {
    const r = await probe(await real({ cert: ca.issue({ names: [MX], expired: true }) }));
    expect(r.outcome).toBe('tls');
    expect(r.tls!.certificate).toMatchObject({ chainValid: false, chainError: 'CERT_HAS_EXPIRED', trusted: true, expired: true, notYetValid: false, nameMatches: true });
    expect(r.tls!.certificate!.chain[0].notAfter).toBe('2020-02-01T00:00:00.000Z');
  });

  test('a certificate not valid yet', async () => {
    const r = await probe(await real({ cert: ca.issue({ names: [MX], notYetValid: true }) }));
    expect(r.tls!.certificate).toMatchObject({ chainValid: false, chainError: 'CERT_NOT_YET_VALID', trusted: true, expired: false, notYetValid: true });
  });

  test('the dates are judged at the time given', async () => {
    const r = await probe(await real(), { now: () => new Date('2099-01-01T00:00:00Z') });
    expect(r.tls!.certificate).toMatchObject({ expired: true, notYetValid: false });
  });

  test('a certificate for another name: trusted, but not valid for the MX host', async () => {
    const r = await probe(await real({ cert: ca.issue({ names: ['other.dept.test'] }) }));
    expect(r.tls!.certificate).toMatchObject({ chainValid: true, trusted: true, nameMatches: false });
    expect(r.tls!.certificate!.nameError).toMatch(/mx\.dept\.test.*other\.dept\.test/);
  });

  test('a wildcard certificate covers one label', async () => {
    const r = await probe(await real({ cert: ca.issue({ names: ['*.dept.test'] }) }));
    expect(r.tls!.certificate!.nameMatches).toBe(true);
  });

  test('a self-signed certificate: not trusted', async () => {
    const r = await probe(await real({ cert: ca.selfSigned([MX]) }));
    expect(r.outcome).toBe('tls');
    expect(r.tls!.certificate).toMatchObject({ chainValid: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT', trusted: false, nameMatches: true });
    expect(r.tls!.certificate!.chain).toHaveLength(1);
  });

  test('a greeting sent a byte a second stops at the banner timeout, however many bytes come', async () => {
    const s = await scripted(tarpit(1000));
    const r = await probe(s, { bannerTimeoutMs: 2500 });
    expect(r).toMatchObject({ outcome: 'timeout', phase: 'banner', error: `${MX} did not greet within 2500 ms` });
    expect(s.commands).toEqual([]);
  }, 15_000);

  test('a server that never speaks: timeout at the greeting', async () => {
    const r = await probe(await scripted(silent), { bannerTimeoutMs: 300 });
    expect(r).toMatchObject({ outcome: 'timeout', phase: 'banner' });
  });

  test('the overall deadline ends the probe whatever the other timeouts', async () => {
    const r = await probe(await scripted(silent), { bannerTimeoutMs: 60_000, timeoutMs: 300 });
    expect(r).toMatchObject({ outcome: 'timeout', phase: 'banner', error: `${MX} did not finish within 300 ms (waiting for the greeting)` });
  });

  test('a flood without line ends stops at the line length cap', async () => {
    const r = await probe(await scripted(flood));
    expect(r).toMatchObject({ outcome: 'protocol-error', phase: 'banner', error: `${MX} sent a reply line longer than 4096 octets; reading stopped there` });
  });

  test('with no line cap to stop it first, a flood stops at the byte cap', async () => {
    const r = await probe(await scripted(flood), { maxLineBytes: 10 * MAX_REPLY_BYTES });
    expect(r).toMatchObject({ outcome: 'protocol-error', error: `${MX} sent more than ${MAX_REPLY_BYTES} octets of replies; reading stopped there` });
  });

  test('a connection closed in the middle of the TLS handshake: tls-failed', async () => {
    const r = await probe(await scripted(closeInHandshake));
    expect(r).toMatchObject({ outcome: 'tls-failed', phase: 'handshake', starttlsOffered: true });
    expect(r.error).toMatch(/^mx\.dept\.test closed the connection during the TLS handshake|^the TLS handshake with mx\.dept\.test failed/);
  });

  test('a server that takes STARTTLS and then says nothing: timeout in the handshake', async () => {
    const r = await probe(await scripted(silentAfterStarttls), { handshakeTimeoutMs: 300 });
    expect(r).toMatchObject({ outcome: 'timeout', phase: 'handshake', error: `the TLS handshake with ${MX} did not complete within 300 ms` });
  });

  test('STARTTLS offered, then refused with 454: tls-failed, and QUIT', async () => {
    const s = await scripted(refuseStarttls);
    const r = await probe(s);
    expect(r).toMatchObject({ outcome: 'tls-failed', phase: 'starttls', error: `${MX} offered STARTTLS but answered it with "454 4.7.0 TLS not available due to temporary reason"` });
    await s.sawQuit();
    expect(s.commands.slice(1)).toEqual(['STARTTLS', 'QUIT']);
  });

  test('data after the 220 to STARTTLS, before the handshake, is a protocol error (RFC 3207 §5)', async () => {
    const r = await probe(await scripted(injectAfterStarttls));
    expect(r).toMatchObject({ outcome: 'protocol-error', phase: 'starttls', error: `${MX} sent data after its 220 reply to STARTTLS, before the TLS handshake` });
  });

  test('a multiline greeting and EHLO reply are read whole', async () => {
    const r = await probe(await scripted(replies(['220-mx.test first', '220-second', '220 third'], ['250-mx.test', '250-SIZE 1000', '250 8BITMIME'])));
    expect(r).toMatchObject({ outcome: 'no-starttls', banner: ['mx.test first', 'second', 'third'], extensions: ['SIZE 1000', '8BITMIME'] });
  });

  test('a server without EHLO cannot offer STARTTLS', async () => {
    const r = await probe(await scripted(replies(['220 old.test SMTP'], ['502 command not implemented'])));
    expect(r).toMatchObject({ outcome: 'no-starttls', error: `${MX} does not support EHLO ("502 command not implemented"), so it cannot offer STARTTLS` });
  });

  test.each<[string, string[], string[], Partial<SmtpProbeResult>]>([
    ['a 554 greeting', ['554 no service here'], [], { outcome: 'refused', phase: 'banner', error: `${MX} greeted with "554 no service here", refusing the session` }],
    ['EHLO refused with 421', ['220 mx.test'], ['421 too busy'], { outcome: 'refused', phase: 'ehlo', error: `${MX} answered EHLO with "421 too busy"` }],
    ['a line that is not a reply', ['hello there'], [], { outcome: 'protocol-error', phase: 'banner', error: `${MX} sent a line that is not an SMTP reply: "hello there"` }],
    ['a multiline reply with two codes', ['220-mx.test', '250 mixed'], [], { outcome: 'protocol-error', error: `${MX} sent a multiline reply whose lines have different codes (220 then 250)` }],
    ['a greeting that is not 220', ['250 hello'], [], { outcome: 'protocol-error', error: `${MX} greeted with "250 hello"; 220 is expected` }],
  ])('%s', async (_label, greeting, ehlo, expected) => {
    expect(await probe(await scripted(replies(greeting, ehlo)))).toMatchObject(expected);
  });

  test('a connection closed before the greeting: refused', async () => {
    const r = await probe(await scripted(({ socket }) => socket.end()));
    expect(r).toMatchObject({ outcome: 'refused', phase: 'banner', error: `${MX} closed the connection without greeting` });
  });

  test('a closed port: refused at connect', async () => {
    const port = await closedPort();
    const r = await probeMx(MX, { connectTo: { host: '127.0.0.1', port } });
    expect(r).toMatchObject({ outcome: 'refused', phase: 'connect', error: `${MX} (127.0.0.1 port ${port}) refused the connection (ECONNREFUSED)`, starttlsOffered: false });
  });

  test('a host that does not resolve: unresolved', async () => {
    const r = await probeMx(MX, { lookup: () => Promise.reject(new Error('NXDOMAIN')) });
    expect(r).toMatchObject({ outcome: 'unresolved', phase: 'resolve', error: `${MX} does not resolve: NXDOMAIN` });
  });

  test('probeMxHosts probes the first hosts, each once, and lists the rest', async () => {
    const s = await real();
    const { probes, notProbed } = await probeMxHosts([MX, `${MX}.`, 'mx2.dept.test', 'mx3.dept.test', ''], {
      connectTo: { host: '127.0.0.1', port: s.port }, ca: [ca.cert], maxHosts: 2,
    });
    expect(probes.map((p) => [p.host, p.outcome])).toEqual([[MX, 'tls'], ['mx2.dept.test', 'tls']]);
    expect(probes[1].tls!.certificate!.nameMatches).toBe(false);
    expect(notProbed).toEqual(['mx3.dept.test']);
    expect(s.connections).toBe(2);
  });
});

describe('ProbeLimiter', () => {
  test('runs at most the given number of tasks at once, and one per host', async () => {
    const limiter = new ProbeLimiter({ maxConnections: 2, maxConnectionsPerHost: 1 });
    let running = 0;
    let most = 0;
    const perHost = new Map<string, number>();
    let mostPerHost = 0;
    const task = (host: string) => limiter.run(host, async () => {
      running++;
      perHost.set(host, (perHost.get(host) ?? 0) + 1);
      most = Math.max(most, running);
      mostPerHost = Math.max(mostPerHost, perHost.get(host)!);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      perHost.set(host, perHost.get(host)! - 1);
      return host;
    });
    const hosts = ['a', 'a', 'A.', 'b', 'c', 'b', 'd'];
    expect(await Promise.all(hosts.map(task))).toEqual(hosts);
    expect(most).toBe(2);
    expect(mostPerHost).toBe(1);
  });

  test('addresses are looked up before a slot is taken: a host that does not resolve waits for no slot', async () => {
    const hog = await TestSmtpServer.scripted(silent);
    try {
      const limiter = new ProbeLimiter({ maxConnections: 1 });
      const looked: string[] = [];
      const options: SmtpProbeOptions = {
        port: hog.port,
        bannerTimeoutMs: 3000,
        lookup: async (h) => {
          looked.push(h);
          if (h === 'slow.test') return '127.0.0.1';
          throw new Error('NXDOMAIN');
        },
      };
      let slowDone = false;
      const slow = probeMxHosts(['slow.test'], { ...options, limiter }).then((r) => {
        slowDone = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 50));
      // The only slot is held by a server that never greets; the host that does not resolve is reported at once.
      const nowhere = await probeMxHosts(['nowhere.test'], { ...options, limiter });
      expect(nowhere.probes.map((p) => p.outcome)).toEqual(['unresolved']);
      expect(slowDone).toBe(false);
      expect((await slow).probes.map((p) => p.outcome)).toEqual(['timeout']);
      expect(looked).toEqual(['slow.test', 'nowhere.test']);
    } finally {
      await hog.stop();
    }
  });

  test('a task that rejects frees its slot', async () => {
    const limiter = new ProbeLimiter({ maxConnections: 1 });
    await expect(limiter.run('a', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(limiter.run('a', async () => 'yes')).resolves.toBe('yes');
  });
});

describe('TLS versions', () => {
  test('ordered as Node names them; unknown names are not at least anything', () => {
    expect(tlsVersionAtLeast('TLSv1.3', 'TLSv1.2')).toBe(true);
    expect(tlsVersionAtLeast('TLSv1.2', 'TLSv1.2')).toBe(true);
    expect(tlsVersionAtLeast('TLSv1.1', 'TLSv1.2')).toBe(false);
    expect(tlsVersionAtLeast('TLSv1', 'TLSv1.2')).toBe(false);
    expect(tlsVersionAtLeast('unknown', 'TLSv1')).toBe(false);
    expect(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'SSLv3'].map(tlsVersionText)).toEqual(['TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3', 'SSLv3']);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
