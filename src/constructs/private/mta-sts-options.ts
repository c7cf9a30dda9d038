import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidInput } from './findings';
import { acceptAsWarnings } from './record-registry';
import { Finding, Severity } from '../../records/finding';
import { MTASTS_RULES } from '../../records/mta-sts';
import { GOVUK_RULES } from '../../standard/rules';

/** RFC 8461 §3.2: the largest `max_age`. */
const MAX_AGE_LIMIT_SECONDS = 31557600;
/** Mail Check's minimum for enforce mode, and the default here. */
const DEFAULT_MAX_AGE = Duration.days(14);

/**
 * An MTA-STS `max_age` given as a Duration, checked: whole seconds from 0 to a year, known at
 * synth (the policy id is a hash of the body). Two weeks when not given.
 * @internal
 */
export function checkMtaStsMaxAge(scope: IConstruct, maxAge: Duration = DEFAULT_MAX_AGE): number {
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
