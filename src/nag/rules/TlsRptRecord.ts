import { TLSRPT_RULES } from '../../records/tls-rpt';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * The TLS-RPT record is one well-formed record with one `rua` destination.
 *
 * A malformed TLS-RPT record, more than one, bad report URIs, or more than one `rua`.
 */
export default defineRule(__filename, [
  R.tlsRptReportCount,
  TLSRPT_RULES.version,
  TLSRPT_RULES.ruaMissing,
  TLSRPT_RULES.uriScheme,
  TLSRPT_RULES.uriEncoding,
  TLSRPT_RULES.uriMalformed,
  TLSRPT_RULES.duplicateField,
  TLSRPT_RULES.fieldSyntax,
  TLSRPT_RULES.unknownField,
  TLSRPT_RULES.multipleRecords,
]);
