import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { CliIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
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
export async function review(dir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} };
  const code = await main(['review', dir, ...args], io);
  return { code, stdout, stderr };
}
