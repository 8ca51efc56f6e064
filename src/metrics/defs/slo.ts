import type { MetricGroup } from '../metric-def.js';

/** SLO counters: every SLO, whatever its kind, burns the same way in Prometheus. */
export const sloMetrics = {
  good: { name: 'cqrs_slo_good_total', help: 'Good events (or good evaluation ticks) of the SLO.', type: 'counter', labelNames: ['slo'] },
  total: { name: 'cqrs_slo_total', help: 'All events (or evaluation ticks) of the SLO.', type: 'counter', labelNames: ['slo'] },
  unknown: {
    name: 'cqrs_slo_unknown_total',
    help: 'Evaluation ticks of the SLO left out of good/total because they could not be judged (reason: unreadable = source not readable or target not seen after the startup grace; rebuilding = target projection rebuilding). Data coverage = total / (total + unknown).',
    type: 'counter',
    labelNames: ['slo', 'reason'],
  },
  info: {
    name: 'cqrs_slo_info',
    help: 'Always 1; labels describe the SLO.',
    type: 'gauge',
    labelNames: ['slo', 'objective', 'window', 'owner', 'tier', 'kind'],
  },
} as const satisfies MetricGroup;
