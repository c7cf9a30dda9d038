import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CentralDmarcPolicy, ParkedDmarc } from '../../src/constructs/central-dmarc-policy';
import { DomainPortfolio, PortfolioDomain } from '../../src/constructs/domain-portfolio';
import { ParkedDomain } from '../../src/constructs/parked-domain';
import { DmarcAlignment, DmarcPolicy } from '../../src/records/dmarc';
import { Sender } from '../../src/senders/sender';
import { check } from '../nag/support';
import { TemplateLinter } from '../util/cfn-lint';
import { infos, thrownBy, warningIds, warnings } from '../util/constructs';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const REPORT = 'mailto:dmarc-reports@dept.gov.uk';
const CENTRAL = '_parked._dmarc-policy.dept.gov.uk';
const PARKED_DMARC = `v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=${REPORT}`;

/** An app with the department's zone (`Dept/DeptZone`) and an estate's zone (`Dept/EstateZone`) in one stack. */
function estate() {
  const app = new App();
  const stack = new Stack(app, 'Dept');
  const deptZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'DeptZone', { hostedZoneId: 'Z0DEPT0000000000000001', zoneName: 'dept.gov.uk' });
  const zoneOf = (name: string, id: string) => route53.HostedZone.fromHostedZoneAttributes(stack, `Zone-${name}`, { hostedZoneId: id, zoneName: name });
  return { app, stack, deptZone, zoneOf };
}

/** The record sets of the stack's record set groups, by group logical id. */
function groups(template: Template): Record<string, any[]> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::Route53::RecordSetGroup')).map(([id, r]) => [id, r.Properties.RecordSets]));
}

const errorsOf = (app: App) => thrownBy(() => app.synth());

describe('CentralDmarcPolicy: the record', () => {
  test('one TXT record set at the name given, GOV.UK\'s parked-domain record by default, exposing its name and text', () => {
    // GIVEN the department's zone
    const { stack, deptZone } = estate();
    // WHEN a central policy is published with the defaults
    const policy = new CentralDmarcPolicy(stack, 'ParkedPolicy', { zone: deptZone, recordName: '_Parked._DMARC-Policy.Dept.gov.uk.', reportTo: [REPORT] });
    const template = lint.template(stack);

    // THEN it is one TXT record set holding the parked-domain record, with no warnings
    expect(policy.recordName).toBe(CENTRAL);
    expect(policy.value).toBe(PARKED_DMARC);
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${CENTRAL}.`, Type: 'TXT', TTL: '3600', ResourceRecords: [`"${PARKED_DMARC}"`], HostedZoneId: 'Z0DEPT0000000000000001',
    });
    expect(warnings(stack)).toEqual([]);
  });

  test('weaker choices are published and noted with stable ids; p=none only with allowMonitoringOnly', () => {
    const { stack, deptZone } = estate();
    // WHEN the central policy quarantines, with relaxed alignment
    const policy = new CentralDmarcPolicy(stack, 'P', {
      zone: deptZone, recordName: CENTRAL, reportTo: [REPORT], policy: DmarcPolicy.QUARANTINE, dkimAlignment: DmarcAlignment.RELAXED,
    });
    // THEN the record says so, and the warnings name the rule each choice weakens
    expect(policy.value).toBe(`v=DMARC1; p=quarantine; sp=quarantine; np=reject; adkim=r; aspf=s; fo=1; rua=${REPORT}`);
    expect(warningIds(stack).sort()).toEqual(['GOVUK-DMARC-POLICY', 'GOVUK-DMARC-SUBDOMAIN-POLICY', 'GOVUK-PARKED-DMARC']);
    expect(warnings(stack).join('\n')).toContain('every parked domain that points at it fails GOVUK-PARKED-DMARC');
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a _dmarc name', { recordName: '_dmarc.central.dept.gov.uk' }, 'Dept/P: [DMARC-CENTRAL-RECORD-NAME]'],
    ['a name outside the zone', { recordName: '_parked._dmarc-policy.other.gov.uk' }, 'a name under the zone "dept.gov.uk"'],
    ['the zone apex', { recordName: 'dept.gov.uk' }, 'a name under the zone "dept.gov.uk"'],
    ['a label that is not a DNS label', { recordName: '_parked policy.dept.gov.uk' }, 'Got: "_parked policy.dept.gov.uk"'],
    ['p=none without allowMonitoringOnly', { policy: DmarcPolicy.NONE }, '[GOVUK-DMARC-POLICY]'],
    ['an fo option DMARC does not define', { failureOptions: ['x'] }, '[DMARC-FO-VALUE]'],
    ['no report destination', { reportTo: [] }, '[GOVUK-DMARC-RUA-MISSING]'],
    ['three report destinations', { reportTo: [REPORT, 'mailto:b@dept.gov.uk', 'mailto:c@dept.gov.uk'] }, '[GOVUK-DMARC-RUA-COUNT]'],
  ])('bad input fails synth, naming the path, the rule and the value: %s', (_what, props, message) => {
    const { stack, deptZone } = estate();
    const error = thrownBy(() => new CentralDmarcPolicy(stack, 'P', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT], ...props }));
    expect(error).toContain('Dept/P: [');
    expect(error).toContain(message);
    expect(error).toMatch(/Got: .*\. Allowed: /);
  });
});

describe('ParkedDomain with a central DMARC policy', () => {
  test('_dmarc is a CNAME to the central record, no TXT at _dmarc, the central TXT once for every domain, and no findings', () => {
    // GIVEN a central policy and three parked domains pointing at it
    const { stack, deptZone, zoneOf } = estate();
    const policy = new CentralDmarcPolicy(stack, 'ParkedPolicy', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT] });
    const names = ['old-a.gov.uk', 'old-b.gov.uk', 'old-c.gov.uk'];
    names.forEach((name, i) => new ParkedDomain(stack, name, { zone: zoneOf(name, `Z0OLD000000000000000${i}`), dmarc: ParkedDmarc.central(policy) }));
    const template = lint.template(stack);

    // THEN each domain's group holds a CNAME at _dmarc, and the one TXT is the central record
    const byGroup = groups(template);
    expect(Object.keys(byGroup)).toHaveLength(3);
    for (const name of names) {
      const sets = Object.values(byGroup).find((r) => r[0].Name === `${name}.`)!;
      expect(sets.filter((r) => r.Name === `_dmarc.${name}.`)).toEqual([{ Name: `_dmarc.${name}.`, Type: 'CNAME', TTL: '3600', ResourceRecords: [CENTRAL] }]);
    }
    const txt = Object.values(template.findResources('AWS::Route53::RecordSet'));
    expect(txt.map((r) => [r.Properties.Name, r.Properties.Type])).toEqual([[`${CENTRAL}.`, 'TXT']]);
    expect(JSON.stringify(template.toJSON())).not.toContain('"_dmarc.old-a.gov.uk.","Type":"TXT"');
    // AND the domains are judged by the central record at synth: no warning; the one note each is
    // that reports for it go to another organisational domain (dept.gov.uk), which must authorise them
    expect(warnings(stack)).toEqual([]);
    expect(infos(stack)).toEqual(names.map((name) => expect.stringContaining(`it receives DMARC reports for ${name} only if ${name}._report._dmarc.dept.gov.uk publishes TXT "v=DMARC1"`)));
  });

  test('switching from its own record keeps the one record set group and its logical id: CloudFormation updates it in place', () => {
    // GIVEN the same domain, with its own record and with the central one
    const build = (central: boolean) => {
      const { stack, deptZone, zoneOf } = estate();
      const policy = new CentralDmarcPolicy(stack, 'ParkedPolicy', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT] });
      new ParkedDomain(stack, 'Old', {
        zone: zoneOf('old.gov.uk', 'Z0OLD0000000000000001'),
        ...(central ? { dmarc: ParkedDmarc.central(policy) } : { dmarcReportTo: [REPORT] }),
      });
      return groups(lint.template(stack));
    };
    const own = build(false);
    const central = build(true);
    // THEN the group's logical id is the same, and only the _dmarc entry differs: TXT becomes CNAME
    expect(Object.keys(central)).toEqual(Object.keys(own));
    const [id] = Object.keys(own);
    const differing = own[id].map((r, i) => [r, central[id][i]]).filter(([a, b]) => JSON.stringify(a) !== JSON.stringify(b));
    expect(differing).toEqual([[
      { Name: '_dmarc.old.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: [`"${PARKED_DMARC}"`] },
      { Name: '_dmarc.old.gov.uk.', Type: 'CNAME', TTL: '3600', ResourceRecords: [CENTRAL] },
    ]]);
  });

  test('a central p=none fails synth for each pointing domain with GOVUK-PARKED-DMARC, naming the CNAME and the central record', () => {
    const { app, stack, deptZone, zoneOf } = estate();
    const policy = new CentralDmarcPolicy(stack, 'Monitor', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT], policy: DmarcPolicy.NONE, allowMonitoringOnly: true });
    new ParkedDomain(stack, 'A', { zone: zoneOf('old-a.gov.uk', 'Z0A'), dmarc: ParkedDmarc.central(policy) });
    new ParkedDomain(stack, 'B', { zone: zoneOf('old-b.gov.uk', 'Z0B'), dmarc: ParkedDmarc.central(policy) });
    const error = errorsOf(app);
    for (const domain of ['old-a.gov.uk', 'old-b.gov.uk']) {
      expect(error).toContain(`[GOVUK-PARKED-DMARC] ${domain} sends no mail, so DMARC must be p=reject; sp=reject; adkim=s; aspf=s; got: p=none, sp=none. (through the CNAME _dmarc.${domain} to ${CENTRAL}, published by Dept/Monitor)`);
    }
  });

  test('the central record may be built after the domains, and found by name', () => {
    const { app, stack, deptZone, zoneOf } = estate();
    new ParkedDomain(stack, 'A', { zone: zoneOf('old-a.gov.uk', 'Z0A'), dmarc: ParkedDmarc.central(CentralDmarcPolicy.fromRecordName(CENTRAL.toUpperCase())) });
    new CentralDmarcPolicy(stack, 'Late', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT], policy: DmarcPolicy.QUARANTINE });
    expect(errorsOf(app)).toContain('[GOVUK-PARKED-DMARC] old-a.gov.uk sends no mail, so DMARC must be p=reject; sp=reject; adkim=s; aspf=s; got: p=quarantine, sp=quarantine.');
  });

  test('a central record that is not in the app: DMARC-CENTRAL-NOT-EVALUATED, not a generic not-evaluated, and synth succeeds', () => {
    const { app, stack, zoneOf } = estate();
    new ParkedDomain(stack, 'A', { zone: zoneOf('old-a.gov.uk', 'Z0A'), dmarc: ParkedDmarc.central(CentralDmarcPolicy.fromRecordName('_parked._dmarc-policy.elsewhere.gov.uk')) });
    app.synth();
    expect(warningIds(stack)).toEqual(['DMARC-CENTRAL-NOT-EVALUATED']);
    expect(warnings(stack)[0]).toContain('_dmarc.old-a.gov.uk is a CNAME to _parked._dmarc-policy.elsewhere.gov.uk, which no CentralDmarcPolicy of this app publishes');
  });

  test('an external report destination of the central record: each pointing domain notes its own authorisation record', () => {
    const { stack, deptZone, zoneOf } = estate();
    const policy = new CentralDmarcPolicy(stack, 'P', { zone: deptZone, recordName: CENTRAL, reportTo: ['mailto:rua@reports.example.com'] });
    new ParkedDomain(stack, 'A', { zone: zoneOf('old-a.gov.uk', 'Z0A'), dmarc: ParkedDmarc.central(policy) });
    new ParkedDomain(stack, 'B', { zone: zoneOf('old-b.gov.uk', 'Z0B'), dmarc: ParkedDmarc.central(policy) });
    const notes = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('GOVUK-DMARC-REPORT-AUTHORISATION')).map((m) => [m.id, String(m.entry.data)]);
    expect(notes.map(([id]) => id)).toEqual(['/Dept/A', '/Dept/B']);
    expect(notes[0][1]).toContain('only if old-a.gov.uk._report._dmarc.reports.example.com publishes TXT "v=DMARC1"');
    expect(notes[1][1]).toContain('only if old-b.gov.uk._report._dmarc.reports.example.com publishes TXT "v=DMARC1"');
  });

  test.each<[string, (policy: CentralDmarcPolicy) => Record<string, unknown>, string]>([
    ['a central policy and dmarcReportTo', (p) => ({ dmarc: ParkedDmarc.central(p), dmarcReportTo: [REPORT] }), '[DMARC-CENTRAL-OPTIONS]'],
    ['neither a central policy nor dmarcReportTo', () => ({}), '[GOVUK-DMARC-RUA-MISSING]'],
    ['its own _dmarc name as the central record', () => ({ dmarc: ParkedDmarc.central(CentralDmarcPolicy.fromRecordName('_dmarc.old.gov.uk')) }), 'a CNAME to its own name is a loop'],
    ['a central record name that is not a DNS name', () => ({ dmarc: ParkedDmarc.central(CentralDmarcPolicy.fromRecordName('central policy.gov.uk')) }), '[DMARC-CENTRAL-RECORD-NAME]'],
  ])('bad input fails synth: %s', (_what, props, message) => {
    const { stack, deptZone, zoneOf } = estate();
    const policy = new CentralDmarcPolicy(stack, 'P', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT] });
    const error = thrownBy(() => new ParkedDomain(stack, 'Old', { zone: zoneOf('old.gov.uk', 'Z0OLD'), ...props(policy) }));
    expect(error).toContain('Dept/Old: [');
    expect(error).toContain(message);
  });
});

describe('DomainPortfolio with a central DMARC policy', () => {
  function portfolio(domains: PortfolioDomain[], extra: Record<string, unknown> = {}) {
    const app = new App();
    const central = new Stack(app, 'Central');
    const deptZone = route53.HostedZone.fromHostedZoneAttributes(central, 'DeptZone', { hostedZoneId: 'Z0DEPT0000000000000001', zoneName: 'dept.gov.uk' });
    const policy = new CentralDmarcPolicy(central, 'ParkedPolicy', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT] });
    const estateOf = new DomainPortfolio(app, 'Estate', { parkedDmarc: ParkedDmarc.central(policy), shardCount: 1, domains, ...extra });
    return { app, central, estate: estateOf };
  }
  const parked = (name: string, extra: Record<string, unknown> = {}) => PortfolioDomain.parked({ domainName: name, hostedZoneId: `Z${name.replace(/[^a-z0-9]/g, '').toUpperCase()}`, ...extra });

  test('every parked domain\'s _dmarc is a CNAME to the one record; a domain may keep its own; sending domains are untouched', () => {
    const { central, estate: e } = portfolio([
      parked('old-a.gov.uk'),
      parked('old-b.gov.uk'),
      parked('kept.gov.uk', { dmarc: ParkedDmarc.ownRecord(), dmarcReportTo: ['mailto:kept@kept.gov.uk'] }),
      PortfolioDomain.sending({ domainName: 'dept-mail.gov.uk', hostedZoneId: 'Z0SEND', senders: [Sender.custom({ name: 'Relay', spfMechanisms: ['ip4:192.0.2.0/24'] })], dmarc: { reportTo: [REPORT] } }),
    ]);
    const shard = lint.template(e.stacks[0]);
    lint.template(central);
    const sets = Object.values(groups(shard)).flat();
    expect(sets.filter((r) => r.Name.startsWith('_dmarc.')).map((r) => [r.Name, r.Type, r.ResourceRecords[0]])).toEqual([
      ['_dmarc.old-a.gov.uk.', 'CNAME', CENTRAL],
      ['_dmarc.old-b.gov.uk.', 'CNAME', CENTRAL],
      ['_dmarc.kept.gov.uk.', 'TXT', '"v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=mailto:kept@kept.gov.uk"'],
    ]);
    // The sending domain publishes its own record set at _dmarc, a TXT.
    const sending = Object.values(shard.findResources('AWS::Route53::RecordSet')).filter((r) => r.Properties.Name === '_dmarc.dept-mail.gov.uk.');
    expect(sending.map((r) => r.Properties.Type)).toEqual(['TXT']);
    expect(e.parkedDomain('old-a.gov.uk').domainName).toBe('old-a.gov.uk');
  });

  test('a parked domain with dmarcReportTo under a central portfolio policy must say it keeps its own record', () => {
    const error = thrownBy(() => portfolio([parked('old-a.gov.uk', { dmarcReportTo: [REPORT] })]));
    expect(error).toContain('Estate/Shard01/old-a.gov.uk: [DMARC-CENTRAL-OPTIONS]');
  });
});

describe('GovEmailChecks judges the domains by the central record', () => {
  test('a central p=none gives GOVUK-PARKED-DMARC on each pointing domain\'s record set group', () => {
    const { app, stack, deptZone, zoneOf } = estate();
    const policy = new CentralDmarcPolicy(stack, 'Monitor', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT], policy: DmarcPolicy.NONE, allowMonitoringOnly: true });
    new ParkedDomain(stack, 'A', { zone: zoneOf('old-a.gov.uk', 'Z0A'), dmarc: ParkedDmarc.central(policy) });
    new ParkedDomain(stack, 'B', { zone: zoneOf('old-b.gov.uk', 'Z0B'), dmarc: ParkedDmarc.central(policy) });
    const rows = check(app).filter((r) => r.rule === 'GovEmail-GOVUK-PARKED-DMARC');
    expect(rows).toEqual([
      { rule: 'GovEmail-GOVUK-PARKED-DMARC', path: 'Dept/A/Resource', level: 'error' },
      { rule: 'GovEmail-GOVUK-PARKED-DMARC', path: 'Dept/B/Resource', level: 'error' },
    ]);
  });

  test('the default central record: the pack finds nothing on the pointing domains', () => {
    const { app, stack, deptZone, zoneOf } = estate();
    const policy = new CentralDmarcPolicy(stack, 'P', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT] });
    new ParkedDomain(stack, 'A', { zone: zoneOf('old-a.gov.uk', 'Z0A'), dmarc: ParkedDmarc.central(policy) });
    expect(check(app)).toEqual([]);
  });

  test('a central record in no template of the app: the pointing domain\'s DMARC is reported not evaluated on its CNAME', () => {
    const { app, stack, zoneOf } = estate();
    new ParkedDomain(stack, 'A', { zone: zoneOf('old-a.gov.uk', 'Z0A'), dmarc: ParkedDmarc.central(CentralDmarcPolicy.fromRecordName('_p.elsewhere.gov.uk')) });
    expect(check(app)).toEqual([{ rule: 'GovEmail-GOVUK-NOT-EVALUATED', path: 'Dept/A/Resource', level: 'warning' }]);
  });
});
