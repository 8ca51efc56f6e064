import { setFlagsFromString } from 'node:v8';

/**
 * V8's --semi-space-growth-factor for `runtime.semiSpaceGrowthFactor`: by how much the young
 * generation grows when a scavenge finds it busy (V8: 2, doubling from 1 MB semi-spaces up to
 * 16 MB). 1 keeps it at its initial size. 0: none (V8's default).
 */
export function semiSpaceGrowthFlag(factor: number): string | undefined {
  return factor > 0 ? `--semi-space-growth-factor=${Math.round(factor)}` : undefined;
}

/**
 * Applies the flag at start-up: V8 reads it at every growth, so it takes effect after the heap
 * exists (unlike --max-semi-space-size, read only when the heap is created).
 */
export function applySemiSpaceGrowth(factor: number): void {
  const flag = semiSpaceGrowthFlag(factor);
  if (flag) setFlagsFromString(flag);
}
