import { z } from 'zod';
import { duration, name, text } from './common.js';
import { MAX_TIMER_SECONDS } from '../duration.js';
import { sqlStreamSchema, type SqlStreamConfig } from './sql-streams.js';

/** Where a field of an event is found: a record header or a JSON path into the value. */
export const fieldRefSchema = z.union([
  z.strictObject({ header: text().min(1) }),
  z.strictObject({ jsonPath: z.string().regex(/^\$(\.[A-Za-z0-9_]+|\[\d+\])*$/, { message: 'must be a simple JSON path like $.meta.id' }) }),
  z.strictObject({ key: z.literal(true) }),
]);

/** A stream of events on Kafka topics, tailed by the monitor's own consumer group. */
export const streamSchema = z.strictObject({
  kind: z.literal('kafka').optional().meta({ description: 'kafka (may be left out): tail Kafka topics. A stream read from a SQL store has kind: sql' }),
  name: name(),
  cluster: text().min(1).meta({ description: 'Name of a configured cluster' }),
  topics: z.array(text().min(1)).min(1),
  groupId: text()
    .min(1)
    .optional()
    .meta({ description: 'Consumer group of the tail; default cqrs-slo-tail.<name>. Monitor replicas sharing it share the partitions.' }),
  startFrom: z
    .union([z.enum(['end', 'beginning']), z.iso.datetime({ offset: true })])
    .default('end')
    .meta({ description: 'Where a new tail group starts: end (default), beginning, or an ISO time. A group that has committed resumes where it stopped.' }),
  interval: duration({ min: 1, max: MAX_TIMER_SECONDS })
    .optional()
    .meta({ description: 'Seconds between cycles (gauges, SLI board, health); default the cluster interval. Counters move with every batch.' }),
  eventId: fieldRefSchema,
  aggregateId: fieldRefSchema.optional(),
  version: fieldRefSchema.optional(),
  occurredAt: fieldRefSchema.optional(),
  dedupe: z
    .strictObject({
      maxIds: z.number().int().min(1000).max(100_000_000).default(1_000_000),
      window: duration().default(3600),
    })
    .default({ maxIds: 1_000_000, window: 3600 }),
  maxAggregates: z.number().int().min(100).default(100_000),
  maxMessageBytes: z.number().int().min(1024).default(1_048_576),
  jsonCheck: z.enum(['document', 'fields']).default('document').meta({
    description:
      'How much of a JSON value is checked: document (default) reads every byte, so non_json means JSON.parse would refuse it; fields stops once every JSON-path field is found, so the cost no longer grows with the payload, and a value broken after its fields counts as an event.',
  }),
});

export type StreamConfig = z.output<typeof streamSchema>;

/** Any `streams[]` entry: Kafka topics (no `kind`, or `kind: kafka`) or a SQL store's events table (`kind: sql`). */
export const streamEntrySchema = z.discriminatedUnion('kind', [streamSchema, sqlStreamSchema]);

export type StreamEntryConfig = z.output<typeof streamEntrySchema>;
export type { SqlStreamConfig };
