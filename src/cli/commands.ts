/**
 * The `gov-email` subcommands by name, with the one line `gov-email --help` shows for each. Each
 * command's module is loaded only when that command runs (or prints its own help), so
 * `gov-email review`, `check` and `reports` never load the AWS SDK that `verify` uses, and
 * `gov-email --help` loads no command at all.
 */
import type { CliCommand } from './command';

export interface CommandEntry {
  /** The subcommand's name, e.g. `review`. */
  readonly name: string;
  /** One line for `gov-email --help`; the command's own `summary`. */
  readonly summary: string;
  /** The command, its module loaded on first use. */
  load(): CliCommand;
}

/** The one-line summaries, shared by this registry and the commands' own `summary`. */
export const COMMAND_SUMMARIES = {
  review: 'review a cloud assembly (cdk.out) against the standard before deployment',
  check: 'Check live domains (DNS and HTTPS) against the standard',
  verify: 'verify SES identities and Route 53 records in the AWS account after deployment',
  reports: 'summarise downloaded DMARC and TLS-RPT reports per domain',
} as const;

/* eslint-disable @typescript-eslint/no-require-imports */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'review', summary: COMMAND_SUMMARIES.review, load: () => (require('./review/command') as typeof import('./review/command')).reviewCommand },
  { name: 'check', summary: COMMAND_SUMMARIES.check, load: () => (require('./check/command') as typeof import('./check/command')).checkCommand },
  { name: 'verify', summary: COMMAND_SUMMARIES.verify, load: () => (require('./verify/command') as typeof import('./verify/command')).verifyCommand },
  { name: 'reports', summary: COMMAND_SUMMARIES.reports, load: () => (require('./reports/command') as typeof import('./reports/command')).reportsCommand },
];
/* eslint-enable @typescript-eslint/no-require-imports */
