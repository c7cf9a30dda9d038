// For child Node.js processes the tests start: load src/ and test/ TypeScript files by
// transpiling each with esbuild as it is required (the test task type-checks them with tsc
// first). It is much quicker to start than ts-node, which loads the TypeScript compiler; the
// modules loaded are the same, but for ts-node's own.
const { readFileSync } = require('node:fs');
const { transformSync } = require('esbuild');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    loader: 'ts', format: 'cjs', target: 'node20', sourcefile: filename, sourcemap: 'inline',
  });
  module._compile(code, filename);
};
