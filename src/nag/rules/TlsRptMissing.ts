import { TLSRPT_RULES } from '../../records/tls-rpt';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * A domain that receives mail publishes TLS-RPT at `_smtp._tls.<domain>`.
 *
 * A domain with an MX but no TLS-RPT record (reported on the MX record set).
 */
export default defineRule(__filename, [
  R.tlsRptMissing,
  TLSRPT_RULES.noRecord,
]);
