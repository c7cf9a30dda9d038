/**
 * `gov-email review` on a cloud assembly synthesised here from a plain aws-cdk-lib app
 * (route53.TxtRecord, MxRecord, ARecord, ses.EmailIdentity + ConfigurationSet,
 * cloudfront.Distribution + Function, CfnRecordSetGroup in a nested stack of a stage).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationSetTlsPolicy } from 'aws-cdk-lib/aws-ses';
import { runReview } from './support/environment';
import { readCloudAssembly, readTemplateFiles } from '../../src/assembly/cloud-assembly';
import { posturesFromAssembly } from '../../src/assembly/domains';
import { resourcesFromStacks } from '../../src/assembly/resources';
import { Finding } from '../../src/records/finding';
import { RuleCatalogue } from '../../src/standard/rule-catalogue';
import { POLICY, WEAK_DMARC, synthDepartment } from '../assembly/support/department-app';
import { sarifProblems } from '../assembly/support/sarif';

interface DomainJson {
  readonly domain: string;
  readonly profile?: string;
  readonly records: Array<{ name: string; type: string; ttl?: number; value: string; origin?: string }>;
  readonly findings: Finding[];
}

const review = runReview;
const domainsOf = async (dir: string): Promise<DomainJson[]> => JSON.parse((await review(dir, '--format', 'json')).stdout).domains;
const key = (f: Finding) => `${f.ruleId}|${f.path}|${f.message}`;

let root: string;
const out = (name: string) => join(root, name);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gov-email-cdk-app-'));
  synthDepartment(out('clean'));
  synthDepartment(out('weak-dmarc'), { dmarc: WEAK_DMARC });
  synthDepartment(out('tls-optional'), { tlsPolicy: ConfigurationSetTlsPolicy.OPTIONAL });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the department app with the defaults', () => {
  test('reads every stack: two top-level stacks, a stage stack and its nested stack found through the asset manifest', () => {
    const assembly = readCloudAssembly(out('clean'));
    const names = assembly.stacks.map((s) => s.name).sort();
    expect(names).toHaveLength(4);
    expect(names.slice(0, 3)).toEqual(['DeptDns', 'DeptMail', 'Prod/Parked']);
    expect(names[3]).toMatch(/^Prod\/Parked\/RecordsNestedStackRecordsNestedStackResource[0-9A-F]{8}$/);
    expect(assembly.warnings).toEqual([]);
  });

  test('is reviewed clean: exit 0, no errors', async () => {
    const result = await review(out('clean'));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const domains = await domainsOf(out('clean'));
    expect(domains.map((d) => [d.domain, d.profile, d.findings.map((f) => `${f.severity} ${f.ruleId}`)])).toEqual([
      ['dept.gov.uk', 'active', []],
      ['old-dept.gov.uk', 'parked', []],
    ]);
    // SES creates the Easy DKIM keys at deployment; the template sets their length, the one
    // property the profile checks, so DKIM counts as evaluated.
  });

  test('the SES DKIM tokens are shown as placeholders, never dropped', async () => {
    const [dept] = await domainsOf(out('clean'));
    expect(dept.records.filter((r) => r.type === 'CNAME').map((r) => [r.name, r.value])).toEqual([
      ['<SES DKIM token name 1>', '<SES DKIM token value 1>'],
      ['<SES DKIM token name 2>', '<SES DKIM token value 2>'],
      ['<SES DKIM token name 3>', '<SES DKIM token value 3>'],
    ]);
  });

  test('the zone imported across stacks, the policy in the CloudFront Function and the policy host\'s TLS are all read', () => {
    const [dept, old] = posturesFromAssembly(readCloudAssembly(out('clean')));
    expect(dept).toMatchObject({
      domainName: 'dept.gov.uk',
      sendsMail: true,
      dmarc: ['"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@dept.gov.uk"'],
      mtaStsPolicy: POLICY,
      sesTlsRequired: true,
      policyHostMinimumTls: 'TLSv1.2_2021',
    });
    expect(dept.unresolved).toBeUndefined();
    expect(old).toMatchObject({ domainName: 'old-dept.gov.uk', dkimWildcard: ['"v=DKIM1; p="'], mx: ['0 .'] });
  });

  test('the template files alone (as a validation plugin gets them) give the same postures', () => {
    const dirs = [out('clean'), join(out('clean'), 'assembly-Prod')];
    const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.template.json')).map((f) => join(d, f)));
    expect(files).toHaveLength(4);
    expect(posturesFromAssembly(resourcesFromStacks(readTemplateFiles(files)))).toEqual(posturesFromAssembly(readCloudAssembly(out('clean'))));
  });

  test('SARIF output is valid', async () => {
    expect(sarifProblems(JSON.parse((await review(out('clean'), '--format', 'sarif')).stdout))).toEqual([]);
  });

  test('table output', async () => {
    const { stdout } = await review(out('clean'));
    expect(stdout).toMatchSnapshot();
    expect(stdout.split('\n')).toContain('  bounce.dept.gov.uk       MX     1800  10 feedback-smtp.eu-west-2.amazonses.com');
  });
});

describe('the same app with a weakened DMARC policy (p=none)', () => {
  test('reports exactly GOVUK-DMARC-POLICY more, and exits 1', async () => {
    const clean = (await domainsOf(out('clean'))).flatMap((d) => d.findings);
    const weak = (await domainsOf(out('weak-dmarc'))).flatMap((d) => d.findings);
    const added = weak.filter((f) => !clean.some((c) => key(c) === key(f)));
    const removed = clean.filter((c) => !weak.some((f) => key(c) === key(f)));
    expect(removed).toEqual([]);
    expect(added).toEqual([{
      ruleId: 'GOVUK-DMARC-POLICY',
      severity: 'error',
      message: `dept.gov.uk's DMARC policy is "none"; set p=quarantine or p=reject. Got: "${WEAK_DMARC}".`,
      source: RuleCatalogue.get('GOVUK-DMARC-POLICY').source,
      path: '_dmarc.dept.gov.uk',
      subject: { name: '_dmarc.dept.gov.uk', type: 'TXT' },
    }]);
    expect((await review(out('weak-dmarc'))).code).toBe(1);
  });
});

describe('the same app with a configuration set that does not require TLS', () => {
  test('reports GOVUK-SES-TLS-REQUIRED', async () => {
    const [dept] = await domainsOf(out('tls-optional'));
    expect(dept.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)).toEqual(['GOVUK-SES-TLS-REQUIRED']);
    expect((await review(out('tls-optional'))).code).toBe(1);
  });
});
