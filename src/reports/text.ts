/** Bytes to text for reports: UTF-8 unless a byte order mark says UTF-16. */
export function decodeText(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return new TextDecoder('utf-8').decode(data.subarray(3));
  return new TextDecoder('utf-8').decode(data);
}

/**
 * A free-text value from a report, safe to store and print: control characters removed,
 * surrounding space trimmed, cut to `max` characters.
 */
export function cleanText(value: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, '').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** A domain name from a report: lower case, no trailing dot, at most 253 characters of safe text. */
export function cleanDomain(value: string): string {
  return cleanText(value, 253).toLowerCase().replace(/\.$/, '');
}
