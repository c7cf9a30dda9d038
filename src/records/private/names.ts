/**
 * A domain name as the library compares names: trimmed, lower case, without a trailing dot.
 * DNS names are case-insensitive (RFC 4343) and a trailing dot only marks a name as absolute.
 * @internal
 */
export function normaliseDomainName(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}
