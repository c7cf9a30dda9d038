/**
 * The transactional-sender example's app, as `cdk synth` runs it (cdk.json). GOV_EMAIL_ACCOUNT
 * and GOV_EMAIL_ZONE deploy it to a sandbox (examples/sandbox.ts).
 *
 *   npx cdk synth        # from this folder, no AWS credentials needed
 */
import { transactionalSenderApp } from './transactional-sender';
import { sandboxFromEnv } from '../sandbox';

const sandbox = sandboxFromEnv();
transactionalSenderApp(process.argv[2], { account: sandbox.account, zone: sandbox.zone }).synth();
