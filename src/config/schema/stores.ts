import { z } from 'zod';
import { duration, filter, name, secretRef, text } from './common.js';
import { MAX_TIMER_SECONDS } from '../duration.js';

/** TLS modes with libpq's meaning (sslmode); `prefer`/`allow` are left out: they fall back to plaintext. */
export const PG_TLS_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

/** TLS to PostgreSQL: libpq's sslmode, sslrootcert, sslcert, sslkey and the key's passphrase, all by reference. */
export const pgTlsSchema = z
  .strictObject({
    mode: z.enum(PG_TLS_MODES).default('verify-full').meta({
      description:
        'disable: plaintext; require: encrypted, server not verified; verify-ca: certificate signed by `ca`; verify-full: verify-ca and the certificate names the host',
    }),
    ca: secretRef().optional().meta({ description: 'PEM CA bundle the server certificate must chain to, by reference (system CAs when absent)' }),
    cert: secretRef().optional().meta({ description: 'PEM client certificate, by reference (for pg_hba `cert` or `clientcert=verify-full`)' }),
    key: secretRef().optional().meta({ description: 'PEM client key, by reference' }),
    passphrase: secretRef().optional().meta({ description: 'Passphrase of an encrypted client key, by reference' }),
  })
  .superRefine((t, ctx) => {
    if ((t.cert === undefined) !== (t.key === undefined))
      ctx.addIssue({ code: 'custom', path: [t.cert ? 'key' : 'cert'], message: 'cert and key go together' });
    if (t.passphrase && !t.key) ctx.addIssue({ code: 'custom', path: ['passphrase'], message: 'passphrase needs key' });
    if (t.ca && (t.mode === 'require' || t.mode === 'disable')) {
      ctx.addIssue({ code: 'custom', path: ['ca'], message: `mode ${t.mode} does not verify the server: use verify-ca or verify-full with ca` });
    }
  });

export type PgTlsConfig = z.output<typeof pgTlsSchema>;

/** URL parameters with which node-postgres would set TLS itself, overriding `tls`. */
const URL_TLS_PARAMS = ['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslnegotiation'];

/** Database kinds a store can be read from. */
export const SQL_DIALECTS = ['postgres', 'mysql'] as const;

/** Presets whose framework keeps its tables in MySQL/MariaDB (the rest are PostgreSQL-only). */
export const MYSQL_PRESETS: readonly string[] = ['axon', 'generic'];

/** The store's database kind: `dialect`, else the scheme of the connection string. */
export function storeDialect(c: {
  dialect?: (typeof SQL_DIALECTS)[number] | undefined;
  connectionString?: { reveal(): string } | undefined;
}): (typeof SQL_DIALECTS)[number] {
  if (c.dialect) return c.dialect;
  return c.connectionString && /^(mysql|mariadb):\/\//i.test(c.connectionString.reveal()) ? 'mysql' : 'postgres';
}

export const connectionSchema = z
  .strictObject({
    dialect: z.enum(SQL_DIALECTS).optional().meta({
      description: 'postgres (default) or mysql (MySQL and MariaDB); a mysql:// or mariadb:// connectionString implies mysql',
    }),
    connectionString: secretRef().optional().meta({ description: 'postgres:// (or mysql://, mariadb://) URL, by reference (it usually holds a password)' }),
    host: text().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: text().optional(),
    user: text().optional(),
    password: secretRef().optional(),
    ssl: z.boolean().optional().meta({ description: 'true: TLS verified against the system CAs (same as tls.mode verify-full); prefer `tls`' }),
    tls: pgTlsSchema.optional(),
    pglite: text().optional().meta({ description: 'Use an embedded PGlite database at this directory ("memory://" for in-memory); for demos and tests' }),
  })
  .superRefine((c, ctx) => {
    if (c.tls && c.ssl !== undefined) ctx.addIssue({ code: 'custom', path: ['ssl'], message: 'give ssl or tls, not both' });
    if (storeDialect(c) === 'mysql') {
      if (c.pglite !== undefined) ctx.addIssue({ code: 'custom', path: ['pglite'], message: 'pglite is PostgreSQL: not with dialect mysql' });
      const scheme = c.connectionString ? /^([a-z][a-z0-9+.-]*):\/\//i.exec(c.connectionString.reveal())?.[1]?.toLowerCase() : undefined;
      if (c.connectionString && scheme !== 'mysql' && scheme !== 'mariadb') {
        ctx.addIssue({ code: 'custom', path: ['connectionString'], message: 'with dialect mysql, must be a mysql:// or mariadb:// URL' });
      } else if (c.connectionString) {
        // mysql2 would read driver options (ssl among them) from URL parameters: one place for each setting.
        let params: string[] = [];
        try {
          params = [...new URL(c.connectionString.reveal()).searchParams.keys()];
        } catch {
          ctx.addIssue({ code: 'custom', path: ['connectionString'], message: 'is not a valid URL' });
        }
        if (params.length > 0)
          ctx.addIssue({
            code: 'custom',
            path: ['connectionString'],
            message: `URL parameters (${params.join(', ')}) are not read on mysql: use the connection fields (tls, database, ...)`,
          });
      }
      return;
    }
    if (c.dialect === 'postgres' && c.connectionString && /^(mysql|mariadb):\/\//i.test(c.connectionString.reveal())) {
      ctx.addIssue({ code: 'custom', path: ['dialect'], message: 'is postgres but the connectionString is a mysql URL' });
    }
    if (c.tls && c.connectionString) {
      // node-postgres lets the URL's ssl parameters override the ssl option: two places for one setting.
      let params: string[] = [];
      try {
        params = [...new URL(c.connectionString.reveal()).searchParams.keys()].filter((k) => URL_TLS_PARAMS.includes(k));
      } catch {
        /* not a URL (key=value form): node-postgres reads no ssl parameters from it */
      }
      if (params.length > 0)
        ctx.addIssue({ code: 'custom', path: ['tls'], message: `the connectionString also sets ${params.join(', ')}: set TLS in one place` });
    }
  });

export const genericSqlSchema = z.strictObject({
  projections: text({ multiline: true }).optional().meta({ description: 'SQL returning one column "projection" listing the projections (discovery)' }),
  head: text({ multiline: true }).min(1).meta({ description: 'SQL returning columns position, timestamp of the newest event; $1 = projection' }),
  checkpoint: text({ multiline: true }).min(1).meta({ description: 'SQL returning columns position (and optionally updated_at); $1 = projection' }),
  eventTime: text({ multiline: true }).min(1).meta({ description: 'SQL returning column timestamp of the first event after position $1; $2 = projection' }),
  eventTimes: text({ multiline: true })
    .optional()
    .meta({ description: 'SQL returning columns position, timestamp of events in ($1, $2], limited to $3 rows; for apply latency' }),
});

export const deadLetterTableSchema = z
  .strictObject({
    name: name()
      .optional()
      .meta({ description: 'Value of the `dlq` label; defaults to the name of a `dlqs` entry of kind sql for this store, else the store name' }),
    table: text().min(1).optional().meta({ description: 'Dead-letter table (schema.table or table); with preset, overrides its table' }),
    preset: z
      .enum(['marten', 'axon'])
      .optional()
      .meta({ description: "Use the framework's dead-letter table: marten = mt_doc_deadletterevent, axon = dead_letter_entry" }),
    idColumn: text({ multiline: true })
      .optional()
      .meta({ description: 'SQL expression identifying a row (to count inflow once); default ctid (PostgreSQL; required on mysql without preset)' }),
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
  maxProjections: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(500)
    .meta({ description: 'Projections exported per store at most (cardinality bound); the rest are counted in cqrs_series_dropped_total' }),
  rebuildObjective: duration({ min: 1 })
    .default(1800)
    .meta({ description: 'A rebuild of a projection of this store should catch up within this (CqrsProjectionRebuildTooLong; default 30m)' }),
  rebuildObjectives: z
    .record(z.string().min(1), duration({ min: 1 }))
    .default({})
    .meta({ description: 'Per projection rebuild objective, overriding rebuildObjective (e.g. a large read model allowed 2h)' }),
  checkpointProbe: duration()
    .refine((s) => s === 0 || s >= 0.25, { message: 'must be 0s (off) or at least 250ms' })
    .optional()
    .meta({
      description:
        'Read the checkpoints alone this often between cycles, so that apply latency charges each event the first checkpoint write that covered it (docs/stores.md). Default 1s for framework presets, off (0s) for generic',
    }),
  latencySamples: z.number().int().min(1).max(10_000).default(500).meta({ description: 'Max event timestamps read per cycle for the apply-latency histogram' }),
});

export type StoreConfig = z.output<typeof storeSchema>;
