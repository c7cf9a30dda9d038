import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { RESPOND_TO_CLOUDFORMATION, inlineCustomResource } from './private/inline-provider';
import { RAW_PREFIX } from './store';
import { addInfoNote } from '../constructs/private/annotations';
import { REPORT_RULES } from '../standard/report-rules';

/** The local parts of the two report addresses. @internal */
export const DMARC_LOCAL_PART = 'dmarc';
/** @internal */
export const TLS_LOCAL_PART = 'tls';
/** The receipt rule's name (the rule set's name is per inbox). @internal */
export const RULE_NAME = 'store-reports';

/**
 * The handler of the rule set activation: Create and Update make the rule set named in the
 * properties the active one, Delete makes none active (so the rule set can then be deleted), and
 * the outcome goes to CloudFormation's response URL. The physical id is the rule set's name.
 */
const ACTIVATION_HANDLER = `const https = require('https');
const { SESClient, SetActiveReceiptRuleSetCommand } = require('@aws-sdk/client-ses');
const ses = new SESClient({});

${RESPOND_TO_CLOUDFORMATION}

exports.handler = async (event) => {
  const name = event.ResourceProperties.RuleSetName;
  let status = 'SUCCESS';
  let reason = 'OK';
  try {
    await ses.send(new SetActiveReceiptRuleSetCommand(event.RequestType === 'Delete' ? {} : { RuleSetName: name }));
  } catch (e) {
    console.error(e);
    status = 'FAILED';
    reason = String((e && e.message) || e).slice(0, 1000);
  }
  await respond(event, status, reason, name);
};
`;

/**
 * The SES identity of the inbox's domain (`Identity`) and its default configuration set
 * (`ConfigurationSet`), in the inbox's scope. SES receives mail only for verified identities.
 * The inbox sends nothing: its default configuration set requires TLS all the same, as every
 * SES identity here does.
 * @internal
 */
export function buildIdentity(scope: Construct, domainName: string, removalPolicy: RemovalPolicy): ses.EmailIdentity {
  const configurationSet = new ses.ConfigurationSet(scope, 'ConfigurationSet', {
    tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
  });
  configurationSet.applyRemovalPolicy(removalPolicy);
  const identity = new ses.EmailIdentity(scope, 'Identity', {
    // Identity.domain, not publicHostedZone: the inbox is a subdomain, and its records are
    // published by the inbox.
    identity: ses.Identity.domain(domainName),
    configurationSet,
    dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
  });
  identity.applyRemovalPolicy(removalPolicy);
  return identity;
}

/**
 * What receiving is made with.
 * @internal
 */
export interface ReceiverProps {
  readonly domainName: string;
  readonly ruleSetName: string;
  readonly activationCommand: string;
  readonly bucket: s3.IBucket;
  readonly activate: boolean;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The receipt rule set (`RuleSet`) with its one rule (`Rule`) for the two addresses, and either
 * the activation custom resource (`RuleSetActivation`) or the output with the command that
 * activates the rule set (`ActivateRuleSetCommand`).
 * @internal
 */
export function buildReceiver(scope: Construct, props: ReceiverProps): ses.ReceiptRule {
  const ruleSet = new ses.ReceiptRuleSet(scope, 'RuleSet', { receiptRuleSetName: props.ruleSetName });
  const rule = new ses.ReceiptRule(scope, 'Rule', {
    ruleSet,
    receiptRuleName: RULE_NAME,
    recipients: [`${DMARC_LOCAL_PART}@${props.domainName}`, `${TLS_LOCAL_PART}@${props.domainName}`],
    // Reports come from large providers' servers, which all offer TLS; the reports name the
    // department's senders and failures, so they are not taken in plain text. (GOV.UK's
    // advice not to require TLS on inbound mail is for the domains' own mailboxes.)
    tlsPolicy: ses.TlsPolicy.REQUIRE,
    scanEnabled: true,
    enabled: true,
    actions: [new StoreRawMail(props.bucket.bucketName, RAW_PREFIX)],
  });
  // SES checks it may write to the bucket when the rule is created.
  rule.node.addDependency(props.bucket.policy!);
  activate(scope, props, rule);
  return rule;
}

function activate(scope: Construct, props: ReceiverProps, rule: ses.ReceiptRule): void {
  if (!props.activate) {
    const r = REPORT_RULES.ruleSetInactive;
    addInfoNote(scope, r.id, `The receipt rule set ${props.ruleSetName} is not active: run \`${props.activationCommand}\` once after deploying (it replaces any rule set active in the region), or set activateRuleSet (${r.source}).`);
    new CfnOutput(scope, 'ActivateRuleSetCommand', {
      description: 'Run once after the first deployment: makes the report inbox\'s receipt rule set the active one in the region',
      value: props.activationCommand,
    });
    return;
  }
  // The inbox's own function and role make the call, not aws-cdk-lib's AwsCustomResource:
  // that one runs in a function shared by every AwsCustomResource in the stack, and what the
  // inbox acknowledged there would be acknowledged for the department's own custom resources too.
  // (A new resource, not the AwsCustomResource changed: CloudFormation cannot change a custom
  // resource's service token or type in place. In a stack deployed with the AwsCustomResource,
  // CloudFormation deletes it after the new resource has run, and its delete call makes no rule
  // set active: the activation command is then needed once.)
  const activation = new Construct(scope, 'RuleSetActivation');
  const { resource } = inlineCustomResource(activation, {
    description: 'Sets the active SES receipt rule set at deployment (cdk-gov-email ReportInbox)',
    roleDescription: 'Makes the report inbox\'s receipt rule set the active one at deployment, and none active at deletion',
    code: ACTIVATION_HANDLER,
    statements: [new iam.PolicyStatement({
      sid: 'SetActiveReceiptRuleSet',
      actions: ['ses:SetActiveReceiptRuleSet'],
      // SetActiveReceiptRuleSet has no resource-level permissions: IAM requires "*".
      resources: ['*'],
    })],
    logsSid: 'WriteActivationLogs',
    resourceType: 'Custom::SesActiveReceiptRuleSet',
    properties: { RuleSetName: props.ruleSetName },
    logRetention: props.logRetention,
    roleFindings: [{
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:SetActiveReceiptRuleSet supports no resource-level permissions, so IAM requires "*" as its resource; the statement allows that one action only.',
    }],
    runtimeReason: 'The function runs Node.js 22, a supported LTS runtime and the one of the inbox\'s parser, so the inbox\'s two functions move to a newer runtime together; '
      + 'it is a few lines of inline code using only the runtime\'s https module and AWS SDK, run at deployment.',
  });
  resource.node.addDependency(rule);
}

/**
 * The receipt rule action that stores raw mail under a prefix. aws-cdk-lib's `S3` action adds
 * its own bucket policy statement, conditioned on the account only; the inbox writes a narrower
 * one (account and this rule's ARN) itself.
 */
class StoreRawMail implements ses.IReceiptRuleAction {
  constructor(private readonly bucketName: string, private readonly prefix: string) {}

  public bind(_rule: unknown): ses.ReceiptRuleActionConfig {
    return { s3Action: { bucketName: this.bucketName, objectKeyPrefix: this.prefix } };
  }
}
