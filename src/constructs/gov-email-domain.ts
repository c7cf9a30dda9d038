import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { BimiOptions, BimiRecord } from './bimi-record';
import { DkimRecords } from './dkim-records';
import { DmarcOptions, DmarcRecord } from './dmarc-record';
import { IMtaStsPolicyHost } from './mta-sts-policy-host-interface';
import { PlannedEasyDkim, PlannedRecord, PlannedSesIdentity, PlannedTlsPolicy, PostureField, postureOf } from '../plan';
import { acceptMonitoringOnly } from './private/accepted-findings';
import { invalidInput, reportFindings, warnNotEvaluated } from './private/annotations';
import { evaluateChildRecordsHere } from './private/evaluating-parent';
import { checkMtaStsMaxAge, checkMtaStsMode, missingMtaSts, publishMtaStsPolicy } from './private/mta-sts-options';
import { plannedRecord } from './private/planned-records';
import { RecordNames } from './private/record-names';
import { checkIncludeCosts, checkSenders } from './private/sender-problems';
import { ZoneWriter } from './private/zone-writer';
import { SesDkim, SesDkimConfig, SesSendingIdentity } from './ses-sending-identity';
import { SpfRecord } from './spf-record';
import { TlsRptRecord } from './tls-rpt-record';
import { Finding, Severity } from '../records/finding';
import { MTASTS_RULES, MtaSts, MtaStsMode, MtaStsPolicyModel } from '../records/mta-sts';
import { Mx, MxModel } from '../records/mx';
import { SpfIncludeCost, SpfQualifier } from '../records/spf';
import { Sender } from '../senders/sender';
import { Senders } from '../senders/sender-set';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { CONSTRUCT_RULES, RECORD_CONSTRUCT_RULES, SES_RULES } from '../standard/platform-rules';
import { DomainPosture } from '../standard/posture';
import { GovUkProfile } from '../standard/profile';


/**
 * The MTA-STS policy a domain publishes: its mode, how long senders may cache it, and any `mx`
 * patterns beyond the senders' own. The policy host is chosen elsewhere: by the caller for a
 * `GovEmailDomain` (`GovEmailDomainMtaStsOptions`), by the portfolio for a domain of a
 * `DomainPortfolio` (`PortfolioMtaStsOptions`).
 */
export interface MtaStsPolicyOptions {
  /**
   * The policy mode. `MtaStsMode.TESTING` (a step on the way: failures are reported, not
   * refused; read the TLS reports, then move to enforce) and `MtaStsMode.NONE` (retiring the
   * policy) raise the `cdk-gov-email:GOVUK-MTASTS-MODE` warning.
   *
   * @default MtaStsMode.ENFORCE
   */
  readonly mode?: MtaStsMode;

  /**
   * How long sending servers may cache the policy (`max_age`), in whole seconds. Below 2 weeks
   * in enforce mode (1 day in testing mode) raises the `cdk-gov-email:GOVUK-MTASTS-MAX-AGE`
   * warning; above 31557600 seconds (a year) fails synth (`MTASTS-POLICY-MAX-AGE`).
   *
   * @default Duration.days(14)
   */
  readonly maxAge?: Duration;

  /**
   * More `mx` patterns for the policy, after the senders' own (`Senders.mtaStsMx`): for MX
   * hosts of a custom sender, or a host you add later. Every MX host the domain publishes must
   * match a pattern, or synth fails (`MTASTS-MX-NOT-COVERED`).
   *
   * @default - the senders' patterns only
   */
  readonly additionalMx?: string[];
}

/**
 * MTA-STS for a `GovEmailDomain`: the policy, and the host that serves it.
 */
export interface GovEmailDomainMtaStsOptions extends MtaStsPolicyOptions {
  /**
   * The host that serves the policy.
   */
  readonly host: IMtaStsPolicyHost;
}

/**
 * The apex SPF choices of a `GovEmailDomain`.
 */
export interface GovEmailDomainSpfOptions {
  /**
   * The qualifier of the closing `all`. `SpfQualifier.SOFTFAIL` (`~all`) raises the
   * `cdk-gov-email:GOVUK-SPF-ALL` warning; `PASS` and `NEUTRAL` fail synth.
   *
   * @default SpfQualifier.FAIL (`-all`)
   */
  readonly allQualifier?: SpfQualifier;

  /**
   * More SPF mechanisms, one term each (`ip4:192.0.2.0/24`), after the senders' own.
   *
   * @default - none
   */
  readonly additionalMechanisms?: string[];

  /**
   * The lookup costs of includes in `additionalMechanisms`.
   *
   * @default - none known (each such include counts 1)
   */
  readonly additionalIncludeCosts?: SpfIncludeCost[];
}

/**
 * Options passed to the `SesSendingIdentity` a `GovEmailDomain` creates for `Sender.amazonSes()`.
 * The zone, domain, MAIL FROM subdomain (from `Sender.amazonSes()`) and TTL come from the domain.
 */
export interface GovEmailDomainSesOptions {
  /**
   * How SES signs with DKIM.
   *
   * @default SesDkim.easy() (Easy DKIM, RSA_2048_BIT)
   */
  readonly dkim?: SesDkim;

  /**
   * The TLS policy of the identity's default configuration set. OPTIONAL raises the
   * `cdk-gov-email:GOVUK-SES-TLS-REQUIRED` warning.
   *
   * @default ses.ConfigurationSetTlsPolicy.REQUIRE
   */
  readonly tlsPolicy?: ses.ConfigurationSetTlsPolicy;

  /**
   * A name for the configuration set: 1 to 64 letters, digits, underscores and hyphens, or
   * synth fails (`SES-CONFIGURATION-SET-NAME`).
   *
   * @default - a name CloudFormation generates
   */
  readonly configurationSetName?: string;

  /**
   * What happens to the identity, its configuration set and the DKIM and MAIL FROM records
   * that verify it when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The choices of a `GovEmailDomain` that do not depend on where its records are published or
 * who hosts its MTA-STS policy. `GovEmailDomainProps` extends them with the zone, the domain
 * name and MTA-STS; a sending domain of a `DomainPortfolio` (`PortfolioSendingDomainOptions`)
 * with its hosted zone id and stack.
 */
export interface GovEmailDomainOptions {
  /**
   * The services that send (and perhaps receive) the domain's mail, from the sender catalogue
   * (`Sender.amazonSes()`, `Sender.microsoft365()`, `Sender.googleWorkspace()`,
   * `Sender.govUkNotify()`, `Sender.custom()`).
   */
  readonly senders: Sender[];

  /**
   * The DMARC record: at least the report destinations; the policy is reject unless you choose
   * otherwise.
   */
  readonly dmarc: DmarcOptions;

  /**
   * Where TLS reports go (`_smtp._tls` TXT `v=TLSRPTv1; rua=...`): one `mailto:` or `https:`
   * URI. Required when a sender receives the domain's mail (it has MX records): without it
   * synth fails (`GOVUK-TLSRPT-MISSING`).
   *
   * @default - no TLS-RPT record (allowed only for a domain that receives no mail)
   */
  readonly tlsReportTo?: string[];

  /**
   * Other TXT values at the domain (site-verification tokens and the like), merged into the ONE
   * apex TXT record set with the SPF record. An SPF record here fails synth
   * (`SPF-MULTIPLE-RECORDS`).
   *
   * @default - none
   */
  readonly additionalApexTxt?: string[];

  /**
   * The apex SPF record's closing qualifier and extra mechanisms.
   *
   * @default - the senders' mechanisms, then `-all`
   */
  readonly spf?: GovEmailDomainSpfOptions;

  /**
   * Options for the `SesSendingIdentity` created for `Sender.amazonSes()`.
   *
   * @default - Easy DKIM RSA_2048_BIT, TLS required, retained
   */
  readonly ses?: GovEmailDomainSesOptions;

  /**
   * How long resolvers may cache the records.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
}

/**
 * Properties of a `GovEmailDomain`.
 */
export interface GovEmailDomainProps extends GovEmailDomainOptions {
  /**
   * The hosted zone to publish the records in.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The domain: the zone's own name, or a name under it (for example `notify.dept.gov.uk` in
   * the zone `dept.gov.uk`). It must be known at synth, since the senders' records and the
   * checks depend on it.
   *
   * @default - the zone's name
   */
  readonly domainName?: string;

  /**
   * MTA-STS: the policy is built from the senders' MX patterns and registered with the host,
   * and the `_mta-sts` TXT record is published once the host serves it.
   *
   * Required for a domain that receives mail (a sender has MX records): without it synth fails
   * (`GOVUK-MTASTS-MISSING`), unless `allowMissingMtaSts` is set. A domain that receives no
   * mail needs none.
   *
   * @default - no MTA-STS (allowed only for a domain that receives no mail, or with `allowMissingMtaSts`)
   */
  readonly mtaSts?: GovEmailDomainMtaStsOptions;

  /**
   * Accept a domain that receives mail without MTA-STS, for a while: synth then passes with the
   * `cdk-gov-email:GOVUK-MTASTS-MISSING` warning, and `gov-email review` and the nag pack still
   * report the error. For a domain whose policy host is not deployed yet; publish MTA-STS with
   * `mtaSts` as soon as it is.
   *
   * @default false
   */
  readonly allowMissingMtaSts?: boolean;

  /**
   * BIMI: publish `<selector>._bimi.<domain>` TXT `v=BIMI1; l=<logo>; a=<certificate>` so
   * mailbox providers that take part show the logo beside the domain's authenticated mail.
   * Receivers show it only while DMARC is at enforcement, so the domain's DMARC record is checked
   * with the BIMI record: `p=none` or `sp=none` (possible with `dmarc.allowMonitoringOnly`) fails
   * synth (`BIMI-DMARC-POLICY`). The organisational domain's DMARC record, when it is another
   * domain, and the logo and certificate themselves are checked by `gov-email check`.
   *
   * @default - no BIMI record
   */
  readonly bimi?: BimiOptions;
}

/**
 * A government email domain, set up to the UK government standard in one construct: SPF, DMARC,
 * DKIM, MX, TLS-RPT and MTA-STS records for the senders given, and an Amazon SES identity that
 * requires TLS when SES sends for the domain.
 *
 * | Child | Publishes |
 * |---|---|
 * | `Spf` (`SpfRecord`) | the ONE apex TXT record set: the SPF record built from the senders, and `additionalApexTxt` |
 * | `Dmarc` (`DmarcRecord`) | `_dmarc` TXT, `p=reject` by default, and report authorisations in zones given |
 * | `Mx` | one MX record set with every receiving sender's MX hosts (when a sender receives mail) |
 * | `TlsRpt` (`TlsRptRecord`) | `_smtp._tls` TXT (when `tlsReportTo` is given) |
 * | `Dkim` (`DkimRecords`) | a CNAME or TXT per DKIM selector of the senders (when they have any) |
 * | `MtaSts` | `_mta-sts` TXT `v=STSv1; id=<hash of the policy>`, after the host serves the policy |
 * | `Ses` (`SesSendingIdentity`) | with `Sender.amazonSes()`: the identity, its configuration set, DKIM and MAIL FROM records |
 * | `Bimi` (`BimiRecord`) | `<selector>._bimi` TXT (when `bimi` is given) |
 *
 * After building, the construct evaluates the whole domain, exactly as it will be published,
 * with the UK government profile the CLI uses (`GovUkProfile.evaluate`): errors fail synth,
 * warnings become `cdk-gov-email:<RULE-ID>` warning annotations. Its children leave their own
 * records' evaluation to it, so each finding is reported once.
 */
export class GovEmailDomain extends Construct {
  /** The domain (lower case, no trailing dot). */
  public readonly domainName: string;

  /** The apex TXT record set: SPF and `additionalApexTxt`. */
  public readonly spf: SpfRecord;

  /** The DMARC record. */
  public readonly dmarc: DmarcRecord;

  /** The TLS-RPT record, when `tlsReportTo` is given. */
  public readonly tlsRpt?: TlsRptRecord;

  /** The DKIM records of the senders, when they have any. */
  public readonly dkim?: DkimRecords;

  /** The MX record set, when a sender receives the domain's mail. */
  public readonly mx?: route53.RecordSet;

  /** The MTA-STS policy body registered with the host, when `mtaSts` is given. */
  public readonly mtaStsPolicy?: string;

  /** The `_mta-sts` TXT record set, when `mtaSts` is given. */
  public readonly mtaStsRecord?: route53.RecordSet;

  /** The SES identity, when a sender is `Sender.amazonSes()`. */
  public readonly sesIdentity?: SesSendingIdentity;

  /** The BIMI record, when `bimi` is given. */
  public readonly bimi?: BimiRecord;

  /**
   * What the domain publishes, as the UK government profile reads it: the input of the
   * evaluation made at synth (values known only at deployment are listed in `unresolved`).
   */
  public readonly posture: DomainPosture;

  constructor(scope: Construct, id: string, props: GovEmailDomainProps) {
    super(scope, id);
    evaluateChildRecordsHere(this);
    const names = RecordNames.forDomain(this, props.zone, props.domainName);
    const domain = names.literalDomain;
    if (domain === undefined) {
      throw invalidInput(this, CONSTRUCT_RULES.outsideZone.id, names.domain.name,
        'a domainName known at synth (or a zone whose name is): the senders\' records and the checks are built from it',
        CONSTRUCT_RULES.outsideZone.summary);
    }
    this.domainName = domain;
    const writer = ZoneWriter.of(this, names, props.ttl);
    const senders = props.senders;

    // Prop-level checks first, so bad input fails before any record is built.
    checkSenders(this, senders);
    checkIncludeCosts(this, props.spf?.additionalIncludeCosts ?? [], 'spf.additionalIncludeCosts');
    const mxModels = this.checkMx(senders, domain);
    const receives = mxModels.length > 0;
    if (receives && props.tlsReportTo === undefined) {
      throw invalidInput(this, GOVUK_RULES.tlsRptMissing.id, props.tlsReportTo,
        `tlsReportTo with one mailto: or https: URI, for example ["mailto:tls-reports@${domain}"]: the domain receives mail (MX ${mxModels.map((m) => m.exchange).join(', ')})`);
    }
    // What each sender needs, as plain data; the one that sends through SES names its identity.
    const sesSenders = senders.map((s) => s.bind(domain)).filter((b) => b.sesIdentity !== undefined);
    if (sesSenders.length > 1) {
      throw invalidInput(this, RECORD_CONSTRUCT_RULES.recordConflict.id, sesSenders.map((s) => s.name),
        'one Sender.amazonSes(): a domain has one SES identity, with one set of DKIM and MAIL FROM records',
        RECORD_CONSTRUCT_RULES.recordConflict.summary);
    }
    const policy = props.mtaSts === undefined ? undefined : this.buildPolicy(props.mtaSts, senders, domain, mxModels);

    // The records.
    this.spf = new SpfRecord(this, 'Spf', {
      zone: props.zone,
      domainName: domain,
      senders,
      allQualifier: props.spf?.allQualifier,
      additionalMechanisms: props.spf?.additionalMechanisms,
      additionalIncludeCosts: props.spf?.additionalIncludeCosts,
      additionalValues: props.additionalApexTxt,
      ttl: props.ttl,
    });
    this.dmarc = new DmarcRecord(this, 'Dmarc', { ...props.dmarc, zone: props.zone, domainName: domain, ttl: props.ttl });
    if (props.bimi !== undefined) {
      this.bimi = new BimiRecord(this, 'Bimi', { ...props.bimi, zone: props.zone, domainName: domain, ttl: props.ttl });
    }
    const mxValues = mxModels.map((m) => Mx.render(m));
    if (receives) {
      this.mx = writer.recordSet('Mx', { name: names.at(), type: route53.RecordType.MX, values: mxValues });
    }
    if (props.tlsReportTo !== undefined) {
      this.tlsRpt = new TlsRptRecord(this, 'TlsRpt', { zone: props.zone, domainName: domain, reportTo: props.tlsReportTo, ttl: props.ttl });
    }
    const dkimRecords = Senders.dkimRecords(senders, domain);
    if (dkimRecords.length > 0) {
      this.dkim = new DkimRecords(this, 'Dkim', { zone: props.zone, domainName: domain, senders, ttl: props.ttl });
    }
    let mtaStsTxt: string | undefined;
    let minimumProtocolVersion: string | undefined;
    if (props.mtaSts !== undefined && policy !== undefined) {
      const published = publishMtaStsPolicy(writer, {
        host: props.mtaSts.host, domainName: domain, recordName: names.at('_mta-sts.'), model: policy,
      });
      this.mtaStsPolicy = published.policy;
      this.mtaStsRecord = published.recordSet;
      mtaStsTxt = published.record;
      minimumProtocolVersion = published.minimumProtocolVersion;
    }
    if (sesSenders.length === 1) {
      const sesIdentity = sesSenders[0].sesIdentity!;
      this.checkSesRegion(sesIdentity.region);
      this.sesIdentity = new SesSendingIdentity(this, 'Ses', {
        zone: props.zone,
        domainName: domain,
        mailFromSubdomain: sesIdentity.mailFromSubdomain,
        dkim: props.ses?.dkim,
        tlsPolicy: props.ses?.tlsPolicy,
        configurationSetName: props.ses?.configurationSetName,
        removalPolicy: props.ses?.removalPolicy,
        ttl: props.ttl,
      });
    }

    // The whole domain, as published, through the profile the CLI uses.
    this.posture = this.buildPosture({
      domain,
      senders,
      receives,
      mxValues,
      mtaStsTxt,
      minimumProtocolVersion,
      additionalMechanisms: props.spf?.additionalMechanisms?.length ?? 0,
      ses: sesSenders.length === 1 ? (props.ses?.dkim ?? SesDkim.easy()).bind() : undefined,
      sesTlsRequired: (props.ses?.tlsPolicy ?? ses.ConfigurationSetTlsPolicy.REQUIRE) === ses.ConfigurationSetTlsPolicy.REQUIRE,
      tlsRpt: this.tlsRpt?.value,
    });
    let findings: Finding[] = GovUkProfile.evaluate(this.posture);
    if ((props.ses?.tlsPolicy ?? ses.ConfigurationSetTlsPolicy.REQUIRE) !== ses.ConfigurationSetTlsPolicy.REQUIRE) {
      // Chosen explicitly: the identity warns of it (GOVUK-SES-TLS-REQUIRED), as it is legal.
      findings = findings.filter((f) => f.ruleId !== GOVUK_RULES.sesTlsRequired.id);
    }
    if (props.dmarc.allowMonitoringOnly) {
      findings = acceptMonitoringOnly(findings);
    }
    findings = missingMtaSts(findings, props.allowMissingMtaSts ?? false,
      'publish MTA-STS with mtaSts and a policy host as soon as the domain can');
    reportFindings(this, findings);
  }

  /** `Sender.amazonSes({ region })`: the identity is created in this stack's region, so the two agree. */
  private checkSesRegion(region: string | undefined): void {
    if (region === undefined) return;
    const stackRegion = Stack.of(this).region;
    if (Token.isUnresolved(stackRegion)) {
      warnNotEvaluated(this, `Whether Sender.amazonSes() region ${region} is the stack's region (${SES_RULES.region.id}; set the stack's env.region to check it here)`);
      return;
    }
    if (region !== stackRegion) {
      throw invalidInput(this, SES_RULES.region.id, region,
        `"${stackRegion}", the region of the stack ${Stack.of(this).node.path} that creates the identity, or no region; to send from ${region}, put the domain in a stack in ${region}`);
    }
  }

  /** The MX records of the senders that receive mail, each valid, as one set. */
  private checkMx(senders: Sender[], domain: string): MxModel[] {
    const models = Senders.mxRecords(senders, domain);
    const error = Mx.validateRecordSet(models, { name: domain }).find((f) => f.severity === Severity.ERROR);
    if (error !== undefined) {
      throw invalidInput(this, error.ruleId, models.map((m) => `${m.preference} ${m.exchange}`),
        `MX records of host names with preferences 0 to 65535 (${error.message})`);
    }
    return models;
  }

  /** The MTA-STS policy: the senders' patterns and `additionalMx`, covering every MX host. */
  private buildPolicy(options: GovEmailDomainMtaStsOptions, senders: Sender[], domain: string, mxModels: MxModel[]): MtaStsPolicyModel {
    const mode = checkMtaStsMode(this, options.mode);
    const maxAge = checkMtaStsMaxAge(this, options.maxAge);
    const mx: string[] = [];
    for (const pattern of [...Senders.mtaStsMx(senders, domain), ...(options.additionalMx ?? [])]) {
      if (Token.isUnresolved(pattern)) {
        // The policy body is hashed into its id at synth, so every pattern must be known here.
        throw invalidInput(this, MTASTS_RULES.policyMxSyntax.id, pattern, 'an mx pattern known at synth: the policy id is a hash of the policy body');
      }
      if (!mx.some((p) => p.toLowerCase() === pattern.toLowerCase())) mx.push(pattern);
    }
    const policy: MtaStsPolicyModel = { mode, maxAge, mx };
    const error = MtaSts.validatePolicy(policy).find((f) => f.severity === Severity.ERROR);
    if (error !== undefined) {
      throw invalidInput(this, error.ruleId, mx,
        `mx patterns that are host names, or "*." and a host name, one at least unless the mode is none (${error.message})`);
    }
    if (mode !== MtaStsMode.NONE) {
      const uncovered = MtaSts.uncoveredMx(policy, mxModels.filter((m) => !Mx.isNullMx(m)).map((m) => m.exchange));
      if (uncovered.length > 0) {
        throw invalidInput(this, MTASTS_RULES.policyMxNotCovered.id, uncovered,
          `mx patterns that cover every MX host the domain publishes: add the hosts (or a pattern matching them) to mtaSts.additionalMx; the patterns now are ${JSON.stringify(mx)}`);
      }
    }
    return policy;
  }


  /**
   * What the domain publishes, as a plan of its records read by `postureOf`, the one reader
   * `gov-email review`, the cdk-nag pack and `gov-email check` share.
   */
  private buildPosture(o: {
    domain: string;
    senders: Sender[];
    receives: boolean;
    mxValues: string[];
    ses?: SesDkimConfig;
    sesTlsRequired: boolean;
    additionalMechanisms: number;
    mtaStsTxt?: string;
    minimumProtocolVersion?: string;
    tlsRpt?: string;
  }): DomainPosture {
    const d = o.domain;
    const dkimRecords = this.dkim?.records ?? [];
    // A sender that authorises hosts in SPF, signs with DKIM or is SES sends as the domain;
    // GOV.UK Notify sends from its own domain.
    const sendsMail = o.ses !== undefined || dkimRecords.length > 0 || o.additionalMechanisms > 0
      || o.senders.some((s) => s.spfIncludes.length > 0 || s.spfMechanisms.length > 0);

    const records: PlannedRecord[] = [
      plannedRecord(d, 'TXT', this.spf.values),
      plannedRecord(d, 'MX', o.mxValues),
      plannedRecord(`_dmarc.${d}`, 'TXT', [this.dmarc.value]),
      ...(o.tlsRpt === undefined ? [] : [plannedRecord(`_smtp._tls.${d}`, 'TXT', [o.tlsRpt])]),
      ...(o.mtaStsTxt === undefined ? [] : [plannedRecord(`_mta-sts.${d}`, 'TXT', [o.mtaStsTxt])]),
      ...DkimRecords._planned(dkimRecords, d),
      ...(this.bimi === undefined ? [] : [this.bimi._planned(d)]),
    ];
    const sesIdentities: PlannedSesIdentity[] = [];
    if (o.ses !== undefined) {
      const tlsPolicy = o.sesTlsRequired ? PlannedTlsPolicy.REQUIRED : PlannedTlsPolicy.OPTIONAL;
      if (o.ses.byoDkimSelector !== undefined) {
        // SES signs with the selector: its key record is part of what the domain publishes.
        sesIdentities.push({ identity: d, easyDkim: PlannedEasyDkim.NONE, byoDkimSelector: o.ses.byoDkimSelector, tlsPolicy });
        records.push(plannedRecord(`${o.ses.byoDkimSelector.toLowerCase()}._domainkey.${d}`, 'TXT', [o.ses.byoDkimRecord ?? '']));
      } else {
        // Easy DKIM: SES creates the keys at deployment, with the length the template sets.
        sesIdentities.push({ identity: d, easyDkim: PlannedEasyDkim.KEY_LENGTH_KNOWN, tlsPolicy });
      }
    }
    // TLS-RPT and MTA-STS are asked of a domain that receives mail; of one that does not, only
    // what it publishes is judged.
    const fields: PostureField[] = ['apexTxt', 'mx', 'dmarc', 'dkim', 'mtaStsPolicy', 'sesTlsRequired', 'policyHostMinimumTls'];
    if (o.receives || o.tlsRpt !== undefined) fields.push('tlsRpt');
    if (o.receives || o.mtaStsTxt !== undefined) fields.push('mtaStsTxt');
    if (this.bimi !== undefined) fields.push('bimi');
    return postureOf({
      domain: d,
      records,
      sesIdentities,
      sendsMail,
      receivesMail: o.receives,
      parked: false,
      spfIncludeCosts: this.spf.includeCosts,
      signingSelectors: dkimRecords.map((r) => r.selector),
      mtaStsPolicy: this.mtaStsPolicy,
      policyHost: o.minimumProtocolVersion === undefined ? undefined : { minimumTls: o.minimumProtocolVersion },
      fields,
    });
  }
}
