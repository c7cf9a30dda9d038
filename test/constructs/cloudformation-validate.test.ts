/**
 * aws-cdk-lib's own template validation finds nothing in what the library synthesises. The
 * aws-cdk-lib versions that have it ("CloudFormation Validate", `App`'s
 * `builtinCloudFormationValidation`, on by default) check every template at synth and report what
 * they find in the cloud assembly's validation-report.json; a department's `cdk synth` prints it.
 *
 * Here it is on, and every finding it reports fails the test: the three examples, and a portfolio
 * of receiving and parked domains with its MTA-STS host on two distributions and a report inbox.
 * The other tests run with it off where aws-cdk-lib has it (CDK_VALIDATION=false, in
 * .ci/newest-aws-cdk-lib): there its findings were warnings no test read, and it made each synth
 * of a large estate take more than twice as long. Every template is linted by cfn-lint as well.
 *
 * With an aws-cdk-lib that has no built-in validation (the oldest supported), these are skipped.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cdk from 'aws-cdk-lib';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { departmentApp } from '../../examples/department/department';
import { parkedEstateApp } from '../../examples/parked-estate/parked-estate';
import { transactionalSenderApp } from '../../examples/transactional-sender/transactional-sender';
import { DomainPortfolio, PortfolioDomain } from '../../src/constructs/domain-portfolio';
import { ReportInbox } from '../../src/report-inbox';
import { Sender } from '../../src/senders/sender';
import { ensureParserBundle } from '../report-inbox/support/bundle';
import { TemplateLinter } from '../util/cfn-lint';
import { zoneIdFor } from '../util/constructs';

const BUILT_IN = 'CloudFormationValidatePlugin' in cdk;
const withBuiltIn = BUILT_IN ? describe : describe.skip;
const TIMEOUT = 120_000;
const ENV = { account: '111111111111', region: 'eu-west-2' };

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 180000);

let work: string;
let saved: string | undefined;
beforeAll(() => {
  ensureParserBundle();
  work = mkdtempSync(join(tmpdir(), 'gov-email-cfn-validate-'));
  // On for this file, whatever the run set.
  saved = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
});
afterAll(() => {
  if (saved !== undefined) process.env.CDK_VALIDATION = saved;
  rmSync(work, { recursive: true, force: true });
});

let apps = 0;
const outdir = () => join(work, `app${++apps}`);

/** Synthesise the app; each finding of the validation report, as `<plugin> <rule> <construct path>: <description>`. */
function findings(app: App): string[] {
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  return (report.pluginReports as any[]).flatMap((p) => (p.violations as any[]).flatMap((v) =>
    (v.violatingConstructs as any[]).map((c) => `${p.pluginName} ${v.ruleName} ${c.constructPath}: ${v.description}`)));
}

/** 120 domains receiving mail through Microsoft 365 (MTA-STS on two distributions) and 20 parked, reporting to an inbox. */
function portfolioApp(): App {
  const app = new App({ outdir: outdir() });
  const inboxStack = new Stack(app, 'Reports', { env: ENV });
  const zone = new route53.PublicHostedZone(inboxStack, 'Zone', { zoneName: 'dept.gov.uk' });
  const inbox = new ReportInbox(inboxStack, 'Inbox', { zone, domains: [], allowMissingMtaSts: true });
  const receiving = Array.from({ length: 120 }, (_, i) => `r${i + 1}.gov.uk`).map((domainName) => PortfolioDomain.sending({
    domainName,
    hostedZoneId: zoneIdFor(domainName),
    senders: [Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' })],
    dmarc: { reportTo: [inbox.dmarcAddress] },
  }));
  const parked = Array.from({ length: 20 }, (_, i) => `p${i + 1}.gov.uk`).map((domainName) =>
    PortfolioDomain.parked({ domainName, hostedZoneId: zoneIdFor(domainName) }));
  new DomainPortfolio(app, 'Estate', { env: ENV, shardCount: 3, mtaStsDistributionCount: 2, reportInbox: inbox, domains: [...receiving, ...parked] });
  return app;
}

withBuiltIn('aws-cdk-lib\'s built-in template validation (CloudFormation Validate)', () => {
  test('control: it reports what it finds in this file\'s apps (an empty stack, an unquoted TXT value)', () => {
    const app = new App({ outdir: outdir() });
    new Stack(app, 'Empty');
    new CfnResource(new Stack(app, 'Txt'), 'Record', {
      type: 'AWS::Route53::RecordSet',
      properties: { HostedZoneId: 'Z0123456789ABCDEFGHIJ', Name: 'a.example.com.', Type: 'TXT', TTL: '300', ResourceRecords: ['unquoted'] },
    });
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const found = findings(app);
      expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^CloudFormation Validate \w+ Empty: /), expect.stringMatching(/^CloudFormation Validate \w+ Txt\/Record: /)]));
    } finally {
      printed.mockRestore();
    }
  }, TIMEOUT);

  test('finds nothing in the department example (SES and Microsoft 365, MTA-STS host, report inbox, parked domains)', () => {
    expect(findings(departmentApp(outdir()))).toEqual([]);
  }, TIMEOUT);

  test('finds nothing in the parked estate example', () => {
    expect(findings(parkedEstateApp(outdir()))).toEqual([]);
  }, TIMEOUT);

  test('finds nothing in the transactional sender example', () => {
    expect(findings(transactionalSenderApp(outdir()))).toEqual([]);
  }, TIMEOUT);

  test('finds nothing in a portfolio of receiving and parked domains, its MTA-STS host on two distributions and its report inbox', () => {
    const app = portfolioApp();
    expect(findings(app)).toEqual([]);
    for (const s of app.synth().stacks) lint.add(`cfn-validate-${s.stackName}`, s.template);
  }, TIMEOUT);
});

test('the tests above are skipped only where there is no built-in validation: the export they look for is there exactly when App has the switch', () => {
  expect(BUILT_IN).toBe('_builtinCloudFormationValidation' in (new App() as any));
});
