import type { SliConfig } from '../../config/schema/slos.js';
import { sloMetrics } from '../../metrics/defs/slo.js';
import { quote, windowed } from './promql.js';

/** PromQL of an SLI for a given range: its error ratio and its event rate (for the low-traffic guard). */
export interface SliQuery {
  /** Error ratio over the window: bad / total; NaN without traffic. */
  errorRatio(window: string): string;
  /** Events per second over the window. */
  totalRate(window: string): string;
}

/** Good/total counters the service exports for the kinds it measures itself. */
function measured(slo: string): SliQuery {
  const sel = `{slo=${quote(slo)}}`;
  const total = (w: string) => `sum(rate(${sloMetrics.total.name}${sel}[${w}]))`;
  const good = (w: string) => `sum(rate(${sloMetrics.good.name}${sel}[${w}]))`;
  return {
    errorRatio: (w) => `1 - (${good(w)} / ${total(w)})`,
    totalRate: total,
  };
}

/** Builds the SLI query of an SLO from its config. */
export function sliQuery(slo: string, sli: SliConfig): SliQuery {
  switch (sli.kind) {
    case 'freshness':
    case 'apply_latency':
    case 'duplicates':
    case 'completeness':
    case 'delivery':
    case 'read_after_write':
      return measured(slo);
    case 'ratio': {
      const total = (w: string) => windowed(sli.total, w);
      if (sli.bad !== undefined) {
        const bad = sli.bad;
        return { errorRatio: (w) => `(${windowed(bad, w)}) / (${total(w)})`, totalRate: total };
      }
      const good = sli.good!;
      return { errorRatio: (w) => `1 - ((${windowed(good, w)}) / (${total(w)}))`, totalRate: total };
    }
    case 'latency': {
      const sel = sli.selector.trim();
      const sep = sel ? `${sel},` : '';
      const total = (w: string) => `sum(rate(${sli.histogram}_count${sel ? `{${sel}}` : ''}[${w}]))`;
      const good = (w: string) => `sum(rate(${sli.histogram}_bucket{${sep}le=${quote(String(sli.threshold))}}[${w}]))`;
      return { errorRatio: (w) => `1 - (${good(w)} / ${total(w)})`, totalRate: total };
    }
    case 'error_ratio': {
      const query = sli.query;
      return {
        errorRatio: (w) => windowed(query, w),
        // The schema refuses minEvents with this kind: a bare ratio has no event rate.
        totalRate: () => {
          throw new Error(`SLO ${slo}: sli.kind error_ratio has no event rate (minEvents is not supported)`);
        },
      };
    }
  }
}
