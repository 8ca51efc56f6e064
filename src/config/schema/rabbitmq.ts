import { z } from 'zod';
import { duration, filter, name, regex, secretRef } from './common.js';

/** One RabbitMQ broker (or cluster) read through its management HTTP API (docs/rabbitmq.md). */
export const rabbitmqSchema = z
  .strictObject({
    name: name(),
    url: z
      .url({ protocol: /^https?$/, message: 'must be the http(s) URL of the management API, e.g. http://rabbit:15672' })
      .refine((u) => !/\/\/[^/]*@/.test(u), { message: 'must not carry credentials: use user and password' })
      .meta({ description: 'Management API base URL, e.g. http://rabbit:15672 (the rabbitmq_management plugin)' }),
    amqpUrl: z
      .url({ protocol: /^amqps?$/, message: 'must be an amqp:// or amqps:// URL of the broker, e.g. amqp://rabbit:5672' })
      .refine((u) => !/\/\/[^/]*@/.test(u), { message: 'must not carry credentials: use user and password' })
      .refine((u) => !/\/\/[^/]+\/./.test(u), { message: 'must not name a vhost: the vhosts come from the topology' })
      .optional()
      .meta({ description: 'AMQP address of the broker (amqps:// for TLS), needed by deadLetters.inflow' }),
    tls: z
      .strictObject({
        ca: secretRef().optional().meta({
          description:
            'PEM CA bundle the management API (https) and AMQP (amqps) certificates must chain to, by reference (file:/path); system CAs when absent',
        }),
        rejectUnauthorized: z.boolean().default(true).meta({ description: 'false accepts any server certificate (encryption without authentication)' }),
      })
      .optional()
      .meta({ description: 'TLS of the https management URL and the amqps URL' }),
    user: z.string().min(1).meta({ description: 'Management user (the monitoring tag suffices)' }),
    password: secretRef(),
    vhosts: z.array(z.string().min(1)).default([]).meta({ description: 'Virtual hosts to watch (all the user can see when empty)' }),
    queues: filter().meta({ description: 'Queues to watch, by name' }),
    maxQueues: z
      .number()
      .int()
      .positive()
      .default(500)
      .meta({ description: 'Hard cap on watched queues per broker (deepest kept); the rest are counted in cqrs_series_dropped_total' }),
    pageSize: z.number().int().min(1).max(500).default(500).meta({
      description: 'Queues per page of the management API listing (RabbitMQ allows at most 500): large brokers are read in several bounded responses',
    }),
    interval: duration({ min: 1 }).default(15).meta({ description: 'Seconds between collection cycles' }),
    timeout: duration({ min: 1 }).optional().meta({ description: 'Cycle timeout; defaults to the interval' }),
    stallSamples: z
      .number()
      .int()
      .min(2)
      .max(100)
      .default(3)
      .meta({ description: 'Consecutive samples with messages waiting, consumers attached and no delivery or ack before a queue is STALLED' }),
    trendSamples: z
      .number()
      .int()
      .min(2)
      .max(100)
      .default(3)
      .meta({ description: 'Consecutive samples of growing depth (while delivering) before a queue is LAGGING' }),
    deadLetters: z
      .strictObject({
        detect: z.boolean().default(true).meta({
          description: 'Treat queues that receive dead letters (x-dead-letter-exchange arguments or policies, and the bindings of that exchange) as DLQs',
        }),
        queues: z.array(regex()).default([]).meta({
          description: 'Also treat queues matching these as DLQs, e.g. _error$ (MassTransit) or ^error$ (NServiceBus), which move failed messages themselves',
        }),
        names: z.record(z.string(), name()).default({}).meta({ description: 'dlq label per queue name (default: the queue name)' }),
        inflow: z.boolean().default(false).meta({
          description:
            'Count dead letters by source queue and x-death reason in cqrs_dlq_messages_total through shadow queues the monitor declares on each dead-letter exchange (needs amqpUrl and configure permission on ^cqrs-slo\\.dl-shadow\\.)',
        }),
        shadowMaxLength: z.number().int().positive().default(100_000).meta({ description: 'Messages a shadow queue keeps at most while the monitor is away' }),
      })
      .default({ detect: true, queues: [], names: {}, inflow: false, shadowMaxLength: 100_000 }),
  })
  .superRefine((b, ctx) => {
    if (b.deadLetters.inflow && !b.amqpUrl)
      ctx.addIssue({ code: 'custom', path: ['deadLetters', 'inflow'], message: 'needs amqpUrl (the shadow queues are read over AMQP)' });
    if (b.deadLetters.inflow && !b.deadLetters.detect)
      ctx.addIssue({ code: 'custom', path: ['deadLetters', 'inflow'], message: 'needs detect: true (the dead-letter exchanges come from the topology)' });
  });

export type RabbitmqConfig = z.output<typeof rabbitmqSchema>;
