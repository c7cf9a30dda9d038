import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ParkedDomain } from '../../../src/constructs';
import { ENV, check, department, triples, zoneStack } from '../support';

const PARKED = 'old-dept.gov.uk';

/** A parked domain as one CfnRecordSetGroup (`Parked/OldDept`), to the standard unless told otherwise. */
function parked(recordSets: Partial<Record<'spf' | 'mx' | 'caa' | 'dmarc' | 'dkim', string | null>> = {}): App {
  const app = new App();
  const stack = new Stack(app, 'Parked', { env: ENV });
  const values = {
    spf: '"v=spf1 -all"',
    mx: '0 .',
    caa: '0 issue ";"',
    dmarc: '"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@old-dept.gov.uk"',
    dkim: '"v=DKIM1; p="',
    ...recordSets,
  };
  const entries: Array<[string, string, string | null]> = [
    [`${PARKED}.`, 'TXT', values.spf],
    [`${PARKED}.`, 'MX', values.mx],
    [`${PARKED}.`, 'CAA', values.caa],
    [`_dmarc.${PARKED}.`, 'TXT', values.dmarc],
    [`*._domainkey.${PARKED}.`, 'TXT', values.dkim],
  ];
  new route53.CfnRecordSetGroup(stack, 'OldDept', {
    hostedZoneName: `${PARKED}.`,
    recordSets: entries.filter(([, , v]) => v !== null).map(([name, type, v]) => ({ name, type, ttl: '86400', resourceRecords: [v!] })),
  });
  return app;
}

describe('A domain that sends and receives no mail says so', () => {
  test('Noncompliance 1: SPF ~all instead of -all', () => {
    const app = parked({ spf: '"v=spf1 ~all"' });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-PARKED-SPF', 'Parked/OldDept', 'error']]);
  });
  test('Noncompliance 2: DMARC with relaxed alignment', () => {
    const app = parked({ dmarc: '"v=DMARC1; p=reject; sp=reject; rua=mailto:d@old-dept.gov.uk"' });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-PARKED-DMARC', 'Parked/OldDept', 'error']]);
  });
  test('Noncompliance 3: no revoked wildcard DKIM key, and no null MX', () => {
    const app = parked({ dkim: null, mx: null });
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-PARKED-DKIM', 'Parked/OldDept', 'warning'],
      ['GovEmail-GOVUK-PARKED-MX', 'Parked/OldDept', 'error'],
    ]);
  });
  test('Compliance: no CAA is info only, not reported', () => {
    expect(check(parked({ caa: null }))).toEqual([]);
  });
  test('Compliance: this library\'s ParkedDomain, out of the box', () => {
    const { app, stack, zone } = zoneStack('Parked');
    new ParkedDomain(stack, 'Old', { zone, dmarcReportTo: ['mailto:dmarc-reports@dept.gov.uk'] });
    expect(check(app)).toEqual([]);
  });
});

describe('MX records are well formed, and a null MX stands alone', () => {
  test('Noncompliance 1: a null MX beside another MX', () => {
    const { app } = department({ mx: [{ priority: 0, hostName: '.' }, { priority: 10, hostName: 'mx.dept.gov.uk' }] });
    expect(triples(check(app))).toEqual([
      ['GovEmail-MTASTS-MX-NOT-COVERED', 'Dept/PolicyFunction/Resource', 'error'],
      ['GovEmail-MX-NULL-NOT-ALONE', 'Dept/Mx/Resource', 'error'],
    ]);
  });
  test('Noncompliance 2: an IP address as the exchange', () => {
    const { app } = department({ mx: [{ priority: 10, hostName: '192.0.2.1' }], policy: null, mtaStsTxt: null });
    expect(triples(check(app))).toEqual([
      ['GovEmail-GOVUK-MTASTS-MISSING', 'Dept/Mx/Resource', 'error'],
      ['GovEmail-MX-EXCHANGE-IP', 'Dept/Mx/Resource', 'error'],
    ]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('TXT values Route 53 and resolvers can hold', () => {
  test('Noncompliance 1: a character-string over 255 octets, written unsplit', () => {
    const { app, stack, zone } = zoneStack();
    department({ apexTxt: null }, { stack, zone });
    new route53.CfnRecordSet(stack, 'Apex', {
      hostedZoneId: zone.hostedZoneId,
      name: 'dept.gov.uk.',
      type: 'TXT',
      ttl: '3600',
      resourceRecords: [`"v=spf1 include:spf.protection.outlook.com ${'ip4:192.0.2.1 '.repeat(20)}-all"`],
    });
    expect(triples(check(app))).toEqual([['GovEmail-TXT-STRING-LENGTH', 'Dept/Apex', 'error']]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});

describe('One record set per name and type in a zone', () => {
  test('Noncompliance 1: SPF and a verification token as two record sets at the apex: reported on both', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    new route53.TxtRecord(stack, 'Verification', { zone, values: ['MS=ms12345678'] });
    expect(triples(check(app))).toEqual([
      ['GovEmail-ROUTE53-RECORD-CONFLICT', 'Dept/Spf/Resource', 'error'],
      ['GovEmail-ROUTE53-RECORD-CONFLICT', 'Dept/Verification/Resource', 'error'],
    ]);
  });
  test('Noncompliance 2: the same record set in two stacks of the app', () => {
    const app = new App();
    for (const id of ['One', 'Two']) {
      const stack = new Stack(app, id, { env: ENV });
      const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'dept.gov.uk' });
      new route53.TxtRecord(stack, 'Dmarc', { zone, recordName: '_dmarc', values: ['v=DMARC1; p=reject; rua=mailto:d@dept.gov.uk'] });
    }
    expect(triples(check(app).filter((r) => r.rule === 'GovEmail-ROUTE53-RECORD-CONFLICT'))).toEqual([
      ['GovEmail-ROUTE53-RECORD-CONFLICT', 'One/Dmarc/Resource', 'error'],
      ['GovEmail-ROUTE53-RECORD-CONFLICT', 'Two/Dmarc/Resource', 'error'],
    ]);
  });
  test('Compliance', () => {
    expect(check(department().app)).toEqual([]);
  });
});
