/**
 * Deploying an example to a sandbox account: the examples' account and zones are fictional, so
 * `cdk synth` works anywhere; to deploy, name your own in the environment:
 *
 * - GOV_EMAIL_ACCOUNT: the account to deploy to (12 digits).
 * - GOV_EMAIL_ZONE: `<hosted zone id>:<zone name>` of a zone you own, for the sending domains.
 * - GOV_EMAIL_PARKED_ZONES: `<id>:<name>,<id>:<name>` zones you own to park.
 * - GOV_EMAIL_ESTATE_CSV: a CSV like examples/parked-estate/domains.csv of zones you own.
 *
 * With none set, every example synthesises exactly what its tests and snapshots expect.
 */
import * as route53 from 'aws-cdk-lib/aws-route53';

/** Zones written `<id>:<name>,<id>:<name>`. */
export function parseZones(text: string | undefined, variable: string): route53.HostedZoneAttributes[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return text.split(',').map((pair) => {
    const [hostedZoneId, zoneName, ...rest] = pair.trim().split(':');
    if (!hostedZoneId || !zoneName || rest.length > 0) {
      throw new Error(`${variable}: expected <hosted zone id>:<zone name>[,...]; got "${pair}"`);
    }
    return { hostedZoneId, zoneName };
  });
}

/** What the environment says to deploy to. */
export interface Sandbox {
  readonly account?: string;
  readonly zone?: route53.HostedZoneAttributes;
  readonly parkedZones?: route53.HostedZoneAttributes[];
  readonly estateCsv?: string;
}

/** Read GOV_EMAIL_ACCOUNT, GOV_EMAIL_ZONE, GOV_EMAIL_PARKED_ZONES and GOV_EMAIL_ESTATE_CSV. */
export function sandboxFromEnv(env: NodeJS.ProcessEnv = process.env): Sandbox {
  const account = env.GOV_EMAIL_ACCOUNT || undefined;
  if (account !== undefined && !/^[0-9]{12}$/.test(account)) {
    throw new Error(`GOV_EMAIL_ACCOUNT: expected a 12-digit account id; got "${account}"`);
  }
  return {
    account,
    zone: parseZones(env.GOV_EMAIL_ZONE, 'GOV_EMAIL_ZONE')?.[0],
    parkedZones: parseZones(env.GOV_EMAIL_PARKED_ZONES, 'GOV_EMAIL_PARKED_ZONES'),
    estateCsv: env.GOV_EMAIL_ESTATE_CSV || undefined,
  };
}
