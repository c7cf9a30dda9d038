import { Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { sesInboundHost } from './private/ses-receiving';
import type { ReportInboxMtaStsOptions } from './report-inbox';
import { invalidInput, reportFindings } from '../constructs/private/annotations';
import { PublishedMtaSts, checkMtaStsMaxAge, checkMtaStsMode, missingMtaSts, publishMtaStsPolicy } from '../constructs/private/mta-sts-options';
import { plannedRecord } from '../constructs/private/planned-records';
import { ZoneWriter } from '../constructs/private/zone-writer';
import { postureOf } from '../plan';
import { Dmarc, DmarcAlignment, DmarcPolicy } from '../records/dmarc';
import { MTASTS_RULES, MtaStsPolicyModel } from '../records/mta-sts';
import { TlsRpt } from '../records/tls-rpt';
import { GovUkProfile } from '../standard/profile';

/**
 * What the inbox's own domain is published with.
 * @internal
 */
export interface OwnDomainProps {
  /** The inbox's domain, `<address>.<zone>`. */
  readonly domainName: string;
  readonly dmarcAddress: string;
  readonly tlsReportAddress: string;
  /** The stack's region (a token when the stack is environment-agnostic). */
  readonly region: string;
  readonly identity: ses.EmailIdentity;
  readonly mtaSts?: ReportInboxMtaStsOptions;
  readonly allowMissingMtaSts: boolean;
}

/**
 * The records of the inbox's own domain, a domain that receives mail and sends none, written in
 * the inbox's scope with the ids they have always had (`DkimCname1`–`3`, `Mx`, `Spf`, `Dmarc`,
 * `TlsRpt`, `MtaSts…`), and the domain judged as the CLI and the pack judge it: `postureOf` and
 * `GovUkProfile`.
 *
 * They are not written by a `GovEmailDomain`: its records live under its own construct path,
 * so their logical ids would change, and CloudFormation creates a record under its new id
 * before it deletes the old one, which Route 53 refuses ("already exists").
 *
 * @returns the MTA-STS policy body, when `mtaSts` is given
 * @internal
 */
export function publishOwnDomain(owner: Construct, writer: ZoneWriter, props: OwnDomainProps): string | undefined {
  const domain = props.domainName;
  const at = (prefix: string) => `${prefix}${domain}`;
  writer.easyDkimCnames(props.identity);
  writer.recordSet('Mx', { name: at(''), type: route53.RecordType.MX, values: [`10 ${sesInboundHost(props.region)}`] });
  // The inbox domain receives mail and sends none: the records GOV.UK asks of such a domain.
  writer.recordSet('Spf', { name: at(''), type: route53.RecordType.TXT, values: ['v=spf1 -all'] });
  const dmarcTxt = Dmarc.render({
    policy: DmarcPolicy.REJECT,
    subdomainPolicy: DmarcPolicy.REJECT,
    nonExistentSubdomainPolicy: DmarcPolicy.REJECT,
    dkimAlignment: DmarcAlignment.STRICT,
    spfAlignment: DmarcAlignment.STRICT,
    aggregateReportUris: [{ uri: props.dmarcAddress }],
  });
  writer.recordSet('Dmarc', { name: at('_dmarc.'), type: route53.RecordType.TXT, values: [dmarcTxt] });
  const tlsRptTxt = TlsRpt.render({ reportUris: [props.tlsReportAddress] });
  writer.recordSet('TlsRpt', { name: at('_smtp._tls.'), type: route53.RecordType.TXT, values: [tlsRptTxt] });
  const mtaSts = props.mtaSts === undefined ? undefined : publishMtaSts(owner, writer, props, at('_mta-sts.'));
  evaluate(owner, props, dmarcTxt, tlsRptTxt, mtaSts);
  return mtaSts?.policy;
}

/**
 * The inbox's MTA-STS policy: its one MX host, served by the host, and the `_mta-sts` record
 * published only after the host serves the body (RFC 8461 §8.1).
 */
function publishMtaSts(owner: Construct, writer: ZoneWriter, props: OwnDomainProps, recordName: string): PublishedMtaSts {
  const options = props.mtaSts!;
  if (Token.isUnresolved(props.region)) {
    throw invalidInput(owner, MTASTS_RULES.policyMxSyntax.id, 'a stack without a region',
      'a stack with env.region set: the policy names the region\'s SES inbound host, and its id is a hash of the policy body');
  }
  const model: MtaStsPolicyModel = {
    mode: checkMtaStsMode(owner, options.mode),
    maxAge: checkMtaStsMaxAge(owner, options.maxAge),
    mx: [sesInboundHost(props.region)],
  };
  return publishMtaStsPolicy(writer, { host: options.host, domainName: props.domainName, recordName, model });
}

/**
 * The inbox's own domain through the profile the CLI and the pack use: it receives mail and
 * sends none. MTA-STS missing is accepted as a warning, as GovEmailDomain accepts it.
 */
function evaluate(owner: Construct, props: OwnDomainProps, dmarcTxt: string, tlsRptTxt: string, mtaSts: PublishedMtaSts | undefined): void {
  if (Token.isUnresolved(props.region)) return;
  const domain = props.domainName;
  // The domain sends nothing (SPF -all), so DKIM is not asked of it: its Easy DKIM records are
  // there because SES verifies the receiving identity with them, and are left out of the plan.
  const posture = postureOf({
    domain,
    records: [
      plannedRecord(domain, 'TXT', ['v=spf1 -all']),
      plannedRecord(domain, 'MX', [`10 ${sesInboundHost(props.region)}`]),
      plannedRecord(`_dmarc.${domain}`, 'TXT', [dmarcTxt]),
      plannedRecord(`_smtp._tls.${domain}`, 'TXT', [tlsRptTxt]),
      ...(mtaSts === undefined ? [] : [plannedRecord(`_mta-sts.${domain}`, 'TXT', [mtaSts.record])]),
    ],
    sesIdentities: [],
    mtaStsPolicy: mtaSts?.policy,
    fields: ['apexTxt', 'mx', 'dmarc', 'tlsRpt', 'mtaStsTxt', 'mtaStsPolicy'],
  });
  const findings = GovUkProfile.evaluate(posture);
  reportFindings(owner, missingMtaSts(findings, props.allowMissingMtaSts,
    'give mtaSts a policy host as soon as the inbox can, so senders must deliver reports over TLS'));
}
