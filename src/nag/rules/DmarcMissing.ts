import { DMARC_RULES } from '../../records/dmarc';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * Every domain publishes a DMARC record at `_dmarc.<domain>`.
 *
 * Reported on the `_dmarc` record set when it holds no DMARC record, otherwise on the resource that
 * defines the domain (its apex SPF record, MX or SES identity).
 */
export default defineRule(__filename, [
  R.dmarcMissing,
  DMARC_RULES.noRecord,
]);
