import { z } from 'zod';
import { duration, name, text } from './common.js';
import { MAX_TIMER_SECONDS } from '../duration.js';
import { BURN_TIER_IDS, resolveBurnTiers, type BurnTierId, type BurnTierOverride } from '../../core/slo/burn-windows.js';
import { CALENDAR_MONTH_BURN_PERIOD } from '../../core/slo/calendar.js';

const target = {
  store: text().optional().meta({ description: 'Store of the projection (with `projection`)' }),
  projection: text().optional().meta({ description: 'Projection name (with `store`)' }),
  cluster: text().optional().meta({ description: 'Kafka cluster of the consumer group (with `group`)' }),
  group: text().optional().meta({ description: 'Consumer group (with `cluster`)' }),
  broker: text().optional().meta({ description: 'RabbitMQ broker (rabbitmq[].name) of the queue (with `queue`; freshness only)' }),
  vhost: text().optional().meta({ description: 'RabbitMQ virtual host of the queue (with `broker`; default /)' }),
  queue: text().optional().meta({ description: 'RabbitMQ queue (with `broker`): freshness = age of its oldest message' }),
};

const promql = (what: string) =>
  z
    .string()
    .min(1)
    .meta({ description: `${what}: a counter selector (wrapped as sum(rate(X[window]))) or a PromQL expression containing {{.window}}` });

/** The SLI an SLO is built on. docs/slos.md explains every kind with an example. */
export const sliSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('freshness'),
    ...target,
    threshold: duration().meta({ description: 'A tick is good when the staleness is at most this' }),
  }),
  z.strictObject({
    kind: z.literal('apply_latency'),
    ...target,
    threshold: duration().meta({ description: 'An event is good when applied within this' }),
  }),
  z.strictObject({
    kind: z.literal('read_after_write'),
    probe: text().min(1).meta({ description: 'Read-after-write probe (probes[].name) whose runs are counted' }),
    threshold: duration().meta({ description: 'A probe run is good when its change was visible within this; later or never (timeout) is bad' }),
  }),
  z.strictObject({ kind: z.literal('duplicates'), stream: text().min(1) }),
  z.strictObject({ kind: z.literal('completeness'), stream: text().min(1) }),
  z.strictObject({
    kind: z.literal('delivery'),
    dlq: text().min(1).optional().meta({ description: 'DLQ (dlqs[].name) whose inflow is bad; or broker and queue for a RabbitMQ source queue' }),
    source: text().optional().meta({ description: 'Only the messages of this source topic of the DLQ (with `dlq`)' }),
    broker: text().optional().meta({ description: 'RabbitMQ broker (rabbitmq[].name) of the source queue (with `queue`; needs deadLetters.inflow)' }),
    vhost: text().optional().meta({ description: 'RabbitMQ virtual host of the source queue (with `broker`; default /)' }),
    queue: text().optional().meta({ description: 'RabbitMQ source queue (with `broker`): good = acked on it, bad = dead-lettered from it (x-death inflow)' }),
  }),
  z.strictObject({
    kind: z.literal('ratio'),
    good: promql('Good events').optional(),
    bad: promql('Bad events').optional(),
    total: promql('All events'),
  }),
  z.strictObject({
    kind: z.literal('latency'),
    histogram: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { message: 'must be a metric name (without _bucket)' }),
    threshold: duration().meta({ description: 'Must equal one of the histogram bucket bounds (le)' }),
    selector: z.string().default('').meta({ description: 'Label matchers without braces, e.g. job="api",route="/orders"' }),
  }),
  z.strictObject({
    kind: z.literal('error_ratio'),
    query: z
      .string()
      .regex(/\{\{\s*\.window\s*\}\}/, { message: 'must contain the {{.window}} placeholder' })
      .meta({ description: 'PromQL of the error ratio (0..1) over {{.window}}, e.g. Sloth sli.raw.errorRatioQuery' }),
  }),
]);

/** SLI kinds the service measures itself and exports as cqrs_slo_good_total / cqrs_slo_total. */
export const MEASURED_KINDS = ['freshness', 'apply_latency', 'duplicates', 'completeness', 'delivery', 'read_after_write'] as const;

const tierOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(['page', 'ticket']).optional(),
  for: duration().optional().meta({ description: 'How long the condition must hold before the alert fires' }),
  budgetPercent: z.number().gt(0).lte(100).optional().meta({ description: 'Share of the error budget (percent) burnt within longWindow that triggers' }),
  longWindow: duration({ min: 1 }).optional(),
  shortWindow: duration({ min: 1 }).optional(),
  labels: z.record(z.string(), z.string()).optional().meta({ description: "Extra labels on this tier's alert" }),
  annotations: z.record(z.string(), z.string()).optional().meta({ description: "Extra annotations on this tier's alert" }),
});

const tiersSchema = z.strictObject(
  Object.fromEntries(BURN_TIER_IDS.map((id) => [id, tierOverrideSchema.optional()])) as Record<BurnTierId, z.ZodOptional<typeof tierOverrideSchema>>,
);

export const alertingSchema = z
  .strictObject({
    tiers: tiersSchema.default({}).meta({ description: 'Per burn tier: enabled, for, severity, budgetPercent, longWindow, shortWindow' }),
    minEvents: z.number().int().min(0).default(0).meta({ description: 'Low-traffic guard: a burn alert needs at least this many events in its long window' }),
    labels: z.record(z.string(), text()).default({}).meta({ description: "Extra labels on this SLO's alerts" }),
    annotations: z
      .record(z.string(), text())
      .default({})
      .meta({ description: "Extra annotations on this SLO's burn alerts; a key given here replaces ours (e.g. summary)" }),
  })
  .default({ tiers: {}, minEvents: 0, labels: {}, annotations: {} });

export const budgetingSchema = z
  .discriminatedUnion('method', [
    z.strictObject({ method: z.literal('occurrences') }),
    z.strictObject({
      method: z.literal('timeslices'),
      slice: duration({ min: 1 }).default(60).meta({ description: 'Length of one time slice' }),
      sliceObjective: z.number().gt(0).lte(100).meta({ description: 'A slice is good when its good share (percent) is at least this' }),
    }),
  ])
  .default({ method: 'occurrences' })
  .meta({ description: 'occurrences: the SLI counts events; timeslices: the SLI counts good slices of time' });

const sloBase = z.strictObject({
  name: name(),
  description: text({ multiline: true }).default(''),
  owner: text().default('unowned'),
  team: text().optional().meta({ description: 'team label of the alerts (defaults to owner)' }),
  service: text().optional().meta({ description: 'Service the SLO belongs to (Sloth mode sloth_service; defaults to team)' }),
  tier: text().default('default').meta({ description: 'Business tier of the SLO, e.g. critical, standard' }),
  objective: z.number({ message: 'must be a number between 0 and 100' }).refine((v) => v > 0 && v <= 100, { message: 'must be between 0 and 100' }),
  period: z
    .union([z.literal('month'), duration({ min: 3600 })])
    .default(2_592_000)
    .meta({ description: 'Rolling period such as 7d, 28d, 30d, or "month" for the calendar month' }),
  budgeting: budgetingSchema,
  alerting: alertingSchema,
  evaluationInterval: duration({ min: 0.1, max: MAX_TIMER_SECONDS })
    .default(15)
    .meta({ description: 'Seconds between evaluations of an SLO the service measures; one good/total count per tick for freshness' }),
  runbookUrl: text().optional().meta({ description: 'runbook_url of the burn alerts (defaults to the shipped runbook)' }),
  dashboardUrl: text().optional().meta({ description: 'dashboard_url of the burn alerts' }),
  unknown: z.enum(['exclude', 'bad']).default('exclude').meta({
    description:
      'Freshness ticks whose source cannot be read (or whose target is not seen after the startup grace): exclude = neither good nor bad, counted in cqrs_slo_unknown_total{reason="unreadable"}; bad = bad ticks',
  }),
  duringRebuild: z.enum(['exclude', 'count']).default('exclude').meta({
    description:
      'Freshness ticks while the target projection is REBUILDING: exclude = neither good nor bad, counted in cqrs_slo_unknown_total{reason="rebuilding"}; count = judged like any other tick',
  }),
  sli: sliSchema,
});

function checkTarget(slo: z.output<typeof sloBase>, ctx: z.RefinementCtx): void {
  const sli = slo.sli;
  if (sli.kind === 'delivery') {
    const queue = sli.broker !== undefined || sli.queue !== undefined || sli.vhost !== undefined;
    if ((sli.dlq !== undefined) === queue || (queue && !(sli.broker && sli.queue)))
      ctx.addIssue({ code: 'custom', path: ['sli'], message: 'needs either dlq, or broker and queue (a RabbitMQ source queue)' });
    else if (queue && sli.source !== undefined)
      ctx.addIssue({ code: 'custom', path: ['sli', 'source'], message: 'is only supported with dlq (a RabbitMQ queue is its own source)' });
    return;
  }
  if (sli.kind !== 'freshness' && sli.kind !== 'apply_latency') return;
  const projection = sli.store !== undefined || sli.projection !== undefined;
  const group = sli.cluster !== undefined || sli.group !== undefined;
  const queue = sli.broker !== undefined || sli.queue !== undefined;
  const kinds = [projection, group, queue].filter(Boolean).length;
  if (kinds !== 1 || (projection && !(sli.store && sli.projection)) || (group && !(sli.cluster && sli.group)) || (queue && !(sli.broker && sli.queue))) {
    ctx.addIssue({
      code: 'custom',
      path: ['sli'],
      message: 'needs either store and projection, or cluster and group (or broker and queue, for a RabbitMQ queue)',
    });
  } else if (queue && sli.kind !== 'freshness') {
    ctx.addIssue({ code: 'custom', path: ['sli', 'queue'], message: 'a RabbitMQ queue supports sli.kind freshness only' });
  }
}

/** `unknown` and `duringRebuild` only change ticks of freshness SLOs: a non-default value elsewhere would do nothing. */
function checkTickPolicy(slo: z.output<typeof sloBase>, ctx: z.RefinementCtx): void {
  const sli = slo.sli;
  if (slo.unknown !== 'exclude' && sli.kind !== 'freshness') {
    ctx.addIssue({ code: 'custom', path: ['unknown'], message: 'is only supported with sli.kind freshness (other kinds count events, not ticks)' });
  }
  if (slo.duringRebuild !== 'exclude' && !(sli.kind === 'freshness' && sli.store !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['duringRebuild'], message: 'is only supported with sli.kind freshness on a projection (store and projection)' });
  }
}

/** One SLO. `period` comes out in seconds (30d for a calendar month, with `calendarMonth: true`). */
export const sloSchema = sloBase
  .superRefine((slo, ctx) => {
    checkTarget(slo, ctx);
    checkTickPolicy(slo, ctx);
    if (slo.alerting.minEvents > 0 && slo.budgeting.method === 'timeslices') {
      // Timeslices count slices, not events: a minimum of events has no single meaning there.
      ctx.addIssue({ code: 'custom', path: ['alerting', 'minEvents'], message: 'is only supported with budgeting.method occurrences' });
    }
    if (slo.alerting.minEvents > 0 && slo.sli.kind === 'error_ratio') {
      // A bare error ratio has no event count to guard on.
      ctx.addIssue({ code: 'custom', path: ['alerting', 'minEvents'], message: 'is not supported with sli.kind error_ratio (no event count)' });
    }
    if (slo.sli.kind === 'ratio' && (slo.sli.good === undefined) === (slo.sli.bad === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['sli'], message: 'needs exactly one of good or bad (with total)' });
    }
    const period = slo.period === 'month' ? CALENDAR_MONTH_BURN_PERIOD : slo.period;
    try {
      resolveBurnTiers(period, slo.objective, slo.alerting.tiers as Partial<Record<BurnTierId, BurnTierOverride>>);
    } catch (err) {
      const tier = (err as { tier?: string }).tier;
      ctx.addIssue({ code: 'custom', path: ['alerting', 'tiers', ...(tier ? [tier] : [])], message: (err as Error).message });
    }
  })
  .transform((slo) => {
    const calendarMonth = slo.period === 'month';
    return {
      ...slo,
      period: calendarMonth ? CALENDAR_MONTH_BURN_PERIOD : (slo.period as number),
      calendarMonth,
      team: slo.team ?? slo.owner,
    };
  });

export type SloConfig = z.output<typeof sloSchema>;
export type SliConfig = z.output<typeof sliSchema>;
