import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * Mail sent through SES is required to use TLS: the identity's default configuration set has `tlsPolicy: REQUIRE`.
 *
 * An `AWS::SES::EmailIdentity` with no default configuration set, or the `AWS::SES::ConfigurationSet`
 * it uses when its TLS policy is not REQUIRE.
 */
export default defineRule(__filename, [
  R.sesTlsRequired,
]);
