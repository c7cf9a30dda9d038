import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import { NagRuleCompliance } from 'cdk-nag';
import { DEPT, DMARC, ENV, SPF, check, department, rows, triples, zoneStack } from './support';
import { ASSEMBLY_RULES } from '../../src/assembly/domains';
import { GovEmailDomain, ParkedDomain, SesSendingIdentity } from '../../src/constructs';
import { MtaStsPolicyHost } from '../../src/constructs/mta-sts-policy-host';
import { GovEmailChecks } from '../../src/nag';
import * as analysis from '../../src/nag/private/analysis';
import { AppAnalysis } from '../../src/nag/private/app-analysis';
import { packRuleDefinitions, packRules } from '../../src/nag/private/rule';
import { CAA_RULES } from '../../src/records/caa';
import { DKIM_RULES } from '../../src/records/dkim';
import { DMARC_RULES } from '../../src/records/dmarc';
import { Severity } from '../../src/records/finding';
import { MTASTS_RULES } from '../../src/records/mta-sts';
import { MX_RULES } from '../../src/records/mx';
import { SPF_RULES } from '../../src/records/spf';
import { TLSRPT_RULES } from '../../src/records/tls-rpt';
import { TXT_RULES } from '../../src/records/txt';
import { Sender } from '../../src/senders/sender';
import { GOVUK_RULES } from '../../src/standard/govuk-rules';
import { GovUkProfile } from '../../src/standard/profile';
import { RuleCatalogue } from '../../src/standard/rule-catalogue';

const WEAK_DMARC = 'v=DMARC1; p=none; sp=reject; rua=mailto:dmarc-reports@dept.gov.uk';

describe('the pack', () => {
  test('is named GovEmail, and reports GovEmail-<profile rule id> with the finding, its level and the rule\'s summary and source', () => {
    // GIVEN a department whose DMARC policy is none
    const { app } = department({ dmarc: [WEAK_DMARC] });
    // WHEN
    const pack = new GovEmailChecks();
    const report = pack.validateScope(app);
    // THEN
    expect(pack.name).toBe('GovEmail');
    expect(pack.readPackName).toBe('GovEmail');
    expect(report.success).toBe(false);
    expect(report.violations).toEqual([{
      ruleName: 'GovEmail-GOVUK-DMARC-POLICY',
      description: `dept.gov.uk's DMARC policy is "none"; set p=quarantine or p=reject. Got: "${WEAK_DMARC}".`,
      severity: 'error',
      ruleMetadata: {
        profileRuleId: 'GOVUK-DMARC-POLICY',
        summary: RuleCatalogue.get('GOVUK-DMARC-POLICY').summary,
        source: RuleCatalogue.get('GOVUK-DMARC-POLICY').source,
      },
      violatingResources: [{ constructPath: 'Dept/Dmarc/Resource', locations: ['Properties'] }],
    }]);
  });

  test('a record set group entry is located by its index', () => {
    const { app, stack, zone } = zoneStack('Parked');
    const parked = new ParkedDomain(stack, 'Old', { zone, dmarcReportTo: ['mailto:dmarc-reports@dept.gov.uk'] });
    parked.recordSetGroup.addPropertyOverride('RecordSets.3.ResourceRecords', ['"v=DMARC1; p=quarantine; sp=reject; adkim=s; aspf=s; rua=mailto:d@dept.gov.uk"']);
    const report = new GovEmailChecks().validateScope(app);
    expect(report.violations.map((v) => [v.ruleName, v.violatingResources])).toEqual([
      ['GovEmail-GOVUK-PARKED-DMARC', [{ constructPath: 'Parked/Old/Resource', locations: ['Properties/RecordSets/3'] }]],
    ]);
  });

  test('verbose adds the rule\'s summary and source to the description', () => {
    const { app } = department({ dmarc: [WEAK_DMARC] });
    const [violation] = new GovEmailChecks(undefined, { verbose: true }).validateScope(app).violations;
    const rule = RuleCatalogue.get('GOVUK-DMARC-POLICY');
    expect(violation.description).toBe(`dept.gov.uk's DMARC policy is "none"; set p=quarantine or p=reject. Got: "${WEAK_DMARC}".\n${rule.summary} Source: ${rule.source}.`);
  });

  test('warnings alone do not fail the report, unless failOnWarnings', () => {
    const { app } = department({ tlsRpt: ['v=TLSRPTv1; rua=mailto:a@dept.gov.uk,mailto:b@dept.gov.uk'] });
    const lenient = new GovEmailChecks().validateScope(app);
    expect(triples(rows(lenient))).toEqual([['GovEmail-GOVUK-TLSRPT-RUA-COUNT', 'Dept/TlsRpt/Resource', 'warning']]);
    expect(lenient.success).toBe(true);
    expect(new GovEmailChecks(undefined, { failOnWarnings: true }).validateScope(app).success).toBe(false);
  });

  test('info findings are not reported', () => {
    // GIVEN a parked domain without CAA (GOVUK-PARKED-CAA is info)
    const { app, stack, zone } = zoneStack('Parked');
    new ParkedDomain(stack, 'Old', { zone, dmarcReportTo: ['mailto:dmarc-reports@dept.gov.uk'], caa: false });
    expect(check(app)).toEqual([]);
  });

  test('a department built with plain aws-cdk-lib constructs to the standard is compliant', () => {
    const report = new GovEmailChecks().validateScope(department().app);
    expect(report).toEqual({ success: true, violations: [] });
  });

  test('reads the tree again on each validation', () => {
    const { app, stack, zone } = zoneStack();
    department({}, { stack, zone });
    const pack = new GovEmailChecks();
    expect(rows(pack.validateScope(app))).toEqual([]);
    new route53.TxtRecord(stack, 'Verification', { zone, values: ['MS=ms12345678'] });
    expect(rows(pack.validateScope(app)).map((r) => r.rule)).toEqual(['GovEmail-ROUTE53-RECORD-CONFLICT', 'GovEmail-ROUTE53-RECORD-CONFLICT']);
  });

  test('a rule that cannot be evaluated is reported as having thrown, under the rule\'s name, never as compliant', () => {
    const { app } = department();
    const spy = jest.spyOn(AppAnalysis.prototype, 'findingsOn').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const report = new GovEmailChecks().validateScope(app);
      expect(report.success).toBe(false);
      const dmarcMissing = report.violations.find((v) => v.ruleName === 'GovEmail-GOVUK-DMARC-MISSING')!;
      expect(dmarcMissing.severity).toBe('error');
      expect(dmarcMissing.description).toMatch(/^Rule threw an error during validation/);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('rules', () => {
  test('one per catalogue rule id, each a function of a CfnResource named GovEmail-<rule id>', () => {
    const { app, stack } = department({ dmarc: [WEAK_DMARC] });
    const dmarc = stack.node.findChild('Dmarc').node.defaultChild as route53.CfnRecordSet;
    const spf = stack.node.findChild('Spf').node.defaultChild as route53.CfnRecordSet;
    const bucket = new s3.Bucket(stack, 'Bucket').node.defaultChild as s3.CfnBucket;
    const rules = packRules(new AppAnalysis());
    expect(rules.map((r) => r.ruleId)).toEqual(RuleCatalogue.all().map((r) => r.id));
    expect(rules.every((r) => r.name === `GovEmail-${r.ruleId}` && r.ruleName === r.name)).toBe(true);
    const dmarcPolicy = rules.find((r) => r.ruleId === 'GOVUK-DMARC-POLICY')!;
    expect(dmarcPolicy.name).toBe('GovEmail-GOVUK-DMARC-POLICY');
    expect(dmarcPolicy.definition).toBe(RuleCatalogue.get('GOVUK-DMARC-POLICY'));
    expect(dmarcPolicy(dmarc)).toBe(NagRuleCompliance.NON_COMPLIANT);
    expect(dmarcPolicy(spf)).toBe(NagRuleCompliance.COMPLIANT);
    expect(dmarcPolicy(bucket)).toBe(NagRuleCompliance.NOT_APPLICABLE);
    expect(rules.filter((r) => r(dmarc) === NagRuleCompliance.NON_COMPLIANT).map((r) => r.ruleId)).toEqual(['GOVUK-DMARC-POLICY']);
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-POLICY', 'Dept/Dmarc/Resource', 'error']]);
  });

  test('every rule id the profile and the plan reader produce has its rule', () => {
    const ids = new Set(packRuleDefinitions().map((r) => r.id));
    // What the profile and the plan reader can report: the UK profile, the record rules it runs
    // (and CAA's, which it runs only to ask whether a parked domain's CAA forbids issuance) and
    // the plan's own rules.
    const producible = [GOVUK_RULES, SPF_RULES, DMARC_RULES, MTASTS_RULES, TLSRPT_RULES, DKIM_RULES, MX_RULES, TXT_RULES, CAA_RULES, ASSEMBLY_RULES]
      .flatMap((group) => Object.values(group).map((r) => r.id));
    expect(producible.filter((id) => !ids.has(id))).toEqual([]);
  });

  test('a finding under an id the catalogue does not list is still reported, under its own id', () => {
    const { app } = department();
    const evaluate = GovUkProfile.evaluate;
    const spy = jest.spyOn(GovUkProfile, 'evaluate').mockImplementation((posture) => [
      ...evaluate(posture),
      { ruleId: 'GOVUK-FUTURE-RULE', severity: Severity.WARNING, message: 'Something new.', source: 'GOV.UK', subject: { name: `_dmarc.${DEPT}`, type: 'TXT' } },
    ]);
    try {
      expect(triples(check(app))).toEqual([['GovEmail-GOVUK-FUTURE-RULE', 'Dept/Dmarc/Resource', 'warning']]);
    } finally {
      spy.mockRestore();
    }
  });

  test('the analysis lives for one validation: each stage is read once per validation, and again by the next', () => {
    const app = new App();
    for (const id of ['Beta', 'Prod']) {
      const stack = new Stack(new Stage(app, id), 'Dept', { env: ENV });
      department({}, { stack, zone: new route53.PublicHostedZone(stack, 'Zone', { zoneName: DEPT }) });
    }
    const spy = jest.spyOn(analysis, 'analyseStacks');
    try {
      const pack = new GovEmailChecks();
      pack.validateScope(app);
      expect(spy).toHaveBeenCalledTimes(2);
      pack.validateScope(app);
      new GovEmailChecks().validateScope(app);
      expect(spy).toHaveBeenCalledTimes(6);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('this library\'s constructs', () => {
  test('ParkedDomain is compliant out of the box', () => {
    const { app, stack, zone } = zoneStack('Parked');
    new ParkedDomain(stack, 'Old', { zone, dmarcReportTo: ['mailto:dmarc-reports@dept.gov.uk'], tlsReportTo: ['mailto:tls-reports@dept.gov.uk'] });
    expect(check(app)).toEqual([]);
  });

  test('SesSendingIdentity is compliant out of the box (with the domain\'s apex SPF and DMARC beside it)', () => {
    const app = new App();
    const stack = new Stack(app, 'Notify', { env: ENV });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: DEPT });
    new SesSendingIdentity(stack, 'Ses', { zone });
    new route53.TxtRecord(stack, 'Spf', { zone, values: ['v=spf1 -all'] });
    new route53.TxtRecord(stack, 'Dmarc', { zone, recordName: '_dmarc', values: [DMARC] });
    expect(check(app)).toEqual([]);
  });

  test('GovEmailDomain with MtaStsPolicyHost, Amazon SES and Microsoft 365: no errors and no warnings (DKIM-DELEGATED is info)', () => {
    const app = new App();
    const host = new MtaStsPolicyHost(new Stack(app, 'MtaStsHost', { env: { ...ENV, region: 'us-east-1' } }), 'MtaSts');
    const stack = new Stack(app, 'Dept', { env: ENV });
    new GovEmailDomain(stack, 'Dept', {
      zone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: DEPT }),
      senders: [Sender.amazonSes(), Sender.microsoft365({ initialDomain: 'dept.onmicrosoft.com' })],
      dmarc: { reportTo: ['mailto:dmarc-reports@dept.gov.uk'] },
      tlsReportTo: ['mailto:tls-reports@dept.gov.uk'],
      mtaSts: { host },
    });
    const found = check(app);
    expect(found.filter((r) => r.level === 'error')).toEqual([]);
    // Microsoft 365's DKIM keys are behind CNAMEs to the tenant, its documented design: that is
    // DKIM-DELEGATED, info, which the pack does not report (so `cdk synth --strict` passes); the
    // policy host's policies are read from its function's code and evaluated.
    expect(triples(found)).toEqual([]);
  });

  test('SesSendingIdentity with TLS optional: the pack and the construct report the same rule id', () => {
    const app = new App();
    const stack = new Stack(app, 'Notify', { env: ENV });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: DEPT });
    new SesSendingIdentity(stack, 'Ses', { zone, tlsPolicy: ses.ConfigurationSetTlsPolicy.OPTIONAL });
    new route53.TxtRecord(stack, 'Spf', { zone, values: ['v=spf1 -all'] });
    new route53.TxtRecord(stack, 'Dmarc', { zone, recordName: '_dmarc', values: [DMARC] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-SES-TLS-REQUIRED', 'Notify/Ses/ConfigurationSet/Resource', 'error']]);
    AssertAnnotations.fromStack(stack).hasWarning('/Notify/Ses', Match.stringLikeRegexp('GOVUK-SES-TLS-REQUIRED'));
  });
});

describe('across stacks and stages', () => {
  test('a domain\'s records spread over two stacks are evaluated together', () => {
    // GIVEN the apex records in one stack, DMARC, MTA-STS, TLS-RPT and SES in another, sharing the zone
    const app = new App();
    const dns = new Stack(app, 'DeptDns', { env: ENV });
    const zone = new route53.PublicHostedZone(dns, 'Zone', { zoneName: DEPT });
    new route53.TxtRecord(dns, 'Spf', { zone, values: [SPF] });
    new route53.MxRecord(dns, 'Mx', { zone, values: [{ priority: 0, hostName: 'dept-gov-uk.mail.protection.outlook.com' }] });
    const mail = new Stack(app, 'DeptMail', { env: ENV });
    department({ apexTxt: null, mx: null, dmarc: [WEAK_DMARC] }, { stack: mail, zone });
    // WHEN synthesised (cross-stack references become exports and imports), then checked
    app.synth();
    // THEN nothing is missing: only the weak DMARC policy, on its record in the other stack
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-POLICY', 'DeptMail/Dmarc/Resource', 'error']]);
  });

  test('each stage is its own plan: the same records in two stages are not duplicates, and each is judged', () => {
    const app = new App();
    for (const [id, dmarc] of [['Beta', WEAK_DMARC], ['Prod', DMARC]]) {
      const stack = new Stack(new Stage(app, id), 'Dept', { env: ENV });
      const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: DEPT });
      department({ dmarc: [dmarc] }, { stack, zone });
    }
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-POLICY', 'Beta/Dept/Dmarc/Resource', 'error']]);
  });

  test('a nested stack\'s records belong to its parent\'s plan', () => {
    const { app, stack, zone } = zoneStack();
    department({ dmarc: null }, { stack, zone });
    const nested = new NestedStack(stack, 'Records');
    new route53.CfnRecordSet(nested, 'Dmarc', { hostedZoneName: `${DEPT}.`, name: `_dmarc.${DEPT}.`, type: 'TXT', ttl: '300', resourceRecords: [`"${WEAK_DMARC}"`] });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-POLICY', 'Dept/Records/Dmarc', 'error']]);
  });
});

describe('acknowledgements work as in cdk-nag v3', () => {
  test('Validations.of(resource).acknowledge({ id: "GovEmail-<id>" }) silences that finding on that resource only', () => {
    const { app, stack } = department({ dmarc: ['v=DMARC1; p=none; rua=mailto:d@dept.gov.uk'] });
    Validations.of(stack.node.findChild('Dmarc')).acknowledge({ id: 'GovEmail-GOVUK-DMARC-POLICY', reason: 'Monitoring while senders are moved' });
    expect(triples(check(app))).toEqual([['GovEmail-GOVUK-DMARC-SUBDOMAIN-POLICY', 'Dept/Dmarc/Resource', 'error']]);
  });

  test('an acknowledgement on an ancestor applies to the resources below it', () => {
    const { app, stack } = department({ dmarc: ['v=DMARC1; p=none; rua=mailto:d@dept.gov.uk'] });
    Validations.of(stack).acknowledge(
      { id: 'GovEmail-GOVUK-DMARC-POLICY', reason: 'Monitoring' },
      { id: 'GovEmail-GOVUK-DMARC-SUBDOMAIN-POLICY', reason: 'Monitoring' },
    );
    expect(check(app)).toEqual([]);
  });

  test('the id of the library\'s own warning annotation (cdk-gov-email:<id>) is accepted too', () => {
    const { app, stack } = department({ tlsRpt: ['v=TLSRPTv1; rua=mailto:a@dept.gov.uk,mailto:b@dept.gov.uk'] });
    Validations.of(stack).acknowledge({ id: 'cdk-gov-email:GOVUK-TLSRPT-RUA-COUNT', reason: 'Two report processors during the move' });
    expect(check(app)).toEqual([]);
  });

  test('writeSuppressionsToCloudFormation records the acknowledgement in the template', () => {
    const { app, stack } = department({ dmarc: [WEAK_DMARC] });
    Validations.of(stack.node.findChild('Dmarc')).acknowledge({ id: 'GovEmail-GOVUK-DMARC-POLICY', reason: 'Monitoring' });
    const pack = new GovEmailChecks(app, { writeSuppressionsToCloudFormation: true });
    Validations.of(app).addPlugins(pack);
    withoutExitCode(() => app.synth());
    Template.fromStack(stack).hasResource('AWS::Route53::RecordSet', {
      Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'GovEmail-GOVUK-DMARC-POLICY', reason: 'Monitoring' }] } },
    });
  });
});

/**
 * aws-cdk-lib 2.257 writes policy-validation-report.json; newer versions write their own
 * validation-report.json and the policy one only with this context, which older versions ignore.
 */
const LEGACY_REPORT = { '@aws-cdk/core:validationReportJson': true };

describe('as a policy-validation plugin: Validations.of(app).addPlugins(...)', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'gov-email-nag-'));
  });
  afterEach(() => {
    rmSync(outdir, { recursive: true, force: true });
  });
  const report = () => JSON.parse(readFileSync(join(outdir, 'policy-validation-report.json'), 'utf8'));
  const flat = (json: any) => json.pluginReports.flatMap((p: any) => p.violations.flatMap((v: any) => v.violatingResources.map((r: any) =>
    [v.ruleName, r.constructPath, r.resourceLogicalId ?? 'N/A', v.severity]))).sort();

  /** The weak department in a top-level stack, and a parked domain with a bad SPF in a nested stack of a stage. */
  function build(app: App): void {
    department({ dmarc: [WEAK_DMARC] }, zoneStack('Dept', app));
    const prod = new Stage(app, 'Prod');
    const records = new NestedStack(new Stack(prod, 'Parked', { env: ENV }), 'Records');
    new route53.CfnRecordSetGroup(records, 'OldDept', {
      hostedZoneName: 'old-dept.gov.uk.',
      recordSets: [
        { name: 'old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=spf1 ~all"'] },
        { name: 'old-dept.gov.uk.', type: 'MX', ttl: '86400', resourceRecords: ['0 .'] },
        { name: '_dmarc.old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:d@old-dept.gov.uk"'] },
        { name: '*._domainkey.old-dept.gov.uk.', type: 'TXT', ttl: '86400', resourceRecords: ['"v=DKIM1; p="'] },
      ],
    });
  }

  test('without its scope, it checks the synthesised templates: construct paths and logical ids from the assembly', () => {
    const app = new App({ outdir, context: LEGACY_REPORT });
    build(app);
    Validations.of(app).addPlugins(new GovEmailChecks());
    const exitCode = withoutExitCode(() => app.synth());
    expect(exitCode).toBe(1);
    const json = report();
    expect(json.pluginReports[0].summary).toEqual({ pluginName: 'GovEmail', status: 'failure' });
    expect(flat(json)).toEqual([
      ['GovEmail-GOVUK-DMARC-POLICY', 'Dept/Dmarc/Resource', expect.stringMatching(/^Dmarc[0-9A-F]{8}$/), 'error'],
      ['GovEmail-GOVUK-PARKED-SPF', 'Prod/Parked/Records/OldDept', 'OldDept', 'error'],
    ]);
    const parkedSpf = json.pluginReports[0].violations.find((v: any) => v.ruleName === 'GovEmail-GOVUK-PARKED-SPF');
    expect(parkedSpf.violatingResources[0].templatePath).toMatch(/assembly-Prod\/ProdParkedRecords[0-9A-F]{8}\.nested\.template\.json$/);
    expect(parkedSpf.violatingResources[0].locations).toEqual(['Properties/RecordSets/0']);
  });

  test('without its scope, acknowledgements are read from the assembly\'s metadata', () => {
    const app = new App({ outdir, context: LEGACY_REPORT });
    build(app);
    Validations.of(app.node.findChild('Dept').node.findChild('Dmarc')).acknowledge({ id: 'GovEmail-GOVUK-DMARC-POLICY', reason: 'Monitoring' });
    Validations.of(app.node.findChild('Prod').node.findChild('Parked').node.findChild('Records')).acknowledge({ id: 'GovEmail-GOVUK-PARKED-SPF', reason: 'Retiring' });
    Validations.of(app).addPlugins(new GovEmailChecks());
    const exitCode = withoutExitCode(() => app.synth());
    expect(exitCode).toBeUndefined();
    expect(report().pluginReports).toEqual([]);
  });

  test('aws-cdk-lib\'s plugin-qualified id (GovEmail::<rule>) acknowledges a rule anywhere in the app', () => {
    const app = new App({ outdir, context: LEGACY_REPORT });
    build(app);
    Validations.of(app.node.findChild('Prod')).acknowledge({ id: 'GovEmail::GovEmail-GOVUK-PARKED-SPF', reason: 'Retiring' });
    Validations.of(app).addPlugins(new GovEmailChecks());
    withoutExitCode(() => app.synth());
    expect(flat(report()).map((r: string[]) => r[0])).toEqual(['GovEmail-GOVUK-DMARC-POLICY']);
  });

  test('with its scope, it checks the construct tree, with the same findings', () => {
    const app = new App({ outdir, context: LEGACY_REPORT });
    build(app);
    Validations.of(app).addPlugins(new GovEmailChecks(app));
    withoutExitCode(() => app.synth());
    expect(flat(report())).toEqual([
      ['GovEmail-GOVUK-DMARC-POLICY', 'Dept/Dmarc/Resource', 'N/A', 'error'],
      ['GovEmail-GOVUK-PARKED-SPF', 'Prod/Parked/Records/OldDept', 'N/A', 'error'],
    ]);
  });

  test('where aws-cdk-lib gives plugins the construct tree (appConstruct), it checks the tree', () => {
    const app = new App();
    build(app);
    const context = { templatePaths: [], appConstruct: app };
    expect(triples(rows(new GovEmailChecks().validate(context)))).toEqual([
      ['GovEmail-GOVUK-DMARC-POLICY', 'Dept/Dmarc/Resource', 'error'],
      ['GovEmail-GOVUK-PARKED-SPF', 'Prod/Parked/Records/OldDept', 'error'],
    ]);
  });

  test('given a stage as its scope, it checks that stage only', () => {
    const app = new App({ outdir, context: LEGACY_REPORT });
    build(app);
    const prod = app.node.findChild('Prod') as Stage;
    Validations.of(prod).addPlugins(new GovEmailChecks(prod));
    withoutExitCode(() => app.synth());
    expect(flat(report()).map((r: string[]) => r[0])).toEqual(['GovEmail-GOVUK-PARKED-SPF']);
  });

  test('a compliant app passes', () => {
    const app = new App({ outdir, context: LEGACY_REPORT });
    department({}, zoneStack('Dept', app));
    Validations.of(app).addPlugins(new GovEmailChecks());
    const exitCode = withoutExitCode(() => app.synth());
    expect(exitCode).toBeUndefined();
    expect(report().pluginReports).toEqual([]);
  });
});

/**
 * Run `fn` and return the exit code a failed validation gives the app: aws-cdk-lib 2.257 sets
 * process.exitCode (which would fail the test run, so it is restored); newer versions throw a
 * ValidationFailed error from synth in an app run in memory, which is read as exit code 1.
 */
function withoutExitCode(fn: () => void): number | string | undefined {
  const before = process.exitCode;
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    try {
      fn();
    } catch (err) {
      if (err instanceof Error && /ValidationFailed|Validation failed/.test(`${err.name} ${err.message} ${String((err as any).code ?? '')}`)) return 1;
      throw err;
    }
    return process.exitCode === before ? undefined : process.exitCode ?? undefined;
  } finally {
    process.exitCode = before;
    jest.restoreAllMocks();
  }
}
