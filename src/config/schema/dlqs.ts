import { z } from 'zod';
import { duration, name, text } from './common.js';
import { MAX_TIMER_SECONDS } from '../duration.js';

/** A dead-letter queue: Kafka topics (by name or pattern) or a SQL table of a configured store. */
export const kafkaDlqSchema = z
  .strictObject({
    kind: z.literal('kafka'),
    name: name(),
    cluster: text().min(1),
    topics: z.array(text().min(1)).default([]),
    pattern: text().optional().meta({ description: 'Glob such as *.DLT or *-dlq' }),
    reprocessGroup: text().optional().meta({ description: 'Group that re-processes the DLQ; depth = high watermark - its committed offset' }),
    headers: z
      .enum(['spring', 'connect', 'auto'])
      .default('auto')
      .meta({ description: 'Header convention: spring (kafka_dlt-*), connect (__connect.errors.*) or auto (try both)' }),
    maxReasons: z.number().int().min(1).max(100).default(10).meta({ description: 'Distinct reason label values; later ones count as other' }),
    maxSources: z.number().int().min(1).max(500).default(50).meta({ description: 'Distinct source label values; later ones count as other' }),
    readerGroup: text().min(1).optional().meta({ description: 'Consumer group the monitor reads the DLQ with (never commits); default cqrs-slo-dlq.<name>' }),
    interval: duration({ min: 1, max: MAX_TIMER_SECONDS }).default(30),
  })
  .refine((d) => d.topics.length > 0 || d.pattern !== undefined, { message: 'needs topics or a pattern', path: ['topics'] });

export const dlqSchema = z.discriminatedUnion('kind', [
  kafkaDlqSchema,
  z.strictObject({
    kind: z.literal('sql'),
    name: name(),
    store: text().min(1).meta({ description: 'Name of a configured store' }),
    interval: duration({ min: 1, max: MAX_TIMER_SECONDS }).default(30),
  }),
]);

export type DlqConfig = z.output<typeof dlqSchema>;
export type KafkaDlqConfig = z.output<typeof kafkaDlqSchema>;
