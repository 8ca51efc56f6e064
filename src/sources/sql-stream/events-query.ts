import type { SqlStreamConfig, OutboxConfig } from '../../config/schema/sql-streams.js';
import type { StoreConfig } from '../../config/schema/stores.js';
import { epochMs, ident } from '../sql/presets/preset.js';

/**
 * The SQL a stream tail runs. `rows` takes $1 = the last position handed over (bigint, as
 * text) and $2 = a row limit, and returns `position, event_id, aggregate_id, version,
 * occurred_at, recorded_at` ordered by position; `end` returns the current last position
 * (column `position`, no row or NULL when empty); `highWaterMark`, where the store keeps one,
 * the position below which every hole is final.
 */
export interface EventsQuery {
  /** What the layout is called in messages: a preset name, `outbox` or `query`. */
  readonly layout: string;
  readonly rows: string;
  readonly end: string;
  readonly endParams?: readonly unknown[] | undefined;
  readonly highWaterMark?: string | undefined;
}

/** Below every bigint position: the `after` of a tail that starts from the beginning. */
export const BEFORE_ALL = '-9223372036854775808';

/** The columns of an events table, as SQL expressions. */
interface Columns {
  table: string;
  position: string;
  eventId: string;
  aggregateId?: string | undefined;
  version?: string | undefined;
  occurredAt?: string | undefined;
  recordedAt?: string | undefined;
  where?: string | undefined;
}

/**
 * The rows query of a column layout. ORDER BY takes the position as an expression: a bare
 * `position` would name the text output column and sort 10 before 2. A cast to the column's
 * own type is no cast at all, so the primary-key index still serves the order.
 */
function fromColumns(layout: string, c: Columns, highWaterMark?: string): EventsQuery {
  const text = (e: string | undefined) => (e ? `(${e})::text` : 'NULL::text');
  const ms = (e: string | undefined) => (e ? epochMs(e) : 'NULL::float8');
  const where = c.where ? ` AND (${c.where})` : '';
  return {
    layout,
    rows: `SELECT ${c.position}::text AS position, ${text(c.eventId)} AS event_id, ${text(c.aggregateId)} AS aggregate_id,
        ${text(c.version)} AS version, ${ms(c.occurredAt)} AS occurred_at, ${ms(c.recordedAt)} AS recorded_at
      FROM ${c.table} WHERE ${c.position} > $1::bigint${where} ORDER BY (${c.position})::bigint LIMIT $2`,
    end: `SELECT max(${c.position})::text AS position FROM ${c.table}${c.where ? ` WHERE ${c.where}` : ''}`,
    highWaterMark,
  };
}

/**
 * Marten `mt_events`: seq_id, the event id, the stream id (with the tenant: conjoined tenants
 * may share stream ids) and version; `timestamp` is when the row was written (transaction
 * time), and there is no occurred-at column, so no publish delay. Holes at or below the
 * async daemon's `HighWaterMark` are final.
 */
function marten(schema = 'public'): EventsQuery {
  const s = ident(schema);
  return fromColumns(
    'marten',
    {
      table: `${s}.mt_events`,
      position: 'seq_id',
      eventId: 'id',
      aggregateId: `CASE WHEN stream_id IS NULL THEN NULL ELSE concat_ws('/', tenant_id, stream_id::text) END`,
      version: 'version',
      recordedAt: '"timestamp"',
    },
    `SELECT last_seq_id::text AS position FROM ${s}.mt_event_progression WHERE name = 'HighWaterMark'`,
  );
}

/** Emmett `emt_messages`: global_position, message_id, stream_id (per partition), stream_position; `created` is the write time. */
function emmett(schema = 'public'): EventsQuery {
  return fromColumns('emmett', {
    table: `${ident(schema)}.emt_messages`,
    position: 'global_position',
    eventId: 'message_id',
    aggregateId: `concat_ws('/', partition, stream_id)`,
    version: 'stream_position',
    recordedAt: 'created',
  });
}

/** Eventuous `messages`: global_position, message_id, stream_id, stream_position; `created` (UTC, no zone) is the write time. */
function eventuous(schema = 'eventuous'): EventsQuery {
  return fromColumns('eventuous', {
    table: `${ident(schema)}.messages`,
    position: 'global_position',
    eventId: 'message_id',
    aggregateId: 'stream_id',
    version: 'stream_position',
    recordedAt: `(created AT TIME ZONE 'UTC')`,
  });
}

/**
 * Axon `domain_event_entry`: global_index, event_identifier, aggregate_identifier,
 * sequence_number; `time_stamp` is the event message's own time (occurred-at), and no write
 * time is stored, so no publish delay.
 */
function axon(schema = 'public'): EventsQuery {
  return fromColumns('axon', {
    table: `${ident(schema)}.domain_event_entry`,
    position: 'global_index',
    eventId: 'event_identifier',
    aggregateId: 'aggregate_identifier',
    version: 'sequence_number',
    occurredAt: 'time_stamp::timestamptz',
  });
}

/** The query of a configured SQL stream: its own query or outbox, else its store's preset. */
export function eventsQuery(stream: SqlStreamConfig, store: StoreConfig): EventsQuery {
  if (stream.query) {
    return {
      layout: 'query',
      rows: stream.query,
      // Once per process start with startFrom end: the whole query, unlimited, then its last position.
      end: `SELECT max(q.position)::text AS position FROM (${stream.query}) AS q`,
      endParams: [BEFORE_ALL, null],
    };
  }
  if (stream.outbox) return outbox(stream.outbox);
  switch (store.preset) {
    case 'marten':
      return marten(store.schema);
    case 'emmett':
      return emmett(store.schema);
    case 'eventuous':
      return eventuous(store.schema);
    case 'axon':
      return axon(store.schema);
    case 'generic':
      // The schema's cross-reference check requires query or outbox for generic stores.
      throw new Error(`stream ${stream.name}: store ${store.name} has preset generic: give query or outbox`);
  }
}

function outbox(o: OutboxConfig): EventsQuery {
  return fromColumns('outbox', o);
}
