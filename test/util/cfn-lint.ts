import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Collects the templates a test file synthesises and lints them with cfn-lint in one run
 * (cfn-lint takes seconds to start, so once per file, not once per test).
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

  /** Run cfn-lint over every collected template and return its problems. */
  public lint(): CfnLintMatch[] {
    if (this.templates.size === 0 || !cfnLintAvailable()) return [];
    const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
    try {
      const files = [...this.templates].map(([name, t]) => {
        const file = join(dir, `${name}.json`);
        writeFileSync(file, JSON.stringify(t, undefined, 1));
        return file;
      });
      const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
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
        file: String(m.Filename ?? '').replace(dir + '/', ''),
        rule: m.Rule?.Id ?? '',
        level: m.Level ?? '',
        message: m.Message ?? '',
        path: (m.Location?.Path ?? []).join('/'),
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Assert cfn-lint reports no errors (warnings and informational matches are allowed). */
  public expectNoErrors(): void {
    const errors = this.lint().filter((m) => m.level === 'Error');
    expect(errors).toEqual([]);
  }
}
