/**
 * An approximation of the DMARC organisational domain that needs no DNS.
 *
 * RFC 9989 §4.10 finds the organisational domain by a DNS tree walk (RFC 7489 §3.2 used the
 * Public Suffix List). A record generator has no DNS to walk, so this module uses a small
 * built-in list of public suffixes instead: the UK second-level registries below, and every
 * single-label top-level domain. A name's organisational domain is its public suffix plus one
 * label: `dept.gov.uk` and `a.dept.gov.uk` share `dept.gov.uk`; `other.gov.uk` is another.
 *
 * @internal
 */
import { normaliseDomainName } from './names';

/** UK registries under which each name is registered by a different organisation. */
const PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  'gov.uk', 'org.uk', 'co.uk', 'ac.uk', 'nhs.uk', 'police.uk', 'mod.uk',
  'ltd.uk', 'plc.uk', 'net.uk', 'me.uk', 'sch.uk',
]);

/**
 * Registries whose every child is itself a public suffix: schools register
 * `<school>.<authority>.sch.uk`, so `kent.sch.uk` is a suffix and not an organisation
 * (the Public Suffix List writes this `*.sch.uk`).
 */
const WILDCARD_SUFFIXES: ReadonlySet<string> = new Set(['sch.uk']);


/**
 * The organisational domain of a name, by the built-in public suffix list.
 * A name that is itself a public suffix is its own organisational domain.
 * @internal
 */
export function organisationalDomainOf(name: string): string {
  const n = normaliseDomainName(name);
  if (n.length === 0) {
    return n;
  }
  const labels = n.split('.');
  let suffixLabels = 1;
  if (labels.length >= 2) {
    const two = labels.slice(-2).join('.');
    if (WILDCARD_SUFFIXES.has(two)) {
      suffixLabels = 3;
    } else if (PUBLIC_SUFFIXES.has(two)) {
      suffixLabels = 2;
    }
  }
  if (labels.length <= suffixLabels) {
    return n;
  }
  return labels.slice(-(suffixLabels + 1)).join('.');
}
