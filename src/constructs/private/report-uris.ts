import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidInput } from './findings';
import { DMARC_RULES, Dmarc, DmarcModel, DmarcPolicy } from '../../records/dmarc';
import { Severity } from '../../records/finding';
import { TLSRPT_RULES, TlsRpt } from '../../records/tls-rpt';
import { GOVUK_RULES } from '../../standard/rules';

/**
 * DMARC aggregate report URIs (`rua`): one or two, each one DMARC accepts. Throws for bad input; returns the URIs.
 * @internal
 */
export function checkDmarcAggregateUris(scope: IConstruct, uris: string[]): string[] {
  const allowed = 'one or two mailto: URIs, for example ["mailto:dmarc-reports@dept.gov.uk"]';
  if (uris.length === 0) {
    throw invalidInput(scope, GOVUK_RULES.dmarcReporting.id, uris, allowed);
  }
  if (uris.length > 2) {
    throw invalidInput(scope, GOVUK_RULES.dmarcReportCount.id, uris, allowed);
  }
  checkDmarcUris(scope, 'rua', uris);
  return uris;
}

/**
 * DMARC failure report URIs (`ruf`): at least one when given, each one DMARC accepts.
 * @internal
 */
export function checkDmarcFailureUris(scope: IConstruct, uris: string[]): string[] {
  if (uris.length === 0) {
    throw invalidInput(scope, DMARC_RULES.reportUri.id, uris,
      'one or more mailto: URIs, or leave failureReportTo out to request no failure reports');
  }
  checkDmarcUris(scope, 'ruf', uris);
  return uris;
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
      throw invalidInput(scope, error.ruleId, uri, `a mailto: or https: URI with "," "!" and ";" percent-encoded (${error.message})`);
    }
  }
  return uris;
}

/** Each URI on its own, so one bad URI cannot turn into a different record (a `;` in it would end the tag). */
function checkDmarcUris(scope: IConstruct, tag: 'rua' | 'ruf', uris: string[]): void {
  for (const uri of uris) {
    if (Token.isUnresolved(uri)) continue;
    const model: DmarcModel = tag === 'rua'
      ? { policy: DmarcPolicy.REJECT, aggregateReportUris: [{ uri }] }
      : { policy: DmarcPolicy.REJECT, failureReportUris: [{ uri }] };
    const error = Dmarc.validate(model).find((f) => f.severity === Severity.ERROR);
    if (error !== undefined) {
      throw invalidInput(scope, error.ruleId, uri, `a mailto: URI with "," "!" and ";" percent-encoded (${error.message})`);
    }
  }
}
