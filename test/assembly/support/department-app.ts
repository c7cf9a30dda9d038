/**
 * A department's email written with plain aws-cdk-lib constructs (not this library's), synthesised
 * into a real cloud assembly for `gov-email review` to read: a zone stack, a mail stack that
 * imports the zone across stacks, an MTA-STS policy host, and a stage holding a nested stack with
 * a parked domain as one `CfnRecordSetGroup`.
 */
import { App, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { MtaSts } from '../../../src/records/mta-sts';
import { DEPT, DMARC, ENV, MX_HOST, POLICY, SPF, TLS_RPT, policyHost, sesIdentity } from '../../nag/support';

export { DEPT, MX_HOST, POLICY };

export interface DepartmentOptions {
  /** The DMARC record; the default meets the standard. */
  readonly dmarc?: string;
  /** The configuration set's TLS policy. */
  readonly tlsPolicy?: ses.ConfigurationSetTlsPolicy;
}

export const GOOD_DMARC = DMARC;
export const WEAK_DMARC = 'v=DMARC1; p=none; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@dept.gov.uk';

/** Synthesise the department app into `outdir`. */
export function synthDepartment(outdir: string, options: DepartmentOptions = {}): void {
  const app = new App({ outdir });

  const dns = new Stack(app, 'DeptDns', { env: ENV });
  const zone = new route53.PublicHostedZone(dns, 'Zone', { zoneName: DEPT });
  new route53.TxtRecord(dns, 'Apex', { zone, values: [SPF, 'MS=ms12345678'] });
  new route53.MxRecord(dns, 'Mx', { zone, values: [{ priority: 0, hostName: MX_HOST }] });
  new route53.TxtRecord(dns, 'Dmarc', { zone, recordName: '_dmarc', values: [options.dmarc ?? GOOD_DMARC] });

  const mail = new Stack(app, 'DeptMail', { env: ENV });
  new route53.TxtRecord(mail, 'MtaSts', { zone, recordName: '_mta-sts', values: [`v=STSv1; id=${MtaSts.policyId(POLICY)}`] });
  new route53.TxtRecord(mail, 'TlsRpt', { zone, recordName: '_smtp._tls', values: [TLS_RPT] });
  sesIdentity(mail, zone, { tlsPolicy: options.tlsPolicy });
  policyHost(mail, zone, POLICY);

  const prod = new Stage(app, 'Prod');
  const parked = new Stack(prod, 'Parked', { env: ENV });
  const records = new NestedStack(parked, 'Records');
  new route53.CfnRecordSetGroup(records, 'OldDept', {
    hostedZoneName: 'old-dept.gov.uk.',
    recordSets: [
      { name: 'old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=spf1 -all"'] },
      { name: 'old-dept.gov.uk.', type: 'MX', ttl: '86400', resourceRecords: ['0 .'] },
      { name: 'old-dept.gov.uk.', type: 'CAA', ttl: '86400', resourceRecords: ['0 issue ";"'] },
      { name: '_dmarc.old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@old-dept.gov.uk"'] },
      { name: '*._domainkey.old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=DKIM1; p="'] },
    ],
  });

  app.synth();
}
