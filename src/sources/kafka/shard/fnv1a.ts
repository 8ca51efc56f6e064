/**
 * 32-bit FNV-1a over the UTF-8 bytes of `text` (http://www.isthe.com/chongo/tech/comp/fnv/):
 * stable across processes, versions and platforms, so every replica maps a group to the same
 * coordination partition. Not for security: a name can be chosen to land on a given partition.
 */
export function fnv1a32(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    // h * 16777619 (the 32-bit FNV prime) modulo 2^32.
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The coordination partition a consumer group belongs to, out of `partitions`. */
export function shardOf(groupId: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  return fnv1a32(groupId) % partitions;
}
