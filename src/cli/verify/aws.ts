/**
 * Calling AWS for `gov-email verify`: retries with exponential backoff and full jitter on
 * throttling and transient failures, pacing of Route 53 calls under its per-account rate, and
 * plain messages for the failures that stop the command (no credentials, credentials refused,
 * access denied, a throttle that never lifts, no region).
 *
 * The SDK clients are created with `maxAttempts: 1`, so these retries are the only ones: a
 * throttle that lifts is invisible to the user, and one that does not ends the run with exit 2.
 */

/** Clock, sleep and randomness: injectable so tests of backoff and pacing run instantly. */
export interface Timing {
  /** Wait this many milliseconds. */
  sleep(ms: number): Promise<void>;
  /** Milliseconds since some fixed point. */
  now(): number;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const SYSTEM_TIMING: Timing = {
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random(),
};

/** How often to try a call that is throttled or fails transiently. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The backoff before the second attempt is up to this; it doubles each attempt. */
  readonly baseDelayMs: number;
  /** No backoff is longer than this. */
  readonly maxDelayMs: number;
}

/** Eight attempts: backoffs of up to 0.25, 0.5, 1, 2, 4, 8 and 16 s (about 16 s in all on average). */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 20_000 };

/**
 * Route 53 allows 5 API requests a second per account (all callers together): leave at least
 * 200 ms between the starts of two calls.
 */
export const ROUTE53_INTERVAL_MS = 200;

/** A failure that stops `gov-email verify`: exit code 2 with this message. */
export class VerifyAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyAbort';
    Object.setPrototypeOf(this, VerifyAbort.prototype);
  }
}

/** Spaces calls at least `intervalMs` apart (by their start), in the order they ask. */
export class Pacer {
  private next = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs: number, private readonly timing: Timing) {}

  /** Resolves when the caller may start its call. */
  public async wait(): Promise<void> {
    const now = this.timing.now();
    const at = Math.max(now, this.next);
    this.next = at + this.intervalMs;
    if (at > now) await this.timing.sleep(at - now);
  }
}

/** What a call is, for messages: `ses:GetEmailIdentity` on `dept.gov.uk` in `eu-west-2`. */
export interface CallContext {
  /** The IAM action, e.g. `ses:GetEmailIdentity`. */
  readonly action: string;
  /** What it is about: an identity, a configuration set, a hosted zone. */
  readonly target: string;
  /** The region, when regional. */
  readonly region?: string;
}

/** What `gov-email verify` needs to be allowed to do. */
export const REQUIRED_ACTIONS = ['ses:GetEmailIdentity', 'ses:GetConfigurationSet', 'route53:ListHostedZonesByName', 'route53:ListResourceRecordSets'];

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'PriorRequestNotComplete', 'TransactionInProgressException',
]);
const TRANSIENT = new Set([
  'InternalServiceErrorException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException',
  'RequestTimeout', 'RequestTimeoutException', 'TimeoutError', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'NotAuthorized']);
const CREDENTIALS_REFUSED = new Set([
  'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException', 'InvalidSignatureException',
  'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken', 'AuthFailure',
]);

/** The error's code: the SDK's `name`, or a `Code`/`code` field. */
export function errorCode(err: unknown): string {
  if (err === null || typeof err !== 'object') return String(err);
  const e = err as { name?: unknown; Code?: unknown; code?: unknown };
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  if (typeof e.code === 'string') return e.code;
  return typeof e.name === 'string' ? e.name : 'Error';
}

function errorMessage(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : errorCode(err);
}

function isThrottling(err: unknown): boolean {
  const e = err as { $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } } | null;
  return THROTTLING.has(errorCode(err)) || e?.$retryable?.throttling === true || e?.$metadata?.httpStatusCode === 429;
}

function isTransient(err: unknown): boolean {
  const e = err as { $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  const status = e?.$metadata?.httpStatusCode;
  return TRANSIENT.has(errorCode(err)) || (e?.$retryable !== undefined && e?.$retryable !== null) || (status !== undefined && status >= 500);
}

function describe(ctx: CallContext): string {
  return `${ctx.action} on ${ctx.target}${ctx.region === undefined ? '' : ` in ${ctx.region}`}`;
}

/**
 * The message that stops the run for a failure no retry can mend, or undefined when the
 * caller should deal with the error itself (e.g. NotFoundException is a finding).
 */
export function abortFor(err: unknown, ctx: CallContext): VerifyAbort | undefined {
  const code = errorCode(err);
  if (code === 'CredentialsProviderError') {
    return new VerifyAbort(
      `no AWS credentials found (${errorMessage(err)}). verify uses the AWS SDK's default credential chain: `
      + 'environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), AWS_PROFILE and the shared config and credentials files '
      + '(run `aws sso login` for an SSO profile), web identity, and container or instance roles. Configure one and run again.');
  }
  if (CREDENTIALS_REFUSED.has(code)) {
    return new VerifyAbort(`AWS refused the credentials for ${describe(ctx)} (${code}: ${errorMessage(err)}). Refresh them (e.g. \`aws sso login\`) or choose another profile with AWS_PROFILE, and run again.`);
  }
  if (ACCESS_DENIED.has(code)) {
    return new VerifyAbort(`access denied: ${describe(ctx)} (${code}: ${errorMessage(err)}). `
      + `verify needs ${REQUIRED_ACTIONS.join(', ')} (read-only); grant them to the identity in use and run again.`);
  }
  if (/region is missing/i.test(errorMessage(err))) {
    return new VerifyAbort(`no AWS region for ${describe(ctx)}: give --region, give the stack an env with a region, or set AWS_REGION.`);
  }
  return undefined;
}

/**
 * Make one AWS call, retrying throttling and transient failures with exponential backoff and
 * full jitter (each wait a random time up to `min(maxDelayMs, baseDelayMs * 2^n)`), each attempt
 * paced by `pacer` when given.
 *
 * @throws VerifyAbort for no credentials, refused credentials, access denied, a missing region,
 * or a throttle or transient failure that outlasts the retries; any other error as it came
 */
export async function callAws<T>(
  call: () => Promise<T>, ctx: CallContext, timing: Timing, pacer?: Pacer, policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  const started = timing.now();
  for (let attempt = 1; ; attempt++) {
    if (pacer !== undefined) await pacer.wait();
    try {
      return await call();
    } catch (err) {
      const abort = abortFor(err, ctx);
      if (abort !== undefined) throw abort;
      const throttled = isThrottling(err);
      if (!throttled && !isTransient(err)) throw err;
      if (attempt >= policy.maxAttempts) {
        const seconds = ((timing.now() - started) / 1000).toFixed(1);
        throw new VerifyAbort(throttled
          ? `AWS kept throttling ${describe(ctx)} (${errorCode(err)}: ${errorMessage(err)}) after ${attempt} attempts over ${seconds} s. `
            + 'Other callers in the account may be using the same API quota; try again later.'
          : `${describe(ctx)} kept failing (${errorCode(err)}: ${errorMessage(err)}) after ${attempt} attempts over ${seconds} s; try again later.`);
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await timing.sleep(Math.floor(timing.random() * ceiling));
    }
  }
}
