import { DKIM_RULES } from '../../records/dkim';
import { RuleDefinition } from '../../records/finding';
import { GOVUK_RULES } from '../../standard/govuk-rules';
import { VERIFY_RULES } from '../../standard/live-rules';

export { VERIFY_RULES };


/** Every rule a verify report may name, for SARIF's rule list. */
export function verifyRuleList(): RuleDefinition[] {
  return [...Object.values(VERIFY_RULES), GOVUK_RULES.sesTlsRequired, GOVUK_RULES.notEvaluated, DKIM_RULES.rsaUnder2048];
}
