import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeFindings } from './nag';

/**
 * The part every inline custom resource handler of the inbox shares: it answers CloudFormation's
 * presigned response URL (with no content type, which the URL is signed without).
 * @internal
 */
export const RESPOND_TO_CLOUDFORMATION = `function respond(event, status, reason, physicalId) {
  const body = JSON.stringify({
    Status: status, Reason: reason, PhysicalResourceId: physicalId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  return new Promise((resolve, reject) => {
    const request = https.request(event.ResponseURL, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (response) => { response.resume(); response.on('end', resolve); });
    request.on('error', reject);
    request.end(body);
  });
}`;

/**
 * One of the inbox's own deployment-time custom resources.
 * @internal
 */
export interface InlineCustomResourceOptions {
  /** The function's description. */
  readonly description: string;
  /** The role's description. */
  readonly roleDescription: string;
  /** The handler's source, `exports.handler` answering CloudFormation itself. */
  readonly code: string;
  /** The statements the handler needs besides writing its own logs, each with a `sid`. */
  readonly statements: iam.PolicyStatement[];
  /** The `sid` of the statement that lets the function write its own logs. */
  readonly logsSid: string;
  /** The custom resource's type, `Custom::<name>`. */
  readonly resourceType: string;
  /** The custom resource's properties. */
  readonly properties: Record<string, unknown>;
  /** How long the function's logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /** cdk-nag findings the role has, acknowledged with their reasons. */
  readonly roleFindings?: Array<{ id: string; reason: string }>;
  /** Why the function's runtime is the one it is (cdk-nag AwsSolutions-L1). */
  readonly runtimeReason: string;
}

/**
 * A custom resource whose handler is a few lines of inline Node.js in a function of the inbox's
 * own, with its own role and log group: under `scope`, `Logs`, `Role`, `Function` and
 * `Resource`. Not aws-cdk-lib's AwsCustomResource, whose one function is shared by every such
 * resource in the stack: what the inbox acknowledges of its own function would be acknowledged
 * for the department's custom resources too.
 * @internal
 */
export function inlineCustomResource(scope: Construct, options: InlineCustomResourceOptions):
{ resource: CustomResource; fn: lambda.Function; role: iam.Role } {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: options.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: options.roleDescription,
  });
  for (const statement of options.statements) role.addToPolicy(statement);
  role.addToPolicy(new iam.PolicyStatement({
    sid: options.logsSid,
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  }));
  const fn = new lambda.Function(scope, 'Function', {
    description: options.description,
    // The runtime of the parser: the inbox's functions move to a newer one together.
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline(options.code),
    memorySize: 128,
    timeout: Duration.minutes(1),
    role,
    logGroup,
  });
  const resource = new CustomResource(scope, 'Resource', {
    serviceToken: fn.functionArn,
    resourceType: options.resourceType,
    properties: options.properties,
  });
  if (options.roleFindings !== undefined) acknowledgeFindings(role, options.roleFindings);
  acknowledgeFindings(fn, [{ id: 'AwsSolutions-L1', reason: options.runtimeReason }]);
  return { resource, fn, role };
}

