import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CFN_LINT_DIR_ENV, TemplateLinter, cfnLintAvailable, lintCollected } from './cfn-lint';
import teardown from './cfn-lint-teardown';

const withCfnLint = cfnLintAvailable() ? test : test.skip;

/** A stack whose record set has no hosted zone and an invalid type: cfn-lint errors. */
function brokenStack(id: string = 'Broken'): Stack {
  const stack = new Stack(new App(), id);
  new CfnResource(stack, 'Bad', { type: 'AWS::Route53::RecordSet', properties: { Name: 'a.example.com.', Type: 'NOPE' } });
  return stack;
}

function fineStack(id: string = 'Fine'): Stack {
  const stack = new Stack(new App(), id);
  new CfnResource(stack, 'Txt', {
    type: 'AWS::Route53::RecordSet',
    properties: { HostedZoneId: 'Z0123456789ABCDEFGHIJ', Name: 'a.example.com.', Type: 'TXT', TTL: '300', ResourceRecords: ['"v=spf1 -all"'] },
  });
  return stack;
}

describe('TemplateLinter', () => {
  withCfnLint('reports cfn-lint errors, so a broken template cannot pass the suite', () => {
    const lint = new TemplateLinter();
    lint.template(brokenStack());
    const errors = lint.lint().filter((m) => m.level === 'Error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.path).join(' ')).toContain('Resources/Bad');
  });

  withCfnLint('a valid template has no errors', () => {
    const lint = new TemplateLinter();
    lint.template(fineStack());
    expect(lint.lint().filter((m) => m.level === 'Error')).toEqual([]);
  });

  withCfnLint('the same nested stack path synthesised twice is linted twice, each under a file name of its own', () => {
    const lint = new TemplateLinter();
    for (let i = 0; i < 2; i++) {
      const stack = new Stack(new App(), 'Stage', { stackName: `Stage${i}` });
      const inner = new Stack(stack, 'Inner');
      new CfnResource(inner, 'Bad', { type: 'AWS::Route53::RecordSet', properties: { Name: 'a.example.com.', Type: 'NOPE' } });
      lint.template(inner);
    }
    expect(lint.size).toBe(2);
    const files = new Set(lint.lint().filter((m) => m.level === 'Error').map((m) => m.file));
    expect([...files].sort()).toEqual(['Stage_Inner.json', 'Stage_Inner_1.json']);
  });
});

describe('one cfn-lint for the whole run (jest global setup and teardown)', () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    // The teardown reports its totals on the console; here they are the test's own.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    dir = mkdtempSync(join(tmpdir(), 'cfn-lint-collect-test-'));
    saved = process.env[CFN_LINT_DIR_ENV];
    process.env[CFN_LINT_DIR_ENV] = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[CFN_LINT_DIR_ENV];
    else process.env[CFN_LINT_DIR_ENV] = saved;
    rmSync(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  test('this run collects: jest\'s global setup set the folder the test files write to', () => {
    expect(saved).toBeTruthy();
    expect(existsSync(saved!)).toBe(true);
  });

  test('expectNoErrors hands each template to the run\'s folder, named by test file and template', () => {
    const lint = new TemplateLinter();
    lint.template(fineStack());
    lint.template(brokenStack());
    lint.expectNoErrors();
    expect(readdirSync(dir).sort()).toEqual(['test_util_cfn-lint_test_ts--Broken.json', 'test_util_cfn-lint_test_ts--Fine.json']);
  });

  withCfnLint('every collected template is linted; identical templates once, each error named under every template', () => {
    const lint = new TemplateLinter();
    lint.template(fineStack());
    lint.template(brokenStack('Broken'));
    lint.add('BrokenAgain', lint.template(brokenStack('Broken')).toJSON());
    lint.writeTo(dir, 'a_test_ts--');
    const result = lintCollected(dir);
    expect(result.templates).toBe(4);
    expect(result.distinct).toBe(2);
    expect([...new Set(result.errors.map((e) => e.file))].sort())
      .toEqual(['a_test_ts--Broken.json', 'a_test_ts--BrokenAgain.json', 'a_test_ts--Broken_1.json']);
    expect(result.errors.every((e) => e.path.startsWith('Resources/Bad'))).toBe(true);
  });

  withCfnLint('the global teardown fails the run on a lint error, naming the template and the error', () => {
    const lint = new TemplateLinter();
    lint.template(fineStack());
    lint.template(brokenStack());
    lint.expectNoErrors();
    expect(() => teardown()).toThrow(/test_util_cfn-lint_test_ts--Broken\.json: E\d+ at Resources\/Bad/);
    expect(existsSync(dir)).toBe(false);
  });

  withCfnLint('the global teardown passes a run whose templates are valid', () => {
    writeFileSync(join(dir, 'x.json'), JSON.stringify(new TemplateLinter().template(fineStack()).toJSON()));
    expect(() => teardown()).not.toThrow();
  });
});
