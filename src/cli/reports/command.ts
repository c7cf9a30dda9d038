/**
 * `gov-email reports <folder-or-files…>`: read DMARC aggregate reports and SMTP TLS reports a
 * department has downloaded (the attachments, or whole messages saved as .eml) with the parser
 * the ReportInbox function uses, and summarise them per domain.
 */
import { Dirent, Stats, closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Finding, Severity } from '../../records/finding';
import {
  DEFAULT_LIMITS, DmarcSummary, DomainSummary, DuplicateReport, PublishedPolicySummary, REPORT_RULES, ReportFound, Rejection, RejectionReason,
  SENDER_CLASS_IDS, SOURCE_RULES, SourceSummary, parseReportFile, senderSetUp, senderSpfInclude, summarise, withoutDuplicates,
} from '../../reports';
import { CliCommand, CliIo } from '../command';
import { COMMAND_SUMMARIES } from '../commands';
import { UsageError, parseCommandArgs, readDomainArgs, readFormat, reportUsageError } from '../options';
import { DomainReport, ExitCode, OUTPUT_FORMATS, Report, exitCodeFor, renderReport, totals } from '../report';
import { bold, findingLines, printable, table } from '../terminal';

/** File names read from a folder; a file named on the command line is read whatever its name. */
const REPORT_FILE = /\.(eml|xml|gz|gzip|zip|json)$/i;
/** How deep into sub-folders a folder is read. */
const MAX_FOLDER_DEPTH = 4;
/** The most files one run reads. */
const MAX_FILES = 100_000;
/** The name of the entry that holds findings about files that could not be read. */
export const UNREAD_FILES = '(files not read)';
/** The most bytes read from one file: the largest message the ReportInbox function reads. */
const MAX_FILE_BYTES = DEFAULT_LIMITS.maxMessageBytes;
/** How much of a file is read at a time. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** Why this command did not read a file, besides the reasons the parser gives. The values are stable. */
export enum FileRejectionReason {
  /** A named pipe, device, socket, folder or (in a folder) symbolic link where a report file was expected: never read. */
  NOT_A_REGULAR_FILE = 'not-a-regular-file',
}

/** A file, message or attachment that gave no report, and why. */
export interface FileRejection extends Omit<Rejection, 'reason'> {
  readonly reason: RejectionReason | FileRejectionReason;
}

/** A file to read: named on the command line (links followed), or found in a folder (links not followed). */
interface InputFile {
  readonly path: string;
  readonly name: string;
  readonly inFolder: boolean;
}

const USAGE = [
  'Usage: gov-email reports <folder-or-file>... [options]',
  '',
  'Summarise DMARC aggregate reports (RFC 7489, RFC 9990) and SMTP TLS reports (RFC 8460) you',
  'have downloaded: the attachments as reporters send them (.xml, .xml.gz, .zip, .json, .json.gz)',
  'or whole messages saved as .eml. For each domain: messages, DMARC passes and failures, the',
  'DMARC record reporters found (with RFC 9990\'s np, t and discovery_method), every source that',
  'sent as the domain with who it is (Microsoft 365, Amazon SES, Google Workspace, GOV.UK Notify,',
  'a custom sender, or unknown, from the DKIM and SPF domains the reports show) and how it',
  'authenticated, calling out sources that pass only through DKIM (SPF fails: a sender missing',
  'from SPF, or forwarding) and sources that fail DMARC; and TLS sessions by result. The parser is the one the',
  'ReportInbox construct runs: entity declarations, archive bombs and oversized files are',
  'refused with a reason, and never stop the other reports being read. Only regular files are',
  `read, and at most ${MAX_FILE_BYTES / 1024 / 1024} MiB of each: a named pipe, device, socket or (in a folder) symbolic link is`,
  'refused with a reason, as is a larger file. A report read twice (a reporter\'s resend, or the',
  'same report saved as .xml and .xml.gz) is counted once: reports are the same when their',
  'reporter, report id and domain are; the copies skipped are counted.',
  '',
  'Arguments:',
  '  folder-or-file          files to read, or folders to read report files from (sub-folders too)',
  '',
  'Options:',
  `  --format <format>       ${OUTPUT_FORMATS.join(', ')} (default: table)`,
  '  --domain <name>         summarise only this domain (and names under it); repeat for more',
  '  --top <n>               failing sources named in the DMARC failures finding (default: 5);',
  '                          the tables and JSON list every source',
  '  --strict                exit 1 on warnings (DMARC or TLS failures) too',
  '  -h, --help              show this help',
  '',
  'Exit codes: 0 every report was read (failures in them are warnings); 1 a report could not be',
  'read (or, with --strict, a domain has DMARC or TLS failures); 2 a usage error, or no report',
  'file was found.',
  '',
].join('\n');

export const reportsCommand: CliCommand = {
  name: 'reports',
  summary: COMMAND_SUMMARIES.reports,
  usage: USAGE,
  run: async (args: string[], io: CliIo): Promise<number> => reports(args, io),
};

/** The summary of one domain as the JSON output carries it, next to its findings. */
export interface ReportsDomainReport extends DomainReport {
  readonly dmarc?: DomainSummary['dmarc'];
  readonly tls?: DomainSummary['tls'];
}

/** The whole result: the shared report shape, with the per-domain summaries and what was read. */
export interface ReportsReport extends Report {
  readonly domains: ReportsDomainReport[];
  /**
   * What was read: files, distinct reports, reports skipped because the same report (same
   * reporter, report id and domain) was already read, and what could not be read.
   */
  readonly files: {
    readonly read: number;
    readonly reports: number;
    readonly duplicates: DuplicateReport[];
    readonly rejected: FileRejection[];
  };
}

function reports(args: string[], io: CliIo): number {
  let options;
  try {
    options = readReportsArgs(args);
  } catch (err) {
    if (err instanceof UsageError) return reportUsageError(io, 'reports', err.message, { usage: USAGE });
    throw err;
  }
  const { positionals, format, top, wanted, strict } = options;

  const files: InputFile[] = [];
  for (const input of positionals) {
    let stat;
    try {
      stat = statSync(input);
    } catch {
      io.stderr.write(`gov-email reports: ${input} does not exist or cannot be read.\n`);
      return ExitCode.USAGE;
    }
    if (stat.isDirectory()) {
      const before = files.length;
      const skipped = collect(input, input, 0, files);
      if (skipped > 0) io.stderr.write(`gov-email reports: skipped ${skipped} file${skipped === 1 ? '' : 's'} in ${input} that ${skipped === 1 ? 'is' : 'are'} not named as a report (.eml, .xml, .gz, .zip, .json).\n`);
      if (files.length === before) io.stderr.write(`gov-email reports: ${input} holds no report files.\n`);
    } else {
      files.push({ path: input, name: input, inFolder: false });
    }
    if (files.length > MAX_FILES) return reportUsageError(io, 'reports', `more than ${MAX_FILES} files to read; name fewer folders.`, { usage: USAGE });
  }
  if (files.length === 0) {
    io.stderr.write('gov-email reports: no report file was found.\n');
    return ExitCode.USAGE;
  }

  const found: ReportFound[] = [];
  const rejected: FileRejection[] = [];
  for (const file of files) {
    let read: Buffer | FileRejection;
    try {
      read = readBounded(file, MAX_FILE_BYTES);
    } catch (err) {
      io.stderr.write(`gov-email reports: ${file.name} cannot be read (${(err as Error).message}).\n`);
      return ExitCode.USAGE;
    }
    if (!Buffer.isBuffer(read)) {
      rejected.push(read);
      continue;
    }
    const outcome = parseReportFile(file.name, read);
    found.push(...outcome.reports);
    rejected.push(...outcome.rejections);
  }

  const inScope = (domain: string) => wanted.length === 0 || wanted.some((w) => domain === w || domain.endsWith(`.${w}`));
  // A reporter's resend, or a report saved twice (.xml and .xml.gz), is counted once.
  const { unique, duplicates } = withoutDuplicates(found);
  const summaries = summarise(unique.map((f) => f.report), top).filter((s) => inScope(s.domain));
  if (wanted.length > 0 && summaries.length === 0) {
    io.stderr.write(`gov-email reports: no report is about ${wanted.join(', ')}.\n`);
  }
  const domains: ReportsDomainReport[] = summaries.map(domainReport);
  if (rejected.length > 0) {
    domains.push({ domain: UNREAD_FILES, records: [], findings: rejected.map(rejectionFinding) });
  }
  const report: ReportsReport = {
    command: 'reports',
    input: positionals.join(' '),
    domains,
    files: { read: files.length, reports: unique.length, duplicates, rejected },
  };
  const env = io.env ?? process.env;
  const color = io.stdout.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  io.stdout.write(format === 'table' ? renderSummaryTable(report, color) : renderReport(report, format, { rules: Object.values(REPORT_RULES) }));
  return exitCodeFor(report, strict);
}

function readReportsArgs(args: string[]) {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string' },
    domain: { type: 'string', multiple: true },
    top: { type: 'string' },
    strict: { type: 'boolean', default: false },
  });
  if (positionals.length === 0) throw new UsageError('name at least one folder or report file.');
  const format = readFormat(values.format);
  const top = values.top === undefined ? 5 : Number(values.top);
  if (!Number.isInteger(top) || top < 0 || top > 1000) throw new UsageError(`--top must be a whole number from 0 to 1000; got "${values.top}".`);
  return { positionals, format, top, wanted: readDomainArgs(values.domain), strict: values.strict === true };
}

/**
 * A file's bytes, read without blocking and at most `cap` + 1 of them (so a file that grows while
 * it is read is still bounded), or why it was not read: it is not a regular file (checked before
 * it is opened and again on the open descriptor), or it is larger than `cap`.
 *
 * @throws Error when the file cannot be opened or read (it does not exist, no permission)
 */
function readBounded(file: InputFile, cap: number): Buffer | FileRejection {
  const before = notRegular(file.inFolder ? lstatSync(file.path) : statSync(file.path), file.inFolder);
  if (before !== undefined) return notARegularFile(file, before);
  const noFollow = file.inFolder ? (constants.O_NOFOLLOW ?? 0) : 0;
  // open(2) flags are bits: read only, never block (a FIFO), and in a folder never follow a link.
  // eslint-disable-next-line no-bitwise
  const fd = openSync(file.path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | noFollow);
  try {
    const stat = fstatSync(fd);
    const what = notRegular(stat, false);
    if (what !== undefined) return notARegularFile(file, what);
    if (stat.size > cap) return tooLarge(file, `the file is ${stat.size} bytes`, cap);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, cap + 1 - total));
      const bytes = readSync(fd, chunk, 0, chunk.length, null);
      if (bytes === 0) break;
      chunks.push(chunk.subarray(0, bytes));
      total += bytes;
      if (total > cap) return tooLarge(file, `the file grew to more than ${cap} bytes while it was read`, cap);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** What a file is when it is not a regular file, for people; undefined for a regular file. */
function notRegular(stat: Stats, linksRefused: boolean): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isSymbolicLink()) return linksRefused ? 'a symbolic link (links in folders are not followed; name the file itself)' : 'a symbolic link';
  return 'not a regular file';
}

function notARegularFile(file: InputFile, what: string): FileRejection {
  return { source: file.name, reason: FileRejectionReason.NOT_A_REGULAR_FILE, detail: `${what}, not a regular file: not read` };
}

function tooLarge(file: InputFile, size: string, cap: number): FileRejection {
  return { source: file.name, reason: RejectionReason.ATTACHMENT_TOO_LARGE, detail: `${size}, more than the limit of ${cap}: not read` };
}

/**
 * Files under a folder named as reports, in name order; returns how many others were skipped.
 * Entries named as reports that are neither folders nor regular files (named pipes, devices,
 * sockets, symbolic links) are kept, so that reading them refuses them with a reason.
 */
function collect(root: string, dir: string, depth: number, files: InputFile[]): number {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let skipped = 0;
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < MAX_FOLDER_DEPTH) skipped += collect(root, path, depth + 1, files);
    } else if (REPORT_FILE.test(entry.name)) {
      files.push({ path, name: relative(root, path) || entry.name, inFolder: true });
    } else if (entry.isFile()) {
      skipped++;
    }
    if (files.length > MAX_FILES) break;
  }
  return skipped;
}

function domainReport(s: DomainSummary): ReportsDomainReport {
  const findings: Finding[] = [];
  const r = REPORT_RULES;
  const lines: string[] = [];
  if (s.dmarc) {
    const d = s.dmarc;
    lines.push(`DMARC: ${n(d.messages)} messages in ${plural(d.reports, 'report')} from ${plural(d.reporters.length, 'reporter')} (${period(d.begin, d.end)}): ${n(d.passed)} passed, ${n(d.failed)} failed (${pct(d.failed, d.messages)}).`);
    if (d.failed > 0) {
      const sources = d.topFailingSources.map((f) => `${f.sourceIp} ${n(f.messages)} (from ${f.headerFrom.join(', ') || 'no From domain'}; reported by ${f.reporters.join(', ')})`);
      findings.push(finding(r.dmarcFailures, Severity.WARNING,
        `${n(d.failed)} of ${n(d.messages)} messages (${pct(d.failed, d.messages)}) failed DMARC${sources.length > 0 ? `; most from ${sources.join('; ')}` : ''}.`, s.domain));
    }
  }
  if (s.tls) {
    const t = s.tls;
    const sessions = t.successfulSessions + t.failedSessions;
    lines.push(`TLS: ${n(sessions)} sessions in ${plural(t.reports, 'report')} from ${plural(t.reporters.length, 'reporter')} (${period(t.begin, t.end)}; policy ${t.policyTypes.join(', ')}): ${n(t.successfulSessions)} succeeded, ${n(t.failedSessions)} failed (${pct(t.failedSessions, sessions)}).`);
    if (t.failedSessions > 0) {
      const types = Object.entries(t.failuresByType).map(([type, count]) => `${type} ${n(count)}`);
      findings.push(finding(r.tlsFailures, Severity.WARNING,
        `${n(t.failedSessions)} of ${n(sessions)} TLS sessions (${pct(t.failedSessions, sessions)}) failed${types.length > 0 ? `: ${types.join(', ')}` : ''}.`, s.domain));
    }
  }
  findings.push(finding(r.summary, Severity.INFO, lines.join(' '), s.domain));
  const facts = s.dmarc ? dmarcFacts(s.dmarc) : [];
  if (s.dmarc) findings.push(...sourceFindings(s.domain, s.dmarc.sources));
  return {
    domain: s.domain,
    records: [],
    findings,
    ...(facts.length > 0 ? { facts } : {}),
    ...(s.dmarc ? { dmarc: s.dmarc } : {}),
    ...(s.tls ? { tls: s.tls } : {}),
  };
}

/** The published policies, the senders, and every source, one line each (markdown and JSON carry them). */
function dmarcFacts(d: DmarcSummary): string[] {
  const out = d.policies.map((p) => `DMARC record reported: ${policyText(p)} (${p.schema === 'rfc9990' ? 'RFC 9990' : 'RFC 7489'}, ${plural(p.reports, 'report')}).`);
  if (d.senders.length > 0) {
    out.push(`Senders: ${d.senders.map((s) => `${s.name} ${plural(s.sources, 'source')}, ${plural(s.messages, 'message')} (${n(s.passed)} passed DMARC)`).join('; ')}.`);
  }
  for (const s of d.sources) {
    const parts = [
      `${s.sourceIp}: ${s.sender.name}; ${plural(s.messages, 'message')}, ${n(s.passed)} passed DMARC, ${n(s.failed)} failed; aligned DKIM ${n(s.dkimAligned)}, aligned SPF ${n(s.spfAligned)}`,
      `DKIM ${authText(s.dkimDomains) || 'none'}`,
      `SPF ${authText(s.spfDomains) || 'none'}`,
      `MAIL FROM ${s.mailFrom.join(', ') || 'not reported'}`,
      `reported by ${s.reporters.join(', ')}`,
    ];
    const notes = callOuts(s);
    out.push(`${parts.join('; ')}${notes.length > 0 ? `: ${notes.join(', ')}` : ''}. ${s.sender.reason}`);
  }
  return out;
}

/** The sources to call out: DKIM-only passes (a sender missing from SPF, or forwarding), and DMARC failures. */
function sourceFindings(domain: string, sources: SourceSummary[]): Finding[] {
  const out: Finding[] = [];
  for (const s of sources) {
    const who = `${s.sourceIp} (${s.sender.name})`;
    const include = senderSpfInclude(s.sender.id);
    if (s.dkimOnly > 0) {
      const hint = include !== undefined
        ? `if ${s.sender.name} sends it directly, add include:${include} to the SPF record of its MAIL FROM domain; otherwise it is forwarded`
        : 'a sender missing from SPF, or mail forwarded on by another server';
      out.push(finding(SOURCE_RULES.dkimOnly, Severity.INFO,
        `${who}: ${n(s.dkimOnly)} of ${plural(s.messages, 'message')} to ${domain} passed DMARC through DKIM only; aligned SPF failed (MAIL FROM ${s.mailFrom.join(', ') || 'not reported'}): ${hint}.`, s.sourceIp));
    }
    if (s.failed > 0) {
      const setUp = senderSetUp(s.sender.id);
      const hint = s.sender.id === SENDER_CLASS_IDS.UNKNOWN
        ? 'spoofing, or a service sending as the domain that nobody has set up'
        : setUp !== undefined ? `${s.sender.name} is not set up to send as ${domain}: ${setUp}`
          : `some of its mail is neither signed as ${domain} nor covered by its SPF record`;
      out.push(finding(SOURCE_RULES.failing, Severity.WARNING,
        `${who}: ${n(s.failed)} of ${plural(s.messages, 'message')} to ${domain} failed DMARC (neither aligned DKIM nor aligned SPF passed; DKIM ${authText(s.dkimDomains) || 'none'}, MAIL FROM ${s.mailFrom.join(', ') || 'not reported'}; reported by ${s.reporters.join(', ')}): ${hint}.`, s.sourceIp));
    }
  }
  return out;
}

function callOuts(s: SourceSummary): string[] {
  return [
    ...(s.dkimOnly > 0 ? [`DKIM only ${n(s.dkimOnly)}`] : []),
    ...(s.failed > 0 ? [`fails DMARC ${n(s.failed)}`] : []),
  ];
}

/** `dept.gov.uk pass, other.example fail/none`: each domain and the results it got. */
function authText(domains: SourceSummary['dkimDomains']): string {
  return domains.map((d) => `${d.domain} ${Object.keys(d.results).join('/')}`).join(', ');
}

/** The published record as tags, in RFC order; RFC 9990's `discovery_method` by its report name. */
function policyText(p: PublishedPolicySummary): string {
  const tags: Array<[string, string | number | undefined]> = [
    ['p', p.p], ['sp', p.sp], ['np', p.np], ['adkim', p.adkim], ['aspf', p.aspf], ['pct', p.pct], ['fo', p.fo],
    ['t', p.testing], ['psd', p.psd], ['discovery_method', p.discoveryMethod],
  ];
  const set = tags.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  return set.length > 0 ? set.join(' ') : 'no tags';
}

function rejectionFinding(rejection: FileRejection): Finding {
  return finding(REPORT_RULES.rejected, Severity.ERROR, `${rejection.source}: ${rejection.reason}: ${rejection.detail}`, rejection.source);
}

function finding(rule: { id: string; source: string }, severity: Severity, message: string, path: string): Finding {
  return { ruleId: rule.id, severity, message, source: rule.source, path };
}

// ---- table ---------------------------------------------------------------------------------

/** The summary tables per domain, then the findings, then one line of totals. */
export function renderSummaryTable(report: ReportsReport, color = false): string {
  const out: string[] = [];
  for (const d of report.domains) {
    out.push(bold(printable(d.domain), color), '');
    if (d.dmarc) {
      const m = d.dmarc;
      out.push(`  DMARC: ${plural(m.reports, 'report')} from ${printable(m.reporters.join(', '))}; ${period(m.begin, m.end)}`);
      // What receivers did: RFC 7489 says none when no action was taken; RFC 9990 adds pass.
      const delivered = (m.dispositions.none ?? 0) + (m.dispositions.pass ?? 0);
      out.push(...indent(table(['MESSAGES', 'PASSED', 'FAILED', 'FAILED %', 'DELIVERED', 'QUARANTINED', 'REJECTED'], [[
        n(m.messages), n(m.passed), n(m.failed), pct(m.failed, m.messages),
        n(delivered), n(m.dispositions.quarantine ?? 0), n(m.dispositions.reject ?? 0),
      ]])));
      for (const p of m.policies) {
        out.push(`  Published: ${printable(policyText(p))} (${p.schema === 'rfc9990' ? 'RFC 9990' : 'RFC 7489'}, ${plural(p.reports, 'report')})`);
      }
      if (m.senders.length > 0) {
        out.push('');
        out.push(...indent(table(['SENDER', 'SOURCES', 'MESSAGES', 'PASSED', 'DKIM ONLY', 'FAILED'],
          m.senders.map((s) => [s.name, n(s.sources), n(s.messages), n(s.passed), n(s.dkimOnly), n(s.failed)].map(printable)))));
        out.push('');
        out.push(...indent(table(['SOURCE', 'SENDER', 'MESSAGES', 'PASSED', 'DKIM ALIGNED', 'SPF ALIGNED', 'DKIM DOMAINS', 'MAIL FROM', 'CALL-OUT'],
          m.sources.map((s) => [
            s.sourceIp, s.sender.name, n(s.messages), n(s.passed), n(s.dkimAligned), n(s.spfAligned),
            authText(s.dkimDomains) || '-', s.mailFrom.join(', ') || '-', callOuts(s).join(', '),
          ].map(printable)))));
      }
      out.push('');
    }
    if (d.tls) {
      const t = d.tls;
      const sessions = t.successfulSessions + t.failedSessions;
      out.push(`  TLS: ${plural(t.reports, 'report')} from ${printable(t.reporters.join(', '))}; ${period(t.begin, t.end)}; policy ${printable(t.policyTypes.join(', '))}`);
      out.push(...indent(table(['SESSIONS', 'SUCCESSFUL', 'FAILED', 'FAILED %'], [[n(sessions), n(t.successfulSessions), n(t.failedSessions), pct(t.failedSessions, sessions)]])));
      const types = Object.entries(t.failuresByType);
      if (types.length > 0) {
        out.push('');
        out.push(...indent(table(['FAILURE TYPE', 'SESSIONS'], types.map(([type, count]) => [printable(type), n(count)]))));
      }
      out.push('');
    }
    // The summary finding repeats the tables; the per-source call-outs are shown.
    const findings = d.findings.filter((f) => f.ruleId !== REPORT_RULES.summary.id || d.dmarc === undefined && d.tls === undefined);
    if (findings.length > 0) {
      out.push(...findingLines(findings, color), '');
    }
  }
  const t = totals(report);
  const rejected = report.files.rejected.length;
  const duplicates = report.files.duplicates.length;
  out.push(`${plural(report.files.reports, 'report')} read from ${plural(report.files.read, 'file')}, ` +
    `${duplicates > 0 ? `${plural(duplicates, 'duplicate')} skipped, ` : ''}${rejected} rejected; ` +
    `${plural(report.domains.filter((d) => d.domain !== UNREAD_FILES).length, 'domain')}: ${plural(t.error, 'error')}, ${plural(t.warning, 'warning')}`);
  return out.join('\n') + '\n';
}


function indent(lines: string[]): string[] {
  return lines.map((l) => `  ${l}`);
}


function n(value: number): string {
  return value.toLocaleString('en-GB');
}

function pct(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const p = (part / whole) * 100;
  return `${p > 0 && p < 0.1 ? '<0.1' : p.toFixed(1)}%`;
}

function plural(count: number, word: string): string {
  return `${n(count)} ${word}${count === 1 ? '' : 's'}`;
}

function period(begin: string | undefined, end: string | undefined): string {
  if (begin === undefined || end === undefined) return 'no period';
  const b = begin.slice(0, 10);
  const e = end.slice(0, 10);
  return b === e ? b : `${b} to ${e}`;
}
