import { once } from 'node:events';
import { createGzip, type ZlibOptions } from 'node:zlib';
import type { Registry } from 'prom-client';
import { BlockWriter } from './block-writer.js';
import { MetricsRegistry } from './metrics-registry.js';

/** Longest stretch of rendering /metrics without letting other requests in. */
const RENDER_SLICE_MS = 5;

/**
 * Text not yet compressed that the gzip stream may hold: rendering runs ahead of the compression
 * (on libuv's pool) by at most this much, so both work at once and the memory stays bounded.
 */
const GZIP_BACKLOG_BYTES = 1 << 20;

/** gzip level of /metrics: 1, the fastest (7.7 MB of text in ~15 ms of CPU, 22:1 here). */
const GZIP_LEVEL = 1;

/**
 * The registry's exposition text in pieces, with a macrotask turn every RENDER_SLICE_MS: the
 * generator's awaits are microtasks, and without a turn now and then a rendering of 10^5 series
 * would hold the event loop (and /healthz) for its whole duration.
 */
async function* slicedPieces(registry: Registry): AsyncGenerator<string> {
  if (!(registry instanceof MetricsRegistry)) {
    yield await registry.metrics();
    return;
  }
  let since = performance.now();
  for await (const piece of registry.stream()) {
    yield piece;
    if (performance.now() - since > RENDER_SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      since = performance.now();
    }
  }
}

/** Size of the blocks the text is packed into (BlockWriter). */
const BLOCK_BYTES = 256 * 1024;

/** The whole exposition text as one buffer (scrapers that do not take gzip). */
export async function plainExposition(registry: Registry): Promise<Buffer> {
  const parts: Buffer[] = [];
  const w = new BlockWriter(
    () => Buffer.allocUnsafe(BLOCK_BYTES),
    (bytes) => parts.push(bytes),
  );
  for await (const piece of slicedPieces(registry)) w.write(piece);
  w.flush();
  return Buffer.concat(parts);
}

/**
 * The exposition text gzipped as it is rendered (one gzip member, level 1): the text never
 * exists whole, only the compressed body (~1/20 of it) and at most GZIP_BACKLOG_BYTES of text
 * waiting for the compressor, in blocks reused once compressed. Decompresses to exactly
 * `plainExposition`'s bytes.
 */
export async function gzipExposition(registry: Registry): Promise<Buffer> {
  // zlib streams take Transform's options too (not in ZlibOptions' type).
  const z = createGzip({ level: GZIP_LEVEL, writableHighWaterMark: GZIP_BACKLOG_BYTES } as ZlibOptions);
  const out: Buffer[] = [];
  z.on('data', (b: Buffer) => out.push(b));
  const done = once(z, 'end');
  done.catch(() => undefined); // awaited below; an early error is thrown by the write loop
  // A block is free again once zlib has consumed it (the write's callback).
  const free: Buffer[] = [];
  const w = new BlockWriter(
    () => free.pop() ?? Buffer.allocUnsafe(BLOCK_BYTES),
    (bytes, block) => z.write(bytes, () => block && free.push(block)),
  );
  try {
    for await (const piece of slicedPieces(registry)) {
      w.write(piece);
      if (z.writableNeedDrain) await once(z, 'drain');
    }
    w.flush();
    z.end();
    await done;
  } catch (err) {
    z.destroy();
    throw err;
  }
  return Buffer.concat(out);
}
