import { MTASTS_RULES } from '../../records/mta-sts';
import { defineRule } from '../private/rule';

/**
 * The `_mta-sts` TXT record is one record `v=STSv1; id=<1–32 letters and digits>` (RFC 8461 §3.1).
 *
 * A malformed `_mta-sts` record, more than one, or an `id` that is not 1–32 letters and digits.
 */
export default defineRule(__filename, [
  MTASTS_RULES.version,
  MTASTS_RULES.id,
  MTASTS_RULES.multipleRecords,
  MTASTS_RULES.duplicateField,
  MTASTS_RULES.extensionSyntax,
  MTASTS_RULES.unknownField,
  MTASTS_RULES.recordSyntax,
]);
