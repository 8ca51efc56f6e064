import { z } from 'zod';
import { duration, name } from './common.js';

/** An outbox (or any events) table given by its columns: the query is built from them. */
export const outboxSchema = z.strictObject({
  table: z.string().min(1).meta({ description: 'Table (schema.table or table), used as written' }),
  position: z.string().min(1).meta({ description: 'Column (or SQL expression) of the global position: unique, increasing, indexed' }),
  eventId: z.string().min(1).meta({ description: 'Column of the event id (the dedupe key)' }),
  aggregateId: z.string().min(1).optional().meta({ description: 'Column of the aggregate id: enables gap/order tracking (with version)' }),
  version: z.string().min(1).optional().meta({ description: 'Column of the aggregate version' }),
  occurredAt: z.string().min(1).optional().meta({ description: 'timestamptz column: when the event happened (publish delay, with recordedAt)' }),
  recordedAt: z.string().min(1).optional().meta({ description: 'timestamptz column: when the row was written' }),
  where: z.string().min(1).optional().meta({ description: 'Extra SQL condition on rows' }),
});

/** A stream whose events are rows of a SQL store's events table, tailed by global position. */
export const sqlStreamSchema = z
  .strictObject({
    kind: z.literal('sql'),
    name: name(),
    store: z.string().min(1).meta({ description: 'Name of a configured store: its connection, and its preset unless query or outbox is given' }),
    query: z.string().min(1).optional().meta({
      description:
        'SQL returning position, event_id, aggregate_id, version, occurred_at, recorded_at for rows with position > $1 ORDER BY position LIMIT $2 (generic stores; columns may be NULL except position)',
    }),
    outbox: outboxSchema.optional().meta({ description: 'An outbox/events table given by its columns (instead of the preset or query)' }),
    startFrom: z.enum(['end', 'beginning']).default('end').meta({
      description:
        'Where the tail starts when the process starts: end (default; rows written after start) or beginning. The position is kept in memory only (docs/streams.md)',
    }),
    batchSize: z.number().int().min(1).max(100_000).default(5000).meta({ description: 'Rows read per query' }),
    maxRowsPerCycle: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .default(50_000)
      .meta({ description: 'Rows read per cycle at most; a larger backlog is drained over several cycles' }),
    settle: duration().default(5).meta({
      description:
        'A missing position below rows already visible is waited for this long (monitor clock) before it is given up as a gap: sequences can commit out of order',
    }),
    interval: duration({ min: 1 }).optional().meta({ description: 'Seconds between cycles; default the store interval' }),
    dedupe: z
      .strictObject({
        maxIds: z.number().int().min(1000).max(100_000_000).default(1_000_000),
        window: duration().default(3600),
      })
      .default({ maxIds: 1_000_000, window: 3600 }),
    maxAggregates: z.number().int().min(100).default(100_000),
  })
  .refine((s) => !(s.query && s.outbox), { message: 'give query or outbox, not both', path: ['outbox'] });

export type SqlStreamConfig = z.output<typeof sqlStreamSchema>;
export type OutboxConfig = z.output<typeof outboxSchema>;
