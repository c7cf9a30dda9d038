/** What every `gov-email` subcommand implements. */
export interface CliIo {
  readonly stdout: { readonly isTTY?: boolean; write(text: string): unknown };
  readonly stderr: { readonly isTTY?: boolean; write(text: string): unknown };
  readonly stdin?: NodeJS.ReadableStream;
  /** Environment, for colour and credentials decisions. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface CliCommand {
  /** The subcommand's name, e.g. `review`. */
  readonly name: string;
  /** One line for `gov-email --help`. */
  readonly summary: string;
  /** The full usage text for `gov-email <name> --help`. */
  readonly usage: string;
  /** Run with the arguments after the subcommand's name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}
