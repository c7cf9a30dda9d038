import { UsageError, parseCommandArgs, readDomainArgs, readFormat } from '../options';
import { OutputFormat } from '../report';

/** The cloud assembly read when `--app` is not given. */
export const DEFAULT_ASSEMBLY = 'cdk.out';

/** `gov-email verify`'s options once read and checked. */
export interface VerifyOptions {
  /** `--stack`: stack names or artifact ids (nested stacks and a stage's stacks included). */
  readonly stacks: string[];
  /** `--domain`: domains, lower case, without a trailing dot. */
  readonly domains: string[];
  readonly region?: string;
  /** The cloud assembly folder. */
  readonly app: string;
  /** True when `--app` was given (then it must be readable). */
  readonly appGiven: boolean;
  readonly format: OutputFormat;
  readonly strict: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Read `gov-email verify`'s arguments. @throws UsageError */
export function parseVerifyArgs(args: string[]): VerifyOptions {
  const { values, positionals } = parseCommandArgs(args, {
    stack: { type: 'string', multiple: true },
    domain: { type: 'string', multiple: true },
    region: { type: 'string' },
    app: { type: 'string' },
    format: { type: 'string' },
    strict: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument${positionals.length === 1 ? '' : 's'} ${positionals.join(' ')}: name what to verify with --stack or --domain, and the cloud assembly with --app.`);
  }
  const stacks = (values.stack ?? []).map((s) => s.trim()).filter((s) => s !== '');
  const domains = readDomainArgs(values.domain);
  if (stacks.length === 0 && domains.length === 0) {
    throw new UsageError('say what to verify: --stack <name> (the records and SES identities a stack of the cloud assembly declares) or --domain <domain>.');
  }
  const badDomain = domains.find((d) => !DOMAIN.test(d));
  if (badDomain !== undefined) {
    throw new UsageError(`--domain must be a domain name such as dept.gov.uk; got "${badDomain}".`);
  }
  const region = values.region?.trim();
  if (region !== undefined && !REGION.test(region)) {
    throw new UsageError(`--region must be an AWS region such as eu-west-2; got "${values.region}".`);
  }
  const format = readFormat(values.format);
  if (values.app !== undefined && values.app.trim() === '') {
    throw new UsageError('--app needs the cloud assembly folder, e.g. --app cdk.out.');
  }
  const options: VerifyOptions = {
    stacks: [...new Set(stacks)],
    domains: [...new Set(domains)],
    app: values.app ?? DEFAULT_ASSEMBLY,
    appGiven: values.app !== undefined,
    format,
    strict: values.strict === true,
  };
  return region === undefined ? options : { ...options, region };
}
