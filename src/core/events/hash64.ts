/**
 * A 64-bit fingerprint of a string, as two unsigned 32-bit halves.
 *
 * Two independent 32-bit lanes (multipliers from cyrb53 by bryc, public domain) mixed over the
 * UTF-16 code units, then cross-mixed with murmur3's fmix32 finaliser so that every input bit
 * affects every output bit. Not cryptographic: ids come from the monitored system, and a
 * hostile producer could at worst hide its own duplicates. The lanes are computed in integer
 * arithmetic (Math.imul) so no BigInt and no allocation per call.
 */
export interface Hash64 {
  hi: number;
  lo: number;
}

/** Writes the fingerprint of `s` into `out` (reused by hot loops to avoid garbage). */
export function hash64Into(s: string, out: Hash64): Hash64 {
  let h1 = 0xdeadbeef ^ s.length;
  let h2 = 0x41c6ce57 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  h1 = fmix32(h1 ^ h2);
  h2 = fmix32(h2 ^ h1);
  out.hi = h1 >>> 0;
  out.lo = h2 >>> 0;
  return out;
}

/** Convenience form that allocates; prefer `hash64Into` in loops. */
export function hash64(s: string): Hash64 {
  return hash64Into(s, { hi: 0, lo: 0 });
}

/** murmur3 32-bit finaliser (Austin Appleby, public domain). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
