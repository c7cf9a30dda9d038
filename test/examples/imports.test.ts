import * as fs from 'fs';
import * as path from 'path';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'cdk.out' || entry.name === 'node_modules' ? [] : sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('examples are written as a user writes them', () => {
  const files = sources(EXAMPLES);

  test('there are examples to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  test.each(files.map((f) => [path.relative(EXAMPLES, f), f]))('%s imports the library as cdk-gov-email, never from src/', (_name, file) => {
    const specifiers = [...fs.readFileSync(file, 'utf8').matchAll(/(?:from|require\()\s*'([^']+)'/g)].map((m) => m[1]);
    expect(specifiers.filter((s) => /(^|\/)src(\/|$)/.test(s))).toEqual([]);
  });
});
