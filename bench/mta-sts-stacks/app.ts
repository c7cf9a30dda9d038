/**
 * A CDK app as a user writes it: an estate of receiving domains, read from a file of rows (domain,
 * hosted zone id, the Microsoft 365 tenant's MX host, and the MTA-STS distribution for the domains
 * pinned to one), in one DomainPortfolio. Compiled to JavaScript and run as
 * `node app.js <estate.json>` by bench/mta-sts-stacks/run.ts, with the environment `cdk synth`
 * gives an app; `cdk-gov-email` is the library compiled from src/.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { DomainPortfolio, PortfolioDomain, Sender } from 'cdk-gov-email';

/** One row of the estate's file. */
interface EstateRow {
  readonly domain: string;
  readonly zoneId: string;
  /** The MX host the domain's Microsoft 365 tenant gives it. */
  readonly mx: string;
  /** The MTA-STS distribution the domain is pinned to, if any. */
  readonly distribution?: number;
}

/** The estate's file: the portfolio's settings and its domains. */
interface EstateFile {
  readonly shardCount: number;
  readonly mtaStsDistributionCount: number;
  readonly domains: EstateRow[];
}

const estate: EstateFile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const app = new App();

new DomainPortfolio(app, 'Estate', {
  env: { account: '111111111111', region: 'eu-west-2' },
  shardCount: estate.shardCount,
  mtaStsDistributionCount: estate.mtaStsDistributionCount,
  domains: estate.domains.map((row) => PortfolioDomain.sending({
    domainName: row.domain,
    hostedZoneId: row.zoneId,
    senders: [Sender.microsoft365({ mx: row.mx, initialDomain: 'dept.onmicrosoft.com' })],
    dmarc: { reportTo: ['mailto:dmarc-reports@dept.gov.uk'] },
    tlsReportTo: ['mailto:tls-reports@dept.gov.uk'],
    mtaSts: row.distribution === undefined ? undefined : { distribution: row.distribution },
  })),
});

app.synth();
