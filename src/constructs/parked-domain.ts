import { Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { postureOf } from '../plan';
import { addInfoNote, invalidInput, reportFindings } from './private/annotations';
import { RecordNames, ResolvedDomain } from './private/record-names';
import { isAuthorisedByDestination, requireListedAtDestination } from './private/report-destinations';
import { RecordSetSpec, TxtWording, ZoneWriter, checkTxtValue } from './private/zone-writer';
import { Caa } from '../records/caa';
import { Dkim } from '../records/dkim';
import { DMARC_FORMAT, Dmarc, DmarcAlignment, DmarcModel, DmarcPolicy, DmarcReportUri } from '../records/dmarc';
import { Mx } from '../records/mx';
import { SPF_RULES, Spf, SpfMechanism, SpfQualifier } from '../records/spf';
import { TLSRPT_FORMAT, TlsRpt } from '../records/tls-rpt';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { GovUkProfile } from '../standard/profile';
import { checkDmarcAggregateUris, checkTlsRptUris } from './private/report-uris';

/**
 * The choices of a `ParkedDomain` that do not depend on where its records are published.
 * `ParkedDomainProps` extends them with the zone, the domain name and the DMARC report
 * destinations; a parked domain of a `DomainPortfolio` (`PortfolioParkedDomainOptions`) with its
 * hosted zone id and stack.
 */
export interface ParkedDomainOptions {
  /**
   * Where SMTP TLS reports go: publishes `_smtp._tls` TXT `v=TLSRPTv1; rua=...` when given.
   * One `mailto:` or `https:` URI (more raise `GOVUK-TLSRPT-RUA-COUNT`: only one is guaranteed
   * to receive reports).
   *
   * @default - no TLS-RPT record (a domain that receives no mail has no TLS to report on)
   */
  readonly tlsReportTo?: string[];

  /**
   * Publish CAA `0 issue ";"` at the domain, so no certificate authority may issue a certificate
   * for it. Set `false` when the domain still serves a website (for example a redirect) that
   * needs a certificate; the `GOVUK-PARKED-CAA` info annotation then notes its absence.
   *
   * @default true
   */
  readonly caa?: boolean;

  /**
   * Other TXT values to publish at the domain itself, such as a site-verification token. They
   * are merged into the same TXT record set as `v=spf1 -all`, since a name has one TXT record
   * set. An SPF record here fails synth with `SPF-MULTIPLE-RECORDS`. Values are printable ASCII
   * (`TXT-NON-ASCII` otherwise), each split into 255-octet character-strings; identical values
   * are published once.
   *
   * @default - none: the apex TXT record set holds only `v=spf1 -all`
   */
  readonly additionalApexTxt?: string[];

  /**
   * How long resolvers may cache the records.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
}

/**
 * Properties of a `ParkedDomain`.
 */
export interface ParkedDomainProps extends ParkedDomainOptions {
  /**
   * The hosted zone to publish the records in.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The domain that sends and receives no mail: the zone's own name, or a name under it
   * (for example `old.dept.gov.uk` in the zone `dept.gov.uk`).
   *
   * @default - the zone's name
   */
  readonly domainName?: string;

  /**
   * Where DMARC aggregate reports go (`rua`): one or two `mailto:` URIs, for example
   * `['mailto:dmarc-reports@dept.gov.uk']`. Reports show who tries to send mail as the domain.
   *
   * The address GOV.UK guidance names is `GovUkReportAddresses.DMARC_RUA`; it is never used
   * unless you pass it.
   */
  readonly dmarcReportTo: string[];
}

/**
 * Locks down a domain that sends and receives no mail, as GOV.UK's "Protect domains that don't
 * send email" asks, in ONE CloudFormation resource:
 *
 * | Name | Type | Value |
 * |---|---|---|
 * | `<domain>` | TXT | `v=spf1 -all` (plus any `additionalApexTxt`) |
 * | `<domain>` | MX | `0 .` (null MX, RFC 7505) |
 * | `<domain>` | CAA | `0 issue ";"` (unless `caa: false`) |
 * | `_dmarc.<domain>` | TXT | `v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=...` |
 * | `*._domainkey.<domain>` | TXT | `v=DKIM1; p=` (every DKIM key revoked) |
 * | `_smtp._tls.<domain>` | TXT | `v=TLSRPTv1; rua=...` (only with `tlsReportTo`) |
 *
 * All of them are one `AWS::Route53::RecordSetGroup` (logical id from the construct's path), so
 * `ParkedDomain.RESOURCES_PER_DOMAIN` is 1 and about 490 parked domains fit in one stack under
 * CloudFormation's 500-resource quota (fewer if the stack holds other resources; the template
 * must also stay under CloudFormation's 1 MB template size, roughly 1.3 KB per parked domain).
 *
 * CloudFormation writes a record set group as one Route 53 change batch, which holds at most
 * 1,000 values and 32,000 characters of values (counted twice for an UPSERT). A parked domain
 * uses 6 or 7 values and well under 1,000 characters; `additionalApexTxt` counts toward the
 * limit, which is checked at synth (`ROUTE53-CHANGE-BATCH-SIZE`).
 *
 * At synth the records are checked with the same UK government profile the CLI uses
 * (`GovUkProfile.evaluateParked`): errors fail synth, warnings become `cdk-gov-email:<RULE-ID>`
 * warning annotations. The records the construct writes by default raise neither.
 */
export class ParkedDomain extends Construct {
  /**
   * The CloudFormation resources one `ParkedDomain` creates: one `AWS::Route53::RecordSetGroup`.
   * Use it to shard many parked domains across stacks under the 500-resource quota.
   */
  public static readonly RESOURCES_PER_DOMAIN: number = 1;

  /** The parked domain (lower case, no trailing dot, when known at synth). */
  public readonly domainName: string;

  /** The record set group that holds every record of the domain. */
  public readonly recordSetGroup: route53.CfnRecordSetGroup;

  constructor(scope: Construct, id: string, props: ParkedDomainProps) {
    super(scope, id);
    const names = RecordNames.forDomain(this, props.zone, props.domainName);
    const domain = names.domain;
    this.domainName = domain.name;
    const writer = ZoneWriter.of(this, names, props.ttl);

    const dmarcReportUris = checkDmarcAggregateUris(this, props.dmarcReportTo);
    if (props.tlsReportTo !== undefined) {
      checkTlsRptUris(this, props.tlsReportTo, '; leave tlsReportTo out to publish no TLS-RPT record');
    }
    const additional = this.checkAdditionalApexTxt(props.additionalApexTxt ?? []);

    // Each record rendered by the foundation models, so the text is what they parse back; the
    // records every parked domain publishes the same are rendered once.
    const fixed = fixedRecords();
    const spf = fixed.spf;
    // A report address known only at deployment is checked where it resolves: that record is
    // written as it is; otherwise `render` checks the whole record.
    const unresolved = (uris: string[]) => uris.some((uri) => Token.isUnresolved(uri));
    const dmarc = unresolved(props.dmarcReportTo) ? DMARC_FORMAT.write(parkedDmarc(dmarcReportUris)) : renderParkedDmarc(dmarcReportUris);
    const dkim = fixed.dkim;
    const tlsRptModel = props.tlsReportTo === undefined ? undefined : { reportUris: props.tlsReportTo };
    const tlsRpt = tlsRptModel === undefined ? undefined
      : unresolved(tlsRptModel.reportUris) ? TLSRPT_FORMAT.write(tlsRptModel) : TlsRpt.render(tlsRptModel);

    const apex = names.at();
    const records: RecordSetSpec[] = [
      { name: apex, type: route53.RecordType.TXT, values: [spf, ...additional] },
      { name: apex, type: route53.RecordType.MX, values: [fixed.nullMx] },
      ...((props.caa ?? true) ? [{ name: apex, type: route53.RecordType.CAA, values: [fixed.caa] }] : []),
      { name: names.at('_dmarc.'), type: route53.RecordType.TXT, values: [dmarc] },
      { name: names.at('*._domainkey.'), type: route53.RecordType.TXT, values: [dkim] },
      ...(tlsRpt === undefined ? [] : [{ name: names.at('_smtp._tls.'), type: route53.RecordType.TXT, values: [tlsRpt] }]),
    ];
    this.recordSetGroup = writer.recordSetGroup('Resource', {
      comment: 'cdk-gov-email ParkedDomain: sends and receives no mail',
      records,
      contents: 'one parked domain\'s records',
    });

    // What the construct publishes goes through the parked-domain profile the CLI and the nag
    // pack use, as a plan read by postureOf, so they never disagree. A field holding a token is
    // reported as not evaluated.
    const name = domain.name;
    const posture = postureOf({
      domain: name,
      records: records.map((r) => writer.planned(r)),
      sesIdentities: [],
      parked: true,
      // What a parked domain publishes; TLS-RPT only when it reports, as it receives no mail.
      fields: ['apexTxt', 'mx', 'dmarc', 'dkimWildcard', 'caa', ...(tlsRpt === undefined ? [] : ['tlsRpt' as const])],
    });
    reportFindings(this, GovUkProfile.evaluateParked(posture));
    this.noteExternalReportDestinations(domain, props.dmarcReportTo);
    if (domain.literal && props.tlsReportTo !== undefined) {
      requireListedAtDestination(this, domain.name, props.tlsReportTo, 'TLS-RPT');
    }
  }


  /** `additionalApexTxt`: no SPF record (there is one already), each value publishable; duplicates dropped. */
  private checkAdditionalApexTxt(values: string[]): string[] {
    const out: string[] = [];
    for (const value of values) {
      if (Token.isUnresolved(value)) {
        out.push(value);
        continue;
      }
      if (Spf.isSpf(value)) {
        throw invalidInput(this, SPF_RULES.multipleRecords.id, value,
          'TXT values other than SPF: the domain already publishes "v=spf1 -all", and two SPF records make every receiver return permerror');
      }
      checkTxtValue(this, value, TxtWording.APEX_VALUE);
      if (!out.includes(value)) {
        out.push(value);
      }
    }
    return out;
  }

  /**
   * RFC 7489 §7.1: a report address at another organisation receives reports only if that
   * organisation publishes `<domain>._report._dmarc.<host>` TXT `v=DMARC1`. Whether it does is
   * known only in DNS, so this is noted, not judged (the CLI checks it live).
   */
  private noteExternalReportDestinations(domain: ResolvedDomain, uris: string[]): void {
    if (!domain.literal) return;
    requireListedAtDestination(this, domain.name, uris, 'DMARC');
    for (const uri of uris) {
      if (Token.isUnresolved(uri)) continue;
      const authorisation = Dmarc.externalReportAuthorisation(domain.name, uri);
      // A ReportInbox of this app that takes the domain's reports publishes the record itself.
      if (authorisation !== undefined && !isAuthorisedByDestination(this, uri, authorisation)) {
        addInfoNote(this, GOVUK_RULES.dmarcReportAuthorisation.id, `${uri} is at another organisation: it receives DMARC reports for ${domain.name} only if ${authorisation} publishes TXT "v=DMARC1".`);
      }
    }
  }
}

/** The records every parked domain publishes the same, as the foundation models render them. */
interface FixedRecords {
  readonly spf: string;
  readonly nullMx: string;
  readonly caa: string;
  readonly dkim: string;
}

let fixedRendered: FixedRecords | undefined;

/** The records every parked domain publishes the same, rendered the first time a parked domain is made. */
function fixedRecords(): FixedRecords {
  fixedRendered ??= {
    spf: Spf.render({ terms: [{ mechanism: SpfMechanism.ALL, qualifier: SpfQualifier.FAIL }] }),
    nullMx: Mx.render(Mx.nullMx()),
    caa: Caa.render(Caa.noIssuance()),
    dkim: Dkim.render({ version: 'DKIM1', publicKey: '' }),
  };
  return fixedRendered;
}

/**
 * The DMARC records rendered so far, by their report URIs: an estate's parked domains report to
 * the same addresses. Only rendered records are kept (`render` throws for an invalid one); at most
 * `DMARC_KEPT`.
 */
const dmarcByReportUris = new Map<string, string>();
const DMARC_KEPT = 100;

/** `Dmarc.render` of GOV.UK's parked-domain DMARC record for these report URIs, rendered once for each list. */
function renderParkedDmarc(reportTo: DmarcReportUri[]): string {
  const key = JSON.stringify(reportTo.map((u) => [u.uri, u.maxSize ?? null]));
  let text = dmarcByReportUris.get(key);
  if (text === undefined) {
    text = Dmarc.render(parkedDmarc(reportTo));
    if (dmarcByReportUris.size >= DMARC_KEPT) dmarcByReportUris.clear();
    dmarcByReportUris.set(key, text);
  }
  return text;
}

/** GOV.UK's parked-domain DMARC record, with `np` (RFC 9989) set too. */
function parkedDmarc(reportTo: DmarcReportUri[]): DmarcModel {
  return {
    policy: DmarcPolicy.REJECT,
    subdomainPolicy: DmarcPolicy.REJECT,
    nonExistentSubdomainPolicy: DmarcPolicy.REJECT,
    dkimAlignment: DmarcAlignment.STRICT,
    spfAlignment: DmarcAlignment.STRICT,
    failureOptions: ['1'],
    aggregateReportUris: reportTo,
  };
}
