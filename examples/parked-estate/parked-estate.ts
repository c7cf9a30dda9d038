/**
 * The parked-estate example: 250 domains a department keeps but sends no mail from, read from
 * domains.csv (fictional names), locked down with one `DomainPortfolio` over as many stacks as
 * the sharding rule gives them. The zones already exist and are imported by id: no lookups, so
 * `cdk synth` needs no AWS credentials.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { DomainPortfolio, PortfolioDomain } from 'cdk-gov-email';

/** The example's CSV: 250 fictional domains. */
export const DEFAULT_CSV = join(__dirname, 'domains.csv');

/** The estate's account and region: eu-west-2 (London). */
export const ESTATE_ENV = { account: '111111111111', region: 'eu-west-2' };

/** Where the parked domains' DMARC aggregate reports go. */
export const ESTATE_DMARC_REPORT_TO = 'mailto:dmarc-reports@dept.gov.uk';

/**
 * The stacks the estate is spread over: chosen once, for the largest estate expected. Each
 * holds up to 400 resources, about 350 parked domains allowing for the hash's unevenness, so 2
 * stacks leave room for the 250 domains to grow to about 700.
 */
export const ESTATE_SHARD_COUNT = 2;

/** One row of domains.csv. */
export interface EstateRow {
  readonly domain: string;
  readonly hostedZoneId: string;
  /** `false` for a domain that still serves a website (no CAA `0 issue ";"`). */
  readonly caa: boolean;
  /** A stack the domain is pinned to, when the sharding rule's stack is full. */
  readonly stack?: number;
}

/**
 * Read the estate's CSV: a header `domain,hosted_zone_id,caa,stack`, then one domain a line.
 * `caa` is `false` or empty; `stack` is a number or empty. Blank lines and lines starting with
 * `#` are skipped.
 */
export function readEstateCsv(file: string = DEFAULT_CSV): EstateRow[] {
  const [header, ...lines] = readFileSync(file, 'utf8').split(/\r?\n/);
  if (header.trim() !== 'domain,hosted_zone_id,caa,stack') {
    throw new Error(`${file}: the first line must be "domain,hosted_zone_id,caa,stack"; got "${header}"`);
  }
  return lines.map((line, i) => ({ line: line.trim(), number: i + 2 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
    .map(({ line, number }) => {
      const [domain, hostedZoneId, caa, stack] = line.split(',').map((f) => f.trim());
      if (!domain || !hostedZoneId || (caa !== '' && caa !== 'false') || (stack !== '' && !/^[0-9]+$/.test(stack ?? ''))) {
        throw new Error(`${file}:${number}: expected domain,hosted_zone_id,[false],[stack number]; got "${line}"`);
      }
      return { domain, hostedZoneId, caa: caa !== 'false', stack: stack ? Number(stack) : undefined };
    });
}

/** The example app, written to `outdir`. */
export function parkedEstateApp(outdir?: string, rows: EstateRow[] = readEstateCsv(), account: string = ESTATE_ENV.account): App {
  const app = new App({ outdir });
  new DomainPortfolio(app, 'ParkedEstate', {
    env: { ...ESTATE_ENV, account },
    shardCount: ESTATE_SHARD_COUNT,
    dmarcReportTo: [ESTATE_DMARC_REPORT_TO],
    domains: rows.map((r) => PortfolioDomain.parked({
      domainName: r.domain,
      hostedZoneId: r.hostedZoneId,
      caa: r.caa,
      stack: r.stack,
    })),
  });
  return app;
}
