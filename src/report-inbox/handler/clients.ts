/** The AWS clients of the inbox function, made once per container. */
// The Lambda runtime provides the AWS SDK; the bundle keeps it external (a development dependency, as for the entry point).
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
// The Lambda runtime provides the AWS SDK; the bundle keeps it external (a development dependency, as for the entry point).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
// The Lambda runtime provides the AWS SDK; the bundle keeps it external (a development dependency, as for the entry point).
import { S3Client } from '@aws-sdk/client-s3';

let clients: { s3: S3Client; cloudwatch: CloudWatchClient; dynamodb: DynamoDBClient } | undefined;

export function aws(): { s3: S3Client; cloudwatch: CloudWatchClient; dynamodb: DynamoDBClient } {
  clients ??= { s3: new S3Client({}), cloudwatch: new CloudWatchClient({}), dynamodb: new DynamoDBClient({}) };
  return clients;
}
