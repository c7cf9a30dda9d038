import { RuleDefinition } from '../../records/finding';
import { CHECK_RULES } from '../../standard/live-rules';

export { CHECK_RULES };


/** The check rules as a list, for reports (SARIF names each rule with its source). */
export function checkRuleList(): RuleDefinition[] {
  return Object.values(CHECK_RULES);
}
