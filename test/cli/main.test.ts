import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

function capture() {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('gov-email', () => {
  test('with no command: usage on stdout, exit 2', async () => {
    const c = capture();
    expect(await main([], c.io)).toBe(2);
    expect(c.out()).toContain('Usage: gov-email <command>');
    for (const name of ['review', 'check', 'verify']) expect(c.out()).toContain(`  ${name}`);
  });

  test('--help: usage, exit 0', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('Exit codes: 0 no errors; 1 errors found');
  });

  test('an unknown command: a message on stderr, exit 2', async () => {
    const c = capture();
    expect(await main(['deploy'], c.io)).toBe(2);
    expect(c.err()).toContain('gov-email: unknown command "deploy"');
  });

  test.each(['review', 'check', 'verify'])('%s --help prints the command\'s usage, exit 0', async (name) => {
    const c = capture();
    expect(await main([name, '--help'], c.io)).toBe(0);
    expect(c.out()).toMatch(new RegExp(`gov-email ${name}`));
  });

  test('--version prints the package version', async () => {
    const c = capture();
    expect(await main(['--version'], c.io)).toBe(0);
    expect(c.out().trim()).toBe(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
  });
});
