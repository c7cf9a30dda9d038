import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { postureOf } from '../plan';
import { ANNOTATION_PREFIX, invalidInput, reportFindings } from './private/annotations';
import { isEvaluatedByParent } from './private/evaluating-parent';
import { plannedRecord } from './private/planned-records';
import { RecordNames } from './private/record-names';
import { checkIncludeCosts, checkSenders } from './private/sender-problems';
import { ZoneWriter, checkTxtValue } from './private/zone-writer';
import { SPF_RULES, Spf, SpfIncludeCost, SpfModel, SpfQualifier, describeSpfLookups } from '../records/spf';
import { Sender } from '../senders/sender';
import { Senders } from '../senders/sender-set';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { GovUkProfile } from '../standard/profile';

/**
 * Properties of an `SpfRecord`.
 */
export interface SpfRecordProps {
  /**
   * The hosted zone to publish the record in.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The domain the SPF record is for: the zone's own name, or a name under it (for example
   * `notify.dept.gov.uk` in the zone `dept.gov.uk`).
   *
   * @default - the zone's name
   */
  readonly domainName?: string;

  /**
   * The services that send mail as the domain. Their SPF includes and mechanisms go into the
   * record, each once, in the order given; the lookup budget is counted with the catalogue's
   * known costs (more than 10 lookups fails synth with `SPF-LOOKUP-LIMIT`).
   *
   * Amazon SES adds nothing here: its include belongs on the MAIL FROM subdomain
   * (`SesSendingIdentity` publishes it there).
   *
   * @default - none: the record is `v=spf1 -all` (the domain authorises no host)
   */
  readonly senders?: Sender[];

  /**
   * More SPF mechanisms, one term each as written (`ip4:192.0.2.0/24`,
   * `include:_spf.example.com`), placed after the senders' own and before `all`. The construct
   * writes `v=spf1` itself: an entry that is or begins with it fails synth
   * (`SPF-VERSION-AS-TERM`), and so does a record with more than 2 terms that may return no
   * answer (`SPF-VOID-LOOKUP-LIMIT`: `exists`, `a`/`mx` with a macro, includes' known void lookups).
   *
   * @default - none
   */
  readonly additionalMechanisms?: string[];

  /**
   * The lookup costs of includes in `additionalMechanisms`: the DNS-querying terms each
   * target's own record adds. An include without a known cost counts as 1 and is noted
   * (`SPF-LOOKUP-COST-UNKNOWN`).
   *
   * @default - none known
   */
  readonly additionalIncludeCosts?: SpfIncludeCost[];

  /**
   * The qualifier of the closing `all`: what receivers do with mail from a host the record does
   * not list. GOV.UK accepts `-all` and `~all`. `SpfQualifier.SOFTFAIL` (`~all`) is allowed when
   * chosen explicitly and raises the `cdk-gov-email:GOVUK-SPF-ALL` warning; `PASS` and `NEUTRAL`
   * fail synth.
   *
   * @default SpfQualifier.FAIL (`-all`)
   */
  readonly allQualifier?: SpfQualifier;

  /**
   * Other TXT values to publish at the same name: site-verification tokens and the like. A name
   * holds one TXT record set, so they are merged into the one record set with the SPF record.
   * A value that is itself an SPF record fails synth (`SPF-MULTIPLE-RECORDS`); identical values
   * are published once.
   *
   * @default - none
   */
  readonly additionalValues?: string[];

  /**
   * How long resolvers may cache the record.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
}

/**
 * The SPF record of a domain (RFC 7208), and the ONE TXT record set at its name.
 *
 * The record is built from the senders (`Senders.apexSpf`) and ends with `-all` unless told
 * otherwise. Any other TXT value at the same name (a site-verification token) is merged into the
 * same record set, because Route 53 holds one record set per name and type and a second one
 * fails to deploy. Every value is split into 255-octet character-strings.
 *
 * Creates one `AWS::Route53::RecordSet` (`Resource`) of type TXT. Two constructs publishing TXT
 * at the same name in the same zone fail synth (`ROUTE53-RECORD-CONFLICT`).
 *
 * At synth the record is checked with the UK government profile the CLI uses: RFC 7208 errors
 * (including more than 10 lookups) fail synth, warnings become `cdk-gov-email:<RULE-ID>`
 * warning annotations.
 */
export class SpfRecord extends Construct {
  /** The domain the record is published at (lower case, no trailing dot, when known at synth). */
  public readonly domainName: string;

  /** The SPF record text, for example `v=spf1 include:spf.protection.outlook.com -all`. */
  public readonly spf: string;

  /** Every TXT value of the record set, as text: the SPF record first, then `additionalValues`. */
  public readonly values: string[];

  /** The known lookup costs of the record's includes (the senders' and `additionalIncludeCosts`). */
  public readonly includeCosts: SpfIncludeCost[];

  /** The TXT record set. */
  public readonly recordSet: route53.RecordSet;

  constructor(scope: Construct, id: string, props: SpfRecordProps) {
    super(scope, id);
    const names = RecordNames.forDomain(this, props.zone, props.domainName);
    this.domainName = names.domain.name;
    const writer = ZoneWriter.of(this, names, props.ttl);
    const standalone = !isEvaluatedByParent(this);

    const qualifier = this.checkQualifier(props.allQualifier ?? SpfQualifier.FAIL);
    const mechanisms = this.checkMechanisms(props.additionalMechanisms ?? []);
    const senders = props.senders ?? [];
    checkSenders(this, senders);
    checkIncludeCosts(this, props.additionalIncludeCosts ?? [], 'additionalIncludeCosts');
    this.spf = Senders.apexSpf(senders, { allQualifier: qualifier, extraMechanisms: mechanisms });
    const additional = this.checkAdditionalValues(props.additionalValues ?? []);
    this.values = [this.spf, ...additional];
    this.includeCosts = [...Senders.includeCosts(senders), ...(props.additionalIncludeCosts ?? [])];
    this.checkGenerated();

    this.recordSet = writer.recordSet('Resource', { name: names.at(), type: route53.RecordType.TXT, values: this.values });

    if (qualifier === SpfQualifier.SOFTFAIL) {
      // The profile accepts ~all; the construct's default is -all, so choosing ~all is noted.
      Annotations.of(this).addWarningV2(`${ANNOTATION_PREFIX}${GOVUK_RULES.spfAll.id}`,
        `The SPF record ends with "~all", chosen explicitly: receivers accept mail from hosts it does not list and only mark it. The default "-all" asks them to reject it. (${GOVUK_RULES.spfAll.source})`);
    }

    if (standalone) {
      // A value known only at deployment is left out and the apex TXT reported as not evaluated;
      // when it is in the SPF record itself, no SPF rule can be judged here.
      reportFindings(this, GovUkProfile.evaluate(postureOf({
        domain: names.display,
        records: [plannedRecord(names.display, 'TXT', this.values)],
        sesIdentities: [],
        parked: false,
        spfIncludeCosts: this.includeCosts,
        fields: ['apexTxt'],
      })));
    }
  }

  private checkQualifier(qualifier: SpfQualifier): SpfQualifier {
    if (qualifier !== SpfQualifier.FAIL && qualifier !== SpfQualifier.SOFTFAIL) {
      throw invalidInput(this, GOVUK_RULES.spfAll.id, `${qualifier}all`,
        'SpfQualifier.FAIL ("-all", the default) or SpfQualifier.SOFTFAIL ("~all")');
    }
    return qualifier;
  }

  /**
   * One term per entry: a blank or spaced entry would silently become several terms or none, and
   * "v=spf1" (or a whole record) is not a term: the record begins with it already.
   */
  private checkMechanisms(mechanisms: string[]): string[] {
    for (const m of mechanisms) {
      if (Token.isUnresolved(m)) continue;
      if (/^v=spf1(?:\s|$)/i.test(m.trim())) {
        throw invalidInput(this, SPF_RULES.versionAsTerm.id, m,
          'the terms that follow "v=spf1", one per entry, such as ["include:_spf.example.com"]: the construct writes "v=spf1" itself');
      }
      if (m.trim() === '' || /\s/.test(m)) {
        throw invalidInput(this, SPF_RULES.malformedTerm.id, m,
          'one SPF term per entry with no spaces, such as "ip4:192.0.2.0/24" or "include:_spf.example.com"');
      }
    }
    return mechanisms;
  }

  /**
   * The record this construct publishes never breaks RFC 7208 where it can tell: no "v=spf1"
   * among its terms (a sender's mechanisms included), and at most 2 terms that may return no
   * answer (RFC 7208 §4.6.4: a third void lookup is a permerror). A record read from DNS gets the
   * same rules as findings (`Spf.check`); here they fail synth.
   */
  private checkGenerated(): void {
    if (Token.isUnresolved(this.spf)) return;
    let model: SpfModel;
    try {
      model = Spf.parse(this.spf);
    } catch {
      return; // a term that cannot be read is reported by the profile, with the rule it breaks
    }
    // The record layer decides (the same rules `Spf.check` applies to a record read from DNS);
    // what it can only warn about in someone else's record, this construct refuses to publish.
    const options = { includeCosts: this.includeCosts };
    const refused = new Set([SPF_RULES.versionAsTerm.id, SPF_RULES.voidLookupLimit.id]);
    const broken = Spf.validate(model, options).find((f) => refused.has(f.ruleId));
    if (broken?.ruleId === SPF_RULES.versionAsTerm.id) {
      throw invalidInput(this, broken.ruleId, this.spf,
        'one "v=spf1", at the start, which the construct writes itself: give senders and additionalMechanisms the terms that follow it');
    }
    if (broken !== undefined) {
      throw invalidInput(this, broken.ruleId, this.spf,
        `at most 2 lookups that may return no answer for a host that matches nothing (each exists term, each a or mx term with a macro, and the includes' known void lookups); this record has ${Spf.lookupCount(model, options).voidLookupRisk}: ${describeSpfLookups(model, options, true)}`);
    }
  }

  /** No second SPF record; each value publishable; duplicates dropped. */
  private checkAdditionalValues(values: string[]): string[] {
    const out: string[] = [];
    for (const value of values) {
      if (!Token.isUnresolved(value)) {
        if (Spf.isSpf(value)) {
          throw invalidInput(this, SPF_RULES.multipleRecords.id, value,
            'TXT values other than SPF: the SPF record is built from senders and additionalMechanisms, and two SPF records make every receiver return permerror');
        }
        checkTxtValue(this, value); // throws TXT-NON-ASCII or TXT-ROUTE53-VALUE-LENGTH, naming this construct
      }
      if (!out.includes(value)) {
        out.push(value);
      }
    }
    return out;
  }
}
