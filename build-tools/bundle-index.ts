/**
 * The package's entry point as one file: after jsii compiles src/ into lib/, lib/index.js (which
 * requires the library's 89 modules one by one) is replaced by a bundle of the modules it reaches.
 * An app's `require('cdk-gov-email')` then reads and compiles one file instead of resolving,
 * reading and compiling each module: the same code runs, in the same order (each module is still
 * evaluated when it is first required, so what the library loads lazily, such as cdk-nag for
 * GovEmailChecks, stays lazy). `npx projen bench:startup` measures the difference.
 *
 * - Packages (aws-cdk-lib, constructs, cdk-nag, …) stay `require`s: never bundled.
 * - Each module keeps its own `__dirname` and `__filename` (the report parser's asset is found
 *   relative to its module), as if it were still loaded from its own file.
 * - The other files of lib/ stay: the `gov-email` command line (lib/cli/bin.js) and the types
 *   (lib/**\/*.d.ts) are read from them.
 * - The source map is written beside the bundle (lib/index.js.map, pointing into src/), instead of
 *   inline as jsii writes it, so it costs nothing at start-up: `node --enable-source-maps` reads it.
 *
 *   ts-node --project test/tsconfig.json --transpile-only build-tools/bundle-index.ts lib src/index.ts
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Plugin, build } from 'esbuild';
import * as ts from 'typescript';

/** The name, in the bundle, of the folder the bundle sits in (the `__dirname` of lib/index.js). */
const LIB_DIR = '__govEmailLibDir';

/** A module's own `__dirname` and `__filename`, relative to the folder of the bundle. */
function ownPaths(libDir: string): Plugin {
  return {
    name: 'own-dirname',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        const contents = readFileSync(args.path, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(contents)) return undefined;
        const dir = relative(libDir, dirname(args.path)).split('\\').join('/');
        const file = relative(libDir, args.path).split('\\').join('/');
        // A `var` in the module's wrapper function: it hides the bundle's own for this module only.
        const prologue = `var __dirname = require("path").join(${LIB_DIR}, ${JSON.stringify(dir)}), `
          + `__filename = require("path").join(${LIB_DIR}, ${JSON.stringify(file)});`;
        // After the module's "use strict", which must stay its first statement.
        const directive = /^\s*(["'])use strict\1;?/.exec(contents)?.[0] ?? '';
        return { contents: `${directive}${prologue}${contents.slice(directive.length)}`, loader: 'js' };
      });
    },
  };
}

/**
 * Replace `<libDir>/index.js` with a bundle of it and the modules of `libDir` it requires.
 *
 * The bundle's entry is src/index.ts compiled on its own (it only re-exports), not lib/index.js:
 * an incremental compile leaves lib/index.js as the previous bundle when index.ts is unchanged.
 *
 * @param libDir the folder tsc (jsii) compiled src/ into
 * @param indexTs the src/index.ts it was compiled from
 * @param sourceMap write `index.js.map` beside the bundle (the package build does; benchmarks need not)
 */
export async function bundleIndex(libDir: string, indexTs: string, sourceMap: boolean = true): Promise<void> {
  const dir = resolve(libDir);
  const entry = join(dir, 'index.js');
  const { outputText } = ts.transpileModule(readFileSync(indexTs, 'utf8'), {
    fileName: 'index.ts',
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const result = await build({
    stdin: { contents: outputText, resolveDir: dir, sourcefile: 'index.js', loader: 'js' },
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    keepNames: true,
    sourcemap: sourceMap ? 'linked' : false,
    banner: { js: `"use strict";\nconst ${LIB_DIR} = __dirname;` },
    plugins: [ownPaths(dir)],
    logLevel: 'silent',
  });
  if (result.errors.length > 0 || result.warnings.length > 0) {
    throw new Error(`bundling ${entry}: ${[...result.errors, ...result.warnings].map((m) => m.text).join('; ')}`);
  }
}

if (require.main === module) {
  const [libDir, indexTs] = process.argv.slice(2);
  if (libDir === undefined || indexTs === undefined) {
    process.stderr.write('usage: bundle-index.ts <lib folder> <src/index.ts>\n');
    process.exit(2);
  }
  bundleIndex(libDir, indexTs).catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  });
}
