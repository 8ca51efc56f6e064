/** Where a field of an event is found (mirrors the `streams[].eventId` config). */
export type FieldRef = { header: string } | { jsonPath: string } | { key: true };

/** A Kafka record as the core sees it: no kafkajs types. */
export interface RawRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  /** Broker (or producer) timestamp, epoch milliseconds. */
  timestamp: number;
}

/** A compiled JSON path: property names and array indexes, e.g. `$.meta.ids[0]`. */
export type JsonPath = readonly (string | number)[];

const SEGMENT = /\.([A-Za-z0-9_]+)|\[(\d+)\]/y;

/** Compiles `$.a.b[0]`; throws RangeError on anything else (config validation prevents it). */
export function compileJsonPath(path: string): JsonPath {
  if (!path.startsWith('$')) throw new RangeError(`JSON path must start with $, got ${JSON.stringify(path)}`);
  const out: (string | number)[] = [];
  SEGMENT.lastIndex = 1;
  while (SEGMENT.lastIndex < path.length) {
    const at = SEGMENT.lastIndex;
    const m = SEGMENT.exec(path);
    if (!m) throw new RangeError(`unsupported JSON path ${JSON.stringify(path)} at position ${at}`);
    out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return out;
}

/** Value at `path` in a parsed JSON document, or undefined. */
export function readJsonPath(doc: unknown, path: JsonPath): unknown {
  let cur = doc;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** First value of a header as UTF-8 text, or undefined. */
export function headerText(headers: RawRecord['headers'], name: string): string | undefined {
  const v = headers?.[name];
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined || one === null) return undefined;
  return typeof one === 'string' ? one : one.toString('utf8');
}

/** First value of a header as raw bytes, or undefined. */
export function headerBytes(headers: RawRecord['headers'], name: string): Buffer | undefined {
  const v = headers?.[name];
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined || one === null) return undefined;
  return typeof one === 'string' ? Buffer.from(one, 'utf8') : one;
}
