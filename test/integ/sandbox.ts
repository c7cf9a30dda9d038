/**
 * What the integ tests deploy to: the same environment variables as the examples
 * (examples/sandbox.ts: GOV_EMAIL_ZONE, GOV_EMAIL_PARKED_ZONES), and the account integ-runner
 * deploys with (CDK_INTEG_ACCOUNT). With none set they synthesise the committed snapshots.
 */
import { sandboxFromEnv } from '../../examples/sandbox';

const sandbox = sandboxFromEnv();

export const INTEG_ACCOUNT = process.env.CDK_INTEG_ACCOUNT ?? sandbox.account ?? '111111111111';

/** The zone for the sending domains, when one is given. */
export const INTEG_ZONE = sandbox.zone;

/** The zones to park, when given. */
export const INTEG_PARKED_ZONES = sandbox.parkedZones;
