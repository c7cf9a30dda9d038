import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * A value the pack cannot know before deployment is reported as not evaluated, never as compliant.
 *
 * A record, SES setting or CloudFront setting whose value is a CloudFormation intrinsic the pack cannot
 * resolve (a parameter, an attribute of another resource), a CNAME to a key elsewhere, or an
 * MTA-STS policy not in the app. The message says which value.
 */
export default defineRule(__filename, [
  R.notEvaluated,
]);
