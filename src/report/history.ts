import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFile } from '../config/read-file.js';
import { parseReportDoc, type SloReportDoc } from './report-model.js';

/** A kept report is read back only up to this size: a history file is never trusted blindly. */
const MAX_REPORT_BYTES = 16 * 1024 * 1024;
const NAME_RE = /^slo-report-(\d{8}T\d{6}Z)\.(json|html|md)$/;

/** Pure: the base name of a report's files, `slo-report-20261207T080000Z` (UTC, sorts by time). */
export function reportBaseName(at: number): string {
  return `slo-report-${new Date(at * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')}`;
}

/** Stamps of the reports kept in `dir`, oldest first (a missing directory has none). */
async function stamps(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  return [...new Set(names.map((n) => NAME_RE.exec(n)?.[1]).filter((s): s is string => s !== undefined))].sort();
}

/**
 * The latest report kept in `dir` made before `at`, or undefined (none, or not readable as a
 * report: a broken history never stops the next report).
 */
export async function readPrevious(dir: string, at: number): Promise<SloReportDoc | undefined> {
  const current = reportBaseName(at).slice('slo-report-'.length);
  const older = (await stamps(dir)).filter((s) => s < current).reverse();
  for (const stamp of older) {
    try {
      const doc = parseReportDoc(JSON.parse(readRegularFile(join(dir, `slo-report-${stamp}.json`), MAX_REPORT_BYTES)));
      if (doc) return doc;
    } catch {
      // unreadable or not JSON: try the one before
    }
  }
  return undefined;
}

/**
 * Writes a report's files (each to a temp name, then renamed: a reader never sees half a file)
 * and deletes the oldest reports beyond `keep`. Returns the paths written.
 */
export async function writeReport(dir: string, at: number, files: { json: string; html: string; md: string }, keep: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const base = reportBaseName(at);
  const written: string[] = [];
  for (const [ext, text] of Object.entries(files)) {
    const path = join(dir, `${base}.${ext}`);
    await writeFile(`${path}.tmp`, text);
    await rename(`${path}.tmp`, path);
    written.push(path);
  }
  const all = await stamps(dir);
  for (const stamp of all.slice(0, Math.max(0, all.length - keep))) {
    for (const ext of ['json', 'html', 'md']) await rm(join(dir, `slo-report-${stamp}.${ext}`), { force: true });
  }
  return written;
}
