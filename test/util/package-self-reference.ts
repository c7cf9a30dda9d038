/**
 * Lets the examples, and the tools that run them from this repository (ts-node for
 * `npm run example`, the integ tests and the CDK CLI), import `cdk-gov-email` as a user's app
 * does: `cdk-gov-email` resolves to src/index.ts and `cdk-gov-email/lib/<path>` to src/<path>,
 * as in the published package (lib/ is src/ compiled). Loaded by ts-node through
 * test/tsconfig.json; jest maps the same names with moduleNameMapper, and the compiler with
 * `paths`.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('module');
import * as path from 'path';

const PACKAGE = 'cdk-gov-email';
const SRC = path.join(__dirname, '..', '..', 'src');

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;

loader._resolveFilename = function resolveSelfReference(this: unknown, request: string, ...rest: unknown[]): string {
  if (request === PACKAGE) {
    return resolve.call(this, SRC, ...rest);
  }
  if (request.startsWith(`${PACKAGE}/lib/`)) {
    return resolve.call(this, path.join(SRC, request.slice(`${PACKAGE}/lib/`.length)), ...rest);
  }
  return resolve.call(this, request, ...rest);
};
