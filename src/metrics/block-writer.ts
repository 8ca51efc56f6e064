/**
 * Packs text (UTF-8) into large byte blocks: a rendering of 7.7 MB becomes ~30 writes into
 * 256 KB blocks instead of one Buffer per piece plus a concatenation (half the CPU of the
 * encoding, measured in docs/performance.md "Exposition"). A full block is handed to `emit`
 * with the block it is a view of, so that its owner can give the block back (to `take`) once the
 * bytes are consumed.
 */
export class BlockWriter {
  readonly #emit: (bytes: Buffer, block: Buffer | undefined) => void;
  readonly #take: () => Buffer;
  #block: Buffer;
  #at = 0;

  /**
   * `take` gives an empty block (a new one or one given back); every block it gives has the
   * same size. `emit` receives the written bytes of a block as a view of it, or a text longer
   * than a block in a buffer of its own (`block` undefined: nothing to give back).
   */
  constructor(take: () => Buffer, emit: (bytes: Buffer, block: Buffer | undefined) => void) {
    this.#take = take;
    this.#emit = emit;
    this.#block = take();
  }

  write(text: string): void {
    const room = this.#block.length - this.#at;
    // At most 3 bytes per UTF-16 unit: the exact length is needed only near the end of a block.
    const bytes = text.length * 3 <= room ? 0 : Buffer.byteLength(text);
    if (bytes > room) {
      this.flush();
      if (bytes > this.#block.length) {
        this.#emit(Buffer.from(text), undefined);
        return;
      }
    }
    this.#at += this.#block.write(text, this.#at);
  }

  /** Hands the bytes written so far to `emit` and goes on in a new block. */
  flush(): void {
    if (this.#at === 0) return;
    const block = this.#block;
    const bytes = block.subarray(0, this.#at);
    this.#block = this.#take();
    this.#at = 0;
    this.#emit(bytes, block);
  }
}
