import { DMARC_RULES } from '../../records/dmarc';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * DMARC asks receivers to act: `p` and `sp` are quarantine or reject, for all mail.
 *
 * A DMARC record with `p=none`, no `p`, a subdomain policy of none or a `pct` below 100.
 */
export default defineRule(__filename, [
  R.dmarcPolicy,
  R.dmarcSubdomainPolicy,
  R.dmarcPercentage,
  DMARC_RULES.noPolicy,
  DMARC_RULES.impliedNone,
  DMARC_RULES.percentage,
]);
