import { describe, expect, it } from 'vitest';
import { queueStatus } from '../../../../src/core/rabbitmq/status.js';
import type { QueueSample } from '../../../../src/core/rabbitmq/queue-sample.js';

/** Samples 15 s apart from [ready, unacked, consumers, delivered, acked] rows. */
const w = (...rows: [number, number, number, number, number][]): QueueSample[] =>
  rows.map(([ready, unacked, consumers, delivered, acked], i) => ({ at: i * 15_000, ready, unacked, consumers, delivered, acked }));

describe('queueStatus', () => {
  it('no reading is ERROR', () => {
    expect(queueStatus([])).toBe('ERROR');
  });

  it('messages waiting without a consumer is STOPPED at once', () => {
    expect(queueStatus(w([5, 0, 0, 0, 0]))).toBe('STOPPED');
  });

  it('an empty queue without consumers is OK (nothing waits)', () => {
    expect(queueStatus(w([0, 0, 0, 10, 10], [0, 0, 0, 10, 10], [0, 0, 0, 10, 10]))).toBe('OK');
  });

  it('a consumer that prefetched and never acks is STALLED after 3 unmoved samples', () => {
    // prefetch 2 of 5: delivered 2 at the first sample, nothing moves afterwards.
    const rows: [number, number, number, number, number][] = [
      [3, 2, 1, 2, 0],
      [3, 2, 1, 2, 0],
      [3, 2, 1, 2, 0],
    ];
    expect(queueStatus(w(...rows.slice(0, 2)))).toBe('OK'); // two samples: one interval only
    expect(queueStatus(w(...rows))).toBe('STALLED');
  });

  it('acks moving (deliveries unchanged) is not STALLED', () => {
    expect(queueStatus(w([3, 2, 1, 2, 0], [3, 2, 1, 2, 1], [3, 1, 1, 2, 1]))).toBe('OK');
  });

  it('depth growing while deliveries move is LAGGING; growth without deliveries is not', () => {
    expect(queueStatus(w([10, 1, 1, 100, 99], [20, 1, 1, 110, 109], [30, 1, 1, 120, 119]))).toBe('LAGGING');
    // a dip in between breaks the trend
    expect(queueStatus(w([10, 1, 1, 100, 99], [5, 1, 1, 110, 109], [30, 1, 1, 120, 119]))).toBe('OK');
    // flat depth is keeping up
    expect(queueStatus(w([10, 1, 1, 100, 99], [10, 1, 1, 110, 109], [10, 1, 1, 120, 119]))).toBe('OK');
  });

  it('a broker restart (counters down) restarts the window: no STALLED from counters of two lives', () => {
    // before the restart deliveries were 50; after it counts from 0 and stays at 0 for two samples
    expect(queueStatus(w([3, 2, 1, 50, 40], [3, 2, 1, 0, 0], [3, 2, 1, 0, 0]))).toBe('OK');
    expect(queueStatus(w([3, 2, 1, 50, 40], [3, 2, 1, 0, 0], [3, 2, 1, 0, 0], [3, 2, 1, 0, 0]))).toBe('STALLED');
  });

  it('honours the options', () => {
    expect(queueStatus(w([3, 2, 1, 2, 0], [3, 2, 1, 2, 0]), { stallSamples: 2, trendSamples: 3 })).toBe('STALLED');
  });
});
