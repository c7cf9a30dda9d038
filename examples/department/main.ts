/**
 * The department example's app, as `cdk synth` runs it (cdk.json). With no argument it writes
 * where the CDK CLI asks (./cdk.out); a folder given as the first argument is used instead.
 * GOV_EMAIL_ACCOUNT, GOV_EMAIL_ZONE and GOV_EMAIL_PARKED_ZONES deploy it to a sandbox
 * (examples/sandbox.ts).
 *
 *   npx cdk synth                      # from this folder, no AWS credentials needed
 */
import { departmentApp } from './department';
import { sandboxFromEnv } from '../sandbox';

const sandbox = sandboxFromEnv();
departmentApp(process.argv[2], { account: sandbox.account, zone: sandbox.zone, parkedZones: sandbox.parkedZones }).synth();
