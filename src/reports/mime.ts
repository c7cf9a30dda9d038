/**
 * A small, bounded MIME reader (RFC 2045, 2046, 2047, 2183, 2231) for report mail: it finds the
 * leaf parts of a message and decodes their transfer encoding on demand. It reads no more than
 * the limits allow (header section size, number of parts, nesting depth, decoded size), holds the
 * message as one latin1 string (one byte per character) and slices it, so a hostile message
 * costs a bounded amount of memory and time.
 */
import { ReportLimits } from './limits';
import { RejectionReason, ReportRejectedError } from './model';

/** A leaf part of a message: not multipart, not a message/rfc822 (those are read through). */
export interface MimeLeaf {
  /** Where the part is: `1`, `2.1` (the first part of the second part)… or `body` for a single-part message. */
  readonly path: string;
  /** The media type, lower case, for example `application/gzip` (`text/plain` when none is given). */
  readonly contentType: string;
  /** The file name from Content-Disposition or the Content-Type `name`, when one is given. */
  readonly filename?: string;
  /** `attachment`, `inline` or undefined. */
  readonly disposition?: string;
  /** The transfer encoding, lower case (`7bit` when none is given). */
  readonly transferEncoding: string;
  /** The size of the part's body as it is in the message, before decoding. */
  readonly encodedSize: number;
  /** Decode the body; throws ATTACHMENT_TOO_LARGE when the decoded body would be over the limit. */
  decode(): Uint8Array;
}

/** The headers of a message or part: lower-case names, unfolded values, in order. */
export type MimeHeaders = Array<[string, string]>;

/** A message's top-level headers and its leaf parts. */
export interface MimeMessage {
  readonly headers: MimeHeaders;
  readonly leaves: MimeLeaf[];
}

interface Context {
  readonly text: string;
  readonly limits: ReportLimits;
  parts: number;
  readonly leaves: MimeLeaf[];
}

/**
 * Read a message. Throws `ReportRejectedError` (MALFORMED_MIME, TOO_MANY_PARTS) for a message
 * that cannot be read within the limits.
 */
export function parseMimeMessage(raw: Uint8Array, limits: ReportLimits): MimeMessage {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const ctx: Context = { text, limits, parts: 0, leaves: [] };
  const { headers, bodyStart } = readHeaderSection(ctx, 0, text.length, true);
  if (headers.length === 0) {
    throw new ReportRejectedError(RejectionReason.MALFORMED_MIME, 'the message has no header section');
  }
  readEntity(ctx, headers, bodyStart, text.length, '', 0);
  return { headers, leaves: ctx.leaves };
}

/** The value of the first header with this (lower-case) name. */
export function headerValue(headers: MimeHeaders, name: string): string | undefined {
  return headers.find(([n]) => n === name)?.[1];
}

function readEntity(ctx: Context, headers: MimeHeaders, start: number, end: number, path: string, depth: number): void {
  ctx.parts++;
  if (ctx.parts > ctx.limits.maxParts) {
    throw new ReportRejectedError(RejectionReason.TOO_MANY_PARTS, `the message has more than ${ctx.limits.maxParts} MIME parts`);
  }
  const contentType = parseParameterised(headerValue(headers, 'content-type') ?? 'text/plain');
  const type = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(contentType.value) ? contentType.value : 'text/plain';
  const encoding = (headerValue(headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();

  if (type.startsWith('multipart/')) {
    if (depth >= ctx.limits.maxMimeDepth) {
      throw new ReportRejectedError(RejectionReason.TOO_MANY_PARTS, `MIME parts are nested deeper than ${ctx.limits.maxMimeDepth} levels`);
    }
    const boundary = contentType.params.boundary;
    if (boundary === undefined || boundary.length === 0 || boundary.length > 200) {
      throw new ReportRejectedError(RejectionReason.MALFORMED_MIME, `a ${type} part has no usable boundary parameter`);
    }
    const bodies = splitMultipart(ctx, boundary, start, end);
    bodies.forEach(([s, e], i) => {
      const childPath = path === '' ? String(i + 1) : `${path}.${i + 1}`;
      const { headers: childHeaders, bodyStart } = readHeaderSection(ctx, s, e, false);
      readEntity(ctx, childHeaders, bodyStart, e, childPath, depth + 1);
    });
    return;
  }

  if (type === 'message/rfc822' || type === 'message/global') {
    if (depth >= ctx.limits.maxMimeDepth) {
      throw new ReportRejectedError(RejectionReason.TOO_MANY_PARTS, `MIME parts are nested deeper than ${ctx.limits.maxMimeDepth} levels`);
    }
    // A forwarded message: read its parts as if they were this message's. RFC 2046 §5.2.1 allows
    // only 7bit, 8bit or binary here; anything else is decoded first.
    let inner = ctx;
    let innerStart = start;
    let innerEnd = end;
    if (encoding === 'base64' || encoding === 'quoted-printable') {
      const decoded = decodeBody(ctx.text, start, end, encoding, ctx.limits);
      inner = { ...ctx, text: Buffer.from(decoded).toString('latin1'), leaves: ctx.leaves };
      innerStart = 0;
      innerEnd = inner.text.length;
    }
    const { headers: innerHeaders, bodyStart } = readHeaderSection(inner, innerStart, innerEnd, false);
    const before = inner.parts;
    readEntity(inner, innerHeaders, bodyStart, innerEnd, path === '' ? '1' : `${path}.1`, depth + 1);
    if (inner !== ctx) ctx.parts += inner.parts - before;
    return;
  }

  const disposition = parseParameterised(headerValue(headers, 'content-disposition') ?? '');
  const filename = disposition.params.filename ?? contentType.params.name;
  const text = ctx.text;
  const limits = ctx.limits;
  ctx.leaves.push({
    path: path === '' ? 'body' : path,
    contentType: type,
    filename: filename === undefined ? undefined : cleanFilename(filename),
    disposition: disposition.value === '' ? undefined : disposition.value,
    transferEncoding: encoding,
    encodedSize: end - start,
    decode: () => decodeBody(text, start, end, encoding, limits),
  });
}

/**
 * The header section starting at `start`: the lines up to the first empty line. A part may
 * have none (its body starts with an empty line). Throws when the section is over the limit.
 */
function readHeaderSection(ctx: Context, start: number, end: number, topLevel: boolean): { headers: MimeHeaders; bodyStart: number } {
  const { text, limits } = ctx;
  if (text.startsWith('\r\n', start)) return { headers: [], bodyStart: start + 2 };
  if (text.startsWith('\n', start)) return { headers: [], bodyStart: start + 1 };
  const windowEnd = Math.min(end, start + limits.maxHeaderBytes + 4);
  const crlf = text.indexOf('\r\n\r\n', start);
  const lf = text.indexOf('\n\n', start);
  const candidates = [crlf >= 0 && crlf < windowEnd ? [crlf, 4] : undefined, lf >= 0 && lf < windowEnd ? [lf, 2] : undefined]
    .filter((c): c is number[] => c !== undefined)
    .sort((a, b) => a[0] - b[0]);
  let headerEnd: number;
  let bodyStart: number;
  if (candidates.length > 0) {
    headerEnd = candidates[0][0];
    bodyStart = headerEnd + candidates[0][1];
  } else if (end - start <= limits.maxHeaderBytes) {
    headerEnd = end;
    bodyStart = end;
  } else {
    throw new ReportRejectedError(RejectionReason.MALFORMED_MIME,
      `${topLevel ? 'the message' : 'a MIME part'} has no end to its header section within ${limits.maxHeaderBytes} bytes`);
  }
  return { headers: parseHeaderLines(text.slice(start, headerEnd)), bodyStart };
}

function parseHeaderLines(section: string): MimeHeaders {
  const headers: MimeHeaders = [];
  for (const line of section.split(/\r?\n/)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) {
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** The bodies of a multipart entity between `start` and `end`, as [start, end) ranges. */
function splitMultipart(ctx: Context, boundary: string, start: number, end: number): Array<[number, number]> {
  const { text, limits } = ctx;
  const delimiter = `--${boundary}`;
  const bodies: Array<[number, number]> = [];
  let openBody: number | undefined;
  let pos = start;
  while (pos < end) {
    const at = text.indexOf(delimiter, pos);
    if (at < 0 || at + delimiter.length > end) break;
    pos = at + delimiter.length;
    if (at !== start && text[at - 1] !== '\n') continue;
    const closing = text.startsWith('--', pos);
    // The rest of the delimiter line: optional white space (RFC 2046 §5.1.1 transport padding).
    let lineEnd = pos + (closing ? 2 : 0);
    while (lineEnd < end && (text[lineEnd] === ' ' || text[lineEnd] === '\t')) lineEnd++;
    if (lineEnd < end && text[lineEnd] !== '\r' && text[lineEnd] !== '\n') continue;
    if (openBody !== undefined) {
      // The line break before the delimiter belongs to the delimiter.
      let bodyEnd = at;
      if (text[bodyEnd - 1] === '\n') bodyEnd--;
      if (text[bodyEnd - 1] === '\r') bodyEnd--;
      bodies.push([openBody, Math.max(openBody, bodyEnd)]);
      if (bodies.length + ctx.parts > limits.maxParts) {
        throw new ReportRejectedError(RejectionReason.TOO_MANY_PARTS, `the message has more than ${limits.maxParts} MIME parts`);
      }
    }
    if (closing) {
      openBody = undefined;
      break;
    }
    if (text[lineEnd] === '\r') lineEnd++;
    if (text[lineEnd] === '\n') lineEnd++;
    openBody = lineEnd;
    pos = lineEnd;
  }
  if (openBody !== undefined && openBody < end) {
    // No closing delimiter: the last part runs to the end (lenient, as mail readers are).
    bodies.push([openBody, end]);
  }
  if (bodies.length === 0) {
    throw new ReportRejectedError(RejectionReason.MALFORMED_MIME, `a multipart entity has no part delimited by its boundary "${printable(boundary)}"`);
  }
  return bodies;
}

function decodeBody(text: string, start: number, end: number, encoding: string, limits: ReportLimits): Uint8Array {
  const size = end - start;
  const estimate = encoding === 'base64' ? Math.floor(size * 3 / 4) : size;
  if (estimate > limits.maxAttachmentBytes * (encoding === 'base64' ? 1.05 : 1)) {
    throw new ReportRejectedError(RejectionReason.ATTACHMENT_TOO_LARGE,
      `the attachment is about ${estimate} bytes, more than the limit of ${limits.maxAttachmentBytes}`);
  }
  const body = text.slice(start, end);
  let bytes: Uint8Array;
  if (encoding === 'base64') {
    bytes = Buffer.from(body, 'base64');
  } else if (encoding === 'quoted-printable') {
    bytes = decodeQuotedPrintable(body);
  } else {
    bytes = Buffer.from(body, 'latin1');
  }
  if (bytes.byteLength > limits.maxAttachmentBytes) {
    throw new ReportRejectedError(RejectionReason.ATTACHMENT_TOO_LARGE,
      `the attachment is ${bytes.byteLength} bytes, more than the limit of ${limits.maxAttachmentBytes}`);
  }
  return bytes;
}

/** RFC 2045 §6.7: `=XX` octets and `=` soft line breaks; anything else as it is. */
export function decodeQuotedPrintable(body: string): Uint8Array {
  const out = Buffer.alloc(body.length);
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x3d /* = */) {
      if (body[i + 1] === '\r' && body[i + 2] === '\n') { i += 2; continue; }
      if (body[i + 1] === '\n') { i += 1; continue; }
      const hex = body.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out[n++] = parseInt(hex, 16);
        i += 2;
        continue;
      }
    }
    // A latin1 string holds one byte per character; Buffer keeps the low eight bits of anything else.
    out[n++] = c % 256;
  }
  return out.subarray(0, n);
}

/** A header value with parameters (Content-Type, Content-Disposition), RFC 2045 §5.1 with RFC 2231 extensions. */
export interface Parameterised {
  /** The value before the first `;`, lower case. */
  readonly value: string;
  /** Parameters by lower-case name, decoded (RFC 2231 continuations and charsets, RFC 2047 words). */
  readonly params: Record<string, string>;
}

export function parseParameterised(header: string): Parameterised {
  const semi = header.indexOf(';');
  const value = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  const raw = new Map<string, string>();
  let i = semi < 0 ? header.length : semi + 1;
  while (i < header.length && raw.size < 50) {
    while (i < header.length && /[\s;]/.test(header[i])) i++;
    const eq = header.indexOf('=', i);
    if (eq < 0) break;
    const name = header.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (i < header.length && /\s/.test(header[i])) i++;
    let v = '';
    if (header[i] === '"') {
      i++;
      while (i < header.length && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < header.length) i++;
        v += header[i++];
      }
      i++;
    } else {
      const next = header.indexOf(';', i);
      v = (next < 0 ? header.slice(i) : header.slice(i, next)).trim();
      i = next < 0 ? header.length : next;
    }
    if (name.length > 0 && !raw.has(name)) raw.set(name, v);
  }
  const params: Record<string, string> = Object.create(null);
  // RFC 2231 §3–4: name*0, name*1… joined in order; a trailing * marks charset'lang'percent-encoding.
  const continued = new Map<string, Array<{ index: number; value: string; extended: boolean }>>();
  for (const [name, v] of raw) {
    const m = /^([^*]+)\*(\d+)?(\*)?$/.exec(name);
    if (m === null) {
      params[name] = decodeEncodedWords(v);
      continue;
    }
    const list = continued.get(m[1]) ?? [];
    list.push({ index: m[2] === undefined ? 0 : Number(m[2]), value: v, extended: m[3] !== undefined || (m[2] === undefined) });
    continued.set(m[1], list);
  }
  for (const [name, segments] of continued) {
    segments.sort((a, b) => a.index - b.index);
    let charset = 'us-ascii';
    const bytes: number[] = [];
    segments.forEach((s, n) => {
      let v = s.value;
      if (s.extended && n === 0) {
        const parts = v.split("'");
        if (parts.length >= 3) {
          charset = parts[0].toLowerCase();
          v = parts.slice(2).join("'");
        }
      }
      if (s.extended) {
        for (let k = 0; k < v.length; k++) {
          if (v[k] === '%' && /^[0-9A-Fa-f]{2}$/.test(v.slice(k + 1, k + 3))) {
            bytes.push(parseInt(v.slice(k + 1, k + 3), 16));
            k += 2;
          } else {
            bytes.push(v.charCodeAt(k) % 256);
          }
        }
      } else {
        for (let k = 0; k < v.length; k++) bytes.push(v.charCodeAt(k) % 256);
      }
    });
    params[name] = decodeCharset(Uint8Array.from(bytes), charset);
  }
  return { value, params };
}

/** RFC 2047 encoded words (`=?utf-8?B?...?=`, `=?iso-8859-1?Q?...?=`) in a parameter or header. */
export function decodeEncodedWords(text: string): string {
  return text.replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (_whole, charset: string, enc: string, data: string) => {
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : decodeQuotedPrintable(data.replace(/_/g, ' '));
    return decodeCharset(bytes, charset.toLowerCase());
  });
}

function decodeCharset(bytes: Uint8Array, charset: string): string {
  const cs = charset.split('*')[0];
  if (cs === 'utf-8' || cs === 'utf8') return Buffer.from(bytes).toString('utf8');
  return Buffer.from(bytes).toString('latin1');
}

/** A file name as shown in reasons and logs: no path, no control characters, at most 200 characters. */
function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return printable(base).slice(0, 200);
}

function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}
