import { z } from 'zod';
import { duration, name } from './common.js';

const target = z.strictObject({
  store: z.string().optional(),
  projection: z.string().optional(),
  cluster: z.string().optional(),
  group: z.string().optional(),
  stream: z.string().optional(),
  dlq: z.string().optional(),
});

/** The SLI an SLO is built on. */
export const sliSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('freshness'), ...target.shape, threshold: duration() }),
  z.strictObject({ kind: z.literal('apply_latency'), ...target.shape, threshold: duration() }),
  z.strictObject({ kind: z.literal('duplicates'), stream: z.string().min(1) }),
  z.strictObject({ kind: z.literal('completeness'), stream: z.string().min(1) }),
  z.strictObject({ kind: z.literal('delivery'), dlq: z.string().min(1), source: z.string().optional() }),
  z.strictObject({ kind: z.literal('ratio'), good: z.string().min(1).optional(), bad: z.string().min(1).optional(), total: z.string().min(1) }),
  z.strictObject({ kind: z.literal('latency'), histogram: z.string().min(1), threshold: duration(), selector: z.string().default('') }),
]);

export const sloSchema = z.strictObject({
  name: name(),
  description: z.string().default(''),
  owner: z.string().default('unowned'),
  tier: z.string().default('default'),
  objective: z
    .number({ message: 'must be a number between 0 and 100' })
    .refine((v) => v > 0 && v <= 100, { message: 'must be between 0 and 100' }),
  period: duration({ min: 3600 }).default(2_592_000),
  sli: sliSchema,
});

export type SloConfig = z.output<typeof sloSchema>;
