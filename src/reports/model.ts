/**
 * What the report parser reads out of DMARC aggregate reports (RFC 7489 appendix C, RFC 9990)
 * and SMTP TLS reports (RFC 8460 §4), and why it rejected what it could not read.
 */

/** Why a message, attachment or file gave no report. The values are stable: logs and metrics carry them. */
export enum RejectionReason {
  /** The raw message is larger than the limit. */
  MESSAGE_TOO_LARGE = 'message-too-large',
  /** The MIME structure cannot be read (no header section, a header section over the limit, a multipart without a boundary). */
  MALFORMED_MIME = 'malformed-mime',
  /** More MIME parts, or deeper nesting, than the limits allow. */
  TOO_MANY_PARTS = 'too-many-parts',
  /** SES's virus scan found a virus in the message (`X-SES-Virus-Verdict: FAIL`): nothing in it is read. */
  VIRUS = 'virus-detected',
  /** The message carries no report attachment at all: ordinary mail sent to the report address. */
  NOT_A_REPORT = 'not-a-report',
  /** More report attachments than the limit; the first ones were read. */
  TOO_MANY_ATTACHMENTS = 'too-many-attachments',
  /** An attachment larger than the limit. */
  ATTACHMENT_TOO_LARGE = 'attachment-too-large',
  /** The content is none of gzip, zip, XML or JSON, whatever its content type says. */
  UNSUPPORTED_CONTENT = 'unsupported-content',
  /** gzip or zip data that cannot be decompressed. */
  DECOMPRESSION_FAILED = 'decompression-failed',
  /** Decompressed data over the per-report or per-message limit (a zip or gzip bomb). */
  DECOMPRESSED_TOO_LARGE = 'decompressed-too-large',
  /** A zip archive with more entries than the limit, or an archive inside an archive. */
  ARCHIVE_REJECTED = 'archive-rejected',
  /** XML with a document type declaration or entity declaration: never processed. */
  XML_DOCTYPE = 'xml-doctype',
  /** XML that is not well formed, or nested deeper than the limit. */
  XML_MALFORMED = 'xml-malformed',
  /** Well-formed XML that is not a DMARC aggregate report, or one missing required data. */
  DMARC_INVALID = 'dmarc-invalid',
  /** JSON that cannot be parsed, or nested deeper than the limit. */
  JSON_MALFORMED = 'json-malformed',
  /** Well-formed JSON that is not an RFC 8460 report, or one missing required data. */
  TLSRPT_INVALID = 'tlsrpt-invalid',
  /** More records, policies or failure details than the limits allow. */
  TOO_MANY_RECORDS = 'too-many-records',
  /** A report about a domain this inbox does not serve. */
  UNEXPECTED_DOMAIN = 'unexpected-domain',
}

/** One thing that gave no report, and why. */
export interface Rejection {
  /** What was rejected: `message`, or an attachment by its position and file name. */
  readonly source: string;
  readonly reason: RejectionReason;
  /** A sentence naming what was wrong. */
  readonly detail: string;
}

/** `policy_published`: the DMARC record the receiver found. */
export interface DmarcPolicyPublished {
  readonly domain: string;
  readonly p?: string;
  readonly sp?: string;
  /** RFC 9990: the policy for non-existent subdomains. */
  readonly np?: string;
  readonly adkim?: string;
  readonly aspf?: string;
  /** RFC 7489 only (historic in RFC 9989). */
  readonly pct?: number;
  readonly fo?: string;
  /** RFC 9990: `t=y` testing mode (`y` or `n`). */
  readonly testing?: string;
  /** RFC 9990: `psd` (`y`, `n` or `u`). */
  readonly psd?: string;
  /** RFC 9990: `psl` or `treewalk`. */
  readonly discoveryMethod?: string;
}

/** A DKIM or SPF result the receiver found (`auth_results`), uninterpreted by DMARC. */
export interface DmarcAuthResult {
  readonly domain: string;
  readonly result: string;
  /** DKIM: the selector (`s=`). */
  readonly selector?: string;
  /** SPF: `mfrom` or `helo`. */
  readonly scope?: string;
  readonly humanResult?: string;
}

/** One `<record>`: messages from one source with one set of results. */
export interface DmarcRecordRow {
  readonly sourceIp: string;
  readonly count: number;
  /** `none`, `quarantine`, `reject` (or RFC 9990 `pass`). */
  readonly disposition: string;
  /** The DMARC-aligned DKIM result (`pass` or `fail`). */
  readonly dkim: string;
  /** The DMARC-aligned SPF result (`pass` or `fail`). */
  readonly spf: string;
  /** Whether the messages passed DMARC: aligned DKIM or aligned SPF passed. */
  readonly dmarcPass: boolean;
  readonly reasons: Array<{ readonly type: string; readonly comment?: string }>;
  readonly headerFrom: string;
  readonly envelopeFrom?: string;
  readonly envelopeTo?: string;
  readonly dkimResults: DmarcAuthResult[];
  readonly spfResults: DmarcAuthResult[];
}

/** A DMARC aggregate report. */
export interface DmarcAggregateReport {
  readonly kind: 'dmarc';
  /** `rfc9990` when the report uses the RFC 9990 namespace (`urn:ietf:params:xml:ns:dmarc-2.0`), else `rfc7489`. */
  readonly schema: 'rfc7489' | 'rfc9990';
  readonly orgName: string;
  readonly email: string;
  readonly extraContactInfo?: string;
  readonly reportId: string;
  /** The start of the period, UTC, as an ISO 8601 string. */
  readonly begin: string;
  readonly end: string;
  readonly errors: string[];
  readonly generator?: string;
  readonly policy: DmarcPolicyPublished;
  readonly records: DmarcRecordRow[];
}

/** One failure type in a TLS-RPT policy (`failure-details`). */
export interface TlsFailureDetail {
  readonly resultType: string;
  readonly failedSessions: number;
  readonly sendingMtaIp?: string;
  readonly receivingMxHostname?: string;
  readonly receivingMxHelo?: string;
  readonly receivingIp?: string;
  readonly additionalInformation?: string;
  readonly failureReasonCode?: string;
}

/** One policy a sender applied to the domain, with its session counts. */
export interface TlsPolicyResult {
  /** `sts`, `tlsa` or `no-policy-found`. */
  readonly policyType: string;
  readonly policyDomain: string;
  readonly policyString: string[];
  readonly mxHost: string[];
  readonly successfulSessions: number;
  readonly failedSessions: number;
  readonly failures: TlsFailureDetail[];
}

/** An SMTP TLS report (RFC 8460). */
export interface TlsRptReport {
  readonly kind: 'tlsrpt';
  readonly organizationName: string;
  readonly contactInfo?: string;
  readonly reportId: string;
  readonly begin: string;
  readonly end: string;
  readonly policies: TlsPolicyResult[];
}

export type ParsedReport = DmarcAggregateReport | TlsRptReport;

/** A report and where it came from. */
export interface ReportFound {
  /** The attachment or file it was read from. */
  readonly source: string;
  readonly report: ParsedReport;
  /**
   * Rows (DMARC records, TLS-RPT policies) of the report that were not read because the row
   * bound (`ParseOptions.maxRows`) was reached: the report holds the rows before them.
   */
  readonly rowsDropped?: number;
}

/** Everything read from one message or file. The parser never throws: what it cannot read is a rejection. */
export interface ParseOutcome {
  readonly reports: ReportFound[];
  readonly rejections: Rejection[];
  /** Parts that were not report attachments (the message text, a logo), by content type. */
  readonly ignored: string[];
  /**
   * The message's top-level headers (lower-case names, unfolded values, in order), when the
   * message could be read: what SES wrote above it says whether it can be trusted.
   */
  readonly headers?: Array<[string, string]>;
}

/** Raised inside the parser for a rejection; always caught and turned into a `Rejection`. */
export class ReportRejectedError extends Error {
  constructor(public readonly reason: RejectionReason, message: string) {
    super(message);
    this.name = 'ReportRejectedError';
  }
}
