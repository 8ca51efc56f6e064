import { InputError } from './errors.js';
import { carryLabels } from './labels.js';
import { list, obj, stringMap, text } from './obj.js';
import type { InputDoc, Obj, SloInput, Warn } from './types.js';

/** Field names of the two Sloth formats: the file spec is snake_case, the Kubernetes CRD camelCase. */
const KEYS = {
  file: { error: 'error_query', total: 'total_query', ratio: 'error_ratio_query', page: 'page_alert', ticket: 'ticket_alert' },
  crd: { error: 'errorQuery', total: 'totalQuery', ratio: 'errorRatioQuery', page: 'pageAlert', ticket: 'ticketAlert' },
} as const;

export type SlothFormat = keyof typeof KEYS;

/** One SLO of a Sloth spec, with the place of the SLO for messages. */
export interface SlothSlo {
  readonly input: SloInput;
  readonly where: string;
}

/**
 * Sloth `prometheus/v1` (https://sloth.dev/specs/prometheus/v1/, `format: 'file'`, fields at the
 * top) or the `sloth.slok.dev/v1` `PrometheusServiceLevel` CRD (`format: 'crd'`, fields under
 * `spec`) -> our SLO inputs.
 * - service -> service; labels.owner|team -> owner; the other spec labels and each SLO's
 *   labels -> alert labels (Sloth puts them on every rule; we put them on the alerts).
 * - sli.events error/total -> `ratio` (bad/total); sli.raw error ratio -> `error_ratio`;
 *   sli.plugin is refused (plugins are Go code run by Sloth).
 * - alerting.name -> the `sloth_alert_name` label (every burn alert is CqrsSloErrorBudgetBurn);
 *   alerting.labels/annotations -> every burn alert; page/ticket alert labels/annotations/disable
 *   -> the page_* / ticket_* tiers. A `severity` label is kept as `original_severity`.
 */
export function fromSloth(doc: InputDoc, format: SlothFormat, warn: Warn): SlothSlo[] {
  const k = KEYS[format];
  const base = format === 'crd' ? `${doc.where}.spec` : doc.where;
  const spec = format === 'crd' ? obj(doc.raw.spec) : doc.raw;
  if (!spec) throw new InputError(doc.file, `${doc.where}.spec`, 'is required');
  const fail = (field: string, detail: string): never => {
    throw new InputError(doc.file, `${base}.${field}`, detail);
  };
  const service = text(spec.service) ?? fail('service', 'is required');
  const specLabels = stringMap(spec.labels);
  const owner = specLabels.owner ?? specLabels.team ?? 'unowned';
  const shared = Object.fromEntries(Object.entries(specLabels).filter(([l]) => l !== 'owner' && l !== 'team'));
  const slos = list(spec.slos);
  if (slos.length === 0) fail('slos', 'needs at least one SLO');
  return slos.map((raw, i) => {
    const at = `${base}.slos[${i}]`;
    const s = obj(raw) ?? fail(`slos[${i}]`, 'must be a mapping');
    const sli = obj(s.sli) ?? fail(`slos[${i}].sli`, 'is required');
    let sliOut: Obj;
    if (obj(sli.events)) {
      const e = obj(sli.events)!;
      sliOut = {
        kind: 'ratio',
        bad: text(e[k.error]) ?? fail(`slos[${i}].sli.events.${k.error}`, 'is required'),
        total: text(e[k.total]) ?? fail(`slos[${i}].sli.events.${k.total}`, 'is required'),
      };
    } else if (obj(sli.raw)) {
      sliOut = { kind: 'error_ratio', query: text(obj(sli.raw)![k.ratio]) ?? fail(`slos[${i}].sli.raw.${k.ratio}`, 'is required') };
    } else if (sli.plugin !== undefined) {
      return fail(`slos[${i}].sli.plugin`, "is not supported: SLI plugins are Go code that Sloth runs; write the plugin's queries as sli.events or sli.raw");
    } else {
      return fail(`slos[${i}].sli`, `needs events or raw, got ${Object.keys(sli).join(', ') || 'nothing'}`);
    }
    const alerting = obj(s.alerting) ?? {};
    const where = `${doc.file}: ${at}`;
    const labels = carryLabels({ ...shared, ...stringMap(s.labels), ...stringMap(alerting.labels) }, `${where}.labels`, warn);
    const name = text(alerting.name);
    if (name !== undefined) labels.sloth_alert_name = name;
    const tiers: Obj = {};
    for (const [key, ids] of [
      [k.page, ['page_fast', 'page_slow']],
      [k.ticket, ['ticket_fast', 'ticket_slow']],
    ] as const) {
      const a = obj(alerting[key]);
      if (!a) continue;
      const tierLabels = carryLabels(stringMap(a.labels), `${where}.alerting.${key}.labels`, warn);
      const tierAnnotations = stringMap(a.annotations);
      for (const id of ids) {
        tiers[id] = {
          ...(a.disable === true ? { enabled: false } : {}),
          ...(Object.keys(tierLabels).length ? { labels: tierLabels } : {}),
          ...(Object.keys(tierAnnotations).length ? { annotations: tierAnnotations } : {}),
        };
      }
    }
    return {
      where: at,
      input: {
        name: text(s.name) ?? '',
        description: text(s.description) ?? '',
        owner,
        ...(specLabels.team ? { team: specLabels.team } : {}),
        service,
        objective: s.objective,
        alerting: { tiers, labels, annotations: stringMap(alerting.annotations) },
        sli: sliOut,
      } as SloInput,
    };
  });
}
