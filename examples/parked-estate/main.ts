/**
 * The parked-estate example's app, as `cdk synth` runs it (cdk.json). GOV_EMAIL_ACCOUNT and
 * GOV_EMAIL_ESTATE_CSV deploy it to a sandbox (examples/sandbox.ts).
 *
 *   npx cdk synth        # from this folder, no AWS credentials needed
 */
import { DEFAULT_CSV, parkedEstateApp, readEstateCsv } from './parked-estate';
import { sandboxFromEnv } from '../sandbox';

const sandbox = sandboxFromEnv();
parkedEstateApp(process.argv[2], readEstateCsv(sandbox.estateCsv ?? DEFAULT_CSV), sandbox.account).synth();
