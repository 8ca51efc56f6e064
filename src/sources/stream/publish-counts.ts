import { targetKey } from '../../core/sli-board.js';
import type { StreamCounts, StreamProcessor } from '../../core/events/stream-processor.js';
import { UNPARSEABLE_REASONS } from '../../core/events/unparseable.js';
import type { HistogramSeries } from '../../metrics/series-histogram.js';
import type { SourceDeps } from '../deps.js';

/**
 * Adds one batch's counts of a stream to its counters and to the SLI board: the one place
 * where Kafka and SQL streams turn the processor's counts into `cqrs_events_*{stream}` and the
 * `duplicates` / `completeness` SLIs.
 */
export function publishStreamCounts(deps: SourceDeps, source: string, stream: string, delays: HistogramSeries, c: StreamCounts): void {
  const { metrics, board } = deps;
  const m = metrics.events;
  const l = { stream };
  if (c.observed) m.observed.inc(l, c.observed);
  if (c.duplicate) m.duplicate.inc(l, c.duplicate);
  if (c.gap) m.gap.inc(l, c.gap);
  if (c.outOfOrder) m.outOfOrder.inc(l, c.outOfOrder);
  for (const reason of UNPARSEABLE_REASONS) if (c.unparseable[reason]) m.unparseable.inc({ ...l, reason }, c.unparseable[reason]);
  const d = c.publishDelays;
  for (let k = 0; k < d.length; k++) delays.observe(d[k]!);
  if (c.clockSkew) metrics.monitor.clockSkew.inc({ source }, c.clockSkew);
  const target = targetKey.stream(stream);
  if (c.observed) board.addEvents('duplicates', target, c.observed, c.duplicate);
  // Completeness: every versioned event plus every missing version; the missing are bad.
  if (c.versioned || c.gap) board.addEvents('completeness', target, c.versioned + c.gap, c.gap);
}

/** Every event counter of a stream at 0 from the start: rate() and `increase(...) > 0` alerts need a sample before the first event. */
export function initStreamCounters(deps: SourceDeps, stream: string, extra: readonly ('redelivered' | 'positionsSkipped')[] = []): void {
  const m = deps.metrics.events;
  const l = { stream };
  for (const c of [m.observed, m.duplicate, m.gap, m.outOfOrder, m.aggregateEvictions, ...extra.map((k) => m[k])]) c.inc(l, 0);
  for (const reason of UNPARSEABLE_REASONS) m.unparseable.inc({ ...l, reason }, 0);
}

/** Sets the processor's window gauges of a stream (dedupe window fill, bytes and span; aggregates tracked); returns the stats set. */
export function publishProcessorGauges(deps: SourceDeps, stream: string, processor: StreamProcessor): ReturnType<StreamProcessor['stats']> {
  const m = deps.metrics.events;
  const l = { stream };
  const s = processor.stats();
  m.dedupeIds.set(l, s.ids);
  m.dedupeFill.set(l, s.fill);
  m.dedupeBytes.set(l, s.bytes);
  m.dedupeSpan.set(l, s.spanMs / 1000);
  m.aggregates.set(l, s.aggregates);
  return s;
}
