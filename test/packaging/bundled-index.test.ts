/**
 * The published lib/index.js is one bundle of the library's modules (build-tools/bundle-index.ts,
 * run after jsii compiles src/ into lib/). These tests build a package the same way in a temporary
 * folder (src/ compiled module by module, then the entry bundled) and check, in child Node.js
 * processes, that the bundle is the same library as the modules it replaces:
 * - it is one module, and loads neither cdk-nag nor the AWS SDK nor fast-xml-parser until used;
 * - it exports the same names, as the same kinds of values;
 * - an app built with it synthesises the same templates and assets (the report parser's asset is
 *   found from the bundle as from its own module);
 * - bundling again gives the same file (an incremental compile leaves the previous bundle in place).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { transformSync } from 'esbuild';
import { bundleIndex } from '../../build-tools/bundle-index';

const ROOT = join(__dirname, '..', '..');
const MARKER = 'RESULT ';
const TIMEOUT = 120_000;

let work: string;
/** lib/ as tsc leaves it: a module per source file. */
let modulesLib: string;
/** lib/ as published: the same, with index.js bundled. */
let bundledLib: string;

/** A package folder: package.json, lib/ compiled from src/ (a module per file), and the repository's assets/. */
function compiledPackage(dir: string): string {
  const lib = join(dir, 'lib');
  const walk = (from: string): string[] => readdirSync(from, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(from, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(from, e.name)] : []);
  for (const file of walk(join(ROOT, 'src'))) {
    const out = join(lib, relative(join(ROOT, 'src'), file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    const { code } = transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: file });
    writeFileSync(out, code);
  }
  writeFileSync(join(dir, 'package.json'), readFileSync(join(ROOT, 'package.json')));
  symlinkSync(join(ROOT, 'assets'), join(dir, 'assets'), 'dir');
  return lib;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gov-email-bundle-'));
  modulesLib = compiledPackage(join(work, 'modules'));
  // The same package, then its index bundled.
  cpSync(join(work, 'modules'), join(work, 'bundled'), { recursive: true });
  bundledLib = join(work, 'bundled', 'lib');
  await bundleIndex(bundledLib, join(ROOT, 'src', 'index.ts'));
  // Apps resolve `cdk-gov-email` to the package under test.
  writeFileSync(join(work, 'entry-hook.js'), [
    'const Module = require("node:module");',
    'const resolve = Module._resolveFilename;',
    'Module._resolveFilename = function (request, ...rest) {',
    '  return request === "cdk-gov-email" ? process.env.GOV_EMAIL_ENTRY : resolve.call(this, request, ...rest);',
    '};',
  ].join('\n'));
}, TIMEOUT);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Run `args` in a child Node.js process with `cdk-gov-email` resolving to `lib`'s index.js, packages found in the repository's node_modules. */
function node(lib: string, args: string[]) {
  const r = spawnSync(process.execPath, ['-r', join(work, 'entry-hook.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: TIMEOUT,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GOV_EMAIL_ENTRY: join(lib, 'index.js'), NODE_PATH: join(ROOT, 'node_modules') },
  });
  if (r.status !== 0) throw new Error(`child failed (exit ${r.status}):\n${r.stderr}`);
  return r;
}

/** Evaluate `script` (given `lib`, the package's exports) in a child process; what it returns, as JSON. */
function evaluate(lib: string, script: string): any {
  const program = `const lib = require('cdk-gov-email'); const result = (() => { ${script} })();`
    + `process.stdout.write('\\n${MARKER}' + JSON.stringify(result) + '\\n');`;
  const line = node(lib, ['-e', program]).stdout.split('\n').find((l) => l.startsWith(MARKER));
  return JSON.parse(line!.slice(MARKER.length));
}

/** What `require.cache` holds from the package under test, and from a few packages, after `script`. */
const LOADED = `
  const files = Object.keys(require.cache);
  const of = (p) => files.filter((f) => f.includes('/node_modules/' + p));
  return { own: files.filter((f) => f.startsWith(process.env.GOV_EMAIL_ENTRY.replace(/index\\.js$/, ''))).map((f) => f.slice(process.env.GOV_EMAIL_ENTRY.length - 8)),
    cdkNag: of('cdk-nag/').length, awsSdk: of('@aws-sdk/').length, xml: of('fast-xml-parser/').length, cdk: of('aws-cdk-lib/').length };
`;

describe('the bundled lib/index.js', () => {
  test('is one module: requiring it reads no other file of lib/, and loads no cdk-nag, AWS SDK or XML parser', () => {
    const bundled = evaluate(bundledLib, LOADED);
    expect(bundled.own).toEqual(['index.js']);
    expect(bundled).toMatchObject({ cdkNag: 0, awsSdk: 0, xml: 0 });
    expect(bundled.cdk).toBeGreaterThan(0);
    // Control: the modules it replaces are many files, and the listing sees them.
    const modules = evaluate(modulesLib, LOADED);
    expect(modules.own.length).toBeGreaterThan(50);
    expect(modules).toMatchObject({ cdkNag: 0, awsSdk: 0, xml: 0 });
  }, TIMEOUT);

  test('GovEmailChecks, made from the bundle, loads cdk-nag then (and not before)', () => {
    const loaded = evaluate(bundledLib, `new lib.GovEmailChecks(); ${LOADED}`);
    expect(loaded.cdkNag).toBeGreaterThan(0);
    expect(loaded.own).toEqual(['index.js']);
  }, TIMEOUT);

  test('exports the same names as the modules it replaces, each the same kind of value', () => {
    const shape = 'return Object.keys(lib).sort().map((k) => [k, typeof lib[k], typeof lib[k] === "function" ? lib[k].name : ""]);';
    const bundled = evaluate(bundledLib, shape);
    expect(bundled.length).toBeGreaterThan(50);
    expect(bundled).toEqual(evaluate(modulesLib, shape));
  }, TIMEOUT);

  test('the department example synthesises the same templates and assets with it as with the modules', () => {
    const synth = (lib: string, out: string) => {
      node(lib, ['-r', join(ROOT, 'test', 'util', 'register-ts.js'), join(ROOT, 'examples', 'department', 'main.ts'), out]);
      const files = readdirSync(out);
      return {
        templates: Object.fromEntries(files.filter((f) => f.endsWith('.template.json')).map((f) => [f, JSON.parse(readFileSync(join(out, f), 'utf8'))])),
        assets: files.filter((f) => f.startsWith('asset.')).sort(),
      };
    };
    const bundled = synth(bundledLib, join(work, 'out-bundled'));
    const modules = synth(modulesLib, join(work, 'out-modules'));
    expect(Object.keys(bundled.templates).length).toBeGreaterThan(1);
    expect(bundled.templates).toEqual(modules.templates);
    // The report parser's function code, found relative to its module inside the bundle.
    expect(bundled.assets.length).toBeGreaterThan(0);
    expect(bundled.assets).toEqual(modules.assets);
    expect(bundled.assets.some((a) => readdirSync(join(work, 'out-bundled', a)).includes('index.js'))).toBe(true);
  }, TIMEOUT);

  test('keeps its source map beside it, not inline, and bundling again gives the same file', async () => {
    const code = readFileSync(join(bundledLib, 'index.js'), 'utf8');
    expect(code.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
    expect(code).not.toContain('sourceMappingURL=data:');
    const map = JSON.parse(readFileSync(join(bundledLib, 'index.js.map'), 'utf8'));
    expect(map.sources.some((s: string) => s.endsWith('records/spf.js'))).toBe(true);
    await bundleIndex(bundledLib, join(ROOT, 'src', 'index.ts'));
    expect(readFileSync(join(bundledLib, 'index.js'), 'utf8')).toBe(code);
  }, TIMEOUT);
});
