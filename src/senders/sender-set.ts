import { SPF_COSTS, SenderDkimRecord, Sender } from './sender';
import { Finding, finding } from '../records/finding';
import { MxModel } from '../records/mx';
import { Spf, SpfIncludeCost, SpfQualifier } from '../records/spf';
import { GOVUK_RULES } from '../standard/govuk-rules';

/**
 * Options for building the apex SPF record from a set of senders.
 */
export interface ApexSpfOptions {
  /**
   * The qualifier of the closing `all`.
   *
   * GOV.UK accepts `-all` (FAIL) and `~all` (SOFTFAIL); nothing weaker.
   *
   * @default SpfQualifier.FAIL
   */
  readonly allQualifier?: SpfQualifier;
  /**
   * More mechanisms, as written (`ip4:192.0.2.0/24`, `include:_spf.example.com`), placed after
   * the senders' own.
   *
   * @default - none
   */
  readonly extraMechanisms?: string[];
}

/**
 * What a set of senders needs in DNS, taken together: the one apex SPF record, the MX set, the
 * DKIM records and the MTA-STS `mx` patterns.
 */
export class Senders {
  /**
   * The apex SPF record for the senders: their mechanisms and includes (each once, in the order
   * given), then `-all` (or the qualifier chosen).
   */
  public static apexSpf(senders: Sender[], options: ApexSpfOptions = {}): string {
    const terms: string[] = [];
    const add = (t: string) => {
      if (!terms.some((x) => x.toLowerCase() === t.toLowerCase())) terms.push(t);
    };
    for (const s of senders) {
      s.spfMechanisms.forEach(add);
      s.spfIncludes.forEach((inc) => add(`include:${inc.domain}`));
    }
    (options.extraMechanisms ?? []).forEach(add);
    const qualifier = options.allQualifier ?? SpfQualifier.FAIL;
    return ['v=spf1', ...terms, `${qualifier}all`].join(' ');
  }

  /**
   * The lookup costs of every SPF include the catalogue knows (Amazon SES, Microsoft 365,
   * Google Workspace), for counting the budget of a record the catalogue did not build.
   */
  public static knownIncludeCosts(): SpfIncludeCost[] {
    return Object.values(SPF_COSTS).map((c) => ({ ...c }));
  }

  /** The known lookup costs of every include the senders use. */
  public static includeCosts(senders: Sender[]): SpfIncludeCost[] {
    const out: SpfIncludeCost[] = [];
    for (const s of senders) {
      for (const inc of s.spfIncludes) {
        if (!out.some((o) => o.domain.toLowerCase() === inc.domain.toLowerCase())) out.push(inc);
      }
    }
    return out;
  }

  /** The MX records the senders need for `domainName`, without duplicates. */
  public static mxRecords(senders: Sender[], domainName: string): MxModel[] {
    const out: MxModel[] = [];
    for (const mx of senders.flatMap((s) => s.mxRecords(domainName))) {
      if (!out.some((o) => sameHost(o.exchange, mx.exchange))) out.push(mx);
    }
    return out;
  }

  /** The DKIM records the senders need under `domainName`. */
  public static dkimRecords(senders: Sender[], domainName: string): SenderDkimRecord[] {
    return senders.flatMap((s) => s.dkimRecords(domainName));
  }

  /** The MTA-STS `mx` patterns covering the senders' MX hosts, without duplicates. */
  public static mtaStsMx(senders: Sender[], domainName: string): string[] {
    const out: string[] = [];
    for (const p of senders.flatMap((s) => s.mtaStsMx(domainName))) {
      if (!out.some((o) => sameHost(o, p))) out.push(p);
    }
    return out;
  }

  /**
   * Check a set of senders for a domain: each service signs with its own DKIM selector, and the
   * apex SPF record they need stays within the RFC's limits (lookup budget counted with the
   * catalogue's known costs).
   */
  public static validate(senders: Sender[], domainName: string, options: ApexSpfOptions = {}): Finding[] {
    const out: Finding[] = [];
    const owners = new Map<string, string>();
    for (const s of senders) {
      for (const d of s.dkimRecords(domainName)) {
        const key = d.selector.toLowerCase();
        const owner = owners.get(key);
        if (owner !== undefined && owner !== s.name) {
          const name = `${d.selector}._domainkey.${domainName}`;
          out.push(finding(GOVUK_RULES.dkimSelectorPerService, `${s.name} and ${owner} both use DKIM selector "${d.selector}" (${name}); give each service its own selector.`, name));
        }
        owners.set(key, s.name);
      }
    }
    const qualifier = options.allQualifier ?? SpfQualifier.FAIL;
    if (qualifier === SpfQualifier.PASS || qualifier === SpfQualifier.NEUTRAL) {
      out.push(finding(GOVUK_RULES.spfAll, `${domainName}'s SPF would end with "${qualifier}all"; GOV.UK allows only "-all" or "~all".`, domainName));
    }
    const spf = Senders.apexSpf(senders, options);
    out.push(...Spf.check(spf, { name: domainName, includeCosts: Senders.includeCosts(senders) }));
    return out;
  }

  private constructor() {}
}

function sameHost(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}
