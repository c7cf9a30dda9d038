import { App, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { DMARC_TABLE_NAME, ReportCatalogProps, TLSRPT_TABLE_NAME, buildReportCatalog, structFields } from '../../src/report-inbox/catalog';
import { DMARC_COLUMNS, TLSRPT_COLUMNS, TableColumn } from '../../src/reports/rows';
import { inboxSnapshot, snapshotBlock } from './support/inbox-snapshot';
import { TemplateLinter } from '../util/cfn-lint';

const lint = new TemplateLinter();
afterAll(() => lint.expectNoErrors());

const ENV = { account: '111122223333', region: 'eu-west-2' };
const INBOX = 'reports.dept.gov.uk';
const DATABASE = 'gov_email_reports_reports_dept_gov_uk';

/**
 * The catalog in a bare stack, at the construct path the ReportInbox gives it (`Mail/Reports`),
 * with the inputs the inbox passes: so its logical ids and bucket name are the inbox's.
 */
function build(domains: string[] = ['dept.gov.uk', 'old-dept.gov.uk'], props: Partial<ReportCatalogProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Mail', { env: ENV });
  const scope = new Construct(stack, 'Reports');
  const bucketName = `gov-email-reports-${scope.node.addr.slice(0, 8)}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
  const catalog = buildReportCatalog(scope, {
    bucketName,
    parsedPrefix: 'parsed/',
    databaseName: DATABASE,
    inboxDomain: INBOX,
    partitionDomains: () => [...domains, INBOX],
    ...props,
  });
  return { app, stack, scope, catalog, domains };
}

// ---- the snapshot of the ReportInbox template ----------------------------------------------------

/** The `"Columns": [ … ]` lists of snapshot text (their entries hold no arrays). */
const COLUMN_LISTS = /"Columns": \[\n[\s\S]*?\n\s*\],/g;

/** The column names each `"Columns"` list of snapshot text names, in order. */
function columnNames(text: string): string[][] {
  return [...text.matchAll(COLUMN_LISTS)].map((m) => [...m[0].matchAll(/^\s*"Name": "([^"]+)",$/gm)].map((n) => n[1]));
}

// ---- SQL identifiers ----------------------------------------------------------------------------

/** SQL keywords and the Trino functions the saved queries may call. */
const SQL_WORDS = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'is', 'null', 'true', 'false', 'as', 'with', 'group', 'by', 'order',
  'desc', 'asc', 'limit', 'case', 'when', 'then', 'else', 'end', 'left', 'join', 'on', 'cross', 'unnest', 'over',
  'partition', 'distinct', 'interval', 'day', 'in', 'having',
  'sum', 'count', 'min', 'max', 'date', 'date_format', 'date_trunc', 'current_date', 'array_join', 'array_agg',
  'row_number', 'coalesce',
]);

/**
 * The identifiers of a query that are neither SQL words, nor names the query defines (aliases
 * after AS, the column lists of `AS t (a, b)`, the names of WITH queries), nor in `known`:
 * an empty list when every column the query reads exists.
 */
function unknownIdentifiers(sql: string, known: Set<string>): string[] {
  const code = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^']|'')*'/g, ' ');
  const tokens = [...code.matchAll(/"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*)|([(),.])/g)]
    .map((t) => ({ word: t[1] ?? t[2], punct: t[3], quoted: t[1] !== undefined }));
  const defined = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1];
    if (tokens[i].word?.toLowerCase() !== 'as' || next === undefined) continue;
    if (next.word !== undefined) {
      defined.add(next.word.toLowerCase());
      // AS t (a, b, …): the column names of t.
      if (tokens[i + 2]?.punct === '(') {
        for (let j = i + 3; j < tokens.length && tokens[j].punct !== ')'; j++) if (tokens[j].word) defined.add(tokens[j].word!.toLowerCase());
      }
    } else if (next.punct === '(' && tokens[i - 1]?.word !== undefined) {
      // name AS ( … ): a WITH query.
      defined.add(tokens[i - 1].word!.toLowerCase());
    }
  }
  return [...new Set(tokens
    .filter((t) => t.word !== undefined)
    .map((t) => (t.quoted ? t.word! : t.word!.toLowerCase()))
    .filter((w) => !SQL_WORDS.has(w) && !defined.has(w) && !known.has(w)))];
}

/** The names a query over one table may use: its columns, the partition columns, struct fields, the database and table. */
function knownNames(table: string, columns: TableColumn[]): Set<string> {
  const names = new Set([DATABASE, table, 'dt', 'domain', ...columns.map((c) => c.name)]);
  for (const c of columns.filter((x) => x.type.startsWith('array<struct<'))) for (const f of structFields(c)) names.add(f);
  return names;
}

describe('ReportCatalog: the Glue database and tables', () => {
  test('identical to the ReportInbox\'s, logical ids included (compared with its template snapshot)', () => {
    const { stack } = build();
    const template = lint.template(stack);
    const snapshot = inboxSnapshot();
    const ids = (type: string) => Object.keys(template.findResources(type));
    expect(ids('AWS::Glue::Database')).toEqual(['ReportsDatabaseE93144CB']);
    expect(ids('AWS::Glue::Table').sort()).toEqual(['ReportsDmarcTable9CFF6253', 'ReportsTlsRptTable7F5A0880']);
    // Identical but for the column lists, which are the parser's (DMARC_COLUMNS, TLSRPT_COLUMNS)
    // and grow when the parser writes a new column; no column of the snapshot is gone or renamed.
    const withoutColumns = (text: string) => text.replace(COLUMN_LISTS, '"Columns": [COLUMNS],');
    for (const id of ['ReportsDatabaseE93144CB', 'ReportsDmarcTable9CFF6253', 'ReportsTlsRptTable7F5A0880']) {
      const block = snapshotBlock(template, id);
      expect(withoutColumns(snapshot)).toContain(withoutColumns(block));
      const start = snapshot.indexOf(`    "${id}": {`);
      const inSnapshot = columnNames(snapshot.slice(start, snapshot.indexOf('\n    },\n', start)));
      const live = columnNames(block);
      expect(inSnapshot).toHaveLength(live.length);
      inSnapshot.forEach((names, i) => expect(live[i]).toEqual(expect.arrayContaining(names)));
    }
  });

  test('the tables\' columns are the parser\'s column lists, and the partition projection lists the domains and the inbox\'s own', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    const tables = Object.values(template.findResources('AWS::Glue::Table')).map((t) => t.Properties.TableInput);
    const byName = Object.fromEntries(tables.map((t) => [t.Name, t]));
    expect(byName[DMARC_TABLE_NAME].StorageDescriptor.Columns.map((c: any) => c.Name)).toEqual(DMARC_COLUMNS.map((c) => c.name));
    expect(byName[TLSRPT_TABLE_NAME].StorageDescriptor.Columns.map((c: any) => c.Name)).toEqual(TLSRPT_COLUMNS.map((c) => c.name));
    for (const t of tables) expect(t.Parameters['projection.domain.values']).toBe('dept.gov.uk,old-dept.gov.uk,reports.dept.gov.uk');
  });

  test('domains added after the catalog is built are in the partition projection (rendered at synthesis)', () => {
    const { stack, domains } = build(['dept.gov.uk']);
    domains.push('agency.org.uk');
    const template = lint.template(stack);
    for (const t of Object.values(template.findResources('AWS::Glue::Table'))) {
      expect(t.Properties.TableInput.Parameters['projection.domain.values']).toBe('dept.gov.uk,agency.org.uk,reports.dept.gov.uk');
    }
  });

  test('3,000 domains fit the projection\'s one Glue parameter', () => {
    const domains = Array.from({ length: 3000 }, (_, i) => `domain-number-${i}.gov.uk`);
    const { stack } = build(domains);
    const template = lint.template(stack);
    const values = Object.values(template.findResources('AWS::Glue::Table'))[0].Properties.TableInput.Parameters['projection.domain.values'] as string;
    expect(values.split(',')).toHaveLength(3001);
  });

  test('a domain list longer than Glue\'s 512,000-character parameter fails synth, naming the path, the rule and the count', () => {
    const domains = Array.from({ length: 2200 }, (_, i) => `${'a'.repeat(230)}-${i}.gov.uk`);
    const { stack } = build(domains);
    expect(() => Template.fromStack(stack)).toThrow(/Mail\/Reports: \[REPORT-INBOX-DOMAINS\].*Got: "2201 domains \(\d+ characters\)"\. Allowed: at most 512000 characters/);
  });

  test('an empty domain list fails synth: the enum projection needs a value', () => {
    const { stack } = build([], { partitionDomains: () => [] });
    expect(() => Template.fromStack(stack)).toThrow(/Mail\/Reports: \[REPORT-INBOX-DOMAINS\].*Got: \[\]\. Allowed: at least one domain/);
  });
});

describe('ReportCatalog: the Athena work group', () => {
  test('is retained by default, with the queries people saved in it, and follows a removal policy given', () => {
    const retained = lint.template(build().stack);
    expect(Object.values(retained.findResources('AWS::Athena::WorkGroup')).map((r) => [r.DeletionPolicy, r.UpdateReplacePolicy]))
      .toEqual([['Retain', 'Retain']]);
    const destroyed = lint.template(build(undefined, { removalPolicy: RemovalPolicy.DESTROY }).stack);
    expect(Object.values(destroyed.findResources('AWS::Athena::WorkGroup')).map((r) => [r.DeletionPolicy, r.UpdateReplacePolicy]))
      .toEqual([['Delete', 'Delete']]);
  });

  test('results encrypted under athena-results/ in the report bucket, configuration enforced, engine version 3', () => {
    const { stack, catalog, scope } = build();
    const template = lint.template(stack);
    expect(catalog.workGroupName).toBe(`gov-email-reports-${scope.node.addr.slice(0, 8)}`);
    const workGroups = template.findResources('AWS::Athena::WorkGroup');
    expect(Object.keys(workGroups)).toEqual([expect.stringMatching(/^ReportsWorkGroup[0-9A-F]{8}$/)]);
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: catalog.workGroupName,
      State: 'ENABLED',
      RecursiveDeleteOption: false,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
          OutputLocation: {
            'Fn::Join': ['', [`s3://gov-email-reports-${scope.node.addr.slice(0, 8)}-`, { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '/athena-results/']],
          },
        },
      },
    });
  });

  test('cdk-nag AwsSolutions finds nothing', () => {
    const { app, stack } = build();
    lint.template(stack);
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('ReportCatalog: saved queries', () => {
  const expected = ['QueryTopFailingSources', 'QueryNewSources', 'QueryDomainSources', 'QueryTlsFailures'];

  test('one per question, in the work group and the database, created after the tables they read', () => {
    const { stack, catalog } = build();
    const template = lint.template(stack);
    expect(catalog.namedQueries.map((q) => q.node.id)).toEqual(expected);
    const workGroupId = Object.keys(template.findResources('AWS::Athena::WorkGroup'))[0];
    const queries = template.findResources('AWS::Athena::NamedQuery');
    expect(Object.keys(queries)).toHaveLength(4);
    for (const q of Object.values(queries)) {
      expect(q.Properties).toEqual(expect.objectContaining({ Database: DATABASE, WorkGroup: { Ref: workGroupId } }));
      expect(q.DependsOn).toContain('ReportsDatabaseE93144CB');
      const table = String(q.Properties.QueryString).includes(`"${TLSRPT_TABLE_NAME}"`) ? 'ReportsTlsRptTable7F5A0880' : 'ReportsDmarcTable9CFF6253';
      expect(q.DependsOn).toContain(table);
      // Athena's limits: name 1-128, description 1-1024 characters.
      expect(q.Properties.Name.length).toBeLessThanOrEqual(128);
      expect(q.Properties.Description.length).toBeLessThanOrEqual(1024);
    }
  });

  test('each reads authenticated reports only, says so, and limits the scan with the dt partition', () => {
    const { catalog } = build();
    for (const q of catalog.namedQueries) {
      const sql = q.queryString;
      expect(q.description).toContain('authenticated IS NOT FALSE');
      // Every read of a table is followed by the authenticated and dt conditions.
      const reads = sql.split(/FROM "[a-z0-9_]+"\."[a-z_]+"/).slice(1);
      expect(reads.length).toBeGreaterThan(0);
      for (const read of reads) {
        const where = read.slice(0, read.search(/\n\s*(GROUP|ORDER|\))/));
        expect(where).toMatch(/authenticated IS NOT FALSE/);
        expect(where).toMatch(/dt >= date_format\(current_date - INTERVAL '\d+' DAY, '%Y-%m-%d'\)/);
      }
    }
  });

  test('the domain query takes the domain as a parameter; it calls out DKIM-pass-SPF-fail and failing-both sources', () => {
    const { catalog } = build();
    const q = catalog.namedQueries.find((x) => x.node.id === 'QueryDomainSources')!;
    expect(q.queryString).toMatch(/WHERE domain = \?\n/);
    expect(q.queryString).toContain("THEN 'failing-both'");
    expect(q.queryString).toContain("THEN 'dkim-pass-spf-fail'");
    expect(q.queryString).toMatch(/\bsender\b/);
    expect(q.description).toMatch(/forwarded/);
  });

  test('every column a query names is a column of the table it reads (the live column lists: a renamed column fails here)', () => {
    const { catalog } = build();
    const problems: Record<string, string[]> = {};
    for (const q of catalog.namedQueries) {
      const tls = q.queryString.includes(`"${TLSRPT_TABLE_NAME}"`);
      const known = tls ? knownNames(TLSRPT_TABLE_NAME, TLSRPT_COLUMNS) : knownNames(DMARC_TABLE_NAME, DMARC_COLUMNS);
      const unknown = unknownIdentifiers(q.queryString, known);
      if (unknown.length > 0) problems[q.node.id] = unknown;
    }
    expect(problems).toEqual({});
  });

  test('the identifier check finds a column missing from the list and a misspelt one, and accepts the names a query defines', () => {
    const { catalog } = build();
    const q = catalog.namedQueries.find((x) => x.node.id === 'QueryNewSources')!;
    const withoutSourceIp = knownNames(DMARC_TABLE_NAME, DMARC_COLUMNS.filter((c) => c.name !== 'source_ip'));
    expect(unknownIdentifiers(q.queryString, withoutSourceIp)).toEqual(['source_ip']);
    const known = knownNames(DMARC_TABLE_NAME, [...DMARC_COLUMNS, { name: 'sender', type: 'string', comment: '' }]);
    expect(unknownIdentifiers('SELECT sourceip, sum(message_count) AS n FROM "x"."dmarc_aggregate"', known)).toEqual(['sourceip', 'x']);
    expect(unknownIdentifiers(`SELECT t.spf, u FROM "${DATABASE}"."dmarc_aggregate" CROSS JOIN UNNEST(spf_results) AS t (spf, u)`, known)).toEqual([]);
  });

  test('the TLS query unnests every field of the failures column, in order', () => {
    const { catalog } = build();
    const q = catalog.namedQueries.find((x) => x.node.id === 'QueryTlsFailures')!;
    const fields = structFields(TLSRPT_COLUMNS.find((c) => c.name === 'failures')!);
    expect(fields).toEqual(['result_type', 'failed_sessions', 'sending_mta_ip', 'receiving_mx_hostname', 'receiving_mx_helo',
      'receiving_ip', 'additional_information', 'failure_reason_code']);
    expect(q.queryString).toContain(`CROSS JOIN UNNEST(tls.failures) AS failure (${fields.join(', ')})`);
  });

  test('the DMARC rows\' sender column exists (the queries classify sources by it)', () => {
    expect(DMARC_COLUMNS.map((c) => c.name)).toContain('sender');
  });
});

describe('structFields', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
  const scalar = fc.constantFrom('string', 'bigint', 'boolean', 'double');
  const type: fc.Arbitrary<string> = fc.letrec<{ type: string }>((tie) => ({
    type: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      tie('type').map((t) => `array<${t}>`),
      fc.array(fc.tuple(name, tie('type')), { minLength: 1, maxLength: 3 }).map((fs) => `struct<${fs.map(([n, t]) => `${n}:${t}`).join(',')}>`),
    ),
  })).type;

  test('reads back the field names of any array<struct<…>> type, nested types included', () => {
    fc.assert(fc.property(fc.array(fc.tuple(name, type), { minLength: 1, maxLength: 8 }), (fields) => {
      const column = { name: 'c', type: `array<struct<${fields.map(([n, t]) => `${n}:${t}`).join(',')}>>`, comment: '' };
      expect(structFields(column)).toEqual(fields.map(([n]) => n));
    }));
  });

  test('refuses a column that is not an array of structs', () => {
    expect(() => structFields({ name: 'mx_host', type: 'array<string>', comment: '' })).toThrow(/mx_host is not an array of structs/);
  });
});
