import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { DEMO_PGDATA } from '../../../src/demo/demo-db.js';
import { createTarExtractor, extractTarGz, TarFormatError } from '../../../src/demo/untar.js';

/** One tar entry: a 512-byte ustar header, the data, padding to a block. */
function entry(name: string, type: string, data = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'latin1');
  h.write('0000600\0', 100);
  h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  h.fill(' ', 148, 156);
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}
const archive = (...entries: Buffer[]): Buffer => Buffer.concat([...entries, Buffer.alloc(1024)]);

/** Writes `tar` to the extractor in chunks of `size` bytes (headers and data split anywhere). */
async function extractInChunks(tar: Buffer, dir: string, size: number): Promise<void> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < tar.length; i += size) chunks.push(tar.subarray(i, i + size));
  await pipeline(Readable.from(chunks), createTarExtractor(dir));
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'untar-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('extracting the prepared data directory', () => {
  const big = Buffer.alloc(70_001, 7);
  big.write('end', 69_998);
  const tar = archive(
    entry('/base/', '5'),
    entry('/base/1/PG_VERSION', '0', Buffer.from('17\n')),
    entry('pax', 'x', Buffer.from('30 path=ignored/by/this/reader\n')),
    entry('/pg_wal/000000010000000000000001', '0', big),
    entry('/global/empty', '0'),
  );

  test.each([7, 511, 513, 65_536])('files, directories and sizes exact when written in chunks of %i bytes', async (size) => {
    const dir = tempDir();
    await extractInChunks(tar, dir, size);
    expect(readFileSync(join(dir, 'base/1/PG_VERSION'), 'utf8')).toBe('17\n');
    expect(readFileSync(join(dir, 'pg_wal/000000010000000000000001')).equals(big)).toBe(true);
    expect(statSync(join(dir, 'global/empty')).size).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['base', 'global', 'pg_wal']);
  });

  test('refuses a path leaving the target directory and a link, naming the entry', async () => {
    const dir = tempDir();
    await expect(extractInChunks(archive(entry('../evil', '0', Buffer.from('x'))), dir, 512)).rejects.toThrow(
      new TarFormatError('path outside the target directory', '../evil'),
    );
    await expect(extractInChunks(archive(entry('link', '2')), dir, 512)).rejects.toThrow(/entry type '2' is not extracted: link/);
    expect(readdirSync(join(dir, '..')).includes('evil')).toBe(false);
  });

  test('refuses an archive that ends inside a file', async () => {
    const dir = tempDir();
    const cut = entry('f', '0', Buffer.alloc(2000)).subarray(0, 1000);
    await expect(extractInChunks(cut, dir, 100)).rejects.toThrow(/archive ends inside a file: f/);
  });

  test('the shipped archive: every file of the system tar listing, with its size', async () => {
    const dir = tempDir();
    const gz = join(dir, 'a.tgz');
    writeFileSync(gz, gzipSync(tar));
    await extractTarGz(gz, join(dir, 'small'));
    expect(readFileSync(join(dir, 'small/base/1/PG_VERSION'), 'utf8')).toBe('17\n');

    const out = join(dir, 'pgdata');
    await extractTarGz(DEMO_PGDATA, out);
    const listing = spawnSync('tar', ['tzvf', DEMO_PGDATA.pathname], { encoding: 'utf8' });
    expect(listing.status).toBe(0);
    const files = listing.stdout
      .split('\n')
      .filter((l) => l.startsWith('-'))
      .map((l) => l.trim().split(/\s+/))
      .map((f) => ({ size: Number(f[2]), name: f[5]!.replace(/^\//, '') }));
    expect(files.length).toBeGreaterThan(900);
    for (const f of files) expect(statSync(join(out, f.name)).size, f.name).toBe(f.size);
  });
});
