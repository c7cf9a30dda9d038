/**
 * A CDK app as a user writes it: N parked domains in one DomainPortfolio. Compiled to JavaScript
 * and run as `node portfolio-app.js <n>` by bench/synth/whole-process.ts, with the environment
 * `cdk synth` gives an app; `cdk-gov-email` is the library compiled from src/.
 */
import { App } from 'aws-cdk-lib';
import { DomainPortfolio, PortfolioDomain } from 'cdk-gov-email';

const n = Number(process.argv[2]);
const app = new App();

const domains: PortfolioDomain[] = [];
for (let i = 1; i <= n; i++) {
  domains.push(PortfolioDomain.parked({
    domainName: `parked-${String(i).padStart(4, '0')}.gov.uk`,
    hostedZoneId: `Z0BENCH${String(i).padStart(13, '0')}`,
  }));
}

new DomainPortfolio(app, 'Estate', {
  env: { account: '111111111111', region: 'eu-west-2' },
  // The estate's size with room to grow: 300 domains a stack on average.
  shardCount: Math.max(1, Math.ceil(n / 300)),
  dmarcReportTo: ['mailto:dmarc-reports@dept.gov.uk'],
  domains,
});

app.synth();
