import type { Config } from '../config/schema/index.js';
import { drainRate, drainSeconds, drainVerdict, etaSeconds, round, type BacklogSample } from '../core/verify/drain.js';
import type { Seconds } from '../core/units.js';
import type { Logger } from '../telemetry/logger.js';
import { describeHook, runHook, type Hook } from './hooks.js';
import { clock, etaText, iso, sleepUntil, type Progress } from './progress.js';
import { pushSample, verdictText, type HookRecord, type ReportSample, type VerifyReport } from './report.js';
import { Watch, type BacklogTarget, type StreamTotals } from './watch.js';

export interface DrainOptions {
  readonly target: BacklogTarget;
  /** `streams[].name` tailed for lost (missing versions) and duplicated events. */
  readonly stream?: string | undefined;
  /** How long the consumer stays paused. */
  readonly pause: Seconds;
  /** How long it may take, from the resume, until the backlog is drained. */
  readonly limit: Seconds;
  /** Seconds between readings. */
  readonly interval: Seconds;
  /** Backlog at or under this counts as drained (0: fully caught up). */
  readonly drainedAt: number;
  /** Span of readings the drain rate is taken over. */
  readonly rateWindow: Seconds;
  /** After the drain, the stream is read until it is at its end for this long at most. */
  readonly settle: Seconds;
  /** The stream's own wait for a missing position (SQL streams' `settle`): read at least this long after the drain. */
  readonly streamSettle: Seconds;
  readonly pauseHook?: Hook | undefined;
  readonly resumeHook?: Hook | undefined;
  readonly hookTimeout: Seconds;
}

/**
 * The game-day drain check: pause (hook or by hand), watch the backlog grow for `pause`,
 * resume, watch it drain for at most `limit`, then count the stream's lost and duplicated
 * events since the start. Readings that fail are reported as failed, never as a backlog.
 */
export async function runDrain(config: Config, o: DrainOptions, out: Progress, logger: Logger): Promise<VerifyReport> {
  const watch = await Watch.open(config, o.target, o.stream, logger);
  const samples: ReportSample[] = [];
  const hooks: HookRecord[] = [];
  const reasons: string[] = [];
  const startedAt = Date.now();
  const t = (ms: number) => round((ms - startedAt) / 1000);
  let recent: BacklogSample[] = [];
  let peak: number | undefined;
  let atResume: number | undefined;
  let lastOk = false;
  let totals: StreamTotals | undefined;
  let streamOk = o.stream === undefined;
  let resumed = false;
  let resumedAt = startedAt;
  let drainedAt: number | undefined;

  const call = async (action: 'pause' | 'resume', h: Hook | undefined): Promise<boolean> => {
    if (!h) {
      out.line(
        action === 'pause'
          ? `>>> pause ${what(o.target)} now: the pause lasts ${o.pause} s`
          : `>>> resume ${what(o.target)} now: the drain limit is ${o.limit} s`,
      );
      hooks.push({ action, how: 'manual', at: iso(Date.now()), ok: true, detail: 'asked on stderr' });
      return true;
    }
    const r = await runHook(h, o.hookTimeout);
    hooks.push({ action, how: describeHook(h), at: iso(Date.now()), ok: r.ok, detail: r.detail });
    out.line(`${action} hook (${describeHook(h)}): ${r.ok ? 'ok' : 'FAILED'}, ${r.detail}`);
    return r.ok;
  };

  /** One reading of backlog and stream, a progress line, and the sample kept. */
  const read = async (phase: 'before' | 'pause' | 'drain', phaseStart: number, phaseLength: Seconds): Promise<number | undefined> => {
    const b = await watch.backlog();
    const at = Date.now();
    const s = await watch.stream();
    if (s?.ok) {
      totals = s.value;
      streamOk = true;
    } else if (s) streamOk = false;
    lastOk = b.ok;
    let line = phase === 'before' ? '[before]' : `[${phase.padEnd(6)} ${clock((at - phaseStart) / 1000)}/${clock(phaseLength)}]`;
    if (!b.ok) {
      pushSample(samples, { t: t(at), phase, error: b.error });
      out.line(`${line} backlog unreadable: ${b.error}`);
      return undefined;
    }
    pushSample(samples, { t: t(at), phase, value: b.value });
    peak = Math.max(peak ?? 0, b.value);
    recent.push({ at, backlog: b.value });
    recent = recent.filter((x) => x.at >= at - o.rateWindow * 1000);
    const rate = drainRate(recent, o.rateWindow);
    line += ` backlog ${b.value}`;
    if (rate !== undefined) line += rate >= 0 ? `, draining ${round(rate)}/s` : `, growing ${round(-rate)}/s`;
    if (phase === 'drain') {
      const eta = etaSeconds(b.value, o.drainedAt, rate);
      line += eta === undefined ? ', ETA unknown' : `, ETA ${etaText(eta)}`;
    }
    if (s) line += s.ok ? `; stream: ${s.value.observed} events, ${s.value.lost} lost, ${s.value.duplicated} duplicated` : `; stream unreadable: ${s.error}`;
    out.line(line);
    return b.value;
  };

  // Interrupted (Ctrl-C, SIGTERM) while paused: resume before exiting, never leave the consumer paused.
  const onSignal = (sig: NodeJS.Signals) => {
    void (async () => {
      out.line(`${sig}: stopping`);
      if (!resumed && o.resumeHook && hooks.some((h) => h.action === 'pause' && h.ok)) {
        resumed = true;
        await call('resume', o.resumeHook);
      }
      process.exit(130);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const first = await read('before', startedAt, 0);
    if (first === undefined) reasons.push('backlog unreadable before the pause');
    else {
      if (!(await call('pause', o.pauseHook))) reasons.push('pause hook failed');
      else {
        const pausedAt = Date.now();
        for (let next = pausedAt + o.interval * 1000; next < pausedAt + o.pause * 1000; next += o.interval * 1000) {
          await sleepUntil(next);
          await read('pause', pausedAt, o.pause);
        }
        await sleepUntil(pausedAt + o.pause * 1000);
        resumedAt = Date.now();
        resumed = true;
        if (!(await call('resume', o.resumeHook))) reasons.push('resume hook failed');
        recent = [];
        const deadline = resumedAt + o.limit * 1000;
        for (let next = Date.now(); ; next += o.interval * 1000) {
          await sleepUntil(next);
          const v = await read('drain', resumedAt, o.limit);
          if (v !== undefined) {
            atResume ??= v;
            if (v <= o.drainedAt) {
              drainedAt = Date.now();
              break;
            }
          }
          if (Date.now() >= deadline) break;
        }
        if (o.stream !== undefined) totals = await settleStream(watch, o, out, totals);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // A run cut short by an error must not leave the consumer paused.
    if (!resumed && o.resumeHook && hooks.some((h) => h.action === 'pause' && h.ok)) await call('resume', o.resumeHook);
    await watch.close();
  }
  if (o.stream !== undefined && (!streamOk || totals === undefined)) totals = undefined;

  const redelivered = await watch.redelivered();
  const v = drainVerdict({
    limit: o.limit,
    resumedAt,
    drainedAt,
    peakBacklog: peak,
    streamWatched: o.stream !== undefined,
    lost: totals?.lost,
    duplicated: totals?.duplicated,
    redelivered,
    backlogUnreadable: !lastOk,
  });
  // Stopped before the resume (backlog unreadable, pause hook failed): nothing was drained or counted to judge.
  const all = resumed ? [...reasons, ...v.reasons] : reasons;
  const took = drainSeconds({ resumedAt, drainedAt });
  return {
    check: 'drain',
    verdict: all.length === 0 ? verdictText(v) : 'fail',
    reasons: all,
    target: { ...o.target, ...(o.stream ? { stream: o.stream } : {}) },
    startedAt: iso(startedAt),
    endedAt: iso(Date.now()),
    fields: {
      'pause (s)': o.pause,
      'drain limit (s)': o.limit,
      'drained at backlog <=': o.drainedAt,
      'drain time (s)': took === undefined ? null : round(took),
      'peak backlog': peak ?? null,
      'backlog at resume': atResume ?? null,
      'average drain rate (/s)': took !== undefined && took > 0 && atResume !== undefined ? round((atResume - o.drainedAt) / took) : null,
      ...(o.stream !== undefined
        ? { 'events observed on the stream': totals?.observed ?? null, 'lost events': totals?.lost ?? null, 'duplicated events': totals?.duplicated ?? null }
        : {}),
      ...(redelivered !== undefined ? { 're-delivered messages': redelivered } : {}),
    },
    hooks,
    samples,
  };
}

/**
 * Rows written just before the drain ended may not be tailed yet (and a SQL stream waits
 * `settle` before it gives up a missing position as a gap): the stream is read until a cycle
 * reads nothing once the stream's settle has passed, for `o.settle` seconds at most.
 */
async function settleStream(watch: Watch, o: DrainOptions, out: Progress, last: StreamTotals | undefined): Promise<StreamTotals | undefined> {
  const from = Date.now();
  const until = from + o.settle * 1000;
  // A cycle that hands nothing over may be waiting on a missing position: a gap is only counted after the stream's settle.
  const atLeast = from + Math.min(o.streamSettle, o.settle) * 1000;
  let totals = last;
  for (;;) {
    const s = await watch.stream();
    if (!s?.ok) {
      out.line(`[settle] stream unreadable${s ? `: ${s.error}` : ''}`);
      return undefined;
    }
    totals = s.value;
    if ((s.value.lastRead === 0 && Date.now() >= atLeast) || Date.now() >= until) break;
    await sleepUntil(Date.now() + Math.min(o.interval, 1) * 1000);
  }
  out.line(`[settle] stream: ${totals.observed} events, ${totals.lost} lost, ${totals.duplicated} duplicated`);
  return totals;
}

function what(t: BacklogTarget): string {
  return t.kind === 'projection' ? `projection "${t.projection}" of store "${t.store}"` : `consumer group "${t.group}" of cluster "${t.cluster}"`;
}
