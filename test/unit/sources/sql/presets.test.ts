import { describe, expect, it } from 'vitest';
import { storeSchema } from '../../../../src/config/schema/stores.js';
import { presetSpec } from '../../../../src/sources/sql/presets/index.js';
import { placeholderCount } from '../../../../src/sources/sql/db.js';
import { deadLetterSpec } from '../../../../src/sources/sql/dead-letters.js';

describe('preset specs', () => {
  it.each(['marten', 'eventuous', 'emmett', 'axon'] as const)('%s: required tables follow the configured schema, identifiers quoted', (p) => {
    const spec = presetSpec(p, 'Sales');
    expect(spec.requiredTables.every((t) => t.startsWith('Sales.'))).toBe(true);
    expect(spec.checkpoints).toContain('"Sales".');
    expect(spec.events.table.startsWith('"Sales".')).toBe(true);
  });
  it('default schemas: eventuous in "eventuous", the others in public', () => {
    expect(presetSpec('eventuous').requiredTables).toEqual(['eventuous.messages', 'eventuous.checkpoints']);
    expect(presetSpec('marten').requiredTables).toEqual(['public.mt_events', 'public.mt_event_progression']);
  });
  it('Marten: HighWater* rows are not projections', () => {
    expect(presetSpec('marten').listProjections).toContain(`NOT LIKE 'HighWater%'`);
  });
});

describe('placeholderCount', () => {
  it('is the highest $n used', () => {
    expect(placeholderCount('select 1')).toBe(0);
    expect(placeholderCount('select * from t where a > $1 and b = $3')).toBe(3);
  });
});

describe('store config', () => {
  it('dead letters need a preset or table + timeColumn', () => {
    const base = { name: 's', preset: 'marten', connection: { host: 'localhost' } };
    expect(storeSchema.safeParse({ ...base, deadLetters: { table: 'dl' } }).success).toBe(false);
    expect(storeSchema.safeParse({ ...base, deadLetters: { table: 'dl', timeColumn: 'at' } }).success).toBe(true);
    expect(storeSchema.safeParse({ ...base, deadLetters: { preset: 'axon' } }).success).toBe(true);
  });
  it('a configured dead-letter table overrides the preset table, keeps its columns', () => {
    const d = deadLetterSpec({ preset: 'axon', table: 'ops.dlq', maxReasons: 10 });
    expect(d).toMatchObject({ table: '"ops"."dlq"', source: 'processing_group', reason: 'cause_type', time: 'enqueued_at' });
  });
});
