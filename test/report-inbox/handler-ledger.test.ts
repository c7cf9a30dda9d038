/**
 * The ledger end to end: a resent report is stored and counted once, a retried invocation is
 * not its own duplicate and spends nothing twice, each reporter's day is bounded (forgeries
 * share one budget of their own), and each message is bounded in rows and bytes.
 */
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { hostileReport } from './support/hostile-mail';
import { inboxHarness } from './support/inbox';
import { mail, source } from './support/mail';
import { delivered } from './support/ses';
import { handler } from '../../src/report-inbox/report-parser.lambda';

const inbox = inboxHarness();
const GOOGLE = 'noreply-dmarc-support@google.com';
const MICROSOFT = 'dmarcreport@microsoft.com';
const TODAY = () => new Date().toISOString().slice(0, 10);

/** A DMARC report (3 rows unless `xml` says otherwise) from `from`, with its DKIM signature passing, or not. */
function reportMail(from: string, options: { reportId?: string; authenticated?: boolean; xml?: string } = {}): Buffer {
  const xml = (options.xml ?? source('google-dept-2026-05-01.xml'))
    .replace(/<report_id>[^<]*<\/report_id>/, `<report_id>${options.reportId ?? '4207619913528370291'}</report_id>`);
  const domain = from.slice(from.indexOf('@') + 1);
  const raw = mail({ from, parts: [{ contentType: 'application/gzip', filename: 'r.xml.gz', data: gzipSync(xml) }] });
  return delivered(raw, options.authenticated === false ? { spf: 'pass' } : { dkim: [{ domain, result: 'pass' }] });
}

const budget = (reporter: string) => {
  const item = inbox.table().get(`budget#${TODAY()}`, reporter);
  return item === undefined ? undefined : { rows: Number(item.rows.N), bytes: Number(item.bytes.N) };
};

describe('duplicates', () => {
  test('the same report delivered twice is stored and counted once', async () => {
    inbox.stored({ 'raw/first': reportMail(GOOGLE), 'raw/again': reportMail(GOOGLE) });

    const result = await handler(inbox.event({ key: 'raw/first' }, { key: 'raw/again' }));

    expect(result).toMatchObject({ messages: 2, reports: 1, duplicates: 1 });
    expect(inbox.puts().filter((p) => p.Key.includes('type=dmarc/'))).toHaveLength(1);
    expect(inbox.metric('DmarcFailedMessages')).toBe(57);
    expect(inbox.metric('ReportsParsed', { Type: 'dmarc' })).toBe(1);
    expect(inbox.metric('DuplicateReports')).toBe(1);
    expect(inbox.outcomes()[1]).toMatchObject({ messageKey: 'raw/again', written: [], duplicates: [{ kind: 'dmarc', domain: 'dept.gov.uk' }] });
    expect(inbox.logs('dmarc report')).toHaveLength(1);
    expect(budget('google.com')?.rows).toBe(3);
  });

  test('a retried invocation is not a duplicate of itself, and spends the reporter\'s budget once', async () => {
    inbox.stored({ 'raw/m': reportMail(GOOGLE) });
    // The first attempt fails after the rows are stored, writing the outcome.
    inbox.s3.on(PutObjectCommand).callsFake((input: { Key: string }) => {
      if (input.Key.includes('type=outcome/')) throw new Error('InternalError');
      return {};
    });
    await expect(handler(inbox.event({ key: 'raw/m' }))).rejects.toThrow('InternalError');
    expect(inbox.metrics()).toEqual([]);

    inbox.s3.on(PutObjectCommand).resolves({});
    const result = await handler(inbox.event({ key: 'raw/m' }));

    expect(result).toMatchObject({ reports: 1, duplicates: 0 });
    expect(inbox.metric('DmarcFailedMessages')).toBe(57);
    expect(inbox.metric('DuplicateReports')).toBeUndefined();
    expect(budget('google.com')?.rows).toBe(3);
    const writes = inbox.puts().filter((p) => p.Key.includes('type=dmarc/'));
    expect(writes).toHaveLength(2);
    expect(writes[1].Key).toBe(writes[0].Key);
    const ips = (body: string) => body.trimEnd().split('\n').map((l) => JSON.parse(l).source_ip);
    expect(ips(writes[1].Body)).toEqual(ips(writes[0].Body));
  });

  test('the same report id from two reporters is two reports', async () => {
    inbox.stored({ 'raw/g': reportMail(GOOGLE), 'raw/m': reportMail(MICROSOFT) });
    const result = await handler(inbox.event({ key: 'raw/g' }, { key: 'raw/m' }));
    expect(result).toMatchObject({ reports: 2, duplicates: 0 });
  });
});

describe('per-reporter daily budgets', () => {
  test('a reporter over its rows for the day: the rest dropped and counted, other reporters unaffected', async () => {
    process.env.MAX_ROWS_PER_REPORTER_DAY = '4';
    inbox.stored({
      'raw/g1': reportMail(GOOGLE, { reportId: 'g1' }),
      'raw/g2': reportMail(GOOGLE, { reportId: 'g2' }),
      'raw/m1': reportMail(MICROSOFT, { reportId: 'm1' }),
    });

    await handler(inbox.event({ key: 'raw/g1' }, { key: 'raw/g2' }, { key: 'raw/m1' }));

    expect(inbox.outcomes().map((o) => o.written.map((w: { rows: number }) => w.rows))).toEqual([[3], [1], [3]]);
    expect(inbox.outcomes()[1].rowsDropped).toEqual({ 'message-rows': 0, 'message-bytes': 0, 'reporter-rows': 2, 'reporter-bytes': 0 });
    expect(inbox.metric('RowsDropped', { Reason: 'reporter-rows' })).toBe(2);
    expect(inbox.metric('RowsDropped')).toBe(2);
    expect(budget('google.com')?.rows).toBe(4);
    expect(budget('microsoft.com')?.rows).toBe(3);
  });

  test('a reporter over its bytes for the day: reporter-bytes', async () => {
    inbox.stored({ 'raw/g1': reportMail(GOOGLE, { reportId: 'g1' }) });
    await handler(inbox.event({ key: 'raw/g1' }));
    const perReport = budget('google.com')!.bytes;
    inbox.table().items.clear();
    process.env.MAX_BYTES_PER_REPORTER_DAY = String(perReport + 10);
    inbox.stored({ 'raw/g2': reportMail(GOOGLE, { reportId: 'g2' }), 'raw/g3': reportMail(GOOGLE, { reportId: 'g3' }) });

    await handler(inbox.event({ key: 'raw/g2' }, { key: 'raw/g3' }));

    expect(inbox.metric('RowsDropped', { Reason: 'reporter-bytes' })).toBe(3);
    expect(budget('google.com')).toEqual({ rows: 3, bytes: perReport });
  });

  test('a flood of unauthenticated reports spends one shared budget, never an authenticated reporter\'s', async () => {
    process.env.MAX_ROWS_PER_REPORTER_DAY = '3';
    inbox.stored({
      'raw/f1': reportMail(GOOGLE, { reportId: 'f1', authenticated: false }),
      'raw/f2': reportMail(GOOGLE, { reportId: 'f2', authenticated: false }),
      'raw/f3': reportMail(MICROSOFT, { reportId: 'f3', authenticated: false }),
      'raw/real': reportMail(GOOGLE, { reportId: 'real' }),
    });

    await handler(inbox.event({ key: 'raw/f1' }, { key: 'raw/f2' }, { key: 'raw/f3' }, { key: 'raw/real' }));

    expect(inbox.outcomes().map((o) => [o.reporter, o.written[0].rows])).toEqual([
      ['unauthenticated', 3], ['unauthenticated', 0], ['unauthenticated', 0], ['google.com', 3],
    ]);
    expect(budget('unauthenticated')?.rows).toBe(3);
    expect(budget('google.com')?.rows).toBe(3);
    expect(inbox.metric('DmarcFailedMessages')).toBe(57);
  });

  test('another invocation spending the same budget at the same time: the update is conditional, and the total stays within the bound', async () => {
    process.env.MAX_ROWS_PER_REPORTER_DAY = '4';
    inbox.stored({ 'raw/g1': reportMail(GOOGLE, { reportId: 'g1' }) });
    let raced = false;
    inbox.table().beforeWrite = (command) => {
      // Just before this invocation first takes from the budget (its first update), another takes 2 rows.
      const key = `budget#${TODAY()}`;
      if (command === 'UpdateItem' && !raced) {
        raced = true;
        inbox.table().items.set(`${key}\u0000google.com`, { pk: { S: key }, sk: { S: 'google.com' }, rows: { N: '2' }, bytes: { N: '100' } });
      }
    };

    await handler(inbox.event({ key: 'raw/g1' }));

    expect(raced).toBe(true);
    expect(inbox.outcomes()[0].written[0].rows).toBe(2);
    expect(budget('google.com')?.rows).toBe(4);
    expect(inbox.metric('RowsDropped', { Reason: 'reporter-rows' })).toBe(1);
  });
});

describe('per-message bounds', () => {
  test('rows: the parser stops at the bound; later reports in the message keep no rows', async () => {
    process.env.MAX_ROWS_PER_MESSAGE = '4';
    const raw = delivered(mail({
      from: GOOGLE,
      parts: ['a', 'b'].map((id) => ({ contentType: 'application/gzip', filename: `${id}.xml.gz`, data: gzipSync(source('google-dept-2026-05-01.xml').replace(/<report_id>[^<]*/, `<report_id>${id}`)) })),
    }), { dkim: [{ domain: 'google.com', result: 'pass' }] });
    inbox.stored({ 'raw/m': raw });

    await handler(inbox.event({ key: 'raw/m' }));

    expect(inbox.rows('dmarc')).toHaveLength(4);
    expect(inbox.metric('RowsDropped', { Reason: 'message-rows' })).toBe(2);
    // The metrics count what was stored: the third row of the first report (57 failures) is stored, the second report's third is not.
    expect(inbox.metric('DmarcMessages', { Domain: 'dept.gov.uk' })).toBe(2209 + 2209 - 57 - 312);
  });

  test('bytes: rows past the message\'s byte bound are dropped and counted', async () => {
    inbox.stored({ 'raw/m': reportMail(GOOGLE) });
    await handler(inbox.event({ key: 'raw/m' }));
    const [first] = inbox.rows('dmarc');
    const oneRow = Buffer.byteLength(`${JSON.stringify(first)}\n`);
    inbox.table().items.clear();
    process.env.MAX_BYTES_PER_MESSAGE = String(oneRow + 5);
    inbox.stored({ 'raw/m2': reportMail(GOOGLE, { reportId: 'other' }) });

    await handler(inbox.event({ key: 'raw/m2' }));

    expect(inbox.outcomes()[1].written[0].rows).toBe(1);
    expect(inbox.metric('RowsDropped', { Reason: 'message-bytes' })).toBe(2);
  });

  test('the hostile mail (two gzip attachments of thousands of rows each) stores no more than the bound', async () => {
    process.env.MAX_ROWS_PER_MESSAGE = '1000';
    const parts = [1, 2].map((n) => ({ contentType: 'application/gzip', filename: `${n}.xml.gz`, data: gzipSync(hostileReport(5000, { reportId: `h${n}`, email: 'dmarc@google.com' })) }));
    inbox.stored({ 'raw/h': delivered(mail({ from: GOOGLE, parts }), { dkim: [{ domain: 'google.com', result: 'pass' }] }) });

    await handler(inbox.event({ key: 'raw/h' }));

    expect(inbox.rows('dmarc')).toHaveLength(1000);
    expect(inbox.metric('RowsDropped', { Reason: 'message-rows' })).toBe(9000);
    expect(inbox.metric('DmarcFailedMessages')).toBe(1000);
    expect(inbox.logs('dmarc source')).toHaveLength(1000);
  });
});
