import { Registry, type Gauge } from 'prom-client';
import { TableGauge } from './table-gauge.js';

/**
 * The service's registry: prom-client's, plus TableGauges rendered by themselves (prom-client
 * would format their 10^5 series label by label on every scrape). Output is the Prometheus
 * text format, the same bytes prom-client writes for the same series.
 */
export class MetricsRegistry extends Registry {
  /** Registers a TableGauge (prom-client's registry keeps it by name like its own metrics). */
  registerTable(gauge: TableGauge): void {
    this.registerMetric(gauge as unknown as Gauge<string>);
  }

  override async metrics(): Promise<string> {
    let out = '';
    for await (const chunk of this.stream()) out += chunk;
    return out;
  }

  /**
   * The exposition text in pieces (one per prom-client metric, bounded pieces of each
   * TableGauge): what /metrics writes to the socket as it goes.
   */
  async *stream(): AsyncGenerator<string> {
    let first = true;
    for (const m of this.getMetricsAsArray()) {
      const sep = first ? '' : '\n\n';
      first = false;
      if ((m as unknown) instanceof TableGauge) {
        let head = true;
        for (const chunk of (m as unknown as TableGauge).chunks()) {
          yield head ? sep + chunk : chunk;
          head = false;
        }
      } else yield sep + (await this.getSingleMetricAsString(m.name));
    }
    yield '\n';
  }
}
