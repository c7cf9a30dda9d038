import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ICentralDmarcPolicy, ParkedDmarc } from './central-dmarc-policy';
import { postureOf } from '../plan';
import { ANNOTATION_PREFIX, addInfoNote, annotateFindings, invalidInput, reportFindings } from './private/annotations';
import { CentralDmarcRecord, centralDmarcPolicyOf, isCentralRecordName, unlistedAtDestinations } from './private/central-dmarc-policies';
import { RecordNames, ResolvedDomain } from './private/record-names';
import { isAuthorisedByDestination, requireListedAtDestination } from './private/report-destinations';
import { RecordSetSpec, TxtWording, ZoneWriter, checkTxtValue } from './private/zone-writer';
import { Caa } from '../records/caa';
import { Dkim } from '../records/dkim';
import { DMARC_FORMAT, Dmarc, DmarcAlignment, DmarcModel, DmarcPolicy, DmarcReportUri } from '../records/dmarc';
import { Finding } from '../records/finding';
import { Mx } from '../records/mx';
import { SPF_RULES, Spf, SpfMechanism, SpfQualifier } from '../records/spf';
import { TLSRPT_FORMAT, TlsRpt } from '../records/tls-rpt';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { RECORD_CONSTRUCT_RULES } from '../standard/platform-rules';
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

  /**
   * Where `_dmarc.<domain>` gets its policy: the domain's own TXT record
   * (`ParkedDmarc.ownRecord()`, GOV.UK's parked-domain record reporting to `dmarcReportTo`), or a
   * CNAME to one central policy record of the estate (`ParkedDmarc.central(policy)`), so that one
   * change to that record (a new report address) reaches every domain pointing at it. With a
   * central record the domain publishes no DMARC record of its own and takes no `dmarcReportTo`
   * (`DMARC-CENTRAL-OPTIONS` otherwise).
   *
   * The domain is judged by the central record's content at synth when a `CentralDmarcPolicy` of
   * the same app publishes it (built before or after the domain); otherwise the
   * `cdk-gov-email:DMARC-CENTRAL-NOT-EVALUATED` warning says it is checked after deployment.
   *
   * Switching a deployed domain between its own record and the central one changes
   * `_dmarc.<domain>` from TXT to CNAME (or back) inside the domain's one record set group: its
   * logical id is unchanged, so CloudFormation updates the group in place, as one Route 53 change
   * batch that deletes the old record and creates the new one. Route 53 applies a change batch
   * whole or not at all (a CNAME may not stand beside another record at its name, but a batch may
   * delete that record and create the CNAME together), so the switch deploys in one step; should
   * Route 53 refuse the batch, the stack update fails and rolls back to the domain's own record,
   * and the domain is never without a DMARC policy. Resolvers may keep the old record for up to
   * `ttl` after the switch. Do not move the domain to another stack (`stack` in a portfolio) in
   * the same deployment: CloudFormation creates the new stack's group before deleting the old.
   *
   * @default ParkedDmarc.ownRecord()
   */
  readonly dmarc?: ParkedDmarc;
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
   * Required when the domain publishes its own DMARC record; not given with
   * `dmarc: ParkedDmarc.central(policy)`, whose record names the destinations.
   *
   * The address GOV.UK guidance names is `GovUkReportAddresses.DMARC_RUA`; it is never used
   * unless you pass it.
   *
   * @default - none: only with a central DMARC policy (`dmarc`)
   */
  readonly dmarcReportTo?: string[];
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
 * | `_dmarc.<domain>` | TXT | `v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=...` (or, with `dmarc: ParkedDmarc.central(policy)`, a CNAME to the central policy record) |
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

    const central = this.checkDmarcChoice(props, domain);
    const dmarcReportTo = props.dmarcReportTo ?? [];
    const dmarcReportUris = central === undefined ? checkDmarcAggregateUris(this, dmarcReportTo) : [];
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
    const dmarc = central !== undefined ? central.recordName
      : unresolved(dmarcReportTo) ? DMARC_FORMAT.write(parkedDmarc(dmarcReportUris)) : renderParkedDmarc(dmarcReportUris);
    const dkim = fixed.dkim;
    const tlsRptModel = props.tlsReportTo === undefined ? undefined : { reportUris: props.tlsReportTo };
    const tlsRpt = tlsRptModel === undefined ? undefined
      : unresolved(tlsRptModel.reportUris) ? TLSRPT_FORMAT.write(tlsRptModel) : TlsRpt.render(tlsRptModel);

    const apex = names.at();
    const records: RecordSetSpec[] = [
      { name: apex, type: route53.RecordType.TXT, values: [spf, ...additional] },
      { name: apex, type: route53.RecordType.MX, values: [fixed.nullMx] },
      ...((props.caa ?? true) ? [{ name: apex, type: route53.RecordType.CAA, values: [fixed.caa] }] : []),
      { name: names.at('_dmarc.'), type: central === undefined ? route53.RecordType.TXT : route53.RecordType.CNAME, values: [dmarc] },
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
    const evaluate = (centralRecord?: CentralDmarcRecord) => GovUkProfile.evaluateParked(postureOf({
      domain: name,
      // A central record of the app is read through the CNAME, as a resolver reads it.
      records: [...records.map((r) => writer.planned(r)), ...(centralRecord === undefined ? [] : [centralRecord.planned])],
      sesIdentities: [],
      parked: true,
      // What a parked domain publishes; TLS-RPT only when it reports, as it receives no mail.
      fields: ['apexTxt', 'mx', 'dmarc', 'dkimWildcard', 'caa', ...(tlsRpt === undefined ? [] : ['tlsRpt' as const])],
    }));
    if (central === undefined) {
      reportFindings(this, evaluate());
      this.noteExternalReportDestinations(domain, dmarcReportTo);
    } else {
      // The central record may be built after this domain: it is looked up when the app is validated.
      this.node.addValidation({ validate: () => this.judgeByCentralRecord(domain, central, evaluate) });
    }
    if (domain.literal && props.tlsReportTo !== undefined) {
      requireListedAtDestination(this, domain.name, props.tlsReportTo, 'TLS-RPT');
    }
  }


  /**
   * The central policy `_dmarc` points at, checked: undefined for the domain's own record, which
   * needs `dmarcReportTo`; a central record takes none, and its name must end a CNAME chain.
   */
  private checkDmarcChoice(props: ParkedDomainProps, domain: ResolvedDomain): ICentralDmarcPolicy | undefined {
    const central = props.dmarc?._centralPolicy();
    if (central === undefined) {
      if (props.dmarcReportTo === undefined) {
        throw invalidInput(this, GOVUK_RULES.dmarcReporting.id, props.dmarcReportTo,
          'dmarcReportTo with one or two mailto: URIs, for example ["mailto:dmarc-reports@dept.gov.uk"], or dmarc: ParkedDmarc.central(policy) to point _dmarc at a central policy record');
      }
      return undefined;
    }
    if (props.dmarcReportTo !== undefined) {
      throw invalidInput(this, RECORD_CONSTRUCT_RULES.centralDmarcOptions.id, props.dmarcReportTo,
        `no dmarcReportTo with dmarc: ParkedDmarc.central(...): _dmarc.${domain.name} is a CNAME to ${central.recordName}, whose record names the report destinations`);
    }
    const r = RECORD_CONSTRUCT_RULES.centralDmarcRecordName;
    const target = central.recordName;
    if (Token.isUnresolved(target) || !isCentralRecordName(target)) {
      throw invalidInput(this, r.id, target,
        'a central record name known at synth, such as "_parked._dmarc-policy.dept.gov.uk": labels of letters, digits, hyphens and underscores');
    }
    if (domain.literal && target === `_dmarc.${domain.name}`) {
      throw invalidInput(this, r.id, target, `a name other than _dmarc.${domain.name} itself: a CNAME to its own name is a loop`);
    }
    return central;
  }

  /**
   * Judge the domain by the central record it points at, when the app is validated: the
   * profile's findings (GOVUK-PARKED-DMARC for a weaker central policy), and the report
   * destinations the central record names. A record no construct of the app publishes is noted
   * with DMARC-CENTRAL-NOT-EVALUATED instead.
   *
   * @returns the error messages that fail synth
   */
  private judgeByCentralRecord(domain: ResolvedDomain, central: ICentralDmarcPolicy, evaluate: (record?: CentralDmarcRecord) => Finding[]): string[] {
    const record = centralDmarcPolicyOf(this, central.recordName);
    const cname = `_dmarc.${domain.name}`;
    if (record === undefined) {
      const r = RECORD_CONSTRUCT_RULES.centralDmarcUnresolved;
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${r.id}`,
        `${cname} is a CNAME to ${central.recordName}, which no CentralDmarcPolicy of this app publishes: the policy it points at is not known here, so it was not checked against the standard; check it after deployment with \`gov-email check\`. (${r.source})`);
      // The profile's own not-evaluated finding about the same record is the one above.
      return annotateFindings(this, evaluate().filter((f) => !(f.ruleId === GOVUK_RULES.notEvaluated.id && f.subject?.field === 'dmarc')));
    }
    const via = `through the CNAME ${cname} to ${record.recordName}, published by ${record.owner.node.path}`;
    const findings = evaluate(record).map((f) => (f.subject?.name === cname ? { ...f, message: `${f.message} (${via})` } : f));
    const messages = annotateFindings(this, findings);
    if (!domain.literal) return messages;
    messages.push(...unlistedAtDestinations(this, domain.name, record.reportUris, via));
    for (const uri of record.reportUris) {
      if (Token.isUnresolved(uri)) continue;
      const authorisation = Dmarc.externalReportAuthorisation(domain.name, uri);
      if (authorisation !== undefined && !isAuthorisedByDestination(this, uri, authorisation)) {
        addInfoNote(this, GOVUK_RULES.dmarcReportAuthorisation.id, `${uri}, named by the central DMARC policy ${record.recordName}, is at another organisation: it receives DMARC reports for ${domain.name} only if ${authorisation} publishes TXT "v=DMARC1" (a wildcard *._report._dmarc record there authorises every domain).`);
      }
    }
    return messages;
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
