import { formatDuration, parseDuration } from '../../config/duration.js';
import type { BurnTierId } from '../../core/slo/burn-windows.js';
import { InputError } from '../errors.js';
import { list, obj, text } from '../obj.js';
import type { InputDoc, Obj, Warn } from '../types.js';
import type { OpenSloCatalog } from './catalog.js';

/** One burn-rate condition of an alert policy, in our units. */
interface BurnCondition {
  readonly severity: 'page' | 'ticket';
  readonly factor: number;
  readonly lookback: number;
  readonly alertAfter?: string;
  /** For messages: the document and field of the condition. */
  readonly from: string;
}

/** A named document given inline (`kind` + `metadata` + `spec`) or a reference to one; `where` names it in messages. */
function inlineOrRef(
  item: unknown,
  kind: 'AlertPolicy' | 'AlertCondition',
  refKey: string,
  from: InputDoc,
  field: string,
  catalog: OpenSloCatalog,
): { raw: Obj; where: string } {
  const named = (d: InputDoc) => ({ raw: d.raw, where: d.file === from.file ? d.where : `${d.where} of ${d.file}` });
  if (typeof item === 'string') return named(catalog.resolve(kind, item, from, field));
  const o = obj(item);
  const ref = text(o?.[refKey]);
  if (ref !== undefined) return named(catalog.resolve(kind, ref, from, `${field}.${refKey}`));
  if (o && o.kind === kind) return { raw: o, where: `${from.where}.${field}` };
  throw new InputError(from.file, `${from.where}.${field}`, `must be an inline kind: ${kind} or {${refKey}: <name>}`);
}

const SEVERITIES = { page: 'page', ticket: 'ticket' } as const;

/** The severity a condition notifies with: the AlertCondition's `severity`, else the policy's `severity` label. */
function severityOf(condition: Obj, policy: Obj, at: string, slo: InputDoc): 'page' | 'ticket' {
  const given = text(obj(condition.spec)?.severity) ?? text(obj(obj(policy.metadata)?.labels)?.severity) ?? text(obj(policy.spec)?.severity);
  const s = SEVERITIES[(given ?? '').toLowerCase() as keyof typeof SEVERITIES];
  if (!s)
    throw new InputError(slo.file, at, `spec.severity must say page or ticket (or the AlertPolicy's label severity), got ${JSON.stringify(given ?? null)}`);
  return s;
}

function burnCondition(condition: Obj, policy: Obj, at: string, slo: InputDoc): BurnCondition {
  const c = obj(obj(condition.spec)?.condition);
  const fail = (field: string, detail: string): never => {
    throw new InputError(slo.file, `${at}.spec.condition${field ? `.${field}` : ''}`, detail);
  };
  if (!c) return fail('', 'is required');
  if (c.kind !== 'burnrate') fail('kind', `only burnrate conditions map onto burn-rate alerts, got ${JSON.stringify(c.kind ?? null)}`);
  if (c.op !== 'gt' && c.op !== 'gte') fail('op', `must be gt or gte (a burn rate above the threshold alerts), got ${JSON.stringify(c.op ?? null)}`);
  if (typeof c.threshold !== 'number' || !(c.threshold > 0)) fail('threshold', `must be a positive burn rate, got ${JSON.stringify(c.threshold ?? null)}`);
  const lookback = parseDuration(text(c.lookbackWindow) ?? '');
  if (lookback === undefined || lookback <= 0) fail('lookbackWindow', `must be a duration like 1h, got ${JSON.stringify(c.lookbackWindow ?? null)}`);
  const alertAfter = text(c.alertAfter);
  if (alertAfter !== undefined && parseDuration(alertAfter) === undefined) fail('alertAfter', `must be a duration like 5m, got ${JSON.stringify(alertAfter)}`);
  return {
    severity: severityOf(condition, policy, at, slo),
    factor: c.threshold as number,
    lookback: lookback!,
    ...(alertAfter ? { alertAfter } : {}),
    from: at,
  };
}

/**
 * Our burn tiers from an OpenSLO SLO's `alertPolicies` (inline or `alertPolicyRef`), each with
 * `conditions` (inline `kind: AlertCondition` or `conditionRef`) of `kind: burnrate`.
 * A condition's burn rate over `lookbackWindow` becomes a tier with
 * budgetPercent = threshold × lookbackWindow / period × 100 (the inverse of the workbook's
 * factor formula, see core/slo/burn-windows.ts), longWindow = lookbackWindow, shortWindow =
 * lookbackWindow / 12 (the workbook's ratio) and `for` = alertAfter. Page conditions fill
 * page_fast then page_slow, ticket ones ticket_fast then ticket_slow, shortest lookback first;
 * tiers left over are disabled, so the policies say exactly what alerts. Returns undefined
 * when the SLO has no alert policies (our default tiers apply).
 */
export function tiersFromAlertPolicies(spec: Obj, slo: InputDoc, period: number, catalog: OpenSloCatalog, warn: Warn): Obj | undefined {
  const policies = list(spec.alertPolicies);
  if (policies.length === 0) return undefined;
  const conditions: BurnCondition[] = [];
  policies.forEach((item, i) => {
    const policy = inlineOrRef(item, 'AlertPolicy', 'alertPolicyRef', slo, `spec.alertPolicies[${i}]`, catalog);
    const pspec = obj(policy.raw.spec) ?? {};
    if (list(pspec.notificationTargets).length > 0) {
      warn(`${slo.file}: ${policy.where}.spec.notificationTargets are not used: the generated alertmanager.yml routes burn alerts by severity`);
    }
    if (pspec.alertWhenNoData === true)
      warn(`${slo.file}: ${policy.where}.spec.alertWhenNoData is not used: burn alerts need data; the monitor's own alerts cover a silent source`);
    const conds = list(pspec.conditions);
    if (conds.length === 0) throw new InputError(slo.file, `${policy.where}.spec.conditions`, 'needs at least one condition');
    conds.forEach((c, j) => {
      const cond = inlineOrRef(c, 'AlertCondition', 'conditionRef', { ...slo, where: policy.where }, `spec.conditions[${j}]`, catalog);
      conditions.push(burnCondition(cond.raw, policy.raw, cond.where, slo));
    });
  });
  const tiers: Obj = {};
  for (const severity of ['page', 'ticket'] as const) {
    const mine = conditions.filter((c) => c.severity === severity).sort((a, b) => a.lookback - b.lookback);
    if (mine.length > 2) {
      throw new InputError(
        slo.file,
        `${slo.where}.spec.alertPolicies`,
        `at most two ${severity} burn-rate conditions map onto our tiers (${severity}_fast, ${severity}_slow), got ${mine.length}: ${mine.map((c) => c.from).join(', ')}`,
      );
    }
    const ids: BurnTierId[] = severity === 'page' ? ['page_fast', 'page_slow'] : ['ticket_fast', 'ticket_slow'];
    ids.forEach((id, k) => {
      const c = mine[k];
      if (!c) {
        tiers[id] = { enabled: false };
        return;
      }
      const budgetPercent = Number(((c.factor * c.lookback * 100) / period).toPrecision(12));
      if (budgetPercent > 100) {
        throw new InputError(
          slo.file,
          `${c.from}.spec.condition.threshold`,
          `a burn rate of ${c.factor} over ${c.lookback}s spends ${Number(budgetPercent.toPrecision(6))}% of the period's error budget: it must be at most 100%`,
        );
      }
      tiers[id] = { severity, budgetPercent, longWindow: formatDuration(c.lookback), ...(c.alertAfter ? { for: c.alertAfter } : {}) };
    });
  }
  return tiers;
}
