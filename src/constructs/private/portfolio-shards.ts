import { normaliseDomainName } from '../../records/private/names';
import { nodeCrypto } from '../../records/private/node-builtins';

/**
 * The stack number (1 to `shardCount`) a domain's records go to: the first four bytes of the
 * SHA-256 of the domain name (lower case, no trailing dot, UTF-8), read as an unsigned
 * big-endian integer, modulo `shardCount`, plus one. It depends on the name and `shardCount`
 * only, never on the other domains or their order, so adding or removing a domain never moves
 * another. Stable across releases: logical ids and stack placement are public API.
 * @internal
 */
export function shardOf(domainName: string, shardCount: number): number {
  const digest = nodeCrypto().createHash('sha256').update(normaliseDomainName(domainName), 'utf8').digest();
  return (digest.readUInt32BE(0) % shardCount) + 1;
}


/** The construct id of stack number `n`: `Shard01` … `Shard99`, `Shard100` …. @internal */
export function shardId(n: number): string {
  return `Shard${String(n).padStart(2, '0')}`;
}
