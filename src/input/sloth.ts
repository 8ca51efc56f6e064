import type { SloInput } from './types.js';
import { InputError } from './errors.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/**
 * Sloth `prometheus/v1` spec (https://sloth.dev/specs/prometheus/v1/) -> our SLO input.
 * Supported: service, labels.owner/team, slos[].name/objective/description, sli.events
 * (error_query + total_query, with {{.window}}), alerting.labels, page_alert.disable,
 * ticket_alert.disable. Not supported (rejected with a message): sli.raw, sli.plugin.
 */
export function fromSloth(doc: Obj, file: string, index: number): SloInput[] {
  const where = `document ${index + 1}`;
  const service = typeof doc.service === 'string' ? doc.service : undefined;
  if (!service) throw new InputError(file, where, 'service is required');
  const labels = obj(doc.labels) ?? {};
  const owner = String(labels.owner ?? labels.team ?? 'unowned');
  const slos = Array.isArray(doc.slos) ? doc.slos : [];
  return slos.map((raw, i) => {
    const s = obj(raw) ?? {};
    const at = `${where}.slos[${i}]`;
    const sli = obj(s.sli) ?? {};
    const events = obj(sli.events);
    if (!events) throw new InputError(file, `${at}.sli`, `only sli.events (error_query/total_query) is supported, got ${Object.keys(sli).join(', ') || 'nothing'}`);
    const alerting = obj(s.alerting) ?? {};
    const tiers: Obj = {};
    if (obj(alerting.page_alert)?.disable === true) Object.assign(tiers, { page_fast: { enabled: false }, page_slow: { enabled: false } });
    if (obj(alerting.ticket_alert)?.disable === true) Object.assign(tiers, { ticket_fast: { enabled: false }, ticket_slow: { enabled: false } });
    const alertLabels = Object.fromEntries(Object.entries(obj(alerting.labels) ?? {}).map(([k, v]) => [k, String(v)]));
    return {
      name: String(s.name ?? ''),
      description: typeof s.description === 'string' ? s.description : '',
      owner,
      service,
      objective: s.objective,
      alerting: { tiers, labels: alertLabels },
      sli: { kind: 'ratio', bad: events.error_query, total: events.total_query },
    } as SloInput;
  });
}
