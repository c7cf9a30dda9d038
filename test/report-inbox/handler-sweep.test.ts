/**
 * The daily sweep (`{"action":"sweep-silent-domains"}`): sending domains whose authenticated
 * aggregate reports stopped for longer than SILENT_AFTER_DAYS are counted (SilentDomains, 0
 * included) and named in a log line; parked domains and recently seen ones are not; a domain
 * never reported on counts from when the sweep first found it listed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inboxHarness } from './support/inbox';
import { CORPUS } from './support/mail';
import { authentic } from './support/ses';
import { silentDomains } from '../../src/report-inbox/handler/sweep';
import { handler } from '../../src/report-inbox/report-parser.lambda';

const inbox = inboxHarness();
const SWEEP = { action: 'sweep-silent-domains' };
const LIST = {
  version: 1,
  inboxDomain: 'reports.dept.gov.uk',
  domains: [
    { name: 'agency.gov.uk', sendsMail: true },
    { name: 'dept.gov.uk', sendsMail: true },
    { name: 'new.gov.uk', sendsMail: true },
    { name: 'old-dept.gov.uk', sendsMail: false },
    { name: 'quiet.gov.uk', sendsMail: true },
    { name: 'reports.dept.gov.uk', sendsMail: false },
  ],
};
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const seen = (domain: string, fields: Record<string, string>) => {
  inbox.table().items.set(`seen\u0000${domain}`, { pk: { S: 'seen' }, sk: { S: domain }, ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { S: v }])) });
};

test('a silent sending domain is counted and named; parked, recently seen and newly listed domains are not', async () => {
  inbox.listed(LIST);
  seen('dept.gov.uk', { at: daysAgo(1), listedAt: daysAgo(40) });
  seen('agency.gov.uk', { at: daysAgo(4), listedAt: daysAgo(40) });
  const quietListed = daysAgo(5);
  seen('quiet.gov.uk', { listedAt: quietListed });
  seen('old-dept.gov.uk', { at: daysAgo(30) });

  const result = await handler(SWEEP);

  expect(result).toEqual({ silent: ['agency.gov.uk', 'quiet.gov.uk'], checked: 4 });
  expect(inbox.metrics().map((m) => [m.MetricName, m.Value, m.Dimensions])).toEqual([['SilentDomains', 2, []]]);
  expect(inbox.logs('silent domains')).toEqual([{ level: 'warn', message: 'silent domains', domains: ['agency.gov.uk', 'quiet.gov.uk'], count: 2 }]);
  // new.gov.uk was never seen nor listed: listed now, silent only after SILENT_AFTER_DAYS from now.
  expect(Date.parse(inbox.table().get('seen', 'new.gov.uk')!.listedAt.S!)).toBeGreaterThan(Date.now() - 60_000);
  // A listing time already recorded is kept.
  expect(inbox.table().get('seen', 'quiet.gov.uk')!.listedAt.S).toBe(quietListed);
});

test('nothing silent: SilentDomains 0 is put, and no warning logged', async () => {
  inbox.listed(LIST);
  for (const d of ['agency.gov.uk', 'dept.gov.uk', 'new.gov.uk', 'quiet.gov.uk']) seen(d, { at: daysAgo(0.5) });

  await handler(SWEEP);

  expect(inbox.metric('SilentDomains')).toBe(0);
  expect(inbox.logs('silent domains')).toEqual([]);
});

test('SILENT_AFTER_DAYS sets the bound', async () => {
  process.env.SILENT_AFTER_DAYS = '7';
  inbox.listed(LIST);
  seen('agency.gov.uk', { at: daysAgo(4) });
  seen('dept.gov.uk', { at: daysAgo(8) });
  await handler(SWEEP);
  expect(inbox.logs('silent domains')[0].domains).toEqual(['dept.gov.uk']);
});

test('an authenticated aggregate report brings a silent domain back', async () => {
  inbox.listed({ version: 1, inboxDomain: 'reports.dept.gov.uk', domains: [{ name: 'dept.gov.uk', sendsMail: true }] });
  seen('dept.gov.uk', { at: daysAgo(10) });
  inbox.stored({ 'raw/google': authentic(readFileSync(join(CORPUS, 'google-dept-2026-05-01.eml'))) });

  await handler(inbox.event({ key: 'raw/google' }));
  await handler(SWEEP);

  expect(inbox.metric('SilentDomains')).toBe(0);
});

test('an unknown action fails the invocation', async () => {
  await expect(handler({ action: 'delete-everything' })).rejects.toThrow('Unknown action: delete-everything');
});

describe('silentDomains', () => {
  const now = new Date('2026-05-10T00:00:00Z');
  const list = { version: 1 as const, inboxDomain: 'r.example.gov.uk', domains: [{ name: 'a.gov.uk', sendsMail: true }] };
  test.each([
    ['seen 3 days less a second ago', [{ domain: 'a.gov.uk', at: '2026-05-07T00:00:01Z' }], []],
    ['seen 3 days and a second ago', [{ domain: 'a.gov.uk', at: '2026-05-06T23:59:59Z' }], ['a.gov.uk']],
    ['never seen, listed 4 days ago', [{ domain: 'a.gov.uk', listedAt: '2026-05-06T00:00:00Z' }], ['a.gov.uk']],
    ['never seen, listed 2 days ago', [{ domain: 'a.gov.uk', listedAt: '2026-05-08T00:00:00Z' }], []],
    ['never seen nor listed', [], []],
    ['seen recently, listed long ago', [{ domain: 'a.gov.uk', at: '2026-05-09T00:00:00Z', listedAt: '2026-01-01T00:00:00Z' }], []],
  ])('%s', (_what, entries, expected) => {
    expect(silentDomains(list, entries, now, 3)).toEqual(expected);
  });
});
