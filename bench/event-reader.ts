/**
 * The tail's own cost per event, without a broker: what `bench/stream-tail.ts` measures on top
 * of kafkajs, split into its parts. Not a timed test.
 *
 *   npm run bench -- bench/event-reader.ts
 *   LINES=10 RUNS=15 JSON_CHECK=fields npm run bench -- bench/event-reader.ts
 *
 * Builds EVENTS kafkajs-shaped messages (Buffers, string timestamps) with the payload of
 * bench/stream-tail.ts (LINES order lines of ~70 bytes each added to it), then reports the CPU
 * microseconds per event (median of RUNS) of:
 * - `processBatch`: what the tail does per record (JSON scan, fingerprints, dedupe window,
 *   version tracking, publish delay), batches of 2 000 as kafkajs hands them over;
 * - `processBatchNoJson`: the same with the fields taken from headers and the key (the payload
 *   not read): the tail's work per event other than the JSON scan;
 * - `scan`: the JSON span scan alone (the part that grows with the payload);
 * - `checkOnly`: the scan for a path no event has: the grammar check of every byte and nothing
 *   else, the least a JavaScript check of the whole value costs with this scanner;
 * - `byteLoop`: a sum over the value bytes, the least any check of every byte can cost here.
 */
import { streamSchema } from '../src/config/schema/streams.js';
import { compileJsonPath, type RawRecord } from '../src/core/events/field-ref.js';
import { compileSpanScanner } from '../src/core/events/json-scan.js';
import { StreamProcessor } from '../src/core/events/stream-processor.js';
import { processorOptions } from '../src/sources/stream/stream-source.js';

const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const EVENTS = num('EVENTS', 300_000);
const RUNS = num('RUNS', 15);
const LINES = num('LINES', 0);
const BATCH = 2000;
const JSON_CHECK = process.env.JSON_CHECK === 'fields' ? 'fields' : 'document';

interface Message {
  key: Buffer;
  value: Buffer;
  headers: Record<string, Buffer>;
  timestamp: string;
  offset: string;
}

const now = Date.now();
const messages: Message[] = Array.from({ length: EVENTS }, (_, n) => {
  const agg = `order-${n % 10_000}`;
  const id = `0b9f3c1e-4d2a-4c1b-9e7f-${String(n).padStart(12, '0')}`;
  const payload: Record<string, unknown> = { amount: n % 997, currency: 'EUR' };
  if (LINES > 0) payload.lines = Array.from({ length: LINES }, (_, k) => ({ sku: `SKU-${k}-${n}`, qty: k + 1, price: 12.5 * k, note: 'some free text here' }));
  const value = JSON.stringify({
    id,
    aggregateId: agg,
    version: 1 + Math.floor(n / 10_000),
    type: 'OrderPlaced',
    occurredAt: new Date(now - 1000).toISOString(),
    payload,
  });
  // the same fields as headers too, for the run without JSON (kafkajs hands headers over as Buffers)
  const headers = {
    id: Buffer.from(id),
    version: Buffer.from(String(1 + Math.floor(n / 10_000))),
    occurredAt: Buffer.from(new Date(now - 1000).toISOString()),
  };
  return { key: Buffer.from(agg), value: Buffer.from(value), headers, timestamp: String(now), offset: String(n) };
});
const batches: Message[][] = [];
for (let i = 0; i < EVENTS; i += BATCH) batches.push(messages.slice(i, i + BATCH));
const bytes = messages.reduce((a, m) => a + m.value.length, 0) / EVENTS;

const stream = streamSchema.parse({
  name: 'bench',
  cluster: 'bench',
  topics: ['bench'],
  eventId: { jsonPath: '$.id' },
  aggregateId: { jsonPath: '$.aggregateId' },
  version: { jsonPath: '$.version' },
  occurredAt: { jsonPath: '$.occurredAt' },
  jsonCheck: JSON_CHECK,
});

function toRecord(msg: Message, rec: RawRecord): void {
  rec.key = msg.key;
  rec.value = msg.value;
  rec.headers = msg.headers;
  rec.timestamp = Number(msg.timestamp);
}

/** Median CPU microseconds per event of `fn` over all events, RUNS times. */
function measure(setup: () => (batch: Message[]) => void): number {
  const perEvent: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const fn = setup();
    const c0 = process.cpuUsage();
    for (const b of batches) fn(b);
    const u = process.cpuUsage(c0);
    perEvent.push((u.user + u.system) / EVENTS);
  }
  perEvent.sort((a, b) => a - b);
  return perEvent[Math.floor(RUNS / 2)]!;
}

let sink = 0;
const processBatch = measure(() => {
  const p = new StreamProcessor(processorOptions(stream));
  return (batch) => {
    p.processBatch(batch, toRecord);
    sink += p.take().observed;
  };
});
// Everything but the JSON: the fields from headers and the key, the payload not read.
const headerStream = streamSchema.parse({
  name: 'bench',
  cluster: 'bench',
  topics: ['bench'],
  eventId: { header: 'id' },
  aggregateId: { key: true },
  version: { header: 'version' },
  occurredAt: { header: 'occurredAt' },
});
const processBatchNoJson = measure(() => {
  const p = new StreamProcessor(processorOptions(headerStream));
  return (batch) => {
    p.processBatch(batch, toRecord);
    sink += p.take().observed;
  };
});
const scan = measure(() => {
  const s = compileSpanScanner(['$.id', '$.aggregateId', '$.version', '$.occurredAt'].map(compileJsonPath), [true, true, false, false], JSON_CHECK)!;
  return (batch) => {
    for (let i = 0; i < batch.length; i++) if (s.scan(batch[i]!.value)) sink++;
  };
});
// A path no event has: every value is checked by the skip loop, nothing is noted or hashed.
const checkOnly = measure(() => {
  const s = compileSpanScanner([compileJsonPath('$.absent')])!;
  return (batch) => {
    for (let i = 0; i < batch.length; i++) if (s.scan(batch[i]!.value)) sink++;
  };
});
const byteLoop = measure(() => (batch) => {
  for (let i = 0; i < batch.length; i++) {
    const b = batch[i]!.value;
    let x = 0;
    for (let j = 0; j < b.length; j++) x += b[j]!;
    sink += x & 1;
  }
});

const us = (x: number): number => +x.toFixed(3);
const perByte = (x: number): number => +((x * 1000) / bytes).toFixed(2);
console.log(
  JSON.stringify({
    events: EVENTS,
    lines: LINES,
    jsonCheck: JSON_CHECK,
    bytesPerEvent: Math.round(bytes),
    usPerEvent: {
      processBatch: us(processBatch),
      processBatchNoJson: us(processBatchNoJson),
      scan: us(scan),
      checkOnly: us(checkOnly),
      byteLoop: us(byteLoop),
    },
    nsPerByte: { scan: perByte(scan), checkOnly: perByte(checkOnly), byteLoop: perByte(byteLoop) },
    loadavg: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)),
    sink: sink > 0,
  }),
);
