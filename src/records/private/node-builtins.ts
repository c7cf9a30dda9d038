/**
 * Node.js built-in modules that only some calls need, loaded on the first such call rather than
 * when the package is required: `require('cdk-gov-email')` then costs no more than the modules
 * an app uses (see "Start-up" in docs/benchmarks.md). Node.js caches each module, so later calls
 * cost a property read.
 *
 * @internal
 */
import type * as Crypto from 'node:crypto';
import type * as Net from 'node:net';

/* eslint-disable @typescript-eslint/no-require-imports */

/** `node:crypto`: hashes (policy ids, shard numbers, row ids) and DKIM public keys. @internal */
export function nodeCrypto(): typeof Crypto {
  return require('node:crypto');
}

/** `node:net`: telling an IP address from a host name. @internal */
export function nodeNet(): typeof Net {
  return require('node:net');
}
