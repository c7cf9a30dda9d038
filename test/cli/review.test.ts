import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ASSEMBLY_RULES } from '../../src/assembly/domains';
import { CliIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import { RuleCatalogue } from '../../src/standard/rule-catalogue';
import { sarifProblems } from '../assembly/support/sarif';

const FIXTURES = join(__dirname, '..', 'fixtures', 'assemblies');
const fixture = (name: string) => join(FIXTURES, name);
const source = (id: string) => RuleCatalogue.get(id).source;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `gov-email <args>` in-process, capturing its output. */
async function run(args: string[], options: { isTTY?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t), isTTY: options.isTTY ?? false },
    stderr: { write: (t: string) => (stderr += t) },
    env: options.env ?? {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const review = (dir: string, ...args: string[]) => run(['review', dir, ...args]);
const json = async (dir: string, ...args: string[]) => JSON.parse((await review(dir, '--format', 'json', ...args)).stdout);

describe('gov-email review: exit codes', () => {
  test.each<[string, string[], number]>([
    ['errors found (multi-stack: a record set conflict)', [fixture('multi-stack')], 1],
    ['errors found (nested: SES without TLS required)', [fixture('nested')], 1],
    ['warnings alone (stage: a parked domain without a wildcard DKIM revocation)', [fixture('stage')], 0],
    ['warnings with --strict', [fixture('stage'), '--strict'], 1],
    ['an assembly with no stacks', [fixture('empty')], 0],
    ['a template that is not valid JSON', [fixture('broken-json')], 2],
    ['a manifest naming a template that does not exist', [fixture('missing-template')], 2],
    ['a folder that is not a cloud assembly', [fixture('not-an-assembly')], 2],
    ['no such folder', [fixture('no-such-folder')], 2],
    ['an unknown format', [fixture('stage'), '--format', 'xml'], 2],
    ['an unknown option', [fixture('stage'), '--colour'], 2],
    ['two folders', [fixture('stage'), fixture('nested')], 2],
    ['a --domain the plan does not publish', [fixture('stage'), '--domain', 'new.gov.uk'], 2],
  ])('%s', async (_name, args, code) => {
    for (const format of ['table', 'json']) {
      const hasFormat = args.includes('--format');
      expect((await run(['review', ...args, ...(hasFormat ? [] : ['--format', format])])).code).toBe(code);
    }
  });
});

describe('gov-email review: what cannot be read says why on stderr, and prints nothing on stdout', () => {
  test.each<[string, (dir: string) => string]>([
    ['no-such-folder', (d) => `gov-email review: No such folder: ${d}. Give the cloud assembly folder \`cdk synth\` writes (by default ./cdk.out).\n`],
    ['not-an-assembly', (d) => `gov-email review: ${d} is not a cloud assembly: it has no manifest.json. Run \`cdk synth\` and give the folder it writes (by default ./cdk.out).\n`],
    ['missing-template', (d) => `gov-email review: ${join(d, 'manifest.json')} names the template Missing.template.json for the stack Missing, but ${join(d, 'Missing.template.json')} does not exist. Run \`cdk synth\` again.\n`],
  ])('%s', async (name, message) => {
    const dir = fixture(name);
    const out = await review(dir, '--format', 'json');
    expect(out).toEqual({ code: 2, stdout: '', stderr: message(dir) });
  });

  test('broken JSON names the file', async () => {
    const out = await review(fixture('broken-json'));
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^gov-email review: .*broken-json\/Broken\.template\.json is not valid JSON: .+\n$/);
  });

  test('usage errors show the usage', async () => {
    const out = await review(fixture('stage'), '--format', 'xml');
    expect(out.stderr).toMatch(/^gov-email review: --format must be one of table, markdown, json, sarif, zone; got "xml"\.\n\nUsage: gov-email review \[cdk\.out\] \[options\]/);
  });

  test('a --domain the plan does not publish lists the domains it does', async () => {
    const out = await review(fixture('multi-stack'), '--domain', 'new.gov.uk', '--domain', 'dept.gov.uk');
    expect(out.stderr).toBe(`gov-email review: ${fixture('multi-stack')} publishes no records for new.gov.uk (its email domains: dept.gov.uk, old-dept.gov.uk).\n`);
  });

  test('stacks with no email domain: exit 0, and a note on stderr', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'gov-email-review-'));
    try {
      writeFileSync(join(tmp, 'manifest.json'), JSON.stringify({ version: '53.0.0', artifacts: { Web: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Web.template.json' } } } }));
      writeFileSync(join(tmp, 'Web.template.json'), JSON.stringify({ Resources: { Www: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.', Name: 'www.example.com.', Type: 'A', TTL: '60', ResourceRecords: ['192.0.2.1'] } } } }));
      const out = await review(tmp);
      expect(out).toEqual({ code: 0, stdout: '0 domains: 0 errors, 0 warnings, 0 info\n', stderr: `gov-email review: no email domain found in 1 stack of ${tmp}.\n` });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  describe('a manifest naming a file outside the folder: exit 2, one line on stderr, and nothing of the file printed', () => {
    /** A valid template outside the assembly, publishing a record: only the folder check keeps it from being reviewed. */
    const OUTSIDE = JSON.stringify({
      Description: 'OUTSIDE-THE-ASSEMBLY',
      Resources: { Spf: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'outside.gov.uk.', Name: 'outside.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: ['"v=spf1 -all"'] } } },
    });
    let tmp: string;
    let asm: string;
    beforeEach(() => {
      tmp = mkdtempSync(join(tmpdir(), 'gov-email-review-'));
      asm = join(tmp, 'cdk.out');
      mkdirSync(asm);
      writeFileSync(join(tmp, 'outside.json'), OUTSIDE);
    });
    afterEach(() => rmSync(tmp, { recursive: true, force: true }));
    const manifest = (templateFile: string) =>
      writeFileSync(join(asm, 'manifest.json'), JSON.stringify({ version: '53.0.0', artifacts: { App: { type: 'aws:cloudformation:stack', properties: { templateFile } } } }));

    test.each<[string, string, () => void]>([
      ['by ../', '../outside.json', () => undefined],
      ['by ../ to a file that is not a template', '../../../../../../../../etc/passwd', () => undefined],
      ['through a symbolic link in the folder', 'App.template.json', () => symlinkSync(join(tmp, 'outside.json'), join(asm, 'App.template.json'))],
    ])('%s', async (_name, templateFile, setup) => {
      manifest(templateFile);
      setup();
      for (const format of ['table', 'json']) {
        const out = await review(asm, '--format', format);
        expect(out).toEqual({
          code: 2,
          stdout: '',
          stderr: `gov-email review: ${join(asm, 'manifest.json')} names "${templateFile}", which leads outside the folder ${asm}; only files inside it are read.\n`,
        });
        expect(out.stderr).not.toMatch(/OUTSIDE-THE-ASSEMBLY|outside\.gov\.uk|root:/);
      }
    });
  });

  test('an assembly with no stacks says so on stderr', async () => {
    const out = await review(fixture('empty'), '--format', 'json');
    expect(out.stderr).toBe(`gov-email review: ${fixture('empty')} holds no CloudFormation stacks.\n`);
    expect(JSON.parse(out.stdout)).toEqual({ command: 'review', input: fixture('empty'), domains: [] });
  });
});

describe('gov-email review --format json', () => {
  test('stage: a parked domain in a stage, exactly', async () => {
    const dir = fixture('stage');
    const file = join(dir, 'assembly-Prod', 'ProdParked5B6C7D8E.template.json');
    const rec = (name: string, type: string, value: string, index: number) => ({ name, type, ttl: 86400, value, origin: `Prod/Parked/OldParked.RecordSets[${index}]`, file });
    expect(await json(dir)).toEqual({
      command: 'review',
      input: dir,
      domains: [{
        domain: 'old.gov.uk',
        profile: 'parked',
        records: [
          rec('old.gov.uk', 'CAA', '0 issue ";"', 2),
          rec('old.gov.uk', 'MX', '0 .', 1),
          rec('old.gov.uk', 'TXT', '"v=spf1 -all"', 0),
          rec('_dmarc.old.gov.uk', 'TXT', '"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@old.gov.uk"', 3),
        ],
        findings: [{
          ruleId: 'GOVUK-PARKED-DKIM',
          severity: 'warning',
          message: 'old.gov.uk sends no mail, so *._domainkey.old.gov.uk should hold TXT "v=DKIM1; p=" to revoke any key; got: no record.',
          source: source('GOVUK-PARKED-DKIM'),
          path: '*._domainkey.old.gov.uk',
          subject: { name: '*._domainkey.old.gov.uk', type: 'TXT' },
        }],
      }],
    });
  });

  test('nested: records from a nested stack, DKIM tokens as placeholders, exactly', async () => {
    const dir = fixture('nested');
    const nested = 'Agency/RecordsNestedStackRecordsNestedStackResource8E3B4C5D';
    const file = join(dir, 'AgencyRecords.nested.template.json');
    expect(await json(dir)).toEqual({
      command: 'review',
      input: dir,
      domains: [{
        domain: 'agency.gov.uk',
        profile: 'active',
        records: [
          { name: 'agency.gov.uk', type: 'TXT', ttl: 3600, value: '"v=spf1 -all"', origin: `${nested}/Spf`, file },
          { name: '_dmarc.agency.gov.uk', type: 'TXT', ttl: 3600, value: '"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@agency.gov.uk"', origin: `${nested}/Dmarc`, file },
          { name: 'mail.agency.gov.uk', type: 'MX', ttl: 1800, value: '10 feedback-smtp.eu-west-2.amazonses.com', origin: `${nested}/MailFromMx`, file },
          { name: 'mail.agency.gov.uk', type: 'TXT', ttl: 1800, value: '"v=spf1 include:amazonses.com -all"', origin: `${nested}/MailFromSpf`, file },
          { name: '<SES DKIM token name 1>', type: 'CNAME', ttl: 1800, value: '<SES DKIM token value 1>', origin: `${nested}/Dkim1`, file },
        ],
        findings: [
          {
            ruleId: 'GOVUK-NOT-EVALUATED',
            severity: 'warning',
            message: 'agency.gov.uk: dkim could not be evaluated because its value is not known here; it is not assumed compliant.',
            source: source('GOVUK-NOT-EVALUATED'),
            path: 'agency.gov.uk',
            subject: { name: '_domainkey.agency.gov.uk', type: 'TXT', field: 'dkim' },
          },
          {
            ruleId: 'GOVUK-SES-TLS-REQUIRED',
            severity: 'error',
            message: 'Mail sent through SES for agency.gov.uk is not required to use TLS: attach a configuration set with tlsPolicy REQUIRE as the identity\'s default.',
            source: source('GOVUK-SES-TLS-REQUIRED'),
            path: 'agency.gov.uk',
            subject: { name: 'agency.gov.uk', type: 'SES-IDENTITY' },
          },
        ],
      }],
    });
  });

  test('multi-stack: one domain from two stacks, with the conflict between them', async () => {
    const out = await json(fixture('multi-stack'));
    expect(out.domains.map((d: { domain: string; profile: string }) => [d.domain, d.profile])).toEqual([['dept.gov.uk', 'active'], ['old-dept.gov.uk', 'parked']]);
    const [dept, old] = out.domains;
    // Microsoft 365's selector1 is a CNAME to the tenant's key: DKIM-DELEGATED (info), not a warning.
    expect(dept.findings.map((f: { ruleId: string; severity: string }) => [f.ruleId, f.severity])).toEqual([
      ['DKIM-DELEGATED', 'info'],
      ['ROUTE53-RECORD-CONFLICT', 'error'],
    ]);
    expect(dept.records).toContainEqual({
      name: 'bounce.dept.gov.uk',
      type: 'MX',
      ttl: 1800,
      value: '10 feedback-smtp.<region>.amazonses.com',
      origin: 'DeptMail/MailFromMx6C1E2F3A',
      file: join(fixture('multi-stack'), 'DeptMail.template.json'),
    });
    expect(dept.records.filter((r: { type: string }) => r.type === 'CNAME').map((r: { name: string; value: string }) => `${r.name} ${r.value}`)).toEqual([
      'selector1._domainkey.dept.gov.uk selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com',
      '<SES DKIM token name 1> <SES DKIM token value 1>',
      '<SES DKIM token name 2> <SES DKIM token value 2>',
      '<SES DKIM token name 3> <SES DKIM token value 3>',
    ]);
    // GOV.UK's parked-domain DMARC record (fo=1 without ruf) draws no note.
    expect(old.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([]);
  });

  test('--domain keeps only the domains named (repeatable, any case, trailing dot)', async () => {
    const dir = fixture('multi-stack');
    expect((await json(dir, '--domain', 'OLD-DEPT.gov.uk.')).domains.map((d: { domain: string }) => d.domain)).toEqual(['old-dept.gov.uk']);
    expect((await json(dir, '--domain', 'old-dept.gov.uk', '--domain', 'dept.gov.uk')).domains.map((d: { domain: string }) => d.domain)).toEqual(['dept.gov.uk', 'old-dept.gov.uk']);
    const only = await review(dir, '--domain', 'old-dept.gov.uk');
    expect(only.code).toBe(0);
  });
});

describe('gov-email review --format sarif', () => {
  const dir = fixture('multi-stack');
  let sarif: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeAll(async () => {
    sarif = await json(dir, '--format', 'sarif');
  });

  test('valid against the SARIF 2.1.0 schema\'s rules for what it uses', async () => {
    expect(sarifProblems(sarif)).toEqual([]);
    for (const name of ['nested', 'stage', 'empty']) {
      expect(sarifProblems(await json(fixture(name), '--format', 'sarif'))).toEqual([]);
    }
  });

  test('SARIF 2.1.0 with its schema, from gov-email', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].tool.driver.name).toBe('gov-email');
    expect(sarif.runs[0].properties).toEqual({ command: 'review', input: dir });
  });

  test('the rules, each once, with the conflict rule described from the catalogue', () => {
    const rules = sarif.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(['DKIM-DELEGATED', 'ROUTE53-RECORD-CONFLICT']);
    expect(rules[1]).toEqual({
      id: 'ROUTE53-RECORD-CONFLICT',
      shortDescription: { text: ASSEMBLY_RULES.duplicateRecordSet.summary },
      help: { text: `${ASSEMBLY_RULES.duplicateRecordSet.summary} Source: ${ASSEMBLY_RULES.duplicateRecordSet.source}` },
      defaultConfiguration: { level: 'error' },
      properties: { source: ASSEMBLY_RULES.duplicateRecordSet.source },
    });
  });

  test('every result: rule id, the index of that rule, level, message, location', () => {
    const { results, tool } = sarif.runs[0];
    expect(results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level])).toEqual([
      ['DKIM-DELEGATED', 'note'],
      ['ROUTE53-RECORD-CONFLICT', 'error'],
    ]);
    for (const r of results) {
      expect(tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.message.text.length).toBeGreaterThan(0);
      expect(r.locations).toHaveLength(1);
      expect(r.locations[0].logicalLocations[0].kind).toBe('resource');
    }
  });

  test('the conflict points at a template publishing at its name, and names the resources that do', () => {
    const conflict = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'ROUTE53-RECORD-CONFLICT');
    expect(conflict.locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: pathToFileURL(join(dir, 'DeptZone.template.json')).href } },
      logicalLocations: [
        { fullyQualifiedName: 'dept.gov.uk', kind: 'resource' },
        { fullyQualifiedName: 'DeptZone/ApexMx0D8F4E21', kind: 'resource' },
        { fullyQualifiedName: 'DeptMail/SiteVerification2E6F', kind: 'resource' },
        { fullyQualifiedName: 'DeptZone/ApexTxt6A1E5C2B', kind: 'resource' },
      ],
    });
    expect(conflict.properties).toEqual({ domain: 'dept.gov.uk', source: ASSEMBLY_RULES.duplicateRecordSet.source });
  });

  test('a relative input gives relative artifact URIs', async () => {
    const relative = await json('test/fixtures/assemblies/stage', '--format', 'sarif');
    expect(relative.runs[0].results[0].locations[0]).toEqual({ logicalLocations: [{ fullyQualifiedName: '*._domainkey.old.gov.uk', kind: 'resource' }] });
    const nested = await json('test/fixtures/assemblies/nested', '--format', 'sarif');
    expect(nested.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/fixtures/assemblies/nested/AgencyRecords.nested.template.json' } });
  });
});

describe('gov-email review --format table and markdown', () => {
  test('table: per domain, the records then the findings', async () => {
    const out = await review(fixture('multi-stack'));
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatchSnapshot();
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('dept.gov.uk (active)');
    expect(lines).toContain('  <SES DKIM token name 1>                     CNAME  1800  <SES DKIM token value 1>');
    expect(lines).toContain('  bounce.dept.gov.uk                          MX     1800  10 feedback-smtp.<region>.amazonses.com');
    expect(lines).toContain('  mta-sts.dept.gov.uk                         A            ALIAS <Fn::GetAtt PolicyHost4C5D6E7F.DomainName>');
    expect(lines.find((l) => l.includes('ROUTE53-RECORD-CONFLICT'))).toMatch(/^ {2}ERROR {2}ROUTE53-RECORD-CONFLICT {2}2 record sets publish TXT at dept\.gov\.uk/);
    expect(lines[lines.length - 2]).toBe('2 domains: 1 error, 0 warnings, 1 info');
  });

  test('markdown: a verdict, the records folded, the findings', async () => {
    const out = await review(fixture('multi-stack'), '--format', 'markdown');
    expect(out.stdout).toMatchSnapshot();
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('## gov-email review: :x: 2 domains: 1 error, 0 warnings, 1 info');
    expect(lines).toContain('| &lt;SES DKIM token name 1&gt; | CNAME | 1800 | `<SES DKIM token value 1>` |');
    expect(lines).toContain('### old-dept.gov.uk (parked)');
  });

  test('colour only on a terminal, and never with NO_COLOR', async () => {
    const dir = fixture('stage');
    expect((await run(['review', dir], { isTTY: true })).stdout).toContain('\x1b[33m');
    expect((await run(['review', dir], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    expect((await run(['review', dir], { isTTY: false })).stdout).not.toContain('\x1b[');
    expect((await run(['review', dir, '--format', 'markdown'], { isTTY: true })).stdout).not.toContain('\x1b[');
  });

  test('without a folder, ./cdk.out is read', async () => {
    const cwd = process.cwd();
    const tmp = mkdtempSync(join(tmpdir(), 'gov-email-review-'));
    try {
      cpSync(fixture('stage'), join(tmp, 'cdk.out'), { recursive: true });
      process.chdir(tmp);
      const out = await run(['review', '--format', 'json']);
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout).input).toBe('cdk.out');
      rmSync(join(tmp, 'cdk.out'), { recursive: true });
      expect((await run(['review'])).stderr).toBe('gov-email review: No such folder: cdk.out. Give the cloud assembly folder `cdk synth` writes (by default ./cdk.out).\n');
    } finally {
      process.chdir(cwd);
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('--help prints the usage', async () => {
    const out = await run(['review', '--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Usage: gov-email review \[cdk\.out\] \[options\]/);
    expect(out.stdout).toContain('--format <format>       table, markdown, json, sarif, zone (default: table)');
  });
});
