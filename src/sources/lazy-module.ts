import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package (a database or broker driver) loaded at its first use, not at start-up: a
 * process whose config names no such source never pays its memory (docs/performance.md, the
 * demo's memory). The types come from an `import type` at the call site.
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
