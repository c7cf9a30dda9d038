import { RuleDefinition, Severity, rule } from '../records/finding';

const SES_GUIDE = 'Amazon SES Developer Guide';

/**
 * Construct-level rules: what the constructs check about their own inputs that no record or
 * profile rule covers.
 * @internal
 */
export const CONSTRUCT_RULES = {
  dnsName: rule('DNS-NAME-SYNTAX', Severity.ERROR,
    'A domain name is at least two dot-separated labels of letters, digits and inner hyphens, each at most 63 octets, at most 253 octets in all.',
    'RFC 1035 §2.3.1, §2.3.4; RFC 1123 §2.1'),
  outsideZone: rule('ROUTE53-NAME-OUTSIDE-ZONE', Severity.ERROR,
    'Records are published at the hosted zone\'s own name or a name under it; when the zone was imported without its name, the domain name must be given.',
    'Amazon Route 53 API Reference, ChangeResourceRecordSets (InvalidChangeBatch: "RRSet with DNS name … is not permitted in zone …")'),
  ttl: rule('ROUTE53-TTL', Severity.ERROR,
    'A record\'s TTL is a whole number of seconds from 0 to 2147483647.',
    'Amazon Route 53 API Reference, ResourceRecordSet (TTL); RFC 2181 §8'),
  dnssecKeyRegion: rule('ROUTE53-DNSSEC-KEY-REGION', Severity.ERROR,
    'Route 53 signs a zone with a customer managed ECC_NIST_P256 KMS key in US East (N. Virginia), us-east-1, so the stack that creates the key is in us-east-1.',
    'Amazon Route 53 Developer Guide, "Working with customer managed keys for DNSSEC"'),
  changeBatchSize: rule('ROUTE53-CHANGE-BATCH-SIZE', Severity.ERROR,
    'One change batch holds at most 1,000 values and 32,000 characters of values, each counted twice when the change is an UPSERT.',
    'Amazon Route 53 API Reference, ChangeResourceRecordSets'),
} satisfies Record<string, RuleDefinition>;

/**
 * Construct-level rules of `SesSendingIdentity` that no record model owns. Their ids appear in synth
 * errors.
 * @internal
 */
export const SES_RULES = {
  domainName: rule('SES-DOMAIN-NAME', Severity.ERROR,
    'An SES domain identity is a domain name: at least two labels of letters, digits and inner hyphens, each at most 63 characters, at most 253 in all, with no trailing dot.',
    `RFC 1035 §2.3.1; RFC 1123 §2.1; ${SES_GUIDE}, "Creating a domain identity"`),
  domainOutsideZone: rule('SES-DOMAIN-OUTSIDE-ZONE', Severity.ERROR,
    'An SES domain identity is the hosted zone\'s name or a name under it, so its DKIM and MAIL FROM records can be published in that zone.',
    'Amazon Route 53 Developer Guide, "Working with records"'),
  mailFromDomain: rule('SES-MAIL-FROM-DOMAIN', Severity.ERROR,
    'The custom MAIL FROM domain is a subdomain of the identity (one or more labels under it) that is not itself used to send mail or to receive mail.',
    `${SES_GUIDE}, "Using a custom MAIL FROM domain"`),
  dkimSelector: rule('SES-DKIM-SELECTOR', Severity.ERROR,
    'A BYODKIM selector is one DNS label: 1–63 letters, digits and inner hyphens.',
    `RFC 6376 §3.1; ${SES_GUIDE}, "Provide your own authentication token (BYODKIM)"`),
} satisfies Record<string, RuleDefinition>;

/**
 * Construct-level rules the record constructs need that no record model, profile or platform
 * rule covers.
 * @internal
 */
export const RECORD_CONSTRUCT_RULES = {
  recordConflict: rule('ROUTE53-RECORD-CONFLICT', Severity.ERROR,
    'One construct publishes each name and type in a hosted zone: Route 53 holds one record set per name and type, and a CNAME alone at its name.',
    'Amazon Route 53 API Reference, ChangeResourceRecordSets (InvalidChangeBatch: the record set already exists); RFC 1034 §3.6.2; RFC 2181 §10.1'),
  dkimSelector: rule('DKIM-SELECTOR-SYNTAX', Severity.ERROR,
    'A DKIM selector is one or more dot-separated labels of letters, digits and inner hyphens, each at most 63 octets.',
    'RFC 6376 §3.1; RFC 5321 §4.1.2 (sub-domain)'),
  dkimCnameTarget: rule('DKIM-CNAME-TARGET', Severity.ERROR,
    'A DKIM CNAME points at a domain name: at least two dot-separated labels of letters, digits, hyphens and underscores, each at most 63 octets, at most 253 in all.',
    'RFC 1034 §3.6.2; RFC 6376 §3.6.2.1; RFC 8552 §2 (underscored labels)'),
  dkimRecordType: rule('DKIM-RECORD-TYPE', Severity.ERROR,
    'A DKIM record is a CNAME to the key a service publishes, or a TXT record holding the key.',
    'RFC 6376 §3.6.2.1'),
} satisfies Record<string, RuleDefinition>;
