/**
 * `gov-email verify --stack <name> | --domain <domain>`: after deployment, check the AWS side
 * with the account's own APIs: each SES identity's verification, DKIM, MAIL FROM and default
 * configuration set with TLS required, and the Route 53 record sets against what the cloud
 * assembly says should be there (drift: missing, extra, different).
 */
import { existsSync } from 'node:fs';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SYSTEM_TIMING, Timing, VerifyAbort } from './aws';
import { DEFAULT_ASSEMBLY, VerifyOptions, parseVerifyArgs } from './options';
import { VerifyPlan, planFromAssembly, planWithoutAssembly } from './plan';
import { Route53Access, verifyRecords } from './route53';
import { LiveDkimTokens, SesAccess, verifyIdentity } from './ses';
import { verifyRuleList } from './verify-rules';
import { CloudAssemblyError, readCloudAssembly } from '../../assembly/cloud-assembly';
import { Finding, finding } from '../../records/finding';
import { GOVUK_RULES } from '../../standard/govuk-rules';
import { CliCommand, CliIo } from '../command';
import { COMMAND_SUMMARIES } from '../commands';
import { UsageError, reportUsageError } from '../options';
import { DomainReport, Report, exitCodeFor, renderReport } from '../report';

const USAGE = [
  'Usage: gov-email verify --stack <name> [options]',
  '       gov-email verify --domain <domain> [options]',
  '',
  'After deployment, verify the AWS side of email domains with the account\'s own APIs:',
  '- SES (API v2): each identity is verified for sending; DKIM is signing and verified, with a',
  '  2048-bit key; the custom MAIL FROM domain is verified and rejects mail when its MX record',
  '  is missing; the identity has a default configuration set whose TLS policy is REQUIRE.',
  '- Route 53: the record sets the cloud assembly publishes are all in their hosted zones with',
  '  the same values and TTL, and no other record sets of those types (nor other TXT record',
  '  sets) sit at the names it manages. SES DKIM CNAMEs, only named at deployment, are matched',
  '  with the tokens SES reports for the identity.',
  '',
  'What to verify (at least one; repeatable; both together narrow to those domains of those stacks):',
  '  --stack <name>          a stack of the cloud assembly (display name such as Dept or',
  '                          Prod/Mail, or artifact id), with its nested stacks; a stage\'s name',
  '                          selects its stacks',
  '  --domain <domain>       an email domain of the cloud assembly; without a cloud assembly',
  '                          (no ./cdk.out and no --app), its SES identity alone is verified',
  '',
  'Options:',
  `  --app <dir>             the cloud assembly \`cdk synth\` wrote (default: ./${DEFAULT_ASSEMBLY})`,
  '  --region <region>       the SES region (default: the stack\'s env region in the cloud',
  '                          assembly, else AWS_REGION or the profile\'s region)',
  '  --format <format>       table (default), markdown, json or sarif',
  '  --strict                exit 1 on warnings too',
  '  -h, --help              show this help',
  '',
  'Credentials come from the AWS SDK\'s default chain (environment, AWS_PROFILE and the shared',
  'files, SSO, web identity, container and instance roles). Read-only permissions needed:',
  'ses:GetEmailIdentity, ses:GetConfigurationSet, route53:ListHostedZonesByName,',
  'route53:ListResourceRecordSets. Throttled calls are retried with exponential backoff and',
  'Route 53 calls are paced under its per-account rate.',
  '',
  'Exit codes: 0 no errors; 1 errors found (or warnings with --strict); 2 usage or input error,',
  'no credentials, access denied, or AWS throttling that outlasted the retries.',
  '',
].join('\n');

/** `CliIo` with an optional clock and sleep, so tests of retries and pacing run instantly. */
export interface VerifyIo extends CliIo {
  readonly timing?: Partial<Timing>;
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: COMMAND_SUMMARIES.verify,
  usage: USAGE,
  run: async (args: string[], io: CliIo): Promise<number> => runVerify(args, io as VerifyIo),
};

function fail(io: CliIo, message: string, usage: boolean = false): number {
  return reportUsageError(io, 'verify', message, usage ? { usage: USAGE } : {});
}

async function runVerify(args: string[], io: VerifyIo): Promise<number> {
  let options: VerifyOptions;
  try {
    options = parseVerifyArgs(args);
  } catch (err) {
    if (err instanceof UsageError) return fail(io, err.message, true);
    throw err;
  }

  let plan: VerifyPlan;
  let input: string;
  try {
    if (options.appGiven || existsSync(options.app)) {
      const assembly = readCloudAssembly(options.app);
      for (const warning of assembly.warnings) io.stderr.write(`gov-email verify: warning: ${warning}\n`);
      plan = planFromAssembly(assembly, options.stacks, options.domains);
      input = options.app;
    } else if (options.stacks.length > 0) {
      return fail(io, `--stack needs a cloud assembly, and there is none at ./${DEFAULT_ASSEMBLY}: run \`cdk synth\` or give its folder with --app.`);
    } else {
      io.stderr.write(`gov-email verify: warning: no cloud assembly at ./${DEFAULT_ASSEMBLY}: only the SES identities are verified; give --app to compare the Route 53 records with it.\n`);
      plan = planWithoutAssembly(options.domains);
      input = options.domains.join(', ');
    }
  } catch (err) {
    if (err instanceof CloudAssemblyError || err instanceof UsageError) return fail(io, err.message);
    throw err;
  }

  const env = io.env ?? process.env;
  const envRegion = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const timing: Timing = { ...SYSTEM_TIMING, ...io.timing };
  const ses = new SesAccess(timing);
  // Route 53 is global; the region only picks the partition's endpoint.
  const route53Region = options.region ?? plan.regions[0] ?? envRegion ?? 'us-east-1';
  const route53 = new Route53Access(new Route53Client({ region: route53Region, maxAttempts: 1 }), timing);

  const domains: DomainReport[] = [];
  try {
    for (const target of plan.targets) {
      if (target.nameUnresolved) {
        domains.push({
          domain: target.domain,
          records: [],
          findings: [finding(GOVUK_RULES.notEvaluated,
            `${target.domain}: the name is only known at deployment, so its SES identity and records could not be looked up; they are not assumed correct.`, target.domain)],
        });
        continue;
      }
      const findings: Finding[] = [];
      const dkim = new Map<string, LiveDkimTokens>();
      for (const identity of target.identities) {
        const region = options.region ?? identity.stackRegion ?? envRegion;
        const result = await verifyIdentity(ses, identity, region);
        findings.push(...result.findings);
        if (result.dkim !== undefined) dkim.set(result.dkim.identity, result.dkim);
      }
      const drift = target.records.length === 0 ? { records: [], findings: [] } : await verifyRecords(route53, target, plan, dkim);
      domains.push({ domain: target.domain, records: drift.records, findings: [...findings, ...drift.findings] });
    }
  } catch (err) {
    if (err instanceof VerifyAbort) return fail(io, err.message);
    throw err;
  }

  const report: Report = { command: 'verify', input, domains };
  const color = io.stdout.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
  io.stdout.write(renderReport(report, options.format, { color, rules: verifyRuleList() }));
  return exitCodeFor(report, options.strict);
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}
