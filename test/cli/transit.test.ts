/**
 * What the STARTTLS probes mean: transit findings (TRANSIT_RULES) and the TLS readiness verdict,
 * from probe results made up here.
 */
import * as fc from 'fast-check';
import { SmtpCertificateCheck, SmtpProbeResult } from '../../src/cli/check/smtp-probe';
import { TlsReadiness, readinessLine, readinessTotal, tlsReadiness, transitFindings } from '../../src/cli/check/transit';
import { Finding } from '../../src/records/finding';
import { MtaStsMode, MtaStsPolicyModel } from '../../src/records/mta-sts';
import { RuleCatalogue } from '../../src/standard/rule-catalogue';
import { TRANSIT_RULES } from '../../src/standard/transit-rules';

const D = 'dept.test';

function cert(overrides: Partial<SmtpCertificateCheck> = {}, host = 'mx1.dept.test'): SmtpCertificateCheck {
  return {
    chain: [{
      subject: `CN=${host}`,
      subjectAltNames: [`DNS:${host}`],
      issuer: 'CN=Test CA',
      notBefore: '2026-01-01T00:00:00.000Z',
      notAfter: '2027-01-01T00:00:00.000Z',
      fingerprint256: 'AA',
      der: Buffer.from([0x30]),
      trustAnchor: false,
    }],
    chainValid: true,
    trusted: true,
    expired: false,
    notYetValid: false,
    nameMatches: true,
    ...overrides,
  };
}

function tlsProbe(host: string, options: { version?: string; cert?: Partial<SmtpCertificateCheck> | null } = {}): SmtpProbeResult {
  const version = options.version ?? 'TLSv1.3';
  return {
    host,
    address: '192.0.2.25',
    port: 25,
    outcome: 'tls',
    phase: 'quit',
    starttlsOffered: true,
    elapsedMs: 10,
    tls: {
      version,
      cipher: 'TLS_AES_128_GCM_SHA256',
      meetsMinimum: version === 'TLSv1.2' || version === 'TLSv1.3',
      ...(options.cert === null ? {} : { certificate: cert(options.cert, host) }),
    },
  };
}

function failed(host: string, outcome: SmtpProbeResult['outcome'], phase: SmtpProbeResult['phase'], error: string): SmtpProbeResult {
  return { host, address: '192.0.2.25', port: 25, outcome, phase, error, starttlsOffered: outcome === 'tls-failed', elapsedMs: 10 };
}

const ids = (fs: Finding[]) => fs.map((f) => f.ruleId);
const BLOCKED = 'not probed: no MX host could be reached on port 25 during this check, so outbound port 25 appears to be blocked from this network';
const policy = (mode: MtaStsMode, mx: string[]): MtaStsPolicyModel => ({ mode, maxAge: 1209600, mx });

describe('transitFindings', () => {
  test('a good MX host: no finding (the report line for the host says what it offers)', () => {
    expect(transitFindings(D, ['mx1.dept.test'], [tlsProbe('mx1.dept.test')])).toEqual([]);
  });

  test('no STARTTLS, a failed handshake and an old TLS version are errors naming the host', () => {
    const fs = transitFindings(D, ['a.dept.test', 'b.dept.test', 'c.dept.test'], [
      failed('a.dept.test', 'no-starttls', 'ehlo', 'a.dept.test does not offer STARTTLS'),
      failed('b.dept.test', 'tls-failed', 'handshake', 'the TLS handshake with b.dept.test failed: unsupported protocol (ERR_SSL_UNSUPPORTED_PROTOCOL)'),
      tlsProbe('c.dept.test', { version: 'TLSv1' }),
    ]);
    expect(fs.map((f) => [f.ruleId, f.severity, f.path])).toEqual([
      ['SMTP-STARTTLS-MISSING', 'error', 'a.dept.test'],
      ['SMTP-STARTTLS-FAILED', 'error', 'b.dept.test'],
      ['SMTP-TLS-VERSION', 'error', 'c.dept.test'],
    ]);
    expect(fs[0].message).toBe('a.dept.test does not offer STARTTLS: mail to it travels in plaintext, and senders that require TLS cannot deliver to it.');
    expect(fs[2].message).toBe('c.dept.test negotiated TLS 1.0 (TLS_AES_128_GCM_SHA256) although TLS 1.3 and 1.2 were offered: it supports nothing newer, and the standard asks for TLS 1.2 or later.');
  });

  test.each<[string, Partial<SmtpCertificateCheck>, string[]]>([
    ['expired', { expired: true, chainValid: false, chainError: 'CERT_HAS_EXPIRED' }, ['SMTP-CERT-EXPIRED']],
    ['not yet valid', { notYetValid: true, chainValid: false, chainError: 'CERT_NOT_YET_VALID' }, ['SMTP-CERT-EXPIRED']],
    ['an expired intermediate', { chainValid: false, chainError: 'CERT_HAS_EXPIRED' }, ['SMTP-CERT-EXPIRED']],
    ['self-signed', { chainValid: false, trusted: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, ['SMTP-CERT-UNTRUSTED']],
    ['for another name', { nameMatches: false, nameError: 'does not match' }, ['SMTP-CERT-NAME']],
    ['self-signed, expired and for another name', { expired: true, chainValid: false, trusted: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT', nameMatches: false },
      ['SMTP-CERT-EXPIRED', 'SMTP-CERT-UNTRUSTED', 'SMTP-CERT-NAME']],
  ])('a certificate %s', (_label, overrides, expected) => {
    expect(ids(transitFindings(D, ['mx1.dept.test'], [tlsProbe('mx1.dept.test', { cert: overrides })]))).toEqual(expected);
  });

  test('the messages say what is wrong with the certificate, and what an enforce policy does about it', () => {
    const probe = tlsProbe('mx1.dept.test', { cert: { chainValid: false, trusted: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
    const [testing] = transitFindings(D, ['mx1.dept.test'], [probe], policy(MtaStsMode.TESTING, ['mx1.dept.test']));
    expect(testing.message).toBe('The certificate chain of mx1.dept.test does not lead to a trusted root (the certificate is self-signed, DEPTH_ZERO_SELF_SIGNED_CERT; issuer CN=Test CA).');
    const [enforced] = transitFindings(D, ['mx1.dept.test'], [probe], policy(MtaStsMode.ENFORCE, ['mx1.dept.test']));
    expect(enforced.message).toMatch(/ The domain's MTA-STS policy is in enforce mode: senders that apply it will not deliver to this host\.$/);
  });

  test('a session without a certificate is untrusted', () => {
    expect(ids(transitFindings(D, ['mx1.dept.test'], [tlsProbe('mx1.dept.test', { cert: null })]))).toEqual(['SMTP-CERT-UNTRUSTED']);
  });

  test('an MX host that fails while another answers: SMTP-MX-FAILED with the probe\'s sentence', () => {
    const fs = transitFindings(D, ['mx1.dept.test', 'mx2.dept.test'], [
      tlsProbe('mx1.dept.test'),
      failed('mx2.dept.test', 'timeout', 'banner', 'mx2.dept.test did not greet within 20 s'),
    ]);
    expect(fs.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      ['SMTP-MX-FAILED', 'warning', 'mx2.dept.test did not greet within 20 s; its transit security is not known.'],
    ]);
  });

  test('every MX host unreachable: one SMTP-UNREACHABLE for the domain, saying port 25 is often blocked and naming --no-smtp', () => {
    const fs = transitFindings(D, ['mx1.dept.test', 'mx2.dept.test'], [
      failed('mx1.dept.test', 'timeout', 'connect', 'mx1.dept.test (192.0.2.25 port 25) did not accept a connection within 10 s'),
      failed('mx2.dept.test', 'unreachable', 'connect', 'mx2.dept.test (192.0.2.26 port 25) cannot be reached from here (ENETUNREACH)'),
    ]);
    expect(ids(fs)).toEqual(['SMTP-UNREACHABLE']);
    expect(fs[0]).toMatchObject({ severity: 'warning', path: D, subject: { name: D, type: 'MX' } });
    expect(fs[0].message).toMatch(/^None of dept\.test's MX hosts could be reached on port 25 from here \(mx1\.dept\.test: .*; mx2\.dept\.test: .*ENETUNREACH\)\)\. /);
    expect(fs[0].message).toMatch(/port 25 are commonly blocked/);
    expect(fs[0].message).toMatch(/--no-smtp/);
  });

  test('MX hosts not probed because the run found port 25 blocked: one warning for the domain, saying so and naming --no-smtp', () => {
    const mx = ['mx1.dept.test', 'mx2.dept.test'];
    const fs = transitFindings(D, mx, [
      failed('mx1.dept.test', 'timeout', 'connect', 'mx1.dept.test (192.0.2.25 port 25) did not accept a connection within 10 s'),
      failed('mx2.dept.test', 'blocked', 'connect', BLOCKED),
    ]);
    expect(fs.map((f) => [f.ruleId, f.severity, f.path])).toEqual([['SMTP-UNREACHABLE', 'warning', D]]);
    expect(fs[0].message).toBe('None of dept.test\'s MX hosts was probed (mx1.dept.test, mx2.dept.test): no MX host could be reached on port 25 during this check, '
      + 'so outbound port 25 appears to be blocked from this network; use --no-smtp, or run from a network that allows it.');
  });

  test('hosts blocked beside a host with its own fault: the fault as usual, and one warning for the rest', () => {
    const mx = ['mx1.dept.test', 'mx2.dept.test', 'mx3.dept.test'];
    const fs = transitFindings(D, mx, [
      failed('mx1.dept.test', 'unresolved', 'resolve', 'mx1.dept.test does not resolve: NXDOMAIN'),
      failed('mx2.dept.test', 'blocked', 'connect', BLOCKED),
      failed('mx3.dept.test', 'blocked', 'connect', BLOCKED),
    ]);
    expect(ids(fs)).toEqual(['SMTP-UNREACHABLE', 'SMTP-MX-FAILED']);
    expect(fs[0].message).toMatch(/^2 of dept\.test's 3 MX hosts were not probed \(mx2\.dept\.test, mx3\.dept\.test\)/);
    expect(fs[1].message).toMatch(/^mx1\.dept\.test does not resolve/);
  });

  test('a greeting timeout is the server\'s doing, not the network\'s: no SMTP-UNREACHABLE', () => {
    const fs = transitFindings(D, ['mx1.dept.test'], [failed('mx1.dept.test', 'timeout', 'banner', 'mx1.dept.test did not greet within 20 s')]);
    expect(ids(fs)).toEqual(['SMTP-MX-FAILED']);
  });

  test('MX hosts beyond the limit: SMTP-PROBE-LIMIT naming them', () => {
    const fs = transitFindings(D, ['MX1.dept.test.', 'mx2.dept.test', 'mx3.dept.test'], [tlsProbe('mx1.dept.test')]);
    expect(fs.map((f) => [f.ruleId, f.message])).toEqual([
      ['SMTP-PROBE-LIMIT', "2 of dept.test's 3 MX hosts were not probed (mx2.dept.test, mx3.dept.test): only the most preferred is contacted."],
    ]);
  });

  test('an MX host outside the MTA-STS policy is left to the profile (MTASTS-MX-NOT-COVERED), not reported twice', () => {
    const mx = ['mail.dept.test', 'a.b.dept.test'];
    const fs = transitFindings(D, mx, mx.map((h) => tlsProbe(h)), policy(MtaStsMode.ENFORCE, ['mail.dept.test']));
    expect(ids(fs)).toEqual([]);
  });

  test('property: a probed host gets no finding exactly when it has no fault, and is ready exactly then', () => {
    const probeArb = fc.record({
      version: fc.constantFrom('TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'),
      expired: fc.boolean(),
      trusted: fc.boolean(),
      nameMatches: fc.boolean(),
    });
    fc.assert(fc.property(probeArb, ({ version, expired, trusted, nameMatches }) => {
      const p = tlsProbe('mx1.dept.test', { version, cert: { expired, trusted, nameMatches, chainValid: trusted && !expired } });
      const found = ids(transitFindings(D, ['mx1.dept.test'], [p]));
      const good = (version === 'TLSv1.2' || version === 'TLSv1.3') && !expired && trusted && nameMatches;
      expect(found.length === 0).toBe(good);
      expect(tlsReadiness(D, [p]).ready).toBe(good);
    }));
  });

  test('every rule of the group is in the catalogue, with a source', () => {
    for (const r of Object.values(TRANSIT_RULES)) expect(RuleCatalogue.get(r.id)).toBe(r);
    expect(TRANSIT_RULES.tlsVersion.source).toMatch(/^GOV\.UK, "Securing government email"/);
  });
});

describe('tlsReadiness', () => {
  test('every MX host good: ready', () => {
    const r = tlsReadiness(D, [tlsProbe('mx1.dept.test'), tlsProbe('mx2.dept.test', { version: 'TLSv1.2' })]);
    expect(r).toEqual({
      domain: D,
      ready: true,
      known: true,
      reasons: [],
      summary: 'dept.test: forcing TLS is safe; all 2 MX hosts offer STARTTLS with TLS 1.3 and TLS 1.2 and a certificate valid for their names.',
    });
    expect(readinessLine(r)).toBe(`ready     ${r.summary}`);
  });

  test('one bad MX host is enough to make it unsafe, with a reason per host', () => {
    const r = tlsReadiness(D, [
      tlsProbe('mx1.dept.test'),
      tlsProbe('mx2.dept.test', { version: 'TLSv1.1', cert: { nameMatches: false } }),
      failed('mx3.dept.test', 'no-starttls', 'ehlo', 'mx3.dept.test does not offer STARTTLS'),
    ]);
    expect(r).toMatchObject({ ready: false, known: true, reasons: ['mx2.dept.test: TLS 1.1 only, certificate not for this name', 'mx3.dept.test: no STARTTLS'] });
    expect(r.summary).toBe('dept.test: forcing TLS is not safe; 2 of 3 MX hosts would fail (mx2.dept.test: TLS 1.1 only, certificate not for this name; mx3.dept.test: no STARTTLS).');
    expect(readinessLine(r)).toMatch(/^NOT READY dept\.test: /);
  });

  test('an MX host not probed makes it not ready', () => {
    const r = tlsReadiness(D, [tlsProbe('mx1.dept.test')], ['mx1.dept.test', 'mx2.dept.test']);
    expect(r).toMatchObject({ ready: false, known: true, reasons: ['mx2.dept.test: not probed'] });
  });

  test('nothing reached, or nothing to probe: not known', () => {
    const r = tlsReadiness(D, [failed('mx1.dept.test', 'timeout', 'connect', 'no connection within 10 s')]);
    expect(r).toMatchObject({ ready: false, known: false, reasons: ['mx1.dept.test: no connection within 10 s'] });
    expect(r.summary).toMatch(/not known; no MX host could be reached on port 25/);
    expect(readinessLine(r)).toMatch(/^unknown {3}dept\.test/);
    expect(tlsReadiness(D, [])).toMatchObject({ ready: false, known: false });
  });

  test('MX hosts not probed because port 25 looked blocked: not known, and the summary says why', () => {
    const r = tlsReadiness(D, [failed('mx1.dept.test', 'blocked', 'connect', BLOCKED), failed('mx2.dept.test', 'timeout', 'connect', 'no connection within 10 s')]);
    expect(r).toMatchObject({ ready: false, known: false, reasons: [`mx1.dept.test: ${BLOCKED}`, 'mx2.dept.test: no connection within 10 s'] });
    expect(r.summary).toBe('dept.test: not known; its MX hosts were not probed, as outbound port 25 appears to be blocked from this network (no MX host could be reached on it).');
    expect(readinessLine(r)).toMatch(/^unknown /);
  });

  test('the total line counts ready, not ready and not known', () => {
    const rs: TlsReadiness[] = [
      tlsReadiness('a.test', [tlsProbe('mx.a.test')]),
      tlsReadiness('b.test', [failed('mx.b.test', 'no-starttls', 'ehlo', 'no')]),
      tlsReadiness('c.test', []),
    ];
    expect(readinessTotal(rs)).toBe('TLS readiness: 1 of 3 domains ready for TLS to be required; 1 not ready; 1 not known.');
  });
});
