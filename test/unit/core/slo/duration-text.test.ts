import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../../src/config/duration.js';
import { durationText } from '../../../../src/core/slo/duration-text.js';

describe('durationText', () => {
  it('writes the largest units first, without weeks unless asked', () => {
    expect(durationText(90)).toBe('1m30s');
    expect(durationText(2_592_000)).toBe('30d');
    expect(durationText(2_592_000, { weeks: true })).toBe('4w2d');
    expect(durationText(3_661.5)).toBe('1h1m1s500ms');
  });

  it('says 0s for zero and for less than half a millisecond', () => {
    expect(durationText(0)).toBe('0s');
    expect(durationText(0.0004)).toBe('0s');
    expect(formatDuration(0.0004)).toBe('0s');
  });

  it('formatDuration uses weeks and parses back to the same seconds', () => {
    for (const s of [0.5, 1, 59, 90, 3600, 86_400, 604_800, 1_209_600 + 3661]) {
      expect(parseDuration(formatDuration(s))).toBe(s);
    }
    expect(formatDuration(1_209_600)).toBe('2w');
  });
});
