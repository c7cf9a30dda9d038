/**
 * Groups what a plan publishes by email domain, and builds each domain's `DomainPosture` for
 * the UK government profile. A domain's records may be spread over several resources and
 * stacks: they are merged. Two record sets with the same name and type in one hosted zone are
 * a finding of their own (Route 53 holds one record set per name and type).
 */
import { CloudAssembly } from './cloud-assembly';
import { mtaStsPoliciesInCode } from './mta-sts-function';
import { CloudFrontDistribution, DnsRecord, SesConfigurationSet, EmailResources, SesIdentity, originText, resourcesFromStacks } from './resources';
import { DomainPlan, MAX_CNAME_LINKS, PlannedEasyDkim, PlannedRecord, PlannedSesIdentity, PlannedTlsPolicy, UnresolvedRecordField, postureOf } from '../plan';
import { DKIM_RULES } from '../records/dkim';
import { Finding, finding, subjectOf } from '../records/finding';
import { Spf, SpfIncludeCost } from '../records/spf';
import { TxtChunks } from '../records/txt';
import { Senders } from '../senders/sender-set';
import { GOVUK_RULES } from '../standard/govuk-rules';
import { RECORD_CONSTRUCT_RULES } from '../standard/platform-rules';
import { DomainPosture } from '../standard/posture';
import { GovUkProfile } from '../standard/profile';

/**
 * Rules about a plan as a whole, found only by reading every stack together (defined in the
 * rule catalogue, shared with the constructs' own duplicate check).
 */
export const ASSEMBLY_RULES = {
  duplicateRecordSet: RECORD_CONSTRUCT_RULES.recordConflict,
};

/** One email domain of a plan: what it publishes, its posture and what the plan alone shows. */
export interface EmailDomain {
  /** The domain, lower case; a placeholder when its name is not known before deployment. */
  readonly domain: string;
  /** True when the domain's name holds a placeholder, so it cannot be evaluated. */
  readonly nameUnresolved: boolean;
  /** The record sets it publishes (its own names, its DKIM selectors, its SES MAIL FROM subdomain…). */
  readonly records: DnsRecord[];
  /** The SES identities for the domain or its addresses. */
  readonly sesIdentities: SesIdentity[];
  /** What the domain publishes, as the plan's readers share it; absent when the name is not known. */
  readonly plan?: DomainPlan;
  /** The input to `GovUkProfile.evaluate`, `postureOf(plan)`; absent when the name is not known. */
  readonly posture?: DomainPosture;
  /** Findings about the plan itself: record set conflicts, SES DKIM key length. */
  readonly planFindings: Finding[];
  /**
   * Record sets at the targets of the domain's CNAMEs (`_dmarc.<domain>` to a central DMARC
   * policy record), from any stack of the plan, which its posture reads through the CNAME. They
   * are published at other names, often in another zone, and may be shared by many domains.
   *
   * @default - none
   */
  readonly cnameTargets?: DnsRecord[];
}

/** CloudFront's policy when none is set, or with the default certificate (which ignores any). */
const CLOUDFRONT_DEFAULT_TLS = 'TLSv1';

/** `<selector>._bimi.<domain>`, a BIMI assertion record. */
const BIMI_NAME = /^.+\._bimi\.(.+)$/;

const PREFIXES: Array<[RegExp, boolean]> = [
  // [pattern, whether a record at it makes its base a domain]
  [/^_dmarc\.(.+)$/, true],
  [/^_mta-sts\.(.+)$/, true],
  [/^_smtp\._tls\.(.+)$/, true],
  [/^[^.]+\._domainkey\.(.+)$/, true],
  // A BIMI selector may hold dots: the domain follows the last `._bimi.`.
  [BIMI_NAME, true],
  [/^mta-sts\.(.+)$/, false],
];
const REPORT_AUTHORISATION = /^(.+)\._report\._dmarc\.(.+)$/;

/**
 * Group a plan's resources by email domain. A domain is a name with a DMARC, SPF, MX, MTA-STS,
 * TLS-RPT or DKIM record, or an SES identity; records are assigned to the domain they belong
 * to (`_dmarc.X`, `_smtp._tls.X`, `_mta-sts.X`, `mta-sts.X`, `*._domainkey.X`,
 * `<selector>._domainkey.X`, SES DKIM tokens, the SES MAIL FROM subdomain, and other names
 * under X). Domains are sorted by name. Linear in the number of records and domains: every
 * lookup is by name, never a search of all domains or all records.
 *
 * @param spfIncludeCosts lookup costs of SPF includes known to the caller; they take precedence
 * over the sender catalogue's, which are always known
 */
export function domainsFromResources(resources: EmailResources, spfIncludeCosts: SpfIncludeCost[] = []): EmailDomain[] {
  const mailFrom = new Map<string, string>();
  for (const id of resources.sesIdentities) {
    if (id.mailFromDomain !== undefined) mailFrom.set(id.mailFromDomain, identityDomain(id.identity));
  }

  // 1. Which names are domains.
  const domains = new Set<string>();
  const unresolvedNames = new Set<string>();
  const add = (name: string, unresolved: boolean) => {
    domains.add(name);
    if (unresolved) unresolvedNames.add(name);
  };
  for (const id of resources.sesIdentities) add(identityDomain(id.identity), id.identityUnresolved);
  for (const r of resources.records) {
    if (r.sesIdentity !== undefined || REPORT_AUTHORISATION.test(r.name)) continue;
    const prefixed = PREFIXES.find(([re, defines]) => defines && re.test(r.name));
    if (prefixed) {
      add(prefixed[0].exec(r.name)![1], r.nameUnresolved);
    } else if (!mailFrom.has(r.name) && (r.type === 'MX' || (r.type === 'TXT' && r.values.some((v) => Spf.isSpf(TxtChunks.parse(v)))))) {
      add(r.name, r.nameUnresolved);
    }
  }

  // 2. Which domain each record belongs to.
  const byDomain = new Map<string, DnsRecord[]>();
  for (const d of domains) byDomain.set(d, []);
  const unassigned = new Map<string, DnsRecord[]>();
  for (const r of resources.records) {
    const owner = ownerOf(r, domains, mailFrom);
    if (owner !== undefined) {
      byDomain.get(owner)!.push(r);
    } else if (r.nameUnresolved) {
      // Never drop what cannot be placed: show it under its zone, as not evaluated.
      const list = unassigned.get(r.zone) ?? [];
      list.push(r);
      unassigned.set(r.zone, list);
    }
  }

  // 3. Conflicts: one record set per (zone, name, type), except routing-policy sets.
  const conflictOf = new Map<DnsRecord, Finding>();
  for (const c of duplicateRecordSets(resources.records)) conflictOf.set(c.records[0], c.finding);

  const identitiesOf = new Map<string, SesIdentity[]>();
  for (const i of resources.sesIdentities) {
    const d = identityDomain(i.identity);
    push(identitiesOf, d, i);
  }
  const planner = new DomainPlanner(resources, spfIncludeCosts);

  const out: EmailDomain[] = [];
  for (const [domain, records] of byDomain) {
    const nameUnresolved = unresolvedNames.has(domain);
    const identities = identitiesOf.get(domain) ?? [];
    const planFindings: Finding[] = [
      ...records.filter((r) => conflictOf.has(r)).map((r) => conflictOf.get(r)!),
      ...identities.filter((i) => i.nextSigningKeyLength === 'RSA_1024_BIT').map((i) => finding(DKIM_RULES.rsaUnder2048,
        `SES signs ${i.identity}'s mail with a 1024-bit Easy DKIM key (DkimSigningAttributes.NextSigningKeyLength RSA_1024_BIT); use RSA_2048_BIT.`, originText(i.origin))),
    ];
    const sorted = sortRecords(records, domain);
    if (nameUnresolved) {
      out.push({ domain, nameUnresolved, records: sorted, sesIdentities: identities, planFindings });
    } else {
      const { plan, cnameTargets } = planner.plan(domain, identities);
      const entry: EmailDomain = { domain, nameUnresolved, records: sorted, sesIdentities: identities, plan, posture: postureOf(plan), planFindings };
      out.push(cnameTargets.length === 0 ? entry : { ...entry, cnameTargets });
    }
  }
  for (const [zone, records] of unassigned) {
    out.push({ domain: zone, nameUnresolved: true, records: sortRecords(records, zone), sesIdentities: [], planFindings: [] });
  }
  return out.sort((a, b) => compare(a.domain, b.domain));
}

/**
 * Every email domain of a cloud assembly (or of resources already read), with its records,
 * posture and the plan's own findings.
 */
export function domainsFromAssembly(assembly: CloudAssembly): EmailDomain[] {
  return domainsFromResources(resourcesFromStacks(assembly.stacks));
}

/**
 * A `DomainPosture` per email domain of a cloud assembly, for `GovUkProfile.evaluate`. Fields
 * whose values hold placeholders are left out and named in `unresolved`, so the profile reports
 * GOVUK-NOT-EVALUATED for them instead of passing them. Domains whose own name is not known
 * before deployment have no posture and are left out.
 */
export function posturesFromAssembly(assembly: CloudAssembly | EmailResources): DomainPosture[] {
  const domains = 'stacks' in assembly ? domainsFromAssembly(assembly) : domainsFromResources(assembly);
  return domains.filter((d) => d.posture !== undefined).map((d) => d.posture!);
}

/**
 * The findings for one domain: the profile's findings on its posture, then the plan's own.
 * A domain whose name is not known gets one GOVUK-NOT-EVALUATED finding.
 */
export function evaluateDomain(domain: EmailDomain): Finding[] {
  if (domain.posture === undefined) {
    return [finding(GOVUK_RULES.notEvaluated,
      `${domain.domain}: the name is not known before deployment, so these records could not be evaluated; they are not assumed compliant.`, domain.domain),
    ...domain.planFindings];
  }
  return [...GovUkProfile.evaluate(domain.posture), ...domain.planFindings];
}

function identityDomain(identity: string): string {
  return identity.includes('@') ? identity.slice(identity.lastIndexOf('@') + 1) : identity;
}

/** The longest domain that `name` is under (not `name` itself), by walking its parents. */
function parentDomain(name: string, domains: Set<string>): string | undefined {
  for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
    const parent = name.slice(i + 1);
    if (domains.has(parent)) return parent;
  }
  return undefined;
}

function ownerOf(r: DnsRecord, domains: Set<string>, mailFrom: Map<string, string>): string | undefined {
  if (r.sesIdentity !== undefined) {
    const d = identityDomain(r.sesIdentity);
    return domains.has(d) ? d : undefined;
  }
  const n = r.name;
  const from = mailFrom.get(n);
  if (from !== undefined && domains.has(from)) return from;
  if (domains.has(n)) return n;
  const auth = REPORT_AUTHORISATION.exec(n);
  if (auth) {
    // Published in the destination's zone, on behalf of the policy domain.
    if (domains.has(auth[2])) return auth[2];
    if (domains.has(auth[1])) return auth[1];
  }
  for (const [re] of PREFIXES) {
    const m = re.exec(n);
    if (m && domains.has(m[1])) return m[1];
  }
  const parent = parentDomain(n, domains);
  if (parent !== undefined) return parent;
  if (r.nameUnresolved) {
    // A name only known at deployment: place it by its zone when the zone is a domain.
    if (domains.has(r.zone)) return r.zone;
    const zoneParent = parentDomain(r.zone, domains);
    if (zoneParent !== undefined) return zoneParent;
  }
  return undefined;
}

interface Conflict {
  readonly records: DnsRecord[];
  readonly finding: Finding;
}

function duplicateRecordSets(records: DnsRecord[]): Conflict[] {
  const groups = new Map<string, DnsRecord[]>();
  for (const r of records) {
    if (r.nameUnresolved) continue;
    const key = `${r.zoneKey}|${r.name}|${r.type}|${r.setIdentifier ?? ''}`;
    push(groups, key, r);
  }
  const out: Conflict[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const r = group[0];
    out.push({
      records: group,
      finding: finding(ASSEMBLY_RULES.duplicateRecordSet,
        `${group.length} record sets publish ${r.type} at ${r.name} in the hosted zone ${r.zone}: ${group.map((g) => originText(g.origin)).join(', ')}. `
        + 'Route 53 holds one record set per name and type, so all but one fail to deploy ("already exists"); put every value in one record set.',
        r.name, undefined, subjectOf(r.name, r.type)),
    });
  }
  return out;
}

/** The apex first, names only known at deployment last, otherwise by name, type and origin. */
function sortRecords(records: DnsRecord[], domain: string): DnsRecord[] {
  return [...records].sort((a, b) => Number(a.name !== domain) - Number(b.name !== domain)
    || Number(a.nameUnresolved) - Number(b.nameUnresolved)
    || compare(a.name, b.name) || compare(a.type, b.type) || compare(originText(a.origin), originText(b.origin)));
}

/** Code-point order, the same under every locale, so output and snapshots are stable. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Builds each domain's `DomainPlan` from the resources, with every record set, identity,
 * distribution and policy body indexed once, so planning a domain costs what it publishes.
 */
class DomainPlanner {
  /** Records with a known name, by name. */
  private readonly byName = new Map<string, DnsRecord[]>();
  /** `<selector>._domainkey.<domain>` records, by domain. */
  private readonly dkimByDomain = new Map<string, DnsRecord[]>();
  /** `<selector>._bimi.<domain>` records, by domain. */
  private readonly bimiByDomain = new Map<string, DnsRecord[]>();
  /** `<policy-domain>._report._dmarc.<destination>` records, by policy domain. */
  private readonly authorisationsByDomain = new Map<string, DnsRecord[]>();
  /** SES Easy DKIM records, by identity. */
  private readonly easyDkimByIdentity = new Map<string, DnsRecord[]>();
  private readonly order = new Map<DnsRecord, number>();
  private readonly distributionsByAlias = new Map<string, CloudFrontDistribution[]>();
  /** Policy bodies keyed by their host (or domain) in the functions' code, first function first. */
  private readonly keyedPolicies = new Map<string, string>();
  /** The one unkeyed body of each function that holds exactly one, by `<stack>/<logicalId>`, in function order. */
  private readonly unkeyedPolicies: Array<[string, string]> = [];
  /** The caller's include costs, then the catalogue's for hosts the caller did not give. */
  private readonly knownIncludeCosts: SpfIncludeCost[];
  /** Configuration sets by `<stack>/<logicalId>`, and by name (the first of each name). */
  private readonly setsByRef = new Map<string, SesConfigurationSet>();
  private readonly setsByName = new Map<string, SesConfigurationSet>();

  constructor(resources: EmailResources, callerCosts: SpfIncludeCost[]) {
    const sameHost = (a: string, b: string) => a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
    this.knownIncludeCosts = [...callerCosts];
    for (const c of Senders.knownIncludeCosts()) {
      if (!this.knownIncludeCosts.some((k) => sameHost(k.domain, c.domain))) this.knownIncludeCosts.push(c);
    }
    resources.records.forEach((r, i) => {
      this.order.set(r, i);
      if (r.sesIdentity !== undefined) {
        push(this.easyDkimByIdentity, r.sesIdentity, r);
        return;
      }
      if (r.nameUnresolved) return;
      push(this.byName, r.name, r);
      const dkim = /^[^.]+\._domainkey\.(.+)$/.exec(r.name);
      if (dkim) push(this.dkimByDomain, dkim[1], r);
      const bimi = BIMI_NAME.exec(r.name);
      if (bimi) push(this.bimiByDomain, bimi[1], r);
      const auth = REPORT_AUTHORISATION.exec(r.name);
      if (auth) push(this.authorisationsByDomain, auth[1], r);
    });
    for (const c of resources.configurationSets) {
      this.setsByRef.set(`${c.origin.stack}/${c.origin.logicalId}`, c);
      if (c.name !== undefined && !this.setsByName.has(c.name)) this.setsByName.set(c.name, c);
    }
    for (const d of resources.distributions) {
      for (const alias of new Set(d.aliases)) push(this.distributionsByAlias, alias, d);
    }
    for (const fn of resources.functions) {
      const policies = mtaStsPoliciesInCode(fn.code);
      for (const p of policies) {
        if (p.host !== undefined && !this.keyedPolicies.has(p.host)) this.keyedPolicies.set(p.host, p.body);
      }
      if (policies.length === 1 && policies[0].host === undefined) this.unkeyedPolicies.push([`${fn.origin.stack}/${fn.origin.logicalId}`, policies[0].body]);
    }
  }

  /** The plan of one domain whose name is known, and the record sets at its CNAMEs' targets that the plan reads. */
  public plan(domain: string, identities: SesIdentity[]): { plan: DomainPlan; cnameTargets: DnsRecord[] } {
    const read = new Set<DnsRecord>();
    const cnameTargets: DnsRecord[] = [];
    for (const name of [domain, `_dmarc.${domain}`, `_mta-sts.${domain}`, `_smtp._tls.${domain}`]) {
      for (const r of this.byName.get(name) ?? []) read.add(r);
      // A field published as a CNAME (a `_dmarc` pointing at a central policy record) is read at
      // its target, as a resolver reads it: the target's record sets join the plan.
      for (const r of this.chainFrom(name)) {
        if (!read.has(r)) cnameTargets.push(r);
        read.add(r);
      }
    }
    for (const r of this.dkimByDomain.get(domain) ?? []) read.add(r);
    for (const r of this.bimiByDomain.get(domain) ?? []) read.add(r);
    for (const r of this.authorisationsByDomain.get(domain) ?? []) read.add(r);
    const records = [...read].sort((a, b) => this.order.get(a)! - this.order.get(b)!).map(plannedRecord);

    const hosts = this.distributionsByAlias.get(`mta-sts.${domain}`) ?? [];
    const plan: { -readonly [K in keyof DomainPlan]: DomainPlan[K] } = {
      domain,
      records,
      sesIdentities: identities.map((i) => this.plannedIdentity(i)),
      // The catalogue's known include costs, so a plan's SPF budget is counted as the constructs count it.
      spfIncludeCosts: this.knownIncludeCosts,
    };
    if (hosts.length > 0) plan.policyHost = { minimumTls: policyHostMinimumTls(hosts) };
    const policy = this.policyFor(domain, hosts);
    if (policy !== undefined) plan.mtaStsPolicy = policy;
    return { plan, cnameTargets };
  }

  /**
   * The record sets along the CNAME chain that starts at `name`, from the first target on: every
   * record set at each target, while a target holds one CNAME with one known value, at most
   * `MAX_CNAME_LINKS` links, never a name twice.
   */
  private chainFrom(name: string): DnsRecord[] {
    const out: DnsRecord[] = [];
    const seen = new Set([name]);
    let owner = name;
    for (let links = 0; links < MAX_CNAME_LINKS; links++) {
      const aliases = (this.byName.get(owner) ?? []).filter((r) => r.type === 'CNAME');
      if (aliases.length !== 1 || aliases[0].unresolved || aliases[0].values.length !== 1) break;
      const target = aliases[0].values[0].toLowerCase().replace(/\.$/, '');
      if (seen.has(target)) break;
      seen.add(target);
      const records = this.byName.get(target) ?? [];
      out.push(...records);
      owner = target;
    }
    return out;
  }

  private plannedIdentity(id: SesIdentity): PlannedSesIdentity {
    const easy = this.easyDkimByIdentity.get(id.identity) ?? [];
    const easyDkim = easy.length === 0 ? PlannedEasyDkim.NONE
      : /^RSA_\d+_BIT$/.test(id.nextSigningKeyLength ?? '') ? PlannedEasyDkim.KEY_LENGTH_KNOWN : PlannedEasyDkim.UNRESOLVED;
    const planned: { -readonly [K in keyof PlannedSesIdentity]: PlannedSesIdentity[K] } = {
      identity: id.identity, easyDkim, tlsPolicy: this.tlsPolicyOf(id),
    };
    if (id.dkimSigningEnabled && id.domainSigningSelector !== undefined) planned.byoDkimSelector = id.domainSigningSelector;
    return planned;
  }

  /** The TLS policy of an identity's default configuration set. */
  private tlsPolicyOf(id: SesIdentity): PlannedTlsPolicy {
    if (id.configurationSetName === undefined) return PlannedTlsPolicy.OPTIONAL;
    const set = id.configurationSetRef !== undefined
      ? this.setsByRef.get(id.configurationSetRef)
      : id.configurationSetUnresolved ? undefined : this.setsByName.get(id.configurationSetName);
    if (set === undefined || set.tlsPolicyUnresolved) return PlannedTlsPolicy.UNRESOLVED;
    return set.tlsPolicy === 'REQUIRE' ? PlannedTlsPolicy.REQUIRED : PlannedTlsPolicy.OPTIONAL;
  }

  /** The policy body for a domain, from CloudFront Functions: keyed by its host, or the only body of a function its host runs. */
  private policyFor(domain: string, hosts: CloudFrontDistribution[]): string | undefined {
    const host = `mta-sts.${domain}`;
    const keyed = this.keyedPolicies.get(host) ?? this.keyedPolicies.get(domain);
    if (keyed !== undefined) return keyed;
    if (hosts.length === 0) return undefined;
    const served = new Set(hosts.flatMap((d) => d.functionRefs));
    let unkeyed: string | undefined;
    for (const [ref, body] of this.unkeyedPolicies) {
      if (served.has(ref)) unkeyed = body;
    }
    return unkeyed;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** A record set of the template as the plan holds it. */
function plannedRecord(r: DnsRecord): PlannedRecord {
  const unresolved: UnresolvedRecordField[] = [];
  if (r.nameUnresolved) unresolved.push('name');
  if (r.unresolved && !r.nameUnresolved) unresolved.push('values');
  // The reader knows a record set holds a placeholder, not which of its values: keep none of them.
  const values = unresolved.includes('values') ? [] : r.values;
  const planned: { -readonly [K in keyof PlannedRecord]: PlannedRecord[K] } = { name: r.name, type: r.type, values, unresolved };
  if (r.ttl !== undefined) planned.ttl = r.ttl;
  return planned;
}

/** The weakest minimum TLS policy of the distributions serving `mta-sts.<domain>`; undefined when known only at deployment. */
function policyHostMinimumTls(hosts: CloudFrontDistribution[]): string | undefined {
  if (hosts.some((d) => !d.cloudFrontDefaultCertificate && d.minimumProtocolVersionUnresolved)) return undefined;
  const policies = hosts.map((d) => (d.cloudFrontDefaultCertificate ? CLOUDFRONT_DEFAULT_TLS : d.minimumProtocolVersion ?? CLOUDFRONT_DEFAULT_TLS));
  // CloudFront's policy names sort by strength: SSLv3 < TLSv1 < TLSv1.1_2016 < TLSv1.2_2018 < … < TLSv1.3_2025.
  return policies.sort()[0];
}
