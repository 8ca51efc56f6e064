import { z } from 'zod';
import { nodeCron } from '../../runtime/node-cron.js';
import { secretRef, text } from './common.js';
import { prometheusSchema } from './prometheus.js';
import { MAX_TIMER_SECONDS } from '../duration.js';
import { SECRET_REF_RE, Secret } from '../secret.js';

/** A node-cron expression (5 fields, or 6 with seconds first), checked field by field. */
const cronExpression = () =>
  z
    .string()
    .min(1)
    .superRefine((expr, ctx) => {
      const v = nodeCron().validateDetailed(expr);
      if (v.valid) return;
      const why = v.errors.map((e) => (e.field === 'expression' ? e.message : `${e.field}: ${e.message}`)).join('; ');
      ctx.addIssue({
        code: 'custom',
        message: `must be a node-cron expression such as "0 8 * * 1" (minute hour day-of-month month day-of-week, seconds first when 6 fields), got ${JSON.stringify(expr.slice(0, 60))}: ${why}`,
      });
    })
    .meta({
      description: 'node-cron expression: 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. "0 8 * * 1" (Mondays 08:00)',
    });

/** An IANA time zone name the runtime knows (`Europe/Berlin`, `UTC`). */
const timeZone = () =>
  text()
    .min(1)
    .superRefine((tz, ctx) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be an IANA time zone such as UTC or Europe/Berlin, got ${JSON.stringify(tz.slice(0, 60))}` });
      }
    });

/**
 * The webhook URL: an http(s) URL written in the file, or a reference (`env:NAME`, `file:/path`)
 * since a Slack incoming-webhook URL is itself a credential. Either way it becomes a Secret, so
 * that it never reaches a log line.
 */
const webhookUrl = () =>
  z
    .string()
    .transform((value, ctx): Secret => {
      if (SECRET_REF_RE.test(value)) {
        const parsed = secretRef().safeParse(value);
        if (!parsed.success) {
          for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', message: i.message });
          return z.NEVER;
        }
        return parsed.data;
      }
      if (!/^https?:\/\/[^\s/]+/.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an absolute http:// or https:// URL, or a reference env:NAME or file:/path (the value is not shown)',
        });
        return z.NEVER;
      }
      return new Secret(value, 'reports.webhook.url');
    })
    .meta({ description: 'Where the report is POSTed as Slack-compatible JSON ({text, blocks}): an http(s) URL, or env:NAME / file:/path holding it' });

/** Scheduled SLO reports (docs/reports.md). */
export const reportsSchema = z.strictObject({
  schedule: cronExpression().default('0 8 * * 1'),
  timezone: timeZone().default('UTC').meta({ description: 'Time zone the schedule is read in (IANA name); reports state times in UTC' }),
  outDir: text()
    .min(1)
    .default('reports')
    .meta({ description: 'Directory the reports are written to (HTML, Markdown and JSON per report); relative to the working directory' }),
  keep: z.number().int().min(1).max(1000).default(12).meta({ description: 'Reports kept in outDir; older ones are deleted after each report' }),
  webhook: z
    .strictObject({
      url: webhookUrl(),
      timeoutSeconds: z.number().min(0.1).max(MAX_TIMER_SECONDS).default(10).meta({ description: 'Seconds the POST may take' }),
    })
    .optional(),
  prometheus: prometheusSchema.optional().meta({ description: 'The Prometheus holding the SLO recording rules; defaults to the top-level prometheus section' }),
  maxIncidents: z.number().int().min(0).max(50).default(5).meta({ description: 'Worst burn incidents listed per SLO' }),
});

export type ReportsConfig = z.output<typeof reportsSchema>;
