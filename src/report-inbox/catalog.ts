/**
 * The report inbox's catalog: the Glue database and tables Athena reads the parsed rows through,
 * an Athena work group whose results stay encrypted in the report bucket, and saved queries for
 * what a reviewer asks first.
 */
import { Aws, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { invalidInput } from '../constructs/private/annotations';
import { DMARC_COLUMNS, TLSRPT_COLUMNS, TableColumn } from '../reports/rows';
import { REPORT_RULES } from '../standard/report-rules';

/** The Glue table of DMARC aggregate report rows. */
export const DMARC_TABLE_NAME = 'dmarc_aggregate';
/** The Glue table of SMTP TLS report rows. */
export const TLSRPT_TABLE_NAME = 'tls_rpt';
/** Where the work group writes query results in the report bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';
/**
 * Glue's limit on a table parameter's value, in characters (`TableInput.Parameters`): the
 * partition projection's list of domains is one such value.
 */
const MAX_TABLE_PARAMETER = 512000;

/** What the catalog needs of the inbox. */
export interface ReportCatalogProps {
  /** The report bucket's name (it may hold tokens: account and region). */
  readonly bucketName: string;
  /** Where the parser writes parsed rows in the bucket, for example `parsed/`. */
  readonly parsedPrefix: string;
  /** The Glue database's name, checked by the inbox: lower-case letters, digits and underscores. */
  readonly databaseName: string;
  /** The inbox's domain, for example `reports.dept.gov.uk`. */
  readonly inboxDomain: string;
  /**
   * The `domain` partitions the parser writes: the inbox's domains and its own, lower case. Read
   * when the template is synthesised, so domains added after the catalog is built are included.
   */
  readonly partitionDomains: () => string[];
  /**
   * What happens to the Athena work group (and the queries people saved in it) when it leaves
   * the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** What the catalog made. */
export interface ReportCatalog {
  /** The Glue database (id `Database`). */
  readonly database: glue.CfnDatabase;
  /** The `dmarc_aggregate` table (id `DmarcTable`). */
  readonly dmarcTable: glue.CfnTable;
  /** The `tls_rpt` table (id `TlsRptTable`). */
  readonly tlsRptTable: glue.CfnTable;
  /**
   * The Athena work group's name (id `WorkGroup`): `gov-email-reports-` and the first eight
   * characters of the inbox's construct address, as the inbox's receipt rule set is named.
   *
   * Its configuration is enforced: every query run in it writes its results under
   * `athena-results/` in the report bucket, encrypted with SSE-S3, on Athena engine version 3.
   * Those who query in it need, besides the saved queries' `athena:ListNamedQueries`,
   * `athena:GetNamedQuery` and `athena:BatchGetNamedQuery`:
   * - `athena:StartQueryExecution`, `athena:GetQueryExecution`, `athena:GetQueryResults`,
   *   `athena:StopQueryExecution` and `athena:GetWorkGroup` on the work group's ARN;
   * - `glue:GetDatabase`, `glue:GetTable` and `glue:GetTables` on the catalog, the database and
   *   its two tables (the tables' partitions are projected, so no `glue:GetPartitions`);
   * - `s3:GetObject` on `parsed/*` and `s3:ListBucket` and `s3:GetBucketLocation` on the report
   *   bucket; `s3:PutObject`, `s3:GetObject`, `s3:AbortMultipartUpload` and
   *   `s3:ListMultipartUploadParts` on `athena-results/*`.
   * No KMS permission: the bucket and the results use S3-managed keys.
   */
  readonly workGroupName: string;
  /** The saved queries, in the work group and the database (ids `Query<Name>`). */
  readonly namedQueries: athena.CfnNamedQuery[];
}

/**
 * The inbox's Glue database and tables (partition projection over `parsed/`, so Athena needs no
 * crawler and no partition management), its Athena work group, and its saved queries.
 *
 * Creates `Database`, `DmarcTable`, `TlsRptTable`, `WorkGroup` and `Query<Name>` in `scope`.
 */
export function buildReportCatalog(scope: Construct, props: ReportCatalogProps): ReportCatalog {
  const database = new glue.CfnDatabase(scope, 'Database', {
    catalogId: Aws.ACCOUNT_ID,
    databaseInput: { name: props.databaseName, description: `DMARC and TLS-RPT reports received at ${props.inboxDomain}` },
  });
  const tableProps = { scope, database, props };
  const dmarcTable = table(tableProps, 'DmarcTable', DMARC_TABLE_NAME, 'dmarc', DMARC_COLUMNS,
    'DMARC aggregate report rows: one per record (source IP and results)');
  const tlsRptTable = table(tableProps, 'TlsRptTable', TLSRPT_TABLE_NAME, 'tlsrpt', TLSRPT_COLUMNS,
    'SMTP TLS report rows: one per policy, with failure details');
  scope.node.addValidation({ validate: () => checkPartitionDomains(scope, props.partitionDomains()) });

  const workGroupName = `gov-email-reports-${scope.node.addr.slice(0, 8)}`;
  const workGroup = new athena.CfnWorkGroup(scope, 'WorkGroup', {
    name: workGroupName,
    description: `Queries over the DMARC and TLS reports received at ${props.inboxDomain} (database ${props.databaseName})`,
    state: 'ENABLED',
    // The work group holds the queries people save in it, so it is not deleted with what is in it:
    // it follows the inbox's removal policy (retained by default), and a work group that is
    // deleted fails to while queries of people's own are saved in it. Query results stay in the
    // report bucket until its lifecycle rule expires them.
    recursiveDeleteOption: false,
    workGroupConfiguration: {
      // Enforced, so no client setting can send results elsewhere or unencrypted.
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      // The saved queries are written for Trino's SQL (engine version 3).
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: `s3://${props.bucketName}/${ATHENA_RESULTS_PREFIX}`,
        encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        expectedBucketOwner: Aws.ACCOUNT_ID,
      },
    },
  });
  workGroup.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);

  const namedQueries = SAVED_QUERIES.map((q) => {
    const query = new athena.CfnNamedQuery(scope, `Query${q.id}`, {
      name: q.name,
      description: q.description,
      database: props.databaseName,
      workGroup: workGroup.ref,
      queryString: q.sql(props.databaseName),
    });
    query.node.addDependency(database, q.table === DMARC_TABLE_NAME ? dmarcTable : tlsRptTable);
    return query;
  });

  return { database, dmarcTable, tlsRptTable, workGroupName, namedQueries };
}

function table(t: { scope: Construct; database: glue.CfnDatabase; props: ReportCatalogProps }, id: string, name: string, type: string,
  columns: TableColumn[], description: string): glue.CfnTable {
  const location = `s3://${t.props.bucketName}/${t.props.parsedPrefix}type=${type}/`;
  const result = new glue.CfnTable(t.scope, id, {
    catalogId: Aws.ACCOUNT_ID,
    databaseName: t.props.databaseName,
    tableInput: {
      name,
      description,
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        'classification': 'json',
        // Partition projection: Athena works out the partitions from these, with no crawler
        // and no partition management.
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': '2020-01-01,NOW',
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        'projection.domain.type': 'enum',
        // Rendered at synthesis: the inbox's domains may be added after the table is built.
        'projection.domain.values': Lazy.string({ produce: () => t.props.partitionDomains().join(',') }),
        'storage.location.template': `${location}dt=\${dt}/domain=\${domain}/`,
      },
      partitionKeys: [
        { name: 'dt', type: 'string', comment: 'The day the reporting period began (UTC), yyyy-MM-dd' },
        { name: 'domain', type: 'string', comment: 'The inbox domain the report is about' },
      ],
      storageDescriptor: {
        location,
        columns: columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serdeInfo: {
          serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
          parameters: { 'ignore.malformed.json': 'true' },
        },
      },
    },
  });
  result.node.addDependency(t.database);
  return result;
}

/** The partition projection's domain list must be non-empty and fit one Glue table parameter. */
function checkPartitionDomains(scope: Construct, domains: string[]): string[] {
  const values = domains.join(',');
  if (domains.length === 0) {
    return [invalidInput(scope, REPORT_RULES.inboxDomains.id, domains, 'at least one domain: the tables\' partition projection lists the domains').message];
  }
  if (values.length > MAX_TABLE_PARAMETER) {
    return [invalidInput(scope, REPORT_RULES.inboxDomains.id, `${domains.length} domains (${values.length} characters)`,
      `at most ${MAX_TABLE_PARAMETER} characters of domain names, comma-separated: the Glue tables list them in one parameter (projection.domain.values)`).message];
  }
  return [];
}

// ---- saved queries ---------------------------------------------------------------------------

/** A saved query: its id suffix, name, description, the table it reads, and its SQL. */
interface SavedQuery {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly table: string;
  readonly sql: (database: string) => string;
}

/**
 * Rows from reports whose message was not authenticated as from its reporter are left out: a
 * forged report could otherwise add sources and failures. Rows written before the column existed
 * have null, and are kept.
 */
const AUTHENTICATED = 'authenticated IS NOT FALSE';
const AUTHENTICATED_NOTE = 'Reads authenticated reports only (authenticated IS NOT FALSE: rows from before the column existed are null and kept); drop that condition to see every report.';

/** A `dt` partition value (yyyy-MM-dd) so many days before today (UTC). */
function daysAgo(days: number): string {
  return `date_format(current_date - INTERVAL '${days}' DAY, '%Y-%m-%d')`;
}

/** The field names of an `array<struct<…>>` column, in order (for UNNEST's column list). */
export function structFields(column: TableColumn): string[] {
  const inner = /^array<struct<(.*)>>$/.exec(column.type)?.[1];
  if (inner === undefined) throw new Error(`${column.name} is not an array of structs: ${column.type}`);
  const fields: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner[i];
    if (c === '<') {
      depth++;
    } else if (c === '>') {
      depth--;
    } else if ((c === ',' && depth === 0) || i === inner.length) {
      fields.push(inner.slice(start, i).split(':')[0]);
      start = i + 1;
    }
  }
  return fields;
}

const qualified = (database: string, tableName: string) => `"${database}"."${tableName}"`;

/** The saved queries, in the order the console lists them. */
const SAVED_QUERIES: SavedQuery[] = [
  {
    id: 'TopFailingSources',
    name: 'DMARC: top failing sources per domain and week',
    description: `The ten sources (IP addresses) with the most messages failing DMARC, per domain and ISO week, over the last twelve weeks, with their sender classification and the reporters that saw them. ${AUTHENTICATED_NOTE}`,
    table: DMARC_TABLE_NAME,
    sql: (db) => `-- The ten sources with the most messages failing DMARC, per domain and week (last 12 weeks).
-- ${AUTHENTICATED_NOTE}
WITH failing AS (
  SELECT domain,
         date_trunc('week', date(dt)) AS week,
         source_ip,
         array_join(array_agg(DISTINCT sender), ', ') AS senders,
         sum(message_count) AS failed_messages,
         count(DISTINCT org_name) AS reporters
  FROM ${qualified(db, DMARC_TABLE_NAME)}
  WHERE dt >= ${daysAgo(84)}
    AND dmarc_pass = false
    AND ${AUTHENTICATED}
  GROUP BY domain, date_trunc('week', date(dt)), source_ip
), ranked AS (
  SELECT failing.*,
         row_number() OVER (PARTITION BY domain, week ORDER BY failed_messages DESC) AS place
  FROM failing
)
SELECT domain, week, place, source_ip, senders, failed_messages, reporters
FROM ranked
WHERE place <= 10
ORDER BY week DESC, domain, place
`,
  },
  {
    id: 'NewSources',
    name: 'DMARC: new sources this week',
    description: `Sources (IP addresses) reported for a domain in the last 7 days that were not reported for it in the 90 days before: a new sender, or someone new spoofing the domain. ${AUTHENTICATED_NOTE}`,
    table: DMARC_TABLE_NAME,
    sql: (db) => `-- Sources reported for a domain in the last 7 days and not in the 90 days before.
-- ${AUTHENTICATED_NOTE}
WITH recent AS (
  SELECT domain,
         source_ip,
         array_join(array_agg(DISTINCT sender), ', ') AS senders,
         sum(message_count) AS messages,
         sum(CASE WHEN dmarc_pass THEN 0 ELSE message_count END) AS failed_messages,
         min(dt) AS first_seen,
         array_join(array_agg(DISTINCT org_name), ', ') AS reporters
  FROM ${qualified(db, DMARC_TABLE_NAME)}
  WHERE dt >= ${daysAgo(7)}
    AND ${AUTHENTICATED}
  GROUP BY domain, source_ip
), earlier AS (
  SELECT DISTINCT domain, source_ip
  FROM ${qualified(db, DMARC_TABLE_NAME)}
  WHERE dt >= ${daysAgo(97)}
    AND dt < ${daysAgo(7)}
    AND ${AUTHENTICATED}
)
SELECT recent.domain, recent.source_ip, recent.senders, recent.messages, recent.failed_messages, recent.first_seen, recent.reporters
FROM recent
LEFT JOIN earlier ON earlier.domain = recent.domain AND earlier.source_ip = recent.source_ip
WHERE earlier.source_ip IS NULL
ORDER BY recent.domain, recent.failed_messages DESC, recent.messages DESC
`,
  },
  {
    id: 'DomainSources',
    name: 'DMARC: every source of a domain in the last 7 days',
    description: 'Every source of one domain (the query\'s parameter, for example \'dept.gov.uk\') in the last 7 days, with its sender classification and aligned SPF and DKIM results, failing-both and DKIM-pass-SPF-fail sources first. '
      + `DKIM pass with SPF fail is mail forwarded on, or a sender missing from the SPF record; failing both is spoofing or an unconfigured sender. ${AUTHENTICATED_NOTE}`,
    table: DMARC_TABLE_NAME,
    sql: (db) => `-- Every source of one domain in the last 7 days: run with the domain as the parameter, for example 'dept.gov.uk'.
-- dkim-pass-spf-fail: forwarded mail, or a sender missing from the SPF record.
-- failing-both: spoofing, or a sender that neither signs with the domain's DKIM nor is in its SPF.
-- ${AUTHENTICATED_NOTE}
WITH sources AS (
  SELECT source_ip,
         sender,
         header_from,
         dkim_aligned,
         spf_aligned,
         dmarc_pass,
         CASE
           WHEN coalesce(dkim_aligned, '') <> 'pass' AND coalesce(spf_aligned, '') <> 'pass' THEN 'failing-both'
           WHEN dkim_aligned = 'pass' AND coalesce(spf_aligned, '') <> 'pass' THEN 'dkim-pass-spf-fail'
           WHEN spf_aligned = 'pass' AND coalesce(dkim_aligned, '') <> 'pass' THEN 'spf-pass-dkim-fail'
           ELSE 'aligned'
         END AS finding,
         message_count,
         org_name,
         envelope_from
  FROM ${qualified(db, DMARC_TABLE_NAME)}
  WHERE domain = ?
    AND dt >= ${daysAgo(7)}
    AND ${AUTHENTICATED}
)
SELECT finding,
       source_ip,
       sender,
       header_from,
       dkim_aligned,
       spf_aligned,
       dmarc_pass,
       sum(message_count) AS messages,
       array_join(array_agg(DISTINCT envelope_from), ', ') AS envelope_from_domains,
       array_join(array_agg(DISTINCT org_name), ', ') AS reporters
FROM sources
GROUP BY finding, source_ip, sender, header_from, dkim_aligned, spf_aligned, dmarc_pass
ORDER BY CASE finding WHEN 'failing-both' THEN 0 WHEN 'dkim-pass-spf-fail' THEN 1 WHEN 'spf-pass-dkim-fail' THEN 2 ELSE 3 END,
         messages DESC
`,
  },
  {
    id: 'TlsFailures',
    name: 'TLS: failures by result type and receiving MX per week',
    description: `Failed TLS sessions reported by sending servers, per domain, ISO week, result type (RFC 8460 §4.3) and receiving MX host, over the last twelve weeks. ${AUTHENTICATED_NOTE}`,
    table: TLSRPT_TABLE_NAME,
    sql: (db) => {
      const failures = TLSRPT_COLUMNS.find((c) => c.name === 'failures')!;
      return `-- Failed TLS sessions per domain, week, result type and receiving MX (last 12 weeks).
-- ${AUTHENTICATED_NOTE}
SELECT tls.domain,
       date_trunc('week', date(tls.dt)) AS week,
       failure.result_type,
       failure.receiving_mx_hostname,
       sum(failure.failed_sessions) AS sessions_failed,
       array_join(array_agg(DISTINCT tls.policy_type), ', ') AS policy_types,
       count(DISTINCT tls.org_name) AS reporters
FROM ${qualified(db, TLSRPT_TABLE_NAME)} AS tls
CROSS JOIN UNNEST(tls.failures) AS failure (${structFields(failures).join(', ')})
WHERE tls.dt >= ${daysAgo(84)}
  AND tls.${AUTHENTICATED}
GROUP BY tls.domain, date_trunc('week', date(tls.dt)), failure.result_type, failure.receiving_mx_hostname
ORDER BY week DESC, sessions_failed DESC
`;
    },
  },
];
