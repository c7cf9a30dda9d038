import { DMARC_RULES } from '../../records/dmarc';
import { GOVUK_RULES as R } from '../../standard/rules';
import { defineRule } from '../private/rule';

/**
 * DMARC reports reach the department: one or two `rua` destinations, valid report URIs, and authorised when at another organisation.
 *
 * No `rua`, more than two, the central address as a `ruf`, an unauthorised external destination, or a
 * report URI or `fo` value that is not valid.
 */
export default defineRule(__filename, [
  R.dmarcReporting,
  R.dmarcReportCount,
  R.dmarcCentralRuf,
  R.dmarcReportAuthorisation,
  DMARC_RULES.reportUri,
  DMARC_RULES.reportUriScheme,
  DMARC_RULES.reportSize,
  DMARC_RULES.failureOptionsValue,
  DMARC_RULES.failureOptionsCombination,
  DMARC_RULES.failureOptionsWithoutRuf,
]);
