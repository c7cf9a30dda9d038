import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * A domain that sends and receives no mail says so: `v=spf1 -all`, DMARC reject with strict alignment, a revoked wildcard DKIM key and a null MX.
 *
 * A parked domain (no sending, no MX other than a null MX) that misses one of the records GOV.UK asks
 * for, or publishes a weaker one.
 */
export default defineRule(__filename, [
  R.parkedSpf,
  R.parkedDmarc,
  R.parkedDkim,
  R.parkedMx,
  R.parkedCaa,
]);
