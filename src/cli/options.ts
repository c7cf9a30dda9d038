/**
 * What every `gov-email` subcommand does with its command line: read the options, check
 * `--format`, put `--domain` names in one form, and report a usage error (exit code 2).
 */
import { ParseArgsConfig, parseArgs } from 'node:util';
import { CliIo } from './command';
import { ExitCode, OUTPUT_FORMATS, OutputFormat } from './report';
import { normaliseDomainName } from '../records/private/names';

/** A problem with the command line or its input: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
    Object.setPrototypeOf(this, UsageError.prototype);
  }
}

/** The options a subcommand takes, as `node:util` `parseArgs` describes them. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** How `parseCommandArgs` calls `parseArgs`. */
type CommandArgsConfig<O extends CommandOptions> = { args: string[]; options: O; allowPositionals: true; strict: true };

/** What `parseCommandArgs` reads: the option values, typed after the options, and the positionals. */
export type ParsedCommandArgs<O extends CommandOptions> = ReturnType<typeof parseArgs<CommandArgsConfig<O>>>;

/**
 * Read a subcommand's arguments strictly (an unknown option, or an option without its value, is
 * an error), with positionals allowed.
 * @throws UsageError with `parseArgs`'s message
 */
export function parseCommandArgs<O extends CommandOptions>(args: string[], options: O): ParsedCommandArgs<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * The `--format` value: one of `OUTPUT_FORMATS`, `table` when not given.
 * @throws UsageError for any other value
 */
export function readFormat(value: string | undefined): OutputFormat {
  const format = (value ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}; got "${value}".`);
  }
  return format;
}

/** The `--domain` values, in order: trimmed, lower case, without a trailing dot. */
export function readDomainArgs(values: readonly string[] | undefined): string[] {
  return (values ?? []).map(normaliseDomainName);
}

/** What follows a usage error's message on standard error. */
export interface UsageErrorHelp {
  /** The command's usage text, after a blank line. */
  readonly usage?: string;
  /** A line pointing at `gov-email <command> --help`. */
  readonly pointToHelp?: boolean;
}

/** Write `gov-email <command>: <message>` (and the help asked for) to standard error; returns `ExitCode.USAGE`. */
export function reportUsageError(io: CliIo, command: string, message: string, help: UsageErrorHelp = {}): number {
  const usage = help.usage === undefined ? '' : `\n${help.usage}`;
  const pointer = help.pointToHelp === true ? `Run "gov-email ${command} --help" for the options.\n` : '';
  io.stderr.write(`gov-email ${command}: ${message}\n${pointer}${usage}`);
  return ExitCode.USAGE;
}
