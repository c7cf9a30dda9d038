/**
 * Profile errors a caller has accepted by an explicit choice (`allowMonitoringOnly`,
 * `allowMissingMtaSts`): reported as warnings that say which prop accepted them, never dropped.
 */
import { Finding, Severity } from '../../records/finding';
import { GOVUK_RULES } from '../../standard/govuk-rules';

/**
 * Report profile errors the caller has explicitly chosen to accept as warnings (for example
 * `p=none` with `allowMonitoringOnly`), with the reason appended to the message. Other findings
 * are returned as they are.
 *
 * @param findings the profile's findings
 * @param ruleIds the rules whose errors are accepted
 * @param reason why, naming the prop that accepts them
 * @internal
 */
export function acceptAsWarnings(findings: Finding[], ruleIds: string[], reason: string): Finding[] {
  return findings.map((f) => f.severity === Severity.ERROR && ruleIds.includes(f.ruleId)
    ? { ...f, severity: Severity.WARNING, message: `${f.message} Accepted as a warning: ${reason}.` }
    : f);
}

/**
 * The profile's DMARC policy errors for `p=none` / `sp=none`, accepted as warnings because
 * `allowMonitoringOnly` was set (by `DmarcRecord` on its own, or by `GovEmailDomain` for its
 * DMARC record).
 * @internal
 */
export function acceptMonitoringOnly(findings: Finding[]): Finding[] {
  return acceptAsWarnings(findings, [GOVUK_RULES.dmarcPolicy.id, GOVUK_RULES.dmarcSubdomainPolicy.id],
    'allowMonitoringOnly is set, so DmarcPolicy.NONE was chosen explicitly; move to quarantine or reject once reports show who sends as the domain');
}
