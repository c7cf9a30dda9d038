import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CFN_LINT_DIR_ENV, CFN_LINT_STORE_ENV, CfnLintMatch, TemplateLinter, cfnLintAvailable, lintCollected } from './cfn-lint';
import teardown from './cfn-lint-teardown';

const withCfnLint = cfnLintAvailable() ? test : test.skip;

/** A stack whose record set has no hosted zone and an invalid type: cfn-lint errors. Its record's name is the stack's id. */
function brokenStack(id: string = 'Broken'): Stack {
  const stack = new Stack(new App(), id);
  new CfnResource(stack, 'Bad', { type: 'AWS::Route53::RecordSet', properties: { Name: `${id.toLowerCase()}.example.com.`, Type: 'NOPE' } });
  return stack;
}

/** A stack with one valid record set, named by the stack's id. */
function fineStack(id: string = 'Fine'): Stack {
  const stack = new Stack(new App(), id);
  new CfnResource(stack, 'Txt', {
    type: 'AWS::Route53::RecordSet',
    properties: { HostedZoneId: 'Z0123456789ABCDEFGHIJ', Name: `${id.toLowerCase()}.example.com.`, Type: 'TXT', TTL: '300', ResourceRecords: ['"v=spf1 -all"'] },
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
  let savedStore: string | undefined;
  beforeEach(() => {
    // The teardown reports its totals on the console; here they are the test's own.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    dir = mkdtempSync(join(tmpdir(), 'cfn-lint-collect-test-'));
    saved = process.env[CFN_LINT_DIR_ENV];
    savedStore = process.env[CFN_LINT_STORE_ENV];
    process.env[CFN_LINT_DIR_ENV] = dir;
    // These runs are the test's own: they do not share a store with the CI job's runs.
    delete process.env[CFN_LINT_STORE_ENV];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[CFN_LINT_DIR_ENV];
    else process.env[CFN_LINT_DIR_ENV] = saved;
    if (savedStore !== undefined) process.env[CFN_LINT_STORE_ENV] = savedStore;
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

  withCfnLint('every collected template is linted; identical templates once, each error named under every template', async () => {
    const lint = new TemplateLinter();
    lint.template(fineStack());
    lint.template(brokenStack('Broken'));
    lint.add('BrokenAgain', lint.template(brokenStack('Broken')).toJSON());
    lint.writeTo(dir, 'a_test_ts--');
    const result = await lintCollected(dir, { store: join(dir, 'store') });
    expect(result.templates).toBe(4);
    expect(result.distinct).toBe(2);
    expect([...new Set(result.errors.map((e) => e.file))].sort())
      .toEqual(['a_test_ts--Broken.json', 'a_test_ts--BrokenAgain.json', 'a_test_ts--Broken_1.json']);
    expect(result.errors.every((e) => e.path.startsWith('Resources/Bad'))).toBe(true);
  });

  withCfnLint('the global teardown fails the run on a lint error, naming the template and the error', async () => {
    const lint = new TemplateLinter();
    lint.template(fineStack());
    lint.template(brokenStack());
    lint.expectNoErrors();
    await expect(teardown()).rejects.toThrow(/test_util_cfn-lint_test_ts--Broken\.json: E\d+ at Resources\/Bad/);
    expect(existsSync(dir)).toBe(false);
  });

  withCfnLint('the global teardown passes a run whose templates are valid', async () => {
    writeFileSync(join(dir, 'x.json'), JSON.stringify(new TemplateLinter().template(fineStack()).toJSON()));
    await expect(teardown()).resolves.toBeUndefined();
  });

  /** Two collected folders as two runs would write them: one template in common, one of each's own. */
  function twoRuns(): { a: string; b: string; store: string } {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    for (const d of [a, b]) mkdirSync(d);
    const common = new TemplateLinter();
    common.template(brokenStack('Common'));
    common.writeTo(a, 'a--');
    common.writeTo(b, 'b--');
    const own = new TemplateLinter();
    own.template(fineStack('OnlyA'));
    own.writeTo(a, 'a--');
    const other = new TemplateLinter();
    other.template(brokenStack('OnlyB'));
    other.writeTo(b, 'b--');
    return { a, b, store: join(dir, 'store') };
  }

  /**
   * A stand-in for cfn-lint in the tests of the store's protocol (claims, results, orphans): an
   * error for each template with an invalid record type, and a list of every file it was given.
   * cfn-lint itself is run by the tests above and below.
   */
  function fakeLinter(): { lint: (d: string, files: string[]) => Promise<CfnLintMatch[]>; linted: string[] } {
    const linted: string[] = [];
    const lint = async (d: string, files: string[]) => {
      await new Promise((ok) => setTimeout(ok, 20));
      linted.push(...files);
      return files.filter((f) => readFileSync(join(d, f), 'utf8').includes('"NOPE"'))
        .map((file) => ({ file, rule: 'E3030', level: 'Error', message: 'NOPE is not a record type', path: 'Resources/Bad/Properties/Type' }));
    };
    return { lint, linted };
  }

  test('two runs sharing a store lint a template they have in common once, and both report its errors', async () => {
    const { a, b, store } = twoRuns();
    const fake = fakeLinter();
    const [ra, rb] = await Promise.all([lintCollected(a, { store, linter: fake.lint }), lintCollected(b, { store, linter: fake.lint })]);
    expect([ra.distinct, rb.distinct]).toEqual([2, 2]);
    // Three distinct templates in all, each linted by one of the two runs, once
    expect([ra.linted + rb.linted, fake.linted.length, new Set(fake.linted).size]).toEqual([3, 3, 3]);
    expect(ra.shared + rb.shared).toBe(1);
    expect([...new Set(ra.errors.map((e) => e.file))]).toEqual(['a--Common.json']);
    expect([...new Set(rb.errors.map((e) => e.file))].sort()).toEqual(['b--Common.json', 'b--OnlyB.json']);
    // One after the other: the second reads the first's results and lints only its own
    const later = join(dir, 'store2');
    const first = await lintCollected(a, { store: later, linter: fake.lint });
    const second = await lintCollected(b, { store: later, linter: fake.lint });
    expect([first.linted, first.shared, second.linted, second.shared]).toEqual([2, 0, 1, 1]);
    expect([...new Set(second.errors.map((e) => e.file))].sort()).toEqual(['b--Common.json', 'b--OnlyB.json']);
  });

  test('a template another run claimed and never linted is linted here: when it gives up its claim, or after the wait', async () => {
    const { a, store } = twoRuns();
    mkdirSync(store);
    const digests = readdirSync(a).map((f) => createHash('sha256').update(readFileSync(join(a, f))).digest('hex'));
    for (const d of digests) writeFileSync(join(store, `${d}.claim`), '');
    // Claims that stay: linted here once the wait is over
    const fake = fakeLinter();
    const waited = await lintCollected(a, { store, waitMs: 300, linter: fake.lint });
    expect([waited.linted, waited.shared, fake.linted.length]).toEqual([2, 0, 2]);
    expect(new Set(waited.errors.map((e) => e.file))).toEqual(new Set(['a--Common.json']));
    // Claims given up while this run waits: claimed and linted here without waiting out the time
    const store2 = join(dir, 'given-up');
    mkdirSync(store2);
    for (const d of digests) writeFileSync(join(store2, `${d}.claim`), '');
    setTimeout(() => digests.forEach((d) => rmSync(join(store2, `${d}.claim`))), 300);
    const started = Date.now();
    const given = await lintCollected(a, { store: store2, waitMs: 600_000, linter: fakeLinter().lint });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect([given.linted, given.shared]).toEqual([2, 0]);
  });

  test('a run whose linter fails gives up its claims, so the run sharing the store lints them', async () => {
    const { a, store } = twoRuns();
    const failing = async (): Promise<CfnLintMatch[]> => {
      throw new Error('cfn-lint could not be run');
    };
    await expect(lintCollected(a, { store, linter: failing })).rejects.toThrow('could not be run');
    expect(readdirSync(store).filter((f) => f.endsWith('.claim'))).toEqual([]);
    const fake = fakeLinter();
    const again = await lintCollected(a, { store, waitMs: 600_000, linter: fake.lint });
    expect([again.linted, fake.linted.length]).toEqual([2, 2]);
  });

  withCfnLint('templates are split over the processes asked for, and every one is still linted', async () => {
    const lint = new TemplateLinter();
    for (let i = 0; i < 5; i++) lint.template(i % 2 === 0 ? brokenStack(`Broken${i}`) : fineStack(`Fine${i}`));
    lint.writeTo(dir, 'p--');
    const result = await lintCollected(dir, { processes: 3 });
    expect([result.templates, result.distinct, result.linted, result.processes]).toEqual([5, 5, 5, 3]);
    expect([...new Set(result.errors.map((e) => e.file))].sort()).toEqual(['p--Broken0.json', 'p--Broken2.json', 'p--Broken4.json']);
  });
});
