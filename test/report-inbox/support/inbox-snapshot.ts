/**
 * Reading the ReportInbox template snapshot (test/report-inbox/__snapshots__/report-inbox.test.ts.snap)
 * from other test files, to show that resources built by a part of the inbox are the ones the
 * whole inbox's snapshot holds, logical ids included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';

/** The ReportInbox snapshot's template text (the file is a CommonJS module of template literals). */
export function inboxSnapshot(): string {
  const file = join(__dirname, '..', '__snapshots__', 'report-inbox.test.ts.snap');
  const snapshots: Record<string, string> = {};
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('exports', readFileSync(file, 'utf8'))(snapshots);
  const text = snapshots['ReportInbox: snapshot the template (asset hashes stripped) 1'];
  if (text === undefined) throw new Error(`no ReportInbox template snapshot in ${file}`);
  return text;
}

/** A value as Jest's snapshot serialiser writes it (keys sorted, strings unescaped, trailing commas). */
export function snapshotText(value: unknown, indent: string): string {
  const next = `${indent}  `;
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[\n${value.map((v) => `${next}${snapshotText(v, next)},\n`).join('')}${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return keys.length === 0 ? '{}' : `{\n${keys.map((k) => `${next}"${k}": ${snapshotText(record[k], next)},\n`).join('')}${indent}}`;
  }
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** A resource of a template as it appears in a snapshot of a whole template. */
export function snapshotBlock(template: Template, logicalId: string): string {
  const resource = (template.toJSON().Resources as Record<string, unknown>)[logicalId];
  expect(resource).toBeDefined();
  return `    "${logicalId}": ${snapshotText(resource, '    ')},\n`;
}
