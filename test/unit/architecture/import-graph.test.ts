import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering of docs/architecture.md, checked on the import graph of src/:
// no module reaches itself through its imports (type-only imports included: a
// cycle of types is still two modules that cannot be read apart), neither does a
// top-level folder (a back arrow such as sources/ -> slo/ -> sources/), and core/
// imports nothing but core/ (pure: no node built-ins, no clients, no other layer).

const SRC = resolve('src');

/** Every .ts file under `dir`, as paths relative to src/ with '/' separators. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [relative(SRC, path).split('\\').join('/')] : [];
  });
}

// `import ... from 'x'`, `export ... from 'x'`, `import 'x'`, `import('x')`; comments are stripped first.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)'([^']+)'/g;

function specifiers(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] as string);
}

/** Edges of the graph: file -> the src/ files it imports; bare specifiers apart. */
function importGraph(): { edges: Map<string, string[]>; bare: Map<string, string[]> } {
  const edges = new Map<string, string[]>();
  const bare = new Map<string, string[]>();
  for (const file of tsFiles(SRC)) {
    const local: string[] = [];
    const external: string[] = [];
    for (const spec of specifiers(file)) {
      if (!spec.startsWith('.')) external.push(spec);
      else
        local.push(
          relative(SRC, resolve(SRC, dirname(file), spec))
            .split('\\')
            .join('/')
            .replace(/\.js$/, '.ts'),
        );
    }
    edges.set(file, local);
    bare.set(file, external);
  }
  return { edges, bare };
}

/** Every cycle found by a depth-first search, each as the path that closes it. */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...edges.keys()].sort()) if (!state.has(file)) visit(file);
  return found;
}

describe('import graph of src/', () => {
  const { edges, bare } = importGraph();

  it('reads the whole tree and resolves every relative import to a file', () => {
    expect(edges.size).toBeGreaterThan(100);
    const missing = [...edges].flatMap(([file, targets]) => targets.filter((t) => !edges.has(t)).map((t) => `${file} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(edges).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('has no cycle between the top-level folders (the wiring files at the root apart)', () => {
    const folder = (f: string) => (f.includes('/') ? f.slice(0, f.indexOf('/')) : undefined);
    const folders = new Map<string, string[]>();
    for (const [file, targets] of edges) {
      const from = folder(file);
      if (from === undefined) continue;
      const to = new Set(folders.get(from));
      for (const t of targets) {
        const f = folder(t);
        if (f !== undefined && f !== from) to.add(f);
      }
      folders.set(from, [...to].sort());
    }
    expect(cycles(folders).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('keeps core/ pure: it imports only core/', () => {
    const core = [...edges.keys()].filter((f) => f.startsWith('core/'));
    expect(core.length).toBeGreaterThan(20);
    const outside = core.flatMap((f) => [
      ...(edges.get(f) ?? []).filter((t) => !t.startsWith('core/')).map((t) => `${f} -> ${t}`),
      ...(bare.get(f) ?? []).map((t) => `${f} -> ${t}`),
    ]);
    expect(outside).toEqual([]);
  });

  it('finds a cycle and an impure core import when there is one (the checker can fail)', () => {
    const bad = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(cycles(bad)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    expect(specifiers('core/units.ts').every((s) => s.startsWith('.'))).toBe(true);
  });
});
