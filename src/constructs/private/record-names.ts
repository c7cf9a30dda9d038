import { Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { ResolvedDomain, resolveDomain, zoneNameOf } from './zone-names';
import { normaliseDomainName } from '../../records/private/names';

/**
 * The names of the records one construct publishes for one domain in one hosted zone.
 *
 * The domain may be the zone's apex or a name under it (`notify.dept.gov.uk` in the zone
 * `dept.gov.uk`), and the zone's name may be a token or not known at all (an imported zone):
 *
 * | Zone name | Domain | Name given to aws-cdk-lib | Template `Name` |
 * |---|---|---|---|
 * | known | known | relative to the zone (`_dmarc.notify`) | `_dmarc.notify.dept.gov.uk.` |
 * | token or unknown | known | fully qualified with a trailing dot | `_dmarc.notify.dept.gov.uk.` |
 * | any | token | `_dmarc.<token>`, set on the record set as it is | `_dmarc.<token>` (Route 53 reads it as fully qualified) |
 *
 * A token domain gets no trailing dot, as `zone-names` does for the other constructs: a token
 * that resolves with its own dot would otherwise give `name..`.
 *
 * @internal
 */
export class RecordNames {
  /**
   * Work out the domain of a construct (`domainName`, else the zone's name) and check it: it
   * must be a domain name in the zone. Throws `DNS-NAME-SYNTAX` or `ROUTE53-NAME-OUTSIDE-ZONE`
   * for bad input; a token domain raises the GOVUK-NOT-EVALUATED warning on `scope`.
   */
  public static forDomain(scope: IConstruct, zone: route53.IHostedZone, domainName: string | undefined): RecordNames {
    return new RecordNames(zone, resolveDomain(scope, zone, domainName));
  }

  /** The zone's name, lower case without a trailing dot, when it is known at synth. */
  public readonly zoneName: string | undefined;

  private constructor(public readonly zone: route53.IHostedZone, public readonly domain: ResolvedDomain) {
    this.zoneName = literalZoneName(zone);
  }

  /** The domain, lower case without a trailing dot, or undefined when it is a token. */
  public get literalDomain(): string | undefined {
    return this.domain.literal ? this.domain.name : undefined;
  }

  /** The domain as findings and messages name it. */
  public get display(): string {
    return this.domain.literal ? this.domain.name : '(the domain, known only at deployment)';
  }

  /** `<prefix><domain>`, lower case without a trailing dot, or undefined when the domain is a token. */
  public fqdn(prefix: string = ''): string | undefined {
    return this.domain.literal ? `${prefix.toLowerCase()}${this.domain.name}` : undefined;
  }

  /** The record set's `Name` in the template. */
  public cfnName(prefix: string = ''): string {
    const fqdn = this.fqdn(prefix);
    return fqdn === undefined ? `${prefix}${this.domain.name}` : `${fqdn}.`;
  }

  /**
   * The name to give `route53.RecordSet` as `recordName`: relative to the zone when both names
   * are known, as aws-cdk-lib takes it; otherwise the template name.
   */
  public recordName(prefix: string = ''): string {
    const fqdn = this.fqdn(prefix);
    if (fqdn === undefined) {
      return this.cfnName(prefix);
    }
    return relativeName(this.zoneName, fqdn) ?? `${fqdn}.`;
  }

  /** Whether `recordName` must be set on the L1 afterwards because aws-cdk-lib would append the zone name. */
  public needsNameOverride(): boolean {
    return !this.domain.literal;
  }

  /** The name as the record registry compares names. */
  public key(prefix: string = ''): string {
    return (this.fqdn(prefix) ?? this.cfnName(prefix)).toLowerCase();
  }

  /** Where a record at `<prefix><domain>` goes: everything `publishRecordSet` needs to name it. */
  public location(prefix: string = ''): RecordLocation {
    return {
      zone: this.zone,
      recordName: this.recordName(prefix),
      cfnName: this.needsNameOverride() ? this.cfnName(prefix) : undefined,
      key: this.key(prefix),
      display: this.fqdn(prefix) ?? `${prefix}<domain>`,
    };
  }
}

/**
 * Where one record set goes.
 * @internal
 */
export interface RecordLocation {
  /** The hosted zone. */
  readonly zone: route53.IHostedZone;
  /** The name as `route53.RecordSet` takes it. */
  readonly recordName: string;
  /** The name to set on the L1 afterwards, when aws-cdk-lib would get it wrong. */
  readonly cfnName?: string;
  /** The name as the record registry compares names (lower case). */
  readonly key: string;
  /** The name as messages show it. */
  readonly display: string;
}

/**
 * Where a record with a known fully qualified name goes in a zone whose name is known: for
 * example a DMARC report authorisation record in the report destination's zone.
 * @internal
 */
export function locationInZone(zone: route53.IHostedZone, zoneName: string, fqdn: string): RecordLocation {
  const name = normaliseDomainName(fqdn);
  return {
    zone,
    recordName: relativeName(zoneName, name) ?? `${name}.`,
    key: name,
    display: name,
  };
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
 * A fully qualified name relative to a zone, as aws-cdk-lib's `recordName` takes it: the labels
 * before the zone's name, or the zone's name itself for its apex. Undefined when the zone's name
 * is not known or the name is not in the zone.
 * @internal
 */
export function relativeName(zoneName: string | undefined, fqdn: string): string | undefined {
  if (zoneName === undefined) return undefined;
  const name = normaliseDomainName(fqdn);
  if (name === zoneName) return zoneName;
  const suffix = `.${zoneName}`;
  if (!name.endsWith(suffix)) return undefined;
  const relative = name.slice(0, name.length - suffix.length);
  // aws-cdk-lib reads a relative name that itself ends in the zone's name as fully qualified
  // (`dept.gov.uk.dept.gov.uk` in `dept.gov.uk`): give such a name fully qualified instead.
  return relative === zoneName || relative.endsWith(suffix) ? undefined : relative;
}

/**
 * Whether a fully qualified name is a zone's apex or under it.
 * @internal
 */
export function isInZone(zoneName: string, fqdn: string): boolean {
  const name = normaliseDomainName(fqdn);
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

