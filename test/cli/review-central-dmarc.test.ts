/**
 * `gov-email review` of an estate whose parked domains' `_dmarc` names are CNAMEs to one central
 * DMARC policy record in another stack: the review reads the central record from whichever
 * template holds it, judges each pointing domain by it, and `--format zone` writes the CNAMEs and
 * the central record (once) as zone files Knot DNS loads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { runReview } from './support/environment';
import { Knotd, knotTool } from './support/knotd';
import { checkDomain } from '../../src/cli/check/checker';
import { DnsClient } from '../../src/cli/check/dns';
import { CentralDmarcPolicy, ParkedDmarc } from '../../src/constructs/central-dmarc-policy';
import { DomainPortfolio, PortfolioDomain } from '../../src/constructs/domain-portfolio';
import { Finding } from '../../src/records/finding';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors(), 120000);

const REPORT = 'mailto:dmarc-reports@dept.gov.uk';
const CENTRAL = '_parked._dmarc-policy.dept.gov.uk';
const PARKED_DMARC = `v=DMARC1; p=reject; sp=reject; np=reject; adkim=s; aspf=s; fo=1; rua=${REPORT}`;

interface DomainJson {
  readonly domain: string;
  readonly profile?: string;
  readonly records: Array<{ name: string; type: string; ttl?: number; value: string; origin?: string }>;
  readonly findings: Finding[];
}

const review = runReview;
const domainsOf = async (dir: string): Promise<DomainJson[]> => JSON.parse((await review(dir, '--format', 'json')).stdout).domains;

/** The fragment with an SOA, NS and glue at its origin prepended, as a DNS server loads a zone. */
function loadableZone(zone: string, fragment: string): string {
  return [`$ORIGIN ${zone}.`, `@ 3600 IN SOA ns1.${zone}. hostmaster.${zone}. 1 7200 3600 1209600 300`, `@ 3600 IN NS ns1.${zone}.`, 'ns1 3600 IN A 127.0.0.1', fragment].join('\n');
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gov-email-central-dmarc-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The estate: the central record in `Central` (zone dept.gov.uk, no email domain of its own), the domains in the portfolio's stacks. */
function synthEstate(dir: string): void {
  const app = new App({ outdir: dir });
  const central = new Stack(app, 'Central');
  const deptZone = route53.HostedZone.fromHostedZoneAttributes(central, 'DeptZone', { hostedZoneId: 'Z0DEPT0000000000000001', zoneName: 'dept.gov.uk' });
  const policy = new CentralDmarcPolicy(central, 'ParkedPolicy', { zone: deptZone, recordName: CENTRAL, reportTo: [REPORT] });
  const estate = new DomainPortfolio(app, 'Estate', {
    shardCount: 2,
    parkedDmarc: ParkedDmarc.central(policy),
    dmarcReportTo: ['mailto:kept@kept.gov.uk'],
    domains: [
      PortfolioDomain.parked({ domainName: 'old-a.gov.uk', hostedZoneId: 'Z0OLDA' }),
      PortfolioDomain.parked({ domainName: 'old-b.gov.uk', hostedZoneId: 'Z0OLDB' }),
      PortfolioDomain.parked({ domainName: 'kept.gov.uk', hostedZoneId: 'Z0KEPT', dmarc: ParkedDmarc.ownRecord() }),
    ],
  });
  app.synth();
  for (const stack of [central, ...estate.stacks]) lint.add(`${dir}-${stack.node.path}`, app.synth().getStackArtifact(stack.artifactId).template);
}

/** A parked domain written with plain aws-cdk-lib records, whose `_dmarc` is a CNAME to `target`, and (if given) the central record. */
function synthPlain(dir: string, centralText: string | undefined, target: string = CENTRAL): void {
  const app = new App({ outdir: dir });
  const stack = new Stack(app, 'Plain');
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0PLAIN', zoneName: 'plain.gov.uk' });
  new route53.TxtRecord(stack, 'Spf', { zone, values: ['v=spf1 -all'] });
  new route53.MxRecord(stack, 'NullMx', { zone, values: [{ priority: 0, hostName: '.' }] });
  new route53.TxtRecord(stack, 'Dkim', { zone, recordName: '*._domainkey', values: ['v=DKIM1; p='] });
  new route53.CaaRecord(stack, 'Caa', { zone, values: [{ flag: 0, tag: route53.CaaTag.ISSUE, value: ';' }] });
  new route53.CnameRecord(stack, 'Dmarc', { zone, recordName: '_dmarc', domainName: target });
  if (centralText !== undefined) {
    const other = new Stack(app, 'Policies');
    const deptZone = route53.HostedZone.fromHostedZoneAttributes(other, 'DeptZone', { hostedZoneId: 'Z0DEPT', zoneName: 'dept.gov.uk' });
    new route53.TxtRecord(other, 'Central', { zone: deptZone, recordName: CENTRAL, values: [centralText] });
    lint.add(`${dir}-Policies`, app.synth().getStackArtifact(other.artifactId).template);
  }
  lint.add(`${dir}-Plain`, app.synth().getStackArtifact(stack.artifactId).template);
}

describe('review of an estate pointing at a central DMARC policy', () => {
  let dir: string;
  beforeAll(() => {
    dir = join(root, 'estate');
    synthEstate(dir);
  });

  test('each pointing domain shows its CNAME and the central record it reads, and is judged by it: clean', async () => {
    const domains = await domainsOf(dir);
    expect(domains.map((d) => [d.domain, d.profile])).toEqual([['kept.gov.uk', 'parked'], ['old-a.gov.uk', 'parked'], ['old-b.gov.uk', 'parked']]);
    for (const name of ['old-a.gov.uk', 'old-b.gov.uk']) {
      const d = domains.find((x) => x.domain === name)!;
      expect(d.records.filter((r) => r.name === `_dmarc.${name}`).map((r) => [r.type, r.value])).toEqual([['CNAME', CENTRAL]]);
      const central = d.records.filter((r) => r.name === CENTRAL);
      expect(central.map((r) => [r.type, r.value])).toEqual([['TXT', `"${PARKED_DMARC}"`]]);
      expect(central[0].origin).toMatch(new RegExp(`^Central/ParkedPolicy[0-9A-F]{8}, through a CNAME of ${name.replace(/\./g, '\\.')}$`));
      expect(d.findings).toEqual([]);
    }
    expect((await review(dir)).code).toBe(0);
  });

  test('--format zone: the CNAME in each domain\'s zone, the central record once in its own, and Knot loads every fragment', async () => {
    const out = join(root, 'zones');
    spawnSync('mkdir', ['-p', out]);
    const run = await review(dir, '--format', 'zone', '--out', out);
    expect(run.code).toBe(0);
    const text = (await review(dir, '--format', 'zone')).stdout;
    const fragments = new Map([...text.matchAll(/; ==== BEGIN zone (\S+) \(\S+\) ====\n([\s\S]*?); ==== END zone \1 ====/g)].map((m) => [m[1], m[2]]));
    expect([...fragments.keys()]).toEqual(['dept.gov.uk', 'kept.gov.uk', 'old-a.gov.uk', 'old-b.gov.uk']);
    expect(fragments.get('old-a.gov.uk')).toContain(`_dmarc.old-a.gov.uk. 3600 IN CNAME ${CENTRAL}.\n`);
    expect(fragments.get('old-b.gov.uk')).toContain(`_dmarc.old-b.gov.uk. 3600 IN CNAME ${CENTRAL}.\n`);
    expect(fragments.get('kept.gov.uk')).toContain('_dmarc.kept.gov.uk. 3600 IN TXT "v=DMARC1; p=reject;');
    const dept = fragments.get('dept.gov.uk')!;
    expect(dept.split('\n').filter((l) => l.startsWith(`${CENTRAL}.`))).toEqual([`${CENTRAL}. 3600 IN TXT "${PARKED_DMARC}"`]);
    expect(dept).toContain(`; ---- ${CENTRAL} TXT: the target of a CNAME of 2 domains (old-a.gov.uk, old-b.gov.uk), each judged by it`);
    const served: Array<{ zone: string; file: string }> = [];
    for (const [zone, fragment] of fragments) {
      const file = join(out, `${zone}.check.zone`);
      writeFileSync(file, loadableZone(zone, fragment));
      const check = spawnSync(knotTool('kzonecheck'), ['-v', '-o', `${zone}.`, file], { encoding: 'utf8' });
      expect({ zone, status: check.status, output: `${check.stdout}${check.stderr}`.trim() }).toEqual({ zone, status: 0, output: 'No semantic error found' });
      served.push({ zone, file });
    }

    // AND served by Knot as written, `gov-email check` reads each domain's DMARC through its CNAME
    const knotDir = mkdtempSync(join(root, 'knot-'));
    const knotd = await Knotd.start(knotDir, served);
    const dns = new DnsClient({ servers: [knotd.address], timeoutMs: 2000 });
    try {
      const report = await checkDomain('old-a.gov.uk', { dns, fetch: { timeoutMs: 300, connectTo: { host: '127.0.0.1', port: 9 } } });
      expect(report.profile).toBe('parked');
      expect(report.facts).toContain(`_dmarc.old-a.gov.uk is a CNAME to ${CENTRAL}`);
      // The policy is the central one, so it passes; the report destination, at another
      // organisational domain, is asked for old-a.gov.uk's own authorisation (none is published here).
      expect(report.findings.map((f) => [f.ruleId, f.path])).toEqual([['GOVUK-DMARC-REPORT-AUTHORISATION', 'old-a.gov.uk._report._dmarc.dept.gov.uk']]);
      expect(report.records.filter((r) => r.name.includes('dmarc')).map((r) => [r.name, r.type, r.value])).toEqual([
        ['_dmarc.old-a.gov.uk', 'CNAME', CENTRAL],
        [CENTRAL, 'TXT', `"${PARKED_DMARC}"`],
      ]);
    } finally {
      dns.close();
      await knotd.stop();
    }
  }, 30000);
});

describe('review judges a pointing domain by the central record found in any template', () => {
  test('a central p=none in another stack: GOVUK-PARKED-DMARC on the pointing domain, exit 1', async () => {
    const dir = join(root, 'weak');
    synthPlain(dir, 'v=DMARC1; p=none; rua=mailto:dmarc@dept.gov.uk');
    const [d] = await domainsOf(dir);
    expect(d.domain).toBe('plain.gov.uk');
    expect(d.findings.map((f) => [f.ruleId, f.severity, f.path])).toEqual(expect.arrayContaining([
      ['GOVUK-PARKED-DMARC', 'error', '_dmarc.plain.gov.uk'],
      ['GOVUK-DMARC-POLICY', 'error', '_dmarc.plain.gov.uk'],
    ]));
    expect((await review(dir)).code).toBe(1);
    const table = (await review(dir)).stdout;
    expect(table).toMatch(/GOVUK-PARKED-DMARC +plain\.gov\.uk sends no mail, so DMARC must be p=reject; sp=reject; adkim=s; aspf=s; got: p=none/);
  });

  test('a good central record in another stack: the pointing domain is clean', async () => {
    const dir = join(root, 'good');
    synthPlain(dir, PARKED_DMARC);
    const [d] = await domainsOf(dir);
    expect(d.findings).toEqual([]);
  });

  test('a central record in no template: the pointing domain\'s DMARC is not evaluated, never passed', async () => {
    const dir = join(root, 'elsewhere');
    synthPlain(dir, undefined, '_parked._dmarc-policy.elsewhere.gov.uk');
    const [d] = await domainsOf(dir);
    expect(d.findings.map((f) => [f.ruleId, f.severity])).toEqual([['GOVUK-NOT-EVALUATED', 'warning']]);
    expect(d.findings[0].message).toContain('dmarc could not be evaluated');
  });

  test('a CNAME loop between two names of the plan: not evaluated, and review does not hang', async () => {
    const dir = join(root, 'loop');
    const app = new App({ outdir: dir });
    const stack = new Stack(app, 'Loop');
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0LOOP', zoneName: 'loop.gov.uk' });
    new route53.TxtRecord(stack, 'Spf', { zone, values: ['v=spf1 -all'] });
    new route53.CnameRecord(stack, 'Dmarc', { zone, recordName: '_dmarc', domainName: 'a._policy.loop.gov.uk' });
    new route53.CnameRecord(stack, 'A', { zone, recordName: 'a._policy', domainName: 'b._policy.loop.gov.uk' });
    new route53.CnameRecord(stack, 'B', { zone, recordName: 'b._policy', domainName: 'a._policy.loop.gov.uk' });
    lint.add(`${dir}-Loop`, app.synth().getStackArtifact(stack.artifactId).template);
    const [d] = await domainsOf(dir);
    expect(d.findings.map((f) => f.ruleId)).toContain('GOVUK-NOT-EVALUATED');
  });
});
