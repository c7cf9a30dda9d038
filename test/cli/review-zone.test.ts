/**
 * `gov-email review --format zone`: the plan as zone-file fragments. Unit tests of the
 * encoding (TXT character-strings, names, placeholders, aliases, findings as comments, several
 * zones, `--out`); every example's fragments loaded by Knot DNS's kzonecheck; and the
 * department example's zones served by knotd on 127.0.0.1 and read back by `gov-email check`.
 *
 * kzonecheck and knotd (Debian: knot-dnssecutils and knot) are required, not optional: CI
 * installs them in .ci/run, and these tests fail when they are missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from './support/environment';
import { Knotd, freePort, knotTool } from './support/knotd';
import { departmentApp } from '../../examples/department/department';
import { parkedEstateApp } from '../../examples/parked-estate/parked-estate';
import { transactionalSenderApp } from '../../examples/transactional-sender/transactional-sender';
import { CliIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import { Report } from '../../src/cli/report';
import { zoneCharacterStrings, zoneName } from '../../src/cli/review/zone-file';
import { ensureParserBundle } from '../report-inbox/support/bundle';

jest.setTimeout(120_000);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function gov(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (t: string) => (stdout += t), isTTY: false }, stderr: { write: (t: string) => (stderr += t) }, env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'gov-email-zone-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (name: string) => {
  const dir = join(tmp, `${name}-${++dirs}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** A cloud assembly of one environment-agnostic stack with these resources. */
function assembly(resources: Record<string, unknown>, outputs: Record<string, unknown> = {}): string {
  const dir = freshDir('assembly');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    version: '53.0.0',
    artifacts: {
      Mail: {
        type: 'aws:cloudformation:stack',
        environment: 'aws://unknown-account/unknown-region',
        properties: { templateFile: 'Mail.template.json', validateOnSynth: false },
        displayName: 'Mail',
      },
    },
  }));
  writeFileSync(join(dir, 'Mail.template.json'), JSON.stringify({ Resources: resources, Outputs: outputs }));
  return dir;
}

const record = (zone: unknown, name: unknown, type: string, values: unknown[], ttl: string = '300') => ({
  Type: 'AWS::Route53::RecordSet',
  Properties: { HostedZoneId: zone, Name: name, Type: type, TTL: ttl, ResourceRecords: values },
});

/** A 2048-bit-sized DKIM key: over 255 octets, so one value needs several character-strings. */
const LONG_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' + 'x'.repeat(340) + 'IDAQAB';
const ZONE = { Ref: 'Zone' };

/**
 * example.gov.uk (a zone the template declares, so its name is known): an active domain with
 * every kind of record the encoding has to get right; parked.gov.uk (a zone imported by id).
 */
function mixedAssembly(): string {
  return assembly({
    Zone: { Type: 'AWS::Route53::HostedZone', Properties: { Name: 'example.gov.uk.' } },
    Spf: record(ZONE, 'example.gov.uk.', 'TXT', ['"v=spf1 include:amazonses.com -all"', '"note=say \\"hi\\" \\\\ there; (ok)"', '"caf\\303\\251"']),
    Mx: record(ZONE, 'example.gov.uk.', 'MX', ['10 inbound-smtp.eu-west-2.amazonaws.com']),
    Dmarc: record(ZONE, '_dmarc.example.gov.uk.', 'TXT', ['"v=DMARC1; p=none; rua=mailto:dmarc@example.gov.uk"']),
    Dkim: record(ZONE, 'sel1._domainkey.example.gov.uk.', 'TXT', [`"v=DKIM1; k=rsa; p=${LONG_KEY}"`]),
    Delegated: record(ZONE, 'sel2._domainkey.example.gov.uk.', 'CNAME', ['sel2.dkim.provider.example']),
    Imported: record(ZONE, '_mta-sts.example.gov.uk.', 'TXT', [{ 'Fn::Join': ['', ['"v=STSv1; id=', { 'Fn::ImportValue': 'PolicyId' }, '"']] }]),
    Bounce: record(ZONE, 'bounce.example.gov.uk.', 'MX', [{ 'Fn::Sub': '10 feedback-smtp.${AWS::Region}.amazonses.com' }]),
    Caa: record(ZONE, 'example.gov.uk.', 'CAA', ['0 issue "amazon.com"']),
    Identity: {
      Type: 'AWS::SES::EmailIdentity',
      Properties: { EmailIdentity: 'example.gov.uk', DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' } },
    },
    EasyDkim1: record(ZONE, { 'Fn::GetAtt': ['Identity', 'DkimDNSTokenName1'] }, 'CNAME', [{ 'Fn::GetAtt': ['Identity', 'DkimDNSTokenValue1'] }]),
    Distribution: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { Aliases: ['mta-sts.example.gov.uk'] } } },
    Alias: {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        HostedZoneId: ZONE,
        Name: 'mta-sts.example.gov.uk.',
        Type: 'A',
        AliasTarget: { DNSName: { 'Fn::GetAtt': ['Distribution', 'DomainName'] }, HostedZoneId: 'Z2FDTNDATAQYW2' },
      },
    },
    Parked: {
      Type: 'AWS::Route53::RecordSetGroup',
      Properties: {
        HostedZoneId: 'Z0PARKED0000000000001',
        RecordSets: [
          { Name: 'parked.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: ['"v=spf1 -all"'] },
          { Name: 'parked.gov.uk.', Type: 'MX', TTL: '3600', ResourceRecords: ['0 .'] },
          { Name: '_dmarc.parked.gov.uk.', Type: 'TXT', TTL: '3600', ResourceRecords: ['"v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc@example.gov.uk"'] },
        ],
      },
    },
  });
}

/** The record lines of a fragment (no comments, no directives). */
const recordLines = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith(';') && !l.startsWith('$'));

/** The fragments of `review --format zone` output, by zone name. */
function fragmentsOf(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /^; ==== BEGIN zone (\S+) \((\S+)\) ====\n([\s\S]*?)^; ==== END zone \1 ====$/gm;
  for (const m of stdout.matchAll(re)) out.set(m[1], m[3]);
  return out;
}

/** The fragment with an SOA and NS at its origin prepended, as a DNS server loads a zone. */
function loadableZone(zone: string, fragment: string): string {
  return [
    `$ORIGIN ${zone}.`,
    `@ 3600 IN SOA ns1.${zone}. hostmaster.${zone}. 1 7200 3600 1209600 300`,
    `@ 3600 IN NS ns1.${zone}.`,
    'ns1 3600 IN A 127.0.0.1',
    fragment,
  ].join('\n');
}

/** kzonecheck's verdict on a zone file: exit status and everything it printed. */
function kzonecheck(zone: string, file: string): { status: number | null; output: string } {
  // -v: without it kzonecheck does not print its warnings (such as out-of-zone data it ignores).
  const run = spawnSync(knotTool('kzonecheck'), ['-v', '-o', `${zone}.`, file], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** kzonecheck's error and warning lines. */
const problems = (output: string) => output.split('\n').filter((l) => /^(error|warning)\b/i.test(l));

/** Write the fragment as a loadable zone and check it: no error and no warning (out-of-zone data is only a warning). */
function expectLoads(zone: string, fragment: string, dir: string): string {
  const file = join(dir, `${zone}.zone`);
  writeFileSync(file, loadableZone(zone, fragment));
  const result = kzonecheck(zone, file);
  expect({ zone, status: result.status, problems: problems(result.output) }).toEqual({ zone, status: 0, problems: [] });
  expect(result.output).toBe('No semantic error found');
  return file;
}

// ---- unit: the encoding ------------------------------------------------------------------

describe('zone-file encoding', () => {
  test.each<[string, string, string]>([
    ['a plain value', '"v=spf1 -all"', '"v=spf1 -all"'],
    ['several character-strings kept apart', '"v=spf1 " "-all"', '"v=spf1 " "-all"'],
    ['quotes and backslashes escaped for a zone parser', '"say \\"hi\\" \\\\ there"', '"say \\"hi\\" \\\\ there"'],
    ['an unquoted value quoted', 'v=spf1 -all', '"v=spf1 -all"'],
    ['Route 53 octal escapes as zone-file decimal escapes (é is C3 A9)', '"caf\\303\\251"', '"caf\\195\\169"'],
    ['a non-ASCII character as its UTF-8 octets', '"café"', '"caf\\195\\169"'],
    ['an empty string', '""', '""'],
    ['a semicolon and parentheses kept inside the quotes', '"a; (b)"', '"a; (b)"'],
  ])('TXT: %s', (_name, route53, zone) => {
    expect(zoneCharacterStrings(route53)).toBe(zone);
  });

  test('TXT: a character-string over 255 octets is split into strings of at most 255 that join back to it', () => {
    const value = 'v=DKIM1; p=' + 'A'.repeat(600);
    const out = zoneCharacterStrings(`"${value}"`);
    const strings = [...out.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    expect(strings.map((s) => s.length)).toEqual([255, 255, 101]);
    expect(strings.join('')).toBe(value);
    // Split by octets, never inside a character: 200 two-octet characters.
    const wide = zoneCharacterStrings(`"${'é'.repeat(200)}"`);
    expect(wide.split('" "').map((s) => (s.match(/\\195\\169/g) ?? []).length)).toEqual([127, 73]);
  });

  test.each<[string, string]>([
    ['selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com', 'selector1-dept-gov-uk._domainkey.dept.onmicrosoft.com.'],
    ['feedback-smtp.eu-west-2.amazonses.com.', 'feedback-smtp.eu-west-2.amazonses.com.'],
    ['\\052._domainkey.old.gov.uk', '*._domainkey.old.gov.uk.'],
    ['a b;c.example', 'a\\032b\\;c.example.'],
    ['.', '.'],
  ])('names: %s is %s', (name, zone) => {
    expect(zoneName(name)).toBe(zone);
  });
});

// ---- unit: a review -----------------------------------------------------------------------

describe('gov-email review --format zone', () => {
  let dir: string;
  let run: Run;
  let fragments: Map<string, string>;
  beforeAll(async () => {
    dir = mixedAssembly();
    run = await gov(['review', dir, '--format', 'zone']);
    fragments = fragmentsOf(run.stdout);
  });

  test('one fragment per hosted zone, sorted, each delimited, with its header and $ORIGIN; no $TTL when every TTL is known', () => {
    expect(run.stderr).toBe('');
    expect([...fragments.keys()]).toEqual(['example.gov.uk', 'parked.gov.uk']);
    expect(run.stdout.match(/^; ==== BEGIN zone .*$/gm)).toEqual([
      '; ==== BEGIN zone example.gov.uk (example.gov.uk.zone) ====',
      '; ==== BEGIN zone parked.gov.uk (parked.gov.uk.zone) ====',
    ]);
    const example = fragments.get('example.gov.uk')!.split('\n');
    expect(example[0]).toBe('; zone example.gov.uk');
    expect(example[1]).toBe(`; Produced by gov-email review from ${dir}: the records the plan publishes in the hosted zone example.gov.uk.`);
    expect(example).toContain('$ORIGIN example.gov.uk.');
    expect(example.some((l) => l.startsWith('$TTL'))).toBe(false);
    // The imported zone is named after its records, and says so.
    const parked = fragments.get('parked.gov.uk')!;
    expect(parked).toMatch(/^; Produced by .* the hosted zone Z0PARKED0000000000001, whose name the templates do not give: taken as parked.gov.uk/m);
    expect(recordLines(parked)).toEqual([
      'parked.gov.uk. 3600 IN MX 0 .',
      'parked.gov.uk. 3600 IN TXT "v=spf1 -all"',
      '_dmarc.parked.gov.uk. 3600 IN TXT "v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc@example.gov.uk"',
    ]);
  });

  test('records: fully-qualified owners and targets, TTL, IN, type; TXT escaped and split', () => {
    const lines = recordLines(fragments.get('example.gov.uk')!);
    expect(lines).toEqual(expect.arrayContaining([
      'example.gov.uk. 300 IN MX 10 inbound-smtp.eu-west-2.amazonaws.com.',
      'example.gov.uk. 300 IN TXT "v=spf1 include:amazonses.com -all"',
      'example.gov.uk. 300 IN TXT "note=say \\"hi\\" \\\\ there; (ok)"',
      'example.gov.uk. 300 IN TXT "caf\\195\\169"',
      'example.gov.uk. 300 IN CAA 0 issue "amazon.com"',
      'sel2._domainkey.example.gov.uk. 300 IN CNAME sel2.dkim.provider.example.',
      '_dmarc.example.gov.uk. 300 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.gov.uk"',
    ]));
    const dkim = lines.find((l) => l.startsWith('sel1._domainkey.example.gov.uk. 300 IN TXT '))!;
    const strings = [...dkim.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    expect(strings.length).toBe(2);
    expect(strings.every((s) => s.length <= 255)).toBe(true);
    expect(strings.join('')).toBe(`v=DKIM1; k=rsa; p=${LONG_KEY}`);
  });

  test('what is known only at deployment: placeholders that parse, each explained with its stack and attribute, export or parameter', () => {
    const text = fragments.get('example.gov.uk')!;
    const lines = text.split('\n');
    // SES Easy DKIM: the owner under _domainkey of the identity, the target under .invalid.
    const dkim = lines.find((l) => /IN CNAME placeholder-\d+\.invalid\.$/.test(l))!;
    expect(dkim).toMatch(/^placeholder-(\d+)\._domainkey\.example\.gov\.uk\. 300 IN CNAME placeholder-(\d+)\.invalid\.$/);
    const [, nameTag, valueTag] = /^placeholder-(\d+)\..* placeholder-(\d+)\.invalid\.$/.exec(dkim)!;
    const explanation = (n: string) => lines.find((l) => l.startsWith(`; placeholder-${n} stands for `));
    expect(explanation(nameTag)).toMatch(/<SES DKIM token name 1>: the DkimDNSTokenName1 attribute \(Fn::GetAtt\) of the SES identity Mail\/Identity for example\.gov\.uk/);
    expect(explanation(valueTag)).toMatch(/<SES DKIM token value 1>: the DkimDNSTokenValue1 attribute .*<token>\.dkim\.amazonses\.com.*the record is Mail\/EasyDkim1/);
    // A value from an export: the placeholder inside the TXT string.
    const mtaSts = lines.find((l) => l.startsWith('_mta-sts.example.gov.uk. 300 IN TXT '))!;
    const [, stsTag] = /"v=STSv1; id=PLACEHOLDER-(\d+)"$/.exec(mtaSts)!;
    expect(explanation(stsTag)).toMatch(/<Fn::ImportValue PolicyId>: the export PolicyId, which no stack of this assembly makes/);
    // A pseudo parameter inside a target.
    const bounce = lines.find((l) => l.startsWith('bounce.example.gov.uk. 300 IN MX '))!;
    const [, regionTag] = /^bounce\.example\.gov\.uk\. 300 IN MX 10 feedback-smtp\.placeholder-(\d+)\.amazonses\.com\.$/.exec(bounce)!;
    expect(explanation(regionTag)).toMatch(/<region>: the region the stack Mail is deployed to/);
    // Every explanation comes right before the record that uses it.
    for (const tag of [nameTag, stsTag, regionTag]) {
      const at = lines.findIndex((l) => l.startsWith(`; placeholder-${tag} stands for `));
      expect(lines.slice(at + 1).find((l) => !l.startsWith(';'))!.toLowerCase()).toContain(`placeholder-${tag}`);
    }
  });

  test('a Route 53 alias is a comment naming its target and what the provider needs, never a record', () => {
    const text = fragments.get('example.gov.uk')!;
    expect(recordLines(text).filter((l) => l.startsWith('mta-sts.'))).toEqual([]);
    const at = text.split('\n').findIndex((l) => l.startsWith('; mta-sts.example.gov.uk. A: a Route 53 alias'));
    const comment = text.split('\n').slice(at, at + 3);
    expect(comment[0]).toBe('; mta-sts.example.gov.uk. A: a Route 53 alias (Mail/Alias) to <Fn::GetAtt Distribution.DomainName>, '
      + 'a CloudFront distribution\'s domain name. A zone file cannot hold an alias:');
    expect(comment[1]).toMatch(/ALIAS or ANAME record to that name, or else a CNAME to it/);
    expect(comment[2]).toMatch(/the DomainName attribute \(Fn::GetAtt\) of the resource Distribution in the stack Mail/);
  });

  test('each domain\'s findings are one-line comments under its heading, as review\'s JSON reports them', async () => {
    const report = JSON.parse((await gov(['review', dir, '--format', 'json'])).stdout) as Report;
    for (const d of report.domains) {
      const text = [...fragments.values()].find((f) => f.includes(`; ---- domain ${d.domain} `))!;
      const lines = text.split('\n');
      const heading = lines.findIndex((l) => l.startsWith(`; ---- domain ${d.domain} `));
      const comments = lines.slice(heading + 1, heading + 1 + d.findings.length);
      expect(comments.sort()).toEqual(d.findings.map((f) => `; ${f.severity.toUpperCase()} ${f.ruleId}: ${f.message.replace(/[\r\n]+/g, ' ')}`).sort());
    }
    const example = report.domains.find((d) => d.domain === 'example.gov.uk')!;
    expect(example.findings.map((f) => f.ruleId)).toContain('GOVUK-DMARC-POLICY');
    expect(fragments.get('example.gov.uk')).toMatch(/^; ERROR GOVUK-DMARC-POLICY: .*p=none/m);
  });

  test('the exit code is the table\'s: 1 with errors in the plan, 0 without (warnings alone), 1 for warnings with --strict', async () => {
    const table = await gov(['review', dir]);
    expect(table.code).toBe(1);
    expect(run.code).toBe(table.code);
    const parkedOnly = await gov(['review', dir, '--domain', 'parked.gov.uk', '--format', 'zone']);
    expect(parkedOnly.code).toBe((await gov(['review', dir, '--domain', 'parked.gov.uk'])).code);
    expect(parkedOnly.code).toBe(0);
    expect([...fragmentsOf(parkedOnly.stdout).keys()]).toEqual(['parked.gov.uk']);
    expect(parkedOnly.stdout).toMatch(/^; WARNING GOVUK-PARKED-DKIM: /m);
    expect((await gov(['review', dir, '--domain', 'parked.gov.uk', '--format', 'zone', '--strict'])).code).toBe(1);
  });

  test('kzonecheck loads every fragment, with an SOA and NS added, without error or warning', () => {
    const checkDir = freshDir('kzonecheck-mixed');
    for (const [zone, fragment] of fragments) expectLoads(zone, fragment, checkDir);
  });

  test('kzonecheck catches what the fragments must not do: a name outside the zone, an unterminated string', () => {
    const checkDir = freshDir('kzonecheck-bad');
    const bad = (name: string, fragment: string) => {
      const file = join(checkDir, name);
      writeFileSync(file, loadableZone('example.gov.uk', fragment));
      return kzonecheck('example.gov.uk', file);
    };
    expect(problems(bad('outside.zone', 'other.gov.uk. 300 IN TXT "x"').output)).toEqual([expect.stringMatching(/^warning: .*out-of-zone data, owner other\.gov\.uk\./)]);
    const unterminated = bad('unterminated.zone', 'a.example.gov.uk. 300 IN TXT "x');
    expect(unterminated.status).not.toBe(0);
    expect(problems(unterminated.output).length).toBeGreaterThan(0);
  });

  test('--out writes one file per zone, <zone>.zone, holding the fragment printed on stdout', async () => {
    const out = freshDir('out');
    const written = await gov(['review', dir, '--format', 'zone', '--out', out]);
    expect(written.code).toBe(run.code);
    expect(written.stderr).toBe('');
    expect(readdirSync(out).sort()).toEqual(['example.gov.uk.zone', 'parked.gov.uk.zone']);
    for (const [zone, fragment] of fragments) expect(readFileSync(join(out, `${zone}.zone`), 'utf8')).toBe(fragment);
    expect(written.stdout).toContain(`wrote ${join(out, 'parked.gov.uk.zone')}: zone parked.gov.uk, 3 records, 0 placeholders`);
  });

  test('--out refuses a folder that does not exist, and goes only with --format zone: usage errors, exit 2', async () => {
    const missing = join(tmp, 'no-such-folder');
    const r = await gov(['review', dir, '--format', 'zone', '--out', missing]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`gov-email review: --out ${missing}: no such folder; create it first.`);
    expect(r.stderr).toContain('Usage: gov-email review');
    expect(existsSync(missing)).toBe(false);
    const file = join(freshDir('file'), 'f.txt');
    writeFileSync(file, '');
    expect((await gov(['review', dir, '--format', 'zone', '--out', file])).code).toBe(2);
    const table = await gov(['review', dir, '--out', freshDir('table')]);
    expect(table.code).toBe(2);
    expect(table.stderr).toContain('--out writes zone files: it goes with --format zone, not table.');
  });

  test('review documents the format and --out; an unknown format names zone among review\'s formats', async () => {
    const help = await gov(['review', '--help']);
    expect(help.stdout + help.stderr).toMatch(/--format <format> {7}table, markdown, json, sarif, zone/);
    expect(help.stdout + help.stderr).toContain('--out <folder>');
    const bad = await gov(['review', dir, '--format', 'bind']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of table, markdown, json, sarif, zone; got "bind".');
  });

  test.each([
    ['check', ['check', 'dept.gov.uk', '--format', 'zone']],
    ['verify', ['verify', '--stack', 'Mail', '--format', 'zone']],
    ['reports', ['reports', tmp, '--format', 'zone']],
  ])('%s refuses --format zone with its usual usage error', async (command, args) => {
    const r = await gov(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`gov-email ${command}: --format must be one of table, markdown, json, sarif; got "zone".`);
  });

  test('a domain that publishes no record is named, with its findings, outside every zone', async () => {
    const lonely = assembly({ Identity: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'lonely.gov.uk' } } });
    const r = await gov(['review', lonely, '--format', 'zone']);
    expect(r.stdout).toMatch(/^; domain lonely\.gov\.uk \(active\): publishes no record, so it is in no zone below$/m);
    expect(r.stdout).toMatch(/^; ERROR GOVUK-/m);
    expect(fragmentsOf(r.stdout).size).toBe(0);
    expect(r.code).toBe((await gov(['review', lonely])).code);
  });
});

// ---- every example, through kzonecheck -----------------------------------------------------

const examples: Array<[string, (outdir: string) => { synth: () => unknown }]> = [
  ['department', (o) => departmentApp(o)],
  ['parked-estate', (o) => parkedEstateApp(o)],
  ['transactional-sender', (o) => transactionalSenderApp(o)],
];

describe('every example\'s zone files load in kzonecheck', () => {
  beforeAll(() => {
    knotTool('kzonecheck');
    ensureParserBundle();
  });

  test.each(examples)('%s', async (name, app) => {
    const cdkOut = join(freshDir(name), 'cdk.out');
    app(cdkOut).synth();
    const out = freshDir(`${name}-zones`);
    const written = await gov(['review', cdkOut, '--format', 'zone', '--out', out]);
    expect(written.stderr).toBe('');
    expect(written.code).toBe((await gov(['review', cdkOut])).code);
    const printed = fragmentsOf((await gov(['review', cdkOut, '--format', 'zone'])).stdout);
    const files = readdirSync(out).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(files).toEqual([...printed.keys()].map((z) => `${z}.zone`).sort());

    // Every resolved, non-alias record of review's JSON is a record line of its zone.
    const report = JSON.parse((await gov(['review', cdkOut, '--format', 'json'])).stdout) as Report;
    const allLines = new Set([...printed.values()].flatMap(recordLines));
    const expected = report.domains.flatMap((d) => d.records)
      .filter((r) => !r.value.startsWith('ALIAS ') && !/[<>]/.test(r.name + r.value))
      .map((r) => `${r.name}. ${r.ttl} IN ${r.type} ${r.type === 'TXT' ? zoneCharacterStrings(r.value) : r.type === 'CAA' ? r.value : zoneTarget(r.type, r.value)}`);
    expect(expected.filter((l) => !allLines.has(l))).toEqual([]);

    const checkDir = freshDir(`${name}-kzonecheck`);
    for (const file of files) {
      const zone = file.replace(/\.zone$/, '');
      expectLoads(zone, readFileSync(join(out, file), 'utf8'), checkDir);
    }
  });
});

/** An MX or CNAME value as the zone file writes it: the target made absolute. */
function zoneTarget(type: string, value: string): string {
  if (type === 'MX') {
    const [preference, exchange] = value.split(/\s+/);
    return `${preference} ${zoneName(exchange)}`;
  }
  return type === 'CNAME' ? zoneName(value) : value;
}

// ---- end to end: knotd serves the department's zones; gov-email check reads them ------------

/** Rules a malformed or unreadable record breaks, or that say a record the zone holds was not found. */
const RECORD_SYNTAX_RULES = new Set([
  'SPF-VERSION', 'SPF-MALFORMED-TERM', 'SPF-UNKNOWN-MECHANISM', 'SPF-UNKNOWN-MODIFIER', 'SPF-INVALID-DOMAIN-SPEC', 'SPF-INVALID-IP4',
  'SPF-INVALID-IP6', 'SPF-INVALID-MACRO', 'SPF-MULTIPLE-RECORDS', 'SPF-VERSION-AS-TERM', 'SPF-DUPLICATE-MODIFIER',
  'DMARC-TAG-SYNTAX', 'DMARC-VERSION', 'DMARC-MULTIPLE-RECORDS', 'DMARC-LITERAL-QUOTES', 'DMARC-DUPLICATE-TAG', 'DMARC-NO-RECORD',
  'DMARC-POLICY-VALUE', 'DMARC-REPORT-URI', 'DMARC-REPORT-URI-SCHEME',
  'TLSRPT-FIELD-SYNTAX', 'TLSRPT-VERSION', 'TLSRPT-MULTIPLE-RECORDS', 'TLSRPT-NO-RECORD', 'TLSRPT-URI-MALFORMED', 'TLSRPT-URI-SCHEME',
  'TLSRPT-DUPLICATE-FIELD', 'TLSRPT-RUA-MISSING',
  'MTASTS-RECORD-SYNTAX', 'MTASTS-RECORD-MULTIPLE', 'MTASTS-VERSION', 'MTASTS-ID', 'MTASTS-DUPLICATE-FIELD', 'MTASTS-EXTENSION-SYNTAX',
  'MX-SYNTAX', 'MX-NULL-NOT-ALONE', 'MX-NULL-PREFERENCE', 'CAA-SYNTAX', 'CAA-TAG-SYNTAX', 'CAA-FLAGS',
  'TXT-STRING-LENGTH', 'TXT-NON-ASCII', 'TXT-QUOTED-VALUE', 'DKIM-TAG-SYNTAX', 'DKIM-VERSION', 'DNS-NAME-SYNTAX',
  'GOVUK-SPF-MISSING', 'GOVUK-DMARC-MISSING', 'GOVUK-TLSRPT-MISSING', 'DNS-NXDOMAIN', 'DNS-SERVFAIL',
]);

describe('end to end: knotd serves the department\'s zone files, gov-email check reads them', () => {
  let knotd: Knotd | undefined;
  let review: Report;
  let checked: Report;
  let checkCode: number;
  const domains = ['dept.gov.uk', 'reports.dept.gov.uk', 'old-dept.gov.uk', 'dept-campaign.gov.uk'];

  beforeAll(async () => {
    knotTool('knotd');
    ensureParserBundle();
    const cdkOut = join(freshDir('department-e2e'), 'cdk.out');
    departmentApp(cdkOut).synth();
    const out = freshDir('department-e2e-zones');
    expect((await gov(['review', cdkOut, '--format', 'zone', '--out', out])).stderr).toBe('');
    review = JSON.parse((await gov(['review', cdkOut, '--format', 'json'])).stdout) as Report;

    const serverDir = mkdtempSync(join(tmpdir(), 'knotd-'));
    const zones = readdirSync(out).map((file) => {
      const zone = file.replace(/\.zone$/, '');
      const path = join(serverDir, file);
      writeFileSync(path, loadableZone(zone, readFileSync(join(out, file), 'utf8')));
      return { zone, file: path };
    });
    expect(zones.map((z) => z.zone).sort()).toEqual(['dept-campaign.gov.uk', 'dept.gov.uk', 'old-dept.gov.uk']);
    knotd = await Knotd.start(serverDir, zones);

    // No HTTPS server: MTA-STS policy fetches go to a closed port on 127.0.0.1 and fail, as expected.
    const closedPort = await freePort();
    const r = await runCheck([...domains, '--resolver', knotd.address, '--https-port', String(closedPort), '--no-smtp', '--timeout', '1000ms', '--format', 'json']);
    checkCode = r.code;
    checked = JSON.parse(r.stdout) as Report;
  });
  afterAll(async () => {
    await knotd?.stop();
  });

  test('knotd loaded every zone without complaint', () => {
    expect(knotd!.log).not.toMatch(/error|warning/i);
  });

  test('every domain is checked; no record is malformed or missing', () => {
    expect(checkCode).not.toBe(2);
    expect(checked.domains.map((d) => d.domain)).toEqual(domains);
    const syntax = checked.domains.flatMap((d) => d.findings.filter((f) => RECORD_SYNTAX_RULES.has(f.ruleId)).map((f) => `${d.domain} ${f.ruleId}: ${f.message}`));
    expect(syntax).toEqual([]);
  });

  test('the TXT and MX records check reads from DNS are the ones review says the plan publishes', () => {
    for (const domain of domains) {
      const planned = review.domains.find((d) => d.domain === domain)!.records;
      const live = checked.domains.find((d) => d.domain === domain)!.records;
      const names = [domain, `_dmarc.${domain}`, `_smtp._tls.${domain}`, `_mta-sts.${domain}`];
      const txt = (records: typeof planned) => records.filter((r) => r.type === 'TXT' && names.includes(r.name)).map((r) => `${r.name} ${r.value}`).sort();
      expect({ domain, txt: txt(live) }).toEqual({ domain, txt: txt(planned) });
      const mx = (records: typeof planned) => records.filter((r) => r.type === 'MX' && r.name === domain)
        .map((r) => r.value.replace(/\.$/, '')).sort();
      expect({ domain, mx: mx(live) }).toEqual({ domain, mx: mx(planned) });
      expect(txt(live).length).toBeGreaterThanOrEqual(2);
    }
  });
});
