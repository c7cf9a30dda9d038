import { RuleDefinition, Severity, rule } from '../records/finding';

const SECURING = 'GOV.UK, "Securing government email" (security.gov.uk/guidance/email-security)';
const SETUP = 'GOV.UK, "Set up government email services securely"';
const PARKED = 'GOV.UK, "Protect domains that don\'t send email"';
const MAILCHECK = 'NCSC Mail Check published rules';

/**
 * The UK government email profile, each expectation of STANDARDS.md as a rule with a stable id.
 * RFC rules live beside their record module in src/records.
 * @internal
 */
export const GOVUK_RULES = {
  dmarcMissing: rule('GOVUK-DMARC-MISSING', Severity.ERROR,
    'Every government domain publishes a DMARC record at _dmarc.<domain>.', SECURING),
  dmarcPolicy: rule('GOVUK-DMARC-POLICY', Severity.ERROR,
    'The DMARC policy (p) is quarantine or reject.', `${SECURING}; ${MAILCHECK}`),
  dmarcSubdomainPolicy: rule('GOVUK-DMARC-SUBDOMAIN-POLICY', Severity.ERROR,
    'The DMARC subdomain policy (sp, or p when sp is absent) is quarantine or reject.', `${SECURING}; ${MAILCHECK}`),
  dmarcPercentage: rule('GOVUK-DMARC-PCT', Severity.ERROR,
    'DMARC applies to 100% of mail: publish no pct (RFC 9989 drops it), or pct=100.', `${MAILCHECK}; RFC 9989 App. A.6`),
  dmarcReporting: rule('GOVUK-DMARC-RUA-MISSING', Severity.ERROR,
    'DMARC aggregate reports are requested (rua) so the department sees who sends as its domains.', SECURING),
  dmarcReportCount: rule('GOVUK-DMARC-RUA-COUNT', Severity.ERROR,
    'A DMARC record names at most 2 aggregate report (rua) destinations.', MAILCHECK),
  dmarcLength: rule('GOVUK-DMARC-LENGTH', Severity.WARNING,
    'A DMARC record is at most 450 characters.', `${MAILCHECK}; RFC 7208 §3.4 (512-octet UDP guidance)`),
  dmarcCentralRuf: rule('GOVUK-DMARC-RUF-CENTRAL', Severity.ERROR,
    'The central government DMARC report address is never a failure report (ruf) destination.', MAILCHECK),
  dmarcReportAuthorisation: rule('GOVUK-DMARC-REPORT-AUTHORISATION', Severity.WARNING,
    'A rua at another organisational domain is authorised there by <domain>._report._dmarc.<destination> TXT v=DMARC1.',
    'RFC 7489 §7.1; RFC 9990'),

  spfMissing: rule('GOVUK-SPF-MISSING', Severity.ERROR,
    'Every government domain publishes an SPF record at its apex.', SECURING),
  spfAll: rule('GOVUK-SPF-ALL', Severity.ERROR,
    'SPF ends with ~all or -all: never +all, ?all, or no all at all.', `${SECURING}; ${MAILCHECK}`),

  dkimMissing: rule('GOVUK-DKIM-MISSING', Severity.WARNING,
    'A domain that sends mail publishes a DKIM key for each sending service.', SECURING),
  dkimSelectorPerService: rule('GOVUK-DKIM-SELECTOR-PER-SERVICE', Severity.ERROR,
    'Each sending service signs with its own DKIM key and selector.', SECURING),
  dkimDelegated: rule('DKIM-DELEGATED', Severity.INFO,
    'A DKIM selector that is a CNAME to the provider\'s key is the provider\'s documented design (Microsoft 365, Amazon SES Easy DKIM): the key is published and rotated by the provider, so it is known only in live DNS and `gov-email check` verifies it there.',
    'RFC 6376 §3.6.2.1; Microsoft Learn, "How to use DKIM for email in your custom domain"; Amazon SES Developer Guide, "Easy DKIM"'),

  mtaStsMissing: rule('GOVUK-MTASTS-MISSING', Severity.ERROR,
    'A domain that receives mail publishes MTA-STS: the _mta-sts TXT record and a policy over HTTPS.', SETUP),
  mtaStsPolicyUnavailable: rule('GOVUK-MTASTS-POLICY-UNAVAILABLE', Severity.ERROR,
    'The MTA-STS policy named by the _mta-sts record can be fetched and read.', `${SETUP}; RFC 8461 §3.3`),
  mtaStsMode: rule('GOVUK-MTASTS-MODE', Severity.WARNING,
    'MTA-STS runs in enforce mode (testing is a step on the way, none retires it).', `${SETUP}; ${MAILCHECK}`),
  mtaStsMaxAge: rule('GOVUK-MTASTS-MAX-AGE', Severity.WARNING,
    'MTA-STS max_age is at least 1209600 (2 weeks) in enforce mode and at least 86400 (1 day) in testing mode.', MAILCHECK),
  mtaStsWildcardMx: rule('GOVUK-MTASTS-WILDCARD-MX', Severity.WARNING,
    'MTA-STS mx entries name hosts, not wildcards (Exchange Online\'s documented wildcard is accepted as info).', SETUP),

  tlsRptMissing: rule('GOVUK-TLSRPT-MISSING', Severity.ERROR,
    'A domain that receives mail publishes TLS-RPT at _smtp._tls.<domain>.', SETUP),
  tlsRptReportCount: rule('GOVUK-TLSRPT-RUA-COUNT', Severity.WARNING,
    'TLS-RPT names one rua: only one destination is guaranteed to receive reports.', MAILCHECK),

  sesTlsRequired: rule('GOVUK-SES-TLS-REQUIRED', Severity.ERROR,
    'Mail sent through Amazon SES uses a configuration set with TLS policy REQUIRE, set as the identity\'s default.',
    `${SECURING} (require TLS to government domains); Amazon SES Developer Guide, "Amazon SES and security protocols"`),
  policyHostTls: rule('GOVUK-POLICY-HOST-TLS', Severity.ERROR,
    'The MTA-STS policy host accepts TLS 1.2 or later only (CloudFront security policy TLSv1.2_2021 or newer).', `${SECURING}; RFC 8461 §3.3`),
  dnssec: rule('GOVUK-DNSSEC', Severity.INFO,
    'DNSSEC signing is recommended, not required.', SECURING),

  parkedSpf: rule('GOVUK-PARKED-SPF', Severity.ERROR,
    'A domain that sends no mail publishes exactly v=spf1 -all.', PARKED),
  parkedDmarc: rule('GOVUK-PARKED-DMARC', Severity.ERROR,
    'A domain that sends no mail publishes DMARC p=reject; sp=reject; adkim=s; aspf=s.', PARKED),
  parkedDkim: rule('GOVUK-PARKED-DKIM', Severity.WARNING,
    'A domain that sends no mail revokes every DKIM key with *._domainkey TXT v=DKIM1; p=.', PARKED),
  parkedMx: rule('GOVUK-PARKED-MX', Severity.ERROR,
    'A domain that receives no mail publishes a null MX (0 .) and no other MX.', `${PARKED}; RFC 7505`),
  parkedCaa: rule('GOVUK-PARKED-CAA', Severity.INFO,
    'A domain that serves nothing can forbid certificate issuance with CAA 0 issue ";".', `${PARKED} (common practice); RFC 8659 §4.2`),

  notEvaluated: rule('GOVUK-NOT-EVALUATED', Severity.WARNING,
    'A record could not be evaluated because its value is not known here (an unresolved token or intrinsic).',
    'cdk-gov-email: values are checked where they resolve, never assumed compliant'),
} satisfies Record<string, RuleDefinition>;
