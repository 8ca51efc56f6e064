import { createHash } from 'node:crypto';
import { Secret } from './secret.js';

/**
 * A stable text for a parsed configuration value, equal for equal configurations: object keys
 * sorted, regular expressions by source, secrets by a hash of their value (a rotated password
 * file changes the fingerprint without the value ever being written out).
 */
export function fingerprint(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value instanceof Secret) return { secret: createHash('sha256').update(value.reveal()).digest('hex') };
  if (value instanceof RegExp) return { regex: value.source, flags: value.flags };
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = normalise((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
