/**
 * The bounds the report parser works within. Report mail is untrusted input from the internet:
 * every size, count and depth the parser reads is capped, so one hostile message costs at most
 * a known amount of memory and time, and is rejected with a reason instead.
 *
 * The defaults fit the ReportInbox function's memory (1 GiB): the raw message, one decoded
 * attachment and one parsed report are held at a time.
 */
export interface ReportLimits {
  /** The largest raw message read (SES accepts messages up to 40 MB). */
  readonly maxMessageBytes: number;
  /** The largest header section of a message or MIME part. */
  readonly maxHeaderBytes: number;
  /** The most MIME parts in one message, counting nested ones. */
  readonly maxParts: number;
  /** The deepest nesting of multipart and message/rfc822 parts. */
  readonly maxMimeDepth: number;
  /** The most report attachments read from one message; the rest are rejected. */
  readonly maxAttachments: number;
  /** The largest attachment, after its transfer encoding (base64) is decoded. */
  readonly maxAttachmentBytes: number;
  /** The largest single report once decompressed. */
  readonly maxReportBytes: number;
  /** The most bytes decompressed from all attachments of one message (or one file) together. */
  readonly maxTotalDecompressedBytes: number;
  /** The most entries a zip archive may hold. */
  readonly maxZipEntries: number;
  /** The deepest element nesting in a DMARC report. */
  readonly maxXmlDepth: number;
  /** The deepest array/object nesting in a TLS-RPT report. */
  readonly maxJsonDepth: number;
  /** The most `<record>` elements in one DMARC report. */
  readonly maxDmarcRecords: number;
  /** The most policies in one TLS-RPT report. */
  readonly maxTlsPolicies: number;
  /** The most failure details in one TLS-RPT policy. */
  readonly maxTlsFailureDetails: number;
  /** Free-text fields (comments, human results, additional information) are cut to this length. */
  readonly maxTextLength: number;
}

const MiB = 1024 * 1024;

/** The limits used unless others are given. */
export const DEFAULT_LIMITS: ReportLimits = {
  maxMessageBytes: 40 * MiB,
  maxHeaderBytes: 256 * 1024,
  maxParts: 64,
  maxMimeDepth: 6,
  maxAttachments: 20,
  maxAttachmentBytes: 20 * MiB,
  maxReportBytes: 25 * MiB,
  maxTotalDecompressedBytes: 50 * MiB,
  maxZipEntries: 10,
  maxXmlDepth: 16,
  maxJsonDepth: 16,
  maxDmarcRecords: 200_000,
  maxTlsPolicies: 1_000,
  maxTlsFailureDetails: 10_000,
  maxTextLength: 1_024,
};

/**
 * The report inbox function's bounds and trust setting: what ReportInbox checks and sets in the
 * function's environment, and what the function reads from it.
 */
export interface InboxSettings {
  readonly maxRowsPerMessage: number;
  /** Parsed JSON-lines bytes. */
  readonly maxBytesPerMessage: number;
  readonly maxRowsPerReporterDay: number;
  readonly maxBytesPerReporterDay: number;
  /** A sending domain with no aggregate report for longer than this is silent. */
  readonly silentAfterDays: number;
  /** Whether unauthenticated reports count in the metrics the alarms watch. */
  readonly countUnauthenticated: boolean;
}

/**
 * The report inbox function's bounds and silence threshold when the inbox sets none: the
 * defaults of `ReportInbox`'s `limits` and `silentAfter`, and what the function falls back to
 * when its environment leaves one out.
 */
export const INBOX_DEFAULTS = {
  /** Rows one message may store. */
  maxRowsPerMessage: 50_000,
  /** Bytes of JSON lines one message may store. */
  maxBytesPerMessage: 32 * MiB,
  /** Rows one reporter may store in a day (UTC). */
  maxRowsPerReporterDay: 500_000,
  /** Bytes of JSON lines one reporter may store in a day (UTC). */
  maxBytesPerReporterDay: 256 * MiB,
  /** Days without an aggregate report after which a domain that sends mail is silent. */
  silentAfterDays: 3,
} as const;

/** The defaults with some limits replaced. */
export function limitsWith(overrides: Partial<ReportLimits> | undefined): ReportLimits {
  return { ...DEFAULT_LIMITS, ...(overrides ?? {}) };
}
