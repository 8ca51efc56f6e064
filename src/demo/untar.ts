import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** A tar archive this reader cannot extract safely (with the entry it stopped at). */
export class TarFormatError extends Error {
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(entry === undefined ? message : `${message}: ${entry}`);
    this.name = 'TarFormatError';
  }
}

const BLOCK = 512;

/** A NUL-terminated ASCII field of a tar header. */
const field = (h: Buffer, at: number, len: number): string => {
  const end = h.indexOf(0, at);
  return h.toString('latin1', at, end === -1 || end > at + len ? at + len : end);
};

/**
 * Extracts a gzipped tar archive of regular files and directories into `dir`, streaming: one
 * 512-byte header and one chunk of file data in memory at a time. Extended headers (pax, GNU long
 * names) are skipped; links, devices and paths leaving `dir` are refused.
 *
 * Why not PGlite's `loadDataDir`: it unpacks the archive in JavaScript and writes it through the
 * WebAssembly file system, which leaves ~50 MB of resident memory behind for the process's
 * lifetime (docs/performance.md, "The demo's memory").
 */
export async function extractTarGz(archive: string | URL, dir: string): Promise<void> {
  await pipeline(createReadStream(archive), createGunzip(), createTarExtractor(dir));
}

/** A stream that extracts the (uncompressed) tar archive written to it into `dir`. */
export const createTarExtractor = (dir: string): Writable => new TarExtractor(dir);

class TarExtractor extends Writable {
  readonly #dir: string;
  /** Bytes of a header split across chunks. */
  #header: Buffer[] = [];
  #headerBytes = 0;
  /** The file being written and its bytes still to come. */
  #file: FileHandle | undefined;
  #fileName = '';
  #remaining = 0;
  /** Bytes to pass over: block padding, or the data of an entry that is not extracted. */
  #skip = 0;
  #padding = 0;
  #ended = false;

  constructor(dir: string) {
    super();
    this.#dir = dir;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#consume(chunk).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#file || this.#remaining > 0) callback(new TarFormatError('archive ends inside a file', this.#fileName));
    else callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const file = this.#file;
    this.#file = undefined;
    if (!file) {
      callback(error);
      return;
    }
    file.close().then(
      () => callback(error),
      () => callback(error),
    );
  }

  async #consume(chunk: Buffer): Promise<void> {
    let at = 0;
    while (at < chunk.length && !this.#ended) {
      if (this.#remaining > 0) {
        const n = Math.min(this.#remaining, chunk.length - at);
        await this.#file!.write(chunk.subarray(at, at + n));
        this.#remaining -= n;
        at += n;
        if (this.#remaining === 0) await this.#closeFile();
      } else if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - at);
        this.#skip -= n;
        at += n;
      } else {
        const n = Math.min(BLOCK - this.#headerBytes, chunk.length - at);
        this.#header.push(chunk.subarray(at, at + n));
        this.#headerBytes += n;
        at += n;
        if (this.#headerBytes === BLOCK) {
          const header = Buffer.concat(this.#header, BLOCK);
          this.#header = [];
          this.#headerBytes = 0;
          await this.#entry(header);
        }
      }
    }
  }

  async #entry(h: Buffer): Promise<void> {
    if (h.every((b) => b === 0)) {
      this.#ended = true; // end-of-archive marker
      return;
    }
    const ustar = field(h, 257, 6) === 'ustar';
    const prefix = ustar ? field(h, 345, 155) : '';
    const raw = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const size = Number.parseInt(field(h, 124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError('bad size field', raw);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const type = String.fromCharCode(h[156]!);
    if (type === '5') {
      await mkdir(this.#target(raw), { recursive: true, mode: 0o700 });
      this.#skip = size + padding;
    } else if (type === '0' || type === '\0') {
      const path = this.#target(raw);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      this.#file = await open(path, 'w', 0o600);
      this.#fileName = raw;
      this.#remaining = size;
      this.#padding = padding;
      if (size === 0) await this.#closeFile();
    } else if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      this.#skip = size + padding; // metadata of the next entry: names here are short
    } else {
      throw new TarFormatError(`entry type '${type}' is not extracted`, raw);
    }
  }

  async #closeFile(): Promise<void> {
    const file = this.#file!;
    this.#file = undefined;
    await file.close();
    this.#skip = this.#padding;
  }

  /** `name` under the target directory; a path that would leave it is refused. */
  #target(name: string): string {
    const parts = name.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0 || parts.includes('..')) throw new TarFormatError('path outside the target directory', name);
    return join(this.#dir, ...parts);
  }
}
