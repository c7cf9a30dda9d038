/**
 * `gov-email review [cdk.out]`: before deployment, print per email domain the records a cloud
 * assembly will publish and what the UK government profile finds about them; or, with
 * `--format zone`, those records as zone-file fragments, one per hosted zone.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderZoneOutput, zoneFragments } from './zone-file';
import { CloudAssemblyError, readCloudAssembly } from '../../assembly/cloud-assembly';
import { ASSEMBLY_RULES, EmailDomain, domainsFromAssembly, evaluateDomain } from '../../assembly/domains';
import { DnsRecord, originText } from '../../assembly/resources';
import { GovUkProfile } from '../../standard/profile';
import { CliCommand, CliIo } from '../command';
import { COMMAND_SUMMARIES } from '../commands';
import { UsageError, parseCommandArgs, readDomainArgs, readFormat, reportUsageError } from '../options';
import { DomainReport, ExitCode, OUTPUT_FORMATS, OutputFormat, PublishedRecord, Report, exitCodeFor, renderReport } from '../report';

const DEFAULT_ASSEMBLY = 'cdk.out';

/** `review`'s own format besides the shared ones: zone-file fragments, one per hosted zone. */
const ZONE_FORMAT = 'zone';

/** The formats `review` takes: the shared report formats, and `zone`. */
type ReviewFormat = OutputFormat | typeof ZONE_FORMAT;
const REVIEW_FORMATS: ReviewFormat[] = [...OUTPUT_FORMATS, ZONE_FORMAT];

const USAGE = [
  'Usage: gov-email review [cdk.out] [options]',
  '',
  'Review a cloud assembly (the folder `cdk synth` writes) before deployment: for each email',
  'domain, the records the plan publishes (name, type, TTL, value as DNS will hold it) and the',
  'findings of the UK government profile. Values only known at deployment are shown as',
  'placeholders such as <SES DKIM token value 1>, and reported as not evaluated.',
  '',
  'Arguments:',
  `  cdk.out                 the cloud assembly folder (default: ./${DEFAULT_ASSEMBLY})`,
  '',
  'Options:',
  `  --format <format>       ${REVIEW_FORMATS.join(', ')} (default: table)`,
  '  --domain <name>         review only this domain; repeat for more',
  '  --out <folder>          with --format zone: write one file per hosted zone, <zone>.zone, into',
  '                          this folder (which must exist) instead of printing the fragments',
  '  --strict                exit 1 on warnings too',
  '  -h, --help              show this help',
  '',
  '--format zone writes, per hosted zone, an RFC 1035 zone-file fragment of every record the plan',
  'publishes, for DNS run outside Route 53: a header (; zone <name>), $ORIGIN, fully-qualified',
  'owners, TTL, IN, type and value. It has no SOA or NS: those are the provider\'s. Each domain\'s',
  'findings are ; comment lines above its records; a Route 53 alias is a comment naming its target',
  '(the provider needs an ALIAS/ANAME or a CNAME for it); a name or value known only at deployment',
  'is a placeholder that still loads (placeholder-<n> in names, placeholder-<n>.invalid. as a target,',
  'PLACEHOLDER-<n> in text), with a comment naming the stack and the attribute, export or parameter',
  'that gives the real value. On stdout the fragments follow one another, each between',
  '"; ==== BEGIN zone <name> (<name>.zone) ====" and "; ==== END zone <name> ====" lines.',
  '',
  'Exit codes: 0 no errors; 1 errors found (or warnings with --strict); 2 the input could not be',
  'read, or a usage error.',
  '',
].join('\n');

export const reviewCommand: CliCommand = {
  name: 'review',
  summary: COMMAND_SUMMARIES.review,
  usage: USAGE,
  run: async (args: string[], io: CliIo): Promise<number> => review(args, io),
};

function review(args: string[], io: CliIo): number {
  let options;
  try {
    options = readReviewArgs(args);
  } catch (err) {
    if (err instanceof UsageError) return reportUsageError(io, 'review', err.message, { usage: USAGE });
    throw err;
  }
  const { values, positionals, format, out } = options;
  const input = positionals[0] ?? DEFAULT_ASSEMBLY;

  let assembly;
  try {
    assembly = readCloudAssembly(input);
  } catch (err) {
    if (err instanceof CloudAssemblyError) {
      io.stderr.write(`gov-email review: ${err.message}\n`);
      return ExitCode.USAGE;
    }
    throw err;
  }
  for (const warning of assembly.warnings) {
    io.stderr.write(`gov-email review: warning: ${warning}\n`);
  }

  let domains = domainsFromAssembly(assembly);
  const wanted = readDomainArgs(values.domain);
  if (wanted.length > 0) {
    const missing = wanted.filter((w) => !domains.some((d) => d.domain === w));
    if (missing.length > 0) {
      const known = domains.length === 0 ? 'none' : domains.map((d) => d.domain).join(', ');
      io.stderr.write(`gov-email review: ${input} publishes no records for ${missing.join(', ')} (its email domains: ${known}).\n`);
      return ExitCode.USAGE;
    }
    domains = domains.filter((d) => wanted.includes(d.domain));
  }
  if (assembly.stacks.length === 0) {
    io.stderr.write(`gov-email review: ${input} holds no CloudFormation stacks.\n`);
  } else if (domains.length === 0) {
    io.stderr.write(`gov-email review: no email domain found in ${assembly.stacks.length} stack${assembly.stacks.length === 1 ? '' : 's'} of ${input}.\n`);
  }

  const reports = domains.map(domainReport);
  const report: Report = { command: 'review', input, domains: reports };
  const strict = values.strict === true;
  if (format === ZONE_FORMAT) {
    const findings = new Map(domains.map((d, i) => [d, reports[i].findings]));
    const zones = zoneFragments(domains, { input, findings });
    if (out === undefined) {
      io.stdout.write(renderZoneOutput(zones));
      return exitCodeFor(report, strict);
    }
    for (const f of zones.fragments) {
      const file = join(out, f.fileName);
      writeFileSync(file, f.text);
      io.stdout.write(`wrote ${file}: zone ${f.zone}, ${f.recordCount} record${f.recordCount === 1 ? '' : 's'}, ${f.placeholderCount} placeholder${f.placeholderCount === 1 ? '' : 's'}\n`);
    }
    if (zones.unplaced.length > 0) io.stdout.write(zones.unplaced.join('\n') + '\n');
    return exitCodeFor(report, strict);
  }
  const env = io.env ?? process.env;
  const color = io.stdout.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  io.stdout.write(renderReport(report, format, { color, rules: Object.values(ASSEMBLY_RULES) }));
  return exitCodeFor(report, strict);
}

function readReviewArgs(args: string[]) {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string' },
    domain: { type: 'string', multiple: true },
    strict: { type: 'boolean', default: false },
    out: { type: 'string' },
  });
  if (positionals.length > 1) {
    throw new UsageError(`one cloud assembly folder at a time; got ${positionals.length}: ${positionals.join(', ')}.`);
  }
  const format = readReviewFormat(values.format);
  const out = values.out;
  if (out !== undefined) {
    if (format !== ZONE_FORMAT) throw new UsageError(`--out writes zone files: it goes with --format ${ZONE_FORMAT}, not ${format}.`);
    if (!existsSync(out) || !statSync(out).isDirectory()) throw new UsageError(`--out ${out}: no such folder; create it first.`);
  }
  return { values, positionals, format, out };
}

/** `--format`: a shared report format, or `zone`, which only `review` takes. */
function readReviewFormat(value: string | undefined): ReviewFormat {
  if (value === ZONE_FORMAT) return ZONE_FORMAT;
  try {
    return readFormat(value);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`--format must be one of ${REVIEW_FORMATS.join(', ')}; got "${value}".`);
    throw err;
  }
}

function domainReport(d: EmailDomain): DomainReport {
  const rows = (r: DnsRecord, origin: string): PublishedRecord[] => (r.values.length === 0 ? [''] : r.values).map((value) => {
    const row: PublishedRecord = { name: r.name, type: r.type, ttl: r.ttl, value, origin, file: r.origin.templateFile };
    return withoutUndefined(row);
  });
  const records: PublishedRecord[] = [
    ...d.records.flatMap((r) => rows(r, originText(r.origin))),
    // What the domain's CNAMEs point at (a central DMARC policy record), which its findings judge.
    ...(d.cnameTargets ?? []).flatMap((r) => rows(r, `${originText(r.origin)}, through a CNAME of ${d.domain}`)),
  ];
  const base = { domain: d.domain, records, findings: evaluateDomain(d) };
  return d.posture === undefined ? base : { domain: d.domain, profile: GovUkProfile.isParked(d.posture) ? 'parked' : 'active', records, findings: base.findings };
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
