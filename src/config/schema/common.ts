import { z } from 'zod';
import { parseDuration } from '../duration.js';
import { resolveSecretRef, SECRET_REF_RE, Secret } from '../secret.js';

/** A duration such as `30s`, `5m`, `30d`; parsed to seconds. */
export const duration = (opts: { min?: number; max?: number } = {}) =>
  z
    .string()
    .meta({ description: 'Duration: a number and a unit (ms, s, m, h, d, w), e.g. 30s, 5m, 30d', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$' })
    .transform((text, ctx) => {
      const s = parseDuration(text);
      if (s === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be a duration like 30s, 5m or 30d, got ${JSON.stringify(text)}` });
        return z.NEVER;
      }
      if (opts.min !== undefined && s < opts.min) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${opts.min}s, got ${JSON.stringify(text)}` });
        return z.NEVER;
      }
      if (opts.max !== undefined && s > opts.max) {
        ctx.addIssue({ code: 'custom', message: `must be at most ${opts.max}s, got ${JSON.stringify(text)}` });
        return z.NEVER;
      }
      return s;
    });

/** A secret given by reference only: `env:NAME` or `file:/path`. */
export const secretRef = () =>
  z
    .string()
    .meta({ description: 'Secret reference: env:NAME or file:/path (inline secrets are rejected)', pattern: SECRET_REF_RE.source })
    .transform((ref, ctx): Secret => {
      try {
        return resolveSecretRef(ref);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    });

/** A regular expression given as a string; checked to compile. */
export const regex = () =>
  z
    .string()
    .meta({ description: 'JavaScript regular expression' })
    .transform((src, ctx) => {
      try {
        return new RegExp(src);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be a valid regular expression, got ${JSON.stringify(src)}` });
        return z.NEVER;
      }
    });

/** A name usable as a label value and file name. */
export const name = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$/, {
      message: 'must be 1-63 characters of letters, digits, _ . : - starting with a letter or digit',
    });

/** `host:port` of a Kafka broker. */
export const hostPort = () =>
  z.string().regex(/^[^\s:]+:\d{1,5}$/, { message: 'must be host:port' });

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
