import { toolsAvailable } from '../../env/prometheus.js';

/**
 * Whether the Prometheus tools can run here. In CI (CI=true) a missing tool fails the run
 * instead of skipping it.
 */
export function requireTools(): boolean {
  const t = toolsAvailable();
  if (t.ok) return true;
  if (process.env.CI === 'true') throw new Error(`Prometheus tools unavailable in CI: ${t.reason}`);
  console.warn(`[alerting tests] skipped: ${t.reason}`);
  return false;
}
