import { Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { acceptAsWarnings } from './accepted-findings';
import { invalidInput } from './annotations';
import { ZoneWriter } from './zone-writer';
import { Finding, Severity } from '../../records/finding';
import { MTASTS_RULES, MtaSts, MtaStsMode, MtaStsPolicyModel } from '../../records/mta-sts';
import { GOVUK_RULES } from '../../standard/govuk-rules';
import type { IMtaStsPolicyHost } from '../mta-sts-policy-host-interface';

/** RFC 8461 §3.2: the largest `max_age`. */
const MAX_AGE_LIMIT_SECONDS = 31557600;
/**
 * Mail Check's minimum for enforce mode, and the default here, in days (made a Duration when
 * used: a Duration made when this module loads would load CDK's core with it).
 */
const DEFAULT_MAX_AGE_DAYS = 14;

/**
 * An MTA-STS mode, checked; enforce when not given.
 * @internal
 */
export function checkMtaStsMode(scope: IConstruct, mode: MtaStsMode = MtaStsMode.ENFORCE): MtaStsMode {
  if (!Object.values(MtaStsMode).includes(mode)) {
    throw invalidInput(scope, MTASTS_RULES.policyMode.id, mode, 'MtaStsMode.ENFORCE, MtaStsMode.TESTING or MtaStsMode.NONE');
  }
  return mode;
}

/**
 * An MTA-STS `max_age` given as a Duration, checked: whole seconds from 0 to a year, known at
 * synth (the policy id is a hash of the body). Two weeks when not given.
 * @internal
 */
export function checkMtaStsMaxAge(scope: IConstruct, maxAge: Duration = Duration.days(DEFAULT_MAX_AGE_DAYS)): number {
  const allowed = `a whole number of seconds from 0 to ${MAX_AGE_LIMIT_SECONDS} (a year) known at synth; GOV.UK asks for at least 1209600 (2 weeks) in enforce mode`;
  let seconds: number;
  try {
    seconds = maxAge.toSeconds();
  } catch {
    throw invalidInput(scope, MTASTS_RULES.policyMaxAge.id, maxAge.toString(), allowed);
  }
  if (Token.isUnresolved(seconds) || seconds < 0 || seconds > MAX_AGE_LIMIT_SECONDS) {
    throw invalidInput(scope, MTASTS_RULES.policyMaxAge.id, maxAge.toString(), allowed);
  }
  return seconds;
}

/**
 * The profile's GOVUK-MTASTS-MISSING for a construct that receives mail without `mtaSts`: an
 * error that says what to give, or, with `allowMissingMtaSts`, a warning.
 * @internal
 */
export function missingMtaSts(findings: Finding[], allowMissingMtaSts: boolean, later: string): Finding[] {
  const id = GOVUK_RULES.mtaStsMissing.id;
  if (allowMissingMtaSts) {
    return acceptAsWarnings(findings, [id], `allowMissingMtaSts is set; ${later}`);
  }
  return findings.map((f) => f.ruleId === id && f.severity === Severity.ERROR
    ? { ...f, message: `${f.message} Got: no mtaSts. Allowed: mtaSts: { host } (an MtaStsPolicyHost in a us-east-1 stack), or allowMissingMtaSts: true to accept its absence as a warning for now.` }
    : f);
}

/**
 * What `publishMtaStsPolicy` published.
 * @internal
 */
export interface PublishedMtaSts {
  /** The policy body the host serves. */
  readonly policy: string;
  /** The `_mta-sts` TXT record's text. */
  readonly record: string;
  /** The `_mta-sts` TXT record set. */
  readonly recordSet: route53.RecordSet;
  /** The host's TLS minimum for the policy URL, when it says. */
  readonly minimumProtocolVersion?: string;
}

/**
 * Register a domain's policy with its host and publish the `_mta-sts` record (id = hash of the
 * body, construct id `MtaSts` under the writer's owner) only after the host serves the body, as
 * RFC 8461 §8.1 asks.
 *
 * @param writer the writer of the domain's records, in the domain's zone
 * @internal
 */
export function publishMtaStsPolicy(writer: ZoneWriter, options: {
  readonly host: IMtaStsPolicyHost;
  readonly domainName: string;
  /** The `_mta-sts` record's whole name. */
  readonly recordName: string;
  readonly model: MtaStsPolicyModel;
}): PublishedMtaSts {
  const policy = MtaSts.renderPolicy(options.model);
  const policyId = MtaSts.policyId(policy);
  const registration = options.host.addDomain({ domainName: options.domainName, zone: writer.names.zone, policy, policyId });
  const record = MtaSts.renderRecord({ id: policyId });
  const recordSet = writer.recordSet('MtaSts', { name: options.recordName, type: route53.RecordType.TXT, values: [record] });
  recordSet.node.addDependency(registration.policyServedBy);
  return { policy, record, recordSet, minimumProtocolVersion: registration.minimumProtocolVersion };
}
