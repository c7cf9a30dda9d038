/**
 * The daily sweep for domains whose reports stopped: every sending domain on the list whose
 * last authenticated aggregate report is older than SILENT_AFTER_DAYS. A domain never reported
 * on counts from when the sweep first found it listed (recorded then, as `listedAt` on its
 * last-seen entry), so a newly listed domain has SILENT_AFTER_DAYS to get its first report, and
 * a domain listed before this sweep existed counts from the first sweep. Parked domains (not
 * sending) are never expected to be reported on, and are not swept.
 */
import { DomainList } from './config';
import { Ledger, SeenDomain } from './ledger';
import { log } from './logs';
import { Metrics } from './metrics';

/** What the sweep found. */
export interface SweepResult {
  readonly silent: string[];
  readonly checked: number;
}

/** The event the daily schedule sends. */
export const SWEEP_ACTION = 'sweep-silent-domains';

/** The silent sending domains, by name: pure, for the sweep and its tests. */
export function silentDomains(list: DomainList, seen: SeenDomain[], now: Date, silentAfterDays: number): string[] {
  const byDomain = new Map(seen.map((s) => [s.domain, s]));
  const limit = now.getTime() - silentAfterDays * 86_400_000;
  return list.domains
    .filter((d) => d.sendsMail)
    .filter((d) => {
      const entry = byDomain.get(d.name);
      const since = entry?.at ?? entry?.listedAt;
      // Never seen nor listed before: listed now, so not silent yet.
      if (since === undefined) return false;
      const t = Date.parse(since);
      return Number.isNaN(t) || t < limit;
    })
    .map((d) => d.name)
    .sort();
}

export async function sweep(list: DomainList, ledger: Ledger, metrics: Metrics, now: Date, silentAfterDays: number): Promise<SweepResult> {
  const seen = await ledger.seenDomains();
  const known = new Set(seen.filter((s) => s.at !== undefined || s.listedAt !== undefined).map((s) => s.domain));
  for (const d of list.domains) {
    if (d.sendsMail && !known.has(d.name)) await ledger.markListed(d.name, now);
  }
  const silent = silentDomains(list, seen, now, silentAfterDays);
  metrics.add('SilentDomains', silent.length);
  if (silent.length > 0) log('warn', 'silent domains', { domains: silent, count: silent.length });
  return { silent, checked: list.domains.filter((d) => d.sendsMail).length };
}
