import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { DmarcAggregateReport, DmarcRecordRow, ParsedReport, parseReportFile, summarise } from '../../src/reports';
import { SENDERS_CORPUS, SENDER_SOURCES } from '../fixtures/reports/build-corpus';

function sendersCorpus(): ParsedReport[] {
  return readdirSync(SENDERS_CORPUS).sort()
    .flatMap((name) => parseReportFile(name, readFileSync(join(SENDERS_CORPUS, name))).reports.map((f) => f.report));
}

describe('every source, from the table-built senders corpus', () => {
  const [summary] = summarise(sendersCorpus());
  const sources = summary.dmarc!.sources;

  test('one entry per source in the table, each with the totals the table gives', () => {
    expect(summary.domain).toBe('agency.gov.uk');
    expect(sources.map((s) => s.sourceIp).sort()).toEqual(SENDER_SOURCES.map((s) => s.ip).sort());
    for (const row of SENDER_SOURCES) {
      const s = sources.find((x) => x.sourceIp === row.ip)!;
      const total = row.counts.google + row.counts.isp;
      const passes = row.dkim === 'pass' || row.spf === 'pass';
      expect({ ip: row.ip, messages: s.messages, passed: s.passed, failed: s.failed, dkimAligned: s.dkimAligned, spfAligned: s.spfAligned }).toEqual({
        ip: row.ip,
        messages: total,
        passed: passes ? total : 0,
        failed: passes ? 0 : total,
        dkimAligned: row.dkim === 'pass' ? total : 0,
        spfAligned: row.spf === 'pass' ? total : 0,
      });
      expect(s.reporters).toEqual([...(row.counts.isp > 0 ? ['example-isp.net'] : []), ...(row.counts.google > 0 ? ['google.com'] : [])]);
    }
    expect(sources.reduce((n, s) => n + s.messages, 0)).toBe(summary.dmarc!.messages);
  });

  test.each(SENDER_SOURCES.map((s) => [s.what, s] as const))('%s', (_what, row) => {
    const s = sources.find((x) => x.sourceIp === row.ip)!;
    expect(s.sender.id).toBe(row.expectedSender);
    const callOut = s.failed > 0 ? 'fails-both' : s.dkimOnly > 0 ? 'dkim-only' : 'none';
    expect(callOut).toBe(row.expectedCallOut);
    expect(s.dkimDomains.map((d) => d.domain).sort()).toEqual([...new Set(row.dkimResults.map((d) => d.domain))].sort());
    expect(s.mailFrom).toEqual(row.envelopeFrom === undefined ? [] : [row.envelopeFrom]);
  });

  test('each catalogue sender, custom and unknown are among the senders', () => {
    expect(summary.dmarc!.senders.map((s) => s.id).sort()).toEqual(['amazon-ses', 'custom', 'google-workspace', 'govuk-notify', 'microsoft-365', 'unknown']);
    for (const sender of summary.dmarc!.senders) {
      const mine = sources.filter((s) => s.sender.id === sender.id);
      const sum = (f: (s: typeof mine[number]) => number) => mine.reduce((n, s) => n + f(s), 0);
      expect(sender).toMatchObject({ sources: mine.length, messages: sum((s) => s.messages), failed: sum((s) => s.failed) });
    }
  });

  test('the DMARC records reported, with RFC 9990\'s np, testing and discovery_method', () => {
    expect(summary.dmarc!.policies).toEqual([
      { schema: 'rfc7489', p: 'reject', sp: 'reject', adkim: 'r', aspf: 'r', pct: 100, reports: 1 },
      { schema: 'rfc9990', p: 'reject', sp: 'reject', np: 'reject', adkim: 'r', aspf: 'r', testing: 'n', discoveryMethod: 'treewalk', reports: 1 },
    ]);
  });
});

describe('summaries do not depend on the order of the records', () => {
  const ips = ['192.0.2.1', '192.0.2.2', '2001:db8::1', '203.0.113.9'];
  const domains = ['dept.gov.uk', 'amazonses.com', 'x.onmicrosoft.com', 'other.example'];
  const arbAuth = fc.record({ domain: fc.constantFrom(...domains), result: fc.constantFrom('pass', 'fail', 'none', 'softfail') });
  const arbRow: fc.Arbitrary<DmarcRecordRow> = fc.record({
    sourceIp: fc.constantFrom(...ips),
    count: fc.nat({ max: 10_000 }),
    disposition: fc.constantFrom('none', 'quarantine', 'reject', 'pass'),
    dkim: fc.constantFrom('pass', 'fail'),
    spf: fc.constantFrom('pass', 'fail'),
    reasons: fc.constant<DmarcRecordRow['reasons']>([]),
    headerFrom: fc.constantFrom('dept.gov.uk', 'a.dept.gov.uk'),
    envelopeFrom: fc.option(fc.constantFrom(...domains), { nil: undefined }),
    dkimResults: fc.array(arbAuth, { maxLength: 3 }),
    spfResults: fc.array(arbAuth, { maxLength: 2 }),
  }).map((r) => ({ ...r, dmarcPass: r.dkim === 'pass' || r.spf === 'pass' }));
  const report = (records: DmarcRecordRow[], id: string, org: string): DmarcAggregateReport => ({
    kind: 'dmarc',
    schema: 'rfc7489',
    orgName: org,
    email: `r@${org}`,
    reportId: id,
    begin: '2026-05-01T00:00:00.000Z',
    end: '2026-05-02T00:00:00.000Z',
    errors: [],
    policy: { domain: 'dept.gov.uk', p: 'reject' },
    records,
  });

  test('shuffling the records, and splitting them across reports, gives the same per-source totals and senders', () => {
    const arbRows = fc.array(arbRow, { maxLength: 30 })
      .chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length })));
    fc.assert(fc.property(arbRows, ([rows, shuffled]) => {
      const half = Math.floor(shuffled.length / 2);
      const one = summarise([report(rows, '1', 'a.example')]);
      const two = summarise([report(shuffled.slice(half), '2', 'a.example'), report(shuffled.slice(0, half), '3', 'a.example')]);
      expect(two.map((d) => d.dmarc?.sources)).toEqual(one.map((d) => d.dmarc?.sources));
      expect(two.map((d) => d.dmarc?.senders)).toEqual(one.map((d) => d.dmarc?.senders));
      // Per-source totals are the rows' sums.
      for (const s of one[0]?.dmarc?.sources ?? []) {
        const mine = rows.filter((r) => r.sourceIp === s.sourceIp);
        expect(s.messages).toBe(mine.reduce((n, r) => n + r.count, 0));
        expect(s.passed).toBe(mine.filter((r) => r.dmarcPass).reduce((n, r) => n + r.count, 0));
        expect(s.dkimOnly).toBe(mine.filter((r) => r.dkim === 'pass' && r.spf === 'fail').reduce((n, r) => n + r.count, 0));
      }
    }));
  });
});
