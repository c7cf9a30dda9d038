import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { invalidInput, warnNotEvaluated } from './findings';
import { normaliseDomainName } from '../../records/private/names';
import { isHostname } from '../../records/private/uri';
import { CONSTRUCT_RULES } from '../../standard/platform-rules';


/** RFC 2181 §8: a TTL is an unsigned 32-bit number with the top bit clear. */
const MAX_TTL_SECONDS = 2147483647;
/** The TTL the constructs use unless told otherwise. */
export const DEFAULT_TTL = Duration.hours(1);

/**
 * The domain a record construct publishes at, and whether it is known at synth.
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
 * The name of a record at `<prefix><domain>`, as a record set's `Name`: fully qualified with
 * a trailing dot when the domain is known. When it is a token the dot is left off, since Route 53
 * reads a name without one as fully qualified too, and a token that resolves with its own
 * trailing dot would otherwise give `name..`.
 *
 * @param prefix for example `_dmarc.`, or `''` for the domain itself
 * @internal
 */
export function recordNameAt(prefix: string, domain: ResolvedDomain): string {
  return domain.literal ? `${prefix}${domain.name}.` : `${prefix}${domain.name}`;
}

/**
 * The TTL as a record set's `TTL` string: `ttl` in whole seconds, or 3600 by default.
 * @internal
 */
export function ttlString(scope: IConstruct, ttl: Duration | undefined): string {
  const duration = ttl ?? DEFAULT_TTL;
  let seconds: number;
  try {
    seconds = duration.toSeconds();
  } catch {
    throw invalidInput(scope, CONSTRUCT_RULES.ttl.id, duration.toString(), `a whole number of seconds from 0 to ${MAX_TTL_SECONDS}`,
      CONSTRUCT_RULES.ttl.summary);
  }
  if (!Token.isUnresolved(seconds) && seconds > MAX_TTL_SECONDS) {
    throw invalidInput(scope, CONSTRUCT_RULES.ttl.id, duration.toString(), `a whole number of seconds from 0 to ${MAX_TTL_SECONDS}`,
      CONSTRUCT_RULES.ttl.summary);
  }
  return Tokenization.stringifyNumber(seconds);
}

