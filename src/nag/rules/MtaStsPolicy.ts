import { MTASTS_RULES } from '../../records/mta-sts';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * The MTA-STS policy is well formed, names its MX hosts rather than wildcards, and covers every MX.
 *
 * A policy body with bad syntax, missing or wildcard `mx` lines, or an MX it does not cover. Reported
 * on the CloudFront Function that serves the policy.
 */
export default defineRule(__filename, [
  R.mtaStsWildcardMx,
  MTASTS_RULES.policyVersion,
  MTASTS_RULES.policyVersionOrder,
  MTASTS_RULES.policyMxMissing,
  MTASTS_RULES.policyMxSyntax,
  MTASTS_RULES.policyMxWildcard,
  MTASTS_RULES.policyMxNotCovered,
  MTASTS_RULES.policyDuplicateKey,
  MTASTS_RULES.policyUnknownKey,
  MTASTS_RULES.policyExtensionSyntax,
  MTASTS_RULES.policySyntax,
  MTASTS_RULES.policySize,
]);
