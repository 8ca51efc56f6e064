import { describe, expect, it } from 'vitest';
import { ProducedDeltas } from '../../../../src/sources/dlq/produced-deltas.js';
import { kafkaDlqSchema } from '../../../../src/config/schema/dlqs.js';

describe('ProducedDeltas', () => {
  it('baselines first, then counts increments, and re-baselines on a drop', () => {
    const p = new ProducedDeltas();
    expect(p.update('orders', 500)).toBe(0);
    expect(p.update('orders', 530)).toBe(30);
    expect(p.update('orders', 530)).toBe(0);
    expect(p.update('orders', 10)).toBe(0); // topic re-created
    expect(p.update('orders', 15)).toBe(5);
  });
});

describe('kafka DLQ config', () => {
  it('applies defaults and needs topics or a pattern', () => {
    const d = kafkaDlqSchema.parse({ kind: 'kafka', name: 'dlt', cluster: 'main', pattern: '*.DLT' });
    expect(d).toMatchObject({ headers: 'auto', maxReasons: 10, maxSources: 50, interval: 30, topics: [] });
    const bad = kafkaDlqSchema.safeParse({ kind: 'kafka', name: 'dlt', cluster: 'main' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['topics'], message: 'needs topics or a pattern' });
  });
});
