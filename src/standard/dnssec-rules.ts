import { RuleDefinition, Severity, rule } from '../records/finding';

/**
 * The rules about DNSSEC that `gov-email check` reads from live DNS: a signed zone's parent
 * vouches for its keys (DS), and the resolver validated the answers. An unsigned zone breaks no
 * rule (GOV.UK recommends DNSSEC, and does not require it): the report says so on the domain's
 * DNSSEC line instead.
 */
export const DNSSEC_RULES = {
  noDs: rule('DNSSEC-NO-DS', Severity.WARNING,
    'A zone that publishes DNSKEY records has a DS record at its parent: without one no resolver can validate the zone, and the signatures protect nothing.',
    'RFC 4035 §5; RFC 4033 §3.1 (islands of security)'),
  dsWithoutKey: rule('DNSSEC-DS-WITHOUT-DNSKEY', Severity.ERROR,
    'A DS record at the parent names a key the zone publishes: a DS record for a zone that publishes no DNSKEY makes every answer from the zone bogus, and validating resolvers answer SERVFAIL.',
    'RFC 4035 §5.2, §5.5'),
  notValidated: rule('DNSSEC-NOT-VALIDATED', Severity.INFO,
    'The resolver validated the signed zone\'s answers (AD bit): it did not, so either it does not validate DNSSEC or it could not (use a validating resolver to tell).',
    'RFC 4035 §3.2.3; RFC 6840 §5.7'),
} satisfies Record<string, RuleDefinition>;

/**
 * The rules about DANE for SMTP: the `_25._tcp.<mx>` TLSA records a sender uses, instead of the
 * public CA system, to authenticate a mail server's certificate.
 */
export const DANE_RULES = {
  usage: rule('DANE-TLSA-USAGE', Severity.WARNING,
    'TLSA records for SMTP use usage 2 (DANE-TA) or 3 (DANE-EE): senders treat usages 0 and 1 (PKIX-TA, PKIX-EE) as unusable.',
    'RFC 7672 §3.1.3; RFC 7671 §5'),
  parameters: rule('DANE-TLSA-PARAMETERS', Severity.ERROR,
    'A TLSA record has selector 0 or 1, matching type 0, 1 or 2, and association data of the length its matching type gives (32 octets for SHA-256, 64 for SHA-512).',
    'RFC 6698 §2.1; RFC 7218'),
  noMatch: rule('DANE-NO-MATCH', Severity.ERROR,
    'At least one usable TLSA record matches the certificate chain the mail server presents: when none does, senders that use DANE defer the mail.',
    'RFC 7672 §2.2, §3.1; RFC 7671 §5.1, §5.2'),
  withoutDnssec: rule('DANE-WITHOUT-DNSSEC', Severity.WARNING,
    'TLSA records are validated with DNSSEC: without a validated answer (an unsigned zone, or a resolver that does not validate) senders ignore them.',
    'RFC 7672 §2.2; RFC 6698 §4.1'),
  notProbed: rule('DANE-NOT-PROBED', Severity.INFO,
    'TLSA records are checked against the certificate the mail server presents: no certificate was seen (the STARTTLS probe was off or failed), so they were not.',
    'RFC 7672 §3.1'),
} satisfies Record<string, RuleDefinition>;
