import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** One problem cfn-lint reported. */
export interface CfnLintMatch {
  readonly file: string;
  readonly rule: string;
  readonly level: string;
  readonly message: string;
  readonly path: string;
}

/**
 * The folder a jest run collects its synthesised templates in, set by the run's global setup
 * (test/util/cfn-lint-setup.ts). With it set, each test file writes its templates there and the
 * global teardown (test/util/cfn-lint-teardown.ts) lints all of them in one cfn-lint process;
 * without it (a test file run on its own, outside jest's config) each file lints its own.
 */
export const CFN_LINT_DIR_ENV = 'GOV_EMAIL_CFN_LINT_DIR';

let available: boolean | undefined;

/**
 * Whether cfn-lint can be run here. Every machine this project runs on has it (version 1.x);
 * where it is absent the lint is skipped with a message, never silently passed.
 */
export function cfnLintAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    available = !probe.error && probe.status === 0;
    if (!available) {
      // eslint-disable-next-line no-console
      console.warn('cfn-lint is not installed: synthesised templates were NOT linted. Install cfn-lint 1.x to lint them.');
    }
  }
  return available;
}

/** Run one cfn-lint process over the template files in `dir`; match file names are relative to `dir`. */
export function lintFiles(dir: string, files: string[]): CfnLintMatch[] {
  if (files.length === 0) return [];
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files.map((f) => join(dir, f))], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) {
    throw new Error(`cfn-lint could not be run (${run.error.message}); install cfn-lint 1.x so templates can be checked`);
  }
  let parsed: any[];
  try {
    parsed = JSON.parse(run.stdout || '[]');
  } catch {
    throw new Error(`cfn-lint printed something other than JSON (exit ${run.status}): ${run.stdout}${run.stderr}`);
  }
  return parsed.map((m) => ({
    file: relative(dir, String(m.Filename ?? '')),
    rule: m.Rule?.Id ?? '',
    level: m.Level ?? '',
    message: m.Message ?? '',
    path: (m.Location?.Path ?? []).join('/'),
  }));
}

/** What {@link lintCollected} found: how many templates, how many distinct, and the errors per template. */
export interface CollectedLint {
  readonly templates: number;
  readonly distinct: number;
  readonly errors: CfnLintMatch[];
}

/**
 * Lint every template file in `dir` (as the test files wrote them) in one cfn-lint process.
 * Templates with the same content are linted once, and an error in one is reported under the
 * name of every template that has that content.
 */
export function lintCollected(dir: string): CollectedLint {
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const byDigest = new Map<string, string[]>();
  for (const name of names) {
    const digest = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
    byDigest.set(digest, [...(byDigest.get(digest) ?? []), name]);
  }
  const unique = join(dir, '.distinct');
  mkdirSync(unique, { recursive: true });
  for (const [digest, [first]] of byDigest) writeFileSync(join(unique, `${digest}.json`), readFileSync(join(dir, first)));
  const matches = lintFiles(unique, [...byDigest.keys()].map((d) => `${d}.json`));
  const errors = matches
    .filter((m) => m.level === 'Error')
    .flatMap((m) => (byDigest.get(m.file.replace(/\.json$/, '')) ?? [m.file]).map((file) => ({ ...m, file })));
  return { templates: names.length, distinct: byDigest.size, errors };
}

/** A readable list of errors: the template, the rule, where and what. */
export function describeErrors(errors: CfnLintMatch[]): string {
  return errors.map((e) => `${e.file}: ${e.rule} at ${e.path}: ${e.message}`).join('\n');
}

/**
 * Collects the templates a test file synthesises for cfn-lint. cfn-lint takes seconds to start,
 * so it runs once for the whole jest run (in the global teardown) over every test file's
 * templates; a lint error fails the run, naming the template and the error.
 *
 *   const lint = new TemplateLinter();
 *   afterAll(() => lint.expectNoErrors());
 *   const template = lint.template(stack);
 */
export class TemplateLinter {
  private readonly templates = new Map<string, unknown>();

  /** Synthesise the stack, remember its template for linting, and return it for assertions. */
  public template(stack: Stack): Template {
    const template = Template.fromStack(stack);
    this.add(stack.node.path, template.toJSON());
    return template;
  }

  /** Remember a template (as JSON) for linting. */
  public add(name: string, template: unknown): void {
    // The key is a file name: construct paths hold "/", and one path may be synthesised twice.
    const base = name.replace(/[^A-Za-z0-9_-]/g, '_');
    let key = base;
    let n = 1;
    while (this.templates.has(key)) key = `${base}_${n++}`;
    this.templates.set(key, template);
  }

  /** How many templates were collected. */
  public get size(): number {
    return this.templates.size;
  }

  /** Write every collected template into `dir`, each file name prefixed with `prefix`; returns the file names. */
  public writeTo(dir: string, prefix: string = ''): string[] {
    return [...this.templates].map(([name, t]) => {
      const file = `${prefix}${name}.json`;
      writeFileSync(join(dir, file), JSON.stringify(t, undefined, 1));
      return file;
    });
  }

  /** Run cfn-lint now over every collected template and return its problems. */
  public lint(): CfnLintMatch[] {
    if (this.templates.size === 0 || !cfnLintAvailable()) return [];
    const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
    try {
      return lintFiles(dir, this.writeTo(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Assert cfn-lint reports no errors (warnings and informational matches are allowed). In a
   * jest run with the global setup, the templates are handed to the run's one cfn-lint (in its
   * global teardown, which fails the run on an error); otherwise they are linted now.
   */
  public expectNoErrors(): void {
    const collect = process.env[CFN_LINT_DIR_ENV];
    if (collect) {
      this.writeTo(collect, `${testFilePrefix()}--`);
      return;
    }
    const errors = this.lint().filter((m) => m.level === 'Error');
    expect(errors).toEqual([]);
  }
}

/** The running test file as a file-name prefix (test/constructs/x.test.ts -> test_constructs_x_test_ts). */
function testFilePrefix(): string {
  const testPath = expect.getState().testPath ?? `pid${process.pid}`;
  return relative(process.cwd(), testPath).replace(/[^A-Za-z0-9_-]/g, '_');
}
