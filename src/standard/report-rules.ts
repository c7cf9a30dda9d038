import { RuleDefinition, Severity, rule } from '../records/finding';

/**
 * The rules of the report inbox and `gov-email reports`: synth errors of `ReportInbox` and the
 * findings the command reports.
 * @internal
 */
export const REPORT_RULES = {
  sesReceivingRegion: rule('SES-RECEIVING-REGION', Severity.ERROR,
    'Amazon SES receives email only in some regions: the stack that holds a ReportInbox is in one of them, so its MX record points at a working inbound-smtp.<region>.amazonaws.com.',
    'AWS General Reference, "Amazon Simple Email Service endpoints and quotas" (Email receiving endpoints); Amazon SES Developer Guide, "Publishing an MX record for Amazon SES email receiving"'),
  inboxAddress: rule('REPORT-INBOX-ADDRESS', Severity.ERROR,
    'The report inbox\'s address is one DNS label (letters, digits and inner hyphens, at most 63) under the zone\'s name, and the zone\'s name is known at synth.',
    'RFC 1035 §2.3.1; RFC 5321 §4.1.2'),
  inboxDomains: rule('REPORT-INBOX-DOMAINS', Severity.ERROR,
    'A report inbox serves one or more domain names, each named once; reports about any other domain are rejected.',
    'RFC 7489 §7.1; RFC 9990 §3'),
  inboxUnlistedDomain: rule('REPORT-INBOX-UNLISTED-DOMAIN', Severity.ERROR,
    'A domain that sends its DMARC or TLS reports to a ReportInbox of the app is one of the inbox\'s domains: the inbox publishes the DMARC report authorisation, and its parser takes reports, only for its own domains and the names under them.',
    'RFC 7489 §7.1; RFC 9990 §3; cdk-gov-email ReportInbox'),
  inboxSettings: rule('REPORT-INBOX-SETTINGS', Severity.ERROR,
    'The parser function\'s reserved concurrency is a whole number from 1 to 1000, and the Glue database name is lower-case letters, digits and underscores.',
    'AWS Lambda Developer Guide, "Configuring reserved concurrency"; AWS Glue Developer Guide, "Names in AWS Glue" (Athena: lower case)'),
  inboxRetention: rule('REPORT-INBOX-RETENTION', Severity.ERROR,
    'Raw report mail and parsed rows are kept a whole number of days, at least one.',
    'Amazon S3 User Guide, "Lifecycle configuration elements" (Expiration Days)'),
  inboxMetricNamespace: rule('REPORT-INBOX-METRIC-NAMESPACE', Severity.ERROR,
    'The inbox\'s CloudWatch metric namespace is 1 to 255 characters (letters, digits, space and . - _ / # :), does not start with a colon, and does not start with AWS/, which CloudWatch reserves for AWS services.',
    'Amazon CloudWatch API Reference, PutMetricData (Namespace); Amazon CloudWatch User Guide, "Metrics concepts" (Namespaces)'),
  ruleSetInactive: rule('REPORT-INBOX-RULE-SET-INACTIVE', Severity.INFO,
    'SES uses one active receipt rule set per region and account; CloudFormation cannot make a rule set active, so the inbox receives nothing until its rule set is activated.',
    'Amazon SES API Reference, SetActiveReceiptRuleSet; AWS::SES::ReceiptRuleSet'),
  dmarcFailures: rule('REPORTS-DMARC-FAILURES', Severity.WARNING,
    'Messages using the domain failed DMARC: neither aligned DKIM nor aligned SPF passed. Either a service that sends as the domain is not set up (add its DKIM key or SPF include) or someone is spoofing the domain.',
    'RFC 7489 §4.2, §7.2; RFC 9990 §2'),
  tlsFailures: rule('REPORTS-TLS-FAILURES', Severity.WARNING,
    'Sending servers failed to establish TLS to the domain\'s mail servers as its policy (MTA-STS, DANE) requires; the report names the result types.',
    'RFC 8460 §4.3'),
  rejected: rule('REPORTS-REJECTED', Severity.ERROR,
    'A report could not be read: not a DMARC or TLS report, malformed, over a size limit, or carrying content the parser refuses (entity declarations, nested archives).',
    'RFC 7489 §7.2.1; RFC 8460 §5'),
  summary: rule('REPORTS-SUMMARY', Severity.INFO,
    'What the reports say about the domain: messages and DMARC results, TLS sessions and failures.',
    'RFC 7489 §7.2; RFC 8460 §4'),
} satisfies Record<string, RuleDefinition>;
