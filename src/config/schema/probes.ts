import { z } from 'zod';
import { duration, name, secretRef, text } from './common.js';
import { MAX_TIMER_SECONDS } from '../duration.js';
import { parseJsonPath } from '../../core/probe/json-path.js';
import { unknownPlaceholders } from '../../core/probe/template.js';
import { placeholderCount } from '../../core/sql/placeholders.js';

/** Text that may hold `{{probeId}}` and no other placeholder (a typo would be sent as is). */
const template = () =>
  text({ multiline: true }).superRefine((v, ctx) => {
    const bad = unknownPlaceholders(v);
    if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `only {{probeId}} can be filled in, got ${bad.slice(0, 3).join(', ')}` });
  });

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** One HTTP request of a probe step. */
const httpRequest = (defaultMethod: (typeof HTTP_METHODS)[number]) =>
  z.strictObject({
    method: z.enum(HTTP_METHODS).default(defaultMethod),
    url: template()
      .refine((u) => /^https?:\/\/[^\s/]/.test(u), { message: 'must be an http(s) URL' })
      .refine((u) => !/^https?:\/\/[^/]*@/.test(u), { message: 'must not carry credentials: use secretHeaders' })
      .meta({ description: 'http(s) URL; {{probeId}} is filled in (URL-encoded)' }),
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { message: 'must be an HTTP header name' }), template())
      .default({})
      .meta({ description: 'Headers; {{probeId}} is filled in. Secrets go in secretHeaders' }),
    secretHeaders: z
      .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { message: 'must be an HTTP header name' }), secretRef())
      .default({})
      .meta({ description: 'Headers whose whole value is a secret, by reference (e.g. Authorization: env:API_TOKEN holding "Bearer ..."); never logged' }),
    body: template().optional().meta({ description: 'Request body; {{probeId}} is filled in as is (ids are [a-z0-9-], safe in JSON)' }),
    expectStatus: z
      .array(z.number().int().min(100).max(599))
      .default([])
      .meta({ description: 'Statuses of a successful command or cleanup (default: any 2xx); not used by queries (see condition)' }),
    timeout: duration({ min: 0.05, max: 300 }).default(5).meta({ description: 'Timeout of one request' }),
  });

/** One SQL statement of a probe step: the probe id only ever goes in as a bound parameter. */
const sqlStatement = z
  .strictObject({
    statement: text({ multiline: true })
      .min(1)
      .refine((s) => !/\{\{/.test(s), { message: 'must not contain {{...}}: pass the probe id as a bound parameter ($1) through params' })
      .meta({ description: "One SQL statement with $1, $2 ... placeholders; run on the probe store's connection" }),
    params: z.array(template()).default([]).meta({ description: 'Values of $1, $2 ...; {{probeId}} is filled in' }),
    timeout: duration({ min: 0.05, max: 300 }).default(5).meta({ description: 'statement_timeout of this statement' }),
  })
  .superRefine((s, ctx) => {
    const n = placeholderCount(s.statement);
    if (n > s.params.length) ctx.addIssue({ code: 'custom', path: ['params'], message: `statement uses $${n}: needs ${n} params, got ${s.params.length}` });
  });

/** Exactly one of `http` and `sql`. */
function oneOf(v: { http?: unknown; sql?: unknown }, ctx: z.RefinementCtx): void {
  if ((v.http === undefined) === (v.sql === undefined)) ctx.addIssue({ code: 'custom', path: [], message: 'needs exactly one of http or sql' });
}

const conditionSchema = z
  .strictObject({
    status: z.number().int().min(100).max(599).default(200).meta({ description: 'Status of an answer that may show the change' }),
    pendingStatus: z
      .array(z.number().int().min(100).max(599))
      .default([404])
      .meta({ description: 'Statuses that mean "not visible yet"; any other status is a failed query' }),
    jsonPath: z
      .string()
      .refine((p) => parseJsonPath(p) !== undefined, { message: "must be a JSON path like $.order.id, $.items[0].id or $['a key']" })
      .optional()
      .meta({ description: 'Value in the JSON body that must exist (or equal `equals`)' }),
    equals: template().optional().meta({ description: 'With jsonPath: the value must equal this text; {{probeId}} is filled in' }),
  })
  .superRefine((c, ctx) => {
    if (c.equals !== undefined && c.jsonPath === undefined) ctx.addIssue({ code: 'custom', path: ['equals'], message: 'needs jsonPath' });
    if (c.pendingStatus.includes(c.status)) ctx.addIssue({ code: 'custom', path: ['pendingStatus'], message: `must not contain status ${c.status}` });
  });

const commandSchema = z.strictObject({ http: httpRequest('POST').optional(), sql: sqlStatement.optional() }).superRefine(oneOf);
const querySchema = z
  .strictObject({
    http: httpRequest('GET').optional(),
    sql: sqlStatement.optional().meta({ description: 'Visible when the statement returns at least one row' }),
    condition: conditionSchema.optional().meta({ description: 'HTTP only: when an answer shows the change (default: status 200; 404 = not yet)' }),
  })
  .superRefine((q, ctx) => {
    oneOf(q, ctx);
    if (q.sql !== undefined && q.condition !== undefined)
      ctx.addIssue({ code: 'custom', path: ['condition'], message: 'is for http queries; an sql query shows the change when it returns a row' });
  });
const cleanupSchema = z.strictObject({ http: httpRequest('DELETE').optional(), sql: sqlStatement.optional() }).superRefine(oneOf);

/** One read-after-write probe (docs/probes.md). */
export const probeSchema = z
  .strictObject({
    name: name(),
    interval: duration({ min: 1, max: MAX_TIMER_SECONDS }).default(30).meta({ description: "Seconds between the starts of two runs (the probe's write rate)" }),
    timeout: duration({ min: 0.1, max: 3600 })
      .default(30)
      .meta({ description: 'A change not visible this long after the command was accepted is a timeout (bad)' }),
    pollInterval: duration({ min: 0.05, max: 60 }).default(0.25).meta({ description: 'Seconds between the starts of two queries of one run' }),
    maxConcurrency: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(1)
      .meta({ description: 'Runs in flight at most; a run due while this many still poll is skipped and counted' }),
    store: text().optional().meta({ description: 'Store (stores[].name, PostgreSQL) whose connection runs the sql steps; required when a step is sql' }),
    idPrefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,30}$/, { message: 'must be 1-31 lower-case letters, digits and dashes, starting with a letter' })
      .default('cqrs-slo-probe')
      .meta({ description: 'Start of every probe id: tags what the probe writes, so the application can filter it out and clean it up' }),
    command: commandSchema.meta({ description: 'The write: an HTTP request or an SQL statement' }),
    query: querySchema.meta({ description: 'The read, repeated every pollInterval until the change shows or the timeout' }),
    cleanup: cleanupSchema.optional().meta({ description: 'Removes what the command wrote, after each run whatever its outcome (best effort)' }),
  })
  .superRefine((p, ctx) => {
    const sql = [p.command.sql, p.query.sql, p.cleanup?.sql].some((s) => s !== undefined);
    if (sql && p.store === undefined) ctx.addIssue({ code: 'custom', path: ['store'], message: 'is required when a step is sql' });
    if (p.pollInterval > p.timeout) ctx.addIssue({ code: 'custom', path: ['pollInterval'], message: `must be at most the timeout (${p.timeout} s)` });
  });

export type ProbeConfig = z.output<typeof probeSchema>;
export type ProbeHttpRequest = NonNullable<ProbeConfig['command']['http']>;
export type ProbeSqlStatement = NonNullable<ProbeConfig['command']['sql']>;
