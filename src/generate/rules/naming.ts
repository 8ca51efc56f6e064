import type { SloModel } from '../model/slo-model.js';
import { quote } from '../model/promql.js';

/**
 * How recorded series are named and labelled. `native` is ours (`cqrs_slo:*{slo}`);
 * `sloth` reproduces Sloth's names and labels (`slo:*{sloth_id,sloth_service,sloth_slo}`) so the
 * Sloth Grafana dashboards (grafana.com ids 14348 and 14643) work unchanged.
 */
export interface Naming {
  readonly mode: 'native' | 'sloth';
  /** Recorded metric name for a base such as `sli_error:ratio_rate5m`. */
  record(base: string): string;
  /** Labels identifying the SLO on recorded series. */
  idLabels(slo: SloModel): Record<string, string>;
  /** Extra labels of a windowed recording (Sloth adds sloth_window). */
  windowLabels(window: string): Record<string, string>;
  /** Selector matching the SLO's recorded series. */
  selector(slo: SloModel): string;
}

function selectorOf(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(', ')}}`;
}

export const nativeNaming: Naming = {
  mode: 'native',
  record: (base) => `cqrs_slo:${base}`,
  idLabels: (slo) => ({ slo: slo.name }),
  windowLabels: () => ({}),
  selector: (slo) => selectorOf({ slo: slo.name }),
};

/** Sloth's id is `<service>-<slo>`. */
const slothIds = (slo: SloModel) => ({ sloth_id: `${slo.service}-${slo.name}`, sloth_service: slo.service, sloth_slo: slo.name });

export const slothNaming: Naming = {
  mode: 'sloth',
  record: (base) => `slo:${base}`,
  idLabels: (slo) => ({ ...slothIds(slo), slo: slo.name, owner: slo.owner }),
  windowLabels: (window) => ({ sloth_window: window }),
  selector: (slo) => selectorOf(slothIds(slo)),
};
