/** One step of a JSON path: an object key or an array index. */
export type PathStep = string | number;

const STEP = /^(?:\.([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d{1,9})\]|\[(?:'([^'\\]*)'|"([^"\\]*)")\])/;

/**
 * Parses the JSON path subset probes accept: `$`, then `.key`, `['key']`, `["key"]` or `[0]`
 * steps (no wildcards, filters or recursion: a condition names one value). Returns undefined
 * for anything else, so the schema can name the field.
 */
export function parseJsonPath(path: string): PathStep[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: PathStep[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push((m[3] ?? m[4])!);
    rest = rest.slice(m[0].length);
    if (steps.length > 32) return undefined;
  }
  return steps;
}

/** The value at `path` in `doc`; `found: false` when a step is missing (or the path is invalid). */
export function evalJsonPath(doc: unknown, path: string): { found: boolean; value?: unknown } {
  const steps = parseJsonPath(path);
  if (!steps) return { found: false };
  let cur: unknown = doc;
  for (const s of steps) {
    if (typeof s === 'number') {
      if (!Array.isArray(cur) || s >= cur.length) return { found: false };
      cur = cur[s];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, s)) return { found: false };
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return { found: true, value: cur };
}
