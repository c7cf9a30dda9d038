import { SPF_RULES } from '../../records/spf';
import { defineRule } from '../private/rule';

/**
 * SPF stays within 10 DNS lookups, counted through includes (RFC 7208 §4.6.4).
 *
 * An SPF record over the lookup budget or the void lookup limit. Includes of the sender catalogue
 * count what they cost (see `GovEmailChecksProps.spfIncludeCosts`); others count one each.
 */
export default defineRule(__filename, [
  SPF_RULES.lookupLimit,
  SPF_RULES.lookupCostUnknown,
  SPF_RULES.voidLookupLimit,
  SPF_RULES.mxAddressLookups,
]);
