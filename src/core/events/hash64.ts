/**
 * A 64-bit fingerprint of a string, as two unsigned 32-bit halves.
 *
 * Two independent 32-bit lanes (multipliers from cyrb53 by bryc, public domain) mixed over the
 * UTF-16 code units, then cross-mixed with murmur3's fmix32 finaliser so that every input bit
 * affects every output bit. Not cryptographic: ids come from the monitored system, and a
 * hostile producer could at worst hide its own duplicates. The lanes are computed in integer
 * arithmetic (Math.imul) so no BigInt and no allocation per call. The length is mixed in at the
 * end (not into the seeds), so a scan can fingerprint a string it does not yet know the end of
 * (json-scan.ts): the lanes start from fixed seeds and take one code unit per step
 * (`HASH_STEP1/2`), and `hash64Finish` folds in the length.
 */
export interface Hash64 {
  hi: number;
  lo: number;
}

/** Lane seeds and multipliers: each step is `h = Math.imul(h ^ unit, HASH_STEP)`. */
export const HASH_SEED1 = 0xdeadbeef;
export const HASH_SEED2 = 0x41c6ce57;
export const HASH_STEP1 = 2654435761;
export const HASH_STEP2 = 1597334677;

/** Writes the fingerprint of `s` into `out` (reused by hot loops to avoid garbage). */
export function hash64Into(s: string, out: Hash64): Hash64 {
  let h1 = HASH_SEED1;
  let h2 = HASH_SEED2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, HASH_STEP1);
    h2 = Math.imul(h2 ^ c, HASH_STEP2);
  }
  return hash64Finish(h1, h2, s.length, out);
}

/**
 * `hash64Into` of the text in `b[start, end)`, read straight from the bytes when they are all
 * ASCII (then each byte is one UTF-16 code unit, so the fingerprint is exactly that of the
 * decoded string, without making the string). Returns false, leaving `out` unspecified, at
 * the first byte >= 0x80: the caller then decodes the text and hashes the string, so every
 * input keeps the fingerprint of its decoded text.
 */
export function hash64BytesInto(b: Uint8Array, start: number, end: number, out: Hash64): boolean {
  let h1 = HASH_SEED1;
  let h2 = HASH_SEED2;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c > 0x7f) return false;
    h1 = Math.imul(h1 ^ c, HASH_STEP1);
    h2 = Math.imul(h2 ^ c, HASH_STEP2);
  }
  hash64Finish(h1, h2, end - start, out);
  return true;
}

/** Ends a fingerprint: the lanes after the last unit, and the number of units. */
export function hash64Finish(h1: number, h2: number, length: number, out: Hash64): Hash64 {
  h1 ^= length;
  h2 ^= Math.imul(length, 0x9e3779b1);
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
