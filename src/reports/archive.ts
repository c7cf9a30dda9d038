/**
 * Unpacking report attachments: gzip (zlib, with an output cap), zip (fflate's streaming reader,
 * fed in small chunks so a bomb is stopped after at most one chunk's expansion, with per-entry,
 * total and entry-count caps) or a plain document. The content decides the format, not the
 * content type the sender claimed: reporters label the same gzip file `application/gzip`,
 * `application/x-gzip` and `application/octet-stream`.
 */
import { gunzipSync } from 'node:zlib';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { ReportLimits } from './limits';
import { RejectionReason, ReportRejectedError } from './model';

/** What an attachment (or file) holds, judged by its first bytes. */
export enum ContentKind {
  GZIP = 'gzip',
  ZIP = 'zip',
  XML = 'xml',
  JSON = 'json',
  OTHER = 'other',
}

/** One document out of an attachment: a report to parse, or why it cannot be. */
export interface ExtractedDocument {
  /** The attachment, or `attachment!entry` for a zip entry. */
  readonly name: string;
  readonly data?: Uint8Array;
  readonly rejection?: { readonly reason: RejectionReason; readonly detail: string };
}

/** The decompression budget of one message: shared by all its attachments. */
export class DecompressionBudget {
  private used = 0;
  constructor(private readonly limits: ReportLimits) {}

  /** The most one more document may decompress to: the per-report limit or what is left of the total. */
  public get nextCap(): number {
    return Math.max(0, Math.min(this.limits.maxReportBytes, this.limits.maxTotalDecompressedBytes - this.used));
  }

  public spend(bytes: number): void {
    this.used += bytes;
  }
}

const ZIP_FEED_CHUNK = 16 * 1024;

/** Judge content by its first bytes: gzip and zip by magic number, XML and JSON by their first character. */
export function sniff(data: Uint8Array): ContentKind {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return ContentKind.GZIP;
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 0x03 || data[2] === 0x05) && (data[3] === 0x04 || data[3] === 0x06)) {
    return ContentKind.ZIP;
  }
  let i = 0;
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) i = 3; // UTF-8 byte order mark
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
    // UTF-16: the first character after the mark, in either byte order.
    const first = data[0] === 0xff ? data[2] : data[3];
    return first === 0x3c ? ContentKind.XML : first === 0x7b ? ContentKind.JSON : ContentKind.OTHER;
  }
  while (i < data.length && i < 4096 && (data[i] === 0x20 || data[i] === 0x09 || data[i] === 0x0a || data[i] === 0x0d)) i++;
  if (data[i] === 0x3c) return ContentKind.XML;
  if (data[i] === 0x7b) return ContentKind.JSON;
  return ContentKind.OTHER;
}

/**
 * The documents in one attachment. Never throws: a document that cannot be had is returned
 * with its rejection, and the other entries of a zip are still returned.
 */
export function extractDocuments(name: string, data: Uint8Array, budget: DecompressionBudget, limits: ReportLimits): ExtractedDocument[] {
  const kind = sniff(data);
  try {
    switch (kind) {
      case ContentKind.GZIP:
        return [{ name, data: gunzip(data, budget) }];
      case ContentKind.ZIP:
        return unzip(name, data, budget, limits);
      case ContentKind.XML:
      case ContentKind.JSON:
        if (data.byteLength > limits.maxReportBytes) {
          throw new ReportRejectedError(RejectionReason.DECOMPRESSED_TOO_LARGE,
            `the report is ${data.byteLength} bytes, more than the limit of ${limits.maxReportBytes}`);
        }
        return [{ name, data }];
      default:
        throw new ReportRejectedError(RejectionReason.UNSUPPORTED_CONTENT,
          `the content is not gzip, zip, XML or JSON (it starts with ${hexStart(data)})`);
    }
  } catch (err) {
    return [{ name, rejection: rejectionOf(err) }];
  }
}

function gunzip(data: Uint8Array, budget: DecompressionBudget): Uint8Array {
  const cap = budget.nextCap;
  let out: Buffer;
  try {
    out = gunzipSync(data, { maxOutputLength: Math.max(1, cap) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      budget.spend(cap);
      throw new ReportRejectedError(RejectionReason.DECOMPRESSED_TOO_LARGE,
        `the gzip data decompresses to more than ${cap} bytes (the limit left for this message)`);
    }
    throw new ReportRejectedError(RejectionReason.DECOMPRESSION_FAILED, `the gzip data cannot be decompressed (${(err as Error).message})`);
  }
  budget.spend(out.byteLength);
  const inner = sniff(out);
  if (inner === ContentKind.GZIP || inner === ContentKind.ZIP) {
    throw new ReportRejectedError(RejectionReason.ARCHIVE_REJECTED, `the gzip data holds another ${inner} archive; archives inside archives are not read`);
  }
  return out;
}

interface EntryState {
  readonly name: string;
  chunks: Uint8Array[];
  size: number;
  cap: number;
  done: boolean;
  rejection?: { reason: RejectionReason; detail: string };
  terminate?: () => void;
}

function unzip(name: string, data: Uint8Array, budget: DecompressionBudget, limits: ReportLimits): ExtractedDocument[] {
  const entries: EntryState[] = [];
  let tooMany = false;
  const reader = new Unzip();
  reader.register(UnzipInflate);
  reader.register(UnzipPassThrough);
  reader.onfile = (file) => {
    if (entries.length >= limits.maxZipEntries) {
      tooMany = true;
      file.terminate();
      return;
    }
    const entry: EntryState = { name: `${name}!${printable(file.name).slice(0, 200)}`, chunks: [], size: 0, cap: budget.nextCap, done: false };
    entries.push(entry);
    if (file.name.endsWith('/')) {
      entry.done = true;
      return;
    }
    if (file.originalSize !== undefined && file.originalSize > entry.cap) {
      entry.rejection = { reason: RejectionReason.DECOMPRESSED_TOO_LARGE, detail: `the zip entry declares ${file.originalSize} bytes, more than the limit of ${entry.cap}` };
      file.terminate();
      return;
    }
    file.ondata = (err, chunk, final) => {
      if (entry.rejection !== undefined || entry.done) return;
      if (err) {
        entry.rejection = { reason: RejectionReason.DECOMPRESSION_FAILED, detail: `the zip entry cannot be decompressed (${err.message})` };
        return;
      }
      entry.size += chunk.length;
      if (entry.size > entry.cap) {
        // Declared sizes can lie: the real output is counted and the entry stopped at the cap.
        entry.rejection = { reason: RejectionReason.DECOMPRESSED_TOO_LARGE, detail: `the zip entry decompresses to more than ${entry.cap} bytes` };
        entry.chunks = [];
        budget.spend(entry.cap);
        file.terminate();
        return;
      }
      entry.chunks.push(chunk);
      if (final) {
        entry.done = true;
        budget.spend(entry.size);
      }
    };
    try {
      file.start();
    } catch (err) {
      entry.rejection = { reason: RejectionReason.ARCHIVE_REJECTED, detail: `the zip entry uses a compression method that is not supported (${(err as Error).message})` };
    }
  };
  try {
    for (let offset = 0; offset < data.length && !tooMany; offset += ZIP_FEED_CHUNK) {
      const end = Math.min(data.length, offset + ZIP_FEED_CHUNK);
      reader.push(data.subarray(offset, end), end === data.length);
    }
  } catch (err) {
    if (entries.length === 0) {
      throw new ReportRejectedError(RejectionReason.DECOMPRESSION_FAILED, `the zip archive cannot be read (${(err as Error).message})`);
    }
    for (const e of entries) {
      if (!e.done && e.rejection === undefined) {
        e.rejection = { reason: RejectionReason.DECOMPRESSION_FAILED, detail: `the zip archive is damaged (${(err as Error).message})` };
      }
    }
  }
  if (tooMany) {
    return [{ name, rejection: { reason: RejectionReason.ARCHIVE_REJECTED, detail: `the zip archive holds more than ${limits.maxZipEntries} entries` } }];
  }
  if (entries.length === 0) {
    throw new ReportRejectedError(RejectionReason.DECOMPRESSION_FAILED, 'the zip archive holds no entries');
  }
  const documents: ExtractedDocument[] = [];
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    if (e.rejection !== undefined) {
      documents.push({ name: e.name, rejection: e.rejection });
      continue;
    }
    if (!e.done) {
      documents.push({ name: e.name, rejection: { reason: RejectionReason.DECOMPRESSION_FAILED, detail: 'the zip entry ends before its data does (a truncated archive)' } });
      continue;
    }
    const out = Buffer.concat(e.chunks);
    const inner = sniff(out);
    if (inner === ContentKind.GZIP || inner === ContentKind.ZIP) {
      documents.push({ name: e.name, rejection: { reason: RejectionReason.ARCHIVE_REJECTED, detail: `the zip entry is another ${inner} archive; archives inside archives are not read` } });
      continue;
    }
    documents.push({ name: e.name, data: out });
  }
  return documents;
}

/** A thrown error as a rejection; anything other than a `ReportRejectedError` is a parser fault, reported as such. */
export function rejectionOf(err: unknown): { reason: RejectionReason; detail: string } {
  if (err instanceof ReportRejectedError) return { reason: err.reason, detail: err.message };
  if (err instanceof RangeError) {
    // Out of memory-ish conditions (a string too long to build) count as too large.
    return { reason: RejectionReason.DECOMPRESSED_TOO_LARGE, detail: `the data is too large to read (${err.message})` };
  }
  return { reason: RejectionReason.UNSUPPORTED_CONTENT, detail: `the data cannot be read (${String((err as Error)?.message ?? err)})` };
}

function hexStart(data: Uint8Array): string {
  return data.length === 0 ? 'nothing: it is empty' : Array.from(data.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}
