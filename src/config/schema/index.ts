import { z } from 'zod';
import { clusterSchema } from './kafka.js';
import { MYSQL_PRESETS, storeDialect, storeSchema } from './stores.js';
import { streamEntrySchema } from './streams.js';
import { dlqSchema } from './dlqs.js';
import { rabbitmqSchema } from './rabbitmq.js';
import { sloSchema } from './slos.js';
import { probeSchema } from './probes.js';
import { serverSchema } from './server.js';
import { telemetrySchema } from './telemetry.js';
import { prometheusSchema } from './prometheus.js';
import { runtimeSchema } from './runtime.js';
import { alertingConfigSchema } from './alerting.js';
import { reportsSchema } from './reports.js';
import { allMetricDefs } from '../../metrics/catalog.js';
import { passes } from './common.js';

/** The whole configuration file. */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    clusters: z.array(clusterSchema).default([]),
    stores: z.array(storeSchema).default([]),
    streams: z.array(streamEntrySchema).default([]),
    rabbitmq: z.array(rabbitmqSchema).default([]).meta({ description: 'RabbitMQ brokers read through the management API (docs/rabbitmq.md)' }),
    dlqs: z.array(dlqSchema).default([]),
    probes: z
      .array(probeSchema)
      .default([])
      .meta({ description: 'Read-after-write probes: a command, then a query polled until the change shows (docs/probes.md)' }),
    slos: z.array(sloSchema).default([]),
    server: serverSchema,
    telemetry: telemetrySchema,
    runtime: runtimeSchema,
    alerting: alertingConfigSchema.meta({
      description: 'Generated rules: the scrape interval they are evaluated at, absolute link bases, SLI-absent and coverage alerts (docs/alerting.md)',
    }),
    prometheus: prometheusSchema
      .optional()
      .meta({ description: 'The Prometheus that scrapes this service; the executive page (/slo) reads the SLO recording rules from it' }),
    reports: reportsSchema
      .optional()
      .meta({ description: 'Scheduled SLO reports: HTML, Markdown and JSON files and a Slack-compatible webhook (docs/reports.md)' }),
    demo: z
      .strictObject({ enabled: z.boolean().default(false) })
      .optional()
      .meta({ description: 'Run the embedded demo CQRS system in-process and watch it' }),
  })
  .superRefine((cfg, ctx) => {
    // Cross references: names must be unique and references must resolve.
    const unique = (items: { name: string }[], key: string) => {
      const seen = new Set<string>();
      items.forEach((it, i) => {
        if (seen.has(it.name)) ctx.addIssue({ code: 'custom', path: [key, i, 'name'], message: `duplicate name ${JSON.stringify(it.name)}` });
        seen.add(it.name);
      });
    };
    unique(cfg.clusters, 'clusters');
    unique(cfg.stores, 'stores');
    unique(cfg.streams, 'streams');
    unique(cfg.dlqs, 'dlqs');
    unique(cfg.rabbitmq, 'rabbitmq');
    unique(cfg.slos, 'slos');
    unique(cfg.probes, 'probes');
    cfg.probes.forEach((p, i) => {
      if (p.store === undefined) return;
      const store = cfg.stores.find((st) => st.name === p.store);
      if (!store) ctx.addIssue({ code: 'custom', path: ['probes', i, 'store'], message: `no store named ${JSON.stringify(p.store)}` });
      else if (storeDialect(store.connection) === 'mysql' || store.connection.pglite !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['probes', i, 'store'],
          message: `store ${JSON.stringify(p.store)} is not a PostgreSQL server: sql probe steps run on PostgreSQL only`,
        });
      }
    });
    const clusters = new Set(cfg.clusters.map((c) => c.name));
    const stores = new Set(cfg.stores.map((s) => s.name));
    cfg.streams.forEach((s, i) => {
      if (s.kind !== 'sql') {
        if (!clusters.has(s.cluster))
          ctx.addIssue({ code: 'custom', path: ['streams', i, 'cluster'], message: `no cluster named ${JSON.stringify(s.cluster)}` });
        return;
      }
      const store = cfg.stores.find((st) => st.name === s.store);
      if (!store) ctx.addIssue({ code: 'custom', path: ['streams', i, 'store'], message: `no store named ${JSON.stringify(s.store)}` });
      else if (storeDialect(store.connection) === 'mysql') {
        // The events-table tail is written for PostgreSQL (its queries and safe-position rule).
        ctx.addIssue({
          code: 'custom',
          path: ['streams', i, 'store'],
          message: `store ${JSON.stringify(s.store)} is a mysql store: SQL streams read PostgreSQL stores only`,
        });
      } else if (store.preset === 'generic' && !s.query && !s.outbox) {
        ctx.addIssue({
          code: 'custom',
          path: ['streams', i, 'query'],
          message: `is required (or outbox): store ${JSON.stringify(s.store)} has preset generic, which has no events table layout`,
        });
      }
    });
    cfg.dlqs.forEach((d, i) => {
      if (d.kind === 'kafka' && !clusters.has(d.cluster))
        ctx.addIssue({ code: 'custom', path: ['dlqs', i, 'cluster'], message: `no cluster named ${JSON.stringify(d.cluster)}` });
      if (d.kind === 'sql' && !stores.has(d.store))
        ctx.addIssue({ code: 'custom', path: ['dlqs', i, 'store'], message: `no store named ${JSON.stringify(d.store)}` });
      else if (d.kind === 'sql' && !cfg.stores.find((s) => s.name === d.store)?.deadLetters) {
        ctx.addIssue({
          code: 'custom',
          path: ['dlqs', i, 'store'],
          message: `store ${JSON.stringify(d.store)} has no deadLetters table configured (stores[].deadLetters)`,
        });
      }
    });
    cfg.stores.forEach((s, i) => {
      if (s.preset === 'generic' && !s.generic)
        ctx.addIssue({ code: 'custom', path: ['stores', i, 'generic'], message: 'is required when preset is "generic"' });
      const c = s.connection;
      if (!c.connectionString && !c.host && !c.pglite)
        ctx.addIssue({ code: 'custom', path: ['stores', i, 'connection'], message: 'needs connectionString, host or pglite' });
      if (storeDialect(c) === 'mysql') {
        if (!MYSQL_PRESETS.includes(s.preset))
          ctx.addIssue({
            code: 'custom',
            path: ['stores', i, 'preset'],
            message: `${s.preset} keeps its tables in PostgreSQL only; on mysql use ${MYSQL_PRESETS.join(' or ')}`,
          });
        const dl = s.deadLetters;
        if (dl?.preset === 'marten')
          ctx.addIssue({ code: 'custom', path: ['stores', i, 'deadLetters', 'preset'], message: 'marten dead letters are PostgreSQL only' });
        if (dl && !dl.preset && !dl.idColumn)
          ctx.addIssue({
            code: 'custom',
            path: ['stores', i, 'deadLetters', 'idColumn'],
            message: 'is required on mysql (there is no ctid): name the primary key',
          });
      }
    });
    if (cfg.reports && !cfg.reports.prometheus && !cfg.prometheus) {
      ctx.addIssue({
        code: 'custom',
        path: ['reports', 'prometheus'],
        message: 'is required when there is no top-level prometheus section: reports read the SLO recording rules from Prometheus',
      });
    }
    cfg.slos.forEach((slo, i) => {
      const sli = slo.sli;
      if ((sli.kind !== 'freshness' && sli.kind !== 'delivery') || sli.broker === undefined) return;
      const broker = cfg.rabbitmq.find((r) => r.name === sli.broker);
      if (!broker) {
        ctx.addIssue({ code: 'custom', path: ['slos', i, 'sli', 'broker'], message: `no rabbitmq broker named ${JSON.stringify(sli.broker)}` });
        return;
      }
      // Without shadow queues no dead letter is counted: every message would look delivered.
      if (sli.kind === 'delivery' && !broker.deadLetters.inflow)
        ctx.addIssue({
          code: 'custom',
          path: ['slos', i, 'sli', 'broker'],
          message: `rabbitmq broker ${JSON.stringify(sli.broker)} needs deadLetters.inflow: true (dead letters are counted through shadow queues)`,
        });
      if (sli.kind === 'delivery' && sli.queue !== undefined && !passes(broker.queues, sli.queue))
        ctx.addIssue({
          code: 'custom',
          path: ['slos', i, 'sli', 'queue'],
          message: `queue ${JSON.stringify(sli.queue)} is not watched by rabbitmq broker ${JSON.stringify(sli.broker)} (its queues filter)`,
        });
    });
    // A latency SLO over one of our own histograms reads the bucket `le = threshold`: a
    // threshold between bounds would select no series and burn the whole budget.
    cfg.slos.forEach((slo, i) => {
      const sli = slo.sli;
      if (sli.kind !== 'latency') return;
      const def = allMetricDefs().find((d) => d.type === 'histogram' && d.name === sli.histogram);
      const threshold = sli.threshold;
      if (def?.buckets && !def.buckets.includes(threshold)) {
        ctx.addIssue({
          code: 'custom',
          path: ['slos', i, 'sli', 'threshold'],
          message: `must equal a bucket bound of ${def.name} (${def.buckets.join(', ')} s), got ${threshold} s`,
        });
      }
    });
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
