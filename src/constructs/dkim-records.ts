import { Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { PlannedRecord, postureOf } from '../plan';
import { invalidInput, reportFindings } from './private/annotations';
import { isEvaluatedByParent } from './private/evaluating-parent';
import { plannedRecord } from './private/planned-records';
import { RecordNames } from './private/record-names';
import { checkSenders } from './private/sender-problems';
import { ZoneWriter, checkTxtValue } from './private/zone-writer';
import { DkimRecordType, Sender, SenderDkimRecord } from '../senders/sender';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { CONSTRUCT_RULES, RECORD_CONSTRUCT_RULES } from '../standard/platform-rules';
import { GovUkProfile } from '../standard/profile';

/** RFC 6376 §3.1: a selector is sub-domain labels (RFC 5321 Let-dig [Ldh-str]). */
const SELECTOR_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** A CNAME target's label: letters, digits, hyphens and underscores (`_domainkey`), 1–63 octets. */
const TARGET_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * Properties of `DkimRecords`.
 */
export interface DkimRecordsProps {
  /**
   * The hosted zone to publish the records in.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The domain that signs its mail: the zone's own name, or a name under it. Each record is
   * published at `<selector>._domainkey.<domainName>`.
   *
   * @default - the zone's name
   */
  readonly domainName?: string;

  /**
   * DKIM records to publish, each a CNAME to a key the service publishes and rotates, or a TXT
   * record holding the key (`v=DKIM1; k=rsa; p=...`).
   *
   * @default - none; give `records`, `senders` or both
   */
  readonly records?: SenderDkimRecord[];

  /**
   * Services whose DKIM records to publish, from the sender catalogue (for example
   * `Sender.microsoft365()`'s `selector1` and `selector2` CNAMEs). Amazon SES adds none here:
   * `SesSendingIdentity` publishes its Easy DKIM records from the identity's attributes.
   *
   * @default - none; give `records`, `senders` or both
   */
  readonly senders?: Sender[];

  /**
   * How long resolvers may cache the records.
   *
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
}

/**
 * The DKIM key records of a domain (RFC 6376 §3.6.2): one record set per selector at
 * `<selector>._domainkey.<domain>`, a CNAME to the service's key or a TXT record holding it.
 *
 * Each service signs with its own selector: two records with one selector fail synth
 * (`GOVUK-DKIM-SELECTOR-PER-SERVICE`). A TXT key is checked with the DKIM key rules: an RSA key
 * under 1024 bits fails synth (`DKIM-RSA-KEY-UNDER-1024`), under 2048 bits raises the
 * `cdk-gov-email:DKIM-RSA-KEY-UNDER-2048` warning (RFC 8301 §3.2).
 *
 * Creates one `AWS::Route53::RecordSet` per selector, with the selector (lower case) as its
 * construct id.
 */
export class DkimRecords extends Construct {
  /**
   * Some DKIM records as the plan holds them, at `<selector>._domainkey.<domain>`: TXT keys and
   * CNAMEs to the provider's key (targets without the trailing dot). Values known only at
   * deployment are marked so.
   * @internal
   */
  public static _planned(records: SenderDkimRecord[], domain: string): PlannedRecord[] {
    return records.map((r) => plannedRecord(`${r.selector.toLowerCase()}._domainkey.${domain}`, r.recordType,
      [r.recordType === DkimRecordType.CNAME ? cnameTarget(r.value) : r.value]));
  }

  /** The domain the records are for (lower case, no trailing dot, when known at synth). */
  public readonly domainName: string;

  /** The records published, in order: `records` first, then the senders'. */
  public readonly records: SenderDkimRecord[];

  /** The record sets, in the order of `records`. */
  public readonly recordSets: route53.RecordSet[];

  constructor(scope: Construct, id: string, props: DkimRecordsProps) {
    super(scope, id);
    const names = RecordNames.forDomain(this, props.zone, props.domainName);
    this.domainName = names.domain.name;
    const writer = ZoneWriter.of(this, names, props.ttl);
    checkSenders(this, props.senders ?? []);

    const owned = this.collect(names, props.records ?? [], props.senders ?? []);
    this.records = owned.map((o) => o.record);
    this.recordSets = owned.map(({ record }) => {
      const selector = record.selector.toLowerCase();
      const name = names.at(`${selector}._domainkey.`);
      return record.recordType === DkimRecordType.CNAME
        ? writer.recordSet(selector, { name, type: route53.RecordType.CNAME, values: [cnameTarget(record.value)] })
        : writer.recordSet(selector, { name, type: route53.RecordType.TXT, values: [record.value] });
    });

    if (!isEvaluatedByParent(this)) {
      // The domain may send through the CNAMEs' services too, so "no key found" is not judged here.
      reportFindings(this, GovUkProfile.evaluate(postureOf({
        domain: names.display,
        records: DkimRecords._planned(this.records, names.display),
        sesIdentities: [],
        parked: false,
        sendsMail: false,
        receivesMail: false,
        signingSelectors: this.records.map((r) => r.selector),
        fields: ['dkim'],
      })));
    }
  }

  /** Every record with who asked for it, checked: selector syntax, one record per selector, record type and target. */
  private collect(names: RecordNames, records: SenderDkimRecord[], senders: Sender[]): Array<{ record: SenderDkimRecord; owner: string }> {
    const domain = names.literalDomain;
    if (senders.length > 0 && domain === undefined) {
      throw invalidInput(this, CONSTRUCT_RULES.outsideZone.id, names.domain.name,
        'a domainName known at synth: the senders\' DKIM records are derived from the domain name',
        CONSTRUCT_RULES.outsideZone.summary);
    }
    const owned = [
      ...records.map((record, i) => ({ record, owner: `records[${i}]` })),
      ...senders.flatMap((s) => s.dkimRecords(domain!).map((record) => ({ record, owner: s.name }))),
    ];
    if (owned.length === 0) {
      throw invalidInput(this, GOVUK_RULES.dkimMissing.id, [],
        'at least one DKIM record, in records or from senders that publish DKIM records (Amazon SES publishes its own through SesSendingIdentity)');
    }
    const seen = new Map<string, string>();
    for (const { record, owner } of owned) {
      this.checkRecord(record);
      const key = Token.isUnresolved(record.selector) ? record.selector : record.selector.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        throw invalidInput(this, GOVUK_RULES.dkimSelectorPerService.id, record.selector,
          `one record per selector: "${record.selector}" is used by both ${first} and ${owner}; give each service its own selector`);
      }
      seen.set(key, owner);
    }
    return owned;
  }

  private checkRecord(record: SenderDkimRecord): void {
    const selector = record.selector;
    if (Token.isUnresolved(selector)) {
      // The selector is part of the record's name and its construct id: it must be known here.
      throw invalidInput(this, RECORD_CONSTRUCT_RULES.dkimSelector.id, selector,
        'a selector known at synth, such as "selector1"', RECORD_CONSTRUCT_RULES.dkimSelector.summary);
    }
    const labels = selector.split('.');
    if (selector.length > 253 || !labels.every((l) => SELECTOR_LABEL.test(l))) {
      throw invalidInput(this, RECORD_CONSTRUCT_RULES.dkimSelector.id, selector,
        'dot-separated labels of letters, digits and inner hyphens, such as "selector1" or "s2026.ses"',
        RECORD_CONSTRUCT_RULES.dkimSelector.summary);
    }
    if (record.recordType !== DkimRecordType.CNAME && record.recordType !== DkimRecordType.TXT) {
      throw invalidInput(this, RECORD_CONSTRUCT_RULES.dkimRecordType.id, record.recordType,
        `DkimRecordType.CNAME or DkimRecordType.TXT for selector "${selector}"`, RECORD_CONSTRUCT_RULES.dkimRecordType.summary);
    }
    if (record.recordType === DkimRecordType.CNAME && !Token.isUnresolved(record.value)) {
      const target = record.value.endsWith('.') ? record.value.slice(0, -1) : record.value;
      const targetLabels = target.split('.');
      if (target.length > 253 || targetLabels.length < 2 || !targetLabels.every((l) => TARGET_LABEL.test(l))) {
        throw invalidInput(this, RECORD_CONSTRUCT_RULES.dkimCnameTarget.id, record.value,
          `a domain name for selector "${selector}", such as "selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com"`,
          RECORD_CONSTRUCT_RULES.dkimCnameTarget.summary);
      }
    }
    if (record.recordType === DkimRecordType.TXT) {
      checkTxtValue(this, record.value); // throws TXT-NON-ASCII or TXT-ROUTE53-VALUE-LENGTH, naming this construct
    }
  }
}

/** A CNAME value as written, without a trailing dot (Route 53 reads it as fully qualified either way). */
function cnameTarget(value: string): string {
  return !Token.isUnresolved(value) && value.endsWith('.') ? value.slice(0, -1) : value;
}
