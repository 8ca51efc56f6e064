/**
 * The pieces of Kafka's flexible-version encoding (KIP-482: unsigned varints, compact strings and
 * arrays, tagged fields) that the hand-written requests need: kafkajs 2.x predates most
 * flexible versions.
 */

export function uvarint(n: number): Buffer {
  const out: number[] = [];
  let v = n >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/** A compact string: length + 1 as an unsigned varint, then the UTF-8 bytes. */
export function compactString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([uvarint(b.length + 1), b]);
}

/** A minimal reader for flexible-version responses. */
export class FlexReader {
  #off = 0;
  constructor(readonly buf: Buffer) {}
  int8(): number {
    return this.buf.readInt8(this.#off++);
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.#off);
    this.#off += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.#off);
    this.#off += 4;
    return v;
  }
  int64(): number {
    const v = this.buf.readBigInt64BE(this.#off);
    this.#off += 8;
    return Number(v);
  }
  uvarint(): number {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf.readUInt8(this.#off++);
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v >>> 0;
      shift += 7;
    }
  }
  skip(n: number): void {
    this.#off += n;
  }
  compactString(): string | null {
    const n = this.uvarint();
    if (n === 0) return null;
    const s = this.buf.toString('utf8', this.#off, this.#off + n - 1);
    this.#off += n - 1;
    return s;
  }
  compactArray<T>(item: () => T): T[] {
    const n = this.uvarint();
    const out: T[] = [];
    for (let i = 1; i < n; i++) out.push(item());
    return out;
  }
  taggedFields(): void {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.skip(this.uvarint());
    }
  }
}
