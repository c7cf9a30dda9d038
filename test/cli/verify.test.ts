/**
 * `gov-email verify` against a cloud assembly synthesised here from a small aws-cdk-lib app
 * (test/fixtures/verify/mail-app.ts), with SES and Route 53 mocked by aws-sdk-client-mock.
 * Sleep and clock are injected, so retries and pacing cost no time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetConfigurationSetCommand, GetEmailIdentityCommand, SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { Timing } from '../../src/cli/verify/aws';
import { VerifyIo, verifyCommand } from '../../src/cli/verify/command';
import { Finding } from '../../src/records/finding';
import {
  AGNOSTIC_TOKENS, DEPT_ZONE_ID, TOKENS, agnosticIdentity, agnosticRecords, agnosticZone, deptIdentity, deptRecords, deptZone,
  otherIdentity, otherZone, route53Error, serveSes, serveZones, sesError,
} from '../fixtures/verify/aws-mocks';
import { AGNOSTIC, AGNOSTIC_ZONE_ID, CONFIGURATION_SET, DEPT, OTHER, OTHER_ZONE_ID, synthMailApp } from '../fixtures/verify/mail-app';

interface DomainJson {
  readonly domain: string;
  readonly records: Array<{ name: string; type: string; ttl?: number; value: string; origin?: string }>;
  readonly findings: Finding[];
}

const ses = mockClient(SESv2Client);
const route53 = mockClient(Route53Client);

/** A clock that only moves when something sleeps. */
function fakeTiming(): { timing: Timing; sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    timing: {
      now: () => t,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        t += ms;
      },
      random: () => 0.5,
    },
  };
}

let app: string;
let clock: ReturnType<typeof fakeTiming>;

async function verify(args: string[], options: { env?: NodeJS.ProcessEnv; withApp?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const io: VerifyIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: options.env ?? {},
    timing: clock.timing,
  };
  const code = await verifyCommand.run(options.withApp === false ? args : ['--app', app, ...args], io);
  return { code, stdout, stderr };
}

async function verifyJson(...args: string[]): Promise<{ code: number; stderr: string; domains: DomainJson[] }> {
  const r = await verify([...args, '--format', 'json']);
  return { code: r.code, stderr: r.stderr, domains: r.stdout === '' ? [] : JSON.parse(r.stdout).domains };
}

const summary = (domains: DomainJson[]) => domains.map((d) => [d.domain, d.findings.map((f) => `${f.severity} ${f.ruleId}`)]);
const findingsOf = (domains: DomainJson[], domain: string = DEPT) => domains.find((d) => d.domain === domain)!.findings;

function healthy(): void {
  serveSes(ses, { [DEPT]: deptIdentity(), [OTHER]: otherIdentity(), [AGNOSTIC]: agnosticIdentity() });
  serveZones(route53, [deptZone(), otherZone(), agnosticZone()]);
}

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'gov-email-verify-'));
  synthMailApp(app);
});
afterAll(() => {
  rmSync(app, { recursive: true, force: true });
});
beforeEach(() => {
  ses.reset();
  route53.reset();
  clock = fakeTiming();
});

describe('a deployment that matches the cloud assembly', () => {
  test('--stack Mail: exit 0, no findings, SES asked in the stack\'s region', async () => {
    const regions: string[] = [];
    healthy();
    ses.on(GetEmailIdentityCommand).callsFake(async (_input: unknown, getClient: () => SESv2Client) => {
      regions.push(await getClient().config.region());
      return deptIdentity();
    });
    const { code, stderr, domains } = await verifyJson('--stack', 'Mail');
    expect(stderr).toBe('');
    expect(summary(domains)).toEqual([[DEPT, []], [`reports.${DEPT}`, []]]);
    expect(code).toBe(0);
    expect(regions).toEqual(['eu-west-2']);
    expect(ses.commandCalls(GetConfigurationSetCommand).map((c) => c.args[0].input)).toEqual([{ ConfigurationSetName: CONFIGURATION_SET }]);
  });

  test('lists the live record sets it compared, the SES DKIM CNAMEs under the names SES gave them', async () => {
    healthy();
    const { domains } = await verifyJson('--stack', 'Mail');
    const dept = domains.find((d) => d.domain === DEPT)!;
    expect(dept.records.map((r) => `${r.name} ${r.type} ${r.ttl} ${r.value}`)).toEqual([
      `${DEPT} MX 1800 0 DEPT-GOV-UK.MAIL.PROTECTION.OUTLOOK.COM.`,
      `${DEPT} TXT 1800 "google-site-verification=abc123"`,
      `${DEPT} TXT 1800 "v=spf1 include:amazonses.com -all"`,
      `${TOKENS[0]}._domainkey.${DEPT} CNAME 1800 ${TOKENS[0]}.dkim.amazonses.com`,
      `_dmarc.${DEPT} TXT 1800 "v=DMARC1; p=reject; sp=reject;" " adkim=s; aspf=s; rua=mailto:dmarc-reports@dept.gov.uk"`,
      `bounce.${DEPT} MX 1800 10 feedback-smtp.eu-west-2.amazonses.com`,
      `bounce.${DEPT} TXT 1800 "v=spf1 include:amazonses.com ~all"`,
      `${TOKENS[2]}._domainkey.${DEPT} CNAME 1800 ${TOKENS[2]}.dkim.amazonses.com`,
      `${TOKENS[1]}._domainkey.${DEPT} CNAME 1800 ${TOKENS[1]}.dkim.amazonses.com`,
    ]);
    expect(dept.records.find((r) => r.name.startsWith(TOKENS[0]))!.origin).toMatch(new RegExp(`^Mail/\\S+, SES DKIM token ${TOKENS[0]}$`));
  });

  test('lists every page of a zone once, and finds the zone by name once', async () => {
    healthy();
    await verifyJson('--stack', 'Mail');
    const listings = route53.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input);
    // 15 record sets, 4 a page: 4 pages, each after the first starting where the last ended.
    expect(listings).toHaveLength(4);
    expect(listings.map((l) => l.HostedZoneId)).toEqual([DEPT_ZONE_ID, DEPT_ZONE_ID, DEPT_ZONE_ID, DEPT_ZONE_ID]);
    expect(listings[0].StartRecordName).toBeUndefined();
    expect(listings.slice(1).every((l) => typeof l.StartRecordName === 'string' && typeof l.StartRecordType === 'string')).toBe(true);
    expect(route53.commandCalls(ListHostedZonesByNameCommand).map((c) => c.args[0].input.DNSName)).toEqual([DEPT]);
  });

  test('--stack Other: SES in eu-west-1, the zone imported by id listed without a lookup by name', async () => {
    const regions: string[] = [];
    healthy();
    ses.on(GetEmailIdentityCommand).callsFake(async (input: { EmailIdentity: string }, getClient: () => SESv2Client) => {
      regions.push(`${input.EmailIdentity} ${await getClient().config.region()}`);
      return otherIdentity();
    });
    const { code, domains } = await verifyJson('--stack', 'Other');
    expect(summary(domains)).toEqual([[OTHER, []]]);
    expect(code).toBe(0);
    expect(regions).toEqual([`${OTHER} eu-west-1`]);
    expect(route53.commandCalls(ListHostedZonesByNameCommand)).toHaveLength(0);
    expect(route53.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input.HostedZoneId)).toEqual([OTHER_ZONE_ID]);
  });

  test('--region overrides the stack\'s region', async () => {
    const regions: string[] = [];
    healthy();
    ses.on(GetEmailIdentityCommand).callsFake(async (_input: unknown, getClient: () => SESv2Client) => {
      regions.push(await getClient().config.region());
      return otherIdentity();
    });
    expect((await verifyJson('--stack', 'Other', '--region', 'eu-central-1')).code).toBe(0);
    expect(regions).toEqual(['eu-central-1']);
  });

  test('--domain picks one domain of the whole assembly; with --stack, of those stacks', async () => {
    healthy();
    expect(summary((await verifyJson('--domain', OTHER)).domains)).toEqual([[OTHER, []]]);
    expect(summary((await verifyJson('--stack', 'Mail', '--domain', `Reports.${DEPT}.`)).domains)).toEqual([[`reports.${DEPT}`, []]]);
    // reports.dept.gov.uk has no SES identity: SES is not asked.
    expect(ses.commandCalls(GetEmailIdentityCommand).map((c) => c.args[0].input.EmailIdentity)).toEqual([OTHER]);
  });

  test('every stack of the app at once', async () => {
    healthy();
    const r = await verify(['--stack', 'Mail', '--stack', 'Other', '--stack', 'Agnostic', '--format', 'json'], { env: { AWS_REGION: 'eu-west-1' } });
    expect(summary(JSON.parse(r.stdout).domains)).toEqual([[AGNOSTIC, []], [DEPT, []], [OTHER, []], [`reports.${DEPT}`, []]]);
    expect(r.code).toBe(0);
  });

  test('a stack with no env: SES in AWS_REGION; a value holding a placeholder matches by its known text', async () => {
    const regions: string[] = [];
    healthy();
    ses.on(GetEmailIdentityCommand).callsFake(async (_input: unknown, getClient: () => SESv2Client) => {
      regions.push(await getClient().config.region());
      return agnosticIdentity();
    });
    const r = await verify(['--stack', 'Agnostic', '--format', 'json'], { env: { AWS_REGION: 'eu-west-1' } });
    const domains: DomainJson[] = JSON.parse(r.stdout).domains;
    expect(summary(domains)).toEqual([[AGNOSTIC, []]]);
    expect(regions).toEqual(['eu-west-1']);
    // `10 feedback-smtp.<region>.amazonses.com` in the assembly; the DKIM values (no SigningHostedZone) by their shape.
    expect(domains[0].records.map((x) => `${x.name} ${x.type} ${x.value}`)).toEqual(expect.arrayContaining([
      `bounce.${AGNOSTIC} MX 10 feedback-smtp.eu-west-1.amazonses.com`,
      `${AGNOSTIC_TOKENS[0]}._domainkey.${AGNOSTIC} CNAME ${AGNOSTIC_TOKENS[0]}.dkim.eu-west-1.amazonses.com`,
    ]));
    expect([...new Set(route53.commandCalls(ListResourceRecordSetsCommand).map((c) => c.args[0].input.HostedZoneId))]).toEqual([AGNOSTIC_ZONE_ID]);
  });

  test('a value that does not fit the placeholder\'s known text is drift', async () => {
    serveSes(ses, { [AGNOSTIC]: agnosticIdentity() });
    serveZones(route53, [agnosticZone(agnosticRecords('10 feedback-smtp.eu-west-1.example.com'))]);
    const { stdout } = await verify(['--stack', 'Agnostic', '--format', 'json'], { env: { AWS_REGION: 'eu-west-1' } });
    expect(findingsOf(JSON.parse(stdout).domains, AGNOSTIC).map((f) => f.message.replace(/ \(Agnostic\/[^)]*\)/, ''))).toEqual([
      `MX bounce.${AGNOSTIC} in Route 53 hosted zone ${AGNOSTIC_ZONE_ID} differs from the cloud assembly: `
      + 'missing "10 feedback-smtp.<region>.amazonses.com" (any value of that shape); not in the cloud assembly "10 feedback-smtp.eu-west-1.example.com".',
    ]);
  });

  test('a stack with no env and no region anywhere: exit 2 asking for one', async () => {
    const saved = {
      region: process.env.AWS_REGION,
      defaultRegion: process.env.AWS_DEFAULT_REGION,
      profile: process.env.AWS_PROFILE,
      config: process.env.AWS_CONFIG_FILE,
    };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = join(app, 'no-such-config');
    try {
      healthy();
      const { code, stderr } = await verify(['--stack', 'Agnostic']);
      expect(code).toBe(2);
      expect(stderr).toBe('gov-email verify: no AWS region for SES (Region is missing): give --region, give the stack an env with a region, or set AWS_REGION.\n');
      expect(ses.calls()).toHaveLength(0);
    } finally {
      for (const [k, v] of [['AWS_REGION', saved.region], ['AWS_DEFAULT_REGION', saved.defaultRegion], ['AWS_PROFILE', saved.profile], ['AWS_CONFIG_FILE', saved.config]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  test('a domain whose name is only known at deployment is not looked up, and says so', async () => {
    healthy();
    const r = await verify(['--app', join(__dirname, '..', 'fixtures', 'verify', 'placeholder-domain'), '--stack', 'Tenant', '--format', 'json'], { withApp: false });
    const domains: DomainJson[] = JSON.parse(r.stdout).domains;
    expect(domains.map((d) => [d.domain, d.findings.map((f) => `${f.severity} ${f.ruleId} ${f.message}`)])).toEqual([['<parameter DomainName>', [
      'warning GOVUK-NOT-EVALUATED <parameter DomainName>: the name is only known at deployment, so its SES identity and records could not be looked up; they are not assumed correct.',
    ]]]);
    expect(r.code).toBe(0);
    expect(ses.calls()).toHaveLength(0);
    expect(route53.calls()).toHaveLength(0);
  });

  test('table, markdown and sarif', async () => {
    healthy();
    const table = await verify(['--stack', 'Mail']);
    expect(table.stdout).toContain('dept.gov.uk\n');
    expect(table.stdout).toContain('no findings');
    expect(table.stdout).toMatch(/2 domains: 0 errors, 0 warnings, 0 info\n$/);
    const markdown = await verify(['--stack', 'Mail', '--format', 'markdown']);
    expect(markdown.stdout).toMatch(/^## gov-email verify: :white_check_mark: 2 domains/);

    ses.reset();
    serveSes(ses, { [DEPT]: deptIdentity({ top: { ConfigurationSetName: undefined } }) });
    const sarif = JSON.parse((await verify(['--stack', 'Mail', '--format', 'sarif'])).stdout);
    const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'SES-NO-DEFAULT-CONFIGURATION-SET');
    expect(rule.defaultConfiguration.level).toBe('error');
    expect(rule.properties.source).toContain('Default configuration sets');
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'SES-NO-DEFAULT-CONFIGURATION-SET', level: 'error' });
    expect(sarif.runs[0].properties).toEqual({ command: 'verify', input: app });
  });
});

describe('the SES identity', () => {
  test('pending: not verified for sending, DKIM pending (exit 1)', async () => {
    serveSes(ses, { [DEPT]: deptIdentity({ top: { VerifiedForSendingStatus: false, VerificationStatus: 'PENDING' }, dkim: { Status: 'PENDING' } }) });
    serveZones(route53, [deptZone()]);
    const { code, domains } = await verifyJson('--stack', 'Mail', '--domain', DEPT);
    expect(summary(domains)).toEqual([[DEPT, ['error SES-IDENTITY-NOT-VERIFIED', 'error SES-DKIM-NOT-VERIFIED']]]);
    expect(findingsOf(domains)[0].message).toBe('The SES identity dept.gov.uk in eu-west-2 is not verified for sending (VerificationStatus PENDING): '
      + 'SES has not found its DNS records yet; it keeps looking for 72 hours after verification starts. Until it is, SES refuses mail from it.');
    expect(findingsOf(domains)[1].message).toContain('(DkimAttributes.Status PENDING)');
    expect(code).toBe(1);
  });

  test('failed DKIM', async () => {
    serveSes(ses, { [DEPT]: deptIdentity({ top: { VerifiedForSendingStatus: false, VerificationStatus: 'FAILED', VerificationInfo: { ErrorType: 'HOST_NOT_FOUND' } }, dkim: { Status: 'FAILED' } }) });
    serveZones(route53, [deptZone()]);
    const { code, domains } = await verifyJson('--domain', DEPT);
    expect(summary(domains)).toEqual([[DEPT, ['error SES-IDENTITY-NOT-VERIFIED', 'error SES-DKIM-NOT-VERIFIED']]]);
    expect(findingsOf(domains)[0].message).toContain('(VerificationStatus FAILED, HOST_NOT_FOUND)');
    expect(findingsOf(domains)[1]).toMatchObject({
      path: DEPT,
      message: 'SES has not verified DKIM for dept.gov.uk in eu-west-2 (DkimAttributes.Status FAILED): SES could not find the DKIM records '
        + '(the three <token>._domainkey CNAMEs); publish them, then restart verification.',
    });
    expect(code).toBe(1);
  });

  test('DKIM signing switched off', async () => {
    serveSes(ses, { [DEPT]: deptIdentity({ dkim: { SigningEnabled: false } }) });
    serveZones(route53, [deptZone()]);
    const { domains } = await verifyJson('--domain', DEPT);
    expect(findingsOf(domains).map((f) => f.message)).toEqual(['SES does not DKIM-sign mail from dept.gov.uk in eu-west-2 (DkimAttributes.SigningEnabled false): enable DKIM signing.']);
  });

  test('a 1024-bit Easy DKIM key, now or after the next rotation', async () => {
    serveSes(ses, { [DEPT]: deptIdentity({ dkim: { CurrentSigningKeyLength: 'RSA_1024_BIT', NextSigningKeyLength: 'RSA_1024_BIT' } }) });
    serveZones(route53, [deptZone()]);
    let { code, domains } = await verifyJson('--domain', DEPT);
    expect(summary(domains)).toEqual([[DEPT, ['warning DKIM-RSA-KEY-UNDER-2048']]]);
    expect(findingsOf(domains)[0].message).toContain('set NextSigningKeyLength to RSA_2048_BIT');
    expect(code).toBe(0);
    ses.reset();
    serveSes(ses, { [DEPT]: deptIdentity({ dkim: { NextSigningKeyLength: 'RSA_1024_BIT' } }) });
    ({ code, domains } = await verifyJson('--domain', DEPT, '--strict'));
    expect(findingsOf(domains)[0].message).toContain('after its next rotation');
    expect(code).toBe(1);
  });

  test('no default configuration set', async () => {
    serveSes(ses, { [DEPT]: deptIdentity({ top: { ConfigurationSetName: undefined } }) });
    serveZones(route53, [deptZone()]);
    const { code, domains } = await verifyJson('--domain', DEPT);
    expect(summary(domains)).toEqual([[DEPT, ['error SES-NO-DEFAULT-CONFIGURATION-SET']]]);
    expect(findingsOf(domains)[0].message).toMatch(/^dept\.gov\.uk in eu-west-2 has no default configuration set/);
    expect(ses.commandCalls(GetConfigurationSetCommand)).toHaveLength(0);
    expect(code).toBe(1);
  });

  test('a default configuration set that does not exist', async () => {
    serveSes(ses, { [DEPT]: deptIdentity() }, {});
    serveZones(route53, [deptZone()]);
    const { domains } = await verifyJson('--domain', DEPT);
    expect(findingsOf(domains).map((f) => [f.ruleId, f.message])).toEqual([['SES-NO-DEFAULT-CONFIGURATION-SET',
      `The default configuration set of dept.gov.uk in eu-west-2, "${CONFIGURATION_SET}", does not exist in eu-west-2: create it with TLS policy REQUIRE, or set an existing one as the default.`]]);
  });

  test.each([['OPTIONAL', 'OPTIONAL'], [undefined, 'OPTIONAL (not set)']])('TLS policy %s: GOVUK-SES-TLS-REQUIRED', async (policy, shown) => {
    serveSes(ses, { [DEPT]: deptIdentity() }, { [CONFIGURATION_SET]: policy });
    serveZones(route53, [deptZone()]);
    const { code, domains } = await verifyJson('--domain', DEPT);
    expect(summary(domains)).toEqual([[DEPT, ['error GOVUK-SES-TLS-REQUIRED']]]);
    expect(findingsOf(domains)[0].message).toBe(`The configuration set "${CONFIGURATION_SET}", the default of dept.gov.uk in eu-west-2, has TLS policy ${shown}: `
      + 'set DeliveryOptions.TlsPolicy REQUIRE so SES never delivers its mail without TLS.');
    expect(findingsOf(domains)[0].source).toContain('Securing government email');
    expect(code).toBe(1);
  });

  test('MAIL FROM pending', async () => {
    serveSes(ses, { [DEPT]: deptIdentity({ mailFrom: { MailFromDomainStatus: 'PENDING' } }) });
    serveZones(route53, [deptZone()]);
    const { code, domains } = await verifyJson('--domain', DEPT);
    expect(findingsOf(domains)).toEqual([expect.objectContaining({
      ruleId: 'SES-MAIL-FROM-NOT-VERIFIED',
      severity: 'error',
      path: `bounce.${DEPT}`,
      message: `SES has not verified the MAIL FROM domain bounce.${DEPT} of dept.gov.uk in eu-west-2 (MailFromDomainStatus PENDING): SES has not found its MX record yet. Until it does, SPF does not align.`,
    })]);
    expect(code).toBe(1);
  });

  test('MAIL FROM falling back to amazonses.com: a warning (exit 0, 1 with --strict)', async () => {
    serveSes(ses, { [DEPT]: deptIdentity({ mailFrom: { BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' } }) });
    serveZones(route53, [deptZone()]);
    const loose = await verifyJson('--domain', DEPT);
    expect(summary(loose.domains)).toEqual([[DEPT, ['warning SES-MAIL-FROM-BEHAVIOUR']]]);
    expect(loose.code).toBe(0);
    expect((await verifyJson('--domain', DEPT, '--strict')).code).toBe(1);
  });

  test('MAIL FROM not set in SES, or set to another domain than the assembly says', async () => {
    serveSes(ses, { [DEPT]: deptIdentity({ mailFrom: null }) });
    serveZones(route53, [deptZone()]);
    let { domains } = await verifyJson('--domain', DEPT);
    expect(findingsOf(domains).map((f) => [f.ruleId, f.message])).toEqual([['SES-MAIL-FROM-NOT-VERIFIED',
      expect.stringMatching(/^SES has no custom MAIL FROM domain for dept\.gov\.uk in eu-west-2; the cloud assembly sets bounce\.dept\.gov\.uk \(declared by Mail\/\S+\)\. Mail goes out from amazonses\.com and SPF does not align\.$/)]]);
    ses.reset();
    serveSes(ses, { [DEPT]: deptIdentity({ mailFrom: { MailFromDomain: `mail.${DEPT}` } }) });
    ({ domains } = await verifyJson('--domain', DEPT));
    expect(findingsOf(domains)[0].message).toMatch(/^SES uses the MAIL FROM domain mail\.dept\.gov\.uk for dept\.gov\.uk in eu-west-2; the cloud assembly sets bounce\.dept\.gov\.uk/);
  });

  test('an identity SES does not have; its DKIM CNAMEs are then matched by shape', async () => {
    serveSes(ses, {});
    serveZones(route53, [deptZone()]);
    const { code, domains } = await verifyJson('--domain', DEPT);
    expect(summary(domains)).toEqual([[DEPT, ['error SES-IDENTITY-NOT-FOUND']]]);
    expect(findingsOf(domains)[0].message).toMatch(/^SES in eu-west-2 has no identity dept\.gov\.uk \(declared by Mail\/\S+\): deploy the stack, or give the region it is in with --region\.$/);
    const dkim = domains[0].records.filter((r) => r.type === 'CNAME' && r.name.includes(TOKENS[0]));
    expect(dkim).toHaveLength(1);
    expect(dkim[0].origin).toMatch(/^Mail\/\S+, SES DKIM matched by shape$/);
    expect(code).toBe(1);
  });

  test('by shape, a missing SES DKIM CNAME is drift', async () => {
    serveSes(ses, {});
    serveZones(route53, [deptZone(deptRecords().filter((r) => !r.Name!.startsWith(TOKENS[1])))]);
    const { domains } = await verifyJson('--domain', DEPT);
    const missing = findingsOf(domains).find((f) => f.ruleId === 'ROUTE53-DRIFT-MISSING')!;
    expect(missing.path).toBe(`_domainkey.${DEPT}`);
    expect(missing.message).toMatch(/^The cloud assembly publishes 3 SES Easy DKIM CNAMEs for dept\.gov\.uk \(.+\); Route 53 hosted zone dept\.gov\.uk \(Z0DEPT\) holds 2 of their shape/);
  });
});

describe('Route 53 drift', () => {
  test('missing, extra and different record sets, and a different TTL', async () => {
    const records = deptRecords()
      .filter((r) => !(r.Name === `_dmarc.${DEPT}.` && r.Type === 'TXT'))
      .filter((r) => !r.Name!.startsWith(TOKENS[2]))
      .map((r) => {
        if (r.Name === `${DEPT}.` && r.Type === 'MX') return { ...r, ResourceRecords: [{ Value: '10 mx.example.net.' }] };
        if (r.Name === `bounce.${DEPT}.` && r.Type === 'TXT') return { ...r, TTL: 300 };
        if (r.Name!.startsWith(TOKENS[1])) return { ...r, ResourceRecords: [{ Value: `${TOKENS[0]}.dkim.amazonses.com` }] };
        return r;
      });
    records.push(
      { Name: `_dmarc.${DEPT}.`, Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'dept.gov.uk.dmarc.vendor.example.' }] },
      { Name: `reports.${DEPT}.`, Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"v=spf1 +all"' }] },
      { Name: `bounce.${DEPT}.`, Type: 'MX', SetIdentifier: 'backup', Weight: 0, TTL: 300, ResourceRecords: [{ Value: '20 backup.example.net' }] },
    );
    serveSes(ses, { [DEPT]: deptIdentity() });
    serveZones(route53, [deptZone(records)]);
    const { code, domains } = await verifyJson('--stack', 'Mail');
    const zone = `Route 53 hosted zone ${DEPT} (${DEPT_ZONE_ID})`;
    expect(findingsOf(domains).map((f) => `${f.severity} ${f.ruleId} ${f.path}: ${f.message.replace(/ \(Mail\/[^)]*\)/g, ' (Mail/…)')}`)).toEqual([
      `error ROUTE53-DRIFT-DIFFERENT ${DEPT}: MX ${DEPT} in ${zone} differs from the cloud assembly (Mail/…): missing "0 dept-gov-uk.mail.protection.outlook.com"; not in the cloud assembly "10 mx.example.net".`,
      `error ROUTE53-DRIFT-MISSING _dmarc.${DEPT}: ${zone} has no TXT record set at _dmarc.${DEPT}; the cloud assembly publishes "v=DMARC1; p=reject; sp=reject; adkim=s; aspf=s; rua=mailto:dmarc-reports@dept.gov.uk" there (Mail/…). It holds CNAME there instead.`,
      `warning ROUTE53-DRIFT-DIFFERENT bounce.${DEPT}: TXT bounce.${DEPT} has TTL 300 in ${zone}; the cloud assembly publishes 1800 (Mail/…).`,
      `error ROUTE53-DRIFT-DIFFERENT ${TOKENS[1]}._domainkey.${DEPT}: CNAME ${TOKENS[1]}._domainkey.${DEPT} in ${zone} differs from the cloud assembly (Mail/…): missing "${TOKENS[1]}.dkim.amazonses.com"; not in the cloud assembly "${TOKENS[0]}.dkim.amazonses.com".`,
      `error ROUTE53-DRIFT-MISSING ${TOKENS[2]}._domainkey.${DEPT}: ${zone} has no CNAME record set at ${TOKENS[2]}._domainkey.${DEPT}; the cloud assembly publishes "${TOKENS[2]}.dkim.amazonses.com" there (Mail/…).`,
      `warning ROUTE53-DRIFT-EXTRA _dmarc.${DEPT}: ${zone} holds a CNAME record set at _dmarc.${DEPT} that the cloud assembly does not publish: "dept.gov.uk.dmarc.vendor.example".`,
      `warning ROUTE53-DRIFT-EXTRA bounce.${DEPT}: ${zone} holds a MX record set (set identifier backup) at bounce.${DEPT} that the cloud assembly does not publish: "20 backup.example.net".`,
    ]);
    expect(findingsOf(domains, `reports.${DEPT}`).map((f) => `${f.severity} ${f.ruleId} ${f.message}`)).toEqual([
      `warning ROUTE53-DRIFT-EXTRA ${zone} holds a TXT record set at reports.${DEPT} that the cloud assembly does not publish: "v=spf1 +all".`,
    ]);
    // The extra record sets are listed, marked as not in the plan; unmanaged names (www, selector1) are not.
    const reports = domains.find((d) => d.domain === `reports.${DEPT}`)!;
    expect(reports.records.map((r) => [r.type, r.value, r.origin])).toEqual([
      ['MX', '10 inbound-smtp.eu-west-2.amazonaws.com', expect.stringMatching(/^Mail\//)],
      ['TXT', '"v=spf1 +all"', `Route 53 ${DEPT_ZONE_ID} (not in the cloud assembly)`],
    ]);
    expect(domains.flatMap((d) => d.records).some((r) => r.name.startsWith('www.') || r.name.startsWith('selector1.'))).toBe(false);
    expect(code).toBe(1);
  });

  test('values compared in normal form: trailing dots, case, TXT strings, value order', async () => {
    const records = deptRecords().map((r) => (r.Name === `bounce.${DEPT}.` && r.Type === 'MX'
      ? { ...r, Name: `BOUNCE.${DEPT.toUpperCase()}.`, ResourceRecords: [{ Value: '010 Feedback-SMTP.eu-west-2.amazonses.com.' }] }
      : r));
    serveSes(ses, { [DEPT]: deptIdentity() });
    serveZones(route53, [deptZone(records)]);
    expect(summary((await verifyJson('--domain', DEPT)).domains)).toEqual([[DEPT, []]]);
  });

  test('a value the assembly resolves is compared exactly: the MAIL FROM MX of another region is drift', async () => {
    // The Mail stack has an env, so its MAIL FROM MX names eu-west-2.
    const records = deptRecords().map((r) => (r.Name === `bounce.${DEPT}.` && r.Type === 'MX'
      ? { ...r, ResourceRecords: [{ Value: '10 feedback-smtp.us-east-1.amazonses.com' }] } : r));
    serveSes(ses, { [DEPT]: deptIdentity() });
    serveZones(route53, [deptZone(records)]);
    const { domains } = await verifyJson('--domain', DEPT);
    expect(summary(domains)).toEqual([[DEPT, ['error ROUTE53-DRIFT-DIFFERENT']]]);
  });

  test('no hosted zone of the name in the account', async () => {
    serveSes(ses, { [DEPT]: deptIdentity() });
    serveZones(route53, [otherZone()]);
    const { code, domains } = await verifyJson('--domain', DEPT);
    expect(findingsOf(domains).map((f) => [f.ruleId, f.message])).toEqual([['ROUTE53-ZONE-NOT-FOUND',
      expect.stringMatching(/^The account has no public hosted zone named dept\.gov\.uk, where the cloud assembly publishes Mail\/\S+ and more: its records could not be compared\.$/)]]);
    expect(code).toBe(1);
  });

  test('two public zones of the name: a warning, compared with the first', async () => {
    serveSes(ses, { [DEPT]: deptIdentity() });
    serveZones(route53, [deptZone(), { ...deptZone(), id: 'Z0DEPTOLD' }]);
    const { code, domains } = await verifyJson('--domain', DEPT);
    expect(summary(domains)).toEqual([[DEPT, ['warning ROUTE53-ZONE-AMBIGUOUS']]]);
    expect(code).toBe(0);
  });

  test('a private zone of the same name is not the one compared', async () => {
    serveSes(ses, { [DEPT]: deptIdentity() });
    serveZones(route53, [{ ...deptZone([]), id: 'Z0PRIVATE', private: true }, deptZone()]);
    expect(summary((await verifyJson('--domain', DEPT)).domains)).toEqual([[DEPT, []]]);
    expect(route53.commandCalls(ListResourceRecordSetsCommand).every((c) => c.args[0].input.HostedZoneId === DEPT_ZONE_ID)).toBe(true);
  });

  test('a zone imported by id that no longer exists', async () => {
    serveSes(ses, { [OTHER]: otherIdentity() });
    serveZones(route53, [deptZone()]);
    const { domains } = await verifyJson('--stack', 'Other');
    expect(findingsOf(domains, OTHER).map((f) => [f.ruleId, f.message])).toEqual([['ROUTE53-ZONE-NOT-FOUND',
      `The hosted zone ${OTHER_ZONE_ID}, where the cloud assembly publishes records, does not exist in the account (NoSuchHostedZone): its records could not be compared.`]]);
  });
});

describe('AWS failures', () => {
  test('access denied by SES: exit 2 with the action and the permissions needed', async () => {
    healthy();
    ses.on(GetEmailIdentityCommand).rejects(sesError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ses:GetEmailIdentity', 403));
    const { code, stdout, stderr } = await verify(['--stack', 'Mail']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('gov-email verify: access denied: ses:GetEmailIdentity on dept.gov.uk in eu-west-2 (AccessDeniedException: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ses:GetEmailIdentity). '
      + 'verify needs ses:GetEmailIdentity, ses:GetConfigurationSet, route53:ListHostedZonesByName, route53:ListResourceRecordSets (read-only); grant them to the identity in use and run again.\n');
    expect(ses.commandCalls(GetEmailIdentityCommand)).toHaveLength(1);
  });

  test('access denied by Route 53', async () => {
    healthy();
    route53.on(ListResourceRecordSetsCommand).rejects(route53Error('AccessDenied', 'User is not authorized to perform: route53:ListResourceRecordSets', 403));
    const { code, stderr } = await verify(['--stack', 'Other']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^gov-email verify: access denied: route53:ListResourceRecordSets on hosted zone Z0OTHER \(AccessDenied: /);
  });

  test('no credentials', async () => {
    healthy();
    ses.on(GetEmailIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const { code, stdout, stderr } = await verify(['--stack', 'Mail']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^gov-email verify: no AWS credentials found \(Could not load credentials from any providers\)\. verify uses the AWS SDK's default credential chain: /);
  });

  test('credentials AWS refuses', async () => {
    healthy();
    ses.on(GetEmailIdentityCommand).rejects(sesError('ExpiredTokenException', 'The security token included in the request is expired', 403));
    const { code, stderr } = await verify(['--stack', 'Mail']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^gov-email verify: AWS refused the credentials for ses:GetEmailIdentity on dept\.gov\.uk in eu-west-2 \(ExpiredTokenException: /);
  });

  test('throttling that lifts is invisible: retried with backoff, the result clean', async () => {
    healthy();
    ses.on(GetEmailIdentityCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } }))
      .rejectsOnce(new TooManyRequestsException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } }))
      .resolves(deptIdentity());
    serveZones(route53, [deptZone(), otherZone()]);
    // The first page is throttled twice (Route 53's code is "Throttling"), then served.
    let throttles = 0;
    route53.on(ListResourceRecordSetsCommand).callsFake(async (input: { HostedZoneId: string; StartRecordName?: string }) => {
      if (throttles < 2) {
        throttles++;
        throw route53Error('Throttling', 'Rate exceeded');
      }
      return pagedDept(input);
    });
    const { code, stdout, stderr } = await verify(['--stack', 'Mail', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(summary(JSON.parse(stdout).domains)).toEqual([[DEPT, []], [`reports.${DEPT}`, []]]);
    expect(ses.commandCalls(GetEmailIdentityCommand)).toHaveLength(3);
    expect(throttles).toBe(2);
    // Backoff with full jitter (random() is 0.5 here): half of 250 ms, then half of 500 ms, for each service.
    expect(clock.sleeps.filter((ms) => ms === 125)).toHaveLength(2);
    expect(clock.sleeps.filter((ms) => ms === 250)).toHaveLength(2);
  });

  test('throttling that never lifts: exit 2 after 8 attempts with exponential backoff', async () => {
    healthy();
    ses.on(GetEmailIdentityCommand).rejects(new TooManyRequestsException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } }));
    const { code, stdout, stderr } = await verify(['--stack', 'Mail']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('gov-email verify: AWS kept throttling ses:GetEmailIdentity on dept.gov.uk in eu-west-2 (TooManyRequestsException: Too many requests) after 8 attempts over 15.9 s. '
      + 'Other callers in the account may be using the same API quota; try again later.\n');
    expect(ses.commandCalls(GetEmailIdentityCommand)).toHaveLength(8);
    expect(clock.sleeps).toEqual([125, 250, 500, 1000, 2000, 4000, 8000]);
  });

  test('Route 53 throttling that never lifts', async () => {
    healthy();
    route53.on(ListHostedZonesByNameCommand).rejects(route53Error('Throttling', 'Rate exceeded'));
    const { code, stderr } = await verify(['--stack', 'Mail']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^gov-email verify: AWS kept throttling route53:ListHostedZonesByName on dept\.gov\.uk \(Throttling: Rate exceeded\) after 8 attempts/);
    expect(route53.commandCalls(ListHostedZonesByNameCommand)).toHaveLength(8);
  });

  test('Route 53 calls are at least 200 ms apart (5 requests a second)', async () => {
    healthy();
    const starts: number[] = [];
    route53.on(ListResourceRecordSetsCommand).callsFake(async (input: { HostedZoneId: string; StartRecordName?: string }) => {
      starts.push(clock.timing.now());
      return pagedDept(input);
    });
    route53.on(ListHostedZonesByNameCommand).callsFake(async () => {
      starts.push(clock.timing.now());
      return { HostedZones: [{ Id: `/hostedzone/${DEPT_ZONE_ID}`, Name: `${DEPT}.`, CallerReference: 'x', Config: { PrivateZone: false } }], IsTruncated: false, MaxItems: 100 };
    });
    expect((await verify(['--stack', 'Mail'])).code).toBe(0);
    // One lookup of the zone by name, then three pages of record sets.
    expect(starts).toHaveLength(4);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(200);
  });

  test('another AWS error: exit 2 naming the call', async () => {
    healthy();
    ses.on(GetEmailIdentityCommand).rejects(sesError('BadRequestException', 'Invalid identity', 400));
    const { code, stderr } = await verify(['--stack', 'Mail']);
    expect(code).toBe(2);
    expect(stderr).toBe('gov-email verify: ses:GetEmailIdentity on dept.gov.uk in eu-west-2 failed: BadRequestException: Invalid identity\n');
  });

  test('a transient server error is retried', async () => {
    healthy();
    ses.on(GetEmailIdentityCommand).rejectsOnce(sesError('InternalServiceErrorException', 'Internal error', 500)).resolves(deptIdentity());
    expect((await verify(['--stack', 'Mail'])).code).toBe(0);
    expect(ses.commandCalls(GetEmailIdentityCommand)).toHaveLength(2);
  });
});

describe('usage', () => {
  test.each([
    [[], /^gov-email verify: say what to verify: --stack <name>/],
    [['--stack', 'Nope'], /^gov-email verify: \S+ has no stack Nope \(its stacks: Mail, Other, Agnostic\)\.\n$/],
    [['--domain', 'absent.gov.uk'], /publishes no records and declares no SES identity for absent\.gov\.uk \(its email domains: agnostic\.gov\.uk, dept\.gov\.uk, other\.gov\.uk, reports\.dept\.gov\.uk\)\.\n$/],
    [['--stack', 'Other', '--domain', DEPT], /the stack Other of \S+ publishes no records and declares no SES identity for dept\.gov\.uk \(its email domains: other\.gov\.uk\)/],
    [['--stack', 'Mail', '--region', 'London'], /--region must be an AWS region such as eu-west-2; got "London"/],
    [['--stack', 'Mail', '--format', 'xml'], /--format must be one of table, markdown, json, sarif; got "xml"/],
    [['--domain', 'not a domain'], /--domain must be a domain name/],
    [['--stack', 'Mail', 'extra'], /unexpected argument extra/],
    [['--stack', 'Mail', '--bogus'], /Unknown option '--bogus'/],
  ])('%j: exit 2', async (args, message) => {
    healthy();
    const { code, stdout, stderr } = await verify(args as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message as RegExp);
    expect(ses.calls()).toHaveLength(0);
    expect(route53.calls()).toHaveLength(0);
  });

  test('--app that is not a cloud assembly', async () => {
    const { code, stderr } = await verify(['--app', join(app, 'nope'), '--stack', 'Mail'], { withApp: false });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^gov-email verify: No such folder: /);
  });

  describe('without a cloud assembly', () => {
    let cwd: string;
    let empty: string;
    beforeEach(() => {
      cwd = process.cwd();
      empty = mkdtempSync(join(tmpdir(), 'gov-email-verify-empty-'));
      process.chdir(empty);
    });
    afterEach(() => {
      process.chdir(cwd);
      rmSync(empty, { recursive: true, force: true });
    });

    test('--domain verifies the SES identity alone, in AWS_REGION', async () => {
      const regions: string[] = [];
      healthy();
      ses.on(GetEmailIdentityCommand).callsFake(async (_input: unknown, getClient: () => SESv2Client) => {
        regions.push(await getClient().config.region());
        return deptIdentity({ top: { ConfigurationSetName: undefined } });
      });
      const { code, stdout, stderr } = await verify(['--domain', DEPT, '--format', 'json'], { withApp: false, env: { AWS_REGION: 'eu-west-3' } });
      expect(stderr).toBe('gov-email verify: warning: no cloud assembly at ./cdk.out: only the SES identities are verified; give --app to compare the Route 53 records with it.\n');
      expect(regions).toEqual(['eu-west-3']);
      expect(route53.calls()).toHaveLength(0);
      const report = JSON.parse(stdout);
      expect(report.input).toBe(DEPT);
      expect(summary(report.domains)).toEqual([[DEPT, ['error SES-NO-DEFAULT-CONFIGURATION-SET']]]);
      expect(code).toBe(1);
    });

    test('--stack needs one', async () => {
      const { code, stderr } = await verify(['--stack', 'Mail'], { withApp: false });
      expect(code).toBe(2);
      expect(stderr).toBe('gov-email verify: --stack needs a cloud assembly, and there is none at ./cdk.out: run `cdk synth` or give its folder with --app.\n');
    });
  });

  test('--help text names every option', () => {
    for (const option of ['--stack', '--domain', '--app', '--region', '--format', '--strict']) expect(verifyCommand.usage).toContain(option);
    expect(verifyCommand.name).toBe('verify');
  });
});

/** dept.gov.uk's record sets, two a page, for fakes that wrap the listing. */
function pagedDept(input: { HostedZoneId: string; StartRecordName?: string }) {
  const all = deptRecords();
  const start = input.StartRecordName === undefined ? 0 : Number(input.StartRecordName.split('#')[1]);
  const page = all.slice(start, start + 5);
  return start + 5 < all.length
    ? { ResourceRecordSets: page, IsTruncated: true, NextRecordName: `page#${start + 5}`, NextRecordType: 'A', MaxItems: 5 }
    : { ResourceRecordSets: page, IsTruncated: false, MaxItems: 5 };
}
