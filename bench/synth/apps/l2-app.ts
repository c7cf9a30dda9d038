/**
 * The same N parked domains written by hand with aws-cdk-lib's L2 record constructs, as a user
 * would without cdk-gov-email: five record sets a domain (SPF `-all`, null MX, CAA, DMARC reject,
 * DKIM revocation), 80 domains (400 resources) a stack. Imports aws-cdk-lib only. Compiled to
 * JavaScript and run as `node l2-app.js <n>` by bench/synth/whole-process.ts.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';

const DMARC = 'v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=mailto:dmarc-reports@dept.gov.uk';
const PER_STACK = 80;

const n = Number(process.argv[2]);
const app = new App();

let stack: Stack | undefined;
for (let i = 1; i <= n; i++) {
  if ((i - 1) % PER_STACK === 0) {
    stack = new Stack(app, `Estate-L2-${(i - 1) / PER_STACK + 1}`, { env: { account: '111111111111', region: 'eu-west-2' } });
  }
  const domainName = `parked-${String(i).padStart(4, '0')}.gov.uk`;
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack!, `${domainName}Zone`, {
    hostedZoneId: `Z0BENCH${String(i).padStart(13, '0')}`,
    zoneName: domainName,
  });
  new route53.TxtRecord(stack!, `${domainName}Spf`, { zone, values: ['v=spf1 -all'] });
  new route53.MxRecord(stack!, `${domainName}NullMx`, { zone, values: [{ priority: 0, hostName: '.' }] });
  new route53.CaaRecord(stack!, `${domainName}Caa`, { zone, values: [{ flag: 0, tag: route53.CaaTag.ISSUE, value: ';' }] });
  new route53.TxtRecord(stack!, `${domainName}Dmarc`, { zone, recordName: '_dmarc', values: [DMARC] });
  new route53.TxtRecord(stack!, `${domainName}Dkim`, { zone, recordName: '*._domainkey', values: ['v=DKIM1; p='] });
}

app.synth();
