/**
 * Integ test of examples/parked-estate: a DomainPortfolio of parked domains, with live
 * assertions once deployed that Route 53 holds each record of the first domain.
 *
 * Without GOV_EMAIL_INTEG_PARKED_ZONES it synthesises the example's first 3 domains (the
 * committed snapshot); with it, the zones given (see test/integ/sandbox.ts).
 *
 * Snapshot only (no AWS account): npx integ-runner (see test/integ/README.md).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import { INTEG_ACCOUNT, INTEG_PARKED_ZONES } from './sandbox';
import { ESTATE_DMARC_REPORT_TO, ESTATE_ENV, EstateRow, parkedEstateApp, readEstateCsv } from '../../examples/parked-estate/parked-estate';
import { DomainPortfolio } from '../../src/constructs/domain-portfolio';

const rows: EstateRow[] = INTEG_PARKED_ZONES?.map((z) => ({ domain: z.zoneName, hostedZoneId: z.hostedZoneId, caa: true }))
  ?? readEstateCsv().slice(0, 3);
const app = parkedEstateApp(undefined, rows, INTEG_ACCOUNT);
const portfolio = app.node.findChild('ParkedEstate') as DomainPortfolio;

const integ = new IntegTest(app, 'ParkedEstateInteg', {
  testCases: portfolio.stacks,
  assertionStack: new Stack(app, 'ParkedEstateAssertions', { env: { ...ESTATE_ENV, account: INTEG_ACCOUNT } }),
});

const first = rows[0];
const expected: Array<[string, string, string]> = [
  [first.domain, 'TXT', '"v=spf1 -all"'],
  [first.domain, 'MX', '0 .'],
  [`_dmarc.${first.domain}`, 'TXT', `"v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=${ESTATE_DMARC_REPORT_TO}"`],
  [`*._domainkey.${first.domain}`, 'TXT', '"v=DKIM1; p="'],
];
for (const [name, type, value] of expected) {
  integ.assertions.awsApiCall('Route53', 'ListResourceRecordSets', {
    HostedZoneId: first.hostedZoneId, StartRecordName: name, StartRecordType: type, MaxItems: '1',
  }).expect(ExpectedResult.objectLike({
    // Route 53 returns the wildcard's "*" as the octal escape \052.
    ResourceRecordSets: [{ Name: `${name.replace('*', '\\052')}.`, Type: type, ResourceRecords: [{ Value: value }] }],
  }));
}

app.synth();
