import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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

const CFN_LINT_ARGS = ['--format', 'json', '--'];

/** Run one cfn-lint process over the template files in `dir`; match file names are relative to `dir`. */
export function lintFiles(dir: string, files: string[]): CfnLintMatch[] {
  if (files.length === 0) return [];
  const run = spawnSync('cfn-lint', [...CFN_LINT_ARGS, ...files.map((f) => join(dir, f))], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) throw cannotRun(run.error);
  return parseMatches(dir, run.stdout, run.stderr, run.status);
}

/** As {@link lintFiles}, without blocking: several can run at once. */
export function lintFilesAsync(dir: string, files: string[]): Promise<CfnLintMatch[]> {
  if (files.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn('cfn-lint', [...CFN_LINT_ARGS, ...files.map((f) => join(dir, f))], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(cannotRun(e)));
    child.on('close', (status) => {
      try {
        resolve(parseMatches(dir, Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8'), status));
      } catch (e) {
        reject(e);
      }
    });
  });
}

function cannotRun(e: Error): Error {
  return new Error(`cfn-lint could not be run (${e.message}); install cfn-lint 1.x so templates can be checked`);
}

function parseMatches(dir: string, stdout: string, stderr: string, status: number | null): CfnLintMatch[] {
  let parsed: any[];
  try {
    parsed = JSON.parse(stdout || '[]');
  } catch {
    throw new Error(`cfn-lint printed something other than JSON (exit ${status}): ${stdout}${stderr}`);
  }
  return parsed.map((m) => ({
    file: relative(dir, String(m.Filename ?? '')),
    rule: m.Rule?.Id ?? '',
    level: m.Level ?? '',
    message: m.Message ?? '',
    path: (m.Location?.Path ?? []).join('/'),
  }));
}

/**
 * A folder two jest runs of one CI job can share (the oldest and the newest aws-cdk-lib run at
 * the same time), so that a template both synthesise alike is linted once. Each run claims the
 * templates it will lint (an exclusive `<digest>.claim` file), writes what cfn-lint said of each
 * (`<digest>.result`), and reads the other run's results for the templates it claimed. Without
 * it, a run lints every template it collected itself.
 */
export const CFN_LINT_STORE_ENV = 'GOV_EMAIL_CFN_LINT_STORE';

/** What {@link lintCollected} found: how many templates, how many distinct, and the errors per template. */
export interface CollectedLint {
  readonly templates: number;
  readonly distinct: number;
  /** Distinct templates this run linted itself. */
  readonly linted: number;
  /** Distinct templates whose results came from another run sharing the store. */
  readonly shared: number;
  /** cfn-lint processes this run used. */
  readonly processes: number;
  readonly errors: CfnLintMatch[];
}

/** How to lint a collected folder. */
export interface LintCollectedOptions {
  /** The shared store; default: the one named by {@link CFN_LINT_STORE_ENV}, or a folder of this call's own. */
  readonly store?: string;
  /** cfn-lint processes at most; default: the machine's available parallelism, at most 4. */
  readonly processes?: number;
  /** How long to wait for another run's result before linting the template here; default 20 minutes. */
  readonly waitMs?: number;
  /** What lints a batch of files in a folder; default {@link lintFilesAsync} (cfn-lint). */
  readonly linter?: (dir: string, files: string[]) => Promise<CfnLintMatch[]>;
}

/**
 * Lint every template file in `dir` (as the test files wrote them). Templates with the same
 * content are linted once, and an error in one is reported under the name of every template that
 * has that content. The templates are split over a few cfn-lint processes, the largest first;
 * with a shared store, those another run has claimed are not linted again here, but their
 * results are read (and if that run never writes them, they are linted here after all).
 */
export async function lintCollected(dir: string, options: LintCollectedOptions = {}): Promise<CollectedLint> {
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const byDigest = new Map<string, string[]>();
  const bodies = new Map<string, Buffer>();
  for (const name of names) {
    const body = readFileSync(join(dir, name));
    const digest = createHash('sha256').update(body).digest('hex');
    byDigest.set(digest, [...(byDigest.get(digest) ?? []), name]);
    bodies.set(digest, body);
  }
  const shared = options.store ?? process.env[CFN_LINT_STORE_ENV];
  const store = shared ?? mkdtempSync(join(tmpdir(), 'cfn-lint-store-'));
  mkdirSync(store, { recursive: true });
  const processes = Math.max(1, options.processes ?? Math.min(4, availableParallelism()));
  const waitMs = options.waitMs ?? 20 * 60 * 1000;
  const linter = options.linter ?? lintFilesAsync;
  try {
    const results = new Map<string, CfnLintMatch[]>();
    const mine = [...byDigest.keys()].filter((d) => claim(store, d));
    let linted = mine.length;
    await lintInto(store, mine, bodies, processes, linter, results);
    // What another run claimed: wait for its results; lint here what it gave up on.
    let theirs = [...byDigest.keys()].filter((d) => !results.has(d));
    const deadline = Date.now() + waitMs;
    while (theirs.length > 0) {
      for (const d of theirs) {
        const result = readResult(store, d);
        if (result) results.set(d, result);
      }
      theirs = theirs.filter((d) => !results.has(d));
      const orphans = theirs.filter((d) => Date.now() > deadline || (!existsSync(claimFile(store, d)) && claim(store, d)));
      if (orphans.length > 0) {
        linted += orphans.length;
        await lintInto(store, orphans, bodies, processes, linter, results);
        theirs = theirs.filter((d) => !results.has(d));
      }
      if (theirs.length > 0) await new Promise((ok) => setTimeout(ok, 250));
    }
    const errors = [...results]
      .flatMap(([d, matches]) => matches.filter((m) => m.level === 'Error').flatMap((m) => byDigest.get(d)!.map((file) => ({ ...m, file }))));
    return { templates: names.length, distinct: byDigest.size, linted, shared: byDigest.size - linted, processes, errors };
  } finally {
    if (!shared) rmSync(store, { recursive: true, force: true });
  }
}

const claimFile = (store: string, digest: string) => join(store, `${digest}.claim`);

/** Claim a template for this run: true when no run had claimed it. */
function claim(store: string, digest: string): boolean {
  try {
    closeSync(openSync(claimFile(store, digest), 'wx'));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function readResult(store: string, digest: string): CfnLintMatch[] | undefined {
  const file = join(store, `${digest}.result`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as CfnLintMatch[] : undefined;
}

/**
 * Lint these templates in up to `processes` cfn-lint processes at once (each template to the
 * process with the fewest bytes so far, the largest first), and record each one's matches in
 * `results` and in the store. On failure the claims are given up, so another run can lint them.
 */
async function lintInto(
  store: string, digests: string[], bodies: Map<string, Buffer>, processes: number,
  linter: (dir: string, files: string[]) => Promise<CfnLintMatch[]>, results: Map<string, CfnLintMatch[]>,
): Promise<void> {
  if (digests.length === 0) return;
  const bins: { bytes: number; files: string[] }[] = Array.from({ length: Math.min(processes, digests.length) }, () => ({ bytes: 0, files: [] }));
  for (const d of [...digests].sort((a, b) => bodies.get(b)!.length - bodies.get(a)!.length || a.localeCompare(b))) {
    writeFileSync(join(store, `${d}.json`), bodies.get(d)!);
    const bin = bins.reduce((low, b) => (b.bytes < low.bytes ? b : low));
    bin.bytes += bodies.get(d)!.length;
    bin.files.push(`${d}.json`);
  }
  let matches: CfnLintMatch[];
  try {
    matches = (await Promise.all(bins.map((b) => linter(store, b.files)))).flat();
  } catch (e) {
    for (const d of digests) rmSync(claimFile(store, d), { force: true });
    throw e;
  }
  for (const d of digests) {
    const own = matches.filter((m) => m.file === `${d}.json`);
    results.set(d, own);
    const file = join(store, `${d}.result`);
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(own));
    renameSync(`${file}.${process.pid}`, file);
    rmSync(join(store, `${d}.json`), { force: true });
  }
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
