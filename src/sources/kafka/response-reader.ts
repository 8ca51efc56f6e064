/**
 * Bounds-checked reads of a Kafka response body for the hand-written decoders: a short or
 * malformed answer becomes a TruncatedResponseError naming the request and the byte offset,
 * not a RangeError from deep inside Buffer.
 */

/** A response that ends before the fields it announces. */
export class TruncatedResponseError extends Error {
  readonly retriable = true;
  constructor(
    readonly api: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(`${api} response truncated: ${length} bytes, needed more at byte ${offset}`);
    this.name = 'TruncatedResponseError';
  }
}

export class ResponseReader {
  at = 0;
  constructor(
    readonly buf: Buffer,
    readonly api: string,
  ) {}

  /** Throws unless `n` more bytes are there. */
  need(n: number): void {
    if (n < 0 || this.at + n > this.buf.length) throw new TruncatedResponseError(this.api, this.at, this.buf.length);
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.at++);
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.at);
    this.at += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.at);
    this.at += 4;
    return v;
  }

  /** An array length; -1 (null) reads as 0, as kafkajs's decoder does. */
  arrayLength(): number {
    const n = this.int32();
    return n === -1 ? 0 : n;
  }

  /** Skips an array of INT32 (replica lists the collector does not use). */
  skipInt32Array(): void {
    const n = this.arrayLength();
    this.need(n * 4);
    this.at += n * 4;
  }

  /** A STRING (int16 length); null (-1) as null. */
  string(): string | null {
    const n = this.int16();
    if (n === -1) return null;
    this.need(n);
    const s = this.buf.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }
}

/** An INT64 at `at` as a number, exact below 2^53 (offsets), without a BigInt per value. */
export function int64At(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}
