import { DMARC_RULES } from '../../records/dmarc';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * The DMARC record is one well-formed record of at most 450 characters.
 *
 * More than one DMARC record, a record that does not start with `v=DMARC1`, bad tags or values, or one
 * longer than 450 characters.
 */
export default defineRule(__filename, [
  R.dmarcLength,
  DMARC_RULES.version,
  DMARC_RULES.literalQuotes,
  DMARC_RULES.tagSyntax,
  DMARC_RULES.duplicateTag,
  DMARC_RULES.policyValue,
  DMARC_RULES.alignmentValue,
  DMARC_RULES.psdValue,
  DMARC_RULES.testingValue,
  DMARC_RULES.historicTag,
  DMARC_RULES.unknownTag,
  DMARC_RULES.multipleRecords,
]);
