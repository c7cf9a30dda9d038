/**
 * `postureOf`: the one place a `DomainPosture`, the UK government profile's input, is built
 * from what a domain publishes.
 */
import { DomainPlan, PlannedEasyDkim, PlannedTlsPolicy, PostureField } from './domain-plan';
import { PlannedRecord, valuesKnown } from './planned-record';
import { MtaSts } from '../records/mta-sts';
import { Spf } from '../records/spf';
import { TxtChunks } from '../records/txt';
import { BimiSelectorPosture, DkimDelegationPosture, DkimSelectorPosture, DomainPosture, ReportAuthorisationPosture } from '../standard/posture';

/**
 * The posture of one domain. A field whose name is a CNAME is read at the end of the CNAME
 * chain, as a resolver answers it (a `_dmarc` CNAME to a central policy record gives that
 * record's TXT), when every target is in the plan (see `DomainPlan.records`). A field whose
 * values are known only at deployment, or whose name is a CNAME whose target is not in the
 * plan, not known, or the start of a chain that does not end within `MAX_CNAME_LINKS` links or
 * loops, is left out and named in `unresolved`, so the profile reports it as not evaluated
 * instead of passing it. The one
 * exception is the apex TXT record set: when its SPF record is known and only other values
 * (verification tokens) are not, the known values are kept so SPF is still evaluated, and the
 * field is still named in `unresolved`. Fields the plan does not speak for (`plan.fields`) are
 * left out and not named.
 */
export function postureOf(plan: DomainPlan): DomainPosture {
  const domain = plan.domain;
  const byName = new Map<string, PlannedRecord[]>();
  const names = new Set<string>();
  for (const r of plan.records) {
    if (r.unresolved.includes('name')) continue;
    names.add(r.name);
    const key = `${r.name}|${r.type}`;
    const list = byName.get(key);
    if (list === undefined) byName.set(key, [r]);
    else list.push(r);
  }
  const at = (name: string, type: string) => byName.get(`${name}|${type}`) ?? [];
  const covers = (f: PostureField) => plan.fields === undefined || plan.fields.includes(f);
  const unresolved: PostureField[] = [];
  const field = (label: PostureField, name: string, type: string): string[] | undefined => {
    if (!covers(label)) return undefined;
    const records = atEndOfChain(name, type, at, names);
    if (records === undefined) {
      unresolved.push(label);
      return undefined;
    }
    const values = records.flatMap((r) => r.values);
    if (!records.every(valuesKnown)) {
      unresolved.push(label);
      const spfKnown = label === 'apexTxt' && values.some((v) => Spf.isSpf(TxtChunks.parse(v)));
      return spfKnown ? values : undefined;
    }
    return values;
  };

  const apexTxt = field('apexTxt', domain, 'TXT');
  const mx = field('mx', domain, 'MX');
  const dmarc = field('dmarc', `_dmarc.${domain}`, 'TXT');
  const mtaStsTxt = field('mtaStsTxt', `_mta-sts.${domain}`, 'TXT');
  const tlsRpt = field('tlsRpt', `_smtp._tls.${domain}`, 'TXT');
  const dkimWildcard = field('dkimWildcard', `*._domainkey.${domain}`, 'TXT');
  const caa = field('caa', domain, 'CAA');
  const dkim = covers('dkim') ? dkimOf(plan) : { delegated: [], unresolved: false };
  if (dkim.unresolved) unresolved.push('dkim');
  const bimi = covers('bimi') ? bimiOf(plan) : undefined;
  if (bimi === 'unresolved') unresolved.push('bimi');

  const reportAuthorisations: ReportAuthorisationPosture[] = [];
  const authPrefix = `${domain}._report._dmarc.`;
  const authNames = new Set<string>();
  for (const r of plan.records) {
    if (r.type === 'TXT' && !r.unresolved.includes('name') && r.name.startsWith(authPrefix)) authNames.add(r.name);
  }
  for (const name of authNames) {
    const records = at(name, 'TXT');
    if (records.every(valuesKnown)) reportAuthorisations.push({ name, values: records.flatMap((r) => r.values) });
  }

  const tls = covers('sesTlsRequired') ? tlsRequiredOf(plan) : undefined;
  if (tls === 'unresolved') unresolved.push('sesTlsRequired');
  const minimumTls = covers('policyHostMinimumTls') ? plan.policyHost?.minimumTls : undefined;
  if (covers('policyHostMinimumTls') && plan.policyHost !== undefined && minimumTls === undefined) unresolved.push('policyHostMinimumTls');
  const mtaStsPolicy = covers('mtaStsPolicy') ? plan.mtaStsPolicy : undefined;
  const policyError = covers('mtaStsPolicy') ? plan.mtaStsPolicyError : undefined;
  if (covers('mtaStsPolicy') && mtaStsPolicy === undefined && policyError === undefined
    && (mtaStsTxt ?? []).some((v) => MtaSts.isMtaStsRecord(v))) unresolved.push('mtaStsPolicy');

  const posture: { -readonly [K in keyof DomainPosture]: DomainPosture[K] } = { domainName: domain };
  if (plan.sendsMail !== undefined) posture.sendsMail = plan.sendsMail;
  if (plan.receivesMail !== undefined) posture.receivesMail = plan.receivesMail;
  if (plan.parked !== undefined) posture.parked = plan.parked;
  if (plan.dnssec !== undefined) posture.dnssec = plan.dnssec;
  if (plan.spfIncludeCosts !== undefined) posture.spfIncludeCosts = plan.spfIncludeCosts;
  if (plan.sendsMail === undefined && plan.sesIdentities.length > 0) posture.sendsMail = true;
  if (apexTxt !== undefined) posture.apexTxt = apexTxt;
  if (mx !== undefined) posture.mx = mx;
  if (dmarc !== undefined) posture.dmarc = dmarc;
  if (mtaStsTxt !== undefined) posture.mtaStsTxt = mtaStsTxt;
  if (mtaStsPolicy !== undefined) posture.mtaStsPolicy = mtaStsPolicy;
  if (policyError !== undefined) posture.mtaStsPolicyError = policyError;
  if (tlsRpt !== undefined) posture.tlsRpt = tlsRpt;
  if (dkim.selectors !== undefined) posture.dkim = dkim.selectors;
  if (dkim.delegated.length > 0) posture.dkimDelegated = dkim.delegated;
  if (dkimWildcard !== undefined) posture.dkimWildcard = dkimWildcard;
  if (caa !== undefined) posture.caa = caa;
  // BIMI is optional: no selector published is nothing to judge, so the field is left out.
  if (bimi !== undefined && bimi !== 'unresolved' && bimi.length > 0) posture.bimi = bimi;
  if (covers('reportAuthorisations')) posture.reportAuthorisations = reportAuthorisations;
  if (typeof tls === 'boolean') posture.sesTlsRequired = tls;
  if (minimumTls !== undefined) posture.policyHostMinimumTls = minimumTls;
  if (unresolved.length > 0) posture.unresolved = unresolved;
  return posture;
}

/**
 * The most CNAME links the plan follows from one name: more than any estate's central record
 * needs (one), fewer than resolvers give up at (BIND and Unbound follow 16 or so).
 */
export const MAX_CNAME_LINKS = 8;

/**
 * The records of `type` that answer `name`: those at the end of the CNAME chain that starts at
 * it, when the chain ends within the plan. Undefined when a CNAME's target is not in the plan or
 * not known, a name holds more than one CNAME value, or the chain loops or is longer than
 * `MAX_CNAME_LINKS`.
 */
function atEndOfChain(
  name: string, type: string, at: (name: string, type: string) => PlannedRecord[], names: ReadonlySet<string>,
): PlannedRecord[] | undefined {
  // Most names are no alias: their records, before any bookkeeping of a chain.
  if (at(name, 'CNAME').length === 0) return at(name, type);
  let owner = name;
  const seen = new Set([owner]);
  for (let links = 0; links <= MAX_CNAME_LINKS; links++) {
    const aliases = at(owner, 'CNAME');
    if (aliases.length === 0) return at(owner, type);
    if (links === MAX_CNAME_LINKS) return undefined;
    const targets = aliases.flatMap((r) => r.values);
    if (!aliases.every(valuesKnown) || targets.length !== 1) return undefined;
    const target = targets[0].toLowerCase().replace(/\.$/, '');
    if (seen.has(target) || !names.has(target)) return undefined;
    seen.add(target);
    owner = target;
  }
  return undefined;
}

interface DkimFields {
  readonly selectors?: DkimSelectorPosture[];
  readonly delegated: DkimDelegationPosture[];
  readonly unresolved: boolean;
}

/**
 * DKIM selectors: TXT keys are evaluated; a CNAME to a known target is delegated to the provider
 * (DKIM-DELEGATED, checked live); CNAME targets and keys known only at deployment, and SES Easy
 * DKIM keys whose length is not set, are not known here.
 */
function dkimOf(plan: DomainPlan): DkimFields {
  const suffix = `._domainkey.${plan.domain}`;
  const signing = new Set((plan.signingSelectors ?? []).map((x) => x.toLowerCase()));
  const selectors = new Map<string, DkimSelectorPosture>();
  const delegated: DkimDelegationPosture[] = [];
  let unresolved = plan.sesIdentities.some((i) => i.easyDkim === PlannedEasyDkim.UNRESOLVED);
  const easyDkimKnown = plan.sesIdentities.some((i) => i.easyDkim === PlannedEasyDkim.KEY_LENGTH_KNOWN);
  for (const r of plan.records) {
    if (r.unresolved.includes('name') || !r.name.endsWith(suffix)) continue;
    const selector = r.name.slice(0, -suffix.length);
    if (selector === '*' || selector.includes('.')) continue;
    if (r.type === 'CNAME' && valuesKnown(r) && r.values.length === 1) {
      delegated.push({ selector, target: r.values[0] });
    } else if (r.type === 'CNAME' || (r.type === 'TXT' && !valuesKnown(r))) {
      unresolved = true;
    } else if (r.type === 'TXT') {
      const prev = selectors.get(selector);
      const entry: DkimSelectorPosture = { selector, values: [...(prev?.values ?? []), ...r.values] };
      selectors.set(selector, signing.has(selector) ? { ...entry, expectedToSign: true } : entry);
    }
  }
  // Bring-your-own DKIM: SES signs with this selector, so a key must be published there.
  for (const id of plan.sesIdentities) {
    if (id.byoDkimSelector === undefined) continue;
    const prev = selectors.get(id.byoDkimSelector);
    selectors.set(id.byoDkimSelector, { selector: id.byoDkimSelector, values: prev?.values ?? [], expectedToSign: true });
  }
  const list = [...selectors.values()].sort((a, b) => (a.selector < b.selector ? -1 : a.selector > b.selector ? 1 : 0));
  if (list.length === 0 && (unresolved || easyDkimKnown || delegated.length > 0)) return { delegated, unresolved };
  return { selectors: list, delegated, unresolved };
}

/**
 * BIMI selectors: the TXT values at each `<selector>._bimi.<domain>`, by selector in name
 * order; a CNAME there, or values known only at deployment, leave the field not evaluated.
 */
function bimiOf(plan: DomainPlan): BimiSelectorPosture[] | 'unresolved' {
  const suffix = `._bimi.${plan.domain}`;
  const selectors = new Map<string, string[]>();
  for (const r of plan.records) {
    if (r.unresolved.includes('name') || !r.name.endsWith(suffix) || r.name.length === suffix.length) continue;
    if (r.type === 'CNAME' || (r.type === 'TXT' && !valuesKnown(r))) return 'unresolved';
    if (r.type !== 'TXT') continue;
    const selector = r.name.slice(0, -suffix.length);
    selectors.set(selector, [...(selectors.get(selector) ?? []), ...r.values]);
  }
  return [...selectors.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([selector, values]) => ({ selector, values }));
}

/** True when every SES identity of the domain must use TLS; undefined when it has none. */
function tlsRequiredOf(plan: DomainPlan): boolean | 'unresolved' | undefined {
  if (plan.sesIdentities.length === 0) return undefined;
  if (plan.sesIdentities.some((i) => i.tlsPolicy === PlannedTlsPolicy.OPTIONAL)) return false;
  return plan.sesIdentities.some((i) => i.tlsPolicy === PlannedTlsPolicy.UNRESOLVED) ? 'unresolved' : true;
}
