/**
 * The three ways of writing N parked domains that the synthesis benchmark compares, each as a
 * function that builds the app (no synth): DomainPortfolio, the same records hand-written with
 * aws-cdk-lib L2 constructs (TxtRecord, MxRecord, CaaRecord), and with raw L1 CfnRecordSets.
 * Every variant publishes the same five record sets per domain, and keeps every stack within
 * 400 resources.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DomainPortfolio, PortfolioDomain } from '../../src/constructs/domain-portfolio';

export const VARIANTS = ['portfolio', 'l2', 'l1'] as const;
export type Variant = typeof VARIANTS[number];

/** The account and region of every variant's stacks. */
export const BENCH_ENV = { account: '111111111111', region: 'eu-west-2' };
/** Every stack of every variant holds at most this many resources. */
export const MAX_RESOURCES = 400;
export const REPORT_TO = 'mailto:dmarc-reports@dept.gov.uk';
const DMARC = `v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=${REPORT_TO}`;

/** N fictional parked domains, each the apex of its own zone. */
export function benchDomains(n: number): Array<{ domainName: string; hostedZoneId: string }> {
  return Array.from({ length: n }, (_, i) => ({
    domainName: `parked-${String(i + 1).padStart(4, '0')}.gov.uk`,
    hostedZoneId: `Z0BENCH${String(i + 1).padStart(13, '0')}`,
  }));
}

/** shardCount for N parked domains: the estate's size with room to grow (300 a stack on average). */
export function benchShardCount(n: number): number {
  return Math.max(1, Math.ceil(n / 300));
}

export function buildVariant(app: App, variant: Variant, n: number): void {
  const domains = benchDomains(n);
  if (variant === 'portfolio') {
    new DomainPortfolio(app, 'Estate', {
      env: BENCH_ENV,
      shardCount: benchShardCount(n),
      dmarcReportTo: [REPORT_TO],
      domains: domains.map((d) => PortfolioDomain.parked(d)),
    });
    return;
  }
  // Hand-written: 5 resources a domain, so 80 domains a stack, filled in order.
  const perStack = Math.floor(MAX_RESOURCES / 5);
  let stack: Stack | undefined;
  domains.forEach((d, i) => {
    if (i % perStack === 0) stack = new Stack(app, `Estate-${variant.toUpperCase()}-${i / perStack + 1}`, { env: BENCH_ENV });
    const s = stack!;
    const id = d.domainName;
    if (variant === 'l2') {
      const zone = route53.HostedZone.fromHostedZoneAttributes(s, `${id}Zone`, { hostedZoneId: d.hostedZoneId, zoneName: d.domainName });
      new route53.TxtRecord(s, `${id}Spf`, { zone, values: ['v=spf1 -all'] });
      new route53.MxRecord(s, `${id}NullMx`, { zone, values: [{ priority: 0, hostName: '.' }] });
      new route53.CaaRecord(s, `${id}Caa`, { zone, values: [{ flag: 0, tag: route53.CaaTag.ISSUE, value: ';' }] });
      new route53.TxtRecord(s, `${id}Dmarc`, { zone, recordName: '_dmarc', values: [DMARC] });
      new route53.TxtRecord(s, `${id}Dkim`, { zone, recordName: '*._domainkey', values: ['v=DKIM1; p='] });
    } else {
      const rs = (suffix: string, name: string, type: string, value: string) => new route53.CfnRecordSet(s, `${id}${suffix}`, {
        hostedZoneId: d.hostedZoneId, name: `${name}${d.domainName}.`, type, ttl: '3600', resourceRecords: [value],
      });
      rs('Spf', '', 'TXT', '"v=spf1 -all"');
      rs('NullMx', '', 'MX', '0 .');
      rs('Caa', '', 'CAA', '0 issue ";"');
      rs('Dmarc', '_dmarc.', 'TXT', `"${DMARC}"`);
      rs('Dkim', '*._domainkey.', 'TXT', '"v=DKIM1; p="');
    }
  });
}
