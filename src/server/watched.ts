import type { Config } from '../config/schema/index.js';

// Apart from the landing page so that `run` does not load the page's code before its first request.

/** One thing the service watches, with the scheduler source that reads it. */
export interface WatchedItem {
  readonly kind: 'kafka' | 'store' | 'stream' | 'dlq';
  readonly name: string;
  /** Scheduler name of the source that reads it (`store:demo`). */
  readonly source: string;
  /** How it is read when not by a source of its own (`read with store demo`). */
  readonly via?: string | undefined;
}

/** Pure: what a configuration watches, by kind, in the order of the page. */
export function watchedInventory(config: Pick<Config, 'clusters' | 'stores' | 'streams' | 'dlqs'>): WatchedItem[] {
  return [
    ...config.clusters.map((c) => ({ kind: 'kafka' as const, name: c.name, source: `kafka:${c.name}` })),
    ...config.stores.map((s) => ({ kind: 'store' as const, name: s.name, source: `store:${s.name}` })),
    ...config.streams.map((s) => ({ kind: 'stream' as const, name: s.name, source: `stream:${s.name}` })),
    ...config.dlqs.map((d) =>
      d.kind === 'sql'
        ? { kind: 'dlq' as const, name: d.name, source: `store:${d.store}`, via: `table of store ${d.store}` }
        : { kind: 'dlq' as const, name: d.name, source: `dlq:${d.name}`, via: `topics on cluster ${d.cluster}` },
    ),
  ];
}
