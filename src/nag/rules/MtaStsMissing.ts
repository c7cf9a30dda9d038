import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * A domain that receives mail publishes MTA-STS.
 *
 * A domain with an MX but no `_mta-sts` record (reported on the MX record set), or whose policy
 * cannot be had.
 */
export default defineRule(__filename, [
  R.mtaStsMissing,
  R.mtaStsPolicyUnavailable,
]);
