/**
 * Groups what a plan publishes by email domain, and builds each domain's `DomainPosture` for
 * the UK government profile. A domain's records may be spread over several resources and
 * stacks: they are merged. Two record sets with the same name and type in one hosted zone are
 * a finding of their own (Route 53 holds one record set per name and type).
 */
import { CloudAssembly } from './cloud-assembly';
import { mtaStsPoliciesInCode } from './mta-sts-function';
import { CloudFrontDistribution, DnsRecord, EmailResources, SesIdentity, originText, resourcesFromStacks } from './resources';
import { DKIM_RULES } from '../records/dkim';
import { Finding, finding } from '../records/finding';
import { MtaSts } from '../records/mta-sts';
import { Spf } from '../records/spf';
import { TxtChunks } from '../records/txt';
import { Senders } from '../senders/catalogue';
import { RECORD_CONSTRUCT_RULES } from '../standard/platform-rules';
import { DkimDelegationPosture, DkimSelectorPosture, DomainPosture, ReportAuthorisationPosture } from '../standard/posture';
import { GovUkProfile } from '../standard/profile';
import { GOVUK_RULES } from '../standard/rules';

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
  /** The input to `GovUkProfile.evaluate`; absent when the name is not known. */
  readonly posture?: DomainPosture;
  /** Findings about the plan itself: record set conflicts, SES DKIM key length. */
  readonly planFindings: Finding[];
}

/** CloudFront's policy when none is set, or with the default certificate (which ignores any). */
const CLOUDFRONT_DEFAULT_TLS = 'TLSv1';

const PREFIXES: Array<[RegExp, boolean]> = [
  // [pattern, whether a record at it makes its base a domain]
  [/^_dmarc\.(.+)$/, true],
  [/^_mta-sts\.(.+)$/, true],
  [/^_smtp\._tls\.(.+)$/, true],
  [/^[^.]+\._domainkey\.(.+)$/, true],
  [/^mta-sts\.(.+)$/, false],
];
const REPORT_AUTHORISATION = /^(.+)\._report\._dmarc\.(.+)$/;

/**
 * Group a plan's resources by email domain. A domain is a name with a DMARC, SPF, MX, MTA-STS,
 * TLS-RPT or DKIM record, or an SES identity; records are assigned to the domain they belong
 * to (`_dmarc.X`, `_smtp._tls.X`, `_mta-sts.X`, `mta-sts.X`, `*._domainkey.X`,
 * `<selector>._domainkey.X`, SES DKIM tokens, the SES MAIL FROM subdomain, and other names
 * under X). Domains are sorted by name.
 */
export function domainsFromResources(resources: EmailResources): EmailDomain[] {
  const identityDomain = (identity: string) => (identity.includes('@') ? identity.slice(identity.lastIndexOf('@') + 1) : identity);
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
    const owner = ownerOf(r, domains, mailFrom, identityDomain);
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
  const conflicts = duplicateRecordSets(resources.records);

  const out: EmailDomain[] = [];
  for (const [domain, records] of byDomain) {
    const nameUnresolved = unresolvedNames.has(domain);
    const identities = resources.sesIdentities.filter((i) => identityDomain(i.identity) === domain);
    const planFindings: Finding[] = [
      ...conflicts.filter((c) => records.includes(c.records[0])).map((c) => c.finding),
      ...identities.filter((i) => i.nextSigningKeyLength === 'RSA_1024_BIT').map((i) => finding(DKIM_RULES.rsaUnder2048,
        `SES signs ${i.identity}'s mail with a 1024-bit Easy DKIM key (DkimSigningAttributes.NextSigningKeyLength RSA_1024_BIT); use RSA_2048_BIT.`, originText(i.origin))),
    ];
    const sorted = sortRecords(records, domain);
    out.push(nameUnresolved
      ? { domain, nameUnresolved, records: sorted, sesIdentities: identities, planFindings }
      : { domain, nameUnresolved, records: sorted, sesIdentities: identities, posture: postureOf(domain, resources, identities), planFindings });
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

function ownerOf(r: DnsRecord, domains: Set<string>, mailFrom: Map<string, string>, identityDomain: (i: string) => string): string | undefined {
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
  let best: string | undefined;
  for (const d of domains) {
    if (n.endsWith(`.${d}`) && (best === undefined || d.length > best.length)) best = d;
  }
  if (best !== undefined) return best;
  if (r.nameUnresolved) {
    // A name only known at deployment: place it by its zone when the zone is a domain.
    for (const d of domains) {
      if (r.zone === d || r.zone.endsWith(`.${d}`)) return d;
    }
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
    groups.set(key, [...(groups.get(key) ?? []), r]);
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
        r.name),
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

interface FieldValues {
  readonly values?: string[];
  readonly unresolved: boolean;
}

function postureOf(domain: string, resources: EmailResources, identities: SesIdentity[]): DomainPosture {
  const unresolved: string[] = [];
  const records = resources.records.filter((r) => !r.nameUnresolved);
  const at = (name: string, type: string) => records.filter((r) => r.name === name && r.type === type);
  /** The values at a name: undefined and unresolved when any is a placeholder or the name is a CNAME (its target is not known here). */
  const field = (label: string, name: string, type: string): string[] | undefined => {
    const v = valuesAt(at(name, type), at(name, 'CNAME'));
    if (v.unresolved) unresolved.push(label);
    return v.values;
  };

  const apexTxt = field('apexTxt', domain, 'TXT');
  const mx = field('mx', domain, 'MX');
  const dmarc = field('dmarc', `_dmarc.${domain}`, 'TXT');
  const mtaStsTxt = field('mtaStsTxt', `_mta-sts.${domain}`, 'TXT');
  const tlsRpt = field('tlsRpt', `_smtp._tls.${domain}`, 'TXT');
  const dkimWildcard = field('dkimWildcard', `*._domainkey.${domain}`, 'TXT');
  const caa = field('caa', domain, 'CAA');
  const dkim = dkimPosture(domain, resources.records, identities);
  if (dkim.unresolved) unresolved.push('dkim');

  const reportAuthorisations: ReportAuthorisationPosture[] = [];
  const authPrefix = `${domain}._report._dmarc.`;
  for (const name of [...new Set(records.filter((r) => r.name.startsWith(authPrefix) && r.type === 'TXT').map((r) => r.name))]) {
    const v = valuesAt(at(name, 'TXT'), []);
    if (v.values !== undefined) reportAuthorisations.push({ name, values: v.values });
  }

  const ses = sesTlsRequired(identities, resources);
  if (ses === 'unresolved') unresolved.push('sesTlsRequired');

  const host = `mta-sts.${domain}`;
  const hosts = resources.distributions.filter((d) => d.aliases.includes(host));
  const minimumTls = policyHostMinimumTls(hosts);
  if (minimumTls === 'unresolved') unresolved.push('policyHostMinimumTls');

  const mtaStsPolicy = embeddedPolicy(domain, hosts, resources);
  if (mtaStsPolicy === undefined && (mtaStsTxt ?? []).some((v) => MtaSts.isMtaStsRecord(v))) unresolved.push('mtaStsPolicy');

  // The catalogue's known include costs, so a plan's SPF budget is counted as the constructs count it.
  const posture: { -readonly [K in keyof DomainPosture]: DomainPosture[K] } = { domainName: domain, spfIncludeCosts: Senders.knownIncludeCosts() };
  if (identities.length > 0) posture.sendsMail = true;
  if (apexTxt !== undefined) posture.apexTxt = apexTxt;
  if (mx !== undefined) posture.mx = mx;
  if (dmarc !== undefined) posture.dmarc = dmarc;
  if (mtaStsTxt !== undefined) posture.mtaStsTxt = mtaStsTxt;
  if (mtaStsPolicy !== undefined) posture.mtaStsPolicy = mtaStsPolicy;
  if (tlsRpt !== undefined) posture.tlsRpt = tlsRpt;
  if (dkim.selectors !== undefined) posture.dkim = dkim.selectors;
  if (dkim.delegated.length > 0) posture.dkimDelegated = dkim.delegated;
  if (dkimWildcard !== undefined) posture.dkimWildcard = dkimWildcard;
  if (caa !== undefined) posture.caa = caa;
  posture.reportAuthorisations = reportAuthorisations;
  if (typeof ses === 'boolean') posture.sesTlsRequired = ses;
  if (minimumTls !== undefined && minimumTls !== 'unresolved') posture.policyHostMinimumTls = minimumTls;
  if (unresolved.length > 0) posture.unresolved = unresolved;
  return posture;
}

function valuesAt(records: DnsRecord[], cnames: DnsRecord[]): FieldValues {
  if (cnames.length > 0 || records.some((r) => r.unresolved)) return { unresolved: true };
  return { values: records.flatMap((r) => r.values), unresolved: false };
}

/**
 * DKIM selectors: TXT keys are evaluated; a CNAME to a known target is delegated to the provider
 * (DKIM-DELEGATED, checked live); CNAME targets, keys and SES Easy DKIM lengths that are
 * placeholders are not known here.
 */
interface DkimFields {
  readonly selectors?: DkimSelectorPosture[];
  readonly delegated: DkimDelegationPosture[];
  readonly unresolved: boolean;
}

function dkimPosture(domain: string, records: DnsRecord[], identities: SesIdentity[]): DkimFields {
  const suffix = `._domainkey.${domain}`;
  const selectors = new Map<string, DkimSelectorPosture>();
  const delegated: DkimDelegationPosture[] = [];
  let unresolved = false;
  // SES creates Easy DKIM keys at deployment: the one property of them the profile checks is
  // their length, which counts as known when the template sets it (RSA_2048_BIT).
  let easyDkimKnown = false;
  for (const r of records) {
    if (r.sesIdentity !== undefined) {
      if (r.sesIdentity === domain || r.sesIdentity.endsWith(`@${domain}`)) {
        const id = identities.find((i) => i.identity === r.sesIdentity);
        if (id !== undefined && /^RSA_\d+_BIT$/.test(id.nextSigningKeyLength ?? '')) {
          easyDkimKnown = true;
        } else {
          unresolved = true;
        }
      }
      continue;
    }
    if (r.nameUnresolved || !r.name.endsWith(suffix)) continue;
    const selector = r.name.slice(0, -suffix.length);
    if (selector === '*' || selector.includes('.')) continue;
    if (r.type === 'CNAME' && !r.unresolved && r.values.length === 1) {
      delegated.push({ selector, target: r.values[0] });
    } else if (r.type === 'CNAME' || (r.type === 'TXT' && r.unresolved)) {
      unresolved = true;
    } else if (r.type === 'TXT') {
      const prev = selectors.get(selector);
      selectors.set(selector, { selector, values: [...(prev?.values ?? []), ...r.values] });
    }
  }
  // Bring-your-own DKIM: SES signs with this selector, so a key must be published there.
  for (const id of identities) {
    const byo = id.dkimSigningEnabled ? id.domainSigningSelector : undefined;
    if (byo === undefined) continue;
    const prev = selectors.get(byo);
    selectors.set(byo, { selector: byo, values: prev?.values ?? [], expectedToSign: true });
  }
  const list = [...selectors.values()].sort((a, b) => compare(a.selector, b.selector));
  if (list.length === 0 && (unresolved || easyDkimKnown || delegated.length > 0)) return { delegated, unresolved };
  return { selectors: list, delegated, unresolved };
}

/** True when every SES identity of the domain uses a configuration set with TLS policy REQUIRE as its default. */
function sesTlsRequired(identities: SesIdentity[], resources: EmailResources): boolean | 'unresolved' | undefined {
  if (identities.length === 0) return undefined;
  let unresolved = false;
  for (const id of identities) {
    if (id.configurationSetName === undefined) return false;
    const set = id.configurationSetRef !== undefined
      ? resources.configurationSets.find((c) => `${c.origin.stack}/${c.origin.logicalId}` === id.configurationSetRef)
      : id.configurationSetUnresolved ? undefined : resources.configurationSets.find((c) => c.name === id.configurationSetName);
    if (set === undefined || set.tlsPolicyUnresolved) {
      unresolved = true;
      continue;
    }
    if (set.tlsPolicy !== 'REQUIRE') return false;
  }
  return unresolved ? 'unresolved' : true;
}

/** The weakest minimum TLS policy of the distributions serving `mta-sts.<domain>`. */
function policyHostMinimumTls(hosts: CloudFrontDistribution[]): string | 'unresolved' | undefined {
  if (hosts.length === 0) return undefined;
  if (hosts.some((d) => !d.cloudFrontDefaultCertificate && d.minimumProtocolVersionUnresolved)) return 'unresolved';
  const policies = hosts.map((d) => (d.cloudFrontDefaultCertificate ? CLOUDFRONT_DEFAULT_TLS : d.minimumProtocolVersion ?? CLOUDFRONT_DEFAULT_TLS));
  // CloudFront's policy names sort by strength: SSLv3 < TLSv1 < TLSv1.1_2016 < TLSv1.2_2018 < … < TLSv1.3_2025.
  return policies.sort()[0];
}

/** The policy body for a domain, from CloudFront Functions: keyed by its host, or the only body of a function its host runs. */
function embeddedPolicy(domain: string, hosts: CloudFrontDistribution[], resources: EmailResources): string | undefined {
  const host = `mta-sts.${domain}`;
  const served = new Set(hosts.flatMap((d) => d.functionRefs));
  let unkeyed: string | undefined;
  for (const fn of resources.functions) {
    const policies = mtaStsPoliciesInCode(fn.code);
    const keyed = policies.find((p) => p.host === host || p.host === domain);
    if (keyed !== undefined) return keyed.body;
    if (served.has(`${fn.origin.stack}/${fn.origin.logicalId}`) && policies.length === 1 && policies[0].host === undefined) {
      unkeyed = policies[0].body;
    }
  }
  return unkeyed;
}
