/**
 * The node options the `cqrs-slo` command sets itself (its shebang puts them in NODE_OPTIONS
 * ahead of the user's). A bench that starts `node bin/cqrs-slo.js` skips the shebang, so it
 * passes these first to measure the service as shipped; SHIPPED=0 leaves them out (V8's defaults).
 */
import { readFileSync } from 'node:fs';

/** The flags inside `NODE_OPTIONS="... ${NODE_OPTIONS}"` of a shebang line; [] when there is none. */
export function shebangNodeOptions(firstLine: string): string[] {
  const m = /NODE_OPTIONS="([^"]*)"/.exec(firstLine);
  if (!m) return [];
  return m[1]!.split(/\s+/).filter((f) => f.length > 0 && !f.startsWith('$'));
}

export function shippedNodeArgs(binPath = 'bin/cqrs-slo.js', env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.SHIPPED === '0') return [];
  return shebangNodeOptions(readFileSync(binPath, 'utf8').split('\n', 1)[0]!);
}
