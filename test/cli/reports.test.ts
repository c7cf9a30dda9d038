import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, symlinkSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FileRejectionReason, ReportsReport, UNREAD_FILES, reportsCommand } from '../../src/cli/reports/command';
import { DEFAULT_LIMITS } from '../../src/reports';
import { SENDERS_CORPUS, SENDER_SOURCES } from '../fixtures/reports/build-corpus';
import { CORPUS, source } from '../report-inbox/support/mail';

/** The senders corpus as a path relative to the repository, so the reports' `input` is the same in every clone. */
const SENDERS = relative(process.cwd(), SENDERS_CORPUS);

interface Run { code: number; stdout: string; stderr: string }

async function run(args: string[], tty = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await reportsCommand.run(args, {
    stdout: { write: (t: string) => (stdout += t), isTTY: tty },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
  });
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gov-email-reports-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('gov-email reports on the test corpus', () => {
  test('the table: per domain, DMARC messages and results, the records reported, every source by sender, TLS sessions by result; exit 0', async () => {
    const { code, stdout, stderr } = await run([CORPUS]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain([
      'dept.gov.uk',
      '',
      '  DMARC: 11 reports from Enterprise Outlook, Fastmail Pty Ltd, Mail.Ru, Mimecast, Yahoo, Zoho Corporation, comcast.net, google.com, mx1.example-council.gov.uk; 2026-05-01 to 2026-05-03',
      '  MESSAGES  PASSED  FAILED  FAILED %  DELIVERED  QUARANTINED  REJECTED',
      '  8,409     8,145   264     3.1%      8,147      2            260',
      '  Published: p=reject sp=reject adkim=r aspf=r pct=100 (RFC 7489, 6 reports)',
    ].join('\n'));
    expect(stdout).toContain('  Published: p=reject sp=reject np=reject adkim=r aspf=r t=n discovery_method=treewalk (RFC 9990, 1 report)');
    // Every source, passing or failing, with who it is; the failing ones the old view listed are among them.
    expect(stdout).toMatch(/\n {2}SOURCE +SENDER +MESSAGES +PASSED +DKIM ALIGNED +SPF ALIGNED +DKIM DOMAINS +MAIL FROM +CALL-OUT\n {2}192\.0\.2\.10 +Custom sender +5,353 +5,353 /);
    expect(stdout).toMatch(/\n {2}203\.0\.113\.66 +Unknown +191 +0 +0 +0 +- +bulk-offers\.example +fails DMARC 191\n/);
    expect(stdout).toMatch(/\n {2}198\.51\.100\.77 +Unknown +42 +0 /);
    expect(stdout).toMatch(/\n {2}2001:db8:4860::1b +Custom sender +4 +4 +4 +0 +dept\.gov\.uk pass +lists\.university\.example +DKIM only 4\n/);
    expect(stdout).toContain([
      '  TLS: 4 reports from Google Inc., Microsoft Corporation, mail.example-isp.net; 2026-05-01 to 2026-05-02; policy sts',
      '  SESSIONS  SUCCESSFUL  FAILED  FAILED %',
      '  7,127     7,117       10      0.1%',
      '',
      '  FAILURE TYPE            SESSIONS',
      '  certificate-expired     6',
    ].join('\n'));
    expect(stdout).toContain('  WARNING  REPORTS-DMARC-FAILURES  1,284 of 1,284 messages (100.0%) failed DMARC; most from 203.0.113.200 1,243');
    expect(stdout).toContain('reports.dept.gov.uk\n\n  TLS: 2 reports from Google Inc., Microsoft Corporation; 2026-05-01; policy no-policy-found');
    // Failing sources are each a warning now (REPORTS-SOURCE-FAILING): 6 on dept.gov.uk, 3 on old-dept.gov.uk.
    expect(stdout.trimEnd().split('\n').pop()).toBe('22 reports read from 21 files, 0 rejected; 3 domains: 0 errors, 11 warnings');
  });

  test('JSON: the shared report shape with each domain\'s summary and what was read', async () => {
    const { code, stdout } = await run([CORPUS, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ReportsReport;
    expect(report.command).toBe('reports');
    expect(report.files).toEqual({ read: 21, reports: 22, duplicates: [], rejected: [] });
    expect(report.domains.map((d) => d.domain)).toEqual(['dept.gov.uk', 'old-dept.gov.uk', 'reports.dept.gov.uk']);
    expect(report.domains[1].dmarc).toMatchObject({ messages: 1284, passed: 0, failed: 1284, reporters: ['GMX', 'Mimecast', 'Outlook.com', 'Yahoo', 'google.com'] });
    expect(report.domains[0].tls).toMatchObject({ successfulSessions: 7117, failedSessions: 10 });
    expect(report.domains[0].findings.map((f) => [f.ruleId, f.severity, f.path])).toEqual([
      ['REPORTS-DMARC-FAILURES', 'warning', 'dept.gov.uk'], ['REPORTS-TLS-FAILURES', 'warning', 'dept.gov.uk'], ['REPORTS-SUMMARY', 'info', 'dept.gov.uk'],
      ['REPORTS-SOURCE-DKIM-ONLY', 'info', '198.51.100.25'], ['REPORTS-SOURCE-FAILING', 'warning', '198.51.100.25'],
      ['REPORTS-SOURCE-FAILING', 'warning', '203.0.113.66'], ['REPORTS-SOURCE-FAILING', 'warning', '198.51.100.77'],
      ['REPORTS-SOURCE-FAILING', 'warning', '203.0.113.91'], ['REPORTS-SOURCE-FAILING', 'warning', '198.51.100.140'],
      ['REPORTS-SOURCE-DKIM-ONLY', 'info', '2001:db8:4860::1b'],
    ]);
    expect(report.domains[0].dmarc!.sources).toHaveLength(9);
    expect(report.domains[2].findings).toEqual([expect.objectContaining({ ruleId: 'REPORTS-SUMMARY', message: expect.stringContaining('43 sessions') })]);
  });

  test('markdown and SARIF carry the findings with the rules\' definitions', async () => {
    const md = await run([CORPUS, '--format', 'markdown']);
    expect(md.stdout).toContain('## gov-email reports: :warning: 3 domains: 0 errors, 11 warnings, 5 info');
    const sarif = JSON.parse((await run([CORPUS, '--format', 'sarif'])).stdout);
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      'REPORTS-DMARC-FAILURES', 'REPORTS-SOURCE-DKIM-ONLY', 'REPORTS-SOURCE-FAILING', 'REPORTS-SUMMARY', 'REPORTS-TLS-FAILURES',
    ]);
    expect(sarif.runs[0].tool.driver.rules[0].properties.source).toBe('RFC 7489 §4.2, §7.2; RFC 9990 §2');
  });

  test('--strict: DMARC and TLS failures make it exit 1', async () => {
    expect((await run([CORPUS, '--strict'])).code).toBe(1);
  });

  test('--domain: one domain (and the names under it); --top: how many failing sources', async () => {
    const { stdout } = await run([CORPUS, '--domain', 'OLD-DEPT.gov.uk.', '--top', '1', '--format', 'json']);
    const report = JSON.parse(stdout) as ReportsReport;
    expect(report.domains.map((d) => d.domain)).toEqual(['old-dept.gov.uk']);
    expect(report.domains[0].dmarc!.topFailingSources.map((s) => s.sourceIp)).toEqual(['203.0.113.200']);
    const sub = JSON.parse((await run([CORPUS, '--domain', 'dept.gov.uk', '--format', 'json'])).stdout) as ReportsReport;
    expect(sub.domains.map((d) => d.domain)).toEqual(['dept.gov.uk', 'reports.dept.gov.uk']);
  });

  test('single files, named on the command line', async () => {
    const { code, stdout } = await run([join(CORPUS, 'gmx.net!old-dept.gov.uk!1777593600!1777680000.zip'), join(CORPUS, 'yahoo-dept-2026-05-01.eml')]);
    expect(code).toBe(0);
    expect(stdout).toContain('2 reports read from 2 files, 0 rejected; 2 domains');
  });
});

describe('gov-email reports on bad input', () => {
  test('a hostile report is refused with its reason (exit 1), and the other reports are still summarised', async () => {
    writeFileSync(join(dir, 'good.xml.gz'), gzipSync(source('google-dept-2026-05-01.xml')));
    writeFileSync(join(dir, 'laughs.xml'), '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><feedback>&b;</feedback>');
    writeFileSync(join(dir, 'bomb.xml.gz'), gzipSync(Buffer.alloc(40 * 1024 * 1024)));
    const { code, stdout } = await run([dir, '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as ReportsReport;
    expect(report.domains.map((d) => d.domain)).toEqual(['dept.gov.uk', UNREAD_FILES]);
    expect(report.files.rejected.map((r) => [r.source, r.reason])).toEqual([['bomb.xml.gz', 'decompressed-too-large'], ['laughs.xml', 'xml-doctype']]);
    expect(report.domains[1].findings.map((f) => [f.ruleId, f.severity, f.path])).toEqual([
      ['REPORTS-REJECTED', 'error', 'bomb.xml.gz'], ['REPORTS-REJECTED', 'error', 'laughs.xml'],
    ]);
    const table = await run([dir]);
    expect(table.stdout).toContain(`${UNREAD_FILES}\n\n  LEVEL  RULE              FINDING\n  ERROR  REPORTS-REJECTED  bomb.xml.gz: decompressed-too-large:`);
  });

  test('text from reports cannot drive the terminal', async () => {
    writeFileSync(join(dir, 'r.xml'), source('zoho-dept-2026-05-01.xml').replace('Zoho Corporation', 'Zoho&#x1b;[2J Corp'));
    const { stdout } = await run([dir]);
    expect(stdout).not.toContain('\x1b');
    expect(stdout).toContain('Zoho[2J Corp');
  });

  test('colour on a terminal', async () => {
    const { stdout } = await run([CORPUS, '--domain', 'old-dept.gov.uk'], true);
    expect(stdout).toContain('\x1b[1mold-dept.gov.uk\x1b[0m');
    expect(stdout).toContain('  \x1b[33mWARNING  REPORTS-DMARC-FAILURES');
  });

  test('files that are not named as reports are skipped and counted; sub-folders are read', async () => {
    mkdirSync(join(dir, '2026', '05'), { recursive: true });
    writeFileSync(join(dir, '2026', '05', 'r.json'), source('google-tlsrpt-dept-2026-05-01.json'));
    writeFileSync(join(dir, 'notes.txt'), 'not a report');
    writeFileSync(join(dir, '.DS_Store'), 'x');
    const { code, stdout, stderr } = await run([dir]);
    expect(code).toBe(0);
    expect(stderr).toContain('skipped 1 file in');
    expect(stdout).toContain('1 report read from 1 file, 0 rejected');
  });

  test.each([
    [[], /name at least one folder or report file/],
    [['--format', 'yaml', 'x'], /--format must be one of table, markdown, json, sarif; got "yaml"/],
    [['--top', 'many', 'x'], /--top must be a whole number/],
    [['--bogus', 'x'], /Unknown option '--bogus'/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const { code, stderr } = await run(args as string[]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: gov-email reports');
  });

  test('a path that does not exist, and a folder with no report files, exit 2', async () => {
    expect(await run([join(dir, 'missing')])).toMatchObject({ code: 2, stderr: expect.stringContaining('does not exist') });
    expect(await run([dir])).toMatchObject({ code: 2, stderr: expect.stringContaining('no report file was found') });
  });
});

describe('gov-email reports reads regular files only, and at most the limit of each', () => {
  const json = async (...args: string[]) => {
    const out = await run([...args, '--format', 'json']);
    return { ...out, report: JSON.parse(out.stdout) as ReportsReport };
  };
  const good = () => writeFileSync(join(dir, 'good.xml'), source('google-dept-2026-05-01.xml'));

  test('a character device named on the command line (/dev/zero) is refused at once, without reading it; exit 1', async () => {
    const started = Date.now();
    const { code, report } = await json('/dev/zero');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(code).toBe(1);
    expect(report.files).toEqual({
      read: 1,
      reports: 0,
      duplicates: [],
      rejected: [{ source: '/dev/zero', reason: FileRejectionReason.NOT_A_REGULAR_FILE, detail: 'a character device, not a regular file: not read' }],
    });
    expect(report.domains).toEqual([expect.objectContaining({ domain: UNREAD_FILES, findings: [expect.objectContaining({ ruleId: 'REPORTS-REJECTED', severity: 'error' })] })]);
    expect((await run(['/dev/zero'])).stdout).toContain('ERROR  REPORTS-REJECTED  /dev/zero: not-a-regular-file: a character device, not a regular file: not read');
  });

  test('a named pipe (FIFO) named on the command line is refused, not waited on; the other reports are read', async () => {
    const fifo = join(dir, 'pipe.xml');
    execFileSync('mkfifo', [fifo]);
    good();
    const { code, report } = await json(fifo, join(dir, 'good.xml'));
    expect(code).toBe(1);
    expect(report.files.reports).toBe(1);
    expect(report.files.rejected).toEqual([{ source: fifo, reason: 'not-a-regular-file', detail: 'a named pipe (FIFO), not a regular file: not read' }]);
  }, 10_000);

  test('in a folder, a named pipe and a symbolic link named as reports are refused with a finding; other names are skipped as before', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.xml')]);
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    good();
    symlinkSync(join(dir, 'good.xml'), join(dir, 'link.xml'));
    const { code, report, stderr } = await json(dir);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(report.files.reports).toBe(1);
    expect(report.files.rejected.map((r) => [r.source, r.reason, r.detail])).toEqual([
      ['link.xml', 'not-a-regular-file', 'a symbolic link (links in folders are not followed; name the file itself), not a regular file: not read'],
      ['pipe.xml', 'not-a-regular-file', 'a named pipe (FIFO), not a regular file: not read'],
    ]);
  }, 10_000);

  test('a file larger than the limit is refused as too large without being read', async () => {
    const big = join(dir, 'big.xml');
    writeFileSync(big, '');
    truncateSync(big, 41 * 1024 * 1024);
    const { code, report } = await json(big);
    expect(code).toBe(1);
    expect(DEFAULT_LIMITS.maxMessageBytes).toBe(40 * 1024 * 1024);
    expect(report.files.rejected).toEqual([{
      source: big,
      reason: 'attachment-too-large',
      detail: `the file is ${41 * 1024 * 1024} bytes, more than the limit of ${DEFAULT_LIMITS.maxMessageBytes}: not read`,
    }]);
  });

  test('a file or a folder named on the command line through a link is read', async () => {
    good();
    symlinkSync(join(dir, 'good.xml'), join(dir, 'named-link'));
    const linked = await json(join(dir, 'named-link'));
    expect(linked.code).toBe(0);
    expect(linked.report.files).toEqual({ read: 1, reports: 1, duplicates: [], rejected: [] });
    const folder = `${dir}-link`;
    symlinkSync(dir, folder);
    try {
      expect((await json(folder)).report.files).toEqual({ read: 1, reports: 1, duplicates: [], rejected: [] });
    } finally {
      rmSync(folder);
    }
  });

  test('the usage says which files are read', () => {
    expect(reportsCommand.usage).toContain('Only regular files are');
    expect(reportsCommand.usage).toContain('at most 40 MiB of each');
  });
});

describe('gov-email reports counts a report once however often it was saved or sent', () => {
  const json = async (...args: string[]) => {
    const out = await run([...args, '--format', 'json']);
    return { ...out, report: JSON.parse(out.stdout) as ReportsReport };
  };
  const dmarcOf = (r: ReportsReport, domain: string) => r.domains.find((d) => d.domain === domain)?.dmarc;

  test('the same DMARC report as .xml and .xml.gz, and a second copy in a sub-folder, is counted once; the copies are listed and the table says how many were skipped', async () => {
    const xml = source('google-dept-2026-05-01.xml');
    writeFileSync(join(dir, 'a.xml'), xml);
    writeFileSync(join(dir, 'a.xml.gz'), gzipSync(Buffer.from(xml)));
    mkdirSync(join(dir, 'copy'));
    writeFileSync(join(dir, 'copy', 'a.xml'), xml);
    const once = await json(join(dir, 'a.xml'));
    const { code, report } = await json(dir);
    expect(code).toBe(0);
    expect(report.files.reports).toBe(1);
    expect(report.files.duplicates).toEqual([
      { source: 'a.xml.gz', duplicateOf: 'a.xml' },
      { source: join('copy', 'a.xml'), duplicateOf: 'a.xml' },
    ]);
    expect(dmarcOf(report, 'dept.gov.uk')).toEqual(dmarcOf(once.report, 'dept.gov.uk'));
    expect(dmarcOf(report, 'dept.gov.uk')?.reports).toBe(1);
    const table = await run([dir]);
    expect(table.stdout.trimEnd().split('\n').pop()).toMatch(/^1 report read from 3 files, 2 duplicates skipped, 0 rejected; 1 domain: /);
  });

  test('the same TLS report twice is counted once; its sessions are not doubled', async () => {
    const tls = source('google-tlsrpt-dept-2026-05-01.json');
    writeFileSync(join(dir, 'one.json'), tls);
    writeFileSync(join(dir, 'two.json'), tls);
    const { report } = await json(dir);
    const single = await json(join(dir, 'one.json'));
    expect(report.files.duplicates).toEqual([{ source: 'two.json', duplicateOf: 'one.json' }]);
    expect(report.domains.find((d) => d.domain === 'dept.gov.uk')?.tls).toEqual(single.report.domains.find((d) => d.domain === 'dept.gov.uk')?.tls);
  });

  test('reports that differ in report id, reporter or domain are all counted, and no duplicate line is printed', async () => {
    const xml = source('google-dept-2026-05-01.xml');
    const id = /<report_id>([^<]+)<\/report_id>/.exec(xml)![1];
    const org = /<org_name>([^<]+)<\/org_name>/.exec(xml)![1];
    writeFileSync(join(dir, 'a.xml'), xml);
    writeFileSync(join(dir, 'b.xml'), xml.replace(`<report_id>${id}</report_id>`, `<report_id>${id}-2</report_id>`));
    writeFileSync(join(dir, 'c.xml'), xml.replace(`<org_name>${org}</org_name>`, '<org_name>another.example</org_name>'));
    writeFileSync(join(dir, 'd.xml'), xml.replace(/<domain>dept\.gov\.uk<\/domain>/, '<domain>other-dept.gov.uk</domain>'));
    const { report } = await json(dir);
    expect(report.files.reports).toBe(4);
    expect(report.files.duplicates).toEqual([]);
    expect(dmarcOf(report, 'dept.gov.uk')?.reports).toBe(3);
    expect((await run([dir])).stdout).not.toContain('duplicate');
  });

  test('the corpus holds no duplicates', async () => {
    expect((await json(CORPUS)).report.files.duplicates).toEqual([]);
  });
});

describe('gov-email reports: who sends mail as the domain (the table-built senders corpus)', () => {
  const callOutOf = (row: typeof SENDER_SOURCES[number]) => row.expectedCallOut;

  test('the table lists every source with its sender, totals and call-out; exit 0 (failures are warnings)', async () => {
    const { code, stdout, stderr } = await run([SENDERS]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatchSnapshot();
    const lines = stdout.split('\n');
    for (const row of SENDER_SOURCES) {
      const line = lines.find((l) => l.startsWith(`  ${row.ip} `));
      expect(line).toBeDefined();
      const total = (row.counts.google + row.counts.isp).toLocaleString('en-GB');
      expect(line).toMatch(new RegExp(`^ {2}${row.ip.replace(/\./g, '\\.')} +${senderName(row.expectedSender)} +${total} `));
      const callOut = callOutOf(row);
      if (callOut === 'dkim-only') expect(line).toMatch(new RegExp(`DKIM only ${total}$`));
      else if (callOut === 'fails-both') expect(line).toMatch(new RegExp(`fails DMARC ${total}$`));
      else expect(line).not.toMatch(/DKIM only|fails DMARC/);
    }
    expect(stdout).toContain('  Published: p=reject sp=reject np=reject adkim=r aspf=r t=n discovery_method=treewalk (RFC 9990, 1 report)');
    expect(stdout).toContain('  Published: p=reject sp=reject adkim=r aspf=r pct=100 (RFC 7489, 1 report)');
  });

  test('JSON: every source with its totals equal to the rows, the sender and the reason, and the call-outs as findings on the source', async () => {
    const { stdout } = await run([SENDERS, '--format', 'json']);
    expect(stdout).toMatchSnapshot();
    const report = JSON.parse(stdout) as ReportsReport;
    const [domain] = report.domains;
    expect(domain.domain).toBe('agency.gov.uk');
    for (const row of SENDER_SOURCES) {
      const s = domain.dmarc!.sources.find((x) => x.sourceIp === row.ip)!;
      expect([row.ip, s.sender.id, s.messages]).toEqual([row.ip, row.expectedSender, row.counts.google + row.counts.isp]);
      expect(s.sender.reason.length).toBeGreaterThan(0);
      const onSource = domain.findings.filter((f) => f.path === row.ip).map((f) => f.ruleId);
      expect(onSource).toEqual({ 'none': [], 'dkim-only': ['REPORTS-SOURCE-DKIM-ONLY'], 'fails-both': ['REPORTS-SOURCE-FAILING'] }[callOutOf(row)]);
    }
    expect(domain.dmarc!.policies.find((p) => p.schema === 'rfc9990')).toMatchObject({ np: 'reject', testing: 'n', discoveryMethod: 'treewalk' });
    expect(domain.facts).toContain('DMARC record reported: p=reject sp=reject np=reject adkim=r aspf=r t=n discovery_method=treewalk (RFC 9990, 1 report).');
  });

  test('markdown: a line for every source, and the call-outs in the findings table', async () => {
    const { stdout } = await run([SENDERS, '--format', 'markdown']);
    expect(stdout).toMatchSnapshot();
    for (const row of SENDER_SOURCES) {
      expect(stdout).toMatch(new RegExp(`\\n- ${row.ip.replace(/\./g, '\\.')}: ${senderName(row.expectedSender)}; `));
    }
    expect(stdout).toContain('| warning | `REPORTS-SOURCE-FAILING` | 203.0.113.50 (Unknown): 281 of 281 messages to agency.gov.uk failed DMARC');
    expect(stdout).toContain('| info | `REPORTS-SOURCE-DKIM-ONLY` | 198.51.100.30 (Google Workspace): 345 of 345 messages to agency.gov.uk passed DMARC through DKIM only');
  });

  test('SARIF: DKIM-only and failing sources are results of stable rules, located at the source address', async () => {
    const { stdout } = await run([SENDERS, '--format', 'sarif']);
    expect(stdout).toMatchSnapshot();
    const sarif = JSON.parse(stdout);
    const run0 = sarif.runs[0];
    const rules = run0.tool.driver.rules as Array<{ id: string; defaultConfiguration: { level: string } }>;
    expect(rules.find((r) => r.id === 'REPORTS-SOURCE-FAILING')!.defaultConfiguration.level).toBe('warning');
    expect(rules.find((r) => r.id === 'REPORTS-SOURCE-DKIM-ONLY')!.defaultConfiguration.level).toBe('note');
    type Result = { ruleId: string; locations: Array<{ logicalLocations: Array<{ fullyQualifiedName: string }> }> };
    const located = (ruleId: string) => (run0.results as Result[])
      .filter((r) => r.ruleId === ruleId).map((r) => r.locations[0].logicalLocations[0].fullyQualifiedName).sort();
    expect(located('REPORTS-SOURCE-FAILING')).toEqual(SENDER_SOURCES.filter((r) => r.expectedCallOut === 'fails-both').map((r) => r.ip).sort());
    expect(located('REPORTS-SOURCE-DKIM-ONLY')).toEqual(SENDER_SOURCES.filter((r) => r.expectedCallOut === 'dkim-only').map((r) => r.ip).sort());
  });

  test('--strict: a failing source makes it exit 1', async () => {
    expect((await run([SENDERS, '--strict'])).code).toBe(1);
  });
});

function senderName(id: string): string {
  return ({
    'microsoft-365': 'Microsoft 365',
    'amazon-ses': 'Amazon SES',
    'google-workspace': 'Google Workspace',
    'govuk-notify': 'GOV.UK Notify',
    'custom': 'Custom sender',
    'unknown': 'Unknown',
  } as Record<string, string>)[id].replace(/\./g, '\\.');
}
