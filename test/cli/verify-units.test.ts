/**
 * The parts of `gov-email verify` on their own: value normalisation and placeholder matching,
 * retries with backoff, pacing, error classification, options, stack selection, and drift
 * rules that need a hand-made plan.
 */
import { join } from 'node:path';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { readCloudAssembly } from '../../src/assembly/cloud-assembly';
import { DnsRecord } from '../../src/assembly/resources';
import { UsageError } from '../../src/cli/options';
import { Pacer, Timing, VerifyAbort, abortFor, callAws } from '../../src/cli/verify/aws';
import { expectedValue, matchValues, normaliseHost, normaliseName, normaliseValue, placeholderPattern } from '../../src/cli/verify/normalise';
import { parseVerifyArgs } from '../../src/cli/verify/options';
import { VerifyPlan, planFromAssembly, planWithoutAssembly, recordKey } from '../../src/cli/verify/plan';
import { Route53Access, verifyRecords } from '../../src/cli/verify/route53';
import { VERIFY_RULES, verifyRuleList } from '../../src/cli/verify/verify-rules';
import { RuleCatalogue } from '../../src/standard/rule-catalogue';
import { DEPT_ZONE_ID, deptZone, route53Error, serveZones } from '../fixtures/verify/aws-mocks';

const ASSEMBLIES = join(__dirname, '..', 'fixtures', 'assemblies');

function fakeTiming(random: number = 0.5): Timing & { sleeps: number[]; t: () => number } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    t: () => t,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    random: () => random,
  };
}

const CTX = { action: 'ses:GetEmailIdentity', target: 'dept.gov.uk', region: 'eu-west-2' };
const named = (name: string, message: string = name, extra: object = {}) => Object.assign(new Error(message), { name }, extra);

describe('normalised names and values', () => {
  test.each([
    ['Dept.GOV.uk.', 'dept.gov.uk'],
    ['\\052._domainkey.dept.gov.uk.', '*._domainkey.dept.gov.uk'],
    [' _dmarc.dept.gov.uk ', '_dmarc.dept.gov.uk'],
  ])('name %j', (name, expected) => expect(normaliseName(name)).toBe(expected));

  test.each([
    ['TXT', '"v=spf1 " "include:amazonses.com -all"', 'v=spf1 include:amazonses.com -all'],
    ['TXT', 'v=spf1 -all', 'v=spf1 -all'],
    ['TXT', '"a\\"b"', 'a"b'],
    ['MX', '010  Mail.Example.COM.', '10 mail.example.com'],
    ['MX', '0 .', '0 .'],
    ['CNAME', 'Token.DKIM.amazonses.com.', 'token.dkim.amazonses.com'],
    ['SRV', '10 5 0443 Host.Example.', '10 5 443 host.example'],
    ['CAA', '0 ISSUE ";"', '0 issue ;'],
    ['CAA', '0 issue "amazon.com"', '0 issue amazon.com'],
    ['A', ' 192.0.2.1 ', '192.0.2.1'],
  ])('%s %j', (type, value, expected) => expect(normaliseValue(type, value)).toBe(expected));

  test('the root stays a dot', () => {
    expect(normaliseHost('.')).toBe('.');
    expect(normaliseHost('')).toBe('.');
  });
});

describe('placeholders', () => {
  test('each placeholder stands for one or more characters; the known text must be there', () => {
    const p = placeholderPattern('10 feedback-smtp.<region>.amazonses.com');
    expect(p.test('10 feedback-smtp.eu-west-2.amazonses.com')).toBe(true);
    expect(p.test('10 feedback-smtp..amazonses.com')).toBe(false);
    expect(p.test('10 feedback-smtp.eu-west-2.amazonses.com.evil')).toBe(false);
    expect(p.test('20 feedback-smtp.eu-west-2.amazonses.com')).toBe(false);
  });

  test('regular expression characters in the known text are literal', () => {
    const p = placeholderPattern('v=spf1 include:<x> ?all (+)');
    expect(p.test('v=spf1 include:a.example ?all (+)')).toBe(true);
    expect(p.test('v=spf1 include:a.example all (+)')).toBe(false);
  });

  test('only values marked unresolved become patterns; host names compare case-insensitively, TXT exactly', () => {
    expect(expectedValue('TXT', '"<abc>"', false).pattern).toBeUndefined();
    expect(expectedValue('MX', '10 <Host>', true).pattern!.test('10 MAIL.EXAMPLE')).toBe(true);
    expect(expectedValue('TXT', '"v=spf1 include:<x> -all"', true).pattern!.test('V=SPF1 include:a -all')).toBe(false);
  });

  test('matching uses each live value once, exact values before patterns', () => {
    const expected = [expectedValue('MX', '10 <a>', true), expectedValue('MX', '10 b.example', false)];
    expect(matchValues(expected, ['10 b.example', '10 a.example'])).toEqual({ missing: [], unexpected: [] });
    expect(matchValues(expected, ['10 b.example'])).toEqual({ missing: [expected[0]], unexpected: [] });
    expect(matchValues([expected[1]], ['10 b.example', '10 b.example'])).toEqual({ missing: [], unexpected: ['10 b.example'] });
  });
});

describe('calling AWS', () => {
  test('a call that succeeds does not sleep', async () => {
    const timing = fakeTiming();
    await expect(callAws(async () => 'ok', CTX, timing)).resolves.toBe('ok');
    expect(timing.sleeps).toEqual([]);
  });

  test.each([
    ['Throttling', {}],
    ['ThrottlingException', {}],
    ['TooManyRequestsException', {}],
    ['PriorRequestNotComplete', {}],
    ['SomethingNew', { $metadata: { httpStatusCode: 429 } }],
    ['SomethingElse', { $retryable: { throttling: true } }],
    ['InternalServiceErrorException', {}],
    ['ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }],
    ['ECONNRESET', {}],
  ])('%s is retried', async (name, extra) => {
    const timing = fakeTiming();
    let calls = 0;
    const result = await callAws(async () => {
      calls++;
      if (calls < 3) throw named(name, 'slow down', extra);
      return 'ok';
    }, CTX, timing);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(timing.sleeps).toEqual([125, 250]);
  });

  test('full jitter: each backoff is random up to a doubling ceiling, capped', async () => {
    const timing = fakeTiming(0.999);
    await expect(callAws(async () => {
      throw named('Throttling', 'Rate exceeded');
    }, CTX, timing, undefined, { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000 })).rejects.toBeInstanceOf(VerifyAbort);
    expect(timing.sleeps).toEqual([99, 199, 399, 799, 999]);
    const zero = fakeTiming(0);
    await expect(callAws(async () => {
      throw named('Throttling');
    }, CTX, zero, undefined, { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 })).rejects.toThrow(/after 3 attempts over 0\.0 s/);
  });

  test('a transient failure that outlasts the retries stops the run', async () => {
    await expect(callAws(async () => {
      throw named('InternalServiceErrorException', 'boom');
    }, CTX, fakeTiming(), undefined, { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 }))
      .rejects.toThrow('ses:GetEmailIdentity on dept.gov.uk in eu-west-2 kept failing (InternalServiceErrorException: boom) after 2 attempts over 0.0 s; try again later.');
  });

  test('other errors come back as they are, at once', async () => {
    const timing = fakeTiming();
    const err = named('NotFoundException', 'no such identity');
    await expect(callAws(async () => {
      throw err;
    }, CTX, timing)).rejects.toBe(err);
    expect(timing.sleeps).toEqual([]);
  });

  test.each([
    ['CredentialsProviderError', /^no AWS credentials found/],
    ['AccessDeniedException', /^access denied: ses:GetEmailIdentity on dept\.gov\.uk in eu-west-2/],
    ['AccessDenied', /^access denied: /],
    ['UnrecognizedClientException', /^AWS refused the credentials/],
    ['InvalidClientTokenId', /^AWS refused the credentials/],
    ['ExpiredToken', /^AWS refused the credentials/],
  ])('%s stops the run with a message', (name, message) => {
    expect(abortFor(named(name, 'x'), CTX)?.message).toMatch(message);
  });

  test('a missing region stops the run', () => {
    expect(abortFor(new Error('Region is missing'), CTX)?.message).toBe('no AWS region for ses:GetEmailIdentity on dept.gov.uk in eu-west-2: give --region, give the stack an env with a region, or set AWS_REGION.');
    expect(abortFor(named('NotFoundException'), CTX)).toBeUndefined();
  });

  test('the error code comes from Code when the SDK gives one', () => {
    expect(abortFor(Object.assign(new Error('denied'), { Code: 'AccessDenied' }), CTX)?.message).toMatch(/^access denied/);
  });
});

describe('pacing', () => {
  test('calls start at least the interval apart, in the order they asked', async () => {
    const timing = fakeTiming();
    const pacer = new Pacer(200, timing);
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await pacer.wait();
      starts.push(timing.t());
    }
    expect(starts).toEqual([0, 200, 400, 600]);
  });

  test('time already passed counts', async () => {
    let t = 0;
    const sleeps: number[] = [];
    const timing: Timing = { now: () => t, sleep: async (ms) => { sleeps.push(ms); t += ms; }, random: () => 0 };
    const pacer = new Pacer(200, timing);
    await pacer.wait();
    t += 150;
    await pacer.wait();
    t += 500;
    await pacer.wait();
    expect(sleeps).toEqual([50]);
  });

  test('retries are paced too', async () => {
    const timing = fakeTiming(0);
    const pacer = new Pacer(200, timing);
    const starts: number[] = [];
    await callAws(async () => {
      starts.push(timing.t());
      if (starts.length < 3) throw named('Throttling');
      return 'ok';
    }, CTX, timing, pacer);
    expect(starts).toEqual([0, 200, 400]);
  });
});

describe('options', () => {
  test('domains normalised and de-duplicated; --app defaults to cdk.out', () => {
    expect(parseVerifyArgs(['--domain', 'Dept.Gov.UK.', '--domain', 'dept.gov.uk', '--stack', 'Mail', '--stack', 'Mail'])).toEqual({
      stacks: ['Mail'], domains: ['dept.gov.uk'], app: 'cdk.out', appGiven: false, format: 'table', strict: false,
    });
    expect(parseVerifyArgs(['--stack', 'A', '--app', 'out', '--region', 'eu-west-2', '--format', 'sarif', '--strict'])).toEqual({
      stacks: ['A'], domains: [], app: 'out', appGiven: true, region: 'eu-west-2', format: 'sarif', strict: true,
    });
  });

  test.each([
    [['--stack', 'A', '--app', ''], /--app needs the cloud assembly folder/],
    [['--stack', ''], /say what to verify/],
    [['--stack', 'A', '--region', 'us-gov-west-1x'], /--region must be an AWS region/],
  ])('%j is a usage error', (args, message) => {
    expect(() => parseVerifyArgs(args)).toThrow(UsageError);
    expect(() => parseVerifyArgs(args)).toThrow(message);
  });

  test('GovCloud and China regions are regions', () => {
    expect(parseVerifyArgs(['--stack', 'A', '--region', 'us-gov-west-1']).region).toBe('us-gov-west-1');
    expect(parseVerifyArgs(['--stack', 'A', '--region', 'cn-north-1']).region).toBe('cn-north-1');
  });
});

describe('what the cloud assembly says should be there', () => {
  test('a stack brings its nested stacks: their records and the SES identity, with the stack\'s region', () => {
    const plan = planFromAssembly(readCloudAssembly(join(ASSEMBLIES, 'nested')), ['Agency'], []);
    expect(plan.targets.map((t) => t.domain)).toEqual(['agency.gov.uk']);
    const [agency] = plan.targets;
    expect(new Set(agency.records.map((r) => r.origin.stack.split('/').length))).toEqual(new Set([2]));
    expect(agency.identities.map((i) => [i.name, i.stackRegion])).toEqual([['agency.gov.uk', 'eu-west-2']]);
    expect(plan.regions).toEqual(['eu-west-2']);
  });

  test('a stage\'s name, a stack\'s display name or its artifact id select it', () => {
    const assembly = readCloudAssembly(join(ASSEMBLIES, 'stage'));
    const domains = (stacks: string[]) => planFromAssembly(assembly, stacks, []).targets.map((t) => t.domain);
    const all = domains(['Prod/Parked']);
    expect(all.length).toBeGreaterThan(0);
    expect(domains(['Prod'])).toEqual(all);
    expect(domains(['ProdParked5B6C7D8E'])).toEqual(all);
    // An environment-agnostic stack has no region.
    expect(planFromAssembly(assembly, ['Prod'], []).regions).toEqual([]);
  });

  test('without a cloud assembly: each domain is its own SES identity, with nothing to compare', () => {
    expect(planWithoutAssembly(['a.gov.uk'])).toEqual({
      targets: [{ domain: 'a.gov.uk', nameUnresolved: false, records: [], identities: [{ name: 'a.gov.uk' }] }], managedKeys: new Set(), regions: [],
    });
  });
});

describe('drift against a hand-made plan', () => {
  const route53 = mockClient(Route53Client);
  beforeEach(() => route53.reset());

  const record = (name: string, type: string, values: string[], stack: string = 'Mail'): DnsRecord => ({
    name,
    nameUnresolved: false,
    type,
    ttl: 1800,
    values,
    alias: false,
    zone: 'dept.gov.uk',
    zoneKey: 'dept.gov.uk',
    origin: { stack, logicalId: `${type}${name.split('.')[0]}` },
    unresolved: false,
  });

  test('a record set another stack of the assembly publishes is not extra', async () => {
    const mine = record('reports.dept.gov.uk', 'MX', ['10 inbound-smtp.eu-west-2.amazonaws.com']);
    const theirs = record('reports.dept.gov.uk', 'TXT', ['"v=spf1 -all"'], 'Other');
    serveZones(route53, [deptZone([
      { Name: 'reports.dept.gov.uk.', Type: 'MX', TTL: 1800, ResourceRecords: [{ Value: '10 inbound-smtp.eu-west-2.amazonaws.com' }] },
      { Name: 'reports.dept.gov.uk.', Type: 'TXT', TTL: 1800, ResourceRecords: [{ Value: '"v=spf1 -all"' }] },
    ])]);
    const managedKeys = new Set([recordKey(mine.name, mine.type), recordKey(theirs.name, theirs.type)]);
    const plan: VerifyPlan = { targets: [], managedKeys, regions: [] };
    const target = { domain: 'reports.dept.gov.uk', nameUnresolved: false, records: [mine], identities: [] };
    const access = new Route53Access(new Route53Client({ region: 'us-east-1' }), fakeTiming());
    expect((await verifyRecords(access, target, plan, new Map())).findings).toEqual([]);
    const alone: VerifyPlan = { ...plan, managedKeys: new Set([recordKey(mine.name, mine.type)]) };
    expect((await verifyRecords(new Route53Access(new Route53Client({ region: 'us-east-1' }), fakeTiming()), target, alone, new Map())).findings.map((f) => f.ruleId))
      .toEqual(['ROUTE53-DRIFT-EXTRA']);
  });

  test('aliases: same target (dualstack. aside), another target, or not an alias at all', async () => {
    const alias = (target: string): DnsRecord => ({ ...record('mta-sts.dept.gov.uk', 'A', [`ALIAS ${target}`]), alias: true, ttl: undefined });
    const live = (aliasTarget?: string) => deptZone([aliasTarget === undefined
      ? { Name: 'mta-sts.dept.gov.uk.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.1' }] }
      : { Name: 'mta-sts.dept.gov.uk.', Type: 'A', AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: aliasTarget, EvaluateTargetHealth: false } }]);
    const run = async (expected: DnsRecord, zone = live('d111.cloudfront.net.')) => {
      route53.reset();
      serveZones(route53, [zone]);
      const target = { domain: 'dept.gov.uk', nameUnresolved: false, records: [expected], identities: [] };
      const r = await verifyRecords(new Route53Access(new Route53Client({ region: 'us-east-1' }), fakeTiming()), target, { targets: [], managedKeys: new Set(), regions: [] }, new Map());
      return r.findings.map((f) => f.message);
    };
    expect(await run(alias('d111.cloudfront.net'))).toEqual([]);
    expect(await run(alias('d111.cloudfront.net'), live('dualstack.d111.cloudfront.net.'))).toEqual([]);
    expect(await run({ ...alias('<Fn::GetAtt PolicyHost.DomainName>'), unresolved: true })).toEqual([]);
    expect(await run(alias('d222.cloudfront.net'))).toEqual([
      `A mta-sts.dept.gov.uk in Route 53 hosted zone dept.gov.uk (${DEPT_ZONE_ID}) is an alias to d111.cloudfront.net; the cloud assembly aliases it to d222.cloudfront.net (Mail/Amta-sts).`,
    ]);
    expect(await run(alias('d111.cloudfront.net'), live())).toEqual([
      `A mta-sts.dept.gov.uk in Route 53 hosted zone dept.gov.uk (${DEPT_ZONE_ID}) is not an alias (it holds "192.0.2.1"); the cloud assembly makes it an alias to d111.cloudfront.net (Mail/Amta-sts).`,
    ]);
    expect(await run(record('mta-sts.dept.gov.uk', 'A', ['192.0.2.1']))).toEqual([
      `A mta-sts.dept.gov.uk in Route 53 hosted zone dept.gov.uk (${DEPT_ZONE_ID}) is an alias to d111.cloudfront.net; the cloud assembly publishes values "192.0.2.1" (Mail/Amta-sts).`,
    ]);
  });

  test('a record whose name is only known at deployment is reported as not compared', async () => {
    serveZones(route53, [deptZone([])]);
    const r = { ...record('<parameter Name>', 'TXT', ['"x"']), nameUnresolved: true, unresolved: true };
    const target = { domain: 'dept.gov.uk', nameUnresolved: false, records: [r], identities: [] };
    const result = await verifyRecords(new Route53Access(new Route53Client({ region: 'us-east-1' }), fakeTiming()), target, { targets: [], managedKeys: new Set(), regions: [] }, new Map());
    expect(result.findings.map((f) => [f.ruleId, f.message])).toEqual([['GOVUK-NOT-EVALUATED',
      'The TXT record set Mail/TXT<parameter Name> is named <parameter Name>, which is only known at deployment: it is not compared with Route 53.']]);
    expect(route53.calls()).toHaveLength(0);
  });

  test('a zone whose name is only known at deployment: the closest enclosing public zone of the name', async () => {
    serveZones(route53, [deptZone([{ Name: '_dmarc.mail.dept.gov.uk.', Type: 'TXT', TTL: 1800, ResourceRecords: [{ Value: '"v=DMARC1; p=reject"' }] }])]);
    const r = { ...record('_dmarc.mail.dept.gov.uk', 'TXT', ['"v=DMARC1; p=reject"']), zone: '<Ref Zone>', zoneKey: '?<Ref Zone>' };
    const target = { domain: 'mail.dept.gov.uk', nameUnresolved: false, records: [r], identities: [] };
    const result = await verifyRecords(new Route53Access(new Route53Client({ region: 'us-east-1' }), fakeTiming()), target, { targets: [], managedKeys: new Set(), regions: [] }, new Map());
    expect(result.findings).toEqual([]);
    expect(result.records.map((x) => x.name)).toEqual(['_dmarc.mail.dept.gov.uk']);
  });

  test('a listing throttled on every attempt stops the run after 8 attempts', async () => {
    serveZones(route53, [deptZone()], 2);
    const timing = fakeTiming(0);
    let failures = 0;
    const access = new Route53Access(new Route53Client({ region: 'us-east-1' }), timing);
    route53.on(ListResourceRecordSetsCommand).callsFake(async () => {
      failures++;
      throw route53Error('Throttling', 'Rate exceeded');
    });
    await expect(access.recordSets(DEPT_ZONE_ID)).rejects.toThrow(/AWS kept throttling route53:ListResourceRecordSets on hosted zone Z0DEPT/);
    expect(failures).toBe(8);
  });
});

describe('rules', () => {
  test('each new rule has an id, a severity and a source, and each is in the catalogue', () => {
    for (const r of Object.values(VERIFY_RULES)) {
      expect(r.id).toMatch(/^(SES|ROUTE53)-[A-Z0-9-]+$/);
      expect(r.source.length).toBeGreaterThan(10);
      expect(RuleCatalogue.find(r.id)).toEqual(r);
    }
    expect(verifyRuleList().map((r) => r.id)).toEqual(expect.arrayContaining(['GOVUK-SES-TLS-REQUIRED', 'DKIM-RSA-KEY-UNDER-2048', 'ROUTE53-DRIFT-MISSING']));
  });
});
