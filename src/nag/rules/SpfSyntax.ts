import { SPF_RULES } from '../../records/spf';
import { defineRule } from '../private/rule';

/**
 * The SPF record is well formed (RFC 7208).
 *
 * Unknown mechanisms, malformed terms, bad addresses or macros, `ptr`, terms after `all`, a `v=spf1` among the terms.
 */
export default defineRule(__filename, [
  SPF_RULES.version,
  SPF_RULES.unknownMechanism,
  SPF_RULES.malformedTerm,
  SPF_RULES.invalidDomainSpec,
  SPF_RULES.invalidMacro,
  SPF_RULES.invalidIp4,
  SPF_RULES.invalidIp6,
  SPF_RULES.cidrRange,
  SPF_RULES.termsAfterAll,
  SPF_RULES.redirectWithAll,
  SPF_RULES.duplicateModifier,
  SPF_RULES.ptr,
  SPF_RULES.duplicateTerm,
  SPF_RULES.unknownModifier,
  SPF_RULES.versionAsTerm,
]);
