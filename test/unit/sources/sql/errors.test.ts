import { describe, expect, it } from 'vitest';
import { QueryFailure } from '../../../../src/sources/sql/db.js';
import { MissingTableError, redact, sqlReason, storeError } from '../../../../src/sources/sql/errors.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('sqlReason', () => {
  it.each([
    ['57014', 'canceling statement due to statement timeout', 'timeout'],
    ['28P01', 'password authentication failed for user "x"', 'auth'],
    ['42P01', 'relation "mt_events" does not exist', 'missing_table'],
    ['3F000', 'schema "eventuous" does not exist', 'missing_table'],
    ['57P01', 'terminating connection due to administrator command', 'unreachable'],
    ['3D000', 'database "nope" does not exist', 'config'],
    ['42703', 'column "x" does not exist', 'query'],
  ])('%s -> %s', (code, message, reason) => {
    expect(sqlReason(new QueryFailure('q', pgError(code, message)))).toBe(reason);
  });
  it('connection-level errors', () => {
    expect(sqlReason(new QueryFailure('connect', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })))).toBe('unreachable');
    expect(sqlReason(new QueryFailure('head', new Error('Connection terminated unexpectedly')))).toBe('unreachable');
    expect(sqlReason(new QueryFailure('connect', new Error('timeout exceeded when trying to connect')))).toBe('timeout');
  });
});

describe('redact / storeError', () => {
  it('scrubs URL passwords, password= pairs and known secrets', () => {
    expect(redact('bad url postgres://app:s3cret@db:5432/x')).toBe('bad url postgres://app:[redacted]@db:5432/x');
    expect(redact('host=db password=s3cret user=app')).toBe('host=db password=[redacted] user=app');
    expect(redact('oops s3cret-value here', ['s3cret-value'])).toBe('oops [redacted] here');
  });
  it('names store, preset and query; carries the reason', () => {
    const e = storeError('orders', 'marten', new QueryFailure('checkpoints', pgError('42P01', 'relation "mt_event_progression" does not exist')), []);
    expect(e.message).toBe('store "orders" (marten): query "checkpoints" failed (missing_table): relation "mt_event_progression" does not exist');
    expect(e.reason).toBe('missing_table');
    expect(e.context).toEqual({ store: 'orders', preset: 'marten', query: 'checkpoints' });
  });
  it('missing tables at startup: preset and every missing table named', () => {
    const e = storeError('orders', 'axon', new MissingTableError('axon', ['public.domain_event_entry', 'public.token_entry']), []);
    expect(e.reason).toBe('missing_table');
    expect(e.message).toBe(
      'store "orders": preset axon needs tables public.domain_event_entry, public.token_entry, which do not exist (wrong database or schema? set stores[].schema, or create the framework\'s tables)',
    );
  });
});
