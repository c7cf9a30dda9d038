/**
 * Integ test of examples/transactional-sender: notify.<zone> sending through SES only, TLS
 * required, with live assertions once deployed: Easy DKIM SUCCESS, the TLS-required
 * configuration set as the identity's default, and the DMARC and SPF records in Route 53.
 *
 * Snapshot only (no AWS account): npx integ-runner (see test/integ/README.md).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { INTEG_ACCOUNT, INTEG_ZONE } from './sandbox';
import { DEPT_ZONE, SENDER_ENV, TransactionalSenderStack } from '../../examples/transactional-sender/transactional-sender';

const app = new App();
const zone = INTEG_ZONE ?? DEPT_ZONE;
const stack = new TransactionalSenderStack(app, 'TransactionalSender', { zone, account: INTEG_ACCOUNT });
const domain = stack.domain;

const integ = new IntegTest(app, 'TransactionalSenderInteg', {
  testCases: [stack],
  assertionStack: new Stack(app, 'TransactionalSenderAssertions', { env: { ...SENDER_ENV, account: INTEG_ACCOUNT } }),
});

integ.assertions.awsApiCall('SESv2', 'GetEmailIdentity', { EmailIdentity: domain.domainName })
  .expect(ExpectedResult.objectLike({
    DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS' },
    ConfigurationSetName: domain.sesIdentity!.configurationSet.configurationSetName,
  }))
  .waitForAssertions({ totalTimeout: Duration.minutes(60), interval: Duration.minutes(2) });

integ.assertions.awsApiCall('SESv2', 'GetConfigurationSet', { ConfigurationSetName: domain.sesIdentity!.configurationSet.configurationSetName })
  .expect(ExpectedResult.objectLike({ DeliveryOptions: { TlsPolicy: 'REQUIRE' } }));

for (const [name, value] of [[domain.domainName, 'v=spf1 -all'], [`_dmarc.${domain.domainName}`, domain.dmarc.value]]) {
  integ.assertions.awsApiCall('Route53', 'ListResourceRecordSets', {
    HostedZoneId: zone.hostedZoneId, StartRecordName: name, StartRecordType: 'TXT', MaxItems: '1',
  }).expect(ExpectedResult.objectLike({ ResourceRecordSets: [{ Name: `${name}.`, Type: 'TXT', ResourceRecords: [{ Value: `"${value}"` }] }] }));
}

app.synth();
