import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Largest configuration file read: 4 MiB (the shipped example is 9 KiB). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Largest secret file read: 1 MiB (a full public CA bundle is about 220 KiB). */
export const MAX_SECRET_BYTES = 1024 * 1024;

/** Why a file was not read; `message` never contains the file's content. */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(
    readonly path: string,
    /** `ENOENT`, `it is a FIFO, not a regular file`, ... */
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. Anything else fails with a FileReadError
 * saying what the path is: a FIFO would block the process forever, `/dev/zero` would grow a
 * string until V8 aborts, a directory would fail with a bare EISDIR. The file is opened with
 * O_NONBLOCK, so opening a FIFO without a writer returns at once, and read through the same
 * descriptor that was checked, so the check cannot be raced by a rename.
 */
export function readRegularFile(path: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new FileReadError(path, `${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileReadError(path, `it is ${kindOf(st)}, not a regular file`);
    if (st.size > maxBytes) throw new FileReadError(path, `${st.size} bytes, more than the ${mib(maxBytes)} limit`);
    // Read at most maxBytes + 1: a file that grew after fstat is refused, not read without end.
    let buf = Buffer.alloc(Math.min(maxBytes + 1, st.size + 1));
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        if (len > maxBytes) throw new FileReadError(path, `more than the ${mib(maxBytes)} limit`);
        const bigger = Buffer.alloc(Math.min(maxBytes + 1, buf.length * 2));
        buf.copy(bigger);
        buf = bigger;
      }
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    if (len > maxBytes) throw new FileReadError(path, `more than the ${mib(maxBytes)} limit`);
    return buf.toString('utf8', 0, len);
  } catch (err) {
    if (err instanceof FileReadError) throw err;
    throw new FileReadError(path, `${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  } finally {
    closeSync(fd);
  }
}
