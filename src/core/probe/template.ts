/** The one placeholder probe templates know. */
export const PROBE_ID_PLACEHOLDER = /\{\{\s*probeId\s*\}\}/g;

/** Any `{{...}}`: a placeholder other than probeId is refused by the schema (a typo would be sent as is). */
export const ANY_PLACEHOLDER = /\{\{[^}]*\}\}/g;

/** Replaces `{{probeId}}` with the run's id. */
export function fill(template: string, probeId: string): string {
  return template.replace(PROBE_ID_PLACEHOLDER, probeId);
}

/** Placeholders in `template` other than `{{probeId}}`. */
export function unknownPlaceholders(template: string): string[] {
  return (template.match(ANY_PLACEHOLDER) ?? []).filter((p) => !/^\{\{\s*probeId\s*\}\}$/.test(p));
}

/** Characters of a probe id: safe in a URL path, a header, JSON and SQL text without escaping. */
const ID_RE = /^[a-z0-9-]+$/;

/**
 * The id of one run: `<prefix>-<probe>-<base36 time>-<random>`, lower-case letters, digits and
 * dashes only. The prefix tags probe entities so the application can filter them from its own
 * views and a cleanup can find the leftovers of a crashed run (docs/probes.md, Security).
 */
export function probeId(prefix: string, probe: string, at: number, random: number): string {
  const slug = probe
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const rnd = Math.floor(Math.abs(random) * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  const id = `${prefix}-${slug}-${Math.max(0, Math.floor(at)).toString(36)}-${rnd}`;
  if (!ID_RE.test(id)) throw new Error(`probe id ${JSON.stringify(id)} has characters outside [a-z0-9-]`);
  return id;
}
