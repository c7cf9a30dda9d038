/**
 * What the published tarball holds: what an app needs (the compiled library, its jsii manifest,
 * the CLI, the report parser's bundle, README, API.md), not the repository's sources, tests,
 * examples, benchmarks, CI script or design notes. `npm pack --dry-run` is run with the real
 * package.json and .npmignore on a copy of the repository's layout with a stand-in file in each
 * folder, so the rules are tested whether or not lib/ has been compiled.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

const LAYOUT = [
  'lib/index.js', 'lib/index.js.map', 'lib/index.d.ts', 'lib/cli/main.js', 'lib/cli/main.d.ts', '.jsii', 'bin/gov-email',
  'assets/report-inbox/index.js', 'README.md', 'API.md', 'LICENSE',
  'src/index.ts', 'test/a.test.ts', 'test/tsconfig.json', 'examples/department/main.ts', 'examples/department/cdk.out/manifest.json',
  'bench/synth/run.ts', 'build-tools/bundle-index.ts', '.ci/run', 'docs/benchmarks.md', '.projenrc.ts', 'projenrc/x.ts', 'tsconfig.json', 'coverage/lcov.info',
  'test-reports/junit.xml', '.github/workflows/build.yml', 'cdk.out/manifest.json',
];

let dir: string;
let packed: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gov-email-pack-'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  // The bundled dependencies are not copied; what npm does with node_modules is not under test.
  delete pkg.bundledDependencies;
  delete pkg.bundleDependencies;
  delete pkg.scripts;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  copyFileSync(join(ROOT, '.npmignore'), join(dir, '.npmignore'));
  for (const file of LAYOUT) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), 'x');
  }
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(result.status).toBe(0);
  packed = (JSON.parse(result.stdout)[0].files as Array<{ path: string }>).map((f) => f.path).sort();
}, 90_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the tarball ships the library (its bundled entry with the source map beside it), its jsii manifest, the CLI, the parser bundle and the docs a user reads', () => {
  expect(packed).toEqual(expect.arrayContaining([
    'package.json', 'lib/index.js', 'lib/index.js.map', 'lib/index.d.ts', 'lib/cli/main.js', '.jsii', 'bin/gov-email',
    'assets/report-inbox/index.js', 'README.md', 'API.md', 'LICENSE',
  ]));
});

test.each(['src/', 'test/', 'examples/', 'bench/', 'build-tools/', '.ci/', 'docs/', 'projenrc/', 'coverage/', 'test-reports/', '.github/', 'cdk.out/'])(
  'the tarball ships nothing from %s',
  (folder) => {
    expect(packed.filter((p) => p.startsWith(folder))).toEqual([]);
  },
);

test('the tarball ships no repository configuration', () => {
  expect(packed).not.toContain('.projenrc.ts');
  expect(packed).not.toContain('tsconfig.json');
});
