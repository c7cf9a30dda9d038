/**
 * The one report shape every `gov-email` command prints, and its four formats: a table for a
 * terminal, markdown for a pull-request comment, JSON, and SARIF 2.1.0 for code-scanning tools.
 */
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DnssecStatus } from './check/dnssec';
import type { TlsReadiness } from './check/transit';
import { bold, findingLines, printable, table } from './terminal';
import { Finding, RuleDefinition, Severity } from '../records/finding';
import { RuleCatalogue } from '../standard/rule-catalogue';

/** A record as DNS will hold it (review) or holds it (check). */
export interface PublishedRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl?: number;
  readonly value: string;
  /** Where the record comes from: a stack and logical id, or a resolver. */
  readonly origin?: string;
  /** The file that declares the record (a template), for SARIF physical locations. */
  readonly file?: string;
}

/** Everything one command found about one domain. */
export interface DomainReport {
  readonly domain: string;
  /** `parked` or `active`: the profile the domain was evaluated with. */
  readonly profile?: string;
  readonly records: PublishedRecord[];
  readonly findings: Finding[];
  /** What `gov-email check` saw of the domain's DNSSEC. */
  readonly dnssec?: DnssecStatus;
  /** Whether forcing TLS to the domain is safe, when `gov-email check` probed its mail servers. */
  readonly tlsReadiness?: TlsReadiness;
  /** One line each of what was observed beyond the records (DNSSEC, mail servers), for people. */
  readonly facts?: string[];
}

/** A command's whole result. */
export interface Report {
  /** The command that produced it, e.g. `review` or `check`. */
  readonly command: string;
  /** What was read: a cloud assembly folder, or a list of domains. */
  readonly input: string;
  readonly domains: DomainReport[];
}

export type OutputFormat = 'table' | 'markdown' | 'json' | 'sarif';
export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'markdown', 'json', 'sarif'];

/** Exit codes shared by every command. */
export const ExitCode = {
  /** No errors (warnings alone, unless --strict). */
  OK: 0,
  /** Findings at error level (or warnings with --strict). */
  FINDINGS: 1,
  /** Usage or input errors: the command could not do its job. */
  USAGE: 2,
} as const;

const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** The exit code a report calls for. */
export function exitCodeFor(report: Report, strict: boolean): number {
  const all = report.domains.flatMap((d) => d.findings);
  const failing = all.some((f) => f.severity === Severity.ERROR || (strict && f.severity === Severity.WARNING));
  return failing ? ExitCode.FINDINGS : ExitCode.OK;
}

/** How to render a report. */
export interface RenderOptions {
  /** ANSI colours in the table format. */
  readonly color?: boolean;
  /** Definitions of rules that are not (yet) in the RuleCatalogue, for SARIF's rule list. */
  readonly rules?: RuleDefinition[];
}

/** Render a report in the chosen format. */
export function renderReport(report: Report, format: OutputFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      return JSON.stringify(report, undefined, 2) + '\n';
    case 'markdown':
      return renderMarkdown(report);
    case 'sarif':
      return JSON.stringify(renderSarif(report, options.rules ?? []), undefined, 2) + '\n';
    default:
      return renderTable(report, options.color ?? false);
  }
}

/** Counts of findings by severity. */
export function totals(report: Report): { error: number; warning: number; info: number } {
  const t = { error: 0, warning: 0, info: 0 };
  for (const f of report.domains.flatMap((d) => d.findings)) t[f.severity as keyof typeof t]++;
  return t;
}

function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => (SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]) || a.ruleId.localeCompare(b.ruleId));
}

function summaryLine(report: Report): string {
  const t = totals(report);
  return `${report.domains.length} domain${report.domains.length === 1 ? '' : 's'}: ${t.error} error${t.error === 1 ? '' : 's'}, ${t.warning} warning${t.warning === 1 ? '' : 's'}, ${t.info} info`;
}

// ---- table -------------------------------------------------------------------------------

function renderTable(report: Report, color: boolean): string {
  const out: string[] = [];
  for (const d of report.domains) {
    out.push(bold(printable(`${d.domain}${d.profile ? ` (${d.profile})` : ''}`), color));
    if (d.records.length > 0) {
      out.push('');
      out.push(...table(['NAME', 'TYPE', 'TTL', 'VALUE'], d.records.map((r) => [r.name, r.type, r.ttl === undefined ? '' : String(r.ttl), r.value].map(printable))).map((l) => `  ${l}`));
    }
    out.push('');
    if (d.facts !== undefined && d.facts.length > 0) {
      out.push(...d.facts.map((f) => `  ${printable(f)}`), '');
    }
    const findings = sortFindings(d.findings);
    if (findings.length === 0) {
      out.push('  no findings');
    } else {
      out.push(...findingLines(findings, color));
    }
    out.push('');
  }
  out.push(summaryLine(report));
  return out.join('\n') + '\n';
}


// ---- markdown ----------------------------------------------------------------------------

/** Text in a table cell: escape what markdown would take as syntax, including `<…>` placeholders GitHub would drop as HTML. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\*/g, '\\*')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

/** A value in a code span inside a table cell: backslashes are literal there; only `|` and backticks need care. */
function mdCode(text: string): string {
  return `\`${text.replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}

function renderMarkdown(report: Report): string {
  const t = totals(report);
  const icon = t.error > 0 ? ':x:' : t.warning > 0 ? ':warning:' : ':white_check_mark:';
  const out: string[] = [`## gov-email ${report.command}: ${icon} ${summaryLine(report)}`, ''];
  for (const d of report.domains) {
    out.push(`### ${md(d.domain)}${d.profile ? ` (${d.profile})` : ''}`, '');
    if (d.records.length > 0) {
      out.push('<details><summary>Records</summary>', '', '| Name | Type | TTL | Value |', '|---|---|---|---|');
      for (const r of d.records) out.push(`| ${md(r.name)} | ${r.type} | ${r.ttl ?? ''} | ${mdCode(r.value)} |`);
      out.push('', '</details>', '');
    }
    if (d.facts !== undefined && d.facts.length > 0) {
      out.push(...d.facts.map((f) => `- ${md(f)}`), '');
    }
    const findings = sortFindings(d.findings);
    if (findings.length === 0) {
      out.push('No findings.', '');
      continue;
    }
    out.push('| Level | Rule | Finding | Source |', '|---|---|---|---|');
    for (const f of findings) out.push(`| ${f.severity} | \`${f.ruleId}\` | ${md(f.message)} | ${md(f.source)} |`);
    out.push('');
  }
  return out.join('\n');
}

// ---- SARIF 2.1.0 -------------------------------------------------------------------------

function renderSarif(report: Report, extraRules: RuleDefinition[]): unknown {
  const findings = report.domains.flatMap((d) => d.findings.map((f) => ({ d, f })));
  const ruleIds = [...new Set(findings.map(({ f }) => f.ruleId))].sort();
  const lookup = (id: string) => RuleCatalogue.find(id) ?? extraRules.find((r) => r.id === id);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'gov-email',
          informationUri: 'https://github.com/cdk-gov-email/cdk-gov-email',
          rules: ruleIds.map((id) => {
            const r = lookup(id);
            return {
              id,
              shortDescription: { text: r?.summary ?? id },
              help: { text: r ? `${r.summary} Source: ${r.source}` : id },
              defaultConfiguration: { level: sarifLevel(r?.severity ?? Severity.WARNING) },
              properties: { source: r?.source },
            };
          }),
        },
      },
      results: findings.map(({ d, f }) => ({
        ruleId: f.ruleId,
        ruleIndex: ruleIds.indexOf(f.ruleId),
        level: sarifLevel(f.severity),
        message: { text: f.message },
        locations: [sarifLocation(d, f)],
        properties: { domain: d.domain, source: f.source },
      })),
      properties: { command: report.command, input: report.input },
    }],
  };
}

/**
 * Where a finding applies: its path (a DNS name or resource) as a logical location, with the
 * resources that publish records at that name, and the file that declares the first of them as
 * the physical location code-scanning tools need to show a result.
 */
function sarifLocation(d: DomainReport, f: Finding): unknown {
  const path = f.path ?? d.domain;
  const publishing = d.records.filter((r) => r.name === path);
  const origins = [...new Set(publishing.map((r) => r.origin).filter((o): o is string => o !== undefined))];
  const file = publishing.find((r) => r.file !== undefined)?.file;
  const logicalLocations = [
    { fullyQualifiedName: path, kind: 'resource' },
    ...origins.filter((o) => o !== path).map((o) => ({ fullyQualifiedName: o, kind: 'resource' })),
  ];
  return file === undefined
    ? { logicalLocations }
    : { physicalLocation: { artifactLocation: { uri: fileUri(file) } }, logicalLocations };
}

/** A SARIF artifact URI: a relative reference with forward slashes, or a file: URL for an absolute path. */
function fileUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}

function sarifLevel(severity: string): string {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}
