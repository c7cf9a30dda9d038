import { Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { invalidInput, warnNotEvaluated } from './annotations';
import { normaliseDomainName } from '../../records/private/names';
import { isHostname } from '../../records/private/uri';
import { CONSTRUCT_RULES } from '../../standard/platform-rules';

/**
 * The names of the records constructs publish in a hosted zone: the one place that works out
 * the domain a construct publishes at, and how a record's name is given to aws-cdk-lib and
 * written in the template. `ZoneWriter` writes every record set with the names made here.
 *
 * A record's name is given whole (`_dmarc.notify.dept.gov.uk`, as a `PlannedRecord` names it)
 * and written as follows. The domain may be the zone's apex or a name under it, and the zone's
 * name may be a token or not known at all (a zone imported by id):
 *
 * | Name | Zone name | Given to aws-cdk-lib | Template `Name` |
 * |---|---|---|---|
 * | known, under the zone | known | relative to the zone (`_dmarc.notify`) | `_dmarc.notify.dept.gov.uk.` |
 * | known, the zone's apex or not under it | any | fully qualified with a trailing dot | `dept.gov.uk.` |
 * | known | token or unknown | fully qualified with a trailing dot | `_dmarc.notify.dept.gov.uk.` |
 * | under a domain that is a token | any | `_dmarc.<token>`, also set on the record set as it is | `_dmarc.<token>` |
 * | any other holding a token | any | `<name>.` | `<name>.` |
 *
 * A name under a token domain (a `domainName` parameter, an imported zone's name) gets no
 * trailing dot: Route 53 reads a name without one as fully qualified too, and a token that
 * resolves with its own dot would otherwise give `name..`. Any other name holding a token is
 * one given whole by the construct (an SES identity's DKIM token names, a MAIL FROM subdomain
 * that is a parameter): it is written fully qualified with a trailing dot, which aws-cdk-lib
 * leaves as it is.
 *
 * @internal
 */
export class RecordNames {
  /**
   * The names of a construct's records at its domain: `domainName`, else the zone's name. The
   * domain must be a domain name in the zone: throws `DNS-NAME-SYNTAX` or
   * `ROUTE53-NAME-OUTSIDE-ZONE` for bad input; a token domain raises the GOVUK-NOT-EVALUATED
   * warning on `scope`.
   */
  public static forDomain(scope: IConstruct, zone: route53.IHostedZone, domainName: string | undefined): RecordNames {
    return new RecordNames(zone, resolveDomain(scope, zone, domainName));
  }

  /**
   * The names of records given whole in a zone, by a construct that checks its own names (an SES
   * identity, a report inbox, a DMARC report authorisation in the destination's zone).
   */
  public static forZone(zone: route53.IHostedZone): RecordNames {
    return new RecordNames(zone, undefined);
  }

  /** The zone's name, lower case without a trailing dot, when it is known at synth. */
  public readonly zoneName: string | undefined;

  private constructor(
    /** The hosted zone. */
    public readonly zone: route53.IHostedZone,
    private readonly resolved: ResolvedDomain | undefined) {
    this.zoneName = literalZoneName(zone);
  }

  /** The domain the records are at (`forDomain`). */
  public get domain(): ResolvedDomain {
    if (this.resolved === undefined) {
      throw new Error('RecordNames.forZone has no domain: give each record its name whole');
    }
    return this.resolved;
  }

  /** The domain, lower case without a trailing dot, or undefined when it is a token. */
  public get literalDomain(): string | undefined {
    return this.domain.literal ? this.domain.name : undefined;
  }

  /** The domain as findings and messages name it. */
  public get display(): string {
    return this.domain.literal ? this.domain.name : '(the domain, known only at deployment)';
  }

  /**
   * `<prefix><domain>`: the whole name of a record at the domain, as a `ZoneWriter` takes it
   * (lower case without a trailing dot when the domain is known).
   *
   * @param prefix for example `_dmarc.`, or `''` for the domain itself
   */
  public at(prefix: string = ''): string {
    return this.domain.literal ? `${prefix.toLowerCase()}${this.domain.name}` : `${prefix}${this.domain.name}`;
  }

  /**
   * Where a record with this whole name goes (see the table above).
   *
   * @param name the whole name, without a trailing dot (one is ignored when the name is known)
   */
  public place(name: string): RecordPlace {
    if (!Token.isUnresolved(name)) {
      const given = name.trim().replace(/\.$/, '');
      const key = normaliseDomainName(given);
      return { zone: this.zone, recordName: relativeName(this.zoneName, given) ?? `${given}.`, templateName: `${given}.`, key, display: key };
    }
    const domain = this.resolved;
    if (domain !== undefined && !domain.literal && (name === domain.name || name.endsWith(`.${domain.name}`))) {
      // aws-cdk-lib reads a name that does not end in a dot as relative to the zone: the record
      // set is given the name as it is afterwards.
      const prefix = name.slice(0, name.length - domain.name.length);
      return { zone: this.zone, recordName: name, templateName: name, setOnRecordSet: true, key: name, display: `${prefix}<domain>` };
    }
    return { zone: this.zone, recordName: `${name}.`, templateName: `${name}.`, key: name, display: '(a name known only at deployment)' };
  }
}

/**
 * Where one record set goes, and how its name is written.
 * @internal
 */
export interface RecordPlace {
  /** The hosted zone. */
  readonly zone: route53.IHostedZone;
  /** The name as `route53.RecordSet` takes it. */
  readonly recordName: string;
  /** The name as the template holds it: what a `CfnRecordSetGroup` entry is given. */
  readonly templateName: string;
  /** Set `templateName` on the record set's L1 afterwards, because aws-cdk-lib would append the zone's name. */
  readonly setOnRecordSet?: boolean;
  /** The name as conflicting claims are compared: lower case when known, the token as it is otherwise. */
  readonly key: string;
  /** The name as messages show it. */
  readonly display: string;
}

/**
 * The domain a construct publishes at, and whether it is known at synth.
 * @internal
 */
export interface ResolvedDomain {
  /** Lower case without a trailing dot when literal; the token as given otherwise. */
  readonly name: string;
  /** False when the name is an unresolved token (for example an imported zone's name). */
  readonly literal: boolean;
}

/**
 * The zone's name, or undefined when the zone was imported without one
 * (`HostedZone.fromHostedZoneId`, whose `zoneName` throws).
 * @internal
 */
export function zoneNameOf(zone: route53.IHostedZone): string | undefined {
  try {
    return zone.zoneName;
  } catch {
    return undefined;
  }
}

/**
 * A zone's name, lower case without a trailing dot, or undefined when it is a token or the zone
 * was imported without one.
 * @internal
 */
export function literalZoneName(zone: route53.IHostedZone): string | undefined {
  const name = zoneNameOf(zone);
  return name === undefined || Token.isUnresolved(name) ? undefined : normaliseDomainName(name);
}

/**
 * Work out the domain a construct publishes at: `domainName` when given, else the zone's name.
 * A literal name must be a domain name, and the zone's name or a name under it when the zone's
 * name is known too. Throws for bad input; warns (GOVUK-NOT-EVALUATED) when the name is a token.
 * @internal
 */
export function resolveDomain(scope: IConstruct, zone: route53.IHostedZone, domainName: string | undefined): ResolvedDomain {
  const zoneName = zoneNameOf(zone);
  const given = domainName ?? zoneName;
  if (given === undefined) {
    throw invalidInput(scope, CONSTRUCT_RULES.outsideZone.id, domainName,
      'a domainName, because the zone was imported without its name (HostedZone.fromHostedZoneId)',
      CONSTRUCT_RULES.outsideZone.summary);
  }
  if (Token.isUnresolved(given)) {
    warnNotEvaluated(scope, `The domain name of ${scope.node.path}`);
    return { name: given, literal: false };
  }
  const name = normaliseDomainName(given);
  checkDomainName(scope, given, domainName === undefined ? 'the zone name' : 'domainName');
  if (zoneName !== undefined && !Token.isUnresolved(zoneName)) {
    const apex = normaliseDomainName(zoneName);
    if (name !== apex && !name.endsWith(`.${apex}`)) {
      throw invalidInput(scope, CONSTRUCT_RULES.outsideZone.id, given,
        `"${apex}" or a name ending in ".${apex}"`, CONSTRUCT_RULES.outsideZone.summary);
    }
  }
  return { name, literal: true };
}

/**
 * Throw `DNS-NAME-SYNTAX` unless a literal name is a domain name (a trailing dot and upper case
 * are accepted). Tokens are not checked.
 * @internal
 */
export function checkDomainName(scope: IConstruct, value: string, what: string): void {
  if (Token.isUnresolved(value)) return;
  if (!isHostname(normaliseDomainName(value))) {
    throw invalidInput(scope, CONSTRUCT_RULES.dnsName.id, value,
      `${what} as a domain name such as "dept.gov.uk" (letters, digits and inner hyphens; labels of at most 63 octets; at most 253 in all)`,
      CONSTRUCT_RULES.dnsName.summary);
  }
}

/**
 * Whether a fully qualified name is a zone's apex or under it.
 * @internal
 */
export function isInZone(zoneName: string, fqdn: string): boolean {
  const name = normaliseDomainName(fqdn);
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

/**
 * A name under a zone, relative to it as aws-cdk-lib's `recordName` takes it: the labels before
 * the zone's name, as given. Undefined when the zone's name is not known, or the name is the
 * zone's apex or not under it: those are given fully qualified.
 */
function relativeName(zoneName: string | undefined, given: string): string | undefined {
  if (zoneName === undefined) return undefined;
  const suffix = `.${zoneName}`;
  if (!normaliseDomainName(given).endsWith(suffix)) return undefined;
  const relative = given.slice(0, given.length - suffix.length);
  // aws-cdk-lib reads a relative name that itself ends in the zone's name as fully qualified
  // (`dept.gov.uk.dept.gov.uk` in `dept.gov.uk`): give such a name fully qualified instead.
  const lower = relative.toLowerCase();
  return lower === zoneName || lower.endsWith(suffix) ? undefined : relative;
}
