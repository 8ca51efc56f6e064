import type { Seconds } from '../core/units.js';

/** Where progress lines go (stderr in the CLI): one line each, never a secret. */
export interface Progress {
  line(text: string): void;
}

export const stderrProgress: Progress = { line: (text) => process.stderr.write(`${text}\n`) };

/** `mm:ss`, or `h:mm:ss` from an hour. */
export function clock(seconds: Seconds): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** An ETA: tenths of a second under a minute (a fast drain still shows one), `mm:ss` above. */
export function etaText(seconds: Seconds): string {
  return seconds < 60 ? `${seconds.toFixed(1)} s` : clock(seconds);
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function sleepUntil(ms: number): Promise<void> {
  const d = ms - Date.now();
  return d > 0 ? new Promise((r) => setTimeout(r, d)) : Promise.resolve();
}
