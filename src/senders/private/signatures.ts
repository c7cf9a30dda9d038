/**
 * How the catalogue's senders show up in DMARC aggregate reports: the domains of their own that
 * they sign with (DKIM `d=`) and send from (RFC5321.MailFrom, SPF `mfrom` or `helo`), as
 * opposed to the department's domain, which every sender uses once it is set up. The report
 * parser classifies each source with these (src/reports/sources.ts).
 *
 * A pattern is a domain (`amazonses.com`: that domain only) or `*.` and a domain
 * (`*.onmicrosoft.com`: any name under it, not the domain itself).
 *
 * @internal
 */
import { SPF_COSTS } from '../sender';

/** What identifies one catalogue sender in a report. @internal */
export interface SenderSignature {
  /** The class id reports carry (`microsoft-365`…). */
  readonly id: string;
  /** The service's name, as the catalogue names it. */
  readonly name: string;
  /** DKIM `d=` domains the service signs with when it is not signing as the department. */
  readonly dkimDomains: string[];
  /** MAIL FROM and HELO domains of the service's own, which SPF results name. */
  readonly spfDomains: string[];
  /** The SPF include the catalogue publishes for the service, if any. */
  readonly spfInclude?: string;
  /** Where the identities come from. */
  readonly basis: string;
  /** What makes its mail pass DMARC as the department's domain, for a finding. */
  readonly setUp: string;
}

/**
 * The catalogue's senders, most specific first: GOV.UK Notify sends through Amazon SES, so its
 * own identities are looked for before SES's.
 * @internal
 */
export const SENDER_SIGNATURES: SenderSignature[] = [
  {
    id: 'govuk-notify',
    name: 'GOV.UK Notify',
    // Notify sends as <service>@notifications.service.gov.uk (GOV.UK Service Manual, "Sending
    // emails from your service"), its production domain, and signs and bounces with it.
    dkimDomains: ['notifications.service.gov.uk', '*.notifications.service.gov.uk'],
    spfDomains: ['notifications.service.gov.uk', '*.notifications.service.gov.uk'],
    basis: 'GOV.UK Notify sends from notifications.service.gov.uk',
    setUp: 'it sends as notifications.service.gov.uk, and nothing in the department\'s DNS makes its mail pass as another domain: send from the service\'s Notify address',
  },
  {
    id: 'microsoft-365',
    name: 'Microsoft 365',
    // Exchange Online signs with the tenant's initial domain (<tenant>.onmicrosoft.com) until
    // the department's own selector1/selector2 CNAMEs point at it; its outbound servers
    // introduce themselves as *.outbound.protection.outlook.com.
    dkimDomains: ['*.onmicrosoft.com'],
    spfDomains: ['*.onmicrosoft.com', '*.protection.outlook.com'],
    spfInclude: SPF_COSTS.microsoft365.domain,
    basis: 'Microsoft 365 signs with the tenant\'s onmicrosoft.com domain',
    setUp: `publish the selector1 and selector2 DKIM CNAMEs that point at the tenant, and add include:${SPF_COSTS.microsoft365.domain} to SPF`,
  },
  {
    id: 'google-workspace',
    name: 'Google Workspace',
    // Without the department's own key Google signs with <domain>.<date>.gappssmtp.com; its
    // servers introduce themselves as mail-*.google.com.
    dkimDomains: ['*.gappssmtp.com', 'google.com'],
    spfDomains: ['*.gappssmtp.com', '*.google.com'],
    spfInclude: SPF_COSTS.googleWorkspace.domain,
    basis: 'Google Workspace signs with gappssmtp.com or google.com',
    setUp: `publish the DKIM key the Google Admin console generates, and add include:${SPF_COSTS.googleWorkspace.domain} to SPF`,
  },
  {
    id: 'amazon-ses',
    name: 'Amazon SES',
    // SES signs every message with d=amazonses.com as well as with Easy DKIM, and without a
    // custom MAIL FROM domain bounces to <region>.amazonses.com.
    dkimDomains: ['amazonses.com'],
    spfDomains: ['amazonses.com', '*.amazonses.com'],
    spfInclude: SPF_COSTS.amazonSes.domain,
    basis: 'Amazon SES signs with amazonses.com and bounces to *.amazonses.com',
    setUp: `publish the SES identity's Easy DKIM CNAMEs, and give it a custom MAIL FROM domain whose SPF record is include:${SPF_COSTS.amazonSes.domain}`,
  },
];

/** Whether a domain matches a signature pattern (`domain` or `*.domain`). Both lower case, no trailing dot. @internal */
export function matchesDomainPattern(domain: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) {
    const parent = pattern.slice(2);
    return domain.length > parent.length + 1 && domain.endsWith(`.${parent}`);
  }
  return domain === pattern;
}
