/**
 * The trust decision's parts: SES's Authentication-Results read leniently and never throwing,
 * only the headers SES wrote believed, DKIM aligned with the reporter required, and a report
 * consistent with itself.
 */
import * as fc from 'fast-check';
import { DmarcAggregateReport, TlsRptReport } from '../../src/reports/model';
import {
  AuthenticationResults, PLAUSIBLE_REPORT, TrustReason, addressDomains, authenticateMessage, decideTrust,
  parseAuthenticationResults, renderAuthenticationResults, reportInconsistency, sesVerdicts,
} from '../../src/reports/trust';
import { sesHeaders } from '../report-inbox/support/ses';

/** Header lines to the parsed form the MIME reader gives: lower-case names, unfolded values. */
function headers(lines: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line)) out[out.length - 1][1] += ` ${line.trim()}`;
    else out.push([line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]);
  }
  return out;
}

describe('parseAuthenticationResults', () => {
  test('SES\'s header, with its continuation of the SPF result and its comments', () => {
    const value = headers(sesHeaders('noreply-dmarc-support@google.com', { dkim: [{ domain: 'google.com', result: 'pass' }], spf: 'pass' }))
      .find(([n]) => n === 'authentication-results')![1];
    expect(parseAuthenticationResults(value)).toEqual({
      authservId: 'amazonses.com',
      results: [
        {
          method: 'spf',
          result: 'pass',
          properties: [
            { ptype: '', property: 'client-ip', value: '192.0.2.25' },
            { ptype: '', property: 'envelope-from', value: 'noreply-dmarc-support@google.com' },
            { ptype: '', property: 'helo', value: 'mail.google.com' },
          ],
        },
        { method: 'dkim', result: 'pass', properties: [{ ptype: 'header', property: 'i', value: '@google.com' }] },
        { method: 'dmarc', result: 'pass', properties: [{ ptype: 'header', property: 'from', value: 'google.com' }] },
      ],
    });
  });

  test.each([
    ['RFC 8601 appendix B.2', 'example.org 1; none', { authservId: 'example.org', results: [] }],
    ['a version and a reason', 'mail.example ; dkim/1=fail reason="bad signature" header.d=a.example',
      { authservId: 'mail.example', results: [{ method: 'dkim', result: 'fail', reason: 'bad signature', properties: [{ ptype: 'header', property: 'd', value: 'a.example' }] }] }],
    ['space around = and a nested comment', 'mx.example; spf = pass (a (nested) comment) smtp.mailfrom = a@b.example',
      { authservId: 'mx.example', results: [{ method: 'spf', result: 'pass', properties: [{ ptype: 'smtp', property: 'mailfrom', value: 'a@b.example' }] }] }],
    ['a semicolon inside a quoted value', 'mx.example; dkim=pass header.b="ab;cd"',
      { authservId: 'mx.example', results: [{ method: 'dkim', result: 'pass', properties: [{ ptype: 'header', property: 'b', value: 'ab;cd' }] }] }],
  ])('%s', (_what, value, expected) => {
    expect(parseAuthenticationResults(value)).toEqual(expected);
  });

  test.each(['', '   ', '; dkim=pass', '=pass'])('no authserv-id in %j: undefined', (value) => {
    expect(parseAuthenticationResults(value)).toBeUndefined();
  });

  test('property: never throws on arbitrary text, and what it gives is well formed', () => {
    const alphabet = fc.constantFrom(...'abcdpassfil =;.()"\\@-/\r\n\t0123456789'.split(''));
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: alphabet, maxLength: 300 })), (text) => {
      const ar = parseAuthenticationResults(text);
      if (ar === undefined) return;
      expect(ar.authservId).not.toBe('');
      for (const r of ar.results) {
        expect(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy', 'hardfail']).toContain(r.result);
        expect(r.method).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
      }
    }), { numRuns: 1000 });
  });

  test('property: parsing a rendered header gives back its results', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    const value = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9@.+_-]{1,20}$/),
      fc.string({ unit: fc.constantFrom(...'ab c;()=."\\@'.split('')), maxLength: 20 }),
    );
    const result = fc.record({
      method: fc.constantFrom('spf', 'dkim', 'dmarc', 'arc', 'iprev', 'auth', 'bimi'),
      result: fc.constantFrom('pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy'),
      reason: fc.option(value, { nil: undefined }),
      properties: fc.array(fc.record({ ptype: fc.constantFrom('smtp', 'header', 'body', 'policy'), property: word, value }), { maxLength: 4 }),
    }).map((r) => (r.reason === undefined ? { method: r.method, result: r.result, properties: r.properties } : r));
    const header = fc.record({ authservId: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}(\.[a-z]{2,6}){1,2}$/), results: fc.array(result, { maxLength: 5 }) });
    fc.assert(fc.property(header, (ar: AuthenticationResults) => {
      expect(parseAuthenticationResults(renderAuthenticationResults(ar))).toEqual(ar);
    }), { numRuns: 500 });
  });
});

describe('sesVerdicts: only what SES wrote is read', () => {
  const ses = sesHeaders('dmarc@reporter.example', { dkim: [{ domain: 'reporter.example', result: 'fail' }], spam: 'FAIL' });

  test('the verdicts in SES\'s block', () => {
    const v = sesVerdicts(headers([...ses, 'From: dmarc@reporter.example', 'Subject: x']));
    expect(v.spamVerdict).toBe('FAIL');
    expect(v.authenticationResults?.results.map((r) => `${r.method}=${r.result}`)).toEqual(['spf=none', 'dkim=fail', 'dmarc=fail']);
    expect(v.fromDomains).toEqual(['reporter.example']);
  });

  test('a sender\'s own Authentication-Results and spam verdict below SES\'s are not read', () => {
    const forged = [
      ...ses,
      'Received: from evil.example by relay.example; Sat, 02 May 2026 01:00:00 +0000',
      'Authentication-Results: amazonses.com; dkim=pass header.i=@reporter.example',
      'X-SES-Spam-Verdict: PASS',
      'From: dmarc@reporter.example',
    ];
    const v = sesVerdicts(headers(forged));
    expect(v.spamVerdict).toBe('FAIL');
    expect(v.authenticationResults?.results.find((r) => r.method === 'dkim')?.result).toBe('fail');
    expect(authenticateMessage(headers(forged)).authenticated).toBe(false);
  });

  test('a message that did not come through SES: its own "amazonses.com" results are not SES\'s', () => {
    const own = ['From: dmarc@google.com', 'Authentication-Results: amazonses.com; dkim=pass header.i=@google.com'];
    expect(authenticateMessage(headers(own))).toEqual({ authenticated: false, reason: TrustReason.NO_SES_RESULTS });
  });

  test('another authserv-id in SES\'s place is not SES', () => {
    const other = ['Received: from x by inbound-smtp.eu-west-2.amazonaws.com', 'Authentication-Results: mx.google.com; dkim=pass header.i=@google.com', 'From: a@google.com'];
    expect(sesVerdicts(headers(other)).authenticationResults).toBeUndefined();
  });

  test.each([
    ['"Google" <noreply-dmarc-support@google.com>', ['google.com']],
    ['noreply@dmarc.yahoo.com (Yahoo)', ['dmarc.yahoo.com']],
    ['"a@evil.example" <b@good.example>', ['good.example']],
    ['a@one.example, b@two.example', ['one.example', 'two.example']],
    ['undisclosed', []],
  ])('addressDomains(%j)', (value, expected) => {
    expect(addressDomains(value)).toEqual(expected);
  });
});

describe('authenticateMessage', () => {
  const from = 'noreply-dmarc-support@google.com';
  test.each([
    ['DKIM passed for the From domain', { dkim: [{ domain: 'google.com', result: 'pass' }] }, true, TrustReason.DKIM_ALIGNED],
    ['DKIM passed for a subdomain of the same organisation', { dkim: [{ domain: 'mail.google.com', result: 'pass' }] }, true, TrustReason.DKIM_ALIGNED],
    ['DKIM passed for another domain only', { dkim: [{ domain: 'evil.example', result: 'pass' }, { domain: 'google.com', result: 'fail' }], spf: 'pass' }, false, TrustReason.DKIM_NOT_ALIGNED],
    ['SPF passed, no DKIM', { spf: 'pass' }, false, TrustReason.SPF_ONLY],
    ['everything failed', { dkim: [{ domain: 'google.com', result: 'fail' }], spf: 'fail' }, false, TrustReason.NOT_AUTHENTICATED],
    ['spam verdict FAIL', { dkim: [{ domain: 'google.com', result: 'pass' }], spam: 'FAIL' }, false, TrustReason.SPAM],
  ])('%s', (_what, found, authenticated, reason) => {
    const t = authenticateMessage(headers([...sesHeaders(from, found), `From: ${from}`]));
    expect(t).toMatchObject({ authenticated, reason, fromDomain: 'google.com' });
    expect(t.reporterDomain).toBe(authenticated ? 'google.com' : undefined);
  });

  test('a public-suffix neighbour is not the same organisation', () => {
    const t = authenticateMessage(headers([...sesHeaders('dmarc@dept.gov.uk', { dkim: [{ domain: 'other.gov.uk', result: 'pass' }] }), 'From: dmarc@dept.gov.uk']));
    expect(t).toMatchObject({ authenticated: false, reason: TrustReason.DKIM_NOT_ALIGNED });
  });

  test.each([
    ['two From headers', ['From: a@google.com', 'From: b@evil.example']],
    ['two addresses in one From', ['From: a@google.com, b@evil.example']],
    ['no From', []],
  ])('%s: no single reporter address', (_what, fromLines) => {
    const t = authenticateMessage(headers([...sesHeaders('a@google.com', { dkim: [{ domain: 'google.com', result: 'pass' }] }), ...fromLines]));
    expect(t).toEqual({ authenticated: false, reason: TrustReason.NO_REPORTER_ADDRESS });
  });
});

describe('reportInconsistency', () => {
  const now = new Date('2026-05-02T06:00:00Z');
  const row = (count: number) => ({
    sourceIp: '192.0.2.1',
    count,
    disposition: 'none',
    dkim: 'pass',
    spf: 'pass',
    dmarcPass: true,
    reasons: [],
    headerFrom: 'dept.gov.uk',
    dkimResults: [],
    spfResults: [],
  });
  const dmarc = (over: Partial<DmarcAggregateReport> = {}, counts: number[] = [10]): DmarcAggregateReport => ({
    kind: 'dmarc',
    schema: 'rfc7489',
    orgName: 'google.com',
    email: 'a@google.com',
    reportId: '1',
    begin: '2026-05-01T00:00:00.000Z',
    end: '2026-05-01T23:59:59.000Z',
    errors: [],
    policy: { domain: 'dept.gov.uk' },
    records: counts.map(row),
    ...over,
  });
  const policy = (sessions: number) => ({
    policyType: 'sts',
    policyDomain: 'dept.gov.uk',
    policyString: [],
    mxHost: [],
    successfulSessions: sessions,
    failedSessions: 0,
    failures: [],
  });
  const tls = (sessions: number): TlsRptReport => ({
    kind: 'tlsrpt',
    organizationName: 'Google Inc.',
    reportId: '1',
    begin: '2026-05-01T00:00:00.000Z',
    end: '2026-05-01T23:59:59.000Z',
    policies: [policy(sessions)],
  });

  test.each([
    ['a day', dmarc(), undefined],
    ['an hour, begin = end', dmarc({ begin: '2026-05-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' }), undefined],
    ['end before begin', dmarc({ begin: '2026-05-02T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' }), TrustReason.PERIOD_INVERTED],
    ['begins tomorrow and a bit', dmarc({ begin: '2026-05-03T07:00:00.000Z', end: '2026-05-03T08:00:00.000Z' }), TrustReason.PERIOD_IN_FUTURE],
    ['begins within the clock skew', dmarc({ begin: '2026-05-03T05:00:00.000Z', end: '2026-05-03T06:00:00.000Z' }), undefined],
    ['seven days', dmarc({ begin: '2026-04-24T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' }), undefined],
    ['a year', dmarc({ begin: '2025-05-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' }), TrustReason.PERIOD_TOO_LONG],
    ['a row of 10^8', dmarc({}, [PLAUSIBLE_REPORT.maxCount]), undefined],
    ['a row of 10^8 + 1', dmarc({}, [PLAUSIBLE_REPORT.maxCount + 1]), TrustReason.IMPLAUSIBLE_COUNT],
    ['eleven rows of 10^8', dmarc({}, Array(11).fill(PLAUSIBLE_REPORT.maxCount)), TrustReason.IMPLAUSIBLE_COUNT],
    ['10^12 TLS sessions', tls(1e12), TrustReason.IMPLAUSIBLE_COUNT],
    ['a thousand TLS sessions', tls(1000), undefined],
  ])('%s', (_what, report, expected) => {
    expect(reportInconsistency(report, now)).toBe(expected);
  });

  test('decideTrust: an authenticated message with an inconsistent report is not trusted; an unauthenticated one keeps its reason', () => {
    const authenticated = { authenticated: true, reason: TrustReason.DKIM_ALIGNED, reporterDomain: 'google.com' };
    expect(decideTrust(authenticated, dmarc(), now)).toEqual({ authenticated: true, reason: TrustReason.DKIM_ALIGNED });
    expect(decideTrust(authenticated, dmarc({}, [1e15]), now)).toEqual({ authenticated: false, reason: TrustReason.IMPLAUSIBLE_COUNT });
    const spfOnly = { authenticated: false, reason: TrustReason.SPF_ONLY };
    expect(decideTrust(spfOnly, dmarc({}, [1e15]), now)).toEqual({ authenticated: false, reason: TrustReason.SPF_ONLY });
  });
});
