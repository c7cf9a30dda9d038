/**
 * `gov-email review [cdk.out]`: before deployment, print per email domain the records a cloud
 * assembly will publish and what the UK government profile finds about them.
 */
import { CloudAssemblyError, readCloudAssembly } from '../../assembly/cloud-assembly';
import { ASSEMBLY_RULES, EmailDomain, domainsFromAssembly, evaluateDomain } from '../../assembly/domains';
import { originText } from '../../assembly/resources';
import { GovUkProfile } from '../../standard/profile';
import { CliCommand, CliIo } from '../command';
import { UsageError, parseCommandArgs, readDomainArgs, readFormat, reportUsageError } from '../options';
import { DomainReport, ExitCode, OUTPUT_FORMATS, PublishedRecord, Report, exitCodeFor, renderReport } from '../report';

const DEFAULT_ASSEMBLY = 'cdk.out';

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
  `  --format <format>       ${OUTPUT_FORMATS.join(', ')} (default: table)`,
  '  --domain <name>         review only this domain; repeat for more',
  '  --strict                exit 1 on warnings too',
  '  -h, --help              show this help',
  '',
  'Exit codes: 0 no errors; 1 errors found (or warnings with --strict); 2 the input could not be',
  'read, or a usage error.',
  '',
].join('\n');

export const reviewCommand: CliCommand = {
  name: 'review',
  summary: 'review a cloud assembly (cdk.out) against the standard before deployment',
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
  const { values, positionals, format } = options;
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

  const report: Report = { command: 'review', input, domains: domains.map(domainReport) };
  const env = io.env ?? process.env;
  const color = io.stdout.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  io.stdout.write(renderReport(report, format, { color, rules: Object.values(ASSEMBLY_RULES) }));
  return exitCodeFor(report, values.strict === true);
}

function readReviewArgs(args: string[]) {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string' },
    domain: { type: 'string', multiple: true },
    strict: { type: 'boolean', default: false },
  });
  if (positionals.length > 1) {
    throw new UsageError(`one cloud assembly folder at a time; got ${positionals.length}: ${positionals.join(', ')}.`);
  }
  return { values, positionals, format: readFormat(values.format) };
}

function domainReport(d: EmailDomain): DomainReport {
  const records: PublishedRecord[] = d.records.flatMap((r) => (r.values.length === 0 ? [''] : r.values).map((value) => {
    const row: PublishedRecord = { name: r.name, type: r.type, ttl: r.ttl, value, origin: originText(r.origin), file: r.origin.templateFile };
    return withoutUndefined(row);
  }));
  const base = { domain: d.domain, records, findings: evaluateDomain(d) };
  return d.posture === undefined ? base : { domain: d.domain, profile: GovUkProfile.isParked(d.posture) ? 'parked' : 'active', records, findings: base.findings };
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
