import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../core/verify/drain.js';

/** A hook call as reported. */
export interface HookRecord {
  readonly action: 'pause' | 'resume' | 'start';
  /** `shell command` or `POST <url without credentials>`; `manual` when the user was asked to act. */
  readonly how: string;
  readonly at: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** One progress sample as kept in the report (seconds since the run started). */
export interface ReportSample {
  readonly t: number;
  readonly phase: string;
  /** Undefined when the reading failed. */
  readonly value?: number | undefined;
  readonly error?: string | undefined;
}

/** Everything a verify run reports; `fields` are the run's measured numbers, in display order. */
export interface VerifyReport {
  readonly check: 'drain' | 'rebuild';
  readonly verdict: 'pass' | 'fail';
  readonly reasons: readonly string[];
  readonly target: Record<string, string>;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly fields: Record<string, number | string | null>;
  readonly hooks: readonly HookRecord[];
  readonly samples: readonly ReportSample[];
}

export function verdictText(v: Verdict): 'pass' | 'fail' {
  return v.pass ? 'pass' : 'fail';
}

/** Samples kept at most: past it every other one is dropped (the run keeps its shape, memory stays bounded). */
export const MAX_SAMPLES = 4000;

export function pushSample(samples: ReportSample[], s: ReportSample): void {
  samples.push(s);
  if (samples.length > MAX_SAMPLES) {
    let w = 0;
    for (let i = 0; i < samples.length; i += 2) samples[w++] = samples[i]!;
    samples.length = w;
  }
}

/** Markdown for people: verdict, reasons, numbers, hooks; the samples stay in the JSON. */
export function renderMarkdown(r: VerifyReport): string {
  const esc = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
  const lines = [
    `# cqrs-slo verify ${r.check}: ${r.verdict.toUpperCase()}`,
    '',
    `- Target: ${Object.entries(r.target)
      .map(([k, v]) => `${k} \`${v.replace(/`/g, "'")}\``)
      .join(', ')}`,
    `- Started ${r.startedAt}, ended ${r.endedAt}`,
    '',
  ];
  if (r.reasons.length > 0) {
    lines.push('## Why it failed', '');
    for (const reason of r.reasons) lines.push(`- ${esc(reason)}`);
    lines.push('');
  }
  lines.push('## Measured', '', '| | |', '|---|---|');
  for (const [k, v] of Object.entries(r.fields)) lines.push(`| ${esc(k)} | ${v === null ? 'unknown' : esc(String(v))} |`);
  lines.push('');
  if (r.hooks.length > 0) {
    lines.push('## Hooks', '', '| action | how | at | result |', '|---|---|---|---|');
    for (const h of r.hooks) lines.push(`| ${h.action} | ${esc(h.how)} | ${h.at} | ${h.ok ? 'ok' : 'failed'}: ${esc(h.detail)} |`);
    lines.push('');
  }
  const errors = r.samples.filter((s) => s.error !== undefined).length;
  lines.push(`${r.samples.length} readings${errors > 0 ? `, ${errors} failed` : ''}; every reading is in the JSON report.`, '');
  return lines.join('\n');
}

/** Writes `<dir>/<base>.json` and `<dir>/<base>.md` (each through a temp file and a rename); returns the paths. */
export function writeReport(dir: string, base: string, r: VerifyReport): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const [ext, text] of [
    ['json', `${JSON.stringify(r, null, 2)}\n`],
    ['md', renderMarkdown(r)],
  ] as const) {
    const path = join(dir, `${base}.${ext}`);
    writeFileSync(`${path}.tmp`, text, { mode: 0o644 });
    renameSync(`${path}.tmp`, path);
    out.push(path);
  }
  return out;
}

/** `2026-12-03T11-40-45Z`: a file-name-safe UTC stamp for report names. */
export function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}
