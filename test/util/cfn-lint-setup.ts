import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CFN_LINT_DIR_ENV } from './cfn-lint';

/**
 * Jest global setup: a folder the test files write their synthesised templates into (see
 * TemplateLinter.expectNoErrors); the workers inherit the variable. The global teardown lints
 * the folder's templates in one cfn-lint process.
 */
export default function setup(): void {
  process.env[CFN_LINT_DIR_ENV] = mkdtempSync(join(tmpdir(), 'gov-email-cfn-lint-'));
}
