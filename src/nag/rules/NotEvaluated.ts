import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * A value the pack cannot know before deployment is reported as not evaluated, never as compliant.
 *
 * A record, SES setting or CloudFront setting whose value is a CloudFormation intrinsic the pack cannot
 * resolve (a parameter, an attribute of another resource), or an MTA-STS policy not in the app. The
 * message says which value. A DKIM selector that is a CNAME to a known target is the provider's
 * documented design (Microsoft 365's selector1 and selector2): it is reported as `DKIM-DELEGATED`
 * (info), for `gov-email check` to verify the key live.
 */
export default defineRule(__filename, [
  R.notEvaluated,
  R.dkimDelegated,
]);
