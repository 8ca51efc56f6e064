/**
 * CPU and garbage of decoding one cycle's Metadata and ListOffsets answers at 200 topics x 50
 * partitions, kafkajs's decoders against metadata.ts and list-offsets.ts, on answers built here
 * with the broker's layout (no broker; not a timed test). CPU from process.cpuUsage (all
 * threads, so GC threads included), medians of ROUNDS rounds of REPS decodes each.
 *
 *   npx vite-node bench/decode-cost.ts
 */
import { createRequire } from 'node:module';
import { decodeListOffsetsV2 } from '../src/sources/kafka/list-offsets.js';
import { decodeMetadataV6 } from '../src/sources/kafka/metadata.js';

const require = createRequire(import.meta.url);
type Decoder = { decode(b: Buffer): Promise<unknown>; parse(d: unknown): Promise<unknown> };
const kjListOffsets = require('kafkajs/src/protocol/requests/listOffsets/v2/response.js') as Decoder;
const kjMetadata = require('kafkajs/src/protocol/requests/metadata/v6/response.js') as Decoder;

const TOPICS = Number(process.env.TOPICS ?? 200);
const PARTITIONS = Number(process.env.PARTITIONS ?? 50);
const REPS = Number(process.env.REPS ?? 20);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

function listOffsetsAnswer(): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.writeInt32BE(TOPICS, 4);
  parts.push(head);
  for (let t = 0; t < TOPICS; t++) {
    const name = Buffer.from(`bench-${String(t).padStart(4, '0')}`);
    const b = Buffer.alloc(2 + name.length + 4 + PARTITIONS * 22);
    b.writeInt16BE(name.length, 0);
    name.copy(b, 2);
    let at = b.writeInt32BE(PARTITIONS, 2 + name.length);
    for (let p = 0; p < PARTITIONS; p++) {
      at = b.writeInt32BE(p, at);
      at = b.writeInt16BE(0, at);
      at = b.writeBigInt64BE(-1n, at);
      at = b.writeBigInt64BE(BigInt(1000 + p), at);
    }
    parts.push(b);
  }
  return Buffer.concat(parts);
}

function metadataAnswer(): Buffer {
  const parts: Buffer[] = [];
  const w = (bytes: number, v: number) => {
    const b = Buffer.alloc(bytes);
    if (bytes === 1) b.writeInt8(v);
    else if (bytes === 2) b.writeInt16BE(v);
    else b.writeInt32BE(v);
    parts.push(b);
  };
  const s = (x: string) => {
    w(2, Buffer.byteLength(x));
    parts.push(Buffer.from(x));
  };
  w(4, 0);
  w(4, 1);
  w(4, 1);
  s('127.0.0.1');
  w(4, 9092);
  w(2, -1);
  s('cluster');
  w(4, 1);
  w(4, TOPICS);
  for (let t = 0; t < TOPICS; t++) {
    w(2, 0);
    s(`bench-${String(t).padStart(4, '0')}`);
    w(1, 0);
    w(4, PARTITIONS);
    for (let p = 0; p < PARTITIONS; p++) {
      w(2, 0);
      w(4, p);
      w(4, 1);
      for (const n of [1, 1, 0]) {
        w(4, n);
        for (let i = 0; i < n; i++) w(4, 1);
      }
    }
  }
  return Buffer.concat(parts);
}

async function cost(name: string, fn: () => Promise<unknown> | unknown): Promise<void> {
  for (let i = 0; i < REPS; i++) await fn(); // warm-up
  const cpu: number[] = [];
  const alloc: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const h0 = process.memoryUsage().heapUsed;
    let kept: unknown[] = [];
    for (let i = 0; i < REPS; i++) kept.push(await fn());
    const h1 = process.memoryUsage().heapUsed;
    const c = process.cpuUsage(c0);
    kept = [];
    cpu.push((c.user + c.system) / 1000 / REPS);
    alloc.push((h1 - h0) / REPS / 1024 / 1024);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  console.log(
    `${name}: ${med(cpu).toFixed(2)} CPU-ms per answer, ~${med(alloc).toFixed(2)} MB kept per answer (heap growth while answers are held; medians of ${ROUNDS} x ${REPS})`,
  );
}

const lo = listOffsetsAnswer();
const md = metadataAnswer();
console.log(
  `answers: ListOffsets ${lo.length} bytes (${TOPICS * PARTITIONS} partitions), Metadata ${md.length} bytes; load ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
await cost('ListOffsets v2, kafkajs', async () => kjListOffsets.parse(await kjListOffsets.decode(lo)));
await cost('ListOffsets v2, list-offsets.ts', () => decodeListOffsetsV2(lo));
await cost('Metadata v6, kafkajs', async () => kjMetadata.parse(await kjMetadata.decode(md)));
await cost('Metadata v6, metadata.ts', () => decodeMetadataV6(md));
