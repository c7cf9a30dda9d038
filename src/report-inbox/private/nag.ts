import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledge cdk-nag findings on a construct (and everything under it), each with its reason.
 *
 * cdk-nag reads acknowledgements from the metadata `Validations.acknowledge()` writes. Finding
 * ids of wildcard rules name the resource, such as
 * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::bucket/raw/*]`, and hold `::` more than
 * once, which `acknowledge()` refuses as a prefixed id; so the metadata is written directly, in
 * the same form.
 * @internal
 */
export function acknowledgeFindings(scope: IConstruct, findings: Array<{ id: string; reason: string }>): void {
  const data: Record<string, string> = {};
  for (const f of findings) data[f.id] = f.reason;
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, data);
}
