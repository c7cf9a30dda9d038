/**
 * Follow a published SPF record the way a receiver evaluates it for a host that matches
 * nothing (so every term is evaluated), and count what RFC 7208 §4.6.4 counts:
 *
 * - DNS lookups: each `include`, `a`, `mx`, `ptr` and `exists` term and the `redirect`
 *   modifier counts 1, in the record and in every record it includes or redirects to; terms
 *   after the first `all` are never evaluated, and `redirect` is ignored when there is an
 *   `all`. `ip4`, `ip6`, `all` and `exp` do not count.
 * - Void lookups: a term whose DNS query comes back NXDOMAIN or empty (the TXT query of an
 *   include or redirect target, the A query of `a` and `exists`, the MX query of `mx`).
 *   The RFC limits "terms for which DNS queries return" no answer, so one term counts once.
 *   `a` is evaluated as for an IPv4 client (an A query).
 * - `mx`: more than 10 MX hosts is a permerror (the address lookups of at most 10 MX hosts are
 *   not counted towards the 10 terms, and are not made here: they cannot change either count).
 *
 * Terms whose domain holds a macro (`%{i}`…) cannot be expanded without a client address:
 * they are counted but not queried, and an include or redirect with a macro is left to the
 * evaluator as of unknown cost.
 *
 * The measured cost of each include and redirect target of the apex record becomes the
 * posture's `spfIncludeCosts`, so `GovUkProfile.evaluate` counts exactly what was measured.
 */
import { CHECK_RULES } from './check-rules';
import { DnsClient, DnsResult, isFailure, isVoid, quoteTxt, txtValue } from './dns';
import { dnsFailureFinding } from './dns-failures';
import { Finding, Severity, finding } from '../../records/finding';
import { SPF_RULES, Spf, SpfIncludeCost, SpfMechanism, SpfModel, SpfTerm } from '../../records/spf';
import { RecordSyntaxError } from '../../records/syntax-error';
import { PublishedRecord } from '../report';

/** RFC 7208 §4.6.4. */
export const SPF_LOOKUP_LIMIT = 10;
export const SPF_VOID_LOOKUP_LIMIT = 2;
export const SPF_MX_HOST_LIMIT = 10;
/** Stop following after this many distinct records: far past any limit a receiver allows. */
const MAX_RECORDS_FOLLOWED = 50;

/** What evaluating one record costs, nested records included, its own TXT query not. */
interface Measure {
  readonly lookups: number;
  readonly voids: number;
}

export interface SpfWalkResult {
  /** DNS-querying terms evaluated, nested records counted. */
  readonly lookups: number;
  /** Void lookups measured, nested records counted. */
  readonly voids: number;
  /** The measured cost of each include and redirect target of the apex record. */
  readonly includeCosts: SpfIncludeCost[];
  /** Loops, targets without a record, DNS failures, and problems in included records. */
  readonly findings: Finding[];
  /** The SPF records of the include and redirect targets, as found. */
  readonly records: PublishedRecord[];
}

/**
 * Walk the SPF record published at `domain`.
 *
 * @param domain the domain whose apex holds the record
 * @param model the apex record, parsed
 */
export async function walkSpf(domain: string, model: SpfModel, dns: DnsClient): Promise<SpfWalkResult> {
  const walker = new Walker(dns);
  const apex = normalise(domain);
  const measure = await walker.evaluate(apex, model, [apex], true);
  return {
    lookups: measure.lookups,
    voids: measure.voids,
    includeCosts: walker.apexCosts,
    findings: walker.findings,
    records: walker.records,
  };
}

class Walker {
  public readonly findings: Finding[] = [];
  public readonly records: PublishedRecord[] = [];
  public readonly apexCosts: SpfIncludeCost[] = [];
  private readonly measured = new Map<string, Measure>();
  private followed = 0;

  constructor(private readonly dns: DnsClient) {}

  /**
   * Evaluate a record's terms in order, as a receiver does. The queries of every term are sent
   * first, all at once, so the walk waits for the slowest query of each level, not the sum.
   */
  public async evaluate(name: string, model: SpfModel, stack: string[], atApex: boolean): Promise<Measure> {
    const terms = evaluatedTerms(model);
    for (const t of terms) this.prefetch(name, t);
    let lookups = 0;
    let voids = 0;
    for (const t of terms) {
      const m = await this.term(name, t, stack, atApex);
      lookups += m.lookups;
      voids += m.voids;
    }
    return { lookups, voids };
  }

  private prefetch(name: string, t: SpfTerm): void {
    const target = targetOf(name, t);
    if (target === undefined) return;
    switch (termKind(t)) {
      case 'include':
      case 'redirect':
        void this.dns.txt(target);
        break;
      case 'a':
      case 'exists':
        void this.dns.a(target);
        break;
      case 'mx':
        void this.dns.mx(target);
        break;
      default:
        break;
    }
  }

  private async term(name: string, t: SpfTerm, stack: string[], atApex: boolean): Promise<Measure> {
    const kind = termKind(t);
    if (kind === undefined) return { lookups: 0, voids: 0 };
    if (kind === 'ptr') return { lookups: 1, voids: 0 };
    const target = targetOf(name, t);
    if (target === undefined) {
      // A macro: counted, not expandable without a client address.
      return { lookups: 1, voids: 0 };
    }
    if (kind === 'a' || kind === 'exists') {
      return { lookups: 1, voids: this.voidOrFailure(await this.dns.a(target), target, 'A', name) };
    }
    if (kind === 'mx') {
      const r = await this.dns.mx(target);
      const hosts = r.records.filter((m) => m.exchange !== '');
      if (hosts.length > SPF_MX_HOST_LIMIT) {
        this.findings.push(finding(SPF_RULES.mxAddressLookups,
          `"${render(t)}" in the SPF record of ${name} names ${target}, which has ${hosts.length} MX hosts; more than ${SPF_MX_HOST_LIMIT} is a permerror.`,
          name, Severity.ERROR));
      }
      return { lookups: 1, voids: this.voidOrFailure(r, target, 'MX', name) };
    }
    // include or redirect
    const measure = await this.follow(name, target, kind, stack);
    if (atApex) {
      const spec = t.domainSpec!;
      const existing = this.apexCosts.find((c) => normalise(c.domain) === normalise(spec));
      if (existing === undefined) {
        this.apexCosts.push({ domain: spec, lookups: measure.inner.lookups, voidLookups: measure.inner.voids + measure.ownVoid });
      }
    }
    return { lookups: 1 + measure.inner.lookups, voids: measure.ownVoid + measure.inner.voids };
  }

  /** Follow an include or redirect to its target's record. */
  private async follow(from: string, target: string, kind: 'include' | 'redirect', stack: string[]): Promise<{ inner: Measure; ownVoid: number }> {
    const none = { lookups: 0, voids: 0 };
    const term = kind === 'include' ? `include:${target}` : `redirect=${target}`;
    if (stack.includes(target)) {
      const chain = [...stack.slice(stack.indexOf(target)), target].join(' → ');
      this.findings.push(finding(CHECK_RULES.spfIncludeLoop,
        `The SPF record of ${from} has "${term}", which leads back to a record already being evaluated (${chain}); receivers return permerror.`,
        from));
      return { inner: none, ownVoid: 0 };
    }
    const r = await this.dns.txt(target);
    if (isFailure(r)) {
      this.findings.push(dnsFailureFinding(r, target, 'TXT', `the SPF ${kind} target of ${from}; receivers get temperror`));
      return { inner: none, ownVoid: 0 };
    }
    const ownVoid = isVoid(r) ? 1 : 0;
    const spf = r.records.filter((strings) => Spf.isSpf(strings.join('')));
    if (spf.length === 0) {
      const why = r.outcome === 'nxdomain' ? 'does not exist (NXDOMAIN)' : 'publishes no SPF record';
      this.findings.push(finding(CHECK_RULES.spfIncludeNoRecord,
        `"${term}" in the SPF record of ${from}: ${target} ${why}; receivers return permerror.`, from));
      return { inner: none, ownVoid };
    }
    this.addRecord(target, spf, kind, from);
    if (spf.length > 1) {
      this.findings.push(finding(SPF_RULES.multipleRecords,
        `${target} (the SPF ${kind} target of ${from}) publishes ${spf.length} SPF records; receivers return permerror.`, target));
      return { inner: none, ownVoid };
    }
    let model: SpfModel;
    try {
      model = Spf.parse(txtValue(spf[0]));
    } catch (err) {
      const f = err instanceof RecordSyntaxError
        ? err.toFinding(target)
        : finding(SPF_RULES.malformedTerm, `The SPF record could not be read: ${String(err)}.`, target);
      this.findings.push({ ...f, message: `${f.message} (the SPF ${kind} target of ${from}; receivers return permerror)` });
      return { inner: none, ownVoid };
    }
    const known = this.measured.get(target);
    if (known !== undefined) return { inner: known, ownVoid };
    if (++this.followed > MAX_RECORDS_FOLLOWED) {
      return { inner: none, ownVoid };
    }
    const inner = await this.evaluate(target, model, [...stack, target], false);
    this.measured.set(target, inner);
    return { inner, ownVoid };
  }

  /** A void answer counts 1; a failed query is reported (and counts nothing). */
  private voidOrFailure(r: DnsResult<unknown>, target: string, type: string, from: string): number {
    if (isFailure(r)) {
      this.findings.push(dnsFailureFinding(r, target, type, `looked up by the SPF record of ${from}; receivers get temperror`));
      return 0;
    }
    return isVoid(r) ? 1 : 0;
  }

  private addRecord(target: string, values: string[][], kind: string, from: string): void {
    if (this.records.some((r) => r.name === target)) return;
    for (const v of values) {
      this.records.push({ name: target, type: 'TXT', value: quoteTxt(v), origin: `SPF ${kind} from ${from}` });
    }
  }
}

type TermKind = 'include' | 'redirect' | 'a' | 'mx' | 'ptr' | 'exists';

function termKind(t: SpfTerm): TermKind | undefined {
  if (t.mechanism === undefined) return t.modifier === 'redirect' ? 'redirect' : undefined;
  switch (t.mechanism) {
    case SpfMechanism.INCLUDE: return 'include';
    case SpfMechanism.A: return 'a';
    case SpfMechanism.MX: return 'mx';
    case SpfMechanism.PTR: return 'ptr';
    case SpfMechanism.EXISTS: return 'exists';
    default: return undefined;
  }
}

/** The name a term queries, or undefined when its domain-spec holds a macro. */
function targetOf(current: string, t: SpfTerm): string | undefined {
  const spec = t.domainSpec;
  if (spec === undefined) return current;
  if (spec.includes('%')) return undefined;
  return normalise(spec);
}

/**
 * The terms a receiver evaluates for a host that matches nothing, in order: the mechanisms up
 * to and including the first `all`, then `redirect` when there is no `all` (RFC 7208 §5.1,
 * §6.1: redirect is applied after every mechanism and ignored when an `all` is present).
 */
function evaluatedTerms(model: SpfModel): SpfTerm[] {
  const out: SpfTerm[] = [];
  let sawAll = false;
  for (const t of model.terms) {
    if (t.mechanism === undefined) continue;
    out.push(t);
    if (t.mechanism === SpfMechanism.ALL) {
      sawAll = true;
      break;
    }
  }
  if (!sawAll) {
    const redirect = model.terms.find((t) => t.mechanism === undefined && t.modifier === 'redirect');
    if (redirect !== undefined) out.push(redirect);
  }
  return out;
}

function render(t: SpfTerm): string {
  if (t.mechanism === undefined) return `${t.modifier}=${t.domainSpec ?? ''}`;
  return `${t.qualifier ?? ''}${t.mechanism}${t.domainSpec === undefined ? '' : `:${t.domainSpec}`}`;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
