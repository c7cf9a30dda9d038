/**
 * `gov-email`: review a cloud assembly before deployment, check live domains after it, and
 * verify the AWS side. One rule set (src/standard) serves every command.
 */
import { CliIo } from './command';
import { COMMANDS } from './commands';
import { ExitCode } from './report';

function usage(): string {
  return [
    'Usage: gov-email <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`),
    '',
    'Run `gov-email <command> --help` for a command\'s options.',
    '',
    'Exit codes: 0 no errors; 1 errors found (or warnings with --strict); 2 usage or input error.',
    '',
  ].join('\n');
}

/** Run the CLI with the given arguments; resolves to the exit code. Never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (name === '--version' || name === '-v') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    io.stdout.write(`${require('../../package.json').version}\n`);
    return ExitCode.OK;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    io.stderr.write(`gov-email: unknown command "${name}"\n\n${usage()}`);
    return ExitCode.USAGE;
  }
  try {
    // Only the command asked for is loaded (src/cli/commands.ts).
    const command = entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.usage);
      return ExitCode.OK;
    }
    return await command.run(rest, io);
  } catch (err) {
    // A command reports its own problems as findings or usage errors; reaching here is a bug,
    // but the user still gets a message and a documented exit code, not a stack trace.
    io.stderr.write(`gov-email ${name}: ${(err as Error)?.message ?? String(err)}\n`);
    return ExitCode.USAGE;
  }
}

/** Entry point of the `gov-email` binary. */
export function cli(): void {
  void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env })
    .then((code) => {
      process.exitCode = code;
    });
}
