import { SPF_RULES } from '../../records/spf';
import { defineRule } from '../private/rule';

/**
 * A name publishes one SPF record: two make every receiver return permerror (RFC 7208 §4.5).
 *
 * More than one `v=spf1` value at a name, in one record set or across several.
 */
export default defineRule(__filename, [
  SPF_RULES.multipleRecords,
]);
