import { Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { postureOf } from '../plan';
import { reportFindings } from './private/annotations';
import { isEvaluatedByParent } from './private/evaluating-parent';
import { plannedRecord } from './private/planned-records';
import { RecordNames } from './private/record-names';
import { requireListedAtDestination } from './private/report-destinations';
import { TLSRPT_FORMAT, TlsRpt } from '../records/tls-rpt';
import { GovUkProfile } from '../standard/profile';
import { checkTlsRptUris } from './private/report-uris';
import { ZoneWriter } from './private/zone-writer';

/**
 * Properties of a `TlsRptRecord`.
 */
export interface TlsRptRecordProps {
  /**
   * The hosted zone to publish the record in.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The domain that receives mail: the zone's own name, or a name under it. The record is
   * published at `_smtp._tls.<domainName>`.
   *
   * @default - the zone's name
   */
  readonly domainName?: string;

  /**
   * Where sending servers send their daily reports of TLS failures (`rua`): `mailto:` or
   * `https:` URIs. One is recommended: only one destination is guaranteed to receive reports,
   * so more than one raises the `cdk-gov-email:GOVUK-TLSRPT-RUA-COUNT` warning. None fails synth
   * (`TLSRPT-RUA-MISSING`).
   *
   * The address GOV.UK guidance names is `GovUkReportAddresses.TLS_RPT_RUA`; it is never used
   * unless you pass it.
   */
  readonly reportTo: string[];

  /**
   * How long resolvers may cache the record.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
}

/**
 * The SMTP TLS reporting record of a domain that receives mail, `_smtp._tls.<domain>` TXT
 * `v=TLSRPTv1; rua=...` (RFC 8460): sending servers report failures to negotiate TLS (and
 * MTA-STS policy failures) to the addresses given.
 *
 * Creates one `AWS::Route53::RecordSet` (`Resource`) of type TXT.
 *
 * At synth the record is checked with the UK government profile the CLI uses: errors fail synth,
 * warnings become `cdk-gov-email:<RULE-ID>` warning annotations.
 */
export class TlsRptRecord extends Construct {
  /** The domain the record is for (lower case, no trailing dot, when known at synth). */
  public readonly domainName: string;

  /** The record text, for example `v=TLSRPTv1; rua=mailto:tls-reports@dept.gov.uk`. */
  public readonly value: string;

  /** The TXT record set at `_smtp._tls.<domain>`. */
  public readonly recordSet: route53.RecordSet;

  constructor(scope: Construct, id: string, props: TlsRptRecordProps) {
    super(scope, id);
    const names = RecordNames.forDomain(this, props.zone, props.domainName);
    this.domainName = names.domain.name;
    const writer = ZoneWriter.of(this, names, props.ttl);

    const model = { reportUris: checkTlsRptUris(this, props.reportTo) };
    // A report address known only at deployment is checked where it resolves: the record is
    // written as it is; otherwise `render` checks the whole record.
    this.value = props.reportTo.some((uri) => Token.isUnresolved(uri)) ? TLSRPT_FORMAT.write(model) : TlsRpt.render(model);
    requireListedAtDestination(this, names.literalDomain, props.reportTo, 'TLS-RPT');
    this.recordSet = writer.recordSet('Resource', { name: names.at('_smtp._tls.'), type: route53.RecordType.TXT, values: [this.value] });

    if (!isEvaluatedByParent(this)) {
      reportFindings(this, GovUkProfile.evaluate(postureOf({
        domain: names.display,
        records: [plannedRecord(`_smtp._tls.${names.display}`, 'TXT', [this.value])],
        sesIdentities: [],
        parked: false,
        receivesMail: true,
        fields: ['tlsRpt'],
      })));
    }
  }

}
