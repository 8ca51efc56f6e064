import type { Obj } from './types.js';

/** The value as a mapping, or undefined when it is not one. */
export const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** The value as a list (undefined and null are empty). */
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The value as a string, when it is a string or a number. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** A mapping of label-like values as strings. */
export const stringMap = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v) ?? {}).map(([k, x]) => [k, String(x)]));

/** Name of a document for messages: `SLO web-availability`. */
export function describeDoc(raw: Obj): string {
  const kind = text(raw.kind);
  const name = text(obj(raw.metadata)?.name);
  if (kind) return name ? `${kind} ${name}` : kind;
  if (raw.version !== undefined) return `sloth ${text(raw.service) ?? ''}`.trim();
  return 'unknown';
}
