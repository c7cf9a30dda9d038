import { MTASTS_RULES } from '../../records/mta-sts';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * The MTA-STS policy is in `enforce` mode.
 *
 * A policy in `testing` or `none` mode, or with a mode that is not valid. Reported on the CloudFront
 * Function that serves the policy.
 */
export default defineRule(__filename, [
  R.mtaStsMode,
  MTASTS_RULES.policyMode,
]);
