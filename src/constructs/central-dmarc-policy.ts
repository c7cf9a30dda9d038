import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ANNOTATION_PREFIX, invalidInput, reportFindings } from './private/annotations';
import { isCentralRecordName, registerCentralDmarcPolicy } from './private/central-dmarc-policies';
import { checkDmarcAlignmentChoice, checkDmarcFailureOptions, checkDmarcPolicyChoice } from './private/dmarc-options';
import { RecordNames, isInZone, literalZoneName } from './private/record-names';
import { checkDmarcAggregateUris, checkDmarcFailureUris } from './private/report-uris';
import { ZoneWriter } from './private/zone-writer';
import { DMARC_FORMAT, DMARC_RULES, Dmarc, DmarcAlignment, DmarcModel, DmarcPolicy } from '../records/dmarc';
import { normaliseDomainName } from '../records/private/names';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { RECORD_CONSTRUCT_RULES } from '../standard/platform-rules';

/** How the allowed policies are introduced in errors: the record is for domains that send no mail. */
const PARKED_POLICY = 'DmarcPolicy.REJECT (what a parked domain needs)';

/**
 * A central DMARC policy record that domains' `_dmarc` names point at with a CNAME: one built in
 * this app (`CentralDmarcPolicy`), or one published elsewhere (`CentralDmarcPolicy.fromRecordName`).
 */
export interface ICentralDmarcPolicy {
  /** The record's name, for example `_parked._dmarc-policy.dept.gov.uk` (lower case, no trailing dot). */
  readonly recordName: string;
}

/**
 * Properties of a `CentralDmarcPolicy`.
 */
export interface CentralDmarcPolicyProps {
  /**
   * The hosted zone the record is published in: the department's own zone, for example
   * `dept.gov.uk`.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The record's name: a name under the zone, known at synth, for example
   * `_parked._dmarc-policy.dept.gov.uk`. Labels are letters, digits, hyphens and underscores (a
   * leading underscore keeps the name from ever being a host). Not a `_dmarc.<domain>` name (it
   * would also be that domain's own policy) and not the zone's apex (its TXT record set is the
   * domain's SPF); anything else fails synth with `DMARC-CENTRAL-RECORD-NAME`.
   */
  readonly recordName: string;

  /**
   * Where aggregate reports for every domain pointing at the record go (`rua`): one or two
   * `mailto:` URIs, checked as `DmarcOptions.reportTo` is. A destination at another organisation
   * takes the reports of a domain only if it publishes `<domain>._report._dmarc.<destination>`
   * TXT `v=DMARC1` for each domain pointing here (a wildcard `*._report._dmarc.<destination>`
   * authorises them all); each `ParkedDomain` notes the record it needs.
   */
  readonly reportTo: string[];

  /**
   * Where failure reports go (`ruf`): `mailto:` URIs. Never the central government address.
   *
   * @default - no failure reports
   */
  readonly failureReportTo?: string[];

  /**
   * What receivers do with mail that fails DMARC (`p`). A parked domain needs reject:
   * `QUARANTINE` raises the `cdk-gov-email:GOVUK-DMARC-POLICY` warning here and fails synth
   * (`GOVUK-PARKED-DMARC`) for every parked domain that points at the record; `NONE` needs
   * `allowMonitoringOnly`.
   *
   * @default DmarcPolicy.REJECT
   */
  readonly policy?: DmarcPolicy;

  /**
   * The policy for existing subdomains (`sp`), always written out.
   *
   * @default - the `policy`
   */
  readonly subdomainPolicy?: DmarcPolicy;

  /**
   * The policy for subdomains that do not exist (`np`, RFC 9989), always written out.
   *
   * @default DmarcPolicy.REJECT
   */
  readonly nonExistentSubdomainPolicy?: DmarcPolicy;

  /**
   * Accept `DmarcPolicy.NONE` for `policy`, `subdomainPolicy` or `nonExistentSubdomainPolicy`
   * (a warning instead of an error here). Parked domains that point at such a record still fail
   * `GOVUK-PARKED-DMARC`: a domain that sends no mail has nothing to monitor.
   *
   * @default false
   */
  readonly allowMonitoringOnly?: boolean;

  /**
   * DKIM identifier alignment (`adkim`), always written out. Strict, as GOV.UK asks of a domain
   * that sends no mail.
   *
   * @default DmarcAlignment.STRICT
   */
  readonly dkimAlignment?: DmarcAlignment;

  /**
   * SPF identifier alignment (`aspf`), always written out. Strict, as GOV.UK asks of a domain
   * that sends no mail.
   *
   * @default DmarcAlignment.STRICT
   */
  readonly spfAlignment?: DmarcAlignment;

  /**
   * Failure reporting options (`fo`): each of `0`, `1`, `d` and `s`.
   *
   * @default ['1'] (what GOV.UK guidance prescribes)
   */
  readonly failureOptions?: string[];

  /**
   * How long resolvers may cache the record. Receivers cache the CNAME of each domain and this
   * record apart: a change of report address reaches them within this TTL.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
}

/**
 * One DMARC policy record an estate's domains share: a TXT record at a name the department owns
 * (`_parked._dmarc-policy.dept.gov.uk`), which each domain's `_dmarc` name points at with a CNAME
 * (`ParkedDmarc.central(policy)` on a `ParkedDomain`, or `parkedDmarc` on a `DomainPortfolio`).
 * DMARC lookups follow CNAMEs (RFC 9989 §4.10: the policy is a TXT lookup like any other), so a
 * receiver asking for `_dmarc.old-dept.gov.uk` gets this record's text, and one change here (a new
 * report address) reaches every domain at once, instead of one record change per domain.
 *
 * Secure by default with GOV.UK's parked-domain record: `p=reject; sp=reject; np=reject; adkim=s;
 * aspf=s; fo=1; rua=...`. Creates one `AWS::Route53::RecordSet` (`Resource`) of type TXT.
 *
 * Checked at synth as `DmarcRecord` is: bad input fails synth; weaker choices raise warnings with
 * a stable id. The domains that point at the record are judged by its content (their
 * `GOVUK-PARKED-DMARC` and report findings) at synth, by the cdk-nag pack and by `gov-email review`
 * and `check`.
 */
export class CentralDmarcPolicy extends Construct implements ICentralDmarcPolicy {
  /**
   * A central DMARC policy record published elsewhere (another app, another team): domains can
   * point at it, and are judged by it only where its record can be read (`gov-email check`). At
   * synth, a domain pointing at a name that no `CentralDmarcPolicy` of the app publishes raises
   * the `cdk-gov-email:DMARC-CENTRAL-NOT-EVALUATED` warning.
   *
   * @param recordName the record's name, for example `_parked._dmarc-policy.dept.gov.uk`
   */
  public static fromRecordName(recordName: string): ICentralDmarcPolicy {
    return new ImportedCentralDmarcPolicy(Token.isUnresolved(recordName) ? recordName : normaliseDomainName(recordName));
  }

  /** The record's name, lower case without the trailing dot. */
  public readonly recordName: string;

  /** The record text, for example `v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=mailto:...`. */
  public readonly value: string;

  /** The TXT record set. */
  public readonly recordSet: route53.RecordSet;

  private readonly monitoringOnly: boolean;

  constructor(scope: Construct, id: string, props: CentralDmarcPolicyProps) {
    super(scope, id);
    this.monitoringOnly = props.allowMonitoringOnly ?? false;
    this.recordName = this.checkRecordName(props.zone, props.recordName);

    const policy = checkDmarcPolicyChoice(this, 'policy', props.policy ?? DmarcPolicy.REJECT, GOVUK_RULES.dmarcPolicy.id, this.monitoringOnly, PARKED_POLICY);
    const subdomainPolicy = checkDmarcPolicyChoice(this, 'subdomainPolicy', props.subdomainPolicy ?? policy, GOVUK_RULES.dmarcSubdomainPolicy.id, this.monitoringOnly, PARKED_POLICY);
    const nonExistent = checkDmarcPolicyChoice(this, 'nonExistentSubdomainPolicy', props.nonExistentSubdomainPolicy ?? DmarcPolicy.REJECT,
      GOVUK_RULES.dmarcSubdomainPolicy.id, this.monitoringOnly, PARKED_POLICY);
    const model: DmarcModel = {
      policy,
      subdomainPolicy,
      nonExistentSubdomainPolicy: nonExistent,
      dkimAlignment: checkDmarcAlignmentChoice(this, 'dkimAlignment', props.dkimAlignment ?? DmarcAlignment.STRICT, DmarcAlignment.STRICT),
      spfAlignment: checkDmarcAlignmentChoice(this, 'spfAlignment', props.spfAlignment ?? DmarcAlignment.STRICT, DmarcAlignment.STRICT),
      failureOptions: checkDmarcFailureOptions(this, props.failureOptions ?? ['1']),
      aggregateReportUris: checkDmarcAggregateUris(this, props.reportTo),
      ...(props.failureReportTo === undefined ? {} : { failureReportUris: checkDmarcFailureUris(this, props.failureReportTo) }),
    };
    const uris = [...props.reportTo, ...(props.failureReportTo ?? [])];
    // A report address known only at deployment is checked where it resolves: the record is
    // written as it is; otherwise `render` checks the whole record.
    this.value = uris.some((uri) => Token.isUnresolved(uri)) ? DMARC_FORMAT.write(model) : Dmarc.render(model);

    const writer = ZoneWriter.of(this, RecordNames.forZone(props.zone), props.ttl);
    const spec = { name: this.recordName, type: route53.RecordType.TXT, values: [this.value] };
    this.recordSet = writer.recordSet('Resource', spec);
    registerCentralDmarcPolicy({ owner: this, recordName: this.recordName, planned: writer.planned(spec), reportUris: uris });

    // The record's own syntax (RFC 9989): a `!size` limit is already noted as DMARC-URI-SIZE-LIMIT.
    if (!uris.some((uri) => Token.isUnresolved(uri))) {
      reportFindings(this, Dmarc.checkRecordSet([this.value], { name: this.recordName }).filter((f) => f.ruleId !== DMARC_RULES.reportSize.id));
    }
    this.noteWeakerChoices(model);
  }

  private checkRecordName(zone: route53.IHostedZone, given: string): string {
    const r = RECORD_CONSTRUCT_RULES.centralDmarcRecordName;
    if (Token.isUnresolved(given)) {
      throw invalidInput(this, r.id, given, 'a record name known at synth, such as "_parked._dmarc-policy.dept.gov.uk": the domains\' CNAMEs name it');
    }
    const name = normaliseDomainName(given);
    const labels = name.split('.');
    if (!isCentralRecordName(name)) {
      throw invalidInput(this, r.id, given,
        'a DNS name such as "_parked._dmarc-policy.dept.gov.uk": labels of letters, digits, hyphens and underscores, each at most 63 octets, at most 253 in all');
    }
    if (labels[0] === '_dmarc') {
      throw invalidInput(this, r.id, given,
        `a name that is not a domain's own _dmarc record, such as "_parked._dmarc-policy.${labels.slice(1).join('.')}": a record at "${name}" is also the DMARC policy of ${labels.slice(1).join('.')}`);
    }
    const zoneName = literalZoneName(zone);
    if (zoneName !== undefined && (name === zoneName || !isInZone(zoneName, name))) {
      throw invalidInput(this, r.id, given,
        `a name under the zone "${zoneName}", such as "_parked._dmarc-policy.${zoneName}" (the apex's TXT record set is the domain's SPF)`);
    }
    return name;
  }

  /**
   * Choices weaker than GOV.UK's parked-domain record, made explicitly, are allowed here and
   * noted: every parked domain that points at the record is judged by them (and fails
   * `GOVUK-PARKED-DMARC` unless p and sp are reject and alignment is strict).
   */
  private noteWeakerChoices(model: DmarcModel): void {
    const warn = (id: string, message: string, source: string) =>
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${id}`, `${message} (${source})`);
    if (model.policy !== DmarcPolicy.REJECT) {
      warn(GOVUK_RULES.dmarcPolicy.id, `The central DMARC policy ${this.recordName} has p=${model.policy}, chosen explicitly${this.monitoringOnly && model.policy === DmarcPolicy.NONE ? ' (allowMonitoringOnly)' : ''}: mail that fails DMARC is not refused for any domain that points at it.`,
        GOVUK_RULES.dmarcPolicy.source);
    }
    const weaker = [
      ...(model.subdomainPolicy !== DmarcPolicy.REJECT ? [`sp=${model.subdomainPolicy}`] : []),
      ...(model.nonExistentSubdomainPolicy !== DmarcPolicy.REJECT ? [`np=${model.nonExistentSubdomainPolicy}`] : []),
    ];
    if (weaker.length > 0) {
      warn(GOVUK_RULES.dmarcSubdomainPolicy.id, `The central DMARC policy ${this.recordName} has ${weaker.join(' and ')}, chosen explicitly: weaker than reject.`,
        GOVUK_RULES.dmarcSubdomainPolicy.source);
    }
    const parkedProblems = [
      ...(model.policy !== DmarcPolicy.REJECT ? [`p=${model.policy}`] : []),
      ...(model.subdomainPolicy !== DmarcPolicy.REJECT ? [`sp=${model.subdomainPolicy}`] : []),
      ...(model.dkimAlignment !== DmarcAlignment.STRICT ? [`adkim=${model.dkimAlignment}`] : []),
      ...(model.spfAlignment !== DmarcAlignment.STRICT ? [`aspf=${model.spfAlignment}`] : []),
    ];
    if (parkedProblems.length > 0) {
      warn(GOVUK_RULES.parkedDmarc.id, `The central DMARC policy ${this.recordName} has ${parkedProblems.join(', ')}: every parked domain that points at it fails GOVUK-PARKED-DMARC (a domain that sends no mail needs p=reject; sp=reject; adkim=s; aspf=s).`,
        GOVUK_RULES.parkedDmarc.source);
    }
  }
}

/** A central DMARC policy record published elsewhere, known by its name. */
class ImportedCentralDmarcPolicy implements ICentralDmarcPolicy {
  constructor(public readonly recordName: string) {}
}

/**
 * Where a parked domain's DMARC policy comes from: its own `_dmarc` TXT record, or a CNAME at
 * `_dmarc.<domain>` to one central policy record of the estate.
 *
 * ```ts
 * const policy = new CentralDmarcPolicy(stack, 'ParkedPolicy', { zone: deptZone, recordName: '_parked._dmarc-policy.dept.gov.uk', reportTo });
 * new ParkedDomain(stack, 'Old', { zone, dmarc: ParkedDmarc.central(policy) });
 * ```
 */
export abstract class ParkedDmarc {
  /**
   * The domain publishes its own `_dmarc` TXT record, GOV.UK's parked-domain record, with the
   * report destinations of `dmarcReportTo`.
   */
  public static ownRecord(): ParkedDmarc {
    return new OwnParkedDmarc();
  }

  /**
   * `_dmarc.<domain>` is a CNAME to a central policy record, and the domain publishes no DMARC
   * record of its own: it has the policy and report destinations of that record.
   *
   * @param policy a `CentralDmarcPolicy` of the app, or `CentralDmarcPolicy.fromRecordName(...)`
   */
  public static central(policy: ICentralDmarcPolicy): ParkedDmarc {
    return new CentralParkedDmarc(policy);
  }

  /**
   * The central policy the domain's `_dmarc` points at; undefined for its own record.
   * @internal
   */
  public abstract _centralPolicy(): ICentralDmarcPolicy | undefined;
}

class OwnParkedDmarc extends ParkedDmarc {
  public _centralPolicy(): ICentralDmarcPolicy | undefined {
    return undefined;
  }
}

class CentralParkedDmarc extends ParkedDmarc {
  constructor(private readonly policy: ICentralDmarcPolicy) {
    super();
  }

  public _centralPolicy(): ICentralDmarcPolicy | undefined {
    return this.policy;
  }
}
