import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidInput } from './findings';
import { MTASTS_RULES } from '../../records/mta-sts';

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
