import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * A domain that sends mail publishes a DKIM key for each service that signs for it.
 *
 * A sending domain with no DKIM key, or a bring-your-own-DKIM selector with no key published.
 */
export default defineRule(__filename, [
  R.dkimMissing,
  R.dkimSelectorPerService,
]);
