/**
 * Integ test of examples/department: the MTA-STS policy host (us-east-1) and the department's
 * mail domains (eu-west-2), with live assertions once deployed: SES signs with Easy DKIM
 * (status SUCCESS) and uses the TLS-required configuration set by default, Route 53 holds the
 * DMARC and _mta-sts records, and the policy is served over HTTPS at the MTA-STS URL; the report
 * inbox's identity verifies, its policy is served, and it publishes the parked domains' report
 * authorisations.
 *
 * Snapshot only (no AWS account): npx integ-runner (see test/integ/README.md).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { INTEG_ACCOUNT, INTEG_PARKED_ZONES, INTEG_ZONE } from './sandbox';
import { DEPARTMENT_ENV, DEPT_ZONE, DepartmentMailStack, DepartmentPolicyHostStack, POLICY_HOST_ENV } from '../../examples/department/department';

const app = new App();
const zone = INTEG_ZONE ?? DEPT_ZONE;
const host = new DepartmentPolicyHostStack(app, 'DepartmentMtaSts', { env: { ...POLICY_HOST_ENV, account: INTEG_ACCOUNT } });
const mail = new DepartmentMailStack(app, 'DepartmentMail', {
  policyHost: host.host, zone, parkedZones: INTEG_PARKED_ZONES, account: INTEG_ACCOUNT,
});
const domain = mail.domain;

const integ = new IntegTest(app, 'DepartmentInteg', {
  testCases: [host, mail],
  // The assertions call SES in the mail stack's region.
  assertionStack: new Stack(app, 'DepartmentAssertions', { env: { ...DEPARTMENT_ENV, account: INTEG_ACCOUNT } }),
});
const patiently = { totalTimeout: Duration.minutes(60), interval: Duration.minutes(2) };

// SES: Easy DKIM verified (SES looks up the three CNAMEs; it can take up to 72 hours, usually
// minutes) and the TLS-required configuration set attached as the identity's default.
integ.assertions.awsApiCall('SESv2', 'GetEmailIdentity', { EmailIdentity: domain.domainName })
  .expect(ExpectedResult.objectLike({
    DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS', SigningAttributesOrigin: 'AWS_SES' },
    ConfigurationSetName: domain.sesIdentity!.configurationSet.configurationSetName,
    MailFromAttributes: { MailFromDomain: `mail.${domain.domainName}`, BehaviorOnMxFailure: 'REJECT_MESSAGE' },
  }))
  .waitForAssertions(patiently);

// Route 53: the DMARC and _mta-sts records hold the values the construct rendered.
for (const [prefix, text] of [['_dmarc.', domain.dmarc.value], ['_mta-sts.', `v=STSv1; id=${policyIdOf(domain.mtaStsPolicy!)}`]]) {
  integ.assertions.awsApiCall('Route53', 'ListResourceRecordSets', {
    HostedZoneId: zone.hostedZoneId, StartRecordName: `${prefix}${domain.domainName}`, StartRecordType: 'TXT', MaxItems: '1',
  }).expect(ExpectedResult.objectLike({
    ResourceRecordSets: [{ Name: `${prefix}${domain.domainName}.`, Type: 'TXT', ResourceRecords: [{ Value: `"${text}"` }] }],
  }));
}

// MTA-STS: the policy is served over HTTPS (RFC 8461 §3.3) once CloudFront and DNS are ready.
integ.assertions.httpApiCall(`https://mta-sts.${domain.domainName}/.well-known/mta-sts.txt`)
  .expect(ExpectedResult.objectLike({ status: 200, body: domain.mtaStsPolicy! }))
  .waitForAssertions(patiently);

// The report inbox: SES receives for it (its identity verified with Easy DKIM), its MTA-STS
// policy is served from the same host, and it publishes each parked domain's report
// authorisation (RFC 7489 §7.1).
const inbox = mail.reportInbox;
integ.assertions.awsApiCall('SESv2', 'GetEmailIdentity', { EmailIdentity: inbox.domainName })
  .expect(ExpectedResult.objectLike({ DkimAttributes: { Status: 'SUCCESS' }, VerifiedForSendingStatus: true }))
  .waitForAssertions(patiently);
integ.assertions.httpApiCall(`https://mta-sts.${inbox.domainName}/.well-known/mta-sts.txt`)
  .expect(ExpectedResult.objectLike({ status: 200, body: inbox.mtaStsPolicy! }))
  .waitForAssertions(patiently);
for (const name of inbox.reportAuthorisationNames) {
  integ.assertions.awsApiCall('Route53', 'ListResourceRecordSets', {
    HostedZoneId: zone.hostedZoneId, StartRecordName: name, StartRecordType: 'TXT', MaxItems: '1',
  }).expect(ExpectedResult.objectLike({
    ResourceRecordSets: [{ Name: `${name}.`, Type: 'TXT', ResourceRecords: [{ Value: '"v=DMARC1"' }] }],
  }));
}

function policyIdOf(policy: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../src/records/mta-sts') as typeof import('../../src/records/mta-sts')).MtaSts.policyId(policy);
}

app.synth();
