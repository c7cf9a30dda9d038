import { RuleDefinition, Severity, rule } from '../records/finding';

const SECURING = 'GOV.UK, "Securing government email" (security.gov.uk/guidance/email-security)';

/**
 * The rules only a conversation with a domain's mail servers can break: STARTTLS offered, the
 * TLS version, and the certificate each MX host presents, as `gov-email check` finds them by
 * connecting to port 25 the way a sending MTA does.
 */
export const TRANSIT_RULES = {
  starttlsMissing: rule('SMTP-STARTTLS-MISSING', Severity.ERROR,
    'Every MX host offers STARTTLS in its reply to EHLO, so mail to the domain can travel encrypted; without it senders that require TLS cannot deliver and the rest send in plaintext.',
    `RFC 3207 §4; ${SECURING} (support TLS 1.2 or later)`),
  starttlsFailed: rule('SMTP-STARTTLS-FAILED', Severity.ERROR,
    'An MX host that offers STARTTLS accepts the command and completes the TLS handshake; senders that require TLS defer the mail, and many others retry in plaintext.',
    `RFC 3207 §4, §4.1; RFC 8446; ${SECURING}`),
  tlsVersion: rule('SMTP-TLS-VERSION', Severity.ERROR,
    'Every MX host negotiates TLS 1.2 or later with a sender that offers TLS 1.0 to 1.3: the government standard asks for TLS 1.2 or later, and TLS 1.0 and 1.1 are deprecated.',
    `${SECURING} (support TLS 1.2 or later); RFC 8996; RFC 8997`),
  certUntrusted: rule('SMTP-CERT-UNTRUSTED', Severity.ERROR,
    'The certificate chain each MX host presents leads to a trusted root CA; MTA-STS senders refuse (enforce) or report (testing) a host whose chain does not.',
    'RFC 8461 §4.2; RFC 5280 §6'),
  certName: rule('SMTP-CERT-NAME', Severity.ERROR,
    'The certificate each MX host presents is valid for the MX host name (a subjectAltName DNS-ID, a wildcard covering one label); MTA-STS senders refuse (enforce) or report (testing) one that is not.',
    'RFC 8461 §4.2; RFC 6125 §6.4'),
  certExpired: rule('SMTP-CERT-EXPIRED', Severity.ERROR,
    'The certificate each MX host presents is within its validity period (not expired, not yet to start).',
    'RFC 5280 §4.1.2.5; RFC 8461 §4.2'),
  mxFailed: rule('SMTP-MX-FAILED', Severity.WARNING,
    'Every MX host accepts an SMTP connection on port 25 and answers the greeting, EHLO and STARTTLS within the time limits, as RFC 5321 asks; senders queue, then bounce, mail for a host that does not.',
    'RFC 5321 §4.2, §4.5.3.2, §5.1'),
  unreachable: rule('SMTP-UNREACHABLE', Severity.WARNING,
    'At least one MX host could be reached on port 25 from where the check ran; when none can, outbound port 25 is most often blocked on the checking network (run with --no-smtp there).',
    'RFC 5321 §5.1; cdk-gov-email: transit security is reported only when a mail server was reached'),
  probeLimit: rule('SMTP-PROBE-LIMIT', Severity.INFO,
    'MX hosts beyond the per-domain limit were not probed; their transit security is not known.',
    'cdk-gov-email: a bounded number of mail servers is contacted per domain'),
} satisfies Record<string, RuleDefinition>;
