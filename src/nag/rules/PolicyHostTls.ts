import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * The MTA-STS policy host accepts TLS 1.2 or later only: CloudFront `TLSv1.2_2021` or newer.
 *
 * An `AWS::CloudFront::Distribution` serving `mta-sts.<domain>` with an older minimum protocol
 * version, or with the CloudFront default certificate. cdk-nag's AwsSolutions-CFR4 accepts
 * TLSv1.1_2016; this rule does not.
 */
export default defineRule(__filename, [
  R.policyHostTls,
]);
