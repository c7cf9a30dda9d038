import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where projen's bundle task writes the parser function, and where `ReportParserFunction` reads it. */
export const PARSER_BUNDLE = join(__dirname, '..', '..', '..', 'assets', 'report-inbox', 'report-parser.lambda', 'index.js');

/**
 * Synthesising a ReportInbox needs the parser's bundle (its asset). `npx projen build` makes it
 * before the tests; when the tests run on their own (`npx jest`), build it here with the same
 * projen task.
 */
export function ensureParserBundle(): void {
  if (existsSync(PARSER_BUNDLE)) return;
  const run = spawnSync('npx', ['projen', 'bundle:report-inbox/report-parser.lambda'], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' });
  if (run.status !== 0 || !existsSync(PARSER_BUNDLE)) {
    throw new Error(`Could not build the report parser bundle (npx projen bundle): ${run.stderr || run.stdout}`);
  }
}
