/** Build report messages for tests: MIME with any attachments, CRLF line ends, base64 by default. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SOURCE = join(__dirname, '..', '..', 'fixtures', 'reports', 'source');
export const CORPUS = join(__dirname, '..', '..', 'fixtures', 'reports', 'corpus');

/** A source report's text. */
export function source(name: string): string {
  return readFileSync(join(SOURCE, name), 'utf8');
}

export interface TestPart {
  readonly contentType: string;
  readonly filename?: string;
  readonly data: Uint8Array | string;
  readonly encoding?: 'base64' | 'quoted-printable' | '7bit';
}

export interface TestMessage {
  readonly parts: TestPart[];
  readonly headers?: string[];
  readonly boundary?: string;
  /** The From address. @default reporter@reporter.example */
  readonly from?: string;
}

/** A multipart/mixed message holding the parts, as a reporter would send it. */
export function mail(message: TestMessage): Buffer {
  const boundary = message.boundary ?? 'b0undary-test';
  const lines = [
    `From: ${message.from ?? 'reporter@reporter.example'}`,
    'To: dmarc@reports.dept.gov.uk',
    'Subject: Report Domain: dept.gov.uk Submitter: reporter.example Report-ID: <1>',
    'Date: Sat, 02 May 2026 01:00:00 +0000',
    'Message-ID: <test@reporter.example>',
    ...(message.headers ?? []),
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
  ];
  for (const part of message.parts) {
    lines.push(`--${boundary}`);
    lines.push(...partLines(part));
  }
  lines.push(`--${boundary}--`, '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

function partLines(part: TestPart): string[] {
  const encoding = part.encoding ?? 'base64';
  const data = typeof part.data === 'string' ? Buffer.from(part.data, 'utf8') : Buffer.from(part.data);
  const body = encoding === 'base64' ? data.toString('base64').replace(/.{1,76}/g, (l) => `${l}\r\n`).trimEnd() : data.toString('latin1');
  return [
    `Content-Type: ${part.contentType}${part.filename ? `; name="${part.filename}"` : ''}`,
    `Content-Transfer-Encoding: ${encoding}`,
    ...(part.filename ? [`Content-Disposition: attachment; filename="${part.filename}"`] : []),
    '',
    body,
  ];
}
