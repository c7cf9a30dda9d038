import { DomainCheckOptions, checkDomain } from './checker';
import { DomainReport } from '../report';

/**
 * The default number of domains checked at once. A domain's checks wait on each other (its
 * `_mta-sts` record, then its policy host's address, then the policy fetch: five round trips or
 * more), so at real round trips the domains in flight, not the DNS client, set the pace: bench/check
 * (docs/benchmarks.md), 1,000 domains with `--no-smtp` at +40 ms, took 6.8 s with 16 and 2.8 s with
 * 64. DNS queries stay bounded by DEFAULT_MAX_IN_FLIGHT and mail-server probes by the probe limiter
 * (at most 32 at once, one a host), whatever this is; policy fetches are one a domain at most.
 */
export const DEFAULT_CONCURRENCY = 64;

export interface BulkCheckOptions extends DomainCheckOptions {
  /** Domains checked at once. */
  readonly concurrency: number;
  /** Called each time a domain is done. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Check many domains with bounded concurrency, sharing the DNS client (and so its cache).
 * The reports come back in the order the domains were given, whatever order they finish in.
 */
export async function checkDomains(domains: string[], options: BulkCheckOptions): Promise<DomainReport[]> {
  const results: DomainReport[] = new Array(domains.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < domains.length) {
      const i = next++;
      results[i] = await checkDomain(domains[i], options);
      done++;
      options.onProgress?.(done, domains.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, domains.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
