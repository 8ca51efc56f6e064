// Runs a TypeScript benchmark from bench/: bundles it with esbuild (shipped with vitest) into
// node_modules/.cache (so the bundle resolves the project's packages) and runs it with node,
// as the service runs, passing extra arguments through.
//   npm run bench -- bench/dedupe-window.ts [args...]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: npm run bench -- bench/<file>.ts [args...]');
  process.exit(2);
}
const dir = join('node_modules', '.cache', 'cqrs-slo-bench');
mkdirSync(dir, { recursive: true });
const out = join(mkdtempSync(join(dir, 'run-')), `${basename(entry, '.ts')}.mjs`);
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
rmSync(dirname(out), { recursive: true, force: true });
process.exit(r.status ?? 1);
