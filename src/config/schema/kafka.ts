import { z } from 'zod';
import { MAX_TIMER_SECONDS, parseDuration } from '../duration.js';
import { duration, filter, hostPort, name, regex, secretRef, text } from './common.js';

export const saslSchema = z.strictObject({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: text().min(1),
  password: secretRef(),
});

export const tlsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    ca: secretRef().optional().meta({ description: 'PEM CA bundle, by reference (file:/path); system CAs when absent' }),
    cert: secretRef().optional().meta({ description: 'PEM client certificate, by reference (listeners with ssl.client.auth=required)' }),
    key: secretRef().optional().meta({ description: 'PEM client key, by reference' }),
    passphrase: secretRef().optional().meta({ description: 'Passphrase of an encrypted client key, by reference' }),
    rejectUnauthorized: z.boolean().default(true).meta({ description: 'false accepts any server certificate (encryption without authentication)' }),
    servername: text().optional().meta({ description: 'Host name the server certificate must name (SNI), when it differs from the broker address' }),
  })
  .superRefine((t, ctx) => {
    if ((t.cert === undefined) !== (t.key === undefined))
      ctx.addIssue({ code: 'custom', path: [t.cert ? 'key' : 'cert'], message: 'cert and key go together' });
    if (t.passphrase && !t.key) ctx.addIssue({ code: 'custom', path: ['passphrase'], message: 'passphrase needs key' });
  });

/**
 * Total lag a group may carry and still be OK rather than LAGGING (docs/kafka.md): a number of
 * messages, or a duration meaning "what the group's topics produce in that long" at the
 * production rate over the status window.
 */
export const allowedLagSchema = z
  .union([
    z.number().meta({ description: 'Messages (a whole number, 0 or more)' }),
    z.string().meta({ description: 'Duration of production, e.g. 30s', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$' }),
  ])
  .meta({
    description: "Total lag that is still OK (not LAGGING): a number of messages, or a duration = what the group's topics produce in that long (e.g. 30s)",
  })
  .transform((value, ctx): { messages: number } | { productionSeconds: number } => {
    if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= 0) return { messages: value };
      ctx.addIssue({ code: 'custom', message: `must be a whole number of messages (0 or more) or a duration like 30s, got ${value}` });
      return z.NEVER;
    }
    const seconds = parseDuration(value);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a number of messages or a duration like 30s or 5m, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return { productionSeconds: seconds };
  });

export type AllowedLag = z.output<typeof allowedLagSchema>;

/** Settings for the groups whose id matches `group`. */
export const groupOverrideSchema = z.strictObject({
  group: regex().meta({ description: 'Groups this override applies to (regular expression on the group id; the first matching override wins)' }),
  allowedLag: allowedLagSchema.optional(),
});

/**
 * Several replicas share the cluster's consumer groups through a Kafka consumer group of their
 * own (docs/kafka.md, "Sharding across replicas").
 */
export const shardingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  coordinationGroup: text().min(1).max(249).optional().meta({ description: 'Consumer group the replicas join; default cqrs-slo.<cluster>' }),
  coordinationTopic: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/, { message: 'must be a Kafka topic name: 1-249 characters of letters, digits, . _ -' })
    .optional()
    .meta({ description: 'Topic whose partitions are dealt out to the replicas; default __cqrs_slo_shards.<cluster> (created when missing)' }),
  partitions: z.number().int().min(1).max(10_000).default(60).meta({
    description: 'Partitions of the coordination topic when it is created (an existing topic keeps its own count); at most this many replicas share the work',
  }),
  sessionTimeout: duration({ min: 0.1, max: 3600 }).default(10).meta({
    description:
      "Coordination group session timeout: a replica that stops heartbeating loses its groups after this; the broker's group.min.session.timeout.ms (6 s by default) is the floor",
  }),
});

export type ShardingConfig = z.output<typeof shardingSchema>;

/** One Kafka cluster whose consumer groups are watched. */
export const clusterSchema = z.strictObject({
  name: name(),
  brokers: z.array(hostPort()).min(1, { message: 'must list at least one broker' }),
  clientId: text().min(1).default('cqrs-slo'),
  interval: duration({ min: 1, max: MAX_TIMER_SECONDS }).default(15).meta({ description: 'Seconds between collection cycles' }),
  timeout: duration({ min: 1, max: MAX_TIMER_SECONDS }).optional().meta({ description: 'Cycle timeout; defaults to the interval' }),
  sasl: saslSchema.optional(),
  tls: tlsSchema.optional(),
  groups: filter().meta({ description: 'Consumer groups to watch' }),
  groupStates: z.array(text()).default([]).meta({ description: 'Only groups in these states (all when empty), e.g. Stable, Empty' }),
  topics: filter().meta({ description: 'Topics to watch within the groups' }),
  granularity: z.enum(['partition', 'topic', 'group']).default('partition').meta({ description: 'Finest label level exported for lag series' }),
  maxSeries: z.number().int().positive().default(50_000).meta({ description: 'Hard cap on lag series per cluster; overflow is counted and logged' }),
  inactiveRetention: duration().default(600).meta({ description: 'How long a group that went away keeps reporting its last lag' }),
  concurrency: z.number().int().min(1).max(64).default(8).meta({ description: 'Concurrent requests per cycle' }),
  timeLag: z
    .strictObject({
      maxReadsPerCycle: z
        .number()
        .int()
        .min(0)
        .default(50)
        .meta({ description: 'Records read per cycle to get exact timestamps at committed offsets (most lagging first)' }),
      historyPoints: z.number().int().min(4).max(4096).default(120).meta({ description: 'Per-partition (offset, time) points kept for interpolation' }),
    })
    .default({ maxReadsPerCycle: 50, historyPoints: 120 }),
  statusWindow: z.number().int().min(2).max(100).default(10).meta({ description: 'Samples per partition in the status window' }),
  stallSamples: z
    .number()
    .int()
    .min(2)
    .max(100)
    .default(3)
    .meta({ description: 'Consecutive samples with an unmoved commit (and its record present) before a partition is STALLED' }),
  topicsPerRequest: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .meta({ description: 'Topics per ListOffsets request; a failing request only affects its topics' }),
  forecastThreshold: duration().optional().meta({ description: 'Staleness threshold for the time-to-breach forecast' }),
  allowedLag: allowedLagSchema
    .optional()
    .meta({ description: "Default allowed lag of the cluster's groups (see groupOverrides); when absent, what the group's topics produce in one interval" }),
  groupOverrides: z.array(groupOverrideSchema).default([]).meta({ description: 'Per-group settings, matched by group id regex; the first match wins' }),
  sharding: shardingSchema.optional().meta({ description: 'Share the groups of this cluster between replicas (each publishes the groups it owns)' }),
});

export type ClusterConfig = z.output<typeof clusterSchema>;
