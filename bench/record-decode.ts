/**
 * What kafkajs' consumer spends per record before `eachBatch` sees it, against reading the same
 * record batches column-wise (positions and numbers into typed arrays, no object per record).
 * Not a timed test: the measurement behind "What would unblock it" in docs/performance.md.
 *
 *   npm run bench -- bench/record-decode.ts
 *
 * Encodes BATCHES record batches of 2 000 events (the payload of bench/stream-tail.ts) with
 * kafkajs' own encoder, then reports the CPU microseconds per record (median of RUNS) of:
 * - `kafkajs`: its record-batch decoder plus the consumer's `Batch` (offset filter), what every
 *   kafkajs consumer pays, the bare one included;
 * - `columnar`: a decoder of the same bytes that notes each record's offset, timestamp and the
 *   byte ranges of its key and value (uncompressed batches; what a tail with its own fetch
 *   decoding would pay instead).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const BATCHES = num('BATCHES', 150);
const RUNS = num('RUNS', 9);
const PER_BATCH = 2000;

type Long = { toString(): string };
const LongLib = require('kafkajs/src/utils/long.js') as { fromInt(n: number): Long };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch(opts: Record<string, unknown>): Promise<{ buffer: Buffer }>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (opts: Record<string, unknown>) => unknown;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => unknown;
const RecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (d: unknown) => Promise<{ firstOffset: string; records: unknown[] }>;
const Batch = require('kafkajs/src/consumer/batch.js') as new (topic: string, fetchedOffset: string, data: Record<string, unknown>) => { messages: unknown[] };

const now = Date.now();
const batches: Buffer[] = [];
for (let b = 0; b < BATCHES; b++) {
  const records = Array.from({ length: PER_BATCH }, (_, j) => {
    const n = b * PER_BATCH + j;
    const agg = `order-${n % 10_000}`;
    const value = JSON.stringify({
      id: `0b9f3c1e-4d2a-4c1b-9e7f-${String(n).padStart(12, '0')}`,
      aggregateId: agg,
      version: 1 + Math.floor(n / 10_000),
      type: 'OrderPlaced',
      occurredAt: new Date(now - 1000).toISOString(),
      payload: { amount: n % 997, currency: 'EUR' },
    });
    return Record({ offsetDelta: j, timestampDelta: 0, key: Buffer.from(agg), value: Buffer.from(value), headers: {} });
  });
  const batch = await RecordBatch({
    firstOffset: LongLib.fromInt(b * PER_BATCH),
    firstTimestamp: now,
    maxTimestamp: now,
    lastOffsetDelta: PER_BATCH - 1,
    records,
  });
  batches.push(batch.buffer);
}

async function measure(fn: (b: Buffer) => Promise<number> | number): Promise<number> {
  const perRecord: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let n = 0;
    const c0 = process.cpuUsage();
    for (const b of batches) n += await fn(b);
    const u = process.cpuUsage(c0);
    perRecord.push((u.user + u.system) / n);
  }
  perRecord.sort((a, b) => a - b);
  return perRecord[Math.floor(RUNS / 2)]!;
}

const kafkajs = await measure(async (buf) => {
  const rb = await RecordBatchDecoder(new Decoder(buf));
  return new Batch('bench', rb.firstOffset, { partition: 0, highWatermark: '0', messages: rb.records, abortedTransactions: [] }).messages.length;
});

// Record batch v2 layout: baseOffset int64, length int32, leaderEpoch int32, magic int8, crc
// int32, attributes int16, lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64,
// producerId int64, producerEpoch int16, baseSequence int32, record count int32, records.
const offset = new Float64Array(PER_BATCH);
const timestamp = new Float64Array(PER_BATCH);
const keyStart = new Int32Array(PER_BATCH);
const keyEnd = new Int32Array(PER_BATCH);
const valueStart = new Int32Array(PER_BATCH);
const valueEnd = new Int32Array(PER_BATCH);
let at = 0;
/** A zigzag varint at `at` (records are small: lengths and deltas fit 31 bits). */
function varint(b: Buffer): number {
  let v = 0;
  let shift = 0;
  let c: number;
  do {
    c = b[at++]!;
    v |= (c & 0x7f) << shift;
    shift += 7;
  } while (c & 0x80);
  return (v >>> 1) ^ -(v & 1);
}
const columnar = await measure((b) => {
  const base = Number(b.readBigInt64BE(0));
  const baseTime = Number(b.readBigInt64BE(27));
  const count = b.readInt32BE(57);
  at = 61;
  for (let k = 0; k < count; k++) {
    const len = varint(b);
    const end = at + len;
    at++; // attributes
    timestamp[k] = baseTime + varint(b);
    offset[k] = base + varint(b);
    const kl = varint(b);
    keyStart[k] = at;
    if (kl > 0) at += kl;
    keyEnd[k] = at;
    const vl = varint(b);
    valueStart[k] = at;
    if (vl > 0) at += vl;
    valueEnd[k] = at;
    at = end; // headers skipped
  }
  if (offset[count - 1] !== base + count - 1 || timestamp[0] !== now) throw new Error('columnar decoder misread the batch');
  return count;
});

console.log(
  JSON.stringify({
    records: BATCHES * PER_BATCH,
    usPerRecord: { kafkajs: +kafkajs.toFixed(3), columnar: +columnar.toFixed(3) },
    loadavg: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)),
  }),
);
