import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { DmarcRecord } from './dmarc-record';
import { PlannedRecord, postureOf } from '../plan';
import { ANNOTATION_PREFIX, invalidInput, reportFindings } from './private/annotations';
import { isEvaluatedByParent } from './private/evaluating-parent';
import { plannedRecord } from './private/planned-records';
import { RecordNames } from './private/record-names';
import { ZoneWriter } from './private/zone-writer';
import { BIMI_FORMAT, BIMI_RULES, Bimi, BimiModel } from '../records/bimi';
import { Dmarc } from '../records/dmarc';
import { Severity } from '../records/finding';
import { GovUkProfile } from '../standard/profile';

/**
 * What a domain's BIMI record says: where its logo is, and the evidence that it may use it.
 * `BimiRecordProps` adds where the record is published; `GovEmailDomainProps.bimi` takes these
 * options as they are.
 */
export interface BimiOptions {
  /**
   * The `https:` URL of the logo (`l=`): an SVG Tiny Portable/Secure document, square, at most
   * 32 KB, conventionally ending `.svg`. A URL that is not `https:`, names no host, or ends in
   * another image format's suffix (`.png`, `.jpg`…) fails synth (`BIMI-LOGO-URL`). An empty
   * string, with no `authorityUrl`, publishes `v=BIMI1; l=; a=`, declining BIMI for the selector.
   */
  readonly logoUrl: string;

  /**
   * The `https:` URL of the PEM mark certificate (`a=`): a Verified Mark Certificate or Common
   * Mark Certificate for the logo, which most mailbox providers ask for before they show it. A URL
   * that is not `https:` or names no host fails synth (`BIMI-AUTHORITY-URL`).
   *
   * @default - no `a=` tag (no evidence published)
   */
  readonly authorityUrl?: string;

  /**
   * The selector: the record is published at `<selector>._bimi.<domain>`. Receivers use
   * `default` unless a message's BIMI-Selector header names another. Labels of letters, digits and
   * hyphens separated by dots, or synth fails (`BIMI-SELECTOR`).
   *
   * @default 'default'
   */
  readonly selector?: string;
}

/**
 * Properties of a `BimiRecord`.
 */
export interface BimiRecordProps extends BimiOptions {
  /**
   * The hosted zone to publish the record in.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The domain whose mail shows the logo: the zone's own name, or a name under it.
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
 * The BIMI assertion record of a domain, `<selector>._bimi.<domain>` TXT
 * `v=BIMI1; l=<logo URL>; a=<certificate URL>` (Brand Indicators for Message Identification,
 * draft-brand-indicators-for-message-identification): mailbox providers that take part show the
 * logo beside authenticated mail from the domain.
 *
 * Creates one `AWS::Route53::RecordSet` (`Resource`) of type TXT.
 *
 * Receivers show no logo unless the domain's DMARC policy is at enforcement (`p=quarantine`
 * with no `pct` below 100, or `p=reject`, and no `sp=none`). At synth the record is checked with
 * the UK government profile the CLI uses, and the DMARC policy with it: the `DmarcRecord` of the
 * domain (or of its organisational domain) in the same app is found and checked
 * (`BIMI-DMARC-POLICY`, an error); when the app has none, a `cdk-gov-email:BIMI-DMARC-POLICY`
 * warning says it was not checked. Within a `GovEmailDomain` (its `bimi` option) the domain
 * evaluates its own DMARC record instead.
 *
 * Neither the logo nor the certificate is fetched at synth: `gov-email check` does that.
 */
export class BimiRecord extends Construct {
  /** The domain the record is for (lower case, no trailing dot, when known at synth). */
  public readonly domainName: string;

  /** The selector, lower case. */
  public readonly selector: string;

  /** The record text, for example `v=BIMI1; l=https://dept.gov.uk/logo.svg; a=https://dept.gov.uk/vmc.pem`. */
  public readonly value: string;

  /** The TXT record set at `<selector>._bimi.<domain>`. */
  public readonly recordSet: route53.RecordSet;

  /** Whether the record shows a logo (false when it declines BIMI). */
  private readonly showsLogo: boolean;

  constructor(scope: Construct, id: string, props: BimiRecordProps) {
    super(scope, id);
    const names = RecordNames.forDomain(this, props.zone, props.domainName);
    this.domainName = names.domain.name;
    this.selector = checkSelector(this, props.selector ?? Bimi.DEFAULT_SELECTOR);
    const writer = ZoneWriter.of(this, names, props.ttl);

    const model = checkModel(this, props);
    this.showsLogo = !Bimi.isDeclined(model);
    // A URL known only at deployment is checked where it resolves (`gov-email check`).
    this.value = [props.logoUrl, props.authorityUrl].some((u) => u !== undefined && Token.isUnresolved(u))
      ? BIMI_FORMAT.write(model)
      : Bimi.render(model);
    const name = names.at(`${this.selector}._bimi.`);
    this.recordSet = writer.recordSet('Resource', { name, type: route53.RecordType.TXT, values: [this.value] });

    if (!isEvaluatedByParent(this)) {
      reportFindings(this, GovUkProfile.evaluate(postureOf({
        domain: names.display,
        records: [this._planned(names.display)],
        sesIdentities: [],
        parked: false,
        fields: ['bimi'],
      })));
      if (this.showsLogo) {
        this.node.addValidation({ validate: () => this.checkDmarcInApp(names.literalDomain) });
      }
    }
  }

  /**
   * The record as the plan holds it, at `<selector>._bimi.<domain>`.
   * @internal
   */
  public _planned(domain: string): PlannedRecord {
    return plannedRecord(`${this.selector}._bimi.${domain}`, 'TXT', [this.value]);
  }

  /**
   * BIMI needs DMARC at enforcement: the app's `DmarcRecord` for the domain, and for its
   * organisational domain when that differs, judged with the profile; a warning when the app
   * publishes neither, so the check is never skipped silently.
   */
  private checkDmarcInApp(domain: string | undefined): string[] {
    const ruleId = BIMI_RULES.dmarcPolicy.id;
    if (domain === undefined) {
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${ruleId}`,
        'The domain is known only at deployment, so whether its DMARC policy is at enforcement, as BIMI needs, was not checked here; check it with `gov-email check`.');
      return [];
    }
    const candidates = [...new Set([domain, Dmarc.organisationalDomain(domain)])];
    const dmarcs = this.node.root.node.findAll().filter((c): c is DmarcRecord => c instanceof DmarcRecord
      && !Token.isUnresolved(c.domainName) && candidates.includes(c.domainName));
    if (dmarcs.length === 0) {
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${ruleId}`,
        `No DmarcRecord for ${candidates.join(' or ')} is in this app, so whether DMARC is at enforcement (p=quarantine or p=reject, no sp=none), `
        + `as BIMI needs, was not checked here; check it with \`gov-email check ${domain}\`. (${BIMI_RULES.dmarcPolicy.source})`);
      return [];
    }
    const messages: string[] = [];
    for (const dmarc of dmarcs) {
      const findings = GovUkProfile.evaluate(postureOf({
        domain: dmarc.domainName,
        records: [this._planned(dmarc.domainName), plannedRecord(`_dmarc.${dmarc.domainName}`, 'TXT', [dmarc.value])],
        sesIdentities: [],
        parked: false,
        fields: ['bimi', 'dmarc'],
      })).filter((f) => f.ruleId === ruleId && f.severity === Severity.ERROR);
      messages.push(...findings.map((f) => `[${f.ruleId}] ${f.message} (DMARC published by ${dmarc.node.path}) (${f.source})`));
    }
    return messages;
  }
}

/** The selector, lower case; refused unless labels of letters, digits and hyphens. */
function checkSelector(scope: IConstruct, selector: string): string {
  if (Token.isUnresolved(selector)) {
    throw invalidInput(scope, BIMI_RULES.selector.id, selector, 'a selector known at synth, for example "default"');
  }
  if (!Bimi.isValidSelector(selector)) {
    throw invalidInput(scope, BIMI_RULES.selector.id, selector,
      'labels of letters, digits and hyphens (not at either end) separated by dots, for example "default" or "brand2"');
  }
  return selector.toLowerCase();
}

/** The record's model, each URL checked on its own so the error names the one that is wrong. */
function checkModel(scope: IConstruct, props: BimiOptions): BimiModel {
  const logoUrl = props.logoUrl;
  const declines = logoUrl === '' && (props.authorityUrl ?? '') === '';
  const model: BimiModel = declines
    ? { logoUrl: '', authorityUrl: '' }
    : { logoUrl, ...(props.authorityUrl === undefined ? {} : { authorityUrl: props.authorityUrl }) };
  if (declines) return model;
  if (!Token.isUnresolved(logoUrl)) {
    const error = Bimi.validate({ logoUrl }).find((f) => f.severity === Severity.ERROR);
    if (error !== undefined) {
      throw invalidInput(scope, error.ruleId, logoUrl,
        'an https: URL naming a host, of an SVG Tiny Portable/Secure logo, for example "https://www.dept.gov.uk/bimi/logo.svg"',
        error.message);
    }
  }
  const authorityUrl = props.authorityUrl;
  if (authorityUrl !== undefined && !Token.isUnresolved(authorityUrl)) {
    if (logoUrl === '') {
      throw invalidInput(scope, BIMI_RULES.logoUrl.id, logoUrl,
        'the logo\'s https: URL when authorityUrl is given; leave authorityUrl out as well to decline BIMI');
    }
    const error = Bimi.validate({ logoUrl: 'https://logo.invalid.example/logo.svg', authorityUrl })
      .find((f) => f.severity === Severity.ERROR);
    if (error !== undefined) {
      throw invalidInput(scope, error.ruleId, authorityUrl,
        'an https: URL naming a host, of the PEM mark certificate, for example "https://www.dept.gov.uk/bimi/vmc.pem"',
        error.message);
    }
  }
  return model;
}
