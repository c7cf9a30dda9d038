import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { mail, source } from './support/mail';
import {
  DEFAULT_LIMITS, DmarcAggregateReport, RejectionReason, TlsRptReport, jsonLines, parseDocument, parseReportFile, parseReportMessage,
  DMARC_COLUMNS, partitionDomain, reportObjects, summarise,
} from '../../src/reports';

const dmarc = (name: string) => parseDocument(Buffer.from(source(name)), DEFAULT_LIMITS) as DmarcAggregateReport;
const tls = (name: string) => parseDocument(Buffer.from(source(name)), DEFAULT_LIMITS) as TlsRptReport;

describe('DMARC aggregate reports in the shapes reporters send', () => {
  test.each([
    // file, reporter, policy domain, schema, records, messages, failing
    ['google-dept-2026-05-01.xml', 'google.com', 'dept.gov.uk', 'rfc7489', 3, 2209, 57],
    ['google-dept-2026-05-02.xml', 'google.com', 'dept.gov.uk', 'rfc7489', 3, 2101, 120],
    ['google-old-dept-2026-05-01.xml', 'google.com', 'old-dept.gov.uk', 'rfc7489', 2, 978, 978],
    ['microsoft-dept-2026-05-01.xml', 'Enterprise Outlook', 'dept.gov.uk', 'rfc7489', 3, 1867, 9],
    ['microsoft-dept-2026-05-02.xml', 'Enterprise Outlook', 'dept.gov.uk', 'rfc7489', 3, 1913, 31],
    ['microsoft-old-dept-2026-05-01.xml', 'Outlook.com', 'old-dept.gov.uk', 'rfc7489', 1, 211, 211],
    ['yahoo-dept-2026-05-01.xml', 'Yahoo', 'dept.gov.uk', 'rfc7489', 2, 102, 14],
    ['yahoo-old-dept-2026-05-01.xml', 'Yahoo', 'old-dept.gov.uk', 'rfc7489', 2, 67, 67],
    ['mailru-dept-2026-05-01.xml', 'Mail.Ru', 'dept.gov.uk', 'rfc7489', 2, 26, 23],
    ['fastmail-dept-rfc9990-2026-05-01.xml', 'Fastmail Pty Ltd', 'dept.gov.uk', 'rfc9990', 2, 47, 6],
    ['council-mta-dept-2026-05-01.xml', 'mx1.example-council.gov.uk', 'dept.gov.uk', 'rfc7489', 2, 29, 2],
    ['comcast-dept-2026-05-01.xml', 'comcast.net', 'dept.gov.uk', 'rfc7489', 1, 5, 0],
    ['gmx-old-dept-2026-05-01.xml', 'GMX', 'old-dept.gov.uk', 'rfc7489', 1, 17, 17],
    ['zoho-dept-2026-05-01.xml', 'Zoho Corporation', 'dept.gov.uk', 'rfc7489', 1, 12, 0],
    ['mimecast-dept-2026-05-01.xml', 'Mimecast', 'dept.gov.uk', 'rfc7489', 2, 98, 2],
    ['mimecast-old-dept-2026-05-01.xml', 'Mimecast', 'old-dept.gov.uk', 'rfc7489', 1, 11, 11],
  ])('%s: %s about %s (%s)', (file, org, domain, schema, records, messages, failing) => {
    const report = dmarc(file);
    expect(report).toMatchObject({ kind: 'dmarc', orgName: org, schema, policy: expect.objectContaining({ domain }) });
    expect(report.records).toHaveLength(records);
    expect(report.records.reduce((n, r) => n + r.count, 0)).toBe(messages);
    expect(report.records.filter((r) => !r.dmarcPass).reduce((n, r) => n + r.count, 0)).toBe(failing);
  });

  test('Google: the date range, the policy published and each record\'s results', () => {
    const report = dmarc('google-dept-2026-05-01.xml');
    expect(report).toMatchObject({
      reportId: '4207619913528370291',
      email: 'noreply-dmarc-support@google.com',
      begin: '2026-05-01T00:00:00.000Z',
      end: '2026-05-01T23:59:59.000Z',
      policy: { domain: 'dept.gov.uk', p: 'reject', sp: 'reject', np: 'reject', adkim: 'r', aspf: 'r', pct: 100 },
    });
    expect(report.records[1]).toEqual({
      sourceIp: '198.51.100.25',
      count: 312,
      disposition: 'none',
      dkim: 'pass',
      spf: 'fail',
      dmarcPass: true,
      reasons: [],
      headerFrom: 'dept.gov.uk',
      dkimResults: [{ domain: 'dept.gov.uk', selector: 'selector1', result: 'pass' }],
      spfResults: [{ domain: 'dept-gov-uk.mail.protection.outlook.com', result: 'pass' }],
    });
  });

  test('Microsoft: envelope identifiers, SPF scope, and a <version> element that does not make it RFC 9990', () => {
    const report = dmarc('microsoft-dept-2026-05-01.xml');
    expect(report.schema).toBe('rfc7489');
    expect(report.records[0]).toMatchObject({ envelopeTo: 'cabinetoffice.gov.uk', envelopeFrom: 'mail.dept.gov.uk', spfResults: [{ scope: 'mfrom' }] });
    expect(report.records[1].sourceIp).toBe('2001:db8:a0b:12f0::25');
  });

  test('RFC 9990: the dmarc-2.0 namespace, np, testing, discovery method, generator and human results', () => {
    const report = dmarc('fastmail-dept-rfc9990-2026-05-01.xml');
    expect(report).toMatchObject({
      schema: 'rfc9990',
      generator: 'cyrus-dmarc 2.1',
      policy: { np: 'reject', testing: 'n', discoveryMethod: 'treewalk' },
    });
    expect(report.records[0].disposition).toBe('pass');
    expect(report.records[1].dkimResults[0].humanResult).toBe('signed by the sending service, not the From domain');
  });

  test('a small MTA: report errors, override reasons, and the predefined entities decoded once', () => {
    const report = dmarc('council-mta-dept-2026-05-01.xml');
    expect(report.errors).toEqual(['DNS timeout looking up _dmarc.consult.dept.gov.uk (retried)']);
    expect(report.records[1].reasons).toEqual([{ type: 'local_policy', comment: 'arrived through the council\'s list server & was accepted' }]);
  });

  test('Google: a forwarded message is counted as passing when DKIM passes, with its reason kept', () => {
    const report = dmarc('google-dept-2026-05-02.xml');
    expect(report.records[2]).toMatchObject({ sourceIp: '2001:db8:4860::1b', dmarcPass: true, reasons: [{ type: 'forwarded' }] });
  });

  test('Mail.Ru: tab-indented XML', () => {
    expect(dmarc('mailru-dept-2026-05-01.xml').records[0]).toMatchObject({ sourceIp: '203.0.113.91', dmarcPass: false, disposition: 'reject' });
  });
});

describe('TLS reports (RFC 8460) from Google, Microsoft and a small MTA', () => {
  test.each([
    ['google-tlsrpt-dept-2026-05-01.json', 'Google Inc.', 'dept.gov.uk', 'sts', 2841, 0],
    ['google-tlsrpt-dept-2026-05-02.json', 'Google Inc.', 'dept.gov.uk', 'sts', 2710, 6],
    ['google-tlsrpt-reports-2026-05-01.json', 'Google Inc.', 'reports.dept.gov.uk', 'no-policy-found', 31, 0],
    ['microsoft-tlsrpt-dept-2026-05-01.json', 'Microsoft Corporation', 'dept.gov.uk', 'sts', 1522, 3],
    ['microsoft-tlsrpt-reports-2026-05-01.json', 'Microsoft Corporation', 'reports.dept.gov.uk', 'no-policy-found', 12, 0],
    ['isp-mta-tlsrpt-dept-2026-05-01.json', 'mail.example-isp.net', 'dept.gov.uk', 'sts', 44, 1],
  ])('%s: %s about %s', (file, org, domain, type, ok, failed) => {
    const report = tls(file);
    expect(report).toMatchObject({ kind: 'tlsrpt', organizationName: org });
    expect(report.policies).toHaveLength(1);
    expect(report.policies[0]).toMatchObject({ policyDomain: domain, policyType: type, successfulSessions: ok, failedSessions: failed });
  });

  test('Microsoft: the policy, its MX hosts and each failure type', () => {
    const report = tls('microsoft-tlsrpt-dept-2026-05-01.json');
    expect(report).toMatchObject({ reportId: '133901280000000000+dept.gov.uk', begin: '2026-05-01T00:00:00.000Z', end: '2026-05-01T23:59:59.000Z' });
    expect(report.policies[0].policyString).toContain('mode: enforce');
    expect(report.policies[0].mxHost).toEqual(['dept-gov-uk.mail.protection.outlook.com']);
    expect(report.policies[0].failures).toEqual([
      { resultType: 'sts-webpki-invalid', failedSessions: 2, sendingMtaIp: '2001:db8:10::15', receivingMxHostname: 'dept-gov-uk.mail.protection.outlook.com', additionalInformation: 'https://aka.ms/tlsrpt' },
      { resultType: 'validation-failure', failedSessions: 1, sendingMtaIp: '2001:db8:10::16', receivingMxHostname: 'dept-gov-uk.mail.protection.outlook.com' },
    ]);
  });
});

describe('messages: every attachment read, whatever the packing and the content type claimed', () => {
  const xml = source('google-dept-2026-05-01.xml');
  const json = source('google-tlsrpt-dept-2026-05-01.json');

  test.each([
    ['zip as application/zip', 'application/zip', 'r.zip', Buffer.from(zipSync({ 'r.xml': Buffer.from(xml) }))],
    ['zip as application/x-zip-compressed', 'application/x-zip-compressed', 'r.zip', Buffer.from(zipSync({ 'r.xml': Buffer.from(xml) }))],
    ['gzip as application/gzip', 'application/gzip', 'r.xml.gz', gzipSync(xml)],
    ['gzip as application/x-gzip', 'application/x-gzip', 'r.xml.gz', gzipSync(xml)],
    ['gzip as application/octet-stream', 'application/octet-stream', 'r.xml.gz', gzipSync(xml)],
    ['gzip mislabelled application/zip', 'application/zip', 'r.zip', gzipSync(xml)],
    ['plain XML as text/xml', 'text/xml', 'r.xml', Buffer.from(xml)],
    ['TLS report as application/tlsrpt+gzip', 'application/tlsrpt+gzip', 'r.json.gz', gzipSync(json)],
    ['TLS report as application/tlsrpt+json', 'application/tlsrpt+json', 'r.json', Buffer.from(json)],
    ['a stored (uncompressed) zip entry', 'application/zip', 'r.zip', Buffer.from(zipSync({ 'r.xml': [Buffer.from(xml), { level: 0 }] }))],
  ])('%s', (_what, contentType, filename, data) => {
    const outcome = parseReportMessage(mail({ parts: [{ contentType: 'text/plain', data: 'A report.', encoding: '7bit' }, { contentType, filename, data }] }));
    expect(outcome.rejections).toEqual([]);
    expect(outcome.reports).toHaveLength(1);
    expect(outcome.reports[0].source.startsWith(`part 2 (${filename})`)).toBe(true);
    expect(outcome.ignored).toEqual(['part 1: text/plain']);
  });

  test('a quoted-printable XML attachment', () => {
    const outcome = parseReportMessage(mail({ parts: [{ contentType: 'text/xml', filename: 'r.xml', data: xml.replace(/=/g, '=3D').replace(/\n/g, '=\r\n'), encoding: 'quoted-printable' }] }));
    expect(outcome.reports.map((r) => r.report.kind)).toEqual(['dmarc']);
  });

  test('a zip with two reports, and a zip entry that is not a report', () => {
    const zip = zipSync({ 'a.xml': Buffer.from(xml), 'b.json': Buffer.from(json), 'readme.txt': Buffer.from('hello') });
    const outcome = parseReportFile('bundle.zip', zip);
    expect(outcome.reports.map((r) => [r.source, r.report.kind])).toEqual([['bundle.zip!a.xml', 'dmarc'], ['bundle.zip!b.json', 'tlsrpt']]);
    expect(outcome.rejections).toEqual([expect.objectContaining({ source: 'bundle.zip!readme.txt', reason: RejectionReason.UNSUPPORTED_CONTENT })]);
  });

  test('RFC 2231 and RFC 2047 file names', () => {
    const raw = Buffer.from([
      'From: a@b.example', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=x', '',
      '--x', 'Content-Type: application/gzip', 'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename*0*=utf-8\'\'r%C3%A9port; filename*1=".xml.gz"', '', gzipSync(xml).toString('base64'),
      '--x', 'Content-Type: application/gzip; name="=?utf-8?B?csOpcG9ydDIueG1sLmd6?="', 'Content-Transfer-Encoding: base64', '', gzipSync(xml).toString('base64'),
      '--x--', '',
    ].join('\r\n'));
    expect(parseReportMessage(raw).reports.map((r) => r.source)).toEqual(['part 1 (réport.xml.gz)', 'part 2 (réport2.xml.gz)']);
  });

  test('LF line ends, a preamble, and no closing boundary', () => {
    const raw = Buffer.from(['From: a@b.example', 'Content-Type: multipart/mixed; boundary="q"', '', 'preamble', '--q', 'Content-Type: application/gzip', 'Content-Transfer-Encoding: base64', '', gzipSync(xml).toString('base64'), ''].join('\n'));
    expect(parseReportMessage(raw).reports).toHaveLength(1);
  });

  test('a single-part message whose body is the report', () => {
    const raw = Buffer.from(['From: a@b.example', 'Content-Type: application/gzip', 'Content-Transfer-Encoding: base64', '', gzipSync(json).toString('base64')].join('\r\n'));
    expect(parseReportMessage(raw).reports.map((r) => r.report.kind)).toEqual(['tlsrpt']);
  });

  test('a report forwarded as message/rfc822 inside multipart/alternative', () => {
    const inner = mail({ parts: [{ contentType: 'application/gzip', filename: 'r.xml.gz', data: gzipSync(xml) }], boundary: 'inner' });
    const raw = Buffer.from([
      'From: postmaster@dept.gov.uk', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=outer', '',
      '--outer', 'Content-Type: multipart/alternative; boundary=alt', '', '--alt', 'Content-Type: text/plain', '', 'FYI', '--alt', 'Content-Type: text/html', '', '<p>FYI</p>', '--alt--',
      '--outer', 'Content-Type: message/rfc822', '', inner.toString('latin1'),
      '--outer--', '',
    ].join('\r\n'), 'latin1');
    const outcome = parseReportMessage(raw);
    expect(outcome.reports.map((r) => r.source)).toEqual(['part 2.1.1 (r.xml.gz)']);
    expect(outcome.ignored).toEqual(['part 1.1: text/plain', 'part 1.2: text/html']);
  });
});

/**
 * The sources of google-dept-2026-05-01.xml and who they are, read from its auth_results by hand:
 * the department's own signature and MAIL FROM (custom); SPF passing for Exchange Online's
 * protection.outlook.com (Microsoft 365); nothing passing, failing DMARC (unknown).
 */
const SENDERS_OF_GOOGLE_REPORT = [['192.0.2.10', 'custom'], ['198.51.100.25', 'microsoft-365'], ['203.0.113.66', 'unknown']];

describe('rows for Athena and the partition of each domain', () => {
  const context = { messageKey: 'raw/abc', receivedAt: '2026-05-02T03:00:00.000Z' };

  test('one DMARC object per report, at type=dmarc/dt=<begin day>/domain=<domain>/<hash>.json, one line per record', () => {
    const [obj] = reportObjects(dmarc('google-dept-2026-05-01.xml'), context);
    expect(obj.key).toMatch(/^type=dmarc\/dt=2026-05-01\/domain=dept\.gov\.uk\/[0-9a-f]{32}\.json$/);
    expect(obj.rows).toHaveLength(3);
    expect(obj.rows[2]).toMatchObject({
      org_name: 'google.com',
      report_id: '4207619913528370291',
      policy_domain: 'dept.gov.uk',
      source_ip: '203.0.113.66',
      message_count: 57,
      disposition: 'reject',
      dmarc_pass: false,
      message_key: 'raw/abc',
      received_at: '2026-05-02T03:00:00.000Z',
    });
    const body = jsonLines(obj.rows);
    expect(body.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(obj.rows);
  });

  test('each DMARC row carries the sender its source is, from the row\'s own DKIM and SPF results', () => {
    const [obj] = reportObjects(dmarc('google-dept-2026-05-01.xml'), context);
    expect(obj.rows.map((r) => [r.source_ip, r.sender])).toEqual(SENDERS_OF_GOOGLE_REPORT);
    expect(obj.rows.find((r) => r.source_ip === '203.0.113.66')!.sender).toBe('unknown');
    expect(DMARC_COLUMNS.map((c) => c.name)).toEqual(expect.arrayContaining(['sender', 'authenticated', 'trust']));
    for (const row of obj.rows) expect(Object.keys(row).sort()).toEqual(DMARC_COLUMNS.map((c) => c.name).sort());
  });

  test('the same report twice gives the same key, so a redelivered report overwrites itself', () => {
    const a = reportObjects(dmarc('google-dept-2026-05-01.xml'), context)[0].key;
    const b = reportObjects(dmarc('google-dept-2026-05-01.xml'), { ...context, messageKey: 'raw/other' })[0].key;
    expect(a).toBe(b);
    expect(reportObjects(dmarc('google-dept-2026-05-02.xml'), context)[0].key).not.toBe(a);
  });

  test('a subdomain\'s rows are stored under the served domain the table\'s partitions list', () => {
    expect(partitionDomain('consult.dept.gov.uk', ['dept.gov.uk', 'reports.dept.gov.uk'])).toBe('dept.gov.uk');
    expect(partitionDomain('reports.dept.gov.uk', ['dept.gov.uk', 'reports.dept.gov.uk'])).toBe('reports.dept.gov.uk');
    expect(partitionDomain('other.gov.uk', ['dept.gov.uk'])).toBe('other.gov.uk');
    const [obj] = reportObjects(tls('google-tlsrpt-reports-2026-05-01.json'), { ...context, partitionFor: (d) => partitionDomain(d, ['dept.gov.uk']) });
    expect(obj.key).toMatch(/^type=tlsrpt\/dt=2026-05-01\/domain=dept\.gov\.uk\//);
    expect(obj.rows[0]).toMatchObject({ policy_domain: 'reports.dept.gov.uk', policy_type: 'no-policy-found', successful_sessions: 31 });
  });
});

describe('summaries per domain', () => {
  test('DMARC passes and failures, dispositions, the top failing sources with who reported them, and every source', () => {
    const [summary] = summarise(['google-dept-2026-05-01.xml', 'yahoo-dept-2026-05-01.xml', 'microsoft-dept-2026-05-01.xml'].map(dmarc), 2);
    expect(summary.domain).toBe('dept.gov.uk');
    expect(summary.dmarc).toMatchObject({
      reports: 3,
      reporters: ['Enterprise Outlook', 'Yahoo', 'google.com'],
      messages: 4178,
      passed: 4098,
      failed: 80,
      dispositions: { none: 4098, reject: 80 },
      topFailingSources: [
        { sourceIp: '203.0.113.66', messages: 71, headerFrom: ['dept.gov.uk'], reporters: ['Yahoo', 'google.com'] },
        { sourceIp: '198.51.100.77', messages: 9, headerFrom: ['dept.gov.uk'], reporters: ['Enterprise Outlook'] },
      ],
      begin: '2026-05-01T00:00:00.000Z',
      end: '2026-05-02T00:00:00.000Z',
    });
    // Every source, passing ones too, with the sender it is; the failing ones include those above.
    const sources = summary.dmarc!.sources;
    expect(sources.reduce((n, s) => n + s.messages, 0)).toBe(4178);
    expect(sources.reduce((n, s) => n + s.failed, 0)).toBe(80);
    expect(sources.find((s) => s.sourceIp === '203.0.113.66')).toMatchObject({ messages: 71, failed: 71, sender: { id: 'unknown' } });
    expect(sources.filter((s) => s.passed > 0).length).toBeGreaterThan(0);
    expect(sources.filter((s) => s.passed > 0).every((s) => s.sender.id !== 'unknown')).toBe(true);
  });

  test('TLS sessions and failures by result type', () => {
    const summaries = summarise(['google-tlsrpt-dept-2026-05-02.json', 'microsoft-tlsrpt-dept-2026-05-01.json', 'microsoft-tlsrpt-reports-2026-05-01.json'].map(tls));
    expect(summaries.map((s) => s.domain)).toEqual(['dept.gov.uk', 'reports.dept.gov.uk']);
    expect(summaries[0].tls).toMatchObject({
      reports: 2,
      successfulSessions: 4232,
      failedSessions: 9,
      failuresByType: { 'certificate-expired': 6, 'sts-webpki-invalid': 2, 'validation-failure': 1 },
      policyTypes: ['sts'],
    });
  });
});

describe('the domains an inbox serves', () => {
  const xml = source('google-old-dept-2026-05-01.xml');
  test('a report about another domain is rejected, and the other attachments are still read', () => {
    const outcome = parseReportMessage(mail({
      parts: [
        { contentType: 'application/gzip', filename: 'a.xml.gz', data: gzipSync(xml) },
        { contentType: 'application/gzip', filename: 'b.xml.gz', data: gzipSync(source('google-dept-2026-05-01.xml')) },
      ],
    }), { domains: ['dept.gov.uk'] });
    expect(outcome.reports.map((r) => r.source)).toEqual(['part 2 (b.xml.gz)']);
    expect(outcome.rejections).toEqual([{ source: 'part 1 (a.xml.gz)', reason: RejectionReason.UNEXPECTED_DOMAIN, detail: expect.stringContaining('old-dept.gov.uk') }]);
  });
  test('a name under a served domain is accepted', () => {
    const outcome = parseReportFile('r.json', Buffer.from(source('google-tlsrpt-reports-2026-05-01.json')), { domains: ['dept.gov.uk'] });
    expect(outcome.rejections).toEqual([]);
  });
});
