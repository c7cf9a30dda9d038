// Prints the test files among those named (folders or files, as jest takes them) whose imports,
// followed through src/ and test/, reach aws-cdk-lib or constructs: the ones whose outcome can
// depend on the aws-cdk-lib version. A test of a folder given with a trailing "/" (those whose
// tests start other processes, which load aws-cdk-lib themselves) is printed whatever it imports.
// Used by .ci/newest-aws-cdk-lib, so that tests of code that never loads aws-cdk-lib (the report
// parser's, for one) are not run a second time for nothing.
const { existsSync, readFileSync, statSync } = require('node:fs');
const { dirname, relative, resolve } = require('node:path');
const ts = require('typescript');

const reaches = new Map();
function reachesCdk(file) {
  if (reaches.has(file)) return reaches.get(file);
  reaches.set(file, false); // a cycle adds nothing
  const text = readFileSync(file, 'utf8');
  // Imports, exports from, import(...) and require(...) calls; not what comments mention.
  const specs = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  let found = false;
  for (const spec of specs) {
    if (spec === 'aws-cdk-lib' || spec.startsWith('aws-cdk-lib/') || spec === 'constructs' || spec === 'cdk-gov-email' || spec.startsWith('cdk-gov-email/')) {
      found = true;
    } else if (spec.startsWith('.')) {
      const base = resolve(dirname(file), spec);
      const target = [`${base}.ts`, `${base}/index.ts`, base].find((c) => existsSync(c) && statSync(c).isFile() && c.endsWith('.ts'));
      if (target && reachesCdk(target)) found = true;
    }
    if (found) break;
  }
  reaches.set(file, found);
  return found;
}

const listed = JSON.parse(process.argv[2]);
const always = process.argv.slice(3).map((d) => resolve(d));
for (const file of listed) {
  const keep = always.some((d) => file.startsWith(`${d}/`)) || reachesCdk(file);
  if (keep) process.stdout.write(`${relative(process.cwd(), file)}\n`);
}
