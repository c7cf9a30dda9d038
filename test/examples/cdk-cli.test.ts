/**
 * Each example as its README runs it: `npx cdk synth` in its folder, with the AWS CDK CLI, no
 * AWS credentials and nothing fetched from the network (no version check, notices or telemetry,
 * no instance metadata). The CLI reads the annotations of the assembly, so this also proves
 * every annotation the constructs write is one the CLI can read. The apps are transpiled only
 * (TS_NODE_TRANSPILE_ONLY): the test task type-checks them, with the tests, before jest runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureParserBundle } from '../report-inbox/support/bundle';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'node_modules', '.bin', 'cdk');

beforeAll(() => ensureParserBundle());

describe.each([
  ['department', ['DepartmentMtaSts', 'DepartmentMail']],
  ['parked-estate', ['ParkedEstateShard01', 'ParkedEstateShard02']],
  ['transactional-sender', ['TransactionalSender']],
])('examples/%s: npx cdk synth', (example, stacks: string[]) => {
  test('synthesises with the CDK CLI and no AWS account, and writes every stack', () => {
    const out = mkdtempSync(join(tmpdir(), `cdk-cli-${example}-`));
    try {
      const run = spawnSync(CLI, ['synth', '--quiet', '--no-notices', '--output', out], {
        cwd: join(ROOT, 'examples', example),
        encoding: 'utf8',
        env: {
          ...process.env,
          CDK_DISABLE_VERSION_CHECK: '1',
          CDK_DISABLE_CLI_TELEMETRY: '1',
          AWS_EC2_METADATA_DISABLED: 'true',
          TS_NODE_TRANSPILE_ONLY: 'true',
          // No credentials: synth must not need them.
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
          AWS_PROFILE: '',
        },
        timeout: 240_000,
      });
      expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
      const templates = readdirSync(out).filter((f) => f.endsWith('.template.json'));
      for (const stack of stacks) {
        expect(templates.filter((f) => f.startsWith(stack))).toHaveLength(1);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
