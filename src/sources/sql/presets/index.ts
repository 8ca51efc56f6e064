import type { StoreConfig } from '../../../config/schema/stores.js';
import { GenericReader } from '../generic-reader.js';
import type { StoreReader } from '../reader.js';
import { TableReader } from '../table-reader.js';
import { axonPreset } from './axon.js';
import { emmettPreset } from './emmett.js';
import { eventuousPreset } from './eventuous.js';
import { martenPreset } from './marten.js';
import type { PresetSpec } from './preset.js';

/** The SQL spec of a framework preset (not `generic`), in the configured schema. */
export function presetSpec(preset: Exclude<StoreConfig['preset'], 'generic'>, schema?: string): PresetSpec {
  switch (preset) {
    case 'marten':
      return martenPreset(schema);
    case 'eventuous':
      return eventuousPreset(schema);
    case 'emmett':
      return emmettPreset(schema);
    case 'axon':
      return axonPreset(schema);
  }
}

/** The reader for a configured store. */
export function readerFor(store: StoreConfig): StoreReader {
  if (store.preset === 'generic') {
    if (!store.generic) throw new Error(`store "${store.name}": preset generic needs the generic SQL`);
    return new GenericReader(store.generic);
  }
  return new TableReader(presetSpec(store.preset, store.schema));
}

export { martenPreset, eventuousPreset, emmettPreset, axonPreset };
export { parseEmmettCheckpoint } from './emmett.js';
export { decodeAxonToken, TokenDecodeError, type DecodedToken } from './axon-token.js';
export type { PresetSpec, EventsTable, DecodedCheckpoint } from './preset.js';
