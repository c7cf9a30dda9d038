/**
 * One measurement, in a process of its own: build and synthesise one variant for N domains,
 * then print one line of JSON with the time, the peak memory (max RSS) and each stack's
 * resources and template size. Run by bench/synth/run.ts.
 *
 *   node -r ts-node/register/transpile-only bench/synth/child.ts <variant> <n> <outdir>
 */
import { performance } from 'node:perf_hooks';
import { App } from 'aws-cdk-lib';
import { Variant, buildVariant } from './variants';

const [variant, count, outdir] = process.argv.slice(2);
const n = Number(count);
const rssBefore = process.resourceUsage().maxRSS;
const start = performance.now();
// `l2-quiet`: the hand-written L2 app with the stack traces off that DomainPortfolio turns off
// in its own subtree (as `App({ stackTraces: false })` and its creation-trace twin do).
const quiet = variant === 'l2-quiet';
const app = new App({
  outdir,
  context: quiet ? { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true } : undefined,
});
if (n > 0) buildVariant(app, (quiet ? 'l2' : variant) as Variant, n);
const built = performance.now();
const assembly = app.synth();
const end = performance.now();
const stacks = assembly.stacks.map((s) => ({
  name: s.stackName,
  resources: Object.keys(s.template.Resources ?? {}).length,
  // The template file as cdk synth writes it (indented by one space), as CloudFormation receives it.
  bytes: JSON.stringify(s.template, undefined, 1).length,
}));
process.stdout.write(`${JSON.stringify({
  variant,
  n,
  buildMs: built - start,
  synthMs: end - built,
  totalMs: end - start,
  maxRssKb: process.resourceUsage().maxRSS,
  rssBeforeKb: rssBefore,
  stacks,
})}\n`);
