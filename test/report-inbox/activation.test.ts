/**
 * ReportInbox with activateRuleSet: the inbox activates its receipt rule set with a function and
 * role of its own, so the cdk-nag findings it acknowledges sit on its own resources, and a
 * department's own AwsCustomResources in the same stack are still reported.
 */
import { App, PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { runInlineHandler } from './support/inline-handler';
import { ReportInbox } from '../../src/report-inbox';
import { TemplateLinter } from '../util/cfn-lint';
import { ensureParserBundle } from './support/bundle';

const lint = new TemplateLinter();
beforeAll(() => ensureParserBundle());
afterAll(() => lint.expectNoErrors());

const ENV = { account: '111122223333', region: 'eu-west-2' };
/** The construct id aws-cdk-lib gives the one provider function of every AwsCustomResource in a stack. */
const SHARED_PROVIDER = 'AWS679f53fac002430cb0da5b7982bd2287';

/** A department's own AwsCustomResource: it reads a parameter at deployment. */
function departmentLookup(stack: Stack): cr.AwsCustomResource {
  return new cr.AwsCustomResource(stack, 'DeptLookup', {
    onCreate: {
      service: 'SSM',
      action: 'GetParameter',
      parameters: { Name: '/dept/mail/setting' },
      physicalResourceId: cr.PhysicalResourceId.of('/dept/mail/setting'),
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [`arn:aws:ssm:${ENV.region}:${ENV.account}:parameter/dept/mail/setting`] }),
    installLatestAwsSdk: false,
  });
}

/** A stack with an inbox that activates its rule set, and the department's lookup before or after it (or none). */
function build(lookup: 'before' | 'after' | 'none') {
  const app = new App();
  const stack = new Stack(app, 'Mail', { env: ENV });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'dept.gov.uk' });
  if (lookup === 'before') departmentLookup(stack);
  const inbox = new ReportInbox(stack, 'Reports', { zone, domains: ['dept.gov.uk'], allowMissingMtaSts: true, activateRuleSet: true });
  if (lookup === 'after') departmentLookup(stack);
  return { app, stack, inbox, template: lint.template(stack) };
}

/** The report as `<rule> <construct path>` rows, for errors only. */
function errors(report: PolicyValidationPluginReport): string[] {
  return report.violations.filter((v) => v.severity === 'error')
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
    .sort();
}

/** The acknowledgements written on a construct itself (not those it inherits). */
function acknowledgedOn(scope: IConstruct): Record<string, string> {
  return Object.assign({}, ...scope.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data));
}

describe('ReportInbox activateRuleSet: the inbox\'s own function', () => {
  test('a custom resource of the inbox\'s own function makes the rule set active, after the rule exists; no shared AwsCustomResource provider', () => {
    const { template, inbox } = build('none');
    template.resourceCountIs('Custom::AWS', 0);
    expect(Object.keys(template.toJSON().Resources).filter((id) => id.startsWith(SHARED_PROVIDER))).toEqual([]);
    const [activation] = Object.values(template.findResources('Custom::SesActiveReceiptRuleSet'));
    expect(activation.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^ReportsRuleSetActivationFunction/), 'Arn'] },
      RuleSetName: inbox.ruleSetName,
    });
    expect(activation.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ReportsRule[0-9A-F]{8}$/)]));
    expect(template.findOutputs('*')).toEqual({});
  });

  test('its role may set the active rule set and write its own logs, nothing else; no managed policy', () => {
    const { template } = build('none');
    const [role] = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith('ReportsRuleSetActivationRole'));
    expect(role[1].Properties.ManagedPolicyArns).toBeUndefined();
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role[0] }] } }));
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'SetActiveReceiptRuleSet', Effect: 'Allow', Action: 'ses:SetActiveReceiptRuleSet', Resource: '*' },
      {
        Sid: 'WriteActivationLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ReportsRuleSetActivationLogs/), 'Arn'] },
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Role: { 'Fn::GetAtt': [role[0], 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^ReportsRuleSetActivationLogs') } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  describe('the handler', () => {
    /** Run the function's inline code with SES and the response URL stubbed; what it called and answered. */
    async function invoke(requestType: 'Create' | 'Update' | 'Delete', sesError?: Error) {
      const { template, inbox } = build('none');
      const [fn] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x' } }))
        .filter((f) => typeof f.Properties.Code.ZipFile === 'string');
      const { sent, responses } = await runInlineHandler(fn.Properties.Code.ZipFile,
        { module: '@aws-sdk/client-ses', client: 'SESClient', command: 'SetActiveReceiptRuleSetCommand', error: sesError }, {
          RequestType: requestType,
          LogicalResourceId: 'ReportsRuleSetActivation',
          PhysicalResourceId: inbox.ruleSetName,
          ResourceProperties: { ServiceToken: 'token', RuleSetName: inbox.ruleSetName },
        });
      return { sent, responses, ruleSetName: inbox.ruleSetName };
    }

    test.each(['Create', 'Update'] as const)('%s makes the rule set active and answers SUCCESS with its name as the physical id', async (type) => {
      const { sent, responses, ruleSetName } = await invoke(type);
      expect(sent).toEqual([{ RuleSetName: ruleSetName }]);
      expect(responses).toEqual([{
        url: 'https://cloudformation-custom-resource-response.example/response',
        // The response URL is presigned without a content type.
        options: { method: 'PUT', headers: { 'content-type': '', 'content-length': expect.any(Number) } },
        body: {
          Status: 'SUCCESS',
          Reason: 'OK',
          PhysicalResourceId: ruleSetName,
          StackId: 'stack-id',
          RequestId: 'request-id',
          LogicalResourceId: 'ReportsRuleSetActivation',
        },
      }]);
      expect(responses[0].options.headers['content-length']).toBe(Buffer.byteLength(JSON.stringify(responses[0].body)));
    });

    test('Delete makes no rule set active, so the rule set can be deleted', async () => {
      const { sent, responses } = await invoke('Delete');
      expect(sent).toEqual([{}]);
      expect(responses[0].body.Status).toBe('SUCCESS');
    });

    test('an SES error answers FAILED with its message, so CloudFormation stops rather than waits', async () => {
      const { responses, ruleSetName } = await invoke('Create', new Error('Rule set does not exist'));
      expect(responses.map((r) => r.body)).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: 'Rule set does not exist', PhysicalResourceId: ruleSetName })]);
    });
  });
});

describe('ReportInbox activateRuleSet: cdk-nag AwsSolutions acknowledgements stay on the inbox\'s own resources', () => {
  test.each(['before', 'after'] as const)(
    'a department AwsCustomResource created %s the inbox: its shared provider is still reported; nothing under the inbox is', (order) => {
      const { app, stack } = build(order);
      const found = errors(new AwsSolutionsChecks().validateScope(app));
      // The department's provider function and role: not acknowledged by the inbox.
      expect(found).toEqual(expect.arrayContaining([
        `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] Mail/${SHARED_PROVIDER}/ServiceRole/Resource`,
        `AwsSolutions-L1 Mail/${SHARED_PROVIDER}/Resource`,
      ]));
      expect(found.filter((f) => f.includes(' Mail/Reports/'))).toEqual([]);
      // Every finding reported is one of the department's own resources.
      expect(found.filter((f) => !f.includes(` Mail/${SHARED_PROVIDER}/`) && !f.includes(' Mail/DeptLookup/'))).toEqual([]);
      const provider = stack.node.findChild(SHARED_PROVIDER);
      expect(provider.node.findAll().map(acknowledgedOn).filter((a) => Object.keys(a).length > 0)).toEqual([]);
    });

  test('the inbox\'s acknowledgements of its activation are on its own role and function, each with its reason', () => {
    const { app, inbox } = build('none');
    expect(errors(new AwsSolutionsChecks().validateScope(app))).toEqual([]);
    const activation = inbox.node.findChild('RuleSetActivation');
    expect(Object.keys(acknowledgedOn(activation.node.findChild('Role')))).toEqual(['AwsSolutions-IAM5[Resource::*]']);
    expect(Object.keys(acknowledgedOn(activation.node.findChild('Function')))).toEqual(['AwsSolutions-L1']);
    for (const reason of [...Object.values(acknowledgedOn(activation.node.findChild('Role'))), ...Object.values(acknowledgedOn(activation.node.findChild('Function')))]) {
      expect(reason.length).toBeGreaterThan(40);
    }
  });
});

describe('ReportInbox activateRuleSet: beside a department AwsCustomResource', () => {
  test('the department\'s custom resource uses the shared provider; the inbox\'s uses its own function', () => {
    const { template } = build('after');
    const token = (type: string) => Object.values(template.findResources(type)).map((r) => r.Properties.ServiceToken['Fn::GetAtt'][0]);
    expect(token('Custom::AWS')).toEqual([expect.stringMatching(new RegExp(`^${SHARED_PROVIDER}`))]);
    expect(token('Custom::SesActiveReceiptRuleSet')).toEqual([expect.stringMatching(/^ReportsRuleSetActivationFunction/)]);
  });
});
