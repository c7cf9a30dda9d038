import { DomainCheckOptions, checkDomain } from './checker';
import { DomainReport } from '../report';

/**
 * The default number of domains checked at once. bench/check (docs/benchmarks.md) measured 8, 16
 * and 64 the same within noise at every round trip it tried (0, 10 and 40 ms), since the DNS
 * client keeps up to DEFAULT_MAX_IN_FLIGHT queries out whatever the domains; 16 keeps the policy
 * fetches and mail-server probes in flight modest.
 */
export const DEFAULT_CONCURRENCY = 16;

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
