import { RuleDefinition, Severity, rule } from '../../records/finding';

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
  checkFailed: rule('CHECK-FAILED', Severity.ERROR,
    'The domain could be checked: an unexpected failure is reported rather than assumed compliant.',
    'cdk-gov-email: values are checked where they resolve, never assumed compliant'),
} satisfies Record<string, RuleDefinition>;

/** The check rules as a list, for reports (SARIF names each rule with its source). */
export function checkRuleList(): RuleDefinition[] {
  return Object.values(CHECK_RULES);
}
