/**
 * What the whole-process benchmarks (bench/review, bench/startup) share: running a node process
 * and timing it, medians, markdown tables, and writing a section into docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** The repository's root folder. */
export const ROOT = join(__dirname, '..');

/** One timed process. */
export interface TimedRun {
  readonly ms: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run `node <argv>` from a temporary folder, with the repository's node_modules on NODE_PATH and
 * no NODE_OPTIONS, and time the whole process.
 */
export function runNode(argv: string[], stdout: number | 'pipe', extraEnv: Record<string, string> = {}): TimedRun {
  const start = performance.now();
  const r = spawnSync(process.execPath, argv, {
    cwd: tmpdir(),
    encoding: 'utf8',
    stdio: ['ignore', stdout, 'pipe'],
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), NODE_OPTIONS: '', ...extraEnv },
    maxBuffer: 1024 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  return { ms, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The median of some numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A markdown table with its columns padded to one width. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * Replace (or add at the end) the section of docs/benchmarks.md under `heading`, keeping any
 * notes written by hand under its "### Notes".
 */
export function writeSection(heading: string, section: string): void {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf(`${heading}\n`);
  const next = start < 0 ? -1 : doc.indexOf('\n## ', start + 1);
  const old = start < 0 ? '' : doc.slice(start, next < 0 ? doc.length : next + 1);
  const notesAt = old.indexOf('### Notes');
  const notes = notesAt < 0 ? '' : `\n${old.slice(notesAt).replace(/\n*$/, '\n')}`;
  const updated = start < 0
    ? `${doc.replace(/\n*$/, '\n\n')}${section}${notes}`
    : `${doc.slice(0, start)}${section}${notes}${next < 0 ? '' : `\n${doc.slice(next + 1)}`}`;
  writeFileSync(file, updated);
  process.stderr.write(`written to ${file}\n`);
}

/**
 * Compile a TypeScript project (src/ by default) to plain JavaScript in `outDir` with tsc, without
 * declarations or source maps, so the benchmarks time the code and not ts-node.
 */
export function compileTs(outDir: string, project: string = join(ROOT, 'tsconfig.json')): void {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project, '--outDir', outDir,
    '--declaration', 'false', '--inlineSourceMap', 'false', '--inlineSources', 'false'], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc -p ${project} failed (exit ${tsc.status}):\n${tsc.stdout}${tsc.stderr}`);
}
