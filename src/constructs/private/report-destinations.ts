import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isInZone } from './record-names';
import { normaliseDomainName } from '../../records/private/names';
import { reportUriDomain } from '../../records/private/uri';
import { REPORT_RULES } from '../../standard/report-rules';

/**
 * A report destination built in the same app: a `ReportInbox`. Records that send reports to it
 * learn from it which authorisation records it already publishes, and whether it takes their
 * domain's reports at all.
 * @internal
 */
export interface ReportDestination {
  /** The construct that receives the reports. */
  readonly owner: IConstruct;
  /** The domain the report addresses are at, lower case: `reports.dept.gov.uk`. */
  readonly domainName: string;
  /**
   * The domains whose reports it takes, lower case; names under them are taken too. Read each
   * time it is needed: an inbox takes domains added after it is built (it registers a getter).
   */
  readonly domains: string[];
  /** The `<domain>._report._dmarc.<destination>` names it publishes, lower case, as its domains are now. */
  readonly authorisations: string[];
}

/** Per app (the construct tree's root): the report destinations built in it. */
const DESTINATIONS = new WeakMap<IConstruct, ReportDestination[]>();

/**
 * Make a report destination known to the constructs of its app.
 * @internal
 */
export function registerReportDestination(destination: ReportDestination): void {
  const root = destination.owner.node.root;
  const known = DESTINATIONS.get(root) ?? [];
  known.push(destination);
  DESTINATIONS.set(root, known);
}

/**
 * The destination of the app that a report URI is addressed to, if any.
 * @internal
 */
export function reportDestinationOf(scope: IConstruct, uri: string): ReportDestination | undefined {
  if (Token.isUnresolved(uri)) return undefined;
  const host = reportUriDomain(uri);
  if (host === undefined) return undefined;
  return (DESTINATIONS.get(scope.node.root) ?? []).find((d) => d.domainName === host);
}

/**
 * True when a destination publishes the authorisation record of this name.
 * @internal
 */
export function isAuthorisedByDestination(scope: IConstruct, uri: string, authorisationName: string): boolean {
  const destination = reportDestinationOf(scope, uri);
  return destination !== undefined && destination.authorisations.includes(authorisationName.toLowerCase());
}

/**
 * Fail synth when a domain sends reports to a destination of the app that does not list it: the
 * destination's parser would reject every report, and it publishes no authorisation for the
 * domain. Checked when the app is validated, so the destination may be built before or after.
 *
 * @param scope the construct that publishes the record naming the URIs
 * @param domain the domain the record is for (lower case), or undefined when not known at synth
 * @param uris the report URIs the record names
 * @param kind what the record is, for the message: `DMARC` or `TLS-RPT`
 * @internal
 */
export function requireListedAtDestination(scope: IConstruct, domain: string | undefined, uris: string[], kind: string): void {
  if (domain === undefined || Token.isUnresolved(domain)) return;
  const name = normaliseDomainName(domain);
  scope.node.addValidation({
    validate: () => {
      const r = REPORT_RULES.inboxUnlistedDomain;
      const messages: string[] = [];
      for (const uri of uris) {
        const destination = reportDestinationOf(scope, uri);
        if (destination === undefined) continue;
        const listed = [...destination.domains, destination.domainName].some((d) => isInZone(d, name));
        if (!listed) {
          messages.push(`[${r.id}] ${r.summary} Got: ${kind} reports for "${name}" sent to ${uri}, the inbox ${destination.owner.node.path}, whose domains are ${destination.domains.join(', ')}. Allowed: add "${name}" to the inbox's domains, or send the reports elsewhere. (${r.source})`);
        }
      }
      return messages;
    },
  });
}
