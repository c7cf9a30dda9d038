/**
 * ReportInbox for a whole estate: the domain list in the report bucket, domains added after the
 * inbox is made, authorisation records in record set groups, the parser's ledger, limits and
 * daily sweep, and the processing records' lifecycle.
 */
import { statSync } from 'node:fs';
import { App, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fc from 'fast-check';
import { runInlineHandler } from './support/inline-handler';
import { DmarcRecord } from '../../src/constructs/dmarc-record';
import { ReportAuthorisationLayout, ReportInbox, ReportInboxProps } from '../../src/report-inbox';
import { authorisationGroupOf } from '../../src/report-inbox/authorisations';
import { TemplateLinter } from '../util/cfn-lint';
import { ensureParserBundle } from './support/bundle';

const lint = new TemplateLinter();
beforeAll(() => ensureParserBundle());
afterAll(() => lint.expectNoErrors());

const ENV = { account: '111122223333', region: 'eu-west-2' };

function build(props: Partial<ReportInboxProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Mail', { env: ENV });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'dept.gov.uk' });
  const inbox = new ReportInbox(stack, 'Reports', { zone, domains: ['dept.gov.uk', 'old-dept.gov.uk'], allowMissingMtaSts: true, ...props });
  return { app, stack, zone, inbox };
}

/** `n` domains outside the zone's organisational domain, so each needs an authorisation. */
function external(n: number, prefix = 'agency'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}.gov.uk`);
}

/** The resources of a type, by logical id. */
function resources(template: Template, type: string): Record<string, any> {
  return template.findResources(type);
}

/** The authorisation TXT names each group holds, by group logical id. */
function groups(template: Template): Record<string, string[]> {
  return Object.fromEntries(Object.entries(resources(template, 'AWS::Route53::RecordSetGroup'))
    .map(([id, g]) => [id, g.Properties.RecordSets.map((r: { Name: string }) => r.Name)]));
}

/** The names of the per-domain authorisation record sets. */
function perDomainAuthorisations(template: Template): string[] {
  return Object.values(resources(template, 'AWS::Route53::RecordSet'))
    .map((r) => String(r.Properties.Name)).filter((n) => n.includes('._report._dmarc.'));
}

/** The inbox's domain list custom resource's properties. */
function domainListProperties(template: Template): Record<string, unknown> {
  const [resource] = Object.values(resources(template, 'Custom::ReportInboxDomainList'));
  return resource.Properties;
}

/** Run the domain list writer's inline code with S3 and the response URL stubbed. */
async function runDomainListWriter(template: Template, requestType: 'Create' | 'Update' | 'Delete', s3Error?: Error) {
  const [fn] = Object.entries(resources(template, 'AWS::Lambda::Function')).filter(([id]) => id.startsWith('ReportsDomainListFunction')).map(([, f]) => f);
  const { sent, responses } = await runInlineHandler(fn.Properties.Code.ZipFile,
    { module: '@aws-sdk/client-s3', client: 'S3Client', command: 'PutObjectCommand', error: s3Error }, {
      RequestType: requestType,
      LogicalResourceId: 'ReportsDomainList',
      // CloudFormation sends the properties resolved: the bucket's name as a string.
      ResourceProperties: { ...domainListProperties(template), Bucket: 'gov-email-reports-bucket' },
    });
  return { puts: sent, responses: responses.map((r) => r.body) };
}

describe('ReportInbox: the domain list is config/domains.json, written at deployment', () => {
  test('the custom resource carries the names compactly; the handler writes the contract\'s object exactly', async () => {
    const { stack } = build({ domains: ['dept.gov.uk'], domainsSendingNoMail: ['old-dept.gov.uk'] });
    const template = lint.template(stack);
    expect(domainListProperties(template)).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^ReportsDomainListFunction/), 'Arn'] },
      Bucket: { 'Fn::Join': ['', [expect.stringMatching(/^gov-email-reports-[0-9a-f]{8}-$/), { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
      Key: 'config/domains.json',
      InboxDomain: 'reports.dept.gov.uk',
      SendingMail: 'dept.gov.uk',
      SendingNoMail: 'old-dept.gov.uk',
    });
    const { puts, responses } = await runDomainListWriter(template, 'Create');
    expect(puts).toEqual([{
      Bucket: 'gov-email-reports-bucket',
      Key: 'config/domains.json',
      ContentType: 'application/json',
      Body: '{"version":1,"inboxDomain":"reports.dept.gov.uk","domains":[{"name":"dept.gov.uk","sendsMail":true},{"name":"old-dept.gov.uk","sendsMail":false},{"name":"reports.dept.gov.uk","sendsMail":false}]}',
    }]);
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 's3://gov-email-reports-bucket/config/domains.json' })]);
  });

  test('Update writes the object again; Delete leaves it (the bucket is retained, and a replacement\'s Delete must not remove the new list)', async () => {
    const { stack } = build();
    const template = lint.template(stack);
    expect((await runDomainListWriter(template, 'Update')).puts).toHaveLength(1);
    const deleted = await runDomainListWriter(template, 'Delete');
    expect(deleted.puts).toEqual([]);
    expect(deleted.responses[0].Status).toBe('SUCCESS');
  });

  test('an S3 error answers FAILED with its message', async () => {
    const { stack } = build();
    const { responses } = await runDomainListWriter(Template.fromStack(stack), 'Create', new Error('Access Denied'));
    expect(responses).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: 'Access Denied' })]);
  });

  test('the writer\'s role may put that one object and write its own logs; it runs once the bucket exists', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    const [roleId] = Object.keys(resources(template, 'AWS::IAM::Role')).filter((id) => id.startsWith('ReportsDomainListRole'));
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }));
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.map((s: { Sid: string; Action: unknown }) => [s.Sid, s.Action])).toEqual([
      ['WriteDomainList', 's3:PutObject'],
      ['WriteDomainListLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
    ]);
    expect(JSON.stringify(statements[0].Resource)).toMatch(/\/config\/domains\.json"\]\]\}$/);
    const [writer] = Object.values(resources(template, 'Custom::ReportInboxDomainList'));
    expect(writer.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ReportsBucket[0-9A-F]{8}$/)]));
  });

  test('property: the object lists every domain once, in name order, with the inbox\'s own as sending no mail', async () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
    const domain = fc.tuple(label, fc.constantFrom('gov.uk', 'org.uk', 'dept.gov.uk')).map(([l, s]) => `${l}.${s}`);
    const entriesOf = fc.uniqueArray(fc.tuple(domain, fc.boolean()), { minLength: 1, maxLength: 20, selector: ([d]) => d });
    await fc.assert(fc.asyncProperty(entriesOf, async (entries) => {
      const given = entries.filter(([d]) => d !== 'reports.dept.gov.uk');
      fc.pre(given.length > 0);
      const sending = given.filter(([, s]) => s).map(([d]) => d);
      const parked = given.filter(([, s]) => !s).map(([d]) => d);
      const { stack } = build({ domains: sending, domainsSendingNoMail: parked });
      const { puts } = await runDomainListWriter(Template.fromStack(stack), 'Create');
      const body = JSON.parse(puts[0].Body);
      const expected = [...given.map(([name, sendsMail]) => ({ name, sendsMail })), { name: 'reports.dept.gov.uk', sendsMail: false }]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      expect(body).toEqual({ version: 1, inboxDomain: 'reports.dept.gov.uk', domains: expected });
      expect(puts[0].Body).toBe(JSON.stringify(body));
    }), { numRuns: 15 });
  });

  test('no DOMAINS variable: the function is told where the list is, and may read config/', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    const [fn] = Object.entries(resources(template, 'AWS::Lambda::Function')).filter(([id]) => /^ReportsParser[0-9A-F]{8}$/.test(id)).map(([, f]) => f);
    expect(fn.Properties.Environment.Variables.DOMAINS).toBeUndefined();
    expect(fn.Properties.Environment.Variables.DOMAINS_KEY).toBe('config/domains.json');
  });
});

describe('ReportInbox.addDomain: domains registered after the inbox is made reach everything derived from the list', () => {
  test('the list, the config object, the Athena partitions, the authorisation record, the dashboard and the report destination', () => {
    const { stack, inbox } = build({ domains: ['dept.gov.uk'] });
    inbox.addDomain('Agency.org.uk.');
    inbox.addDomain('parked.gov.uk', { sendsMail: false });
    // A record built after addDomain, reporting to the inbox: listed, and authorised by the inbox.
    const agencyZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'AgencyZone', { hostedZoneId: 'Z0AGENCY', zoneName: 'agency.org.uk' });
    const dmarc = new DmarcRecord(stack, 'AgencyDmarc', { zone: agencyZone, reportTo: [inbox.dmarcAddress] });
    expect(dmarc.reportAuthorisationNames).toEqual([]);
    expect(inbox.domains).toEqual(['dept.gov.uk', 'agency.org.uk', 'parked.gov.uk']);
    expect(inbox.domainsSendingNoMail).toEqual(['parked.gov.uk']);
    expect(inbox.reportAuthorisationNames).toEqual(['agency.org.uk._report._dmarc.reports.dept.gov.uk', 'parked.gov.uk._report._dmarc.reports.dept.gov.uk']);

    const template = lint.template(stack);
    expect(domainListProperties(template)).toMatchObject({ SendingMail: 'agency.org.uk,dept.gov.uk', SendingNoMail: 'parked.gov.uk' });
    for (const table of Object.values(resources(template, 'AWS::Glue::Table'))) {
      expect(table.Properties.TableInput.Parameters['projection.domain.values']).toBe('dept.gov.uk,agency.org.uk,parked.gov.uk,reports.dept.gov.uk');
    }
    expect(perDomainAuthorisations(template).sort()).toEqual([
      'agency.org.uk._report._dmarc.reports.dept.gov.uk.', 'parked.gov.uk._report._dmarc.reports.dept.gov.uk.',
    ]);
  });

  test('an inbox whose domains are added is the inbox given them in its props: the same template', () => {
    const added = build({ domains: ['dept.gov.uk'] });
    added.inbox.addDomain('agency.org.uk');
    added.inbox.addDomain('parked.gov.uk', { sendsMail: false });
    const given = build({ domains: ['dept.gov.uk', 'agency.org.uk'], domainsSendingNoMail: ['parked.gov.uk'] });
    const template = lint.template(added.stack).toJSON();
    expect(template).toEqual(Template.fromStack(given.stack).toJSON());
    // Against an inbox without them, the dashboard, the alarms, the tables, the list and the authorisations differ.
    const without = Template.fromStack(build({ domains: ['dept.gov.uk'] }).stack).toJSON();
    const differing = Object.keys(template.Resources).filter((id) => JSON.stringify(template.Resources[id]) !== JSON.stringify(without.Resources[id]))
      .map((id) => template.Resources[id].Type).sort();
    expect(differing).toEqual(expect.arrayContaining(['AWS::CloudWatch::Dashboard', 'AWS::Glue::Table', 'AWS::Glue::Table', 'Custom::ReportInboxDomainList', 'AWS::Route53::RecordSet']));
  });

  test('checked as domains are: twice, not a name, a token; and not after synthesis', () => {
    const { inbox, stack } = build();
    expect(() => inbox.addDomain('OLD-dept.gov.uk')).toThrow(/^Mail\/Reports: \[REPORT-INBOX-DOMAINS\].*Got: "OLD-dept.gov.uk".*listed twice/);
    expect(() => inbox.addDomain('dept')).toThrow(/\[REPORT-INBOX-DOMAINS\].*Got: "dept"/);
    expect(() => inbox.addDomain(Token.asString({ Ref: 'Domain' }))).toThrow(/\[REPORT-INBOX-DOMAINS\].*known at synth/);
    expect(() => build({ domains: ['dept.gov.uk'], domainsSendingNoMail: ['Dept.gov.uk'] })).toThrow(/\[REPORT-INBOX-DOMAINS\].*listed twice/);
    Template.fromStack(stack);
    expect(() => inbox.addDomain('late.gov.uk')).toThrow(/\[REPORT-INBOX-DOMAINS\].*Got: "late.gov.uk".*before the app is synthesised/);
  });

  test('an inbox with no domains at all fails synth; one whose domains all come from addDomain passes', () => {
    const empty = build({ domains: [] });
    expect(() => empty.app.synth()).toThrow(/\[Mail\/Reports\] \[REPORT-INBOX-DOMAINS\].*Got: \[\]/);
    const added = build({ domains: [] });
    added.inbox.addDomain('dept.gov.uk');
    expect(domainListProperties(lint.template(added.stack))).toMatchObject({ SendingMail: 'dept.gov.uk' });
  });

  test('more than 100,000 characters of names fails synth, naming the count', () => {
    const { app } = build({ domains: Array.from({ length: 4000 }, (_, i) => `department-domain-${String(i).padStart(4, '0')}.dept.gov.uk`) });
    expect(() => app.synth()).toThrow(/\[REPORT-INBOX-DOMAINS\].*Got: 4000 domains \(139999 characters\)\. Allowed: at most 100000 characters/);
  });
});

describe('ReportInbox: authorisation records, one record set each or in groups', () => {
  test.each([
    [1, 'RECORD_SET_PER_DOMAIN'],
    [100, 'RECORD_SET_PER_DOMAIN'],
    [101, 'RECORD_SET_GROUPS'],
  ])('%i external domains by default: %s', (n, layout) => {
    const { stack, inbox } = build({ domains: ['dept.gov.uk', ...external(n)] });
    const template = lint.template(stack);
    const grouped = Object.values(groups(template)).flat();
    const warnings = Annotations.fromStack(stack).findWarning('/Mail/Reports', Match.stringLikeRegexp('REPORT-INBOX-AUTHORISATION-LAYOUT'));
    if (layout === 'RECORD_SET_PER_DOMAIN') {
      expect(perDomainAuthorisations(template)).toHaveLength(n);
      expect(grouped).toEqual([]);
      // The ids every inbox had: ReportAuthorisation-<domain>.
      expect(Object.keys(resources(template, 'AWS::Route53::RecordSet'))).toContain(
        stack.resolve((inbox.node.findChild('ReportAuthorisation-agency-0000.gov.uk').node.defaultChild as route53.CfnRecordSet).logicalId));
      expect(warnings).toEqual([]);
    } else {
      expect(perDomainAuthorisations(template)).toEqual([]);
      expect(grouped.sort()).toEqual(inbox.reportAuthorisationNames.map((name) => `${name}.`).sort());
      expect(warnings).toHaveLength(1);
    }
  });

  test('groups: each record in the group its name hashes to, in name order, TXT "v=DMARC1" with the inbox\'s TTL; at most 100 a group', () => {
    const domains = external(300);
    const { stack } = build({ domains: ['dept.gov.uk', ...domains], authorisationLayout: ReportAuthorisationLayout.RECORD_SET_GROUPS, ttl: Duration.minutes(30) });
    const template = lint.template(stack);
    const byId = resources(template, 'AWS::Route53::RecordSetGroup');
    for (const domain of domains) {
      const group = String(authorisationGroupOf(domain)).padStart(2, '0');
      const [id] = Object.keys(byId).filter((k) => k.startsWith(`ReportsReportAuthorisations${group}`));
      expect(byId[id].Properties.RecordSets).toContainEqual({ Name: `${domain}._report._dmarc.reports.dept.gov.uk.`, Type: 'TXT', TTL: '1800', ResourceRecords: ['"v=DMARC1"'] });
    }
    for (const group of Object.values(byId)) {
      const names = group.Properties.RecordSets.map((r: { Name: string }) => r.Name);
      expect(names).toEqual([...names].sort());
      expect(names.length).toBeLessThanOrEqual(100);
      expect(group.Properties.HostedZoneId).toEqual({ Ref: expect.stringMatching(/^Zone/) });
    }
    // Set explicitly: no warning.
    expect(Annotations.fromStack(stack).findWarning('/Mail/Reports', Match.stringLikeRegexp('REPORT-INBOX-AUTHORISATION-LAYOUT'))).toEqual([]);
  });

  test('the group of a name: the first byte of its SHA-256, modulo 64 (pinned: moving a record between groups fails a deployment)', () => {
    // Golden values, worked out apart from the code: `printf %s old-dept.gov.uk | sha256sum` begins b4 (180), and 180 % 64 = 52.
    expect(authorisationGroupOf('old-dept.gov.uk')).toBe(52);
    expect(authorisationGroupOf('agency.org.uk')).toBe(56); // 0x78 = 120, 120 % 64 = 56
    expect(authorisationGroupOf('agency-0000.gov.uk')).toBe(48); // 0xf0 = 240, 240 % 64 = 48
    // The name as listed, lower case, decides.
    expect(authorisationGroupOf('Agency.ORG.uk')).toBe(56);
    fc.assert(fc.property(fc.string(), (s) => {
      const g = authorisationGroupOf(s);
      return Number.isInteger(g) && g >= 0 && g < 64;
    }));
  });

  test('adding one domain changes one group only, and removing it changes it back', () => {
    const before = groups(Template.fromStack(build({ domains: ['dept.gov.uk', ...external(250)] }).stack));
    const added = build({ domains: ['dept.gov.uk', ...external(250)] });
    added.inbox.addDomain('new-agency.gov.uk');
    const after = groups(lint.template(added.stack));
    const changed = Object.keys({ ...before, ...after }).filter((id) => JSON.stringify(before[id]) !== JSON.stringify(after[id]));
    expect(changed).toEqual([expect.stringMatching(new RegExp(`^ReportsReportAuthorisations${String(authorisationGroupOf('new-agency.gov.uk')).padStart(2, '0')}`))]);
    expect(after[changed[0]]).toEqual([...(before[changed[0]] ?? []), 'new-agency.gov.uk._report._dmarc.reports.dept.gov.uk.'].sort());
  });

  test('property: for any set of domains and one more, exactly one group differs', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/);
    fc.assert(fc.property(fc.uniqueArray(label, { minLength: 1, maxLength: 40 }), label, (names, extra) => {
      fc.pre(!names.includes(extra));
      const bucket = (list: string[]) => {
        const map = new Map<number, string[]>();
        for (const n of list) map.set(authorisationGroupOf(`${n}.gov.uk`), [...(map.get(authorisationGroupOf(`${n}.gov.uk`)) ?? []), n].sort());
        return map;
      };
      const a = bucket(names);
      const b = bucket([...names, extra]);
      const differ = [...new Set([...a.keys(), ...b.keys()])].filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)));
      return differ.length === 1 && differ[0] === authorisationGroupOf(`${extra}.gov.uk`);
    }));
  });

  test('RECORD_SET_PER_DOMAIN kept above 100 when set, with no warning', () => {
    const { stack } = build({ domains: ['dept.gov.uk', ...external(150)], authorisationLayout: ReportAuthorisationLayout.RECORD_SET_PER_DOMAIN });
    const template = lint.template(stack);
    expect(perDomainAuthorisations(template)).toHaveLength(150);
    expect(Object.keys(groups(template))).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('/Mail/Reports', Match.stringLikeRegexp('REPORT-INBOX-AUTHORISATION-LAYOUT'))).toEqual([]);
  });

  test('RECORD_SET_PER_DOMAIN with more record sets than the stack can hold fails synth: REPORT-INBOX-AUTHORISATIONS', () => {
    const { app } = build({ domains: ['dept.gov.uk', ...external(480)], authorisationLayout: ReportAuthorisationLayout.RECORD_SET_PER_DOMAIN });
    expect(() => app.synth()).toThrow(/\[Mail\/Reports\] \[REPORT-INBOX-AUTHORISATIONS\].*Got: authorisationLayout RECORD_SET_PER_DOMAIN with 480 authorisation record sets, in a stack of \d{3} resources\. Allowed: at most 500 resources/);
  });
});

describe('ReportInbox: the parser\'s limits, trust and sweep', () => {
  test('limits, silentAfter and countUnauthenticatedReports reach the function\'s environment', () => {
    const { stack } = build({
      limits: {
        maxRowsPerMessage: 1000,
        maxParsedBytesPerMessage: Size.mebibytes(1),
        maxRowsPerReporterPerDay: 20000,
        maxParsedBytesPerReporterPerDay: Size.gibibytes(1),
      },
      silentAfter: Duration.days(7),
      countUnauthenticatedReports: true,
    });
    lint.template(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MAX_ROWS_PER_MESSAGE: '1000',
          MAX_BYTES_PER_MESSAGE: '1048576',
          MAX_ROWS_PER_REPORTER_DAY: '20000',
          MAX_BYTES_PER_REPORTER_DAY: '1073741824',
          SILENT_AFTER_DAYS: '7',
          COUNT_UNAUTHENTICATED: 'true',
        }),
      },
    });
  });

  test.each([
    ['no rows per message', { limits: { maxRowsPerMessage: 0 } }, /\[REPORT-INBOX-LIMITS\].*Got: 0\. Allowed: a whole number, at least 1, for limits\.maxRowsPerMessage/],
    ['half a row', { limits: { maxRowsPerReporterPerDay: 1.5 } }, /\[REPORT-INBOX-LIMITS\].*Got: 1\.5.*limits\.maxRowsPerReporterPerDay/],
    ['rows per message over the reporter\'s day', { limits: { maxRowsPerMessage: 600000 } }, /\[REPORT-INBOX-LIMITS\].*Got: "maxRowsPerMessage 600000 over maxRowsPerReporterPerDay 500000"/],
    ['bytes per message over 256 MiB', { limits: { maxParsedBytesPerMessage: Size.mebibytes(512), maxParsedBytesPerReporterPerDay: Size.gibibytes(1) } },
      /\[REPORT-INBOX-LIMITS\].*Got: "536870912 bytes".*at most 268435456 bytes \(256 MiB\)/],
    ['bytes per message over the reporter\'s day', { limits: { maxParsedBytesPerMessage: Size.mebibytes(64), maxParsedBytesPerReporterPerDay: Size.mebibytes(32) } },
      /\[REPORT-INBOX-LIMITS\].*maxParsedBytesPerMessage 67108864 bytes over maxParsedBytesPerReporterPerDay 33554432 bytes/],
    ['a fraction of a byte', { limits: { maxParsedBytesPerReporterPerDay: Size.kibibytes(0.5) } }, /\[REPORT-INBOX-LIMITS\].*limits\.maxParsedBytesPerReporterPerDay/],
    ['silentAfter of hours', { silentAfter: Duration.hours(36) }, /\[REPORT-INBOX-LIMITS\].*Got: "Duration.hours\(36\)".*silentAfter/],
    ['silentAfter of no days', { silentAfter: Duration.days(0) }, /\[REPORT-INBOX-LIMITS\].*silentAfter/],
    ['silentAfter over a year', { silentAfter: Duration.days(400) }, /\[REPORT-INBOX-LIMITS\].*Got: "Duration.days\(400\)"/],
  ])('%s fails synth', (_what, props, message) => {
    expect(() => build(props as Partial<ReportInboxProps>)).toThrow(message);
  });

  test('the ledger: pk/sk strings, on demand, TTL expiresAt, point-in-time recovery, AWS-managed encryption, retained by default', () => {
    const { stack } = build();
    const template = lint.template(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the ledger follows removalPolicy', () => {
    const { stack } = build({ removalPolicy: 'destroy' as never });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  test('exactly GetItem, PutItem, UpdateItem and Query on the ledger, for the parser alone', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    const statements = Object.values(resources(template, 'AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: string | string[] }) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(statements).toEqual([{
      Sid: 'UseReportLedger',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ReportsLedger/), 'Arn'] },
    }]);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ LEDGER_TABLE: { Ref: Match.stringLikeRegexp('^ReportsLedger') } }) } });
  });

  test('the sweep: an EventBridge rule invokes the parser daily with the constant input', () => {
    const { stack } = build();
    const template = lint.template(stack);
    const [rule] = Object.values(resources(template, 'AWS::Events::Rule'));
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'cron(0 6 * * ? *)', State: 'ENABLED' });
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/^ReportsParser[0-9A-F]{8}$/), 'Arn'] },
      Input: '{"action":"sweep-silent-domains"}',
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 },
    })]);
  });
});

describe('ReportInbox: processing records are kept 90 days, or the retention when shorter', () => {
  test.each([[365, 90], [90, 90], [30, 30]])('retention %i days: processing records kept %i days', (retention, outcome) => {
    const { stack } = build({ retention: Duration.days(retention) });
    const [bucket] = Object.entries(resources(lint.template(stack), 'AWS::S3::Bucket')).filter(([id]) => /^ReportsBucket/.test(id)).map(([, b]) => b);
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'expire', Status: 'Enabled', ExpirationInDays: retention, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      { Id: 'expire-processing-records', Status: 'Enabled', Prefix: 'parsed/type=outcome/', ExpirationInDays: outcome },
    ]);
  });
});

describe('ReportInbox: cdk-nag AwsSolutions over the new resources', () => {
  test('groups, ledger, sweep and the domain list writer: no findings', () => {
    const { app, stack } = build({ domains: ['dept.gov.uk', ...external(120)], activateRuleSet: true });
    lint.template(stack);
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('ReportInbox: an estate of 3,000 domains', () => {
  test('2,000 sending and 1,000 not, half outside the zone: within 500 resources and 1 MB, and cfn-lint passes', () => {
    const sending = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? `service-${String(i).padStart(4, '0')}.dept.gov.uk` : `agency-${String(i).padStart(4, '0')}.gov.uk`));
    const parked = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? `parked-${String(i).padStart(4, '0')}.dept.gov.uk` : `old-body-${String(i).padStart(4, '0')}.org.uk`));
    const app = new App();
    const stack = new Stack(app, 'Mail', { env: ENV });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'dept.gov.uk' });
    const inbox = new ReportInbox(stack, 'Reports', { zone, domains: sending, domainsSendingNoMail: parked, allowMissingMtaSts: true });
    expect(inbox.domains).toHaveLength(3000);
    expect(inbox.reportAuthorisationNames).toHaveLength(1500);
    const assembly = app.synth();
    const artifact = assembly.getStackByName('Mail');
    const bytes = statSync(artifact.templateFullPath).size;
    const count = Object.keys(artifact.template.Resources).length;
    // eslint-disable-next-line no-console
    console.log(`3,000-domain inbox: ${count} resources, ${bytes} template bytes`);
    expect(count).toBeLessThanOrEqual(500);
    expect(bytes).toBeLessThan(1_000_000);
    const template = lint.template(stack);
    const grouped = Object.values(groups(template));
    expect(grouped.flat()).toHaveLength(1500);
    expect(Math.max(...grouped.map((g) => g.length))).toBeLessThanOrEqual(100);
    expect(String(domainListProperties(template).SendingMail).split(',')).toHaveLength(2000);
  });
});
