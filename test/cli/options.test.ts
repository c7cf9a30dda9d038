/**
 * The command-line helpers every `gov-email` subcommand uses, and the `--format` error each
 * subcommand gives through them.
 */
import { CliIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import { UsageError, parseCommandArgs, readDomainArgs, readFormat, reportUsageError } from '../../src/cli/options';
import { ExitCode, OUTPUT_FORMATS } from '../../src/cli/report';
import { reportsCommand } from '../../src/cli/reports/command';
import { reviewCommand } from '../../src/cli/review/command';
import { verifyCommand } from '../../src/cli/verify/command';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('UsageError', () => {
  test('is an Error with its own name and the message given', () => {
    const err = new UsageError('bad');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.name).toBe('UsageError');
    expect(err.message).toBe('bad');
  });
});

describe('parseCommandArgs', () => {
  const options = {
    format: { type: 'string' },
    domain: { type: 'string', multiple: true },
    strict: { type: 'boolean', default: false },
  } as const;

  test('options and positionals, in order', () => {
    const { values, positionals } = parseCommandArgs(['a', '--domain', 'x.gov.uk', 'b', '--domain', 'y.gov.uk', '--strict'], options);
    expect(positionals).toEqual(['a', 'b']);
    expect(values).toEqual({ domain: ['x.gov.uk', 'y.gov.uk'], strict: true });
  });

  test('defaults apply when an option is not given', () => {
    expect(parseCommandArgs([], options)).toEqual({ values: { strict: false }, positionals: [] });
  });

  test.each([
    [['--nope'], /Unknown option '--nope'/],
    [['--format'], /Option '--format <value>' argument missing/],
    [['--strict=yes'], /Option '--strict' does not take an argument/],
  ])('%j is a usage error with node\'s message', (args, message) => {
    expect(() => parseCommandArgs(args, options)).toThrow(UsageError);
    expect(() => parseCommandArgs(args, options)).toThrow(message);
  });
});

describe('readFormat', () => {
  test('table when not given', () => {
    expect(readFormat(undefined)).toBe('table');
  });

  test.each(OUTPUT_FORMATS)('%s is a format', (format) => {
    expect(readFormat(format)).toBe(format);
  });

  test.each(['nope', '', 'JSON'])('"%s" is a usage error naming the formats', (value) => {
    expect(() => readFormat(value)).toThrow(UsageError);
    expect(() => readFormat(value)).toThrow(`--format must be one of table, markdown, json, sarif; got "${value}".`);
  });
});

describe('readDomainArgs', () => {
  test('none given: none', () => {
    expect(readDomainArgs(undefined)).toEqual([]);
  });

  test('trimmed, lower case, without a trailing dot, in order and as many as given', () => {
    expect(readDomainArgs([' Dept.GOV.uk. ', 'agency.gov.uk', 'dept.gov.uk'])).toEqual(['dept.gov.uk', 'agency.gov.uk', 'dept.gov.uk']);
  });

  test('only one trailing dot is dropped', () => {
    expect(readDomainArgs(['dept.gov.uk..'])).toEqual(['dept.gov.uk.']);
  });
});

describe('reportUsageError', () => {
  test('the message alone', () => {
    const c = capture();
    expect(reportUsageError(c.io, 'verify', 'no such stack.')).toBe(ExitCode.USAGE);
    expect(c.err()).toBe('gov-email verify: no such stack.\n');
    expect(c.out()).toBe('');
  });

  test('with the usage text after a blank line', () => {
    const c = capture();
    expect(reportUsageError(c.io, 'review', 'too many folders.', { usage: 'Usage: gov-email review\n' })).toBe(ExitCode.USAGE);
    expect(c.err()).toBe('gov-email review: too many folders.\n\nUsage: gov-email review\n');
  });

  test('with a line pointing at --help', () => {
    const c = capture();
    expect(reportUsageError(c.io, 'check', 'no domains given.', { pointToHelp: true })).toBe(ExitCode.USAGE);
    expect(c.err()).toBe('gov-email check: no domains given.\nRun "gov-email check --help" for the options.\n');
  });
});

describe('--format nope', () => {
  const message = (formats: string) => `--format must be one of ${formats}; got "nope".`;
  const shared = 'table, markdown, json, sarif';
  test.each([
    ['review', ['--format', 'nope'], `\n${reviewCommand.usage}`, `${shared}, zone`],
    ['reports', ['reports-folder', '--format', 'nope'], `\n${reportsCommand.usage}`, shared],
    ['check', ['dept.gov.uk', '--format', 'nope'], 'Run "gov-email check --help" for the options.\n', shared],
    ['verify', ['--domain', 'dept.gov.uk', '--format', 'nope'], `\n${verifyCommand.usage}`, shared],
  ])('gov-email %s: exit 2 and the one message, naming the formats it takes', async (name, args, after, formats) => {
    const c = capture();
    expect(await main([name, ...args], c.io)).toBe(ExitCode.USAGE);
    expect(c.err()).toBe(`gov-email ${name}: ${message(formats)}\n${after}`);
    expect(c.out()).toBe('');
  });
});
