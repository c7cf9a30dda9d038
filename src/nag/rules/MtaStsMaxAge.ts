import { MTASTS_RULES } from '../../records/mta-sts';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * The MTA-STS `max_age` is at least 2 weeks in enforce mode (1 day in testing), and at most a year.
 *
 * A policy whose `max_age` is below Mail Check's thresholds or not valid. Reported on the CloudFront
 * Function that serves the policy.
 */
export default defineRule(__filename, [
  R.mtaStsMaxAge,
  MTASTS_RULES.policyMaxAge,
]);
