import { CHECK_RULES } from './check-rules';
import { DnsResult } from './dns';
import { Finding, finding } from '../../records/finding';

/**
 * The finding for a query that got no usable answer (SERVFAIL, timeout, REFUSED or a broken
 * answer), at the name queried.
 *
 * @param context what the name is, for the message (e.g. "the DMARC record")
 */
export function dnsFailureFinding(r: DnsResult<unknown>, name: string, type: string, context: string): Finding {
  const what = `${type} query for ${name}${context ? ` (${context})` : ''}`;
  switch (r.outcome) {
    case 'servfail':
      return finding(CHECK_RULES.servfail, `The ${what} was answered SERVFAIL.`, name);
    case 'timeout':
      return finding(CHECK_RULES.timeout, `The ${what} got no answer in time.`, name);
    default:
      return finding(CHECK_RULES.queryFailed, `The ${what} failed (${r.code ?? 'unknown error'}).`, name);
  }
}
