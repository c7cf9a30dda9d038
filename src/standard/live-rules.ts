import { RuleDefinition, Severity, rule } from '../records/finding';

/**
 * The rules only a live check can break: DNS failures, and SPF problems that only show when
 * the include chain is followed. Every other finding of `gov-email check` comes from the
 * records' rules and the UK government profile.
 */
export const CHECK_RULES = {
  nxdomain: rule('DNS-NXDOMAIN', Severity.ERROR,
    'The domain exists in DNS: a name that does not exist (NXDOMAIN) holds no mail records.',
    'RFC 1035 §4.1.1 (RCODE 3, Name Error); RFC 8020'),
  servfail: rule('DNS-SERVFAIL', Severity.ERROR,
    'DNS queries for the domain\'s records are answered: a SERVFAIL gives receivers a temporary error (SPF and DMARC temperror) and they defer or refuse mail.',
    'RFC 1035 §4.1.1 (RCODE 2); RFC 7208 §2.6.6; RFC 9989 §4.10'),
  timeout: rule('DNS-TIMEOUT', Severity.ERROR,
    'DNS queries for the domain\'s records are answered within the timeout: an unanswered query is a temporary error for receivers.',
    'RFC 1035 §4.2.1; RFC 7208 §2.6.6, §4.6.4'),
  queryFailed: rule('DNS-QUERY-FAILED', Severity.ERROR,
    'DNS queries for the domain\'s records get an answer a resolver can use (not REFUSED, not malformed).',
    'RFC 1035 §4.1.1'),
  spfIncludeLoop: rule('SPF-INCLUDE-LOOP', Severity.ERROR,
    'No SPF include or redirect leads back to a record already being evaluated: a loop ends in permerror.',
    'RFC 7208 §4.6.4, §5.2, §6.1'),
  spfIncludeNoRecord: rule('SPF-INCLUDE-NO-RECORD', Severity.ERROR,
    'Every include and redirect target publishes one SPF record: a target with none makes the include (or redirect) a permerror.',
    'RFC 7208 §5.2, §6.1'),
  cnameDangling: rule('DNS-CNAME-DANGLING', Severity.ERROR,
    'A _dmarc CNAME points at a name that holds the record: a CNAME to a name that does not exist, or holds no TXT record, leaves the domain with no DMARC policy.',
    'RFC 1034 §3.6.2; RFC 9989 §4.10 (a DMARC lookup follows CNAMEs as any TXT lookup does)'),
  cnameLoop: rule('DNS-CNAME-LOOP', Severity.ERROR,
    'A CNAME chain ends: a chain that leads back to a name already in it, or runs longer than a resolver follows, is answered SERVFAIL by resolvers, a temporary error for receivers.',
    'RFC 1034 §3.6.2, §5.3.3; RFC 1035 §7.1'),
  checkFailed: rule('CHECK-FAILED', Severity.ERROR,
    'The domain could be checked: an unexpected failure is reported rather than assumed compliant.',
    'cdk-gov-email: values are checked where they resolve, never assumed compliant'),
} satisfies Record<string, RuleDefinition>;

const SES_GUIDE = 'Amazon SES Developer Guide';
const SES_API = 'Amazon SES API v2 Reference, GetEmailIdentity';
const DRIFT = 'cdk-gov-email: the live Route 53 records are the ones the cloud assembly publishes (CloudFormation drift)';

/**
 * The rules only `gov-email verify` can break: the state of the SES identities in the account,
 * and Route 53 record sets that differ from the cloud assembly. The TLS policy and the DKIM key
 * length keep the ids the profile and the record rules already give them.
 */
export const VERIFY_RULES = {
  identityNotFound: rule('SES-IDENTITY-NOT-FOUND', Severity.ERROR,
    'The SES identity the cloud assembly declares exists in the account and region verified.',
    `${SES_API} (NotFoundException); ${SES_GUIDE}, "Creating and verifying identities"`),
  identityNotVerified: rule('SES-IDENTITY-NOT-VERIFIED', Severity.ERROR,
    'The SES identity is verified for sending (VerifiedForSendingStatus true, VerificationStatus SUCCESS).',
    `${SES_API} (VerifiedForSendingStatus, VerificationStatus); ${SES_GUIDE}, "Verifying a DKIM domain identity"`),
  dkimNotVerified: rule('SES-DKIM-NOT-VERIFIED', Severity.ERROR,
    'SES signs the identity\'s mail with DKIM (SigningEnabled true) and has found its DKIM records (DkimAttributes.Status SUCCESS).',
    `${SES_API} (DkimAttributes); ${SES_GUIDE}, "Authenticating email with DKIM in Amazon SES"; RFC 6376`),
  mailFromNotVerified: rule('SES-MAIL-FROM-NOT-VERIFIED', Severity.ERROR,
    'The identity\'s custom MAIL FROM domain is set as the cloud assembly says and SES has found its MX record (MailFromDomainStatus SUCCESS), so SPF aligns for DMARC.',
    `${SES_API} (MailFromAttributes); ${SES_GUIDE}, "Using a custom MAIL FROM domain"; RFC 7489 §3.1.2`),
  mailFromBehaviour: rule('SES-MAIL-FROM-BEHAVIOUR', Severity.WARNING,
    'When the MAIL FROM MX record cannot be found SES rejects the message (BehaviorOnMxFailure REJECT_MESSAGE) rather than silently sending from amazonses.com and losing SPF alignment.',
    `${SES_GUIDE}, "Using a custom MAIL FROM domain" (behavior on MX failure); cdk-gov-email secure default`),
  noDefaultConfigurationSet: rule('SES-NO-DEFAULT-CONFIGURATION-SET', Severity.ERROR,
    'The identity has a default configuration set that exists, so the configuration set\'s TLS policy applies to all its mail.',
    `${SES_GUIDE}, "Default configuration sets"; GOV.UK, "Securing government email" (require TLS to government domains)`),

  zoneNotFound: rule('ROUTE53-ZONE-NOT-FOUND', Severity.ERROR,
    'The hosted zone the cloud assembly publishes records in exists in the account verified.',
    'Amazon Route 53 API Reference, ListHostedZonesByName, ListResourceRecordSets (NoSuchHostedZone)'),
  zoneAmbiguous: rule('ROUTE53-ZONE-AMBIGUOUS', Severity.WARNING,
    'One public hosted zone has the name the records are published under; with more, only the one the parent delegates to is answered.',
    'Amazon Route 53 Developer Guide, "Working with public hosted zones"'),
  driftMissing: rule('ROUTE53-DRIFT-MISSING', Severity.ERROR,
    'Every record set the cloud assembly publishes is in the hosted zone.', DRIFT),
  driftExtra: rule('ROUTE53-DRIFT-EXTRA', Severity.WARNING,
    'At the names the cloud assembly manages there are no other record sets of the types it manages, and no TXT record set it does not know of.',
    `${DRIFT}; RFC 7208 §4.5 (more than one SPF record is a permerror)`),
  driftDifferent: rule('ROUTE53-DRIFT-DIFFERENT', Severity.ERROR,
    'Each record set in the hosted zone holds the values (and TTL) the cloud assembly publishes.', DRIFT),
} satisfies Record<string, RuleDefinition>;
