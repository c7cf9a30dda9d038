import { Aws, Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';

/** Where SES stores raw mail in the bucket. @internal */
export const RAW_PREFIX = 'raw/';
/** Where the function writes parsed rows and outcomes. @internal */
export const PARSED_PREFIX = 'parsed/';
/** Where the function writes one processing record per message: what it made of it. @internal */
export const OUTCOME_PREFIX = `${PARSED_PREFIX}type=outcome/`;
/**
 * How long processing records are kept at most, in days: they say what became of each message
 * (parsed, rejected, a duplicate, rows dropped), which matters while someone is looking into a
 * report, not for as long as the rows.
 */
const OUTCOME_DAYS = 90;

/**
 * What the store is made with.
 * @internal
 */
export interface ReportStoreProps {
  /** The report bucket's fixed name (`gov-email-reports-<id>-<account>-<region>`). */
  readonly bucketName: string;
  /** Its ARN, written from the name (no reference, so SES, S3 and the function can name each other). */
  readonly bucketArnText: string;
  /** The ARN of the receipt rule that may store raw mail. */
  readonly ruleArn: string;
  /** How long objects are kept, in days (may be a token). */
  readonly retentionDays: number;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The inbox's storage.
 * @internal
 */
export interface ReportStore {
  readonly bucket: s3.Bucket;
  readonly cfnBucket: s3.CfnBucket;
  readonly accessLogs: s3.Bucket;
}

/**
 * The two buckets, `AccessLogs` and `Bucket`, in the inbox's scope: encrypted, private, TLS 1.2
 * only, objects expiring after the retention (processing records sooner); the report bucket
 * logs its access to the other, and SES may store mail in it under `raw/` for the inbox's
 * receipt rule only.
 * @internal
 */
export function buildReportStore(scope: Construct, props: ReportStoreProps): ReportStore {
  const privateBucket = (bucketId: string, name?: string) => new s3.Bucket(scope, bucketId, {
    bucketName: name,
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    lifecycleRules: [{ id: 'expire', expiration: Duration.days(props.retentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    removalPolicy: props.removalPolicy,
  });
  const accessLogs = privateBucket('AccessLogs');
  // Server access logging by bucket policy (not ACLs), for this bucket only.
  accessLogs.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowServerAccessLogsFromTheReportBucket',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [accessLogs.arnForObjects('report-bucket/*')],
    conditions: {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': props.bucketArnText },
    },
  }));
  Validations.of(accessLogs.node.defaultChild as IConstruct).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This bucket receives the report bucket\'s server access logs; logging its own access would log every log delivery, without end.',
  });

  const bucket = privateBucket('Bucket', props.bucketName);
  // Processing records: 90 days, or the retention when shorter. (When the retention is a token,
  // 90 days: S3 honours the shorter of two expirations that apply to an object.)
  const outcomeDays = Token.isUnresolved(props.retentionDays) ? OUTCOME_DAYS : Math.min(OUTCOME_DAYS, props.retentionDays);
  bucket.addLifecycleRule({ id: 'expire-processing-records', prefix: OUTCOME_PREFIX, expiration: Duration.days(outcomeDays) });
  const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
  cfnBucket.loggingConfiguration = { destinationBucketName: accessLogs.bucketName, logFilePrefix: 'report-bucket/' };
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowSesToStoreReportMail',
    principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [`${props.bucketArnText}/${RAW_PREFIX}*`],
    conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': props.ruleArn } },
  }));
  return { bucket, cfnBucket, accessLogs };
}
