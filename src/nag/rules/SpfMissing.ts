import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * Every domain publishes an SPF record at its apex.
 *
 * Reported on the apex TXT record set when it holds no SPF record, otherwise on the resource that
 * defines the domain (its MX or SES identity).
 */
export default defineRule(__filename, [
  R.spfMissing,
]);
