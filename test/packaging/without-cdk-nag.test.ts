/**
 * cdk-nag is an optional peer dependency: only GovEmailChecks needs it. The library is loaded in
 * a child Node.js process in which cdk-nag cannot be resolved, as in an app that never installed it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Run a script in a Node.js process where `require('cdk-nag')` fails as for a package not installed. */
function withoutCdkNag(script: string): { status: number | null; stdout: string; stderr: string } {
  const prelude = `
    const Module = require('node:module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (request === 'cdk-nag' || request.startsWith('cdk-nag/')) {
        const err = new Error("Cannot find module '" + request + "'");
        err.code = 'MODULE_NOT_FOUND';
        throw err;
      }
      return resolve.call(this, request, ...rest);
    };
    require('./test/util/register-ts.js');
  `;
  const result = spawnSync(process.execPath, ['-e', prelude + script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the hook really hides cdk-nag', () => {
  const { status, stderr } = withoutCdkNag("require('cdk-nag');");
  expect(status).not.toBe(0);
  expect(stderr).toContain("Cannot find module 'cdk-nag'");
});

test('the package entry loads without cdk-nag, and a GovEmailDomain synthesises', () => {
  // GIVEN an app without cdk-nag WHEN it loads the library and synthesises a department's domain
  const { status, stdout, stderr } = withoutCdkNag(`
    const { App, Stack } = require('aws-cdk-lib');
    const route53 = require('aws-cdk-lib/aws-route53');
    const lib = require('./src');
    const app = new App();
    const stack = new Stack(app, 'Mail', { env: { account: '111111111111', region: 'eu-west-2' } });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'dept.gov.uk' });
    new lib.GovEmailDomain(stack, 'Dept', {
      zone,
      senders: [lib.Sender.amazonSes()],
      dmarc: { reportTo: ['mailto:dmarc@dept.gov.uk'] },
      tlsReportTo: ['mailto:tls-reports@dept.gov.uk'],
    });
    const template = app.synth().getStackByName('Mail').template;
    const types = Object.values(template.Resources).map((r) => r.Type);
    console.log(JSON.stringify({ types: [...new Set(types)].sort(), checks: typeof lib.GovEmailChecks }));
  `);
  // THEN
  expect(stderr).not.toContain('Error');
  expect(status).toBe(0);
  const out = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(out.types).toEqual(expect.arrayContaining(['AWS::Route53::RecordSet', 'AWS::SES::EmailIdentity']));
  expect(out.checks).toBe('function');
});

test('new GovEmailChecks() without cdk-nag says to install it', () => {
  const { status, stdout } = withoutCdkNag(`
    const { GovEmailChecks } = require('./src');
    try {
      new GovEmailChecks();
      console.log('constructed');
    } catch (err) {
      console.log(err.message);
    }
  `);
  expect(status).toBe(0);
  expect(stdout.trim()).toBe(
    'GovEmailChecks needs cdk-nag v3, an optional peer dependency of cdk-gov-email that is not installed: run `npm install cdk-nag` in your CDK app.',
  );
});
