/**
 * Parsed reports as JSON lines for Athena: one object per report and domain, at
 * `<prefix>type=dmarc|tlsrpt/dt=YYYY-MM-DD/domain=<domain>/<id>.json`, one line per DMARC
 * record or TLS-RPT policy. The column lists here are the Glue tables' columns, so the writer
 * and the tables cannot drift apart.
 */
import { DmarcAggregateReport, ParsedReport, TlsRptReport } from './model';
import { classifyRecord } from './sources';
import { nodeCrypto } from '../records/private/node-builtins';

/** A Glue column: name and Hive type. */
export interface TableColumn {
  readonly name: string;
  readonly type: string;
  readonly comment: string;
}

/** The columns of the DMARC table (partition columns `dt` and `domain` come from the key). */
export const DMARC_COLUMNS: TableColumn[] = [
  { name: 'org_name', type: 'string', comment: 'The reporting organisation (report_metadata/org_name)' },
  { name: 'report_email', type: 'string', comment: 'The reporter\'s contact address' },
  { name: 'report_id', type: 'string', comment: 'The reporter\'s id for the report' },
  { name: 'schema', type: 'string', comment: 'rfc7489 or rfc9990' },
  { name: 'date_begin', type: 'string', comment: 'Start of the reporting period, ISO 8601 UTC' },
  { name: 'date_end', type: 'string', comment: 'End of the reporting period, ISO 8601 UTC' },
  { name: 'policy_domain', type: 'string', comment: 'The domain whose DMARC record was applied' },
  { name: 'policy_p', type: 'string', comment: 'Published p' },
  { name: 'policy_sp', type: 'string', comment: 'Published sp' },
  { name: 'policy_np', type: 'string', comment: 'Published np (RFC 9990)' },
  { name: 'policy_adkim', type: 'string', comment: 'Published adkim' },
  { name: 'policy_aspf', type: 'string', comment: 'Published aspf' },
  { name: 'policy_testing', type: 'string', comment: 'Published t (RFC 9990)' },
  { name: 'source_ip', type: 'string', comment: 'The sending IP address' },
  { name: 'message_count', type: 'bigint', comment: 'Messages from this source with these results' },
  { name: 'disposition', type: 'string', comment: 'What the receiver did: none, quarantine, reject (pass in RFC 9990)' },
  { name: 'dkim_aligned', type: 'string', comment: 'DMARC-aligned DKIM result: pass or fail' },
  { name: 'spf_aligned', type: 'string', comment: 'DMARC-aligned SPF result: pass or fail' },
  { name: 'dmarc_pass', type: 'boolean', comment: 'Aligned DKIM or aligned SPF passed' },
  { name: 'header_from', type: 'string', comment: 'RFC5322.From domain' },
  { name: 'envelope_from', type: 'string', comment: 'RFC5321.MailFrom domain' },
  { name: 'envelope_to', type: 'string', comment: 'Envelope recipient domain' },
  { name: 'reasons', type: 'array<struct<type:string,comment:string>>', comment: 'Policy override reasons' },
  { name: 'dkim_results', type: 'array<struct<domain:string,selector:string,result:string>>', comment: 'DKIM signatures checked' },
  { name: 'spf_results', type: 'array<struct<domain:string,scope:string,result:string>>', comment: 'SPF checks' },
  { name: 'message_key', type: 'string', comment: 'The raw message (S3 key) the report came from' },
  { name: 'received_at', type: 'string', comment: 'When the report was parsed, ISO 8601 UTC' },
  { name: 'authenticated', type: 'boolean', comment: 'Whether the message the report came in was authenticated as from its reporter (null when not known, as for files read by the CLI)' },
  { name: 'trust', type: 'string', comment: 'Why the report is or is not trusted, for example dkim-aligned-with-reporter or spf-fail' },
  {
    name: 'sender',
    type: 'string',
    comment: 'Who sent: microsoft-365, amazon-ses, google-workspace, govuk-notify, custom (passes DMARC as the domain, no catalogue sender) or unknown, from the DKIM and SPF domains that passed',
  },
];

/** The columns of the TLS-RPT table (partition columns `dt` and `domain` come from the key). */
export const TLSRPT_COLUMNS: TableColumn[] = [
  { name: 'org_name', type: 'string', comment: 'The reporting organisation (organization-name)' },
  { name: 'contact_info', type: 'string', comment: 'The reporter\'s contact' },
  { name: 'report_id', type: 'string', comment: 'The reporter\'s id for the report' },
  { name: 'date_begin', type: 'string', comment: 'Start of the reporting period, ISO 8601 UTC' },
  { name: 'date_end', type: 'string', comment: 'End of the reporting period, ISO 8601 UTC' },
  { name: 'policy_type', type: 'string', comment: 'sts, tlsa or no-policy-found' },
  { name: 'policy_domain', type: 'string', comment: 'The domain the policy is for' },
  { name: 'policy_string', type: 'array<string>', comment: 'The policy as the sender saw it' },
  { name: 'mx_host', type: 'array<string>', comment: 'MX hosts the policy names' },
  { name: 'successful_sessions', type: 'bigint', comment: 'Sessions that negotiated TLS as the policy requires' },
  { name: 'failed_sessions', type: 'bigint', comment: 'Sessions that failed' },
  {
    name: 'failures',
    type: 'array<struct<result_type:string,failed_sessions:bigint,sending_mta_ip:string,receiving_mx_hostname:string,receiving_mx_helo:string,receiving_ip:string,additional_information:string,failure_reason_code:string>>',
    comment: 'Failure details by result type',
  },
  { name: 'message_key', type: 'string', comment: 'The raw message (S3 key) the report came from' },
  { name: 'received_at', type: 'string', comment: 'When the report was parsed, ISO 8601 UTC' },
  { name: 'authenticated', type: 'boolean', comment: 'Whether the message the report came in was authenticated as from its reporter (null when not known, as for files read by the CLI)' },
  { name: 'trust', type: 'string', comment: 'Why the report is or is not trusted, for example dkim-aligned-with-reporter or spf-fail' },
];

/** One object to write: its key under the parsed prefix and its JSON lines. */
export interface ParsedObject {
  readonly type: 'dmarc' | 'tlsrpt';
  readonly domain: string;
  /** `type=…/dt=…/domain=…/<id>.json`, to be put after the parsed prefix. */
  readonly key: string;
  readonly rows: Array<Record<string, unknown>>;
}

/** Where a report came from and when it was read, written on every row. */
export interface RowContext {
  readonly messageKey: string;
  readonly receivedAt: string;
  /**
   * The partition a policy domain is stored under: the served domain it is, or is under (so a
   * report about `consult.dept.gov.uk` is found under `domain=dept.gov.uk`, which the Glue
   * table's partition projection lists).
   *
   * @default - the policy domain itself
   */
  readonly partitionFor?: (domain: string) => string;

  /**
   * Whether the message the report came in was authenticated as coming from its reporter.
   *
   * @default - not known (null in the rows)
   */
  readonly authenticated?: boolean;

  /**
   * Why the report is or is not trusted, in a word or two (`dkim-aligned-with-reporter`, `spf-fail`…).
   *
   * @default - not known (null in the rows)
   */
  readonly trust?: string;
}

/** The served domain a name is, or is under (the longest match), or the name itself. */
export function partitionDomain(domain: string, served: string[]): string {
  let best: string | undefined;
  for (const s of served) {
    if ((domain === s || domain.endsWith(`.${s}`)) && (best === undefined || s.length > best.length)) best = s;
  }
  return best ?? domain;
}

/** The objects a report is written as: one per domain it is about. */
export function reportObjects(report: ParsedReport, context: RowContext): ParsedObject[] {
  return report.kind === 'dmarc' ? [dmarcObject(report, context)] : tlsObjects(report, context);
}

/** The JSON lines body of an object. */
export function jsonLines(rows: Array<Record<string, unknown>>): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
}

function dmarcObject(report: DmarcAggregateReport, context: RowContext): ParsedObject {
  const domain = report.policy.domain;
  const partition = context.partitionFor?.(domain) ?? domain;
  const p = report.policy;
  const rows = report.records.map((r) => ({
    org_name: report.orgName,
    report_email: report.email,
    report_id: report.reportId,
    schema: report.schema,
    date_begin: report.begin,
    date_end: report.end,
    policy_domain: domain,
    policy_p: p.p ?? null,
    policy_sp: p.sp ?? null,
    policy_np: p.np ?? null,
    policy_adkim: p.adkim ?? null,
    policy_aspf: p.aspf ?? null,
    policy_testing: p.testing ?? null,
    source_ip: r.sourceIp,
    message_count: r.count,
    disposition: r.disposition,
    dkim_aligned: r.dkim,
    spf_aligned: r.spf,
    dmarc_pass: r.dmarcPass,
    header_from: r.headerFrom,
    envelope_from: r.envelopeFrom ?? null,
    envelope_to: r.envelopeTo ?? null,
    reasons: r.reasons.map((x) => ({ type: x.type, comment: x.comment ?? null })),
    dkim_results: r.dkimResults.map((x) => ({ domain: x.domain, selector: x.selector ?? null, result: x.result })),
    spf_results: r.spfResults.map((x) => ({ domain: x.domain, scope: x.scope ?? null, result: x.result })),
    message_key: context.messageKey,
    received_at: context.receivedAt,
    authenticated: context.authenticated ?? null,
    trust: context.trust ?? null,
    // The sender catalogue's class of the source, from this record's own evidence (the DKIM and
    // SPF domains that passed, the MAIL FROM domain), so Athena can group by who sends.
    sender: classifyRecord(r).id,
  }));
  return { type: 'dmarc', domain: partition, key: objectKey('dmarc', report.begin, partition, [report.orgName, report.reportId, domain]), rows };
}

function tlsObjects(report: TlsRptReport, context: RowContext): ParsedObject[] {
  const byDomain = new Map<string, Array<Record<string, unknown>>>();
  for (const p of report.policies) {
    const partition = context.partitionFor?.(p.policyDomain) ?? p.policyDomain;
    const rows = byDomain.get(partition) ?? [];
    rows.push({
      org_name: report.organizationName,
      contact_info: report.contactInfo ?? null,
      report_id: report.reportId,
      date_begin: report.begin,
      date_end: report.end,
      policy_type: p.policyType,
      policy_domain: p.policyDomain,
      policy_string: p.policyString,
      mx_host: p.mxHost,
      successful_sessions: p.successfulSessions,
      failed_sessions: p.failedSessions,
      failures: p.failures.map((f) => ({
        result_type: f.resultType,
        failed_sessions: f.failedSessions,
        sending_mta_ip: f.sendingMtaIp ?? null,
        receiving_mx_hostname: f.receivingMxHostname ?? null,
        receiving_mx_helo: f.receivingMxHelo ?? null,
        receiving_ip: f.receivingIp ?? null,
        additional_information: f.additionalInformation ?? null,
        failure_reason_code: f.failureReasonCode ?? null,
      })),
      message_key: context.messageKey,
      received_at: context.receivedAt,
      authenticated: context.authenticated ?? null,
      trust: context.trust ?? null,
    });
    byDomain.set(partition, rows);
  }
  return [...byDomain].map(([domain, rows]) => ({
    type: 'tlsrpt' as const,
    domain,
    key: objectKey('tlsrpt', report.begin, domain, [report.organizationName, report.reportId]),
    rows,
  }));
}

/**
 * The key of a report's object. The id is a hash of who sent which report, so a report
 * delivered twice overwrites itself instead of being counted twice, and nothing the sender
 * wrote reaches the key except the policy domain, which the parser has checked is a host name.
 */
function objectKey(type: string, begin: string, domain: string, identity: string[]): string {
  const dt = begin.slice(0, 10);
  const id = nodeCrypto().createHash('sha256').update([...identity, domain].join('\u0000')).digest('hex').slice(0, 32);
  return `type=${type}/dt=${dt}/domain=${domain}/${id}.json`;
}
