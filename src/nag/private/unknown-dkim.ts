/**
 * The DKIM keys of a domain that a plan cannot show.
 */
import { DnsRecord, EmailResources, SesIdentity } from '../../assembly/resources';

/** What keeps a domain's DKIM keys from being evaluated in a plan. */
export interface UnknownDkim {
  /** A record under `_domainkey` whose CNAME target or key is not known (an intrinsic). */
  readonly record?: DnsRecord;
  /** An SES identity signing with Easy DKIM whose key length the template does not set. */
  readonly identity?: SesIdentity;
}

/**
 * The DKIM sources of a domain whose keys cannot be evaluated from the plan: CNAME and TXT
 * values that are intrinsics under `<selector>._domainkey.<domain>`, and SES Easy DKIM
 * identities with no explicit `DkimSigningAttributes.NextSigningKeyLength`.
 */
export function unknownDkim(domain: string, resources: EmailResources): UnknownDkim[] {
  const out: UnknownDkim[] = [];
  const suffix = `._domainkey.${domain}`;
  const easy = new Set<string>();
  for (const r of resources.records) {
    if (r.sesIdentity !== undefined) {
      if (r.sesIdentity === domain || r.sesIdentity.endsWith(`@${domain}`)) easy.add(r.sesIdentity);
      continue;
    }
    if (r.nameUnresolved || !r.name.endsWith(suffix)) continue;
    const selector = r.name.slice(0, -suffix.length);
    if (selector === '*' || selector.includes('.')) continue;
    // A CNAME to a known target is delegated to the provider (DKIM-DELEGATED), not unknown.
    if ((r.type === 'CNAME' || r.type === 'TXT') && r.unresolved) out.push({ record: r });
  }
  for (const identity of resources.sesIdentities) {
    if (easy.has(identity.identity) && !/^RSA_\d+_BIT$/.test(identity.nextSigningKeyLength ?? '')) out.push({ identity });
  }
  return out;
}
