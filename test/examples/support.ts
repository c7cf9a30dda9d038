import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { runReview } from '../cli/support/environment';
import { TemplateLinter } from '../util/cfn-lint';

/** A fresh folder for one synthesis. */
export function outdir(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'gov-email-example-')), name);
}

/** Synthesise an app; its templates by stack name (sorted), each remembered for cfn-lint. */
export function synthTemplates(app: App, lint?: TemplateLinter, label: string = 'example'): Record<string, any> {
  const assembly = app.synth();
  const stacks = [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((a) => a.nestedAssembly.stacks)]
    .sort((a, b) => a.stackName.localeCompare(b.stackName));
  const out: Record<string, any> = {};
  for (const s of stacks) {
    out[s.stackName] = s.template;
    lint?.add(`${label}-${s.stackName}`, s.template);
  }
  return out;
}

/** A template with asset hashes (and anything else that is a 64-digit hex digest) replaced, for snapshots. */
export function stripHashes<T>(template: T): T {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<hash>'));
}

/** Run `gov-email review <dir> ...args` in this process. */
export const review = runReview;
