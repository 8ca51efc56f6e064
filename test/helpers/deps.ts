import { Registry } from 'prom-client';
import { pino } from 'pino';
import { trace } from '@opentelemetry/api';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { SliBoard } from '../../src/core/sli-board.js';
import type { Clock } from '../../src/core/units.js';
import type { SourceDeps } from '../../src/sources/deps.js';

/** Source dependencies for tests: own registry, silent logger, optional fixed clock. */
export function testDeps(clock: Clock = () => Date.now()): SourceDeps & { registry: Registry } {
  const registry = new Registry();
  return { registry, metrics: createMetrics(registry, { processMetrics: false }), logger: pino({ level: 'silent' }), clock, board: new SliBoard() };
}

export const noopTracer = trace.getTracer('test');

/** Value of one series from the registry text, or undefined when absent. */
export async function seriesValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const text = await registry.metrics();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (.+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got: Record<string, string> = {};
    for (const part of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) got[part[1]!] = part[2]!;
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[4]);
  }
  return undefined;
}
