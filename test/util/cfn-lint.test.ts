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
