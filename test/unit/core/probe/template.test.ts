import { describe, expect, test } from 'vitest';
import { fill, probeId, unknownPlaceholders } from '../../../../src/core/probe/template.js';

describe('templates', () => {
  test('fill replaces every {{probeId}}, spaces allowed', () => {
    expect(fill('/orders/{{probeId}}?x={{ probeId }}', 'p-1')).toBe('/orders/p-1?x=p-1');
    expect(fill('no placeholder', 'p-1')).toBe('no placeholder');
  });

  test('other placeholders are reported', () => {
    expect(unknownPlaceholders('{{probeId}} {{ probeId }}')).toEqual([]);
    expect(unknownPlaceholders('{{probeID}} {{.window}}')).toEqual(['{{probeID}}', '{{.window}}']);
  });

  test('probe ids: prefix, slug of the name, base36 time, 6 random base36 digits', () => {
    // 1 700 000 000 000 ms = "loyw3v28" in base 36; 0.5 x 36^6 = 1 088 391 168 = "i00000".
    expect(probeId('cqrs-slo-probe', 'Orders.View', 1_700_000_000_000, 0.5)).toBe('cqrs-slo-probe-orders-view-loyw3v28-i00000');
    expect(probeId('p', 'x', 0, 0)).toBe('p-x-0-000000');
  });
});
