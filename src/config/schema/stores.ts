import { z } from 'zod';
import { duration, filter, name, secretRef, text } from './common.js';
import { MAX_TIMER_SECONDS } from '../duration.js';


export const connectionSchema = z.strictObject({
  connectionString: secretRef().optional().meta({ description: 'postgres:// URL, by reference (it usually holds a password)' }),
  host: text().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  database: text().optional(),
  user: text().optional(),
  password: secretRef().optional(),
  ssl: z.boolean().optional(),
  pglite: text().optional().meta({ description: 'Use an embedded PGlite database at this directory ("memory://" for in-memory); for demos and tests' }),
});

export const genericSqlSchema = z.strictObject({
  projections: text({ multiline: true }).optional().meta({ description: 'SQL returning one column "projection" listing the projections (discovery)' }),
  head: text({ multiline: true }).min(1).meta({ description: 'SQL returning columns position, timestamp of the newest event; $1 = projection' }),
  checkpoint: text({ multiline: true }).min(1).meta({ description: 'SQL returning columns position (and optionally updated_at); $1 = projection' }),
  eventTime: text({ multiline: true }).min(1).meta({ description: 'SQL returning column timestamp of the first event after position $1; $2 = projection' }),
  eventTimes: text({ multiline: true }).optional().meta({ description: 'SQL returning columns position, timestamp of events in ($1, $2], limited to $3 rows; for apply latency' }),
});

export const deadLetterTableSchema = z
  .strictObject({
    name: name().optional().meta({ description: 'Value of the `dlq` label; defaults to the name of a `dlqs` entry of kind sql for this store, else the store name' }),
    table: text().min(1).optional().meta({ description: 'Dead-letter table (schema.table or table); with preset, overrides its table' }),
    preset: z.enum(['marten', 'axon']).optional().meta({ description: "Use the framework's dead-letter table: marten = mt_doc_deadletterevent, axon = dead_letter_entry" }),
    idColumn: text({ multiline: true }).optional().meta({ description: 'SQL expression identifying a row (to count inflow once); default ctid' }),
    sourceColumn: text({ multiline: true }).optional().meta({ description: 'SQL expression for the `source` label (e.g. the projection)' }),
    reasonColumn: text({ multiline: true }).optional().meta({ description: 'SQL expression for the `reason` label (e.g. the exception type)' }),
    timeColumn: text().optional().meta({ description: 'timestamptz column: when the row was dead-lettered (required without preset)' }),
    resolvedCondition: text({ multiline: true }).optional().meta({ description: 'SQL condition true for rows already handled' }),
    maxReasons: z.number().int().min(1).max(100).default(10).meta({ description: 'Distinct reason (and source) label values kept; the rest count as "other"' }),
  })
  .refine((d) => d.preset !== undefined || (d.table !== undefined && d.timeColumn !== undefined), {
    message: 'needs preset, or table and timeColumn',
  });

/** A SQL store holding events and projection checkpoints. */
export const storeSchema = z.strictObject({
  name: name(),
  connection: connectionSchema,
  preset: z.enum(['marten', 'eventuous', 'emmett', 'axon', 'generic']),
  schema: text().optional().meta({ description: 'Database schema of the preset tables (preset default otherwise)' }),
  interval: duration({ min: 1, max: MAX_TIMER_SECONDS }).default(15),
  timeout: duration({ min: 1, max: MAX_TIMER_SECONDS }).optional(),
  statementTimeout: duration({ max: MAX_TIMER_SECONDS }).default(5),
  poolSize: z.number().int().min(1).max(20).default(2),
  projections: filter().meta({ description: 'Discovered projections to keep' }),
  projectionList: z.array(text().min(1)).optional().meta({ description: 'Explicit projections (no discovery)' }),
  generic: genericSqlSchema.optional(),
  deadLetters: deadLetterTableSchema.optional(),
  stallAfter: duration().default(120).meta({ description: 'Lag > 0 and no checkpoint movement for this long -> STALLED' }),
  statusWindow: duration().default(300).meta({ description: 'Window over which growing lag means LAGGING' }),
  maxProjections: z.number().int().min(1).max(10_000).default(500).meta({ description: 'Projections exported per store at most (cardinality bound); the rest are counted in cqrs_series_dropped_total' }),
  latencySamples: z.number().int().min(1).max(10_000).default(500).meta({ description: 'Max event timestamps read per cycle for the apply-latency histogram' }),
});

export type StoreConfig = z.output<typeof storeSchema>;
