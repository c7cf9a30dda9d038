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
  region: rule('SES-REGION', Severity.ERROR,
    'An SES identity is created in the region of the stack that holds it, and its MAIL FROM MX host names that region: a region given to Sender.amazonSes() is the stack\'s.',
    `${SES_GUIDE}, "Regions and Amazon SES" (identities, configuration sets and the MAIL FROM feedback endpoint are per region)`),
  dkimSelector: rule('SES-DKIM-SELECTOR', Severity.ERROR,
    'A BYODKIM selector is one DNS label: 1–63 letters, digits and inner hyphens.',
    `RFC 6376 §3.1; ${SES_GUIDE}, "Provide your own authentication token (BYODKIM)"`),
  configurationSetName: rule('SES-CONFIGURATION-SET-NAME', Severity.ERROR,
    'A configuration set name is 1 to 64 letters, digits, underscores and hyphens.',
    'AWS CloudFormation User Guide, AWS::SES::ConfigurationSet (Name); Amazon SES API Reference, CreateConfigurationSet'),
} satisfies Record<string, RuleDefinition>;

/**
 * Rules of the sender catalogue's options (`Sender.amazonSes()`, `Sender.microsoft365()`,
 * `Sender.custom()`, …). A factory records a problem in the sender; the construct that receives
 * the sender reports it with its own path.
 * @internal
 */
export const SENDER_RULES = {
  name: rule('SENDER-NAME', Severity.ERROR,
    'A custom sender has a name, used in messages: at least one character that is not a space.',
    'cdk-gov-email sender catalogue (Sender.custom)'),
  dkimTargets: rule('SENDER-DKIM-TARGETS', Severity.ERROR,
    'Microsoft 365 signs with selector1 and selector2: its DKIM CNAMEs need exactly two targets (selector1\'s, then selector2\'s), or the tenant\'s initial domain to derive them from.',
    'Microsoft Learn, "How to use DKIM for email in your custom domain" (Microsoft 365); RFC 6376 §3.6.2.1'),
  spfIncludeCost: rule('SENDER-SPF-INCLUDE-COST', Severity.ERROR,
    'The lookup cost of an SPF include (the DNS-querying terms its target\'s record adds, and its void lookups) is a whole number, 0 or more.',
    'RFC 7208 §4.6.4 (each DNS-querying term counts once, at most 10; at most 2 void lookups)'),
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
  /**
   * A `!size` limit given to the DMARC constructs: an explicit choice of deprecated syntax, so it
   * is published (RFC 7489 receivers still read it) with a warning. In a record read from DNS the
   * same suffix is the info `DMARC-REPORT-SIZE`.
   */
  centralDmarcRecordName: rule('DMARC-CENTRAL-RECORD-NAME', Severity.ERROR,
    'A central DMARC policy record is a name in its hosted zone, known at synth, that is not itself a domain\'s _dmarc record, and no domain\'s _dmarc CNAME points at its own name.',
    'RFC 1034 §3.6.2 (a CNAME chain must end); RFC 9989 §4.10; Amazon Route 53 API Reference, ChangeResourceRecordSets'),
  centralDmarcOptions: rule('DMARC-CENTRAL-OPTIONS', Severity.ERROR,
    'A parked domain whose _dmarc is a CNAME to a central policy record publishes no DMARC record of its own: the central record names the report destinations, so dmarcReportTo is not given with it.',
    'cdk-gov-email ParkedDomain; RFC 1034 §3.6.2 (a CNAME is alone at its name)'),
  centralDmarcUnresolved: rule('DMARC-CENTRAL-NOT-EVALUATED', Severity.WARNING,
    'A _dmarc CNAME to a central policy record that is not built in the same app cannot be judged at synth: the policy it points at is checked after deployment (gov-email check).',
    'cdk-gov-email: values are checked where they resolve, never assumed compliant'),
  dmarcUriSizeLimit: rule('DMARC-URI-SIZE-LIMIT', Severity.WARNING,
    'A report destination given with a !size limit is published as written, but RFC 9989 deprecates the suffix (it removed it from the grammar): receivers that follow RFC 9989 ignore the limit and may send reports of any size.',
    'RFC 9989 §4.8; RFC 7489 §6.2'),
} satisfies Record<string, RuleDefinition>;

/**
 * Rules of `MtaStsPolicyHost` that no record, profile or platform rule covers. Proposed for
 * `standard/platform-rules.ts`; until they are in the catalogue the construct passes the summary
 * to `invalidInput` itself.
 * @internal
 */
export const MTASTS_HOST_RULES = {
  region: rule('MTASTS-HOST-REGION', Severity.ERROR,
    'An MTA-STS policy host is in a us-east-1 stack: CloudFront takes its certificates from ACM in US East (N. Virginia) only.',
    'Amazon CloudFront Developer Guide, "Requirements for using SSL/TLS certificates with CloudFront"'),
  zoneReference: rule('MTASTS-HOST-ZONE-REFERENCE', Severity.ERROR,
    'The policy host publishes mta-sts.<domain> and the certificate validation records in each domain\'s zone from its own stack: a zone created in a stack in another region must be imported there by id.',
    'AWS CDK Developer Guide, "Cross-stack references" (references work within one environment)'),
  shardSize: rule('MTASTS-HOST-SHARD-SIZE', Severity.ERROR,
    'A distribution of the policy host serves 1 to 100 domains: CloudFront allows 100 alternate domain names per distribution by default, and ACM at most 100 names per certificate.',
    'Amazon CloudFront Developer Guide, "Quotas"; AWS Certificate Manager User Guide, "Quotas"'),
  functionSize: rule('MTASTS-HOST-FUNCTION-SIZE', Severity.ERROR,
    'The CloudFront Function that holds one distribution\'s policies is at most 10 KB (10,240 bytes) of code.',
    'Amazon CloudFront Developer Guide, "Quotas on CloudFront Functions" (maximum size of a function)'),
  commonName: rule('MTASTS-HOST-CERTIFICATE-NAME', Severity.ERROR,
    'A certificate\'s domain name (its common name) is at most 64 characters: one mta-sts.<domain> name of each distribution must be.',
    'AWS Certificate Manager API Reference, RequestCertificate (DomainName); RFC 5280 Appendix A (ub-common-name)'),
  certificateQuota: rule('MTASTS-HOST-CERTIFICATE-NAMES', Severity.WARNING,
    'ACM allows 10 names per certificate unless the quota "Domain names per ACM certificate" is raised (to 100 at most) in us-east-1: a distribution of more than 10 domains fails to deploy until it is.',
    'AWS Certificate Manager User Guide, "Quotas"'),
} satisfies Record<string, RuleDefinition>;

/**
 * Rules of `DomainPortfolio`: how domains are laid out over stacks within CloudFormation's quotas.
 * @internal
 */
export const PORTFOLIO_RULES = {
  scope: rule('PORTFOLIO-SCOPE', Severity.ERROR,
    'A DomainPortfolio creates its own stacks, so it is created in an App or a Stage, never inside a Stack.',
    'AWS CDK Developer Guide, "Stacks" (a stack is defined within the scope of an App or a Stage)'),
  shardCount: rule('PORTFOLIO-SHARD-COUNT', Severity.ERROR,
    'A portfolio spreads its domains over a fixed number of stacks (shardCount, 1 to 100), chosen once: changing it moves domains between stacks.',
    'AWS CloudFormation User Guide, "Quotas" (500 resources per stack); cdk-gov-email DomainPortfolio sharding rule'),
  stackPin: rule('PORTFOLIO-STACK-PIN', Severity.ERROR,
    'A domain pinned to a stack names it by number, a whole number from 1 to 999.',
    'cdk-gov-email DomainPortfolio sharding rule'),
  stackResources: rule('PORTFOLIO-STACK-RESOURCES', Severity.ERROR,
    'Each stack of a portfolio holds at most maxResourcesPerStack resources (default 400), well under CloudFormation\'s 500 resources per stack, which also keeps its template far below the 1 MB limit for templates uploaded through S3.',
    'AWS CloudFormation User Guide, "Quotas" (resources per stack: 500; template body size in an S3 object: 1 MB)'),
  zoneName: rule('PORTFOLIO-ZONE-NAME', Severity.ERROR,
    'A hosted zone id names one zone: every domain given the same hostedZoneId gives the same zoneName.',
    'Amazon Route 53 API Reference, HostedZone (Id, Name)'),
  domainOptions: rule('PORTFOLIO-DOMAIN-OPTIONS', Severity.ERROR,
    'Each domain of a portfolio is made with PortfolioDomain.parked() or PortfolioDomain.sending(), with its domain name and hosted zone id known at synth.',
    'cdk-gov-email DomainPortfolio'),
} satisfies Record<string, RuleDefinition>;
