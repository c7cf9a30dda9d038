/**
 * Check one live domain: look up what it publishes, follow its SPF includes, fetch its MTA-STS
 * policy, and evaluate the whole with the UK government profile.
 */
import { randomBytes } from 'node:crypto';
import { checkBimiAssets } from './bimi-check';
import { CHECK_RULES } from './check-rules';
import { checkDane, tlsaName } from './dane';
import { CaaAnswer, DnsClient, DnsResult, MxAnswer, isFailure, quoteTxt, txtValue } from './dns';
import { dnsFailureFinding } from './dns-failures';
import { checkDnssec, dnssecSummary } from './dnssec';
import { PolicyFetchOptions, fetchMtaStsPolicy } from './mta-sts-fetch';
import { MxProbeOptions, ProbeLimiter, SmtpProbeResult, probeMxHosts, tlsVersionText } from './smtp-probe';
import { SPF_VOID_LOOKUP_LIMIT, walkSpf } from './spf-walk';
import { tlsReadiness, transitFindings } from './transit';
import { PlannedRecord, PostureField, postureOf } from '../../plan';
import { Bimi } from '../../records/bimi';
import { Dmarc } from '../../records/dmarc';
import { Finding, Severity, dedupeFindings, finding, subjectOf } from '../../records/finding';
import { MtaSts } from '../../records/mta-sts';
import { SPF_RULES, Spf } from '../../records/spf';
import { Sender } from '../../senders/sender';
import { DkimSelectorPosture, ReportAuthorisationPosture } from '../../standard/posture';
import { GovUkProfile } from '../../standard/profile';
import { DomainReport, PublishedRecord } from '../report';

export interface DomainCheckOptions {
  readonly dns: DnsClient;
  /** How to fetch MTA-STS policies (the policy host is resolved with `dns` unless `connectTo` is set). */
  readonly fetch: Omit<PolicyFetchOptions, 'lookup'>;
  /** More DKIM selectors to look at, beyond the catalogue's. */
  readonly selectors?: string[];
  /**
   * The made-up selector used to find a `*._domainkey` wildcard.
   * @default - a random label, one per process
   */
  readonly wildcardProbe?: string;
  /**
   * Talk to the domain's mail servers: a STARTTLS probe of each MX host (up to `maxHosts`, most
   * preferred first), the transit findings, and DANE matched against the chains they present.
   * @default - no probe; TLSA records are still read and judged without a chain
   */
  readonly smtp?: SmtpCheckOptions;
}

/** How `gov-email check` probes mail servers (see `probeMxHosts`). */
export interface SmtpCheckOptions extends Omit<MxProbeOptions, 'lookup'> {
  /** MX hosts probed per domain, most preferred first. */
  readonly maxHosts: number;
  /** Shared by every domain of a run, so that connections per host stay bounded across them. */
  readonly limiter: ProbeLimiter;
}

/**
 * The DKIM selectors the sender catalogue's services sign with by default: Microsoft 365's
 * `selector1` and `selector2` and Google Workspace's `google`. (Amazon SES Easy DKIM uses
 * per-identity random tokens, which cannot be guessed.)
 */
export function catalogueSelectors(): string[] {
  const probe = 'example.invalid';
  const selectors = [
    ...Sender.microsoft365({ initialDomain: 'example.onmicrosoft.com' }).dkimRecords(probe),
    ...Sender.googleWorkspace({ dkimRecord: 'v=DKIM1; p=' }).dkimRecords(probe),
  ].map((r) => r.selector);
  return [...new Set(selectors)];
}

/** The selectors asked for, by the extra selectors given (the same for every domain of a run). */
const selectorLists = new Map<string, readonly string[]>();

/** The catalogue's selectors and `extra`, lower case, each once: worked out once per run, not per domain. */
function selectorsFor(extra: readonly string[] | undefined): readonly string[] {
  const key = JSON.stringify(extra ?? []);
  let selectors = selectorLists.get(key);
  if (selectors === undefined) {
    selectors = [...new Set([...catalogueSelectors(), ...(extra ?? [])].map((s) => s.toLowerCase()))];
    selectorLists.set(key, selectors);
  }
  return selectors;
}

/**
 * A `*._domainkey` wildcard cannot be asked for by name: a query for the literal label `*`
 * only matches a record whose owner is literally `*` (RFC 4592 §2.1.3), and says nothing about
 * what other names get. What matters is what a receiver gets for a selector that does not
 * exist, so ask for a made-up selector: if the wildcard exists it answers (RFC 4592 §3.3).
 * The label is random so that it never names a real selector.
 */
const DEFAULT_WILDCARD_PROBE = `gov-email-probe-${randomBytes(4).toString('hex')}`;

type Values = string[] | undefined;

/** Check one domain. Never rejects: every failure is a finding. */
export async function checkDomain(domain: string, options: DomainCheckOptions): Promise<DomainReport> {
  try {
    return await check(domain, options);
  } catch (err) {
    return {
      domain,
      records: [],
      findings: [finding(CHECK_RULES.checkFailed, `${domain} could not be checked: ${(err as Error)?.message ?? String(err)}.`, domain)],
    };
  }
}

/** Findings and records gathered by one part of the check, kept apart so the report's order is fixed. */
class Part {
  public readonly findings: Finding[] = [];
  public readonly records: PublishedRecord[] = [];

  /**
   * The TXT values of a result as posture values (see txtValue), or undefined on failure. A name
   * that is an alias shows its CNAME, and the TXT records at the chain's end under that name.
   */
  public txt(r: DnsResult<string[]>, name: string, what: string, origin?: string, joinStrings?: boolean): Values {
    const chain = r.cnames ?? [];
    if (r.cnameLoop === true) {
      this.findings.push(finding(CHECK_RULES.cnameLoop,
        `${name} is a CNAME chain that does not end (${[name, ...chain].join(' → ')}): resolvers answer SERVFAIL, so receivers cannot read ${what}.`,
        name, undefined, subjectOf(name, 'TXT')));
      return undefined;
    }
    if (isFailure(r)) {
      this.findings.push(dnsFailureFinding(r, chain.length > 0 ? chain[chain.length - 1] : name, 'TXT', what));
      return undefined;
    }
    [name, ...chain].slice(0, -1).forEach((owner, i) => this.records.push({ name: owner, type: 'CNAME', value: chain[i] }));
    const at = chain.length > 0 ? chain[chain.length - 1] : name;
    const via = chain.length > 0 ? `through the CNAME at ${name}` : undefined;
    const shownOrigin = [origin, via].filter((o) => o !== undefined).join(', ');
    // The report shows each record as DNS tools print it; the profile reads it as txtValue gives it.
    r.records.map(quoteTxt).forEach((value) => this.records.push(shownOrigin === '' ? { name: at, type: 'TXT', value } : { name: at, type: 'TXT', value, origin: shownOrigin }));
    return r.records.map((strings) => txtValue(strings, { joinStrings }));
  }
}

async function check(domain: string, options: DomainCheckOptions): Promise<DomainReport> {
  const dns = options.dns;
  const selectors = selectorsFor(options.selectors);
  const probe = options.wildcardProbe ?? DEFAULT_WILDCARD_PROBE;
  const names = {
    dmarc: `_dmarc.${domain}`,
    mtaSts: `_mta-sts.${domain}`,
    tlsRpt: `_smtp._tls.${domain}`,
    wildcard: `${probe}._domainkey.${domain}`,
    bimi: `${Bimi.DEFAULT_SELECTOR}._bimi.${domain}`,
  };

  // Everything that does not depend on another answer is asked at once.
  const apexTxtQ = dns.txt(domain);
  const mxQ = dns.mx(domain);
  const caaQ = dns.caa(domain);
  const dmarcQ = dns.txt(names.dmarc);
  const mtaStsQ = dns.txt(names.mtaSts);
  const tlsRptQ = dns.txt(names.tlsRpt);
  const selectorQs = selectors.map((s) => ({ selector: s, q: dns.txt(`${s}._domainkey.${domain}`) }));
  const wildcardQ = dns.txt(names.wildcard);
  const dnssecQ = checkDnssec(domain, dns);
  const bimiQ = dns.txt(names.bimi);

  const [apexTxtR, mxR] = await Promise.all([apexTxtQ, mxQ]);
  if (apexTxtR.outcome === 'nxdomain' || mxR.outcome === 'nxdomain') {
    return {
      domain,
      records: [],
      findings: [finding(CHECK_RULES.nxdomain, `${domain} does not exist in DNS (NXDOMAIN): it can neither send nor receive mail, and holds none of the records the standard asks for.`, domain)],
    };
  }
  if (isFailure(apexTxtR) && isFailure(mxR)) {
    // Nothing is known about the apex, so not even which profile applies: report the failures
    // once each, not a profile's worth of findings built on missing answers.
    const all = await Promise.all([
      ['TXT', domain, apexTxtQ], ['MX', domain, mxQ], ['CAA', domain, caaQ],
      ['TXT', names.dmarc, dmarcQ], ['TXT', names.mtaSts, mtaStsQ], ['TXT', names.tlsRpt, tlsRptQ],
      ...selectorQs.map(({ selector, q }) => ['TXT', `${selector}._domainkey.${domain}`, q] as const), ['TXT', names.wildcard, wildcardQ],
    ].map(async ([type, name, q]) => ({ type: type as string, name: name as string, r: await (q as Promise<DnsResult<unknown>>) })));
    return { domain, records: [], findings: apexUnavailable(domain, all) };
  }

  // The apex: TXT (SPF and anything else) and MX.
  const apex = new Part();
  const apexTxt = apex.txt(apexTxtR, domain, 'the SPF record');
  let mx: Values;
  if (isFailure(mxR)) {
    apex.findings.push(dnsFailureFinding(mxR, domain, 'MX', 'where mail for the domain goes'));
  } else {
    mx = mxR.records.map(renderMx);
    mx.forEach((value) => apex.records.push({ name: domain, type: 'MX', value }));
  }

  // The mail servers: probed (when asked) and their TLSA records read, beside everything else.
  const mxHosts = isFailure(mxR) ? [] : mailHosts(mxR.records);
  const transitQ = mailServers(mxHosts, dns, options.smtp);

  // Three independent parts run side by side: the SPF walk, DMARC with its report
  // authorisations, and MTA-STS with the policy fetch.
  const spfModel = apexTxt === undefined ? undefined : singleSpf(apexTxt);
  const [walk, dmarcPart, mtaStsPart] = await Promise.all([
    spfModel === undefined ? Promise.resolve(undefined) : walkSpf(domain, spfModel, dns),
    (async () => {
      const part = new Part();
      const dmarcR = await dmarcQ;
      const dmarc = part.txt(dmarcR, names.dmarc, 'the DMARC record');
      const alias = dmarcAlias(names.dmarc, dmarcR);
      if (alias.finding !== undefined) part.findings.push(alias.finding);
      const reportAuthorisations = dmarc === undefined ? undefined : await authorisations(domain, dmarc, dns, part);
      return { part, dmarc, reportAuthorisations, fact: alias.fact };
    })(),
    (async () => {
      const part = new Part();
      const mtaStsTxt = part.txt(await mtaStsQ, names.mtaSts, 'the MTA-STS record');
      let mtaStsPolicy: string | undefined;
      let mtaStsPolicyError: string | undefined;
      // A sending MTA fetches the policy only when the TXT record says there is one.
      if (mtaStsTxt !== undefined && mtaStsTxt.some((v) => MtaSts.isMtaStsRecord(v))) {
        const fetched = await fetchMtaStsPolicy(domain, { ...options.fetch, lookup: (host) => resolveAddress(host, dns) });
        if (fetched.ok) {
          mtaStsPolicy = fetched.body;
          part.records.push({ name: fetched.url, type: 'POLICY', value: policyOneLine(fetched.body), origin: 'https' });
        } else {
          mtaStsPolicyError = fetched.error;
        }
      }
      return { part, mtaStsTxt, mtaStsPolicy, mtaStsPolicyError };
    })(),
  ]);

  const rest = new Part();
  const tlsRpt = rest.txt(await tlsRptQ, names.tlsRpt, 'the TLS-RPT record');
  // BIMI: the record (judged by the profile with the DMARC policy it needs) and, when it names
  // a logo and a certificate, both fetched and checked.
  const bimiR = await bimiQ;
  const bimi = bimiR.outcome === 'nxdomain' ? [] : rest.txt(bimiR, names.bimi, 'the BIMI record', undefined, true);
  const bimiRecords = (bimi ?? []).filter((v) => Bimi.isBimi(v));
  const bimiFetched = bimiRecords.length !== 1 ? []
    : await checkBimiAssets(domain, bimiRecords[0], { ...options.fetch, lookup: (host) => resolveAddress(host, dns) });

  // DKIM: the wildcard first, so that a selector answered by it is known for what it is.
  const wildcardR = await wildcardQ;
  let dkimWildcard: Values;
  const dkimPart = new Part();
  if (isFailure(wildcardR)) {
    dkimPart.findings.push(dnsFailureFinding(wildcardR, names.wildcard, 'TXT', 'a made-up DKIM selector, to find a *._domainkey wildcard'));
  } else {
    dkimWildcard = wildcardR.records.map((strings) => txtValue(strings, { joinStrings: true }));
  }
  const dkim: DkimSelectorPosture[] = [];
  for (const { selector, q } of selectorQs) {
    const r = await q;
    const name = `${selector}._domainkey.${domain}`;
    const answeredByWildcard = !isFailure(r) && dkimWildcard !== undefined && dkimWildcard.length > 0
      && sameValues(r.records.map((strings) => txtValue(strings, { joinStrings: true })), dkimWildcard);
    if (answeredByWildcard) {
      // The wildcard answered: there is no record of this selector's own.
      dkim.push({ selector, values: [] });
      continue;
    }
    const values = dkimPart.txt(r, name, `DKIM selector ${selector}`, undefined, true);
    if (values !== undefined) dkim.push({ selector, values });
  }
  (isFailure(wildcardR) ? [] : wildcardR.records.map(quoteTxt))
    .forEach((value) => dkimPart.records.push({ name: `*._domainkey.${domain}`, type: 'TXT', value, origin: `wildcard answer for ${names.wildcard}` }));

  const caaR = await caaQ;
  const caaPart = new Part();
  let caa: Values;
  if (isFailure(caaR)) {
    caaPart.findings.push(dnsFailureFinding(caaR, domain, 'CAA', 'which CAs may issue certificates'));
  } else {
    caa = caaR.records.map(renderCaa);
    caa.forEach((value) => caaPart.records.push({ name: domain, type: 'CAA', value }));
  }

  // The answers as the plan holds them: a name asked about and found empty is a record with no
  // values ("looked, and none"); a lookup that failed is reported as such and its field is not
  // evaluated.
  const records: PlannedRecord[] = [];
  const fields: PostureField[] = ['dkim', 'mtaStsPolicy'];
  const answer = (field: PostureField, name: string, type: string, values: Values) => {
    if (values === undefined) return;
    fields.push(field);
    records.push({ name, type, values, unresolved: [] });
  };
  answer('apexTxt', domain, 'TXT', apexTxt);
  answer('mx', domain, 'MX', mx);
  answer('dmarc', names.dmarc, 'TXT', dmarcPart.dmarc);
  answer('mtaStsTxt', names.mtaSts, 'TXT', mtaStsPart.mtaStsTxt);
  answer('tlsRpt', names.tlsRpt, 'TXT', tlsRpt);
  answer('dkimWildcard', `*._domainkey.${domain}`, 'TXT', dkimWildcard);
  answer('caa', domain, 'CAA', caa);
  answer('bimi', names.bimi, 'TXT', bimi);
  for (const sel of dkim) records.push({ name: `${sel.selector}._domainkey.${domain}`, type: 'TXT', values: sel.values, unresolved: [] });
  if (dmarcPart.reportAuthorisations !== undefined) {
    fields.push('reportAuthorisations');
    for (const a of dmarcPart.reportAuthorisations) records.push({ name: a.name, type: 'TXT', values: a.values, unresolved: [] });
  }
  const posture = postureOf({
    domain,
    records,
    sesIdentities: [],
    spfIncludeCosts: walk?.includeCosts,
    mtaStsPolicy: mtaStsPart.mtaStsPolicy,
    mtaStsPolicyError: mtaStsPart.mtaStsPolicyError,
    fields,
  });
  let evaluated = GovUkProfile.evaluate(posture);
  const spfFindings: Finding[] = [...(walk?.findings ?? [])];
  if (walk !== undefined && walk.voids > SPF_VOID_LOOKUP_LIMIT) {
    // Measured, not estimated: replace the evaluator's "may" with what a receiver will do.
    evaluated = evaluated.filter((f) => !(f.ruleId === SPF_RULES.voidLookupLimit.id && f.path === domain));
    spfFindings.push(finding(SPF_RULES.voidLookupLimit,
      `Evaluating ${domain}'s SPF record makes ${walk.voids} void lookups (NXDOMAIN or no answer); above ${SPF_VOID_LOOKUP_LIMIT} receivers return permerror.`,
      domain, Severity.ERROR));
  }
  if (spfFindings.some((f) => f.ruleId === SPF_RULES.mxAddressLookups.id && f.path === domain)) {
    // The measured permerror says more than the evaluator's reminder about the same term.
    evaluated = evaluated.filter((f) => !(f.ruleId === SPF_RULES.mxAddressLookups.id && f.path === domain && f.severity === Severity.INFO));
  }
  const parts = [apex, dmarcPart.part, mtaStsPart.part, rest, dkimPart, caaPart];
  const dnssec = await dnssecQ;
  const transit = await transitQ;
  const transitChecked = transit.probes === undefined ? [] : transitFindings(domain, mxHosts, transit.probes, mtaStsPart.mtaStsPolicy);
  const facts = [
    ...(dmarcPart.fact === undefined ? [] : [dmarcPart.fact]),
    ...(dnssec.status === undefined ? [] : [dnssecSummary(dnssec.status)]),
    ...transit.facts,
  ];
  return {
    domain,
    profile: GovUkProfile.isParked(posture) ? 'parked' : 'active',
    records: [
      ...apex.records, ...(walk?.records ?? []), ...dmarcPart.part.records, ...mtaStsPart.part.records,
      ...rest.records, ...dkimPart.records, ...caaPart.records, ...dnssec.records, ...transit.records,
    ],
    findings: dedupeFindings([
      ...parts.flatMap((p) => p.findings), ...spfFindings, ...evaluated, ...bimiFetched, ...dnssec.findings, ...transitChecked, ...transit.findings,
    ]),
    ...(dnssec.status === undefined ? {} : { dnssec: dnssec.status }),
    ...(transit.probes === undefined ? {} : { tlsReadiness: tlsReadiness(domain, transit.probes, mxHosts) }),
    ...(facts.length === 0 ? {} : { facts }),
  };
}

/**
 * What a `_dmarc` name that is an alias (a CNAME to a central policy record) shows: a fact naming
 * the target, and a finding when the target is missing (NXDOMAIN) or holds no TXT record, which
 * leaves the domain without a DMARC policy. A loop is reported by `Part.txt`.
 */
function dmarcAlias(name: string, r: DnsResult<string[]>): { fact?: string; finding?: Finding } {
  const chain = r.cnames ?? [];
  if (chain.length === 0) return {};
  const fact = `${name} is a CNAME to ${chain.join(', a CNAME to ')}`;
  if (r.cnameLoop === true) return { fact: `${fact}, a loop` };
  const target = chain[chain.length - 1];
  if (r.outcome !== 'nxdomain' && r.outcome !== 'nodata') return { fact };
  const missing = r.outcome === 'nxdomain' ? 'which does not exist (NXDOMAIN)' : 'which holds no TXT record';
  return {
    fact: `${fact} (${r.outcome === 'nxdomain' ? 'missing' : 'no TXT record'})`,
    finding: finding(CHECK_RULES.cnameDangling,
      `${name} is a CNAME to ${target}, ${missing}: receivers find no DMARC policy for the domain. Publish the policy record at ${target}, or point ${name} at one that exists.`,
      name, undefined, subjectOf(name, 'TXT')),
  };
}

/** One finding per kind of failure, naming the queries that failed that way. */
function apexUnavailable(domain: string, results: Array<{ type: string; name: string; r: DnsResult<unknown> }>): Finding[] {
  const byOutcome = new Map<string, Array<{ type: string; name: string; r: DnsResult<unknown> }>>();
  for (const x of results.filter((y) => isFailure(y.r))) {
    byOutcome.set(x.r.outcome, [...(byOutcome.get(x.r.outcome) ?? []), x]);
  }
  return [...byOutcome.values()].map((failed) => {
    const shown = failed.slice(0, 3).map((x) => `${x.type} ${x.name}`).join(', ');
    const more = failed.length > 3 ? ` and ${failed.length - 3} more` : '';
    const f = dnsFailureFinding(failed[0].r, domain, '', '');
    const how = failed[0].r.outcome === 'servfail' ? 'were answered SERVFAIL'
      : failed[0].r.outcome === 'timeout' ? 'got no answer in time' : `failed (${failed[0].r.code ?? 'unknown error'})`;
    return { ...f, message: `${failed.length} queries about ${domain} ${how} (${shown}${more}); none of its records could be checked.` };
  });
}

function sameValues(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
}

/** The one SPF record at the apex, parsed; undefined when there is none, several, or it cannot be read. */
function singleSpf(values: string[]) {
  const spf = values.filter((v) => Spf.isSpf(v));
  if (spf.length !== 1) return undefined;
  try {
    return Spf.parse(spf[0]);
  } catch {
    return undefined;
  }
}

async function authorisations(domain: string, dmarc: string[], dns: DnsClient, part: Part): Promise<ReportAuthorisationPosture[]> {
  const texts = dmarc.filter((v) => Dmarc.isDmarc(v));
  if (texts.length !== 1) return [];
  let uris: string[];
  try {
    const model = Dmarc.parse(texts[0]);
    uris = [...(model.aggregateReportUris ?? []), ...(model.failureReportUris ?? [])].map((u) => u.uri);
  } catch {
    return [];
  }
  const names = [...new Set(uris.map((u) => Dmarc.externalReportAuthorisation(domain, u)).filter((n): n is string => n !== undefined))];
  const results = await Promise.all(names.map(async (name) => ({ name, r: await dns.txt(name) })));
  const out: ReportAuthorisationPosture[] = [];
  for (const { name, r } of results) {
    const values = part.txt(r, name, 'the DMARC report authorisation', 'DMARC report authorisation');
    if (values !== undefined) out.push({ name, values });
  }
  return out;
}

/** The exchanges of an MX answer, most preferred first (equal preferences in name order), null MX left out. */
function mailHosts(mx: MxAnswer[]): string[] {
  const hosts = [...mx].filter((m) => m.exchange !== '')
    .sort((a, b) => a.priority - b.priority || (a.exchange < b.exchange ? -1 : a.exchange > b.exchange ? 1 : 0))
    .map((m) => m.exchange.toLowerCase().replace(/\.$/, ''));
  return [...new Set(hosts)];
}

interface MailServers {
  /** Undefined when the servers were not probed. */
  readonly probes?: SmtpProbeResult[];
  readonly findings: Finding[];
  readonly records: PublishedRecord[];
  readonly facts: string[];
}

/**
 * Probe the MX hosts (when asked) and read their TLSA records: DANE is judged against the
 * chain each presented, or without one when there was no probe.
 */
async function mailServers(hosts: string[], dns: DnsClient, smtp: SmtpCheckOptions | undefined): Promise<MailServers> {
  const limit = smtp?.maxHosts ?? hosts.length;
  const tlsaQs = hosts.slice(0, limit).map((h) => dns.tlsa(tlsaName(h)));
  const probed = smtp === undefined ? undefined : await probeMxHosts(hosts, { ...smtp, lookup: (host) => resolveAddress(host, dns) });
  const findings: Finding[] = [];
  const records: PublishedRecord[] = [];
  const facts: string[] = [];
  for (const [i, host] of hosts.slice(0, limit).entries()) {
    const probe = probed?.probes.find((p) => p.host === host);
    const chain = probe?.tls?.certificate?.chain.map((c) => c.der);
    const dane = checkDane(host, await tlsaQs[i], chain);
    findings.push(...dane.findings);
    records.push(...dane.records);
    if (probe !== undefined) facts.push(mailServerFact(probe, dane.matched));
  }
  return { probes: probed?.probes, findings, records, facts };
}

/** One line about a probed mail server, for the report. */
function mailServerFact(p: SmtpProbeResult, daneMatched: boolean | undefined): string {
  const dane = daneMatched === undefined ? '' : daneMatched ? '; DANE: a TLSA record matches' : '; DANE: no TLSA record matches';
  if (p.outcome !== 'tls' || p.tls === undefined) return `MX ${p.host}: ${p.outcome}${p.error === undefined ? '' : ` (${p.error})`}${dane}`;
  const cert = p.tls.certificate;
  const faults = cert === undefined ? ['no certificate'] : [
    ...(cert.expired ? [`certificate expired ${cert.chain[0].notAfter.slice(0, 10)}`] : []),
    ...(cert.notYetValid ? [`certificate not valid before ${cert.chain[0].notBefore.slice(0, 10)}`] : []),
    ...(cert.trusted ? [] : ['certificate not trusted']),
    ...(cert.nameMatches ? [] : [`certificate not for ${p.host}`]),
  ];
  const verdict = faults.length > 0 ? faults.join(', ') : `certificate valid until ${cert!.chain[0].notAfter.slice(0, 10)}`;
  return `MX ${p.host}: STARTTLS, ${tlsVersionText(p.tls.version)} (${p.tls.cipher}), ${verdict}${dane}`;
}

async function resolveAddress(host: string, dns: DnsClient): Promise<string> {
  // Both at once: one round trip, not two, for a host with no IPv4 address (or none at all).
  const [a, aaaa] = await Promise.all([dns.a(host), dns.aaaa(host)]);
  if (a.outcome === 'ok') return a.records[0];
  if (aaaa.outcome === 'ok') return aaaa.records[0];
  throw new Error(a.outcome === 'nxdomain' ? 'NXDOMAIN' : isFailure(a) ? (a.code ?? a.outcome) : 'no A or AAAA record');
}

function renderMx(m: MxAnswer): string {
  return `${m.priority} ${m.exchange === '' ? '.' : m.exchange}`;
}

function renderCaa(c: CaaAnswer): string {
  return `${c.flags} ${c.tag} "${c.value.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}

/** A policy body on one line for the records table: its lines joined with "; ". */
function policyOneLine(body: string): string {
  return body.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '').join('; ');
}

