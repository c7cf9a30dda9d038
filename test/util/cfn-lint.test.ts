import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { TemplateLinter, cfnLintAvailable } from './cfn-lint';

const withCfnLint = cfnLintAvailable() ? test : test.skip;

describe('TemplateLinter', () => {
  withCfnLint('reports cfn-lint errors, so a broken template cannot pass the suite', () => {
    const stack = new Stack(new App(), 'Broken');
    new CfnResource(stack, 'Bad', { type: 'AWS::Route53::RecordSet', properties: { Name: 'a.example.com.', Type: 'NOPE' } });
    const lint = new TemplateLinter();
    lint.template(stack);
    const errors = lint.lint().filter((m) => m.level === 'Error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.path).join(' ')).toContain('Resources/Bad');
  });

  test('a valid template has no errors', () => {
    const stack = new Stack(new App(), 'Fine');
    new CfnResource(stack, 'Txt', {
      type: 'AWS::Route53::RecordSet',
      properties: { HostedZoneId: 'Z0123456789ABCDEFGHIJ', Name: 'a.example.com.', Type: 'TXT', TTL: '300', ResourceRecords: ['"v=spf1 -all"'] },
    });
    const lint = new TemplateLinter();
    lint.template(stack);
    lint.expectNoErrors();
  });
});
