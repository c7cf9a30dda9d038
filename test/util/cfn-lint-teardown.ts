import { rmSync } from 'node:fs';
import { CFN_LINT_DIR_ENV, cfnLintAvailable, describeErrors, lintCollected } from './cfn-lint';

/**
 * Jest global teardown: lint every template the run's test files synthesised, each distinct one
 * once, in a few cfn-lint processes at once (and not again when another run sharing the store of
 * GOV_EMAIL_CFN_LINT_STORE has linted it). An error fails the run (jest exits non-zero), naming
 * each template and error.
 */
export default async function teardown(): Promise<void> {
  const dir = process.env[CFN_LINT_DIR_ENV];
  if (!dir) return;
  delete process.env[CFN_LINT_DIR_ENV];
  try {
    if (!cfnLintAvailable()) return;
    const started = Date.now();
    const { templates, distinct, linted, shared, processes, errors } = await lintCollected(dir);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const by = shared > 0 ? `; ${linted} linted here in ${processes} processes, ${shared} by the run sharing the store` : `; in ${processes} processes`;
    // eslint-disable-next-line no-console
    console.log(`cfn-lint: ${templates} synthesised templates (${distinct} distinct${by}) linted in ${seconds} s, ${errors.length} errors`);
    if (errors.length > 0) {
      throw new Error(`cfn-lint found errors in the synthesised templates (test file--template):\n${describeErrors(errors)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
