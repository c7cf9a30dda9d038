import { CfnTemplate, StackScope, TemplateResolver } from '../../src/assembly/template';

const stack = (name: string, template: CfnTemplate, extra: Partial<StackScope> = {}): StackScope => ({ name, template, ...extra });

describe('TemplateResolver.text', () => {
  const template: CfnTemplate = {
    Parameters: { DomainName: { Type: 'String', Default: 'dept.gov.uk' } },
    Resources: {
      Identity: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'dept.gov.uk' } },
      NamedSet: { Type: 'AWS::SES::ConfigurationSet', Properties: { Name: 'require-tls' } },
      UnnamedSet: { Type: 'AWS::SES::ConfigurationSet', Properties: {} },
      Zone: { Type: 'AWS::Route53::HostedZone', Properties: { Name: 'dept.gov.uk.' } },
      Bucket: { Type: 'AWS::S3::Bucket' },
    },
  };
  const agnostic = stack('Dept', template);
  const placed = stack('Dept', template, { environment: { account: '123456789012', region: 'eu-west-2' } });
  const r = new TemplateResolver([agnostic]);
  const text = (value: unknown, s: StackScope = agnostic) => new TemplateResolver([s]).text(value, s);

  test.each<[string, unknown, string, boolean]>([
    ['a string', 'dept.gov.uk.', 'dept.gov.uk.', false],
    ['a number', 300, '300', false],
    ['nothing', undefined, '', false],
    ['Fn::Join of literals', { 'Fn::Join': ['', ['_dmarc.', 'dept.gov.uk', '.']] }, '_dmarc.dept.gov.uk.', false],
    ['Fn::Join with a separator', { 'Fn::Join': ['.', ['_dmarc', 'dept', 'gov', 'uk']] }, '_dmarc.dept.gov.uk', false],
    ['Fn::Sub with variables', { 'Fn::Sub': ['_dmarc.${Name}', { Name: 'dept.gov.uk' }] }, '_dmarc.dept.gov.uk', false],
    ['Fn::Sub escaping ${!x}', { 'Fn::Sub': 'a ${!Literal} b' }, 'a ${Literal} b', false],
    ['Fn::Select from a literal list', { 'Fn::Select': [1, ['a', 'b', 'c']] }, 'b', false],
    ['Fn::Select from Fn::Split', { 'Fn::Select': [0, { 'Fn::Split': ['.', 'dept.gov.uk'] }] }, 'dept', false],
    ['Ref AWS::NoValue', { Ref: 'AWS::NoValue' }, '', false],
    ['Ref to an SES identity is its name', { Ref: 'Identity' }, 'dept.gov.uk', false],
    ['Ref to a named configuration set is its name', { Ref: 'NamedSet' }, 'require-tls', false],
    ['Ref AWS::Region of an environment-agnostic stack', { Ref: 'AWS::Region' }, '<region>', true],
    ['Ref AWS::AccountId of an environment-agnostic stack', { Ref: 'AWS::AccountId' }, '<account>', true],
    ['Ref AWS::Partition', { Ref: 'AWS::Partition' }, '<partition>', true],
    ['Ref AWS::URLSuffix', { Ref: 'AWS::URLSuffix' }, '<url suffix>', true],
    ['Ref to a top-level parameter (its default may be overridden)', { Ref: 'DomainName' }, '<parameter DomainName>', true],
    ['Ref to a configuration set with a generated name', { Ref: 'UnnamedSet' }, '<SES configuration set UnnamedSet>', true],
    ['Ref to a hosted zone (its id)', { Ref: 'Zone' }, '<hosted zone id of Zone>', true],
    ['Ref to another resource', { Ref: 'Bucket' }, '<Ref Bucket>', true],
    ['Ref to nothing', { Ref: 'Missing' }, '<Ref Missing>', true],
    ['SES DKIM token name', { 'Fn::GetAtt': ['Identity', 'DkimDNSTokenName1'] }, '<SES DKIM token name 1>', true],
    ['SES DKIM token value (dotted form)', { 'Fn::GetAtt': 'Identity.DkimDNSTokenValue2' }, '<SES DKIM token value 2>', true],
    ['another attribute', { 'Fn::GetAtt': ['Bucket', 'Arn'] }, '<Fn::GetAtt Bucket.Arn>', true],
    ['an import with no export in scope', { 'Fn::ImportValue': 'Other:Zone' }, '<Fn::ImportValue Other:Zone>', true],
    ['Fn::If', { 'Fn::If': ['IsProd', 'a', 'b'] }, '<Fn::If>', true],
    ['a join holding a placeholder', { 'Fn::Join': ['', ['10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com']] }, '10 feedback-smtp.<region>.amazonses.com', true],
    ['Fn::Sub of a pseudo parameter', { 'Fn::Sub': 'feedback-smtp.${AWS::Region}.amazonses.com' }, 'feedback-smtp.<region>.amazonses.com', true],
    ['Fn::Sub of an attribute', { 'Fn::Sub': '${Identity.DkimDNSTokenValue3}' }, '<SES DKIM token value 3>', true],
    ['a list where a value was expected', ['a'], '<list>', true],
  ])('%s', (_name, value, expected, unresolved) => {
    expect(r.text(value, agnostic)).toEqual({ text: expected, unresolved });
  });

  test('the region and account of a placed stack are known', () => {
    expect(text({ 'Fn::Sub': 'feedback-smtp.${AWS::Region}.amazonses.com' }, placed)).toEqual({ text: 'feedback-smtp.eu-west-2.amazonses.com', unresolved: false });
    expect(text({ Ref: 'AWS::AccountId' }, placed)).toEqual({ text: '123456789012', unresolved: false });
  });

  test('a reference loop ends in a placeholder', () => {
    const loop: CfnTemplate = { Outputs: { A: { Value: { 'Fn::ImportValue': 'A' }, Export: { Name: 'A' } } } };
    const s = stack('Loop', loop);
    const result = new TemplateResolver([s]).text({ 'Fn::ImportValue': 'A' }, s);
    expect(result.unresolved).toBe(true);
    expect(result.text).toContain('<circular reference>');
  });
});

describe('TemplateResolver across stacks', () => {
  const zoneStack = stack('DeptZone', {
    Resources: { Zone: { Type: 'AWS::Route53::HostedZone', Properties: { Name: 'dept.gov.uk.' } } },
    Outputs: {
      ZoneRef: { Value: { Ref: 'Zone' }, Export: { Name: 'DeptZone:ZoneRef' } },
      ZoneName: { Value: 'dept.gov.uk', Export: { Name: { 'Fn::Sub': '${AWS::StackName}:ZoneName' } } },
      Domain: { Value: 'dept.gov.uk', Export: { Name: 'DeptZone:Domain' } },
    },
  });
  const parent = stack('App', {
    Resources: {
      Identity: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'dept.gov.uk' } },
      Child: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: { Parameters: { ZoneId: { 'Fn::ImportValue': 'DeptZone:ZoneRef' }, DomainName: 'dept.gov.uk', Token: { 'Fn::GetAtt': ['Identity', 'DkimDNSTokenName1'] } } },
      },
    },
  });
  const child = stack('App/Child', {
    Parameters: { ZoneId: { Type: 'String' }, DomainName: { Type: 'String' }, Token: { Type: 'String' }, Unpassed: { Type: 'String' } },
    Resources: {},
    Outputs: { Name: { Value: { 'Fn::Sub': '_dmarc.${DomainName}' } } },
  }, { parent: { stack: 'App', logicalId: 'Child' } });
  const r = new TemplateResolver([zoneStack, parent, child]);

  test('Fn::ImportValue takes the value another stack exports', () => {
    expect(r.text({ 'Fn::ImportValue': 'DeptZone:Domain' }, parent)).toEqual({ text: 'dept.gov.uk', unresolved: false });
  });

  test('an export whose name is not a literal is not matched', () => {
    expect(r.text({ 'Fn::ImportValue': 'DeptZone:ZoneName' }, parent).unresolved).toBe(true);
  });

  test('a nested stack\'s parameter is the value its parent passes', () => {
    expect(r.text({ 'Fn::Join': ['', ['_dmarc.', { Ref: 'DomainName' }]] }, child)).toEqual({ text: '_dmarc.dept.gov.uk', unresolved: false });
    expect(r.text({ Ref: 'Token' }, child)).toEqual({ text: '<SES DKIM token name 1>', unresolved: true });
    expect(r.text({ Ref: 'Unpassed' }, child)).toEqual({ text: '<parameter Unpassed>', unresolved: true });
  });

  test('a nested stack\'s output, read from the parent', () => {
    expect(r.text({ 'Fn::GetAtt': ['Child', 'Outputs.Name'] }, parent)).toEqual({ text: '_dmarc.dept.gov.uk', unresolved: false });
  });

  test('deref follows parameters and imports to the resource', () => {
    const ref = r.deref({ Ref: 'ZoneId' }, child);
    expect(ref?.stack.name).toBe('DeptZone');
    expect(ref?.logicalId).toBe('Zone');
    expect(ref?.resource.Type).toBe('AWS::Route53::HostedZone');
    const token = r.deref({ Ref: 'Token' }, child);
    expect([token?.stack.name, token?.logicalId, token?.attribute]).toEqual(['App', 'Identity', 'DkimDNSTokenName1']);
    expect(r.deref('Z123', child)).toBeUndefined();
    expect(r.deref({ Ref: 'Nothing' }, child)).toBeUndefined();
  });

  test('list reads literal lists, split strings and parameters holding them', () => {
    expect(r.list(['a', 'b'], parent)).toEqual(['a', 'b']);
    expect(r.list({ 'Fn::Split': [',', 'a,b'] }, parent)).toEqual(['a', 'b']);
    expect(r.list({ 'Fn::GetAZs': '' }, parent)).toBeUndefined();
  });
});
