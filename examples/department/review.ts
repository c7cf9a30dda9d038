/**
 * The review step: synthesise the department example, then review the cloud assembly with
 * `gov-email review` (the same command a pipeline runs after `cdk synth`). Exits with the
 * review's exit code: 0 when there are no errors, 1 when there are.
 *
 *   npx ts-node --project test/tsconfig.json examples/department/review.ts [outdir] [review options]
 */
import { departmentApp } from './department';
import { main } from 'cdk-gov-email/lib/cli/main';

const [outdir = 'examples/department/cdk.out', ...options] = process.argv.slice(2);
departmentApp(outdir).synth();
void main(['review', outdir, ...options], { stdout: process.stdout, stderr: process.stderr, env: process.env })
  .then((code) => {
    process.exitCode = code;
  });
