/**
 * What start-up loads (docs/benchmarks.md, "Start-up"): structure, not time. Each case runs in a
 * child Node.js process of its own and lists the modules in `require.cache` at the end:
 * - `require('cdk-gov-email')` loads neither cdk-nag (only GovEmailChecks needs it) nor the AWS
 *   SDK (only `gov-email verify` needs it);
 * - the `gov-email` commands review, check and reports, and `gov-email --help`, load no AWS SDK.
 * Controls show that the same listing does see cdk-nag and the SDK when they are loaded.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MARKER = 'LOADED-MODULES ';

/**
 * Run `script` (which may return a promise) in a child process that loads src/ transpiled by
 * esbuild (test/util/register-ts.js);
 * the files in `require.cache` when it has finished.
 */
function modulesLoadedBy(script: string): string[] {
  return run(script).modules;
}

/** As modulesLoadedBy, with what the script returned. */
function run(script: string): { modules: string[]; result: unknown } {
  const program = `
    require('./test/util/register-ts.js');
    Promise.resolve((() => { ${script} })()).then((result) => {
      process.stdout.write('\\n${MARKER}' + JSON.stringify({ modules: Object.keys(require.cache), result }) + '\\n');
    });
  `;
  const r = spawnSync(process.execPath, ['-e', program], { cwd: ROOT, encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
  const line = r.stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (r.status !== 0 || line === undefined) throw new Error(`child failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(line.slice(MARKER.length)) as { modules: string[]; result: unknown };
}

/** The files among `modules` that belong to the npm package `name` (or to packages of the scope `@name/`). */
function ofPackage(modules: string[], name: string): string[] {
  const pattern = name.endsWith('/') ? `/node_modules/${name}` : `/node_modules/${name}/`;
  return modules.filter((f) => f.split('\\').join('/').includes(pattern));
}

/** Run the CLI's `main` with these arguments, output discarded; resolves to the exit code. */
function cli(args: string[]): string {
  return `
    const { main } = require('./src/cli/main');
    const sink = { write: () => true };
    return main(${JSON.stringify(args)}, { stdout: sink, stderr: sink, env: {} });
  `;
}

const TIMEOUT = 120_000;

describe('require(\'cdk-gov-email\')', () => {
  test('loads aws-cdk-lib and constructs, and no cdk-nag and no AWS SDK module', () => {
    const modules = modulesLoadedBy('const lib = require(\'./src\'); return typeof lib.GovEmailChecks;');
    expect(ofPackage(modules, 'aws-cdk-lib').length).toBeGreaterThan(0);
    expect(ofPackage(modules, 'constructs').length).toBeGreaterThan(0);
    expect(ofPackage(modules, 'cdk-nag')).toEqual([]);
    expect(ofPackage(modules, '@aws-sdk/')).toEqual([]);
  }, TIMEOUT);

  test('control: new GovEmailChecks() does load cdk-nag, and the listing sees it', () => {
    const modules = modulesLoadedBy('const lib = require(\'./src\'); new lib.GovEmailChecks();');
    expect(ofPackage(modules, 'cdk-nag').length).toBeGreaterThan(0);
  }, TIMEOUT);
});

describe('gov-email loads no AWS SDK module before verify', () => {
  const assembly = join(ROOT, 'test', 'fixtures', 'assemblies', 'multi-stack');
  const reports = join(ROOT, 'test', 'fixtures', 'reports', 'corpus');

  test.each([
    ['--help', ['--help']],
    ['review <cdk.out>', ['review', assembly, '--format', 'json']],
    ['review --help', ['review', '--help']],
    ['check --help', ['check', '--help']],
    ['check, usage error', ['check', '--no-such-option']],
    ['reports <folder>', ['reports', reports, '--format', 'json']],
  ])('gov-email %s', (_, args) => {
    const modules = modulesLoadedBy(cli(args));
    // The command's own modules were loaded (the CLI ran), but nothing of the SDK.
    expect(modules.some((f) => f.includes(join('src', 'cli', 'main.ts')))).toBe(true);
    expect(ofPackage(modules, '@aws-sdk/')).toEqual([]);
    expect(ofPackage(modules, '@smithy/')).toEqual([]);
  }, TIMEOUT);

  test('the review and reports commands really ran: their modules are loaded', () => {
    // Exit 0 or 1 (findings), not 2 (the input could not be read).
    const review = run(cli(['review', assembly, '--format', 'json']));
    expect([0, 1]).toContain(review.result);
    expect(review.modules.some((f) => f.includes(join('src', 'cli', 'review', 'command.ts')))).toBe(true);
    const report = run(cli(['reports', reports, '--format', 'json']));
    expect([0, 1]).toContain(report.result);
    expect(report.modules.some((f) => f.includes(join('src', 'cli', 'reports', 'command.ts')))).toBe(true);
    expect(ofPackage(report.modules, 'fast-xml-parser').length).toBeGreaterThan(0);
  }, TIMEOUT);

  test('control: gov-email verify does load the AWS SDK, and the listing sees it', () => {
    const modules = modulesLoadedBy(cli(['verify', '--help']));
    expect(ofPackage(modules, '@aws-sdk/').length).toBeGreaterThan(0);
  }, TIMEOUT);
});

describe('gov-email check loads the XML parser only to read a BIMI logo', () => {
  test('check --help loads no fast-xml-parser', () => {
    const modules = modulesLoadedBy(cli(['check', '--help']));
    expect(modules.some((f) => f.includes(join('src', 'cli', 'check', 'bimi-svg.ts')))).toBe(true);
    expect(ofPackage(modules, 'fast-xml-parser')).toEqual([]);
  }, TIMEOUT);

  test('control: reading a logo loads it, and the listing sees it', () => {
    const modules = modulesLoadedBy(`
      const { checkBimiSvg } = require('./src/cli/check/bimi-svg');
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 10 10"><title>x</title></svg>';
      return checkBimiSvg(Buffer.from(svg), { url: 'https://example.gov.uk/logo.svg' }).length;
    `);
    expect(ofPackage(modules, 'fast-xml-parser').length).toBeGreaterThan(0);
  }, TIMEOUT);
});
