import { MX_RULES } from '../../records/mx';
import { defineRule } from '../private/rule';

/**
 * MX records are well formed, and a null MX stands alone (RFC 7505).
 *
 * An MX whose preference or exchange is not valid, or a null MX beside other MX records.
 */
export default defineRule(__filename, [
  MX_RULES.syntax,
  MX_RULES.preference,
  MX_RULES.exchange,
  MX_RULES.exchangeIp,
  MX_RULES.nullMxNotAlone,
  MX_RULES.nullMxPreference,
]);
