// Runs a TypeScript benchmark from bench/: bundles it with esbuild (shipped with vitest) into
// a temp file and runs it with node, passing extra arguments through.
//   npm run bench -- bench/dedupe-window.ts [args...]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: npm run bench -- bench/<file>.ts [args...]');
  process.exit(2);
}
const out = join(mkdtempSync(join(tmpdir(), 'cqrs-bench-')), `${basename(entry, '.ts')}.mjs`);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: out,
  packages: 'external',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--expose-gc', out, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
