import { depthOf, type QueueSample } from './queue-sample.js';

/** Queue status (docs/rabbitmq.md), in the spirit of the Kafka group status. */
export const QUEUE_STATUSES = ['OK', 'LAGGING', 'STALLED', 'STOPPED', 'ERROR'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export interface QueueStatusOptions {
  /**
   * STALLED needs this many consecutive samples with messages waiting, consumers attached and
   * neither deliveries nor acks moving: 3 samples = two full intervals in which the consumers
   * could have done something.
   */
  readonly stallSamples: number;
  /** LAGGING needs this many consecutive samples of non-decreasing, overall growing depth. */
  readonly trendSamples: number;
}

export const DEFAULT_QUEUE_STATUS_OPTIONS: QueueStatusOptions = { stallSamples: 3, trendSamples: 3 };

/**
 * The samples that can be compared with the newest one: a counter that went down means the
 * broker restarted (counters from 0 again), so only the samples since then count.
 */
function comparable(window: readonly QueueSample[]): readonly QueueSample[] {
  for (let i = window.length - 1; i > 0; i--) {
    const a = window[i - 1]!;
    const b = window[i]!;
    if (b.delivered < a.delivered || b.acked < a.acked) return window.slice(i);
  }
  return window;
}

/**
 * Status of a queue from its recent samples, oldest first (the newest is "now"):
 * 1. STOPPED: messages wait (ready + unacked > 0) and no consumer is attached.
 * 2. STALLED: over the last `stallSamples` samples, messages waited and consumers were attached
 *    in every one, and neither `deliver_get` nor `ack` moved from the first to the last.
 * 3. LAGGING: over the last `trendSamples` samples, depth never went down and grew overall,
 *    while deliveries moved (consumers work, but slower than producers).
 * 4. OK otherwise (including an empty queue without consumers: nothing is waiting).
 * An empty window (no reading) is ERROR.
 */
export function queueStatus(window: readonly QueueSample[], opts: QueueStatusOptions = DEFAULT_QUEUE_STATUS_OPTIONS): QueueStatus {
  const last = window.at(-1);
  if (!last) return 'ERROR';
  if (depthOf(last) > 0 && last.consumers === 0) return 'STOPPED';
  const w = comparable(window);

  if (w.length >= opts.stallSamples) {
    const span = w.slice(-opts.stallSamples);
    const first = span[0]!;
    const waiting = span.every((s) => depthOf(s) > 0 && s.consumers > 0);
    if (waiting && last.delivered === first.delivered && last.acked === first.acked) return 'STALLED';
  }

  if (w.length >= opts.trendSamples) {
    const span = w.slice(-opts.trendSamples);
    const first = span[0]!;
    let monotone = true;
    for (let i = 1; i < span.length; i++) if (depthOf(span[i]!) < depthOf(span[i - 1]!)) monotone = false;
    if (monotone && depthOf(last) > depthOf(first) && last.delivered > first.delivered) return 'LAGGING';
  }
  return 'OK';
}
