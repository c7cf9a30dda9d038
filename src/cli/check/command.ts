/**
 * `gov-email check <domain...>`: check live domains against the UK government email standard,
 * as the world sees them (DNS and HTTPS).
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CONCURRENCY, checkDomains } from './bulk';
import { checkRuleList } from './check-rules';
import { SmtpCheckOptions, catalogueSelectors } from './checker';
import { DnsClient } from './dns';
import { CheckCliOptions, DEFAULT_TIMEOUT_MS, normaliseDomain, parseCheckArgs, splitDomainList } from './options';
import { progressBar } from './progress';
import { DEFAULT_MAX_MX_PER_DOMAIN, ProbeLimiter } from './smtp-probe';
import { TlsReadiness, readinessLine, readinessTotal } from './transit';
import { CliCommand, CliIo } from '../command';
import { COMMAND_SUMMARIES } from '../commands';
import { UsageError, reportUsageError } from '../options';
import { Report, exitCodeFor, renderReport } from '../report';

const USAGE = `Usage: gov-email check [options] <domain...>
       gov-email check [options] --file domains.txt
       gov-email check [options] -            (domains on standard input)

Checks live domains against the UK government email standard, as a receiving or
sending mail server sees them: SPF (includes and redirects followed, DNS lookups and
void lookups counted as RFC 7208 does, loops found), DMARC and the authorisation of
report addresses at other organisations, MTA-STS (the policy fetched over HTTPS as a
sending server must: certificate validated, no redirects, HTTP 200, text/plain,
at most 64 KiB) and its coverage of the MX hosts, TLS-RPT, DKIM selectors
(${catalogueSelectors().join(', ')} and --selector), a *._domainkey wildcard, null MX, CAA,
BIMI, DNSSEC (the zone signed, its DS at the parent, the answers validated by the
resolver) and the mail servers themselves: each MX host (up to ${DEFAULT_MAX_MX_PER_DOMAIN}, most preferred
first) is asked for STARTTLS on port 25, and its TLS version, certificate and DANE
(TLSA) records are checked.
Domains that send and receive no mail (null MX, SPF -all) get the parked profile.
A domain that does not exist, a SERVFAIL, a timeout or a malformed record is a
finding for that domain; the other domains are still checked.

Domains (lists: one or more a line, separated by spaces or commas, # comments):
  <domain...>               domains to check; "-" reads a list from standard input
  --file <path>             read a list of domains from a file (repeatable)

Options:
  --resolver <ip[:port]>    DNS server to ask (repeatable; IPv6 as [addr]:port).
                            Default: the system's resolvers.
  --selector <name>         another DKIM selector to look at (repeatable)
  --format <format>         table (default), markdown, json or sarif
  --strict                  exit 1 on warnings too
  --concurrency <n>         domains checked at once (default ${DEFAULT_CONCURRENCY})
  --timeout <time>          DNS query, HTTPS connect and HTTPS total timeout, in
                            seconds (10, 0.5) or milliseconds (500ms); default ${DEFAULT_TIMEOUT_MS / 1000}
  --ca-file <pem>           also trust this CA for MTA-STS policy hosts (a private
                            CA); certificates are always validated
  --https-port <port>       for testing: fetch MTA-STS policies from 127.0.0.1:<port>,
                            still sending SNI and Host mta-sts.<domain> and
                            validating the certificate for that name
  --no-smtp                 do not connect to the mail servers (where outbound port
                            25 is blocked, as on many networks and cloud platforms);
                            otherwise each probe waits up to --timeout to connect, 20 s
                            for the greeting, 15 s for each reply and 60 s in all
  --smtp-port <port>        for testing: probe mail servers at 127.0.0.1:<port>,
                            still sending SNI <mx host> and validating for that name
  --tls-readiness           print, for each domain, whether forcing TLS to it is safe
                            (every MX offers STARTTLS, TLS 1.2 or later, a valid
                            certificate), one line each and a total, instead of the
                            report (json: the report with each domain's verdict)
  -h, --help                this help

A progress bar is drawn on standard error when it is a terminal.

Exit codes: 0 no errors; 1 errors found (or warnings with --strict);
2 usage or input error. With --tls-readiness: 0 every domain ready; 1 not.
`;

export const checkCommand: CliCommand = {
  name: 'check',
  summary: COMMAND_SUMMARIES.check,
  usage: USAGE,
  run: runCheck,
};

async function runCheck(args: string[], io: CliIo): Promise<number> {
  let options: CheckCliOptions;
  let domains: string[];
  let ca: string[] | undefined;
  try {
    options = parseCheckArgs(args);
    domains = await readDomains(options, io);
    ca = options.caFile === undefined ? undefined : [await readCa(options.caFile)];
  } catch (err) {
    if (err instanceof UsageError) return reportUsageError(io, 'check', err.message, { pointToHelp: true });
    throw err;
  }

  const dns = new DnsClient({ servers: options.resolvers, timeoutMs: options.timeoutMs });
  const smtp: SmtpCheckOptions | undefined = !options.smtp ? undefined : {
    maxHosts: DEFAULT_MAX_MX_PER_DOMAIN,
    limiter: new ProbeLimiter({}),
    ca,
    connectTimeoutMs: options.timeoutMs,
    ...(options.smtpPort === undefined ? {} : { connectTo: { host: '127.0.0.1', port: options.smtpPort } }),
  };
  const progress = progressBar(io.stderr);
  try {
    const reports = await checkDomains(domains, {
      dns,
      concurrency: options.concurrency,
      selectors: options.selectors,
      smtp,
      fetch: {
        timeoutMs: options.timeoutMs,
        connectTimeoutMs: options.timeoutMs,
        ca,
        connectTo: options.httpsPort === undefined ? undefined : { host: '127.0.0.1', port: options.httpsPort },
      },
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.end();
    // Once for the run, after the progress bar: the domains' findings each say it again briefly.
    if (smtp?.limiter.blocked !== undefined) io.stderr.write(`${smtp.limiter.blocked}\n`);
    const report: Report = { command: 'check', input: describeInput(options), domains: reports };
    if (options.tlsReadiness && options.format !== 'json') {
      const verdicts = reports.map((r) => r.tlsReadiness).filter((r): r is TlsReadiness => r !== undefined);
      io.stdout.write([...verdicts.map(readinessLine), readinessTotal(verdicts), ''].join('\n'));
      return verdicts.every((v) => v.ready) ? 0 : 1;
    }
    const color = options.format === 'table' && io.stdout.isTTY === true && io.env?.NO_COLOR === undefined;
    io.stdout.write(renderReport(report, options.format, { color, rules: checkRuleList() }));
    if (options.tlsReadiness) return reports.every((r) => r.tlsReadiness?.ready === true) ? 0 : 1;
    return exitCodeFor(report, options.strict);
  } finally {
    dns.close();
  }
}

/** The domains to check, in the order given, each once. */
async function readDomains(options: CheckCliOptions, io: CliIo): Promise<string[]> {
  const words: string[] = [];
  for (const p of options.positionals) {
    if (p === '-') {
      if (io.stdin === undefined) throw new UsageError('"-" reads domains from standard input, but there is none.');
      words.push(...splitDomainList(await readStream(io.stdin)));
    } else {
      words.push(p);
    }
  }
  for (const file of options.files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --file ${file}: ${(err as Error).message}`);
    }
    words.push(...splitDomainList(text));
  }
  const bad = words.filter((w) => normaliseDomain(w) === undefined);
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map((b) => `"${b}"`).join(', ');
    throw new UsageError(`not a domain name: ${shown}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}.`);
  }
  const domains = [...new Set(words.map((w) => normaliseDomain(w)!))];
  if (domains.length === 0) {
    throw new UsageError('no domains given: name them, or use --file <path> or "-" for standard input.');
  }
  return domains;
}

async function readCa(path: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --ca-file ${path}: ${(err as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`--ca-file ${path} holds no PEM certificate.`);
  }
  return pem;
}

function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', (err) => reject(new UsageError(`cannot read standard input: ${err.message}`)));
  });
}

function describeInput(options: CheckCliOptions): string {
  const named = options.positionals.filter((p) => p !== '-');
  const parts = [
    ...(named.length > 10 ? [`${named.length} domains`] : named),
    ...(options.positionals.includes('-') ? ['standard input'] : []),
    ...options.files.map((f) => `--file ${f}`),
  ];
  return parts.join(' ');
}
