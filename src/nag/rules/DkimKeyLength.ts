import { DKIM_RULES } from '../../records/dkim';
import { defineRule } from '../private/rule';

/**
 * DKIM keys are long enough: RSA at least 1024 bits (MUST) and 2048 (SHOULD), Ed25519 well formed.
 *
 * An SES identity whose Easy DKIM `NextSigningKeyLength` is RSA_1024_BIT, or a published key that is
 * too short (RFC 8301 §3.1–3.2).
 */
export default defineRule(__filename, [
  DKIM_RULES.rsaUnder1024,
  DKIM_RULES.rsaUnder2048,
  DKIM_RULES.rsaOver4096,
  DKIM_RULES.ed25519Length,
]);
