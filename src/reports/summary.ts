/**
 * What a set of reports says, per domain: the numbers `gov-email reports` prints and the
 * ReportInbox function sends to CloudWatch.
 */
import { ParsedReport } from './model';

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
  begin?: string;
  end?: string;
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

/** Summarise reports per domain, domains in alphabetical order. */
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

export function summarise(reports: ParsedReport[], topSources = 5): DomainSummary[] {
  const dmarc = new Map<string, DmarcAcc>();
  const tls = new Map<string, TlsAcc>();
  for (const report of reports) {
    if (report.kind === 'dmarc') {
      const domain = report.policy.domain;
      const acc: DmarcAcc = dmarc.get(domain)
        ?? { reports: 0, reporters: new Set(), messages: 0, passed: 0, failed: 0, dispositions: new Map(), sources: new Map() };
      dmarc.set(domain, acc);
      acc.reports++;
      acc.reporters.add(report.orgName);
      widen(acc, report.begin, report.end);
      for (const r of report.records) {
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

function widen(acc: { begin?: string; end?: string }, begin: string, end: string): void {
  if (acc.begin === undefined || begin < acc.begin) acc.begin = begin;
  if (acc.end === undefined || end > acc.end) acc.end = end;
}

function range(acc: { begin?: string; end?: string }): { begin?: string; end?: string } {
  return acc.begin === undefined ? {} : { begin: acc.begin, end: acc.end };
}
