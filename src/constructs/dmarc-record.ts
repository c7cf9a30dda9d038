import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { postureOf } from '../plan';
import { acceptMonitoringOnly } from './private/accepted-findings';
import { ANNOTATION_PREFIX, reportFindings, warnNotEvaluated } from './private/annotations';
import { isEvaluatedByParent } from './private/evaluating-parent';
import { plannedRecord } from './private/planned-records';
import { RecordNames, isInZone, literalZoneName } from './private/record-names';
import { isAuthorisedByDestination, requireListedAtDestination } from './private/report-destinations';
import { DMARC_FORMAT, DMARC_RULES, Dmarc, DmarcAlignment, DmarcModel, DmarcPolicy } from '../records/dmarc';
import { Finding } from '../records/finding';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { GovUkProfile } from '../standard/profile';
import { checkDmarcAlignmentChoice, checkDmarcFailureOptions, checkDmarcPolicyChoice } from './private/dmarc-options';
import { checkDmarcAggregateUris, checkDmarcFailureUris } from './private/report-uris';
import { ZoneWriter } from './private/zone-writer';

/**
 * The DMARC choices of a domain: its policy, alignment and report destinations.
 *
 * Used by `DmarcRecord` and by `GovEmailDomain` (its `dmarc` property).
 */
export interface DmarcOptions {
  /**
   * What receivers do with mail that fails DMARC (`p`).
   *
   * GOV.UK asks for quarantine or reject. `DmarcPolicy.QUARANTINE` is compliant but weaker than
   * the default and raises the `cdk-gov-email:GOVUK-DMARC-POLICY` warning. `DmarcPolicy.NONE`
   * (monitoring only) fails synth unless `allowMonitoringOnly` is also set; then it is the
   * same warning.
   *
   * @default DmarcPolicy.REJECT
   */
  readonly policy?: DmarcPolicy;

  /**
   * The policy for existing subdomains (`sp`), always written out. Weaker than reject raises
   * the `cdk-gov-email:GOVUK-DMARC-SUBDOMAIN-POLICY` warning; `NONE` needs `allowMonitoringOnly`.
   *
   * @default - the `policy`
   */
  readonly subdomainPolicy?: DmarcPolicy;

  /**
   * The policy for subdomains that do not exist (`np`, RFC 9989), always written out. Nobody
   * sends legitimate mail from a name that does not exist, so reject costs nothing. Weaker raises
   * the `cdk-gov-email:GOVUK-DMARC-SUBDOMAIN-POLICY` warning; `NONE` needs `allowMonitoringOnly`.
   *
   * @default DmarcPolicy.REJECT
   */
  readonly nonExistentSubdomainPolicy?: DmarcPolicy;

  /**
   * Accept `DmarcPolicy.NONE` (monitoring only) for `policy`, `subdomainPolicy` or
   * `nonExistentSubdomainPolicy`: GOV.UK allows it only as a short first step while reports
   * show who sends as the domain. The profile's error becomes a warning annotation with the
   * same rule id.
   *
   * @default false
   */
  readonly allowMonitoringOnly?: boolean;

  /**
   * DKIM identifier alignment (`adkim`), always written out.
   *
   * Relaxed by default for a domain that sends mail: services often sign with a subdomain of
   * the From domain (`d=mail.dept.gov.uk`), and relaxed alignment accepts any name in the same
   * organisational domain. Choose `DmarcAlignment.STRICT` when every service signs with exactly
   * the From domain.
   *
   * @default DmarcAlignment.RELAXED
   */
  readonly dkimAlignment?: DmarcAlignment;

  /**
   * SPF identifier alignment (`aspf`), always written out.
   *
   * Relaxed by default for a domain that sends mail: Amazon SES and other services send with a
   * MAIL FROM subdomain (`mail.dept.gov.uk`), which aligns with the From domain only under
   * relaxed alignment. Choose `DmarcAlignment.STRICT` when every service's envelope sender is
   * exactly the From domain.
   *
   * @default DmarcAlignment.RELAXED
   */
  readonly spfAlignment?: DmarcAlignment;

  /**
   * Failure reporting options (`fo`): each of `0`, `1`, `d` and `s`. They matter only with
   * `failureReportTo`. The default `fo=1` is what GOV.UK guidance prescribes, so it is written
   * without a note; another choice without `failureReportTo` has no effect and is noted
   * (`DMARC-FO-WITHOUT-RUF`).
   *
   * @default ['1'] (a report when any mechanism fails)
   */
  readonly failureOptions?: string[];

  /**
   * Where aggregate reports go (`rua`): one or two `mailto:` URIs, for example
   * `['mailto:dmarc-reports@dept.gov.uk']`. None fails synth (`GOVUK-DMARC-RUA-MISSING`), more
   * than two too (`GOVUK-DMARC-RUA-COUNT`); an `https:` URI raises
   * `DMARC-REPORT-URI-SCHEME` (receivers need only support `mailto:`). Inside a URI, `,` `!` and
   * `;` are percent-encoded (`mailto:dmarc%2Creports@dept.gov.uk`). A size limit after the URI
   * (`mailto:dmarc-reports@dept.gov.uk!10m`, RFC 7489 §6.2) is published as written with the
   * `cdk-gov-email:DMARC-URI-SIZE-LIMIT` warning: RFC 9989 deprecates it.
   *
   * The address GOV.UK guidance names is `GovUkReportAddresses.DMARC_RUA`; it is never used
   * unless you pass it.
   */
  readonly reportTo: string[];

  /**
   * Where failure reports go (`ruf`): `mailto:` URIs. Never the central government address,
   * which takes aggregate reports only (`GOVUK-DMARC-RUF-CENTRAL`).
   *
   * @default - no failure reports
   */
  readonly failureReportTo?: string[];

  /**
   * Hosted zones of report destinations at other organisational domains. A report address at
   * another organisation receives reports only when that domain publishes
   * `<domain>._report._dmarc.<destination>` TXT `v=DMARC1` (RFC 7489 §7.1): the record is
   * created in the zone given here whose name is the destination or a parent of it. Without
   * one, the `cdk-gov-email:GOVUK-DMARC-REPORT-AUTHORISATION` warning names the record needed.
   *
   * @default - none: the warning names each authorisation record needed
   */
  readonly reportAuthorisationZones?: route53.IHostedZone[];
}

/**
 * Properties of a `DmarcRecord`.
 */
export interface DmarcRecordProps extends DmarcOptions {
  /**
   * The hosted zone to publish the record in.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The domain the policy is for: the zone's own name, or a name under it. The record is
   * published at `_dmarc.<domainName>`.
   *
   * @default - the zone's name
   */
  readonly domainName?: string;

  /**
   * How long resolvers may cache the record.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
}

/**
 * The DMARC policy record of a domain, `_dmarc.<domain>` TXT (RFC 9989, with RFC 7489 receivers
 * in mind).
 *
 * Secure by default: `p=reject`, `sp` and `np` written out, `adkim` and `aspf` explicit, `fo=1`,
 * and the report destinations you give. `pct` is never written (RFC 9989 removed it; without it
 * the policy applies to all mail).
 *
 * Creates one `AWS::Route53::RecordSet` (`Resource`) of type TXT, and one TXT record set per
 * external report destination whose zone is given in `reportAuthorisationZones`.
 *
 * At synth the record is checked with the UK government profile the CLI uses: errors fail synth,
 * warnings become `cdk-gov-email:<RULE-ID>` warning annotations.
 */
export class DmarcRecord extends Construct {
  /** The domain the policy is for (lower case, no trailing dot, when known at synth). */
  public readonly domainName: string;

  /** The record text, for example `v=DMARC1; p=reject; sp=reject; np=reject; adkim=r; aspf=r; fo=1; rua=mailto:...`. */
  public readonly value: string;

  /** The TXT record set at `_dmarc.<domain>`. */
  public readonly recordSet: route53.RecordSet;

  /** The names of the external report authorisation records created in `reportAuthorisationZones`. */
  public readonly reportAuthorisationNames: string[];

  /** Whether `DmarcPolicy.NONE` was accepted (`allowMonitoringOnly`). */
  private readonly monitoringOnly: boolean;

  constructor(scope: Construct, id: string, props: DmarcRecordProps) {
    super(scope, id);
    const names = RecordNames.forDomain(this, props.zone, props.domainName);
    this.domainName = names.domain.name;
    const writer = ZoneWriter.of(this, names, props.ttl);
    const standalone = !isEvaluatedByParent(this);
    this.monitoringOnly = props.allowMonitoringOnly ?? false;

    const policy = checkDmarcPolicyChoice(this, 'policy', props.policy ?? DmarcPolicy.REJECT, GOVUK_RULES.dmarcPolicy.id, this.monitoringOnly);
    const subdomainPolicy = checkDmarcPolicyChoice(this, 'subdomainPolicy', props.subdomainPolicy ?? policy, GOVUK_RULES.dmarcSubdomainPolicy.id, this.monitoringOnly);
    const nonExistent = checkDmarcPolicyChoice(this, 'nonExistentSubdomainPolicy', props.nonExistentSubdomainPolicy ?? DmarcPolicy.REJECT,
      GOVUK_RULES.dmarcSubdomainPolicy.id, this.monitoringOnly);
    const model: DmarcModel = {
      policy,
      subdomainPolicy,
      nonExistentSubdomainPolicy: nonExistent,
      dkimAlignment: checkDmarcAlignmentChoice(this, 'dkimAlignment', props.dkimAlignment ?? DmarcAlignment.RELAXED, DmarcAlignment.RELAXED),
      spfAlignment: checkDmarcAlignmentChoice(this, 'spfAlignment', props.spfAlignment ?? DmarcAlignment.RELAXED, DmarcAlignment.RELAXED),
      failureOptions: checkDmarcFailureOptions(this, props.failureOptions ?? ['1']),
      aggregateReportUris: checkDmarcAggregateUris(this, props.reportTo),
      ...(props.failureReportTo === undefined ? {} : {
        failureReportUris: checkDmarcFailureUris(this, props.failureReportTo),
      }),
    };
    // A report address known only at deployment is checked where it resolves: the record is
    // written as it is; otherwise every value is known and `render` checks the whole record.
    this.value = [...props.reportTo, ...(props.failureReportTo ?? [])].some((uri) => Token.isUnresolved(uri))
      ? DMARC_FORMAT.write(model)
      : Dmarc.render(model);

    this.recordSet = writer.recordSet('Resource', { name: names.at('_dmarc.'), type: route53.RecordType.TXT, values: [this.value] });

    this.noteWeakerPolicies(policy, subdomainPolicy, nonExistent);
    this.reportAuthorisationNames = this.authoriseExternalDestinations(names, standalone,
      [...props.reportTo, ...(props.failureReportTo ?? [])], props.reportAuthorisationZones ?? [], writer);

    if (standalone) {
      reportFindings(this, this.acceptChosen(GovUkProfile.evaluate(postureOf({
        domain: names.display,
        records: [plannedRecord(`_dmarc.${names.display}`, 'TXT', [this.value])],
        sesIdentities: [],
        parked: false,
        fields: ['dmarc'],
      }))));
    }
  }

  /**
   * The profile's findings, with the choices made explicitly here accepted: `p=none` with
   * `allowMonitoringOnly`, and a `!size` limit, already noted as `DMARC-URI-SIZE-LIMIT`.
   */
  private acceptChosen(findings: Finding[]): Finding[] {
    const notNoted = findings.filter((f) => f.ruleId !== DMARC_RULES.reportSize.id);
    return this.monitoringOnly ? acceptMonitoringOnly(notNoted) : notNoted;
  }

  /**
   * A weaker policy than reject, chosen explicitly, is compliant but noted. `p=none` (and
   * `sp=none`) is reported by the profile, accepted as a warning.
   */
  private noteWeakerPolicies(policy: DmarcPolicy, subdomainPolicy: DmarcPolicy, nonExistent: DmarcPolicy): void {
    if (policy === DmarcPolicy.QUARANTINE) {
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${GOVUK_RULES.dmarcPolicy.id}`,
        `The DMARC policy is p=quarantine, chosen explicitly: compliant, but failing mail is delivered to spam folders instead of being refused as with the default p=reject. (${GOVUK_RULES.dmarcPolicy.source})`);
    }
    const weaker: string[] = [];
    if (subdomainPolicy === DmarcPolicy.QUARANTINE) weaker.push('sp=quarantine');
    if (nonExistent !== DmarcPolicy.REJECT) weaker.push(`np=${nonExistent}`);
    if (weaker.length > 0) {
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${GOVUK_RULES.dmarcSubdomainPolicy.id}`,
        `The DMARC record has ${weaker.join(' and ')}, chosen explicitly: weaker than reject, so failing mail from subdomains (sp) or from names that do not exist (np) is not refused. (${GOVUK_RULES.dmarcSubdomainPolicy.source})`);
    }
  }

  /**
   * RFC 7489 §7.1: a report destination at another organisational domain takes reports only when
   * it publishes `<domain>._report._dmarc.<host>` TXT `v=DMARC1`. Created in the destination's
   * zone when it is given; otherwise a warning names the record.
   */
  private authoriseExternalDestinations(names: RecordNames, standalone: boolean, uris: string[],
    zones: route53.IHostedZone[], writer: ZoneWriter): string[] {
    const domain = names.literalDomain;
    if (domain === undefined) {
      if (standalone) {
        warnNotEvaluated(this, 'Whether the DMARC report destinations are at another organisation (the domain name)');
      }
      return [];
    }
    requireListedAtDestination(this, domain, uris, 'DMARC');
    const needed = new Map<string, string>(); // authorisation name -> URI
    for (const uri of uris) {
      if (Token.isUnresolved(uri)) continue;
      const name = Dmarc.externalReportAuthorisation(domain, uri);
      // A ReportInbox of this app that takes the domain's reports publishes the record itself.
      if (name !== undefined && !needed.has(name) && !isAuthorisedByDestination(this, uri, name)) needed.set(name, uri);
    }
    const created: string[] = [];
    const missing: string[] = [];
    for (const [name, uri] of needed) {
      const zone = zoneFor(zones, name);
      if (zone === undefined) {
        missing.push(`${uri} needs TXT "v=DMARC1" at ${name}`);
        continue;
      }
      const destination = name.slice(`${domain}._report._dmarc.`.length);
      writer.inZone(zone.zone).recordSet(`ReportAuthorisation-${destination}`, { name, type: route53.RecordType.TXT, values: ['v=DMARC1'] });
      created.push(name);
    }
    if (missing.length > 0) {
      const r = GOVUK_RULES.dmarcReportAuthorisation;
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${r.id}`,
        `DMARC reports for ${domain} go to another organisation, which takes them only if it authorises them: ${missing.join('; ')}. Give that zone in reportAuthorisationZones to create the record, or confirm the destination publishes it (a wildcard *._report._dmarc record also authorises). (${r.source})`);
    }
    return created;
  }
}

/** The zone given for an authorisation name: the one whose name is longest among those the name is in. */
function zoneFor(zones: route53.IHostedZone[], name: string): { zone: route53.IHostedZone; name: string } | undefined {
  let best: { zone: route53.IHostedZone; name: string } | undefined;
  for (const zone of zones) {
    const zoneName = literalZoneName(zone);
    if (zoneName !== undefined && isInZone(zoneName, name) && (best === undefined || zoneName.length > best.name.length)) {
      best = { zone, name: zoneName };
    }
  }
  return best;
}
