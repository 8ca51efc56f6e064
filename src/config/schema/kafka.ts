import { z } from 'zod';
import { duration, filter, hostPort, name, secretRef, text } from './common.js';
import { MAX_TIMER_SECONDS } from '../duration.js';


export const saslSchema = z.strictObject({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: text().min(1),
  password: secretRef(),
});

export const tlsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  ca: secretRef().optional().meta({ description: 'PEM CA bundle, by reference (file:/path)' }),
  cert: secretRef().optional().meta({ description: 'PEM client certificate, by reference' }),
  key: secretRef().optional().meta({ description: 'PEM client key, by reference' }),
  rejectUnauthorized: z.boolean().default(true),
  servername: text().optional(),
});

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
      maxReadsPerCycle: z.number().int().min(0).default(50).meta({ description: 'Records read per cycle to get exact timestamps at committed offsets (most lagging first)' }),
      historyPoints: z.number().int().min(4).max(4096).default(120).meta({ description: 'Per-partition (offset, time) points kept for interpolation' }),
    })
    .default({ maxReadsPerCycle: 50, historyPoints: 120 }),
  statusWindow: z.number().int().min(2).max(100).default(10).meta({ description: 'Samples per partition in the status window' }),
  stallSamples: z.number().int().min(2).max(100).default(3).meta({ description: 'Consecutive samples with an unmoved commit (and its record present) before a partition is STALLED' }),
  topicsPerRequest: z.number().int().min(1).max(10_000).default(100).meta({ description: 'Topics per ListOffsets request; a failing request only affects its topics' }),
  forecastThreshold: duration().optional().meta({ description: 'Staleness threshold for the time-to-breach forecast' }),
});

export type ClusterConfig = z.output<typeof clusterSchema>;
