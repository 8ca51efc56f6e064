import { z } from 'zod';
import { formatDuration, MAX_DURATION_SECONDS, parseDuration } from '../duration.js';
import { resolveSecretRef, SECRET_REF_RE, Secret } from '../secret.js';
import { regexHazard } from '../safe-regex.js';
import { unsafeCharacter } from '../text-check.js';
import { secretBaseDir } from '../secret-base.js';

/** What a value is, without the value: for fields whose value must never be printed. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return 'true or false';
  return `a ${typeof value}`;
}

/** A bound as people write it: whole days in days (`24d`, not `3w3d`). */
const bound = (seconds: number): string => (seconds >= 86_400 && seconds % 86_400 === 0 ? `${seconds / 86_400}d` : formatDuration(seconds));

/**
 * A duration such as `30s`, `5m`, `30d`; parsed to seconds. `max` defaults to 10 years;
 * durations that feed timers pass MAX_TIMER_SECONDS. `numberAsSeconds` also accepts a bare
 * number as seconds (only where the field was a number before). Elsewhere a bare number is
 * refused with a hint to add a unit.
 */
export const duration = (opts: { min?: number; max?: number; numberAsSeconds?: boolean } = {}) => {
  const max = opts.max ?? MAX_DURATION_SECONDS;
  const min = opts.min ?? 0;
  const meta = { description: 'Duration: a number and a unit (ms, s, m, h, d, w), e.g. 30s, 5m, 30d', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$' };
  const str = z
    .string({
      error: (iss) =>
        typeof iss.input === 'number'
          ? `must be a duration with a unit such as ${Number.isFinite(iss.input) && iss.input >= 0 && iss.input < 1e9 ? iss.input : 5}s (a bare number has no unit), got ${iss.input}`
          : undefined,
    })
    .meta(meta);
  const base = opts.numberAsSeconds ? z.union([str, z.number().meta({ description: 'Seconds (a bare number; prefer a duration such as 10s)' })]) : str;
  return base.transform((input, ctx) => {
    const text = String(input);
    const s = typeof input === 'number' ? input : parseDuration(input);
    if (s === undefined || !Number.isFinite(s)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a duration like 30s, 5m or 30d, got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)}`,
      });
      return z.NEVER;
    }
    const shown = typeof input === 'number' ? String(input) : JSON.stringify(text);
    if (s < min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${bound(min)}, got ${shown}` });
      return z.NEVER;
    }
    if (s > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${bound(max)}${max < MAX_DURATION_SECONDS ? ' (timers hold at most 2^31-1 ms, about 24.8 days)' : ''}, got ${shown}`,
      });
      return z.NEVER;
    }
    return s;
  });
};

/** A secret given by reference only: `env:NAME` or `file:/path` (relative to the config file). */
export const secretRef = () =>
  z
    .string({ error: (iss) => `must be a reference env:NAME or file:/path, got ${kindOf(iss.input)} (the value is not shown)` })
    .meta({
      description: 'Secret reference: env:NAME or file:/path, a relative path being relative to the configuration file (inline secrets are rejected)',
      pattern: SECRET_REF_RE.source,
    })
    .transform((ref, ctx): Secret => {
      try {
        return resolveSecretRef(ref, process.env, secretBaseDir());
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });

/**
 * A regular expression given as a string; checked to compile and to run in bounded time:
 * patterns that can backtrack catastrophically are refused (src/config/safe-regex.ts).
 */
export const regex = () =>
  z
    .string()
    .meta({ description: 'JavaScript regular expression without nested or alternated repetition, backreferences or lookarounds' })
    .transform((src, ctx) => {
      let re: RegExp;
      try {
        re = new RegExp(src);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be a valid regular expression, got ${JSON.stringify(src)}` });
        return z.NEVER;
      }
      const hazard = regexHazard(src);
      if (hazard) {
        ctx.addIssue({ code: 'custom', message: `must be a regular expression that runs in linear time, got ${JSON.stringify(src)}: ${hazard}` });
        return z.NEVER;
      }
      return re;
    });

/**
 * Free text shown to people (owner, description, references): no control characters (C0 but
 * tab and, when `multiline`, newline; DEL; C1) and no bidirectional overrides or isolates, which
 * could reorder what a page or a log line shows.
 */
export const text = (opts: { multiline?: boolean } = {}) =>
  z.string().superRefine((value, ctx) => {
    const bad = unsafeCharacter(value, opts.multiline ?? false);
    if (bad) ctx.addIssue({ code: 'custom', message: `must not contain ${bad}` });
  });

/** A name usable as a label value and file name. */
export const name = () =>
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$/, {
    message: 'must be 1-63 characters of letters, digits, _ . : - starting with a letter or digit',
  });

/** `host:port` of a Kafka broker. */
export const hostPort = () => z.string().regex(/^[^\s:]+:\d{1,5}$/, { message: 'must be host:port' });

/** include/exclude filters by regular expression. */
export const filter = () =>
  z
    .strictObject({
      include: z.array(regex()).default([]).meta({ description: 'Keep names matching any of these (all when empty)' }),
      exclude: z.array(regex()).default([]).meta({ description: 'Drop names matching any of these' }),
    })
    .default({ include: [], exclude: [] });

export type Filter = z.output<ReturnType<typeof filter>>;

/** True when `name` passes the filter. */
export function passes(f: Filter, value: string): boolean {
  if (f.exclude.some((r) => r.test(value))) return false;
  return f.include.length === 0 || f.include.some((r) => r.test(value));
}

export { Secret };
