/**
 * examples/transactional-sender: notify.dept.gov.uk sending through SES only, TLS required;
 * synthesised in-process, linted, snapshotted.
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ses from 'aws-cdk-lib/aws-ses';
import { outdir, review, stripHashes, synthTemplates } from './support';
import { TransactionalSenderStack, transactionalSenderApp } from '../../examples/transactional-sender/transactional-sender';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const dir = outdir('sender');
let template: Template;
beforeAll(() => {
  const templates = synthTemplates(transactionalSenderApp(dir), lint, 'transactional-sender');
  expect(Object.keys(templates)).toEqual(['TransactionalSender']);
  template = Template.fromJSON(templates.TransactionalSender);
});

describe('examples/transactional-sender', () => {
  test('an SES identity for notify.dept.gov.uk whose default configuration set requires TLS', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'notify-dept-gov-uk', DeliveryOptions: { TlsPolicy: 'REQUIRE' } });
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'notify.dept.gov.uk',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.stringLikeRegexp('^NotifySesConfigurationSet') } },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      MailFromAttributes: { MailFromDomain: 'mail.notify.dept.gov.uk', BehaviorOnMxFailure: 'REJECT_MESSAGE' },
    });
  });

  test('in the department\'s zone: SPF -all and DMARC reject with strict alignment at notify.dept.gov.uk, no MX there', () => {
    const sets = Object.values<any>(template.findResources('AWS::Route53::RecordSet')).map((r) => r.Properties);
    expect(sets.every((s) => s.HostedZoneId === 'Z0DEPT00000000000001')).toBe(true);
    const at = (name: string, type: string) => sets.filter((s) => s.Name === name && s.Type === type).map((s) => s.ResourceRecords);
    expect(at('notify.dept.gov.uk.', 'TXT')).toEqual([['"v=spf1 -all"']]);
    expect(at('notify.dept.gov.uk.', 'MX')).toEqual([]);
    expect(at('_dmarc.notify.dept.gov.uk.', 'TXT')).toEqual([['"v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=mailto:dmarc-reports@dept.gov.uk"']]);
    expect(at('mail.notify.dept.gov.uk.', 'MX')).toEqual([['10 feedback-smtp.eu-west-2.amazonses.com.']]);
    expect(sets.filter((s) => s.Type === 'CNAME')).toHaveLength(3);
  });

  test('the service may send as the domain only, through the TLS-required configuration set', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['ses:SendEmail', 'ses:SendRawEmail'],
          Condition: { StringLike: { 'ses:FromAddress': '*@notify.dept.gov.uk' } },
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-2:111111111111:identity/notify.dept.gov.uk']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-2:111111111111:configuration-set/', { Ref: Match.stringLikeRegexp('^NotifySesConfigurationSet') }]] },
          ],
        }],
      },
    });
  });

  test('TLS made optional raises the GOVUK-SES-TLS-REQUIRED warning', () => {
    const stack = transactionalSenderApp(outdir('optional'), { tlsPolicy: ses.ConfigurationSetTlsPolicy.OPTIONAL })
      .node.findChild('TransactionalSender') as TransactionalSenderStack;
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('GOVUK-SES-TLS-REQUIRED'))).toHaveLength(1);
  });

  test('is reviewed clean: exit 0, no errors', async () => {
    const result = await review(dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 domains?: 0 errors/);
  });

  test('snapshot', () => {
    expect(stripHashes(template.toJSON())).toMatchSnapshot();
  });
});
