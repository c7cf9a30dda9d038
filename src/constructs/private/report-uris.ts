import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ANNOTATION_PREFIX, invalidInput } from './annotations';
import { DMARC_RULES, Dmarc, DmarcModel, DmarcPolicy, DmarcReportUri } from '../../records/dmarc';
import { Finding, Severity } from '../../records/finding';
import { splitReportUriSize } from '../../records/private/uri';
import { TLSRPT_RULES, TlsRpt } from '../../records/tls-rpt';
import { GOVUK_RULES } from '../../standard/govuk-rules';
import { RECORD_CONSTRUCT_RULES } from '../../standard/platform-rules';
import { RuleCatalogue } from '../../standard/rule-catalogue';

/**
 * DMARC aggregate report URIs (`rua`): one or two, each one DMARC accepts, with an optional
 * RFC 7489 `!size` limit (noted with `DMARC-URI-SIZE-LIMIT`). Throws for bad input; returns the
 * URIs read into the model.
 * @internal
 */
export function checkDmarcAggregateUris(scope: IConstruct, uris: string[]): DmarcReportUri[] {
  const allowed = 'one or two mailto: URIs, for example ["mailto:dmarc-reports@dept.gov.uk"]';
  if (uris.length === 0) {
    throw invalidInput(scope, GOVUK_RULES.dmarcReporting.id, uris, allowed);
  }
  if (uris.length > 2) {
    throw invalidInput(scope, GOVUK_RULES.dmarcReportCount.id, uris, allowed);
  }
  return checkDmarcUris(scope, 'rua', uris);
}

/**
 * DMARC failure report URIs (`ruf`): at least one when given, each one DMARC accepts (a `!size`
 * limit as for `rua`).
 * @internal
 */
export function checkDmarcFailureUris(scope: IConstruct, uris: string[]): DmarcReportUri[] {
  if (uris.length === 0) {
    throw invalidInput(scope, DMARC_RULES.reportUri.id, uris,
      'one or more mailto: URIs, or leave failureReportTo out to request no failure reports');
  }
  return checkDmarcUris(scope, 'ruf', uris);
}

/**
 * TLS-RPT report URIs: at least one, each one TLS-RPT accepts.
 *
 * @param whenEmpty what to add to the allowed values when none is given, for a construct where
 * the record itself is optional
 * @internal
 */
export function checkTlsRptUris(scope: IConstruct, uris: string[], whenEmpty: string = ''): string[] {
  if (uris.length === 0) {
    throw invalidInput(scope, TLSRPT_RULES.ruaMissing.id, uris,
      `one mailto: or https: URI, for example ["mailto:tls-reports@dept.gov.uk"]${whenEmpty}`);
  }
  for (const uri of uris) {
    if (Token.isUnresolved(uri)) continue;
    const error = TlsRpt.validate({ reportUris: [uri] }).find((f) => f.severity === Severity.ERROR);
    if (error !== undefined) {
      throw invalidInput(scope, error.ruleId, uri, 'a mailto: or https: URI with "," "!" and ";" percent-encoded, for example "mailto:tls-reports@dept.gov.uk"',
        whatIsWrong(error));
    }
  }
  return uris;
}

/**
 * Each URI on its own, so one bad URI cannot turn into a different record (a `;` in it would end
 * the tag). A `!size` after the URI is read as RFC 7489 §6.2 has it, and noted as deprecated.
 */
function checkDmarcUris(scope: IConstruct, tag: 'rua' | 'ruf', uris: string[]): DmarcReportUri[] {
  const out: DmarcReportUri[] = [];
  const sized: string[] = [];
  for (const text of uris) {
    if (Token.isUnresolved(text)) {
      out.push({ uri: text });
      continue;
    }
    const reportUri: DmarcReportUri = splitReportUriSize(text);
    const error = dmarcUriError(tag, text, reportUri);
    if (error !== undefined) {
      throw invalidInput(scope, error.ruleId, text, 'a mailto: URI with "," "!" and ";" percent-encoded, for example "mailto:dmarc-reports@dept.gov.uk"',
        whatIsWrong(error));
    }
    if (reportUri.maxSize !== undefined) sized.push(`"${text}"`);
    out.push(reportUri);
  }
  if (sized.length > 0) {
    const r = RECORD_CONSTRUCT_RULES.dmarcUriSizeLimit;
    Annotations.of(scope).addWarningV2(`${ANNOTATION_PREFIX}${r.id}`,
      `The DMARC ${tag} ${sized.join(', ')} ${sized.length === 1 ? 'has' : 'have'} a !size limit, chosen explicitly: published as written for RFC 7489 receivers, but RFC 9989 deprecates the suffix, so receivers that follow it ignore the limit. Leave it out unless reports must be capped. (${r.source})`);
  }
  return out;
}

/**
 * The first error DMARC's rules find in one report URI, or undefined, by tag and URI as given: an
 * estate's domains name the same addresses, so each is validated once. At most `URI_ERRORS_KEPT`.
 */
const uriErrors = new Map<string, Finding | undefined>();
const URI_ERRORS_KEPT = 1000;

function dmarcUriError(tag: 'rua' | 'ruf', text: string, reportUri: DmarcReportUri): Finding | undefined {
  const key = `${tag} ${text}`;
  if (uriErrors.has(key)) {
    return uriErrors.get(key);
  }
  const model: DmarcModel = tag === 'rua'
    ? { policy: DmarcPolicy.REJECT, aggregateReportUris: [reportUri] }
    : { policy: DmarcPolicy.REJECT, failureReportUris: [reportUri] };
  const error = Dmarc.validate(model).find((f) => f.severity === Severity.ERROR);
  if (uriErrors.size >= URI_ERRORS_KEPT) uriErrors.clear();
  uriErrors.set(key, error);
  return error;
}

/**
 * The error's own message first, saying what is wrong with the value given ("The rua URI
 * "dmarc@dept.gov.uk" has no scheme: ..."), then the rule it breaks.
 */
function whatIsWrong(error: Finding): string {
  const summary = RuleCatalogue.find(error.ruleId)?.summary;
  const first = /^(rua|ruf) /.test(error.message) ? `The ${error.message}` : error.message;
  return summary === undefined ? first : `${first} ${summary}`;
}
