import { createHash } from 'node:crypto';
import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ANNOTATION_PREFIX } from '../constructs/private/annotations';
import { ZoneWriter } from '../constructs/private/zone-writer';
import { Dmarc } from '../records/dmarc';
import { REPORT_RULES } from '../standard/report-rules';

/**
 * How a `ReportInbox` publishes the DMARC report authorisation records
 * (`<domain>._report._dmarc.<inbox>` TXT `v=DMARC1`, RFC 7489 §7.1) of the domains outside its
 * zone's organisational domain.
 */
export enum ReportAuthorisationLayout {
  /**
   * One `AWS::Route53::RecordSet` per domain (construct id `ReportAuthorisation-<domain>`), as
   * every inbox had before record set groups: one resource each, so a stack holds a few hundred
   * at most.
   */
  RECORD_SET_PER_DOMAIN = 'RECORD_SET_PER_DOMAIN',

  /**
   * `AWS::Route53::RecordSetGroup` resources of up to 100 records each
   * (`ReportAuthorisations-00` to `-63`): a domain's record is in the group its name hashes to,
   * so adding or removing a domain changes that one group.
   */
  RECORD_SET_GROUPS = 'RECORD_SET_GROUPS',
}

/** The most external domains the default layout writes one record set each for. */
export const MAX_DEFAULT_RECORD_SETS = 100;
/**
 * How many groups the names are hashed into. Fixed: a domain never moves from one group to
 * another when others come and go (a record moved between resources is created by the one before
 * the other deletes it, which Route 53 refuses). 64 groups of at most 100 records hold a few
 * thousand domains with room for the unevenness of hashing (3,000 names: about 47 a group).
 */
const GROUPS = 64;
/** The most records in a group: Route 53 takes 1,000 values and 32,000 characters in a change batch. */
const MAX_GROUP_RECORDS = 100;

/**
 * The group a name's record is in: the first byte of the SHA-256 of the lower-case name, modulo
 * the number of groups. Chosen over groups that fill in name order, where adding one name early in
 * the order would move a record out of every group after it.
 * @internal
 */
export function authorisationGroupOf(domain: string): number {
  return createHash('sha256').update(domain.toLowerCase()).digest()[0] % GROUPS;
}

/** The construct id of a group. */
function groupId(group: number): string {
  return `ReportAuthorisations-${String(group).padStart(2, '0')}`;
}

/**
 * The inbox's authorisation records. The names follow the domain list as it is (domains may be
 * added until the app is synthesised); the resources are written once, when the inbox's aspect
 * visits it at synthesis, because the default layout depends on how many there are in the end.
 * @internal
 */
export class ReportAuthorisations {
  private written?: ReportAuthorisationLayout;

  constructor(
    private readonly owner: Construct,
    private readonly writer: ZoneWriter,
    private readonly dmarcAddress: string,
    private readonly domains: () => string[],
    private readonly layout: ReportAuthorisationLayout | undefined) {}

  /** The domains that need an authorisation, with its name, in the order of the domain list. */
  public get records(): Array<{ domain: string; name: string }> {
    const records: Array<{ domain: string; name: string }> = [];
    for (const domain of this.domains()) {
      const name = Dmarc.externalReportAuthorisation(domain, this.dmarcAddress);
      if (name !== undefined) records.push({ domain, name });
    }
    return records;
  }

  /** The names published. */
  public get names(): string[] {
    return this.records.map((r) => r.name);
  }

  /** True once the resources are written: the list can no longer change. */
  public get isWritten(): boolean {
    return this.written !== undefined;
  }

  /** The layout used, given or by the default rule. */
  public resolvedLayout(): ReportAuthorisationLayout {
    if (this.layout !== undefined) return this.layout;
    return this.records.length <= MAX_DEFAULT_RECORD_SETS
      ? ReportAuthorisationLayout.RECORD_SET_PER_DOMAIN
      : ReportAuthorisationLayout.RECORD_SET_GROUPS;
  }

  /** Write the resources, once. */
  public write(): void {
    if (this.written !== undefined) return;
    const layout = this.resolvedLayout();
    this.written = layout;
    const records = this.records;
    if (layout === ReportAuthorisationLayout.RECORD_SET_PER_DOMAIN) {
      for (const { domain, name } of records) {
        this.writer.recordSet(`ReportAuthorisation-${domain}`, { name, type: route53.RecordType.TXT, values: ['v=DMARC1'] });
      }
      return;
    }
    if (this.layout === undefined) {
      const r = REPORT_RULES.inboxAuthorisationLayout;
      Annotations.of(this.owner).addWarningV2(`${ANNOTATION_PREFIX}${r.id}`,
        `${records.length} domains need a DMARC report authorisation record, more than the ${MAX_DEFAULT_RECORD_SETS} the inbox publishes one record set each for: they are published in record set groups. `
        + 'An inbox deployed before with one record set per domain cannot move its records into groups in one deployment (CloudFormation creates the groups before it deletes the record sets, and Route 53 refuses a record that exists): '
        + 'set authorisationLayout to RECORD_SET_PER_DOMAIN to keep them, or to RECORD_SET_GROUPS to say the groups are meant. '
        + `(${r.source})`);
    }
    const groups = new Map<number, Array<{ domain: string; name: string }>>();
    for (const record of records) {
      const group = authorisationGroupOf(record.domain);
      groups.set(group, [...(groups.get(group) ?? []), record]);
    }
    for (const group of [...groups.keys()].sort((a, b) => a - b)) {
      const members = groups.get(group)!.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.writer.recordSetGroup(groupId(group), {
        comment: `DMARC report authorisations (RFC 7489 section 7.1) of ${members.length} domains reporting to this inbox`,
        records: members.map(({ name }) => ({ name, type: route53.RecordType.TXT, values: ['v=DMARC1'] })),
        contents: `one group of the inbox's DMARC report authorisations (${members.length} records)`,
      });
    }
  }

  /**
   * What is wrong with the records as written, when the app is validated: a group over its
   * size, or record sets more than the stack can hold.
   */
  public validate(): string[] {
    if (this.written === undefined) return [];
    const r = REPORT_RULES.inboxAuthorisations;
    const records = this.records;
    if (this.written === ReportAuthorisationLayout.RECORD_SET_GROUPS) {
      const sizes = new Map<number, number>();
      for (const { domain } of records) sizes.set(authorisationGroupOf(domain), (sizes.get(authorisationGroupOf(domain)) ?? 0) + 1);
      const over = [...sizes.entries()].filter(([, size]) => size > MAX_GROUP_RECORDS).sort(([a], [b]) => a - b);
      return over.map(([group, size]) => `[${r.id}] ${r.summary} Got: ${size} records in ${groupId(group)} (${records.length} domains in all). Allowed: at most ${MAX_GROUP_RECORDS} records in a group, ${GROUPS} groups: give the other domains an inbox in another region or account.`);
    }
    const stack = Stack.of(this.owner);
    const limit = Number(this.owner.node.tryGetContext('@aws-cdk/core:stackResourceLimit') ?? 500);
    const resources = stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
    if (records.length > MAX_DEFAULT_RECORD_SETS && limit > 0 && resources > limit) {
      return [`[${r.id}] ${r.summary} Got: authorisationLayout RECORD_SET_PER_DOMAIN with ${records.length} authorisation record sets, in a stack of ${resources} resources. Allowed: at most ${limit} resources in a stack: authorisationLayout RECORD_SET_GROUPS (up to ${MAX_GROUP_RECORDS} records a resource), fewer domains, or the inbox in a stack of its own.`];
    }
    return [];
  }
}
