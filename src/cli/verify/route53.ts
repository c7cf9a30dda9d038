/**
 * The Route 53 side of `gov-email verify`: find the hosted zones the cloud assembly publishes
 * in, list their record sets (every page), and compare them with the assembly: record sets
 * missing, record sets with other values or TTL, and record sets the assembly does not know of
 * at the names it manages.
 *
 * SES Easy DKIM records are named and valued by tokens SES only chooses at deployment; the
 * assembly holds placeholders for them. They are matched in one of two ways:
 * - by token, when SES has the identity: `DkimAttributes.Tokens` gives the names
 *   (`<token>._domainkey.<identity>`) and `DkimAttributes.SigningHostedZone` the value
 *   (`<token>.<signing hosted zone>`; without it, `<token>.dkim.<…>amazonses.com`), and each
 *   is then compared like any other record set;
 * - by shape, when SES cannot say (the identity is not there): CNAMEs at
 *   `<token>._domainkey.<identity>` whose value is `<the same token>.dkim.<…>amazonses.com` are
 *   counted against the number of DKIM records the assembly publishes.
 * Other values that hold placeholders (`10 feedback-smtp.<region>.amazonses.com`) match a live
 * value with any text where each placeholder stands.
 */
import { HostedZone, ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, ListResourceRecordSetsCommandOutput, ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import { CallContext, Pacer, ROUTE53_INTERVAL_MS, Timing, VerifyAbort, callAws, errorCode } from './aws';
import { ExpectedValue, expectedValue, matchValues, normaliseHost, normaliseName, normaliseValue } from './normalise';
import { VerifyPlan, VerifyTarget, recordKey } from './plan';
import { LiveDkimTokens, unexpected } from './ses';
import { VERIFY_RULES } from './verify-rules';
import { DnsRecord, originText } from '../../assembly/resources';
import { Finding, Severity, finding } from '../../records/finding';
import { GOVUK_RULES } from '../../standard/govuk-rules';
import { PublishedRecord } from '../report';

/** A record set as Route 53 holds it, with its name normalised. */
export interface LiveRecordSet {
  /** Lower case, without the trailing dot, `\052` read as `*`. */
  readonly name: string;
  readonly type: string;
  readonly setIdentifier?: string;
  readonly ttl?: number;
  /** The values as Route 53 gives them. */
  readonly values: string[];
  /** For an alias: the target's DNS name, normalised. */
  readonly aliasTarget?: string;
}

/** A hosted zone: its id (without `/hostedzone/`) and, when known, its name. */
export interface ZoneRef {
  readonly id: string;
  readonly name?: string;
}

/** The Route 53 client with pacing, retries and per-run caches of zones and record sets. */
export class Route53Access {
  private readonly pacer: Pacer;
  private readonly zonesByName = new Map<string, Promise<HostedZone[]>>();
  private readonly recordSetsByZone = new Map<string, Promise<LiveRecordSet[] | undefined>>();

  constructor(private readonly client: Route53Client, private readonly timing: Timing) {
    this.pacer = new Pacer(ROUTE53_INTERVAL_MS, timing);
  }

  /** Every hosted zone (public and private) with exactly this name. */
  public zonesNamed(name: string): Promise<HostedZone[]> {
    let entry = this.zonesByName.get(name);
    if (entry === undefined) {
      entry = this.listZonesNamed(name);
      this.zonesByName.set(name, entry);
    }
    return entry;
  }

  /** Every record set of a zone, or undefined when the zone does not exist. */
  public recordSets(zoneId: string): Promise<LiveRecordSet[] | undefined> {
    let entry = this.recordSetsByZone.get(zoneId);
    if (entry === undefined) {
      entry = this.listRecordSets(zoneId);
      this.recordSetsByZone.set(zoneId, entry);
    }
    return entry;
  }

  private async listZonesNamed(name: string): Promise<HostedZone[]> {
    const ctx: CallContext = { action: 'route53:ListHostedZonesByName', target: name };
    const out: HostedZone[] = [];
    let hostedZoneId: string | undefined;
    for (let page = 0; page < 100; page++) {
      const input = hostedZoneId === undefined ? { DNSName: name } : { DNSName: name, HostedZoneId: hostedZoneId };
      const res = await this.call(() => this.client.send(new ListHostedZonesByNameCommand(input)), ctx);
      const zones = res.HostedZones ?? [];
      const named = zones.filter((z) => normaliseName(z.Name ?? '') === name);
      out.push(...named);
      // Zones come in name order from DNSName: once another name shows, there are no more.
      if (named.length < zones.length || res.IsTruncated !== true || res.NextDNSName === undefined || normaliseName(res.NextDNSName) !== name) break;
      hostedZoneId = res.NextHostedZoneId;
    }
    return out;
  }

  private async listRecordSets(zoneId: string): Promise<LiveRecordSet[] | undefined> {
    const ctx: CallContext = { action: 'route53:ListResourceRecordSets', target: `hosted zone ${zoneId}` };
    const out: LiveRecordSet[] = [];
    let start: { StartRecordName?: string; StartRecordType?: ResourceRecordSet['Type']; StartRecordIdentifier?: string } = {};
    for (let page = 0; page < 10_000; page++) {
      let res: ListResourceRecordSetsCommandOutput;
      try {
        res = await this.call(() => this.client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 300, ...start })), ctx);
      } catch (err) {
        if (errorCode(err) === 'NoSuchHostedZone') return undefined;
        throw err;
      }
      out.push(...(res.ResourceRecordSets ?? []).map(liveRecordSet));
      if (res.IsTruncated !== true || res.NextRecordName === undefined) break;
      start = withoutUndefined({
        StartRecordName: res.NextRecordName, StartRecordType: res.NextRecordType, StartRecordIdentifier: res.NextRecordIdentifier,
      });
    }
    return out;
  }

  private async call<T>(fn: () => Promise<T>, ctx: CallContext): Promise<T> {
    try {
      return await callAws(fn, ctx, this.timing, this.pacer);
    } catch (err) {
      if (err instanceof VerifyAbort || errorCode(err) === 'NoSuchHostedZone') throw err;
      throw unexpected(err, ctx);
    }
  }
}

function liveRecordSet(r: ResourceRecordSet): LiveRecordSet {
  return withoutUndefined({
    name: normaliseName(r.Name ?? ''),
    type: (r.Type ?? '').toUpperCase(),
    setIdentifier: r.SetIdentifier,
    ttl: r.TTL,
    values: (r.ResourceRecords ?? []).map((v) => v.Value ?? ''),
    aliasTarget: r.AliasTarget?.DNSName === undefined ? undefined : normaliseHost(r.AliasTarget.DNSName),
  });
}

/** A record set the assembly publishes, ready to compare. */
interface ExpectedSet {
  readonly name: string;
  readonly type: string;
  readonly setIdentifier?: string;
  readonly ttl?: number;
  readonly values: ExpectedValue[];
  /** For an alias: the target (a pattern when it holds placeholders). */
  readonly alias?: ExpectedValue;
  readonly origin: string;
  readonly file?: string;
  /** A record of the set, to find its hosted zone by. */
  readonly source: DnsRecord;
}

/** What comparing one domain's records found. */
export interface DriftResult {
  /** The live record sets compared (and the extra ones), as the report lists them. */
  readonly records: PublishedRecord[];
  readonly findings: Finding[];
}

const SES_DKIM_VALUE = (token: string) => new RegExp(`^${escape(token)}\\.dkim(\\.[a-z0-9-]+)*\\.amazonses\\.com$`);

/**
 * Compare the record sets the assembly publishes for one domain with Route 53.
 *
 * @param dkim the Easy DKIM tokens SES gave each identity, by identity
 */
export async function verifyRecords(
  access: Route53Access, target: VerifyTarget, plan: VerifyPlan, dkim: Map<string, LiveDkimTokens>,
): Promise<DriftResult> {
  const findings: Finding[] = [];
  const records: PublishedRecord[] = [];
  const zones = new ZoneFinder(access);

  // 1. What should be there.
  const expected: ExpectedSet[] = [];
  const byKey = new Map<string, DnsRecord[]>();
  const dkimPlaceholders = new Map<string, DnsRecord[]>();
  for (const r of target.records) {
    if (r.sesIdentity !== undefined && r.nameUnresolved) {
      dkimPlaceholders.set(r.sesIdentity, [...(dkimPlaceholders.get(r.sesIdentity) ?? []), r]);
    } else if (r.nameUnresolved) {
      findings.push(finding(GOVUK_RULES.notEvaluated,
        `The ${r.type} record set ${originText(r.origin)} is named ${r.name}, which is only known at deployment: it is not compared with Route 53.`, target.domain));
    } else {
      const key = recordKey(r.name, r.type, r.setIdentifier);
      byKey.set(key, [...(byKey.get(key) ?? []), r]);
    }
  }
  for (const group of byKey.values()) expected.push(expectedSet(group));
  const shapeMatched: Array<{ identity: string; placeholders: DnsRecord[] }> = [];
  for (const [identity, placeholders] of dkimPlaceholders) {
    const tokens = dkim.get(identity);
    if (tokens === undefined) {
      shapeMatched.push({ identity, placeholders });
      continue;
    }
    tokens.tokens.forEach((token, i) => {
      const source = placeholders[Math.min(i, placeholders.length - 1)];
      const value = tokens.signingHostedZone === undefined
        ? { shown: `${token}.dkim.amazonses.com`, normalised: `${token}.dkim.amazonses.com`, pattern: SES_DKIM_VALUE(token.toLowerCase()) }
        : { shown: `${token}.${tokens.signingHostedZone}`, normalised: normaliseHost(`${token}.${tokens.signingHostedZone}`) };
      expected.push(withoutUndefined({
        name: `${token.toLowerCase()}._domainkey.${identity}`,
        type: 'CNAME',
        ttl: source.ttl,
        values: [value],
        origin: `${originText(source.origin)}, SES DKIM token ${token}`,
        file: source.origin.templateFile,
        source,
      }));
    });
  }

  // 2. Compare each record set with its zone.
  const consulted = new Map<string, { zone: ZoneRef; live: LiveRecordSet[]; names: Set<string> }>();
  const expectedKeys = new Set(expected.map((e) => recordKey(e.name, e.type, e.setIdentifier)));
  for (const e of expected) {
    const zone = await zones.zoneOf(e.source, e.name, findings, target.domain);
    if (zone === undefined) continue;
    const live = await zones.recordSetsOf(zone, findings, target.domain);
    if (live === undefined) continue;
    const entry = consulted.get(zone.id) ?? { zone, live, names: new Set<string>() };
    entry.names.add(e.name);
    consulted.set(zone.id, entry);
    compareSet(e, zone, live, findings, records);
  }

  // 3. SES DKIM records by shape, when SES could not give the tokens.
  for (const { identity, placeholders } of shapeMatched) {
    const zone = await zones.zoneOf(placeholders[0], identity, findings, target.domain);
    if (zone === undefined) continue;
    const live = await zones.recordSetsOf(zone, findings, target.domain);
    if (live === undefined) continue;
    const nameShape = new RegExp(`^([a-z0-9]+)\\._domainkey\\.${escape(identity)}$`);
    const matched = live.filter((l) => {
      const m = l.type === 'CNAME' ? nameShape.exec(l.name) : null;
      return m !== null && l.values.length === 1 && SES_DKIM_VALUE(m[1]).test(normaliseValue('CNAME', l.values[0]));
    });
    const ttl = placeholders[0].ttl;
    const origin = originText(placeholders[0].origin);
    for (const l of matched) {
      records.push(...published(l, `${origin}, SES DKIM matched by shape`, placeholders[0].origin.templateFile));
      if (ttl !== undefined && l.ttl !== undefined && l.ttl !== ttl) {
        findings.push(finding(VERIFY_RULES.driftDifferent,
          `The SES DKIM CNAME ${l.name} has TTL ${l.ttl} in ${zoneText(zone)}; the cloud assembly publishes ${ttl} (${origin}).`, l.name, Severity.WARNING));
      }
    }
    if (matched.length < placeholders.length) {
      findings.push(finding(VERIFY_RULES.driftMissing,
        `The cloud assembly publishes ${placeholders.length} SES Easy DKIM CNAMEs for ${identity} (${placeholders.map((p) => originText(p.origin)).join(', ')}); `
        + `${zoneText(zone)} holds ${matched.length} of their shape (<token>._domainkey.${identity} CNAME <token>.dkim.amazonses.com). `
        + 'SES has no such identity here, so its tokens could not be compared.', `_domainkey.${identity}`));
    }
  }

  // 4. Record sets the assembly does not know of, at the names it manages.
  const managedTypes = new Set([...expected.map((e) => e.type), ...(dkimPlaceholders.size > 0 ? ['CNAME'] : [])]);
  for (const { zone, live, names } of consulted.values()) {
    for (const l of live) {
      if (!names.has(l.name) || !(managedTypes.has(l.type) || l.type === 'TXT')) continue;
      const key = recordKey(l.name, l.type, l.setIdentifier);
      if (expectedKeys.has(key) || plan.managedKeys.has(key)) continue;
      records.push(...published(l, `Route 53 ${zone.id} (not in the cloud assembly)`));
      const values = l.aliasTarget !== undefined ? `an alias to ${l.aliasTarget}` : l.values.map((v) => JSON.stringify(normaliseValue(l.type, v))).join(', ');
      findings.push(finding(VERIFY_RULES.driftExtra,
        `${zoneText(zone)} holds a ${l.type} record set${l.setIdentifier === undefined ? '' : ` (set identifier ${l.setIdentifier})`} at ${l.name} that the cloud assembly does not publish: ${values}.`, l.name));
    }
  }
  return { records: sortRecords(records, target.domain), findings };
}

function expectedSet(group: DnsRecord[]): ExpectedSet {
  const r = group[0];
  const values = group.flatMap((g) => g.values.map((v) => ({ v, unresolved: g.unresolved })));
  const alias = r.alias && values.length > 0 && values[0].v.startsWith('ALIAS ')
    ? expectedValue('CNAME', values[0].v.slice('ALIAS '.length), values[0].unresolved)
    : undefined;
  return withoutUndefined({
    name: r.name,
    type: r.type,
    setIdentifier: r.setIdentifier,
    ttl: r.alias ? undefined : r.ttl,
    values: alias === undefined ? values.map(({ v, unresolved }) => expectedValue(r.type, v, unresolved)) : [],
    alias,
    origin: group.map((g) => originText(g.origin)).join(', '),
    file: r.origin.templateFile,
    source: r,
  });
}

function compareSet(e: ExpectedSet, zone: ZoneRef, live: LiveRecordSet[], findings: Finding[], records: PublishedRecord[]): void {
  const l = live.find((x) => x.name === e.name && x.type === e.type && x.setIdentifier === e.setIdentifier);
  const what = `${e.type} ${e.name}${e.setIdentifier === undefined ? '' : ` (set identifier ${e.setIdentifier})`}`;
  if (l === undefined) {
    const others = [...new Set(live.filter((x) => x.name === e.name && x.type !== e.type).map((x) => x.type))];
    const wanted = e.alias !== undefined ? `an alias to ${e.alias.shown}` : e.values.map((v) => JSON.stringify(v.normalised)).join(', ');
    findings.push(finding(VERIFY_RULES.driftMissing,
      `${zoneText(zone)} has no ${e.type} record set at ${e.name}${e.setIdentifier === undefined ? '' : ` with set identifier ${e.setIdentifier}`}; `
      + `the cloud assembly publishes ${wanted} there (${e.origin}).${others.length === 0 ? '' : ` It holds ${others.join(', ')} there instead.`}`, e.name));
    return;
  }
  records.push(...published(l, e.origin, e.file));
  if (e.alias !== undefined || l.aliasTarget !== undefined) {
    compareAlias(e, l, zone, what, findings);
    return;
  }
  const { missing, unexpected: extraValues } = matchValues(e.values, l.values.map((v) => normaliseValue(e.type, v)));
  if (missing.length > 0 || extraValues.length > 0) {
    const parts = [
      missing.length === 0 ? '' : `missing ${missing.map((m) => (m.pattern === undefined ? JSON.stringify(m.normalised) : `${JSON.stringify(m.shown)} (any value of that shape)`)).join(', ')}`,
      extraValues.length === 0 ? '' : `not in the cloud assembly ${extraValues.map((u) => JSON.stringify(u)).join(', ')}`,
    ].filter((p) => p !== '');
    findings.push(finding(VERIFY_RULES.driftDifferent,
      `${what} in ${zoneText(zone)} differs from the cloud assembly (${e.origin}): ${parts.join('; ')}.`, e.name));
  }
  if (e.ttl !== undefined && l.ttl !== undefined && e.ttl !== l.ttl) {
    findings.push(finding(VERIFY_RULES.driftDifferent,
      `${what} has TTL ${l.ttl} in ${zoneText(zone)}; the cloud assembly publishes ${e.ttl} (${e.origin}).`, e.name, Severity.WARNING));
  }
}

function compareAlias(e: ExpectedSet, l: LiveRecordSet, zone: ZoneRef, what: string, findings: Finding[]): void {
  if (e.alias === undefined) {
    findings.push(finding(VERIFY_RULES.driftDifferent,
      `${what} in ${zoneText(zone)} is an alias to ${l.aliasTarget}; the cloud assembly publishes values ${e.values.map((v) => JSON.stringify(v.normalised)).join(', ')} (${e.origin}).`, e.name));
    return;
  }
  if (l.aliasTarget === undefined) {
    findings.push(finding(VERIFY_RULES.driftDifferent,
      `${what} in ${zoneText(zone)} is not an alias (it holds ${l.values.map((v) => JSON.stringify(v)).join(', ')}); the cloud assembly makes it an alias to ${e.alias.shown} (${e.origin}).`, e.name));
    return;
  }
  const target = stripDualstack(l.aliasTarget);
  const matches = e.alias.pattern !== undefined
    ? e.alias.pattern.test(target) || e.alias.pattern.test(l.aliasTarget)
    : stripDualstack(e.alias.normalised) === target;
  if (!matches) {
    findings.push(finding(VERIFY_RULES.driftDifferent,
      `${what} in ${zoneText(zone)} is an alias to ${l.aliasTarget}; the cloud assembly aliases it to ${e.alias.shown} (${e.origin}).`, e.name));
  }
}

function stripDualstack(host: string): string {
  return host.replace(/^dualstack\./, '');
}

/** Finds each record's hosted zone once, reporting zones that are missing or ambiguous once each. */
class ZoneFinder {
  private readonly reported = new Set<string>();

  constructor(private readonly access: Route53Access) {}

  /** The zone of a record: by the id the assembly gives, by its zone's name, or by the closest enclosing zone of `name`. */
  public async zoneOf(r: DnsRecord, name: string, findings: Finding[], domain: string): Promise<ZoneRef | undefined> {
    if (r.zoneKey.startsWith('id:')) return { id: r.zoneKey.slice('id:'.length).replace(/^\/?hostedzone\//, '') };
    const known = !r.zoneKey.startsWith('?') && !/[<>]/.test(r.zone);
    if (known) {
      const wantPrivate = r.zoneKey.includes('(private ');
      const zones = (await this.access.zonesNamed(r.zone)).filter((z) => (z.Config?.PrivateZone === true) === wantPrivate);
      if (zones.length === 0) {
        this.once(`none|${r.zone}`, findings, finding(VERIFY_RULES.zoneNotFound,
          `The account has no ${wantPrivate ? 'private' : 'public'} hosted zone named ${r.zone}, where the cloud assembly publishes ${originText(r.origin)} and more: its records could not be compared.`, domain));
        return undefined;
      }
      return this.pick(zones, r.zone, findings, domain);
    }
    // The zone is only known at deployment: take the closest enclosing public zone of the name.
    const labels = name.split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const candidate = labels.slice(i).join('.');
      const zones = (await this.access.zonesNamed(candidate)).filter((z) => z.Config?.PrivateZone !== true);
      if (zones.length > 0) return this.pick(zones, candidate, findings, domain);
    }
    this.once(`none|${name}`, findings, finding(VERIFY_RULES.zoneNotFound,
      `The account has no public hosted zone that holds ${name} (${originText(r.origin)} names its zone only at deployment): it could not be compared.`, domain));
    return undefined;
  }

  /** The record sets of a zone; a zone that has gone is a finding. */
  public async recordSetsOf(zone: ZoneRef, findings: Finding[], domain: string): Promise<LiveRecordSet[] | undefined> {
    const live = await this.access.recordSets(zone.id);
    if (live === undefined) {
      this.once(`gone|${zone.id}`, findings, finding(VERIFY_RULES.zoneNotFound,
        `The hosted zone ${zone.id}${zone.name === undefined ? '' : ` (${zone.name})`}, where the cloud assembly publishes records, does not exist in the account (NoSuchHostedZone): its records could not be compared.`, domain));
    }
    return live;
  }

  private pick(zones: HostedZone[], name: string, findings: Finding[], domain: string): ZoneRef {
    const ids = zones.map((z) => (z.Id ?? '').replace(/^\/?hostedzone\//, ''));
    if (zones.length > 1) {
      this.once(`many|${name}`, findings, finding(VERIFY_RULES.zoneAmbiguous,
        `The account has ${zones.length} hosted zones named ${name} (${ids.join(', ')}); compared with ${ids[0]}, the first Route 53 lists. Make sure it is the one the parent zone delegates to, and delete the others.`, domain));
    }
    return { id: ids[0], name };
  }

  private once(key: string, findings: Finding[], f: Finding): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    findings.push(f);
  }
}

function zoneText(zone: ZoneRef): string {
  return `Route 53 hosted zone ${zone.name === undefined ? zone.id : `${zone.name} (${zone.id})`}`;
}

/** One row per value, as Route 53 holds it; an alias as `ALIAS <target>`. */
function published(l: LiveRecordSet, origin: string, file?: string): PublishedRecord[] {
  const base = { name: l.name, type: l.type, origin, file };
  if (l.aliasTarget !== undefined) return [withoutUndefined({ ...base, value: `ALIAS ${l.aliasTarget}` })];
  return (l.values.length === 0 ? [''] : l.values).map((value) => withoutUndefined({ ...base, ttl: l.ttl, value }));
}

/** The apex first, then by name and type. */
function sortRecords(records: PublishedRecord[], domain: string): PublishedRecord[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...records].sort((a, b) => Number(a.name !== domain) - Number(b.name !== domain) || cmp(a.name, b.name) || cmp(a.type, b.type));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
