/**
 * The report corpus: at least 20 reports written for these tests in the shapes the big reporters
 * send (Google, Microsoft, Yahoo, Mail.ru, Fastmail's RFC 9990, small MTAs; zip, gzip and plain;
 * TLS-RPT from Google, Microsoft and an ISP), mailed or saved as a department would have them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS } from './support/mail';
import { parseReportFile } from '../../src/reports';
import { CORPUS_REPORTS, MAILS, SAVED, SENDERS_CORPUS, SENDER_SOURCES, buildCorpus, buildSendersCorpus, sourceFiles } from '../fixtures/reports/build-corpus';

/** Git stores text files with LF line ends (.gitattributes), so messages are compared that way. */
const normalise = (name: string, data: Buffer) => (name.endsWith('.eml') ? data.toString('latin1').replace(/\r\n/g, '\n') : data.toString('base64'));

test('the committed corpus is what build-corpus.ts builds (rebuild it with the command in that file)', () => {
  const built = buildCorpus();
  expect(readdirSync(CORPUS).sort()).toEqual([...built.keys()].sort());
  for (const [name, data] of built) {
    expect(normalise(name, readFileSync(join(CORPUS, name)))).toBe(normalise(name, data));
  }
});

test('it holds at least 20 reports, every source report once', () => {
  expect(CORPUS_REPORTS).toBeGreaterThanOrEqual(20);
  const used = [...MAILS.flatMap((m) => m.attachments.map((a) => a.source)), ...SAVED.map((s) => s.source)].sort();
  expect(used).toEqual(sourceFiles());
});

test.each(readdirSync(CORPUS).sort())('%s: every report in it is read, nothing rejected', (name) => {
  const outcome = parseReportFile(name, readFileSync(join(CORPUS, name)));
  expect(outcome.rejections).toEqual([]);
  const expected = MAILS.find((m) => m.file === name)?.attachments.length ?? 1;
  expect(outcome.reports).toHaveLength(expected);
});

test('the corpus covers the shapes: zip, gzip and plain; base64 and quoted-printable; single part, multipart and forwarded', () => {
  const attachments = MAILS.flatMap((m) => m.attachments);
  expect(new Set(attachments.map((a) => a.packing))).toEqual(new Set(['zip', 'gzip', 'plain']));
  expect(new Set(attachments.map((a) => a.contentType))).toEqual(new Set([
    'application/zip', 'application/gzip', 'application/x-gzip', 'text/xml', 'application/tlsrpt+gzip',
  ]));
  expect(new Set(MAILS.map((m) => m.shape ?? 'multipart'))).toEqual(new Set(['multipart', 'single', 'forward']));
  expect(attachments.some((a) => a.encoding === 'quoted-printable')).toBe(true);
});

describe('the senders corpus, built from a table of sources', () => {
  test('the committed files are what build-corpus.ts builds from SENDER_SOURCES', () => {
    const built = buildSendersCorpus();
    expect(readdirSync(SENDERS_CORPUS).sort()).toEqual([...built.keys()].sort());
    for (const [name, data] of built) expect(readFileSync(join(SENDERS_CORPUS, name)).toString('base64')).toBe(data.toString('base64'));
  });

  test('it has passing, failing, DKIM-only and unknown sources, and each catalogue sender', () => {
    expect(new Set(SENDER_SOURCES.map((s) => s.expectedCallOut))).toEqual(new Set(['none', 'fails-both', 'dkim-only']));
    expect(new Set(SENDER_SOURCES.map((s) => s.expectedSender))).toEqual(new Set(['microsoft-365', 'amazon-ses', 'google-workspace', 'govuk-notify', 'custom', 'unknown']));
  });

  test.each(readdirSync(SENDERS_CORPUS).sort())('%s is read whole: one report, a record per source in it, nothing rejected', (name) => {
    const outcome = parseReportFile(name, readFileSync(join(SENDERS_CORPUS, name)));
    expect(outcome.rejections).toEqual([]);
    expect(outcome.reports).toHaveLength(1);
    const report = outcome.reports[0].report;
    const reporter = name.startsWith('google.com') ? 'google' : 'isp';
    expect(report.kind === 'dmarc' && report.records.map((r) => [r.sourceIp, r.count])).toEqual(
      SENDER_SOURCES.filter((s) => s.counts[reporter] > 0).map((s) => [s.ip, s.counts[reporter]]));
  });
});
