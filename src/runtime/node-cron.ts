import { createRequire } from 'node:module';

type NodeCron = typeof import('node-cron');

let loaded: NodeCron | undefined;

/**
 * node-cron, loaded on first use: a configuration without `reports` never loads it (~1.3 MB of
 * RSS on top of the other start-up imports). Loaded with `require` because the config schema's
 * checks are synchronous; the package ships the same code as CommonJS.
 */
export function nodeCron(): NodeCron {
  loaded ??= createRequire(import.meta.url)('node-cron') as NodeCron;
  return loaded;
}
