/**
 * A domain name as the library compares names: trimmed, lower case, without a trailing dot.
 * DNS names are case-insensitive (RFC 4343) and a trailing dot only marks a name as absolute.
 * @internal
 */
export function normaliseDomainName(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/**
 * Why a name is not a host name in A-label form (RFC 1123 §2.1, RFC 5321 `Domain`: letters,
 * digits and inner hyphens, labels of at most 63 and names of at most 253 characters), or
 * undefined when it is one. A trailing dot is the caller's to remove.
 * @internal
 */
export function hostNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (/[^\x00-\x7f]/.test(name)) return 'it holds non-ASCII characters: use the A-label (xn--) form';
  if (name.length > 253) return `it is ${name.length} characters long; the limit is 253`;
  for (const label of name.split('.')) {
    if (label === '') return 'it has an empty label';
    if (label.length > 63) return `the label "${label}" is over 63 characters`;
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(label)) {
      return `the label "${label}" is not letters, digits and inner hyphens`;
    }
  }
  return undefined;
}
