/**
 * The central DMARC policy records built in an app (`CentralDmarcPolicy`), by name: a parked
 * domain whose `_dmarc` is a CNAME to one of them is judged by the policy it points at, at
 * synth, as a resolver would read it. Looked up when the app is validated, so the central record
 * may be built before or after the domains that point at it.
 */
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isInZone } from './record-names';
import { reportDestinationOf } from './report-destinations';
import { PlannedRecord } from '../../plan';
import { normaliseDomainName } from '../../records/private/names';
import { REPORT_RULES } from '../../standard/report-rules';

/** One label of a record name: letters, digits, hyphens and underscores (RFC 8552 underscored labels), 1 to 63 octets. */
const RECORD_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * True when a name (lower case, no trailing dot) is one a central record can have: two or more
 * labels of letters, digits, hyphens and underscores, each at most 63 octets, at most 253 in all.
 * @internal
 */
export function isCentralRecordName(name: string): boolean {
  const labels = name.split('.');
  return name.length <= 253 && labels.length >= 2 && labels.every((l) => RECORD_LABEL.test(l));
}

/**
 * A central DMARC policy record of the app.
 * @internal
 */
export interface CentralDmarcRecord {
  /** The construct that publishes it, named in messages. */
  readonly owner: IConstruct;
  /** The record's name, lower case without the trailing dot. */
  readonly recordName: string;
  /** The record set as the plan holds it (TXT quoted as Route 53 takes it; values holding a token left out). */
  readonly planned: PlannedRecord;
  /** The report URIs it names (`rua` and `ruf`), as given: tokens are kept and skipped by whoever reads them. */
  readonly reportUris: string[];
}

/** Per app (the construct tree's root): the central records built in it, by name. */
const POLICIES = new WeakMap<IConstruct, Map<string, CentralDmarcRecord>>();

/**
 * Make a central DMARC policy record known to the constructs of its app. A name known only at
 * deployment is not registered: nothing can point at it by name at synth.
 * @internal
 */
export function registerCentralDmarcPolicy(record: CentralDmarcRecord): void {
  if (Token.isUnresolved(record.recordName)) return;
  const root = record.owner.node.root;
  const known = POLICIES.get(root) ?? new Map<string, CentralDmarcRecord>();
  // Two constructs publishing one name in one zone are a ROUTE53-RECORD-CONFLICT of their own:
  // the first keeps the name here.
  if (!known.has(record.recordName)) known.set(record.recordName, record);
  POLICIES.set(root, known);
}

/**
 * The central DMARC policy record of `scope`'s app with this name, if one is built in it.
 * @internal
 */
export function centralDmarcPolicyOf(scope: IConstruct, recordName: string): CentralDmarcRecord | undefined {
  if (Token.isUnresolved(recordName)) return undefined;
  return POLICIES.get(scope.node.root)?.get(normaliseDomainName(recordName));
}

/**
 * The `REPORT-INBOX-UNLISTED-DOMAIN` messages for a domain whose reports go, through a central
 * record, to a `ReportInbox` of the app that does not list it: what `requireListedAtDestination`
 * checks, for a caller that is itself a validation.
 * @internal
 */
export function unlistedAtDestinations(scope: IConstruct, domain: string, uris: string[], via: string): string[] {
  const r = REPORT_RULES.inboxUnlistedDomain;
  const messages: string[] = [];
  for (const uri of uris) {
    const destination = reportDestinationOf(scope, uri);
    if (destination === undefined) continue;
    const domains = listOf(destination.domains);
    const listed = [...domains, destination.domainName].some((d) => isInZone(d, domain));
    if (!listed) {
      messages.push(`[${r.id}] ${r.summary} Got: DMARC reports for "${domain}" sent to ${uri} (${via}), the inbox ${destination.owner.node.path}, whose domains are ${domains.join(', ')}. Allowed: add "${domain}" to the inbox's domains, or send the reports elsewhere. (${r.source})`);
    }
  }
  return messages;
}

/** A destination's domains, whether it gives them as a list or (an inbox that takes domains up to synthesis) as a function. */
function listOf(domains: unknown): string[] {
  return (typeof domains === 'function' ? (domains as () => string[])() : domains) as string[];
}
