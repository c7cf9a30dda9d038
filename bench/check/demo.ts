/**
 * Run `gov-email check` against the test zones (test/cli/support) on local servers, e.g.
 *   npx ts-node --project test/tsconfig.json bench/check/demo.ts healthy.test parked.test
 * Any option `gov-email check` takes may follow the domains (`--format json`).
 */
import { CheckEnvironment } from '../../test/cli/support/environment';

async function demo(): Promise<void> {
  const env = await CheckEnvironment.start();
  try {
    const r = await env.run(process.argv.slice(2));
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.stdout.write(`(exit code ${r.code})\n`);
  } finally {
    await env.stop();
  }
}

void demo();
