import { Registry } from 'prom-client';
import type { Config } from '../config/schema/index.js';
import type { StoreConfig } from '../config/schema/stores.js';
import { SliBoard } from '../core/sli-board.js';
import { round } from '../core/verify/drain.js';
import { rebuildSeconds, rebuildVerdict, stepRebuildRun, type RebuildProgress } from '../core/verify/rebuild.js';
import type { Seconds } from '../core/units.js';
import { createMetrics } from '../metrics/create-metrics.js';
import type { Logger } from '../telemetry/logger.js';
import { ChecksumReader } from './checksum.js';
import { describeHook, runHook, type Hook, type HookResult } from './hooks.js';
import { clock, iso, sleepUntil, type Progress } from './progress.js';
import { pushSample, verdictText, type HookRecord, type ReportSample, type VerifyReport } from './report.js';
import { Watch } from './watch.js';

export interface RebuildOptions {
  readonly store: StoreConfig;
  readonly projection: string;
  /** SQL whose first column of the first row is the read model's checksum. */
  readonly checksumSql: string;
  readonly checksumTimeout: Seconds;
  /** How long the rebuild may take. */
  readonly window: Seconds;
  readonly interval: Seconds;
  /** Starts the rebuild (and may run all of it, so its timeout is the window); without it the user starts the rebuild. */
  readonly startHook?: Hook | undefined;
}

/**
 * Times a rebuild and compares the read model before and after: checksum, start (hook or by
 * hand), readings of head and checkpoint until the checkpoint is back at the head seen before
 * the start (after a reset), checksum again. The events written during the rebuild change the
 * read model legitimately: run it on a quiet stream, or make the checksum query cover only
 * what existed before.
 */
export async function runRebuild(config: Config, o: RebuildOptions, out: Progress, logger: Logger): Promise<VerifyReport> {
  const target = { kind: 'projection', store: o.store.name, projection: o.projection } as const;
  const watch = await Watch.open(config, target, undefined, logger);
  const checksum = new ChecksumReader(o.store, {
    metrics: createMetrics(new Registry(), { processMetrics: false }),
    logger,
    clock: () => Date.now(),
    board: new SliBoard(),
  });
  const samples: ReportSample[] = [];
  const hooks: HookRecord[] = [];
  const reasons: string[] = [];
  const startedAt = Date.now();
  const t = (ms: number) => round((ms - startedAt) / 1000);
  let before: string | undefined;
  let after: string | undefined;
  let progress: RebuildProgress | undefined;

  try {
    const c0 = await checksum.read(o.checksumSql, o.checksumTimeout);
    const p0 = await watch.positions();
    if (!c0.ok) reasons.push(`checksum before the rebuild could not be read: ${c0.error}`);
    if (!p0.ok) reasons.push(`projection unreadable before the rebuild: ${p0.error}`);
    if (c0.ok && p0.ok) {
      before = c0.value;
      out.line(`before: checksum ${before}, head ${p0.value.head}, checkpoint ${p0.value.checkpoint}`);
      const rebuildStart = Date.now();
      progress = { startedAt: rebuildStart, startCheckpoint: p0.value.checkpoint, target: p0.value.head, resetSeen: false };
      let hookDone = false;
      let hookFailed = false;
      let hook: Promise<HookResult> | undefined;
      if (o.startHook) {
        const h = o.startHook;
        // The hook may trigger the rebuild or run all of it: readings go on while it runs.
        hook = runHook(h, o.window).then((r) => {
          hooks.push({ action: 'start', how: describeHook(h), at: iso(Date.now()), ok: r.ok, detail: r.detail });
          out.line(`start hook (${describeHook(h)}): ${r.ok ? 'ok' : 'FAILED'}, ${r.detail}`);
          if (r.ok) hookDone = true;
          else hookFailed = true;
          return r;
        });
      } else {
        out.line(`>>> start the rebuild of projection "${o.projection}" now: the window is ${o.window} s`);
        hooks.push({ action: 'start', how: 'manual', at: iso(Date.now()), ok: true, detail: 'asked on stderr' });
      }
      const deadline = rebuildStart + o.window * 1000;
      for (let next = Date.now() + o.interval * 1000; ; next += o.interval * 1000) {
        await sleepUntil(Math.min(next, deadline));
        // A hook that ran the whole rebuild counts only for readings taken after it returned.
        const doneBefore = hookDone;
        const p = await watch.positions();
        const at = Date.now();
        const line = `[rebuild ${clock((at - rebuildStart) / 1000)}/${clock(o.window)}]`;
        if (!p.ok) {
          pushSample(samples, { t: t(at), phase: 'rebuild', error: p.error });
          out.line(`${line} projection unreadable: ${p.error}`);
        } else {
          pushSample(samples, { t: t(at), phase: 'rebuild', value: p.value.checkpoint });
          progress = stepRebuildRun(progress, { at, ...p.value }, doneBefore);
          const pct = progress.target > 0 ? Math.min(100, Math.floor((p.value.checkpoint / progress.target) * 100)) : 100;
          out.line(
            `${line} checkpoint ${p.value.checkpoint} of ${progress.target} (${pct}%), head ${p.value.head}${progress.resetSeen ? '' : ', no reset seen yet'}`,
          );
          if (progress.endedAt !== undefined) break;
        }
        if (hookFailed) {
          reasons.push('start hook failed');
          break;
        }
        if (at >= deadline) break;
      }
      if (hook && !hookDone && !hookFailed) out.line('start hook still running: it is stopped at its timeout');
      if (progress.endedAt !== undefined) {
        const c1 = await checksum.read(o.checksumSql, o.checksumTimeout);
        if (c1.ok) after = c1.value;
        else out.line(`checksum after the rebuild could not be read: ${c1.error}`);
        out.line(`after: checksum ${after ?? 'unknown'}`);
      }
      await hook;
    }
  } finally {
    await Promise.allSettled([watch.close(), checksum.close()]);
  }

  const v = progress ? rebuildVerdict({ window: o.window, progress, before, after }) : { pass: false, reasons: [] };
  const all = [...reasons, ...v.reasons];
  const took = progress ? rebuildSeconds(progress) : undefined;
  return {
    check: 'rebuild',
    verdict: all.length === 0 ? verdictText(v) : 'fail',
    reasons: all,
    target: { store: o.store.name, projection: o.projection },
    startedAt: iso(startedAt),
    endedAt: iso(Date.now()),
    fields: {
      'window (s)': o.window,
      'rebuild time (s)': took === undefined ? null : round(took),
      'checkpoint before': progress?.startCheckpoint ?? null,
      'head before (target)': progress?.target ?? null,
      'checksum before': before ?? null,
      'checksum after': after ?? null,
    },
    hooks,
    samples,
  };
}
