/**
 * examples/department: synthesised in-process, linted, snapshotted, and reviewed with
 * `gov-email review` as the README's review step does.
 */
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { outdir, review, stripHashes, synthTemplates } from './support';
import { DepartmentMailStack, DepartmentPolicyHostStack, NO_ACCESS_LOGS_REASON, departmentApp } from '../../examples/department/department';
import { DmarcPolicy } from '../../src/records/dmarc';
import { Finding } from '../../src/records/finding';
import { MtaStsMode } from '../../src/records/mta-sts';
import { policiesInPolicyHostCode } from '../../src/records/private/mta-sts-host-code';
import { ensureParserBundle } from '../report-inbox/support/bundle';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

interface DomainJson { readonly domain: string; readonly findings: Finding[] }
const key = (d: string, f: Finding) => `${d} ${f.severity} ${f.ruleId} ${f.message}`;
const findings = async (dir: string) => (JSON.parse((await review(dir, '--format', 'json')).stdout).domains as DomainJson[])
  .flatMap((d) => d.findings.map((f) => key(d.domain, f)));

const clean = outdir('clean');
const weak = outdir('weak-dmarc');
let templates: Record<string, any>;

beforeAll(() => {
  ensureParserBundle();
  templates = synthTemplates(departmentApp(clean), lint, 'department');
  departmentApp(weak, { dmarcPolicy: DmarcPolicy.NONE, allowMonitoringOnly: true }).synth();
});

describe('examples/department', () => {
  test('two stacks: the MTA-STS policy host in us-east-1, the mail domains in eu-west-2, deployed in that order', () => {
    const assembly = departmentApp(outdir('order')).synth();
    expect(assembly.stacks.map((s) => [s.stackName, s.environment.region])).toEqual([
      ['DepartmentMtaSts', 'us-east-1'],
      ['DepartmentMail', 'eu-west-2'],
    ]);
    expect(assembly.getStackByName('DepartmentMail').dependencies.map((d) => d.id)).toContain('DepartmentMtaSts');
  });

  test('MTA-STS starts in testing mode, served by CloudFront at mta-sts.dept.gov.uk, with the _mta-sts id published', () => {
    const host = templates.DepartmentMtaSts.Resources;
    const fn = Object.values<any>(host).find((r) => r.Type === 'AWS::CloudFront::Function');
    expect(policiesInPolicyHostCode(fn.Properties.FunctionCode)?.find((p) => p.domain === 'dept.gov.uk')?.body).toContain('mode: testing');
    const distribution = Object.values<any>(host).find((r) => r.Type === 'AWS::CloudFront::Distribution');
    // One distribution serves the department's policy and the report inbox's.
    expect(distribution.Properties.DistributionConfig.Aliases).toEqual(['mta-sts.reports.dept.gov.uk', 'mta-sts.dept.gov.uk']);
    expect(distribution.Properties.DistributionConfig.ViewerCertificate.MinimumProtocolVersion).toBe('TLSv1.2_2021');
    const mtaSts = Object.values<any>(templates.DepartmentMail.Resources).find((r) => r.Properties?.Name === '_mta-sts.dept.gov.uk.');
    expect(mtaSts.Properties.ResourceRecords[0]).toMatch(/^"v=STSv1; id=[0-9a-f]{32}"$/);
  });

  test('testing mode raises the GOVUK-MTASTS-MODE warning; enforce mode does not', () => {
    const testing = departmentApp(outdir('testing')).node.findChild('DepartmentMail') as DepartmentMailStack;
    const enforce = departmentApp(outdir('enforce'), { mtaStsMode: MtaStsMode.ENFORCE }).node.findChild('DepartmentMail') as DepartmentMailStack;
    const modeWarnings = (s: DepartmentMailStack) => Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('GOVUK-MTASTS-MODE'));
    expect(modeWarnings(testing)).toHaveLength(1);
    expect(modeWarnings(enforce)).toEqual([]);
    expect(enforce.domain.mtaStsPolicy).toBe('version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmax_age: 1209600\r\n');
  });

  test('is reviewed clean by gov-email review: exit 0, no errors', async () => {
    const result = await review(clean);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((await findings(clean)).filter((f) => f.includes(' error '))).toEqual([]);
    expect(result.stdout).toContain('4 domains: 0 errors');
  });

  test('with a weakened DMARC policy (p=none), review reports exactly GOVUK-DMARC-POLICY more, and exits 1', async () => {
    const before = await findings(clean);
    const after = await findings(weak);
    expect(before.filter((f) => !after.includes(f))).toEqual([]);
    expect(after.filter((f) => !before.includes(f)).map((f) => f.split(' ').slice(0, 3).join(' '))).toEqual(['dept.gov.uk error GOVUK-DMARC-POLICY']);
    expect((await review(weak)).code).toBe(1);
  });

  test('every domain reports to the department\'s own inbox, which authorises the parked domains and enforces MTA-STS', () => {
    const mail = Object.values<any>(templates.DepartmentMail.Resources);
    const txt = (name: string) => mail.find((r) => r.Type === 'AWS::Route53::RecordSet' && r.Properties.Name === name && r.Properties.Type === 'TXT')
      ?.Properties.ResourceRecords;
    expect(txt('_dmarc.dept.gov.uk.')[0]).toContain('rua=mailto:dmarc@reports.dept.gov.uk"');
    expect(txt('_smtp._tls.dept.gov.uk.')).toEqual(['"v=TLSRPTv1; rua=mailto:tls@reports.dept.gov.uk"']);
    const parkedDmarc = mail.filter((r) => r.Type === 'AWS::Route53::RecordSetGroup')
      .flatMap((g) => g.Properties.RecordSets).filter((rs: any) => rs.Name.startsWith('_dmarc.'));
    expect(parkedDmarc.map((rs: any) => rs.ResourceRecords[0])).toEqual([
      expect.stringContaining('rua=mailto:dmarc@reports.dept.gov.uk"'),
      expect.stringContaining('rua=mailto:dmarc@reports.dept.gov.uk"'),
    ]);
    // RFC 7489 §7.1: the parked domains are other organisational domains, so the inbox says it
    // takes their reports; dept.gov.uk is the inbox's own organisational domain and needs none.
    expect(txt('old-dept.gov.uk._report._dmarc.reports.dept.gov.uk.')).toEqual(['"v=DMARC1"']);
    expect(txt('dept-campaign.gov.uk._report._dmarc.reports.dept.gov.uk.')).toEqual(['"v=DMARC1"']);
    expect(txt('dept.gov.uk._report._dmarc.reports.dept.gov.uk.')).toBeUndefined();
    expect(mail.find((r) => r.Type === 'AWS::SES::ReceiptRule').Properties.Rule.TlsPolicy).toBe('Require');
    const stack = departmentApp(outdir('inbox')).node.findChild('DepartmentMail') as DepartmentMailStack;
    expect(stack.reportInbox.mtaStsPolicy).toContain('mode: enforce');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('GOVUK-DMARC-REPORT-AUTHORISATION|REPORT-INBOX'))).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no unacknowledged error in either stack; CFR3 (no access logs) acknowledged on the distribution alone', () => {
    // Synthesis applies the example's aspects, as `cdk synth` does before validation plugins run.
    const app = departmentApp(outdir('nag'));
    synthTemplates(app, lint, 'department-nag');
    const violations = new AwsSolutionsChecks().validateScope(app).violations;
    expect(violations.filter((v) => v.severity === 'error')).toEqual([]);
    // What remains are the suggestions of geo restriction and a WAF, warnings for a public policy file.
    expect(violations.map((v) => `${v.severity} ${v.ruleName}`).sort()).toEqual(['warning AwsSolutions-CFR1', 'warning AwsSolutions-CFR2']);

    // Acknowledgements as `Validations.acknowledge()` records them (the id may carry a `<prefix>::`).
    const cfr3 = (c: IConstruct) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>)).filter(([id]) => /(^|::)AwsSolutions-CFR3$/.test(id)).map(([, reason]) => reason);
    const acknowledging = app.node.findAll().filter((c) => cfr3(c).length > 0);
    const host = app.node.findChild('DepartmentMtaSts') as DepartmentPolicyHostStack;
    expect(acknowledging.length).toBe(host.host.distributions.length);
    acknowledging.forEach((c, i) => expect(c).toBe(host.host.distributions[i]));
    expect(acknowledging.map((c) => c.node.path)).toEqual(['DepartmentMtaSts/MtaSts/Shard1/Distribution']);
    expect(acknowledging.every((c) => c instanceof cloudfront.Distribution)).toBe(true);
    const reasons = acknowledging.flatMap(cfr3);
    expect(reasons).toEqual([NO_ACCESS_LOGS_REASON]);
  });

  test('snapshot', () => {
    expect(stripHashes(templates)).toMatchSnapshot();
  });
});
