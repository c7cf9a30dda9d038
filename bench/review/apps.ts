/**
 * The cloud assemblies `gov-email review` is timed on, synthesised with the library itself:
 *
 *   parked N   a DomainPortfolio of N parked domains (bench/synth/variants.ts: one record set
 *              group of five record sets a domain, `shardCount` = N ÷ 300 rounded up)
 *   records N  one sending domain, dept.gov.uk (a GovEmailDomain sending through Amazon SES),
 *              and N more record sets in its zone: half DKIM keys of other mail services
 *              (`<selector>._domainkey.dept.gov.uk` CNAMEs, one per service and rotation) and
 *              half service hosts (`<service>.dept.gov.uk` CNAMEs with their
 *              `_verify.<service>.dept.gov.uk` TXT ownership tokens), as record set groups of
 *              500 entries, four groups a stack, so every stack stays well under 1 MB
 */
import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { GovEmailDomain } from '../../src/constructs/gov-email-domain';
import { DmarcPolicy } from '../../src/records/dmarc';
import { Sender } from '../../src/senders/sender';
import { BENCH_ENV, REPORT_TO, buildVariant } from '../synth/variants';

/** What an assembly holds, for the table. */
export interface AssemblySpec {
  readonly kind: 'parked' | 'records';
  /** Parked domains, or extra record sets of the one domain. */
  readonly n: number;
}

export const DEPT = { hostedZoneId: 'Z0DEPT00000000000001', zoneName: 'dept.gov.uk' };
/** Entries in one record set group (Route 53 takes up to 1,000 changes in one batch). */
const PER_GROUP = 500;
const GROUPS_PER_STACK = 4;

/** A label for the assembly, e.g. `3,000 parked domains`. */
export function labelOf(spec: AssemblySpec): string {
  return spec.kind === 'parked'
    ? `${spec.n.toLocaleString('en-GB')} parked domains`
    : `1 domain, ${spec.n.toLocaleString('en-GB')} extra records`;
}

/** Synthesise the assembly into `outdir`. */
export function synthAssembly(spec: AssemblySpec, outdir: string): void {
  const app = new App({ outdir });
  if (spec.kind === 'parked') {
    buildVariant(app, 'portfolio', spec.n);
  } else {
    buildManyRecords(app, spec.n);
  }
  app.synth();
}

/** The `i`-th extra record set of dept.gov.uk (0-based): a DKIM CNAME, a service CNAME or its TXT token. */
export function extraRecord(i: number): route53.CfnRecordSetGroup.RecordSetProperty {
  const n = String(Math.floor(i / 2) + 1).padStart(5, '0');
  if (i % 2 === 0) {
    return { name: `s${n}._domainkey.${DEPT.zoneName}.`, type: 'CNAME', ttl: '3600', resourceRecords: [`s${n}.dkim.mail-service-${n}.example.`] };
  }
  if (i % 4 === 1) {
    return { name: `service-${n}.${DEPT.zoneName}.`, type: 'CNAME', ttl: '300', resourceRecords: [`service-${n}.cloudapps.example.`] };
  }
  return { name: `_verify.service-${n}.${DEPT.zoneName}.`, type: 'TXT', ttl: '300', resourceRecords: [`"service-verification=${n}0f3c9a7e21"`] };
}

function buildManyRecords(app: App, n: number): void {
  const stack = new Stack(app, 'Dept', { env: BENCH_ENV });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', DEPT);
  new GovEmailDomain(stack, 'Mail', {
    zone,
    senders: [Sender.amazonSes()],
    dmarc: { policy: DmarcPolicy.REJECT, reportTo: [REPORT_TO] },
    tlsReportTo: ['mailto:tls-reports@dept.gov.uk'],
    allowMissingMtaSts: true,
  });
  let recordStack: Stack | undefined;
  for (let start = 0, g = 0; start < n; start += PER_GROUP, g++) {
    if (g % GROUPS_PER_STACK === 0) recordStack = new Stack(app, `DeptRecords${g / GROUPS_PER_STACK + 1}`, { env: BENCH_ENV });
    const recordSets = Array.from({ length: Math.min(PER_GROUP, n - start) }, (_, k) => extraRecord(start + k));
    new route53.CfnRecordSetGroup(recordStack!, `Records${g + 1}`, { hostedZoneId: DEPT.hostedZoneId, recordSets });
  }
}
