import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { checkReferences, checkWatchesSomething } from '../../../src/config/references.js';

// Seeded mutations of the shipped configurations through the loader, mapped to the CLI's exit
// code: 0 (valid) or 2 (ConfigError naming the file and, for a field, its path). Anything else
// (another error type, a stack trace) fails, as does a secret value in a message.
const SEED = 20_261_203;
const CASES = 2000;
const SECRET = 'S3CR3T-fuzz-value';
const BIN = new URL('../../../bin/cqrs-slo.js', import.meta.url).pathname;
const FILES = ['config/default.yaml', 'config/example.yaml'];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES: unknown[] = [
  0,
  -1,
  1e300,
  -1e300,
  5,
  2147483648,
  0.5,
  Number.NaN,
  true,
  false,
  null,
  '',
  ' ',
  'x',
  '30d',
  '25d',
  '1e300',
  '99999999999999999999d',
  '0s',
  '5',
  '(a+)+',
  '^(a|a)*$',
  '(?=x)',
  '\\1',
  '[',
  'a\u202Eb',
  'nul\u0000',
  'tab\there',
  'line\nbreak',
  '\u2066x',
  'é',
  '😀',
  'env:CQRS_FUZZ_SECRET',
  `file:/dev/zero`,
  'file:/nonexistent',
  'file:relative/pw',
  'env:',
  'env:UNSET_FUZZ_VAR',
  'x'.repeat(5000),
  [],
  [1],
  ['a', 'b'],
  {},
  { a: 1 },
  { name: 'x' },
  [{}],
  'demo://',
  'month',
];
const KEYS = [
  'name',
  'kind',
  'interval',
  'timeout',
  'password',
  'bogus',
  'objective',
  'sli',
  'include',
  'shutdownTimeout',
  'statementTimeout',
  'owner',
  'description',
  '$x',
  '',
];

type Node = Record<string, unknown> | unknown[];
/** Every container in the tree with its keys, to pick one at random. */
function containers(root: unknown, out: Node[] = []): Node[] {
  if (root !== null && typeof root === 'object') {
    out.push(root as Node);
    for (const v of Object.values(root)) containers(v, out);
  }
  return out;
}

function mutateTree(doc: unknown, r: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const all = containers(doc);
    const c = pick(all);
    const keys = Object.keys(c);
    const op = r();
    if (op < 0.55 && keys.length > 0) (c as Record<string, unknown>)[pick(keys)] = structuredClone(pick(VALUES));
    else if (op < 0.7 && keys.length > 0) {
      if (Array.isArray(c)) c.splice(Number(pick(keys)), 1);
      else delete c[pick(keys)];
    } else if (op < 0.85) {
      if (Array.isArray(c)) c.push(structuredClone(c.length > 0 ? pick(c) : pick(VALUES)));
      else c[pick(KEYS)] = structuredClone(pick(VALUES));
    } else if (keys.length > 0) {
      // Move a subtree somewhere it does not belong.
      const other = pick(all);
      const okeys = Object.keys(other);
      if (okeys.length > 0) (c as Record<string, unknown>)[pick(keys)] = structuredClone((other as Record<string, unknown>)[pick(okeys)]);
    }
  }
  return doc;
}

function mutateText(text: string, r: () => number): string {
  const at = Math.floor(r() * text.length);
  const op = r();
  if (op < 0.25) return text.slice(0, at);
  if (op < 0.5) return text.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + text.slice(at);
  if (op < 0.7) return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 20));
  if (op < 0.85) return `${text}\nx: &a [1, 2]\ny: [*a, *a, *zz]\n`;
  const lines = text.split('\n');
  const l = Math.floor(r() * lines.length);
  lines.splice(l, 0, lines[l]!);
  return lines.join('\n');
}

/** What `cqrs-slo validate` would exit with, computed in-process. */
function exitCode(text: string): { code: 0 | 2; error?: ConfigError } {
  try {
    const config = parseConfig(text, 'fuzz.yaml');
    checkReferences(config, 'fuzz.yaml');
    checkWatchesSomething(config, 'fuzz.yaml');
    return { code: 0 };
  } catch (err) {
    if (err instanceof ConfigError) return { code: 2, error: err };
    throw new Error(`not a ConfigError for:\n${text}\n${(err as Error).stack}`);
  }
}

const ROOT_MESSAGES = /^(invalid YAML|must be a mapping of sections|nothing to watch)/;

describe('config loader fuzz', () => {
  test(`${CASES} seeded mutations of the shipped configs: exit 0 or 2, a path, no stack, no secret`, () => {
    process.env.CQRS_FUZZ_SECRET = SECRET;
    const r = rng(SEED);
    const sources = FILES.map((f) => readFileSync(f, 'utf8'));
    const trees = sources.map((t) => parse(t) as unknown);
    const counts = { 0: 0, 2: 0 };
    const t0 = performance.now();
    for (let i = 0; i < CASES; i++) {
      const src = sources[i % sources.length]!;
      const text = r() < 0.75 ? stringify(mutateTree(structuredClone(trees[i % trees.length]), r)) : mutateText(src, r);
      const { code, error } = exitCode(text);
      counts[code]++;
      if (!error) continue;
      expect(error.issues.length, text).toBeGreaterThan(0);
      for (const issue of error.issues) {
        expect(issue.path !== '' || ROOT_MESSAGES.test(issue.message), `${issue.message}\n${text}`).toBe(true);
      }
      expect(error.message.startsWith('fuzz.yaml: ')).toBe(true);
      expect(error.message).not.toMatch(/\n\s+at /);
      expect(error.message).not.toContain(SECRET);
    }
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    expect(counts[0]).toBeGreaterThan(CASES / 50);
    expect(counts[2]).toBeGreaterThan(CASES / 2);
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 120_000);

  test('a handful through the real CLI: exit 0 or 2, never a stack trace', () => {
    const r = rng(SEED + 1);
    const dir = mkdtempSync(join(tmpdir(), 'cqrs-slo-fuzz-'));
    const src = readFileSync('config/example.yaml', 'utf8');
    for (let i = 0; i < 6; i++) {
      const text = i % 2 === 0 ? stringify(mutateTree(parse(src), r)) : mutateText(src, r);
      const f = join(dir, `c${i}.yaml`);
      writeFileSync(f, text);
      const res = spawnSync(process.execPath, [BIN, 'validate', '--config', f], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, CQRS_FUZZ_SECRET: SECRET },
      });
      expect([0, 2], `${res.stderr}\n${text}`).toContain(res.status);
      expect(res.status).toBe(exitCode(text).code);
      expect(res.stderr).not.toMatch(/\n\s+at /);
      expect(res.stderr).not.toContain(SECRET);
    }
  }, 120_000);
});
