import { normaliseDomainName } from '../../records/private/names';
import { nodeCrypto } from '../../records/private/node-builtins';

function digestOf(domainName: string): Buffer {
  return nodeCrypto().createHash('sha256').update(normaliseDomainName(domainName), 'utf8').digest();
}

/**
 * The stack number (1 to `shardCount`) a domain's records go to: the first four bytes of the
 * SHA-256 of the domain name (lower case, no trailing dot, UTF-8), read as an unsigned
 * big-endian integer, modulo `shardCount`, plus one. It depends on the name and `shardCount`
 * only, never on the other domains or their order, so adding or removing a domain never moves
 * another. Stable across releases: logical ids and stack placement are public API.
 * @internal
 */
export function shardOf(domainName: string, shardCount: number): number {
  return (digestOf(domainName).readUInt32BE(0) % shardCount) + 1;
}

/**
 * The MTA-STS distribution number (1 to `distributionCount`) that serves a receiving domain's
 * policy: the next four bytes of the same SHA-256 (bytes 4 to 7), unsigned big-endian, modulo
 * `distributionCount`, plus one. Independent of the stack number, and like it a function of the
 * name and the count only. Stable across releases.
 * @internal
 */
export function distributionOf(domainName: string, distributionCount: number): number {
  return (digestOf(domainName).readUInt32BE(4) % distributionCount) + 1;
}

/** The construct id of stack number `n`: `Shard01` … `Shard99`, `Shard100` …. @internal */
export function shardId(n: number): string {
  return `Shard${String(n).padStart(2, '0')}`;
}

/** How many distributions each us-east-1 stack of a portfolio's MTA-STS host holds: 1–3 in the first, 4–6 in the second, …. @internal */
export const DISTRIBUTIONS_PER_HOST_STACK = 3;

/** The host stack number (1 or more) that holds distribution `n`. @internal */
export function hostStackOf(distribution: number): number {
  return Math.ceil(distribution / DISTRIBUTIONS_PER_HOST_STACK);
}

/** The construct id of host stack number `m`: `MtaSts` (the first, as before there were more), then `MtaSts02`, `MtaSts03`, …. @internal */
export function hostStackId(m: number): string {
  return m === 1 ? 'MtaSts' : `MtaSts${String(m).padStart(2, '0')}`;
}
