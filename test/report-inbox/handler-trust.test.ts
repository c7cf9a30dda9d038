/**
 * The function's trust decision end to end, from a table of deliveries as SES stores them: only
 * reports authenticated as from their reporter count in the metrics the alarms watch; the others
 * are stored, marked with the reason, and counted apart.
 */
import { gzipSync } from 'node:zlib';
import { inboxHarness } from './support/inbox';
import { mail, source } from './support/mail';
import { SesFindings, delivered } from './support/ses';
import { handler } from '../../src/report-inbox/report-parser.lambda';

const inbox = inboxHarness();
const GOOGLE = 'noreply-dmarc-support@google.com';
const report = (xml = source('google-dept-2026-05-01.xml')) => mail({ from: GOOGLE, parts: [{ contentType: 'application/gzip', filename: 'r.xml.gz', data: gzipSync(xml) }] });

const DELIVERIES: Array<[string, SesFindings, boolean, string]> = [
  ['DKIM passed, aligned with the reporter', { dkim: [{ domain: 'google.com', result: 'pass' }], spf: 'pass' }, true, 'dkim-aligned-with-reporter'],
  ['DKIM passed for another domain', { dkim: [{ domain: 'bulk-mailer.example', result: 'pass' }], spf: 'pass' }, false, 'dkim-not-aligned'],
  ['SPF passed only', { spf: 'pass' }, false, 'spf-only'],
  ['everything failed', { dkim: [{ domain: 'google.com', result: 'fail' }], spf: 'fail' }, false, 'authentication-failed'],
  ['spam verdict FAIL', { dkim: [{ domain: 'google.com', result: 'pass' }], spf: 'pass', spam: 'FAIL' }, false, 'ses-spam-verdict-fail'],
];

describe.each(DELIVERIES)('%s', (_what, found, authenticated, trust) => {
  test(`rows carry authenticated=${authenticated}, trust=${trust}; the alarms' metrics ${authenticated ? 'count it' : 'do not'}`, async () => {
    inbox.stored({ 'raw/m': delivered(report(), found) });

    await handler(inbox.event({ key: 'raw/m' }));

    const rows = inbox.rows('dmarc');
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.authenticated === authenticated && r.trust === trust)).toBe(true);
    expect(inbox.outcomes()[0]).toMatchObject({ authenticated, trust, reporter: authenticated ? 'google.com' : 'unauthenticated' });
    expect(inbox.logs('dmarc report')[0]).toMatchObject({ authenticated, messages: 2209, failedMessages: 57 });
    if (authenticated) {
      expect(inbox.metric('DmarcFailedMessages')).toBe(57);
      expect(inbox.metric('ReportsParsed', { Type: 'dmarc' })).toBe(1);
      expect(inbox.metric('ReportsUnauthenticated')).toBeUndefined();
      expect(inbox.table().get('seen', 'dept.gov.uk')).toBeDefined();
    } else {
      expect(inbox.metric('DmarcFailedMessages')).toBeUndefined();
      expect(inbox.metric('DmarcMessages', { Domain: 'dept.gov.uk' })).toBeUndefined();
      expect(inbox.metric('ReportsParsed', { Type: 'dmarc' })).toBeUndefined();
      expect(inbox.metric('ReportsUnauthenticated')).toBe(1);
      expect(inbox.metric('ReportsUnauthenticated', { Type: 'dmarc' })).toBe(1);
      expect(inbox.metric('UnauthenticatedDmarcFailedMessages')).toBe(57);
      // A forgery does not keep a silent domain looking alive.
      expect(inbox.table().get('seen', 'dept.gov.uk')).toBeUndefined();
    }
  });
});

test('a message that did not come through SES (no SES headers) is not authenticated', async () => {
  inbox.stored({ 'raw/m': report() });
  await handler(inbox.event({ key: 'raw/m' }));
  expect(inbox.rows('dmarc').every((r) => r.authenticated === false && r.trust === 'no-ses-authentication-results')).toBe(true);
  expect(inbox.metric('ReportsUnauthenticated', { Type: 'dmarc' })).toBe(1);
});

test('an authenticated reporter\'s report with 10^12 failures in a row: stored, not trusted, kept out of the alarms', async () => {
  const huge = source('google-dept-2026-05-01.xml').replace('<count>57</count>', '<count>1000000000000</count>');
  inbox.stored({ 'raw/m': delivered(report(huge), { dkim: [{ domain: 'google.com', result: 'pass' }] }) });

  await handler(inbox.event({ key: 'raw/m' }));

  expect(inbox.rows('dmarc').every((r) => r.authenticated === false && r.trust === 'implausible-count')).toBe(true);
  expect(inbox.metric('DmarcFailedMessages')).toBeUndefined();
  expect(inbox.metric('UnauthenticatedDmarcFailedMessages')).toBe(1e12);
});

test('a TLS report whose period ends before it begins is not trusted', async () => {
  const json = source('google-tlsrpt-dept-2026-05-01.json').replace('"end-datetime":"2026-05-01T23:59:59Z"', '"end-datetime":"2026-04-01T23:59:59Z"');
  expect(json).not.toBe(source('google-tlsrpt-dept-2026-05-01.json'));
  const m = mail({ from: 'noreply-smtp-tls-reporting@google.com', parts: [{ contentType: 'application/tlsrpt+gzip', filename: 'r.json.gz', data: gzipSync(json) }] });
  inbox.stored({ 'raw/m': delivered(m, { dkim: [{ domain: 'google.com', result: 'pass' }] }) });

  await handler(inbox.event({ key: 'raw/m' }));

  expect(inbox.rows('tlsrpt').every((r) => r.authenticated === false && r.trust === 'period-inverted')).toBe(true);
  expect(inbox.metric('TlsFailedSessions')).toBeUndefined();
  expect(inbox.metric('ReportsUnauthenticated', { Type: 'tlsrpt' })).toBe(1);
  expect(inbox.logs('tls report')[0]).toMatchObject({ authenticated: false });
});

test('COUNT_UNAUTHENTICATED=true: unauthenticated reports count in the alarms\' metrics too, and are still counted apart', async () => {
  process.env.COUNT_UNAUTHENTICATED = 'true';
  inbox.stored({ 'raw/m': delivered(report(), { spf: 'pass' }) });

  await handler(inbox.event({ key: 'raw/m' }));

  expect(inbox.metric('DmarcFailedMessages')).toBe(57);
  expect(inbox.metric('ReportsParsed', { Type: 'dmarc' })).toBe(1);
  expect(inbox.metric('ReportsUnauthenticated')).toBe(1);
  expect(inbox.rows('dmarc').every((r) => r.authenticated === false)).toBe(true);
});

test('a forged copy of a real report neither counts as a duplicate of it nor overwrites it', async () => {
  inbox.stored({
    'raw/forged': delivered(report(source('google-dept-2026-05-01.xml').replace('<count>57</count>', '<count>99999</count>')), { spf: 'pass' }),
    'raw/real': delivered(report(), { dkim: [{ domain: 'google.com', result: 'pass' }] }),
  });

  const result = await handler(inbox.event({ key: 'raw/forged' }, { key: 'raw/real' }));

  expect(result).toMatchObject({ reports: 2, duplicates: 0 });
  const keys = inbox.puts().filter((p) => p.Key.includes('type=dmarc/')).map((p) => p.Key);
  expect(new Set(keys).size).toBe(2);
  expect(inbox.metric('DmarcFailedMessages')).toBe(57);
});
