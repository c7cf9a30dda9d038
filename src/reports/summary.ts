/**
 * What a set of reports says, per domain: the numbers `gov-email reports` prints and the
 * ReportInbox function sends to CloudWatch.
 */
import { DmarcAggregateReport, DmarcPolicyPublished, DmarcRecordRow, ParsedReport } from './model';
import { SENDER_CLASSES, SENDER_CLASS_IDS, SenderClass, classifyRecord, senderClassName } from './sources';

/** One source IP whose messages failed DMARC. */
export interface FailingSource {
  readonly sourceIp: string;
  /** Failing messages from it. */
  readonly messages: number;
  /** The From domains it used. */
  readonly headerFrom: string[];
  /** Who reported it. */
  readonly reporters: string[];
}

/** Messages by the result a DKIM or SPF check gave for one domain (`pass`, `fail`, `softfail`…). */
export interface AuthDomainResults {
  readonly domain: string;
  /** Messages by result. */
  readonly results: Record<string, number>;
}

/**
 * One source IP that sent mail as the domain, whatever the outcome: who it is (the sender
 * catalogue's class), what it sent, and how it authenticated.
 */
export interface SourceSummary {
  readonly sourceIp: string;
  /**
   * The sender it is. When its records classify differently (some carried the service's own
   * signature, some did not), a catalogue sender wins over `custom`, and `custom` over
   * `unknown`; among catalogue senders, the one with the most messages.
   */
  readonly sender: SenderClass;
  readonly messages: number;
  /** Messages that passed DMARC. */
  readonly passed: number;
  /** Messages that failed DMARC: both aligned DKIM and aligned SPF failed. */
  readonly failed: number;
  /** Messages whose DMARC-aligned DKIM passed. */
  readonly dkimAligned: number;
  /** Messages whose DMARC-aligned SPF passed. */
  readonly spfAligned: number;
  /**
   * Messages that passed DMARC through DKIM alone while aligned SPF failed: a service missing
   * from the domain's SPF record, or mail forwarded on by another server.
   */
  readonly dkimOnly: number;
  /** The DKIM signing domains (`d=`) seen, with messages by result. */
  readonly dkimDomains: AuthDomainResults[];
  /** The domains SPF was checked for (MAIL FROM, or HELO), with messages by result. */
  readonly spfDomains: AuthDomainResults[];
  /** The MAIL FROM (RFC5321.MailFrom) domains seen: the reporters' `envelope_from`, and SPF `mfrom` domains. */
  readonly mailFrom: string[];
  /** The From (RFC5322.From) domains it used. */
  readonly headerFrom: string[];
  /** Messages by what the receiver did. */
  readonly dispositions: Record<string, number>;
  /** Who reported it. */
  readonly reporters: string[];
}

/** The sources of one sender class, together. */
export interface SenderSummary {
  /** The class id (`microsoft-365`…, `custom`, `unknown`). */
  readonly id: string;
  readonly name: string;
  /** Source IPs. */
  readonly sources: number;
  readonly messages: number;
  readonly passed: number;
  readonly failed: number;
  /** Messages that passed DMARC through DKIM alone (aligned SPF failed). */
  readonly dkimOnly: number;
}

/**
 * A DMARC record as reporters found it published (`policy_published`), and how many reports
 * said so. RFC 9990 reports add `np`, `testing` (`t=`), `psd` and `discovery_method`.
 */
export interface PublishedPolicySummary extends Omit<DmarcPolicyPublished, 'domain'> {
  /** `rfc7489` or `rfc9990`: the schema of the reports that said so. */
  readonly schema: string;
  readonly reports: number;
}

/** DMARC numbers for one domain. */
export interface DmarcSummary {
  readonly reports: number;
  readonly reporters: string[];
  readonly messages: number;
  /** Messages that passed DMARC (aligned DKIM or aligned SPF). */
  readonly passed: number;
  readonly failed: number;
  /** Messages by what the receiver did: none, quarantine, reject, pass. */
  readonly dispositions: Record<string, number>;
  /** The sources with the most failing messages, most first. */
  readonly topFailingSources: FailingSource[];
  /** Every source, most messages first (then by address). */
  readonly sources: SourceSummary[];
  /** The sources by sender class, most messages first. */
  readonly senders: SenderSummary[];
  /** The DMARC records reporters found published, most reports first. */
  readonly policies: PublishedPolicySummary[];
  readonly begin?: string;
  readonly end?: string;
}

/** TLS-RPT numbers for one domain. */
export interface TlsSummary {
  readonly reports: number;
  readonly reporters: string[];
  readonly successfulSessions: number;
  readonly failedSessions: number;
  /** Failed sessions by result type (`certificate-expired`, `starttls-not-supported`…). */
  readonly failuresByType: Record<string, number>;
  /** Policy types senders applied (`sts`, `no-policy-found`…). */
  readonly policyTypes: string[];
  readonly begin?: string;
  readonly end?: string;
}

/** Everything the reports say about one domain. */
export interface DomainSummary {
  readonly domain: string;
  readonly dmarc?: DmarcSummary;
  readonly tls?: TlsSummary;
}

interface DmarcAcc {
  reports: number;
  reporters: Set<string>;
  messages: number;
  passed: number;
  failed: number;
  dispositions: Map<string, number>;
  sources: Map<string, { messages: number; headerFrom: Set<string>; reporters: Set<string> }>;
  all: Map<string, SourceAcc>;
  policies: Map<string, { policy: Omit<PublishedPolicySummary, 'reports'>; reports: number }>;
  begin?: string;
  end?: string;
}
interface SourceAcc {
  messages: number;
  passed: number;
  failed: number;
  dkimAligned: number;
  spfAligned: number;
  dkimOnly: number;
  /** Messages by class id, and by reason within it. */
  classes: Map<string, Map<string, number>>;
  dkim: Map<string, Map<string, number>>;
  spf: Map<string, Map<string, number>>;
  mailFrom: Set<string>;
  headerFrom: Set<string>;
  dispositions: Map<string, number>;
  reporters: Set<string>;
}

interface TlsAcc {
  reports: number;
  reporters: Set<string>;
  ok: number;
  failed: number;
  byType: Map<string, number>;
  types: Set<string>;
  begin?: string;
  end?: string;
}

/**
 * What makes a report the same report when a reporter sends it twice, or it is saved twice (an
 * `.xml` and its `.xml.gz`, a second copy): its kind, its reporter (organisation, and for DMARC
 * the contact address), its report id (unique per reporter, RFC 7489 §7.2.1.1, RFC 8460 §4.4),
 * and the domain it is about. Case and surrounding spaces in names are ignored.
 */
export function reportIdentity(report: ParsedReport): string {
  const norm = (v: string | undefined) => (v ?? '').trim().toLowerCase();
  if (report.kind === 'dmarc') {
    return JSON.stringify(['dmarc', norm(report.orgName), norm(report.email), report.reportId.trim(), norm(report.policy.domain)]);
  }
  const domains = [...new Set(report.policies.map((p) => norm(p.policyDomain)))].sort();
  return JSON.stringify(['tlsrpt', norm(report.organizationName), report.reportId.trim(), ...domains]);
}

/** A report left out because the same report was already read. */
export interface DuplicateReport {
  /** The file or attachment it was read from. */
  readonly source: string;
  /** Where the copy that was kept was read from. */
  readonly duplicateOf: string;
}

/** Reports with each one kept once (the first read), and the copies left out. */
export function withoutDuplicates<T extends { readonly source: string; readonly report: ParsedReport }>(
  found: readonly T[],
): { unique: T[]; duplicates: DuplicateReport[] } {
  const first = new Map<string, string>();
  const unique: T[] = [];
  const duplicates: DuplicateReport[] = [];
  for (const f of found) {
    const key = reportIdentity(f.report);
    const kept = first.get(key);
    if (kept === undefined) {
      first.set(key, f.source);
      unique.push(f);
    } else {
      duplicates.push({ source: f.source, duplicateOf: kept });
    }
  }
  return { unique, duplicates };
}

/**
 * Summarise reports per domain, domains in alphabetical order: the numbers, the `topSources`
 * sources with the most failing messages, and every source with the sender it is.
 */
export function summarise(reports: ParsedReport[], topSources = 5): DomainSummary[] {
  const dmarc = new Map<string, DmarcAcc>();
  const tls = new Map<string, TlsAcc>();
  for (const report of reports) {
    if (report.kind === 'dmarc') {
      const domain = report.policy.domain;
      const acc: DmarcAcc = dmarc.get(domain)
        ?? newDmarcAcc();
      dmarc.set(domain, acc);
      acc.reports++;
      acc.reporters.add(report.orgName);
      widen(acc, report.begin, report.end);
      addPolicy(acc, report);
      for (const r of report.records) {
        addSource(acc.all, r, report.orgName);
        acc.messages += r.count;
        acc.dispositions.set(r.disposition, (acc.dispositions.get(r.disposition) ?? 0) + r.count);
        if (r.dmarcPass) {
          acc.passed += r.count;
          continue;
        }
        acc.failed += r.count;
        if (r.count === 0) continue;
        const s = acc.sources.get(r.sourceIp) ?? { messages: 0, headerFrom: new Set<string>(), reporters: new Set<string>() };
        s.messages += r.count;
        if (r.headerFrom) s.headerFrom.add(r.headerFrom);
        s.reporters.add(report.orgName);
        acc.sources.set(r.sourceIp, s);
      }
    } else {
      const seen = new Set<string>();
      for (const p of report.policies) {
        const acc: TlsAcc = tls.get(p.policyDomain) ?? { reports: 0, reporters: new Set(), ok: 0, failed: 0, byType: new Map(), types: new Set() };
        tls.set(p.policyDomain, acc);
        if (!seen.has(p.policyDomain)) {
          acc.reports++;
          seen.add(p.policyDomain);
        }
        acc.reporters.add(report.organizationName);
        acc.types.add(p.policyType);
        widen(acc, report.begin, report.end);
        acc.ok += p.successfulSessions;
        acc.failed += p.failedSessions;
        for (const f of p.failures) acc.byType.set(f.resultType, (acc.byType.get(f.resultType) ?? 0) + f.failedSessions);
      }
    }
  }
  const domains = [...new Set([...dmarc.keys(), ...tls.keys()])].sort();
  return domains.map((domain) => {
    const d = dmarc.get(domain);
    const t = tls.get(domain);
    return {
      domain,
      ...(d === undefined ? {} : {
        dmarc: {
          reports: d.reports,
          reporters: [...d.reporters].sort(),
          messages: d.messages,
          passed: d.passed,
          failed: d.failed,
          dispositions: Object.fromEntries([...d.dispositions].sort((a, b) => a[0].localeCompare(b[0]))),
          topFailingSources: [...d.sources]
            .sort((a, b) => b[1].messages - a[1].messages || a[0].localeCompare(b[0]))
            .slice(0, topSources)
            .map(([sourceIp, s]) => ({ sourceIp, messages: s.messages, headerFrom: [...s.headerFrom].sort(), reporters: [...s.reporters].sort() })),
          ...sourceViews(d),
          ...range(d),
        },
      }),
      ...(t === undefined ? {} : {
        tls: {
          reports: t.reports,
          reporters: [...t.reporters].sort(),
          successfulSessions: t.ok,
          failedSessions: t.failed,
          failuresByType: Object.fromEntries([...t.byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
          policyTypes: [...t.types].sort(),
          ...range(t),
        },
      }),
    };
  });
}

function newDmarcAcc(): DmarcAcc {
  return {
    reports: 0,
    reporters: new Set(),
    messages: 0,
    passed: 0,
    failed: 0,
    dispositions: new Map(),
    sources: new Map(),
    all: new Map(),
    policies: new Map(),
  };
}

/** Add one record to its source's totals. Records of no messages say nothing about a source. */
function addSource(sources: Map<string, SourceAcc>, r: DmarcRecordRow, reporter: string): void {
  if (!(r.count > 0)) return;
  const s: SourceAcc = sources.get(r.sourceIp) ?? {
    messages: 0,
    passed: 0,
    failed: 0,
    dkimAligned: 0,
    spfAligned: 0,
    dkimOnly: 0,
    classes: new Map(),
    dkim: new Map(),
    spf: new Map(),
    mailFrom: new Set(),
    headerFrom: new Set(),
    dispositions: new Map(),
    reporters: new Set(),
  };
  sources.set(r.sourceIp, s);
  const c = r.count;
  s.messages += c;
  const dkimPass = r.dkim === 'pass';
  const spfPass = r.spf === 'pass';
  if (r.dmarcPass) s.passed += c;
  else s.failed += c;
  if (dkimPass) s.dkimAligned += c;
  if (spfPass) s.spfAligned += c;
  if (r.dmarcPass && dkimPass && !spfPass) s.dkimOnly += c;
  const sender = classifyRecord(r);
  const reasons = s.classes.get(sender.id) ?? new Map<string, number>();
  reasons.set(sender.reason, (reasons.get(sender.reason) ?? 0) + c);
  s.classes.set(sender.id, reasons);
  countResults(s.dkim, r.dkimResults, c);
  countResults(s.spf, r.spfResults, c);
  if (r.envelopeFrom) s.mailFrom.add(r.envelopeFrom.toLowerCase());
  for (const x of r.spfResults) if (x.domain && (x.scope === undefined || x.scope === 'mfrom')) s.mailFrom.add(x.domain.toLowerCase());
  if (r.headerFrom) s.headerFrom.add(r.headerFrom);
  s.dispositions.set(r.disposition, (s.dispositions.get(r.disposition) ?? 0) + c);
  s.reporters.add(reporter);
}

/** Count each (domain, result) once per record: a record's messages carried each signature once. */
function countResults(into: Map<string, Map<string, number>>, results: ReadonlyArray<{ domain: string; result: string }>, count: number): void {
  const seen = new Set<string>();
  for (const x of results) {
    const domain = x.domain.toLowerCase();
    const key = JSON.stringify([domain, x.result]);
    if (seen.has(key)) continue;
    seen.add(key);
    const byResult = into.get(domain) ?? new Map<string, number>();
    byResult.set(x.result, (byResult.get(x.result) ?? 0) + count);
    into.set(domain, byResult);
  }
}

function addPolicy(acc: DmarcAcc, report: DmarcAggregateReport): void {
  const { domain: _domain, ...published } = report.policy;
  const policy: Omit<PublishedPolicySummary, 'reports'> = {
    schema: report.schema,
    ...Object.fromEntries(Object.entries(published).filter(([, v]) => v !== undefined)),
  };
  const key = JSON.stringify(policy);
  const seen = acc.policies.get(key) ?? { policy, reports: 0 };
  seen.reports++;
  acc.policies.set(key, seen);
}

const CLASS_ORDER = (id: string) => {
  const i = SENDER_CLASSES.indexOf(id);
  return i < 0 ? SENDER_CLASSES.length : i;
};

/** The class a source is: a catalogue sender over custom, custom over unknown; then most messages. */
function sourceClass(classes: Map<string, Map<string, number>>): SenderClass {
  const rank = (id: string) => id === SENDER_CLASS_IDS.UNKNOWN ? 2 : id === SENDER_CLASS_IDS.CUSTOM ? 1 : 0;
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const [id, reasons] = [...classes].sort((a, b) => rank(a[0]) - rank(b[0]) || total(b[1]) - total(a[1]) || CLASS_ORDER(a[0]) - CLASS_ORDER(b[0]))[0];
  const [reason] = [...reasons].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0];
  return { id, name: senderClassName(id), reason };
}

function sourceViews(d: DmarcAcc): { sources: SourceSummary[]; senders: SenderSummary[]; policies: PublishedPolicySummary[] } {
  const byCount = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])));
  const results = (m: Map<string, Map<string, number>>): AuthDomainResults[] => [...m]
    .map(([domain, r]) => ({ domain, results: byCount(r), total: [...r.values()].reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || cmp(a.domain, b.domain))
    .map(({ domain, results: r }) => ({ domain, results: r }));
  const sources: SourceSummary[] = [...d.all]
    .sort((a, b) => b[1].messages - a[1].messages || cmp(a[0], b[0]))
    .map(([sourceIp, s]) => ({
      sourceIp,
      sender: sourceClass(s.classes),
      messages: s.messages,
      passed: s.passed,
      failed: s.failed,
      dkimAligned: s.dkimAligned,
      spfAligned: s.spfAligned,
      dkimOnly: s.dkimOnly,
      dkimDomains: results(s.dkim),
      spfDomains: results(s.spf),
      mailFrom: [...s.mailFrom].sort(),
      headerFrom: [...s.headerFrom].sort(),
      dispositions: Object.fromEntries([...s.dispositions].sort((a, b) => cmp(a[0], b[0]))),
      reporters: [...s.reporters].sort(),
    }));
  const senders = new Map<string, { sources: number; messages: number; passed: number; failed: number; dkimOnly: number }>();
  for (const s of sources) {
    const t = senders.get(s.sender.id) ?? { sources: 0, messages: 0, passed: 0, failed: 0, dkimOnly: 0 };
    t.sources++;
    t.messages += s.messages;
    t.passed += s.passed;
    t.failed += s.failed;
    t.dkimOnly += s.dkimOnly;
    senders.set(s.sender.id, t);
  }
  return {
    sources,
    senders: [...senders]
      .sort((a, b) => b[1].messages - a[1].messages || CLASS_ORDER(a[0]) - CLASS_ORDER(b[0]))
      .map(([id, t]) => ({ id, name: senderClassName(id), ...t })),
    policies: [...d.policies.values()]
      .sort((a, b) => b.reports - a.reports || cmp(JSON.stringify(a.policy), JSON.stringify(b.policy)))
      .map(({ policy, reports }) => ({ ...policy, reports })),
  };
}

/** Code-point order: the same whatever the locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function widen(acc: { begin?: string; end?: string }, begin: string, end: string): void {
  if (acc.begin === undefined || begin < acc.begin) acc.begin = begin;
  if (acc.end === undefined || end > acc.end) acc.end = end;
}

function range(acc: { begin?: string; end?: string }): { begin?: string; end?: string } {
  return acc.begin === undefined ? {} : { begin: acc.begin, end: acc.end };
}
