/**
 * The ReportInbox function end to end: an S3 event for a raw message, S3, CloudWatch and
 * DynamoDB mocked with aws-sdk-client-mock; the parsed rows, the outcome record, the metrics and
 * the log lines it writes. Messages here are delivered as SES stores a real reporter's mail
 * (a DKIM signature that passed for the From domain); handler-trust.test.ts covers the others.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { BUCKET, inboxHarness } from './support/inbox';
import { CORPUS, mail, source } from './support/mail';
import { authentic } from './support/ses';
import { handler } from '../../src/report-inbox/report-parser.lambda';

const inbox = inboxHarness();
const corpus = (name: string) => authentic(readFileSync(join(CORPUS, name)));

test('a Google DMARC report (zip): rows written as JSON lines, the outcome recorded, the numbers sent to CloudWatch', async () => {
  inbox.stored({ 'raw/0001google': corpus('google-dept-2026-05-01.eml') });

  const result = await handler(inbox.event({ key: 'raw/0001google' }));

  expect(result).toEqual({ messages: 1, reports: 1, rejections: 0, duplicates: 0, skipped: 0 });
  expect(inbox.s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
    { Bucket: BUCKET, Key: 'config/domains.json' },
    { Bucket: BUCKET, Key: 'raw/0001google' },
  ]);
  const [rows, outcome] = inbox.puts();
  expect(rows.Key).toMatch(/^parsed\/type=dmarc\/dt=2026-05-01\/domain=dept\.gov\.uk\/[0-9a-f]{32}-[0-9a-f]{16}\.json$/);
  expect(rows.ContentType).toBe('application/x-ndjson');
  const lines = rows.Body.trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(3);
  expect(lines[2]).toMatchObject({ org_name: 'google.com', source_ip: '203.0.113.66', message_count: 57, dmarc_pass: false, message_key: 'raw/0001google' });
  expect(lines.every((l) => l.authenticated === true && l.trust === 'dkim-aligned-with-reporter')).toBe(true);
  expect(outcome.Key).toMatch(/^parsed\/type=outcome\/dt=\d{4}-\d{2}-\d{2}\/[0-9a-f]{32}\.json$/);
  expect(JSON.parse(outcome.Body)).toMatchObject({
    messageKey: 'raw/0001google',
    authenticated: true,
    reporter: 'google.com',
    written: [{ kind: 'dmarc', domain: 'dept.gov.uk', key: rows.Key, rows: 3, authenticated: true }],
    duplicates: [],
    rejections: [],
  });
  expect(inbox.metric('DmarcMessages', { Domain: 'dept.gov.uk' })).toBe(2209);
  expect(inbox.metric('DmarcFailedMessages', { Domain: 'dept.gov.uk' })).toBe(57);
  expect(inbox.metric('DmarcFailedMessages')).toBe(57);
  expect(inbox.metric('ReportsParsed', { Type: 'dmarc' })).toBe(1);
  expect(inbox.metric('ReportsRejected')).toBeUndefined();
  expect(inbox.metric('ReportsUnauthenticated')).toBeUndefined();
  expect(inbox.metrics().every((m) => m.Unit === 'Count' && m.Timestamp instanceof Date)).toBe(true);
});

test('log lines: a dmarc report line, and a dmarc source line per row with the sender classified', async () => {
  inbox.stored({ 'raw/google': corpus('google-dept-2026-05-01.eml') });

  await handler(inbox.event({ key: 'raw/google' }));

  expect(inbox.logs('dmarc report')).toEqual([
    { level: 'info', message: 'dmarc report', domain: 'dept.gov.uk', reporter: 'google.com', authenticated: true, messages: 2209, failedMessages: 57 },
  ]);
  const sources = inbox.logs('dmarc source');
  expect(sources).toHaveLength(3);
  for (const line of sources) {
    expect(Object.keys(line)).toEqual(['level', 'message', 'domain', 'reporter', 'authenticated', 'sourceIp', 'sender', 'messages', 'dmarcPass', 'dkimAligned', 'spfAligned']);
    expect(['microsoft-365', 'amazon-ses', 'google-workspace', 'govuk-notify', 'custom', 'unknown']).toContain(line.sender);
  }
  expect(sources[2]).toMatchObject({ sourceIp: '203.0.113.66', messages: 57, dmarcPass: false, sender: 'unknown' });
});

test('TLS reports: per-domain sessions and failures; the inbox\'s own domain has its partition; tls lines logged', async () => {
  inbox.stored({
    'raw/ms-tls': corpus('microsoft-tlsrpt-dept-2026-05-01.eml'),
    'raw/google-tls-inbox': corpus('google-tlsrpt-reports-2026-05-01.eml'),
  });

  const result = await handler(inbox.event({ key: 'raw/ms-tls' }, { key: 'raw/google-tls-inbox' }));

  expect(result).toEqual({ messages: 2, reports: 2, rejections: 0, duplicates: 0, skipped: 0 });
  expect(inbox.puts().map((p) => p.Key).filter((k) => !k.includes('type=outcome'))).toEqual([
    expect.stringMatching(/^parsed\/type=tlsrpt\/dt=2026-05-01\/domain=dept\.gov\.uk\//),
    expect.stringMatching(/^parsed\/type=tlsrpt\/dt=2026-05-01\/domain=reports\.dept\.gov\.uk\//),
  ]);
  expect(inbox.metric('TlsSuccessfulSessions', { Domain: 'dept.gov.uk' })).toBe(1522);
  expect(inbox.metric('TlsFailedSessions', { Domain: 'dept.gov.uk' })).toBe(3);
  expect(inbox.metric('TlsSuccessfulSessions', { Domain: 'reports.dept.gov.uk' })).toBe(31);
  expect(inbox.metric('ReportsParsed', { Type: 'tlsrpt' })).toBe(2);
  expect(inbox.logs('tls report')).toContainEqual({ level: 'info', message: 'tls report', domain: 'dept.gov.uk', reporter: 'Microsoft Corporation', authenticated: true, successfulSessions: 1522, failedSessions: 3 });
  const failures = inbox.logs('tls failure').filter((l) => l.domain === 'dept.gov.uk');
  expect(failures.reduce((n, l) => n + l.sessions, 0)).toBe(3);
  expect(Object.keys(failures[0])).toEqual(['level', 'message', 'domain', 'reporter', 'authenticated', 'resultType', 'receivingMx', 'sessions']);
});

test('a message with a hostile attachment: the good reports are written, the rejection recorded with its reason and counted', async () => {
  const laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><feedback>&lol2;</feedback>';
  inbox.stored({
    'raw/mixed': authentic(mail({
      parts: [
        { contentType: 'application/gzip', filename: 'good.xml.gz', data: gzipSync(source('yahoo-dept-2026-05-01.xml')) },
        { contentType: 'text/xml', filename: 'evil.xml', data: laughs },
      ],
    })),
  });

  const result = await handler(inbox.event({ key: 'raw/mixed' }));

  expect(result).toEqual({ messages: 1, reports: 1, rejections: 1, duplicates: 0, skipped: 0 });
  const [outcome] = inbox.outcomes();
  expect(outcome.rejections).toEqual([{ source: 'part 2 (evil.xml)', reason: 'xml-doctype', detail: expect.stringContaining('never processed') }]);
  expect(outcome.written).toHaveLength(1);
  expect(inbox.metric('ReportsRejected', { Reason: 'xml-doctype' })).toBe(1);
  expect(inbox.metric('ReportsRejected')).toBe(1);
  expect(inbox.metric('DmarcFailedMessages', { Domain: 'dept.gov.uk' })).toBe(14);
});

test('a report about a domain the inbox does not serve is rejected, and nothing of it is stored or counted per domain', async () => {
  const other = source('google-dept-2026-05-01.xml').replace(/dept\.gov\.uk/g, 'stranger.example');
  inbox.stored({ 'raw/stranger': authentic(mail({ parts: [{ contentType: 'application/gzip', filename: 'r.xml.gz', data: gzipSync(other) }] })) });

  await handler(inbox.event({ key: 'raw/stranger' }));

  expect(inbox.puts().map((p) => p.Key)).toEqual([expect.stringMatching(/type=outcome/)]);
  expect(inbox.metrics().map((m) => [m.MetricName, m.Dimensions])).toEqual([
    ['ReportsRejected', [{ Name: 'Reason', Value: 'unexpected-domain' }]],
    ['ReportsRejected', []],
  ]);
});

test('a report about a subdomain is stored and counted under the served domain', async () => {
  const sub = source('comcast-dept-2026-05-01.xml').replace('<domain>dept.gov.uk</domain>', '<domain>consult.dept.gov.uk</domain>');
  inbox.stored({ 'raw/sub': authentic(mail({ parts: [{ contentType: 'text/xml', filename: 'r.xml', data: sub }] })) });

  await handler(inbox.event({ key: 'raw/sub' }));

  const rows = inbox.puts().find((p) => p.Key.includes('type=dmarc'))!;
  expect(rows.Key).toMatch(/domain=dept\.gov\.uk\//);
  expect(JSON.parse(rows.Body.split('\n')[0])).toMatchObject({ policy_domain: 'consult.dept.gov.uk' });
  expect(inbox.metric('DmarcMessages', { Domain: 'dept.gov.uk' })).toBe(5);
  expect(inbox.table().get('seen', 'dept.gov.uk')?.at?.S).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
});

test('ordinary mail to the address: recorded as not a report, nothing else written', async () => {
  inbox.stored({ 'raw/hello': authentic(mail({ parts: [{ contentType: 'text/plain', data: 'Please unsubscribe me', encoding: '7bit' }] })) });
  await handler(inbox.event({ key: 'raw/hello' }));
  expect(inbox.puts()).toHaveLength(1);
  expect(inbox.outcomes()[0].rejections).toEqual([expect.objectContaining({ source: 'message', reason: 'not-a-report' })]);
});

test('keys arrive URL-encoded, with spaces as +', async () => {
  inbox.stored({ 'raw/a b!c': corpus('yahoo-dept-2026-05-01.eml') });
  await handler(inbox.event({ key: 'raw/a+b%21c' }));
  expect(inbox.s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toContain('raw/a b!c');
});

test('events for another bucket or outside raw/ are skipped without reading anything', async () => {
  const result = await handler(inbox.event({ key: 'raw/x', bucket: 'someone-elses-bucket' }, { key: 'parsed/type=dmarc/x.json' }, { key: '%E0%A4%A' }));
  expect(result).toEqual({ messages: 0, reports: 0, rejections: 0, duplicates: 0, skipped: 3 });
  expect(inbox.s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual(['config/domains.json']);
  expect(inbox.puts()).toHaveLength(0);
});

test('a message over the size limit is never read: its size in the event is enough; not authenticated, it is not counted in ReportsRejected', async () => {
  await handler(inbox.event({ key: 'raw/huge', size: 41 * 1024 * 1024 }));
  expect(inbox.s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual(['config/domains.json']);
  expect(inbox.outcomes()[0]).toMatchObject({ authenticated: false, rejections: [expect.objectContaining({ reason: 'message-too-large' })] });
  expect(inbox.metric('ReportsRejected', { Reason: 'message-too-large' })).toBeUndefined();
});

test('with COUNT_UNAUTHENTICATED=true, rejections of messages that are not authenticated are counted too', async () => {
  process.env.COUNT_UNAUTHENTICATED = 'true';
  await handler(inbox.event({ key: 'raw/huge', size: 41 * 1024 * 1024 }));
  expect(inbox.metric('ReportsRejected', { Reason: 'message-too-large' })).toBe(1);
});

test('a failing AWS call fails the invocation, so Lambda retries it and then dead-letters it', async () => {
  inbox.s3.on(GetObjectCommand, { Bucket: BUCKET, Key: 'raw/x' }).rejects(new Error('SlowDown'));
  await expect(handler(inbox.event({ key: 'raw/x' }))).rejects.toThrow('SlowDown');
});

test.each(['BUCKET_NAME', 'DOMAINS_KEY', 'LEDGER_TABLE'])('the function refuses to run without %s', async (name) => {
  delete process.env[name];
  await expect(handler(inbox.event({ key: 'raw/x' }))).rejects.toThrow(name);
});

test.each([
  ['MAX_ROWS_PER_MESSAGE', 'lots', /whole number, got: lots/],
  ['COUNT_UNAUTHENTICATED', 'yes', /true or false, got: yes/],
])('the function refuses a bad %s', async (name, value, message) => {
  process.env[name] = value;
  await expect(handler(inbox.event({ key: 'raw/x' }))).rejects.toThrow(message);
});

test('a domain list that is not one fails the invocation', async () => {
  inbox.listed({ version: 2, domains: [] });
  await expect(handler(inbox.event({ key: 'raw/x' }))).rejects.toThrow('The domain list is not valid: version is not 1');
});

test('the domain list is read once for invocations within five minutes', async () => {
  inbox.stored({ 'raw/google': corpus('google-dept-2026-05-01.eml') });
  await handler(inbox.event({ key: 'raw/google' }));
  await handler(inbox.event({ key: 'raw/google' }));
  expect(inbox.s3.commandCalls(GetObjectCommand).filter((c) => c.args[0].input.Key === 'config/domains.json')).toHaveLength(1);
});

test('metrics go in batches of at most 20 values', async () => {
  const domains = Array.from({ length: 12 }, (_, i) => `agency${i}.gov.uk`);
  inbox.listed({ version: 1, inboxDomain: 'reports.dept.gov.uk', domains: domains.map((name) => ({ name, sendsMail: true })) });
  const parts = domains.map((d, i) => ({ contentType: 'text/xml', filename: `r${i}.xml`, data: source('zoho-dept-2026-05-01.xml').replace(/dept\.gov\.uk/g, d) }));
  inbox.stored({ 'raw/many': authentic(mail({ parts })) });
  await handler(inbox.event({ key: 'raw/many' }));
  const calls = inbox.cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData!.length);
  expect(calls).toEqual([20, 6]);
  expect(inbox.metrics()).toHaveLength(2 * 12 + 2);
});
