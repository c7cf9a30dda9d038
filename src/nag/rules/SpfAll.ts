import { SPF_RULES } from '../../records/spf';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * SPF ends with `-all` or `~all`: never `+all`, `?all`, or no `all`.
 *
 * An SPF record that lets any host pass or go unjudged.
 */
export default defineRule(__filename, [
  R.spfAll,
  SPF_RULES.passAll,
  SPF_RULES.noAll,
]);
