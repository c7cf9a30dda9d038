import { DKIM_RULES } from '../../records/dkim';
import { defineRule } from '../private/rule';

/**
 * Each DKIM key record is well formed (RFC 6376 §3.6.1).
 *
 * A DKIM key record with bad tags, no `p=`, an unknown key type or a key that cannot be read.
 */
export default defineRule(__filename, [
  DKIM_RULES.tagSyntax,
  DKIM_RULES.version,
  DKIM_RULES.duplicateTag,
  DKIM_RULES.keyMissing,
  DKIM_RULES.keyRevoked,
  DKIM_RULES.keyType,
  DKIM_RULES.keyInvalid,
  DKIM_RULES.hashAlgorithm,
  DKIM_RULES.serviceType,
  DKIM_RULES.testing,
  DKIM_RULES.unknownTag,
]);
