import { z } from 'zod';
import { duration, name } from './common.js';

/** A dead-letter queue: Kafka topics (by name or pattern) or a SQL table of a configured store. */
export const dlqSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('kafka'),
    name: name(),
    cluster: z.string().min(1),
    topics: z.array(z.string().min(1)).default([]),
    pattern: z.string().optional().meta({ description: 'Glob such as *.DLT or *-dlq' }),
    reprocessGroup: z.string().optional().meta({ description: 'Group that re-processes the DLQ; depth = high watermark - its committed offset' }),
    headers: z.enum(['spring', 'connect', 'auto']).default('auto'),
    maxReasons: z.number().int().min(1).max(100).default(10),
    interval: duration({ min: 1 }).default(30),
  }),
  z.strictObject({
    kind: z.literal('sql'),
    name: name(),
    store: z.string().min(1).meta({ description: 'Name of a configured store' }),
    interval: duration({ min: 1 }).default(30),
  }),
]);

export type DlqConfig = z.output<typeof dlqSchema>;
