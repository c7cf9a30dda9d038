/**
 * Integ test for a sandbox account: deploys a ReportInbox, sends it a DMARC aggregate report
 * with SES, and waits for the parser's row to appear under parsed/type=dmarc/ and for the
 * report's messages to appear in the inbox's DmarcMessages metric for the domain. The message is
 * sent from the inbox's own verified domain, so SES signs it with that domain's DKIM key and
 * the inbox trusts it as authenticated (only authenticated reports feed the metrics).
 *
 * It needs a public hosted zone in the account, delegated so that mail finds its MX, in a
 * region where SES receives email:
 *
 *   INTEG_ZONE_ID=Z0123456789 INTEG_ZONE_NAME=integ.dept.gov.uk npx integ-runner --directory test/integ --language typescript \
 *     --app "npx ts-node --project test/tsconfig.json --transpile-only {filePath}" --profiles sandbox --force integ.report-inbox.ts
 *
 * The inbox activates its rule set (the account's active rule set in the region is replaced for
 * the test) and its buckets are destroyed with the stack. Without the variables, the snapshot is
 * synthesised with placeholders.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ReportInbox } from '../../src/report-inbox';

const REGION = process.env.INTEG_REGION ?? 'eu-west-2';
const ZONE_ID = process.env.INTEG_ZONE_ID ?? 'Z00000000000000000000';
const ZONE_NAME = process.env.INTEG_ZONE_NAME ?? 'integ.example.gov.uk';

const app = new App();
const stack = new Stack(app, 'ReportInboxInteg', { env: { region: REGION } });
const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: ZONE_NAME });
const inbox = new ReportInbox(stack, 'Inbox', {
  zone,
  address: 'reports',
  domains: [ZONE_NAME],
  activateRuleSet: true,
  retention: Duration.days(1),
  removalPolicy: RemovalPolicy.DESTROY,
  // A short-lived sandbox inbox: no policy host is deployed for it.
  allowMissingMtaSts: true,
});

/** A Google-shaped report about the zone's domain, gzipped and mailed from the inbox's own verified domain. */
function reportMessage(): string {
  const xml = readFileSync(join(__dirname, '..', 'fixtures', 'reports', 'source', 'google-dept-2026-05-01.xml'), 'utf8')
    .replace(/<domain>dept\.gov\.uk<\/domain>/g, `<domain>${ZONE_NAME}</domain>`)
    .replace(/<header_from>dept\.gov\.uk<\/header_from>/g, `<header_from>${ZONE_NAME}</header_from>`);
  const attachment = gzipSync(xml).toString('base64').replace(/.{1,76}/g, (l) => `${l}\r\n`).trimEnd();
  return [
    `From: integ@${inbox.domainName}`,
    `To: dmarc@${inbox.domainName}`,
    `Subject: Report Domain: ${ZONE_NAME} Submitter: integ Report-ID: <integ>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="integ"',
    '',
    '--integ',
    'Content-Type: application/gzip; name="integ!report.xml.gz"',
    'Content-Transfer-Encoding: base64',
    '',
    attachment,
    '--integ--',
    '',
  ].join('\r\n');
}

const integ = new IntegTest(app, 'ReportInbox', {
  testCases: [stack],
  // In the inbox's region, so the assertions can refer to its bucket.
  assertionStack: new Stack(app, 'ReportInboxIntegAssertions', { env: { region: REGION } }),
  regions: [REGION],
  diffAssets: false,
  stackUpdateWorkflow: false,
});

// Retried until SES has verified the inbox's identity (its DKIM records are in the zone), which
// can take some minutes after deployment.
const send = integ.assertions.awsApiCall('SES', 'sendRawEmail', {
  Source: `integ@${inbox.domainName}`,
  Destinations: [`dmarc@${inbox.domainName}`],
  RawMessage: { Data: reportMessage() },
}).expect(ExpectedResult.objectLike({ MessageId: Match.stringLikeRegexp('.+') })).waitForAssertions({
  totalTimeout: Duration.minutes(30),
  interval: Duration.minutes(1),
});

const parsed = integ.assertions.awsApiCall('S3', 'listObjectsV2', {
  Bucket: inbox.bucket.bucketName,
  Prefix: 'parsed/type=dmarc/',
}).expect(ExpectedResult.objectLike({ KeyCount: 1 })).waitForAssertions({
  totalTimeout: Duration.minutes(15),
  interval: Duration.seconds(30),
});
// ListObjectsV2 is authorised by s3:ListBucket, which the provider cannot derive from the API name.
parsed.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [inbox.bucket.bucketArn] });

// The metric appears once the function has put a value for the domain: ListMetrics lists it
// within minutes of the first PutMetricData.
const metric = integ.assertions.awsApiCall('CloudWatch', 'listMetrics', {
  Namespace: inbox.metricNamespace,
  MetricName: 'DmarcMessages',
  Dimensions: [{ Name: 'Domain', Value: ZONE_NAME.toLowerCase() }],
}).expect(ExpectedResult.objectLike({
  Metrics: Match.arrayWith([Match.objectLike({ MetricName: 'DmarcMessages' })]),
})).waitForAssertions({
  totalTimeout: Duration.minutes(30),
  interval: Duration.minutes(1),
});

send.next(parsed).next(metric);
app.synth();
