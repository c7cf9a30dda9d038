/**
 * Checks on report URIs, shared by the DMARC and TLS-RPT modules.
 *
 * Both records carry lists of URIs (RFC 3986) whose own separators must be percent-encoded,
 * and both send reports by `mailto:` (RFC 6068); TLS-RPT also by `https:`. Each check returns
 * a short phrase saying what is wrong ("has no scheme"), or `undefined` when nothing is, so
 * the caller can put it in a finding that names the URI.
 *
 * @internal
 */

/** RFC 3986 §2.2–2.3: the characters a URI may hold as they are; anything else is percent-encoded. */
const URI_CHAR = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]$/;
/** RFC 3986 §3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` then `:`. */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/**
 * RFC 5322 §3.2.3 atext, the characters of a dot-atom local part, with the `some-delims` ","
 * ";" ":" that RFC 6068 §2 adds in a mailto: URI (percent-encoded where the record needs them so).
 */
const MAILTO_ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~,;:-]+";
const MAILTO_DOT_ATOM = new RegExp(`^${MAILTO_ATEXT}(?:\\.${MAILTO_ATEXT})*$`);
/** RFC 5322 §3.2.4 quoted-string, without folding white space. */
const QUOTED_STRING = /^"(?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\[\x20-\x7E])*"$/;
/** RFC 1035 §2.3.1 / RFC 1123 §2.1: a letter-digit-hyphen label of 1–63 characters. */
const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * The scheme of a URI, lower-cased (schemes are case-insensitive, RFC 3986 §3.1), or
 * `undefined` when the text does not start with one.
 * @internal
 */
export function uriScheme(uri: string): string | undefined {
  const m = SCHEME.exec(uri);
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * Generic URI syntax: not empty, only characters a URI may hold unencoded, every `%` followed
 * by two hex digits, and a scheme. Separator rules of the record (`,` `!` `;`) are checked
 * separately with {@link firstUnencoded}.
 * @internal
 */
export function uriSyntaxProblem(uri: string): string | undefined {
  if (uri.length === 0) {
    return 'is empty';
  }
  for (let i = 0; i < uri.length; i++) {
    const ch = uri[i];
    if (ch === '%') {
      if (!/^[0-9A-Fa-f]{2}$/.test(uri.slice(i + 1, i + 3))) {
        return `has a "%" at index ${i} that is not followed by two hex digits`;
      }
      i += 2;
      continue;
    }
    if (!URI_CHAR.test(ch)) {
      return `holds ${describeChar(uri, i)} at index ${i}, which a URI cannot hold unencoded`;
    }
  }
  if (uriScheme(uri) === undefined) {
    return 'has no scheme: it must start with one, such as "mailto:"';
  }
  return undefined;
}

/**
 * The first of `chars` that appears in the URI as itself rather than percent-encoded.
 * @internal
 */
export function firstUnencoded(uri: string, chars: string): string | undefined {
  for (const ch of uri) {
    if (chars.includes(ch)) {
      return ch;
    }
  }
  return undefined;
}

/**
 * Check the addresses of a `mailto:` URI (RFC 6068 §2): one or more `local@domain`
 * addresses, with optional `?header=value` fields after them. The URI's generic syntax is
 * assumed to have been checked already.
 * @internal
 */
export function mailtoProblem(uri: string): string | undefined {
  const to = mailtoTo(uri);
  if (to === undefined) {
    return 'is not a mailto: URI';
  }
  if (to.length === 0) {
    return 'names no address';
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(to);
  } catch {
    return 'has a percent-encoding that is not valid UTF-8';
  }
  // The addresses are checked decoded; the URI keeps its percent-encoding as written.
  for (const address of mailtoAddresses(decoded)) {
    const problem = addressProblem(address);
    if (problem !== undefined) {
      return problem;
    }
  }
  return undefined;
}

/**
 * A DMARC report URI as written in `rua` or `ruf`, split at its first `!` into the URI and the
 * RFC 7489 §6.2 size limit (`mailto:d@example.gov.uk!10m`). Inside the URI a `!` is
 * percent-encoded, so the first raw one starts the size.
 * @internal
 */
export function splitReportUriSize(text: string): { uri: string; maxSize?: string } {
  const p = text.trim();
  const bang = p.indexOf('!');
  return bang < 0 ? { uri: p } : { uri: p.slice(0, bang).trim(), maxSize: p.slice(bang + 1).trim() };
}

/**
 * The domain a DMARC report URI delivers to: the domain of a `mailto:` address, without the
 * `!size` suffix RFC 7489 allows, lower case; undefined for any other URI.
 * @internal
 */
export function reportUriDomain(uri: string): string | undefined {
  const bang = uri.indexOf('!');
  return mailtoDomain((bang < 0 ? uri : uri.slice(0, bang)).trim());
}

/**
 * `mailtoDomain` of each URI read so far: an estate's domains name the same report addresses, and
 * each is read for every domain. At most `MAILTO_DOMAINS_KEPT`.
 */
const mailtoDomains = new Map<string, string | undefined>();
const MAILTO_DOMAINS_KEPT = 1000;

/**
 * The domain of the first address of a `mailto:` URI, lower-cased, or `undefined` when the URI
 * is not a `mailto:` URI with a readable address.
 * @internal
 */
export function mailtoDomain(uri: string): string | undefined {
  if (mailtoDomains.has(uri)) {
    return mailtoDomains.get(uri);
  }
  const domain = readMailtoDomain(uri);
  if (mailtoDomains.size >= MAILTO_DOMAINS_KEPT) mailtoDomains.clear();
  mailtoDomains.set(uri, domain);
  return domain;
}

/** `mailtoDomain` itself, not kept. */
function readMailtoDomain(uri: string): string | undefined {
  const to = mailtoTo(uri);
  if (to === undefined || to.length === 0) {
    return undefined;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(to);
  } catch {
    return undefined;
  }
  const first = mailtoAddresses(decoded)[0];
  const at = first.lastIndexOf('@');
  if (at < 0) {
    return undefined;
  }
  const domain = first.slice(at + 1).toLowerCase();
  return isHostname(domain) ? domain : undefined;
}

/**
 * Check an `https:` URL (RFC 9110 §4.2.2): `https://host[:port][/path][?query][#fragment]`,
 * where the host is a domain name or an IP literal and there is no user information.
 * @internal
 */
export function httpsProblem(uri: string): string | undefined {
  const m = /^https:\/\/([^/?#]*)(.*)$/i.exec(uri);
  if (!m) {
    return 'is not of the form https://host/path';
  }
  const authority = m[1];
  if (authority.includes('@')) {
    return 'has user information before the host';
  }
  const hp = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]*)(?::([0-9]*))?$/.exec(authority);
  if (!hp) {
    return `has an authority "${authority}" that is not host[:port]`;
  }
  const host = hp[1];
  const port = hp[2];
  if (port !== undefined && (port.length === 0 || port.length > 5 || Number(port) > 65535)) {
    return `has a port "${port}" that is not a number from 0 to 65535`;
  }
  if (host.startsWith('[')) {
    return undefined;
  }
  if (/^[0-9.]+$/.test(host)) {
    const octets = host.split('.');
    return octets.length === 4 && octets.every((o) => o.length > 0 && o.length <= 3 && Number(o) <= 255)
      ? undefined
      : `has a host "${host}" that is neither a domain name nor an IPv4 address`;
  }
  return isHostname(host) ? undefined : `has a host "${host}" that is not a valid domain name`;
}

/**
 * A fully qualified host name: at least two letter-digit-hyphen labels, no trailing dot, at
 * most 253 characters, and a last label that is not all digits.
 * @internal
 */
export function isHostname(name: string): boolean {
  if (name.length === 0 || name.length > 253) {
    return false;
  }
  const labels = name.split('.');
  return labels.length >= 2
    && labels.every((l) => LDH_LABEL.test(l))
    && !/^[0-9]+$/.test(labels[labels.length - 1]);
}

/**
 * The addresses of a decoded mailto: `to` (RFC 6068 §2: `addr-spec *("," addr-spec)`). A ","
 * separates addresses only after an "@": before it, the "," is part of the local part
 * (`tls,reports@dept.gov.uk`, written `tls%2Creports@dept.gov.uk` in a DMARC or TLS-RPT URI).
 */
function mailtoAddresses(decoded: string): string[] {
  const addresses: string[] = [];
  let current: string | undefined;
  for (const piece of decoded.split(',')) {
    current = current === undefined ? piece : `${current},${piece}`;
    if (current.includes('@')) {
      addresses.push(current);
      current = undefined;
    }
  }
  if (current !== undefined) {
    addresses.push(current);
  }
  return addresses;
}

/** The part of a mailto: URI between the scheme and the header fields, still encoded. */
function mailtoTo(uri: string): string | undefined {
  if (uriScheme(uri) !== 'mailto') {
    return undefined;
  }
  const rest = uri.slice('mailto:'.length);
  const q = rest.indexOf('?');
  return q < 0 ? rest : rest.slice(0, q);
}

/** RFC 5322 §3.4.1 addr-spec, as RFC 6068 §2 allows it: dot-atom (with "," ";" ":") or quoted local part, a domain name. */
function addressProblem(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) {
    return `has an address "${address}" with no "@"`;
  }
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length === 0 || local.length > 64 || !(MAILTO_DOT_ATOM.test(local) || QUOTED_STRING.test(local))) {
    return `has an address "${address}" whose local part "${local}" is not valid`;
  }
  if (!isHostname(domain)) {
    return `has an address "${address}" whose domain "${domain}" is not a valid domain name`;
  }
  return undefined;
}

function describeChar(text: string, index: number): string {
  const cp = text.codePointAt(index)!;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp > 0x20 && cp < 0x7f ? `"${String.fromCodePoint(cp)}"` : hex;
}

/**
 * A character as its percent-encoding (RFC 3986 §2.1), for example `%2C` for `,`.
 * @internal
 */
export function percentEncoded(ch: string): string {
  return [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * A hint for a list entry that looks like the second half of an address split at a raw ","
 * (`mailto:a,b@example.gov.uk` read as `mailto:a` and `b@example.gov.uk`), or `''`.
 * @internal
 */
export function splitCommaHint(previous: string | undefined, uri: string): string {
  return previous !== undefined && uriScheme(previous) === 'mailto' && !previous.includes('@')
    && uriScheme(uri) === undefined && uri.includes('@')
    ? ` (if "${previous},${uri}" is one address, write its "," as %2C)`
    : '';
}
