import { describe, expect, it } from 'vitest';
import { trackProjection, type ProjectionObservation, type ProjectionRules, type ProjectionTrackState } from '../../../../src/core/projection/index.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const s = (sec: number) => T0 + sec * 1000;
const rules: ProjectionRules = { stallAfter: 120, window: 300 };

/** Runs readings in order and returns every SLI. */
function run(readings: ProjectionObservation[]) {
  let state: ProjectionTrackState | undefined;
  return readings.map((obs) => {
    const r = trackProjection(state, obs, rules);
    state = r.state;
    return r.sli;
  });
}

describe('trackProjection: lag, staleness, checkpoint age', () => {
  it('caught up: lag 0, staleness 0, status OK', () => {
    const [sli] = run([{ at: s(100), head: 50, checkpoint: 50, checkpointUpdatedAt: s(40) }]);
    expect(sli).toMatchObject({ lagEvents: 0, stalenessSeconds: 0, checkpointAgeSeconds: 60, status: 'OK', skewed: 0 });
  });

  it('behind: lag = head - checkpoint, staleness = age of the first unapplied event', () => {
    // head 120, checkpoint 100 -> 20 events; event 101 written at t=70 s, read at t=100 s -> 30 s.
    const [sli] = run([{ at: s(100), head: 120, checkpoint: 100, firstUnappliedTime: s(70) }]);
    expect(sli?.lagEvents).toBe(20);
    expect(sli?.stalenessSeconds).toBe(30);
  });

  it('a checkpoint ahead of the head is lag 0, not negative', () => {
    const [sli] = run([{ at: s(1), head: 10, checkpoint: 12 }]);
    expect(sli?.lagEvents).toBe(0);
    expect(sli?.stalenessSeconds).toBe(0);
  });

  it('lag > 0 without a first unapplied event: staleness unknown, not invented', () => {
    const [sli] = run([{ at: s(1), head: 10, checkpoint: 5 }]);
    expect(sli?.stalenessSeconds).toBeUndefined();
  });

  it('quiet stream: staleness stays 0 while checkpoint age rises', () => {
    const out = run([
      { at: s(0), head: 10, checkpoint: 10 },
      { at: s(600), head: 10, checkpoint: 10 },
    ]);
    expect(out.map((x) => x.stalenessSeconds)).toEqual([0, 0]);
    // No store update time: age counts from the monitor's first sight of checkpoint 10.
    expect(out.map((x) => x.checkpointAgeSeconds)).toEqual([0, 600]);
    expect(out.map((x) => x.status)).toEqual(['OK', 'OK']);
  });

  it('stuck projection: staleness keeps rising with the same first unapplied event', () => {
    const out = run([
      { at: s(10), head: 11, checkpoint: 10, firstUnappliedTime: s(5) },
      { at: s(25), head: 12, checkpoint: 10, firstUnappliedTime: s(5) },
      { at: s(40), head: 13, checkpoint: 10, firstUnappliedTime: s(5) },
    ]);
    expect(out.map((x) => x.stalenessSeconds)).toEqual([5, 20, 35]);
  });
});

describe('trackProjection: clock skew', () => {
  it('events stamped ahead of the monitor clock give age 0 and are counted', () => {
    // first unapplied event at t=130 s (writer 30 s ahead), read at t=100 s; checkpoint written at t=105 s.
    const [sli] = run([{ at: s(100), head: 5, checkpoint: 4, firstUnappliedTime: s(130), checkpointUpdatedAt: s(105) }]);
    expect(sli?.stalenessSeconds).toBe(0);
    expect(sli?.checkpointAgeSeconds).toBe(0);
    expect(sli?.skewed).toBe(2);
  });
});

describe('trackProjection: status transitions', () => {
  it('OK -> LAGGING after two intervals of growing lag, back to OK when caught up', () => {
    const out = run([
      { at: s(0), head: 100, checkpoint: 90, firstUnappliedTime: s(-1) }, // lag 10
      { at: s(15), head: 130, checkpoint: 100, firstUnappliedTime: s(14) }, // lag 30: one step is not a trend
      { at: s(30), head: 160, checkpoint: 120, firstUnappliedTime: s(29) }, // lag 40: growing twice
      { at: s(45), head: 200, checkpoint: 150, firstUnappliedTime: s(44) }, // lag 50
      { at: s(60), head: 200, checkpoint: 200 }, // caught up
    ]);
    expect(out.map((x) => x.status)).toEqual(['OK', 'OK', 'LAGGING', 'LAGGING', 'OK']);
  });

  it('an old dip in the window does not hide growth that followed', () => {
    const out = run([
      { at: s(0), head: 100, checkpoint: 80, firstUnappliedTime: s(-1) }, // lag 20
      { at: s(15), head: 100, checkpoint: 95, firstUnappliedTime: s(-1) }, // lag 5 (dip)
      { at: s(30), head: 110, checkpoint: 100, firstUnappliedTime: s(29) }, // lag 10
      { at: s(45), head: 125, checkpoint: 105, firstUnappliedTime: s(44) }, // lag 20
    ]);
    expect(out.map((x) => x.status)).toEqual(['OK', 'OK', 'OK', 'LAGGING']);
  });

  it('steady lag while processing is OK (keeping pace is not lagging)', () => {
    const out = run([
      { at: s(0), head: 100, checkpoint: 90, firstUnappliedTime: s(-1) },
      { at: s(15), head: 120, checkpoint: 110, firstUnappliedTime: s(14) },
      { at: s(30), head: 140, checkpoint: 135, firstUnappliedTime: s(29) },
    ]);
    expect(out.map((x) => x.status)).toEqual(['OK', 'OK', 'OK']);
  });

  it('STALLED when lag > 0 and the checkpoint does not move for stallAfter (120 s)', () => {
    const out = run([
      { at: s(0), head: 10, checkpoint: 10 },
      { at: s(60), head: 11, checkpoint: 10, firstUnappliedTime: s(59) },
      { at: s(178), head: 11, checkpoint: 10, firstUnappliedTime: s(59) }, // waiting 119 s
      { at: s(179), head: 11, checkpoint: 10, firstUnappliedTime: s(59) }, // waiting 120 s
      { at: s(190), head: 11, checkpoint: 11 },
    ]);
    expect(out.map((x) => x.status)).toEqual(['OK', 'OK', 'OK', 'STALLED', 'OK']);
  });

  it('a new event after a long quiet period is not STALLED at once (Burrow #303)', () => {
    // Checkpoint last moved at t=0; the stream is quiet for an hour; an event arrives at t=3600.
    const out = run([
      { at: s(0), head: 10, checkpoint: 10 },
      { at: s(3601), head: 11, checkpoint: 10, firstUnappliedTime: s(3600) },
    ]);
    expect(out[1]?.status).toBe('OK');
    expect(out[1]?.checkpointAgeSeconds).toBe(3601);
    expect(out[1]?.stalenessSeconds).toBe(1);
  });

  it('on the first reading, an old unapplied event and an old store update time are enough for STALLED', () => {
    const [sli] = run([{ at: s(1000), head: 20, checkpoint: 10, checkpointUpdatedAt: s(100), firstUnappliedTime: s(200) }]);
    expect(sli?.status).toBe('STALLED');
    expect(sli?.stalenessSeconds).toBe(800);
    expect(sli?.checkpointAgeSeconds).toBe(900);
  });

  it('ERROR when the store reports a failure, whatever the lag', () => {
    const [sli] = run([{ at: s(0), head: 10, checkpoint: 10, failure: 'paused' }]);
    expect(sli?.status).toBe('ERROR');
  });
});

describe('trackProjection: rebuilds', () => {
  it('checkpoint reset -> REBUILDING until back at the head seen at the reset and no longer catching up; duration measured', () => {
    const out = run([
      { at: s(0), head: 1000, checkpoint: 1000 },
      { at: s(15), head: 1010, checkpoint: 0, firstUnappliedTime: s(-9000) }, // reset seen: target 1010
      { at: s(30), head: 1020, checkpoint: 600, firstUnappliedTime: s(-5000) },
      // Past the target, but the 20 events written during the rebuild are still being caught up
      // (1010 < previous head 1020, lag 20 < 420): still rebuilding.
      { at: s(45), head: 1030, checkpoint: 1010, firstUnappliedTime: s(40) },
      { at: s(60), head: 1030, checkpoint: 1030 }, // at the previous head: done
      { at: s(75), head: 1040, checkpoint: 1040 },
    ]);
    expect(out.map((x) => x.status)).toEqual(['OK', 'REBUILDING', 'REBUILDING', 'REBUILDING', 'OK', 'OK']);
    expect(out.map((x) => x.rebuildDurationSeconds)).toEqual([undefined, 0, 15, 30, 45, 45]);
    // Progress while running only: 0/1010, 600/1010 = 0.594..., 1 at the target, then gone.
    expect(out.map((x) => x.rebuildProgress)).toEqual([undefined, 0, 600 / 1010, 1, undefined, undefined]);
    // Re-applied events are not apply latency: no advance until the rebuild is over.
    expect(out.map((x) => x.advance)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      { from: 1030, to: 1040, appliedAt: s(75), writes: [{ position: 1040, at: s(75) }] },
    ]);
  });

  it('a projector whose lag stops shrinking past the target ends the rebuild (a stall is not hidden behind REBUILDING)', () => {
    const out = run([
      { at: s(0), head: 1000, checkpoint: 1000 },
      { at: s(15), head: 1010, checkpoint: 0, firstUnappliedTime: s(-9000) }, // target 1010
      { at: s(30), head: 1100, checkpoint: 500, firstUnappliedTime: s(-500) }, // lag 600
      { at: s(45), head: 1150, checkpoint: 1010, firstUnappliedTime: s(20) }, // target reached, lag 140 < 600: catching up
      { at: s(60), head: 1300, checkpoint: 1010, firstUnappliedTime: s(20) }, // lag 290 >= 140: not catching up -> ends
    ]);
    expect(out.map((x) => x.status)).toEqual(['OK', 'REBUILDING', 'REBUILDING', 'REBUILDING', expect.not.stringMatching(/^REBUILDING$/)]);
  });

  it('progress of a partial rewind counts from the rewound position; a second reset lowers the start and extends the target', () => {
    const out = run([
      { at: s(0), head: 1000, checkpoint: 1000 },
      { at: s(15), head: 1000, checkpoint: 800, firstUnappliedTime: s(-100) }, // rewind to 800: from 800, target 1000
      { at: s(30), head: 1000, checkpoint: 850, firstUnappliedTime: s(-90) }, // (850 - 800) / 200 = 0.25
      { at: s(45), head: 1200, checkpoint: 200, firstUnappliedTime: s(-500) }, // reset again: from 200, target 1200
      { at: s(60), head: 1200, checkpoint: 700, firstUnappliedTime: s(-300) }, // (700 - 200) / 1000 = 0.5
      { at: s(75), head: 1250, checkpoint: 1200, firstUnappliedTime: s(70) }, // at the target: done
    ]);
    expect(out.map((x) => x.rebuildProgress)).toEqual([undefined, 0, 0.25, 0, 0.5, undefined]);
    expect(out.map((x) => x.rebuildDurationSeconds)).toEqual([undefined, 0, 15, 30, 45, 60]);
  });

  it('a stalled rebuild is STALLED, not REBUILDING', () => {
    const out = run([
      { at: s(0), head: 100, checkpoint: 100 },
      { at: s(10), head: 100, checkpoint: 0, firstUnappliedTime: s(-500) },
      { at: s(131), head: 100, checkpoint: 0, firstUnappliedTime: s(-500) },
    ]);
    expect(out.map((x) => x.status)).toEqual(['OK', 'REBUILDING', 'STALLED']);
    // Still running: its progress stays exported (stuck at 0 of 100).
    expect(out.map((x) => x.rebuildProgress)).toEqual([undefined, 0, 0]);
  });

  it('a store-reported replay (Axon ReplayToken) is REBUILDING even without a regression', () => {
    const out = run([
      { at: s(0), head: 100, checkpoint: 100, replaying: true },
      { at: s(10), head: 100, checkpoint: 100, replaying: false },
    ]);
    expect(out.map((x) => x.status)).toEqual(['REBUILDING', 'OK']);
    expect(out[1]?.rebuildDurationSeconds).toBe(10);
  });
});

describe('trackProjection: advances for apply latency', () => {
  it('reports (from, to] and uses the store checkpoint time when present', () => {
    const out = run([
      { at: s(0), head: 10, checkpoint: 5, firstUnappliedTime: s(-1) },
      { at: s(15), head: 12, checkpoint: 9, checkpointUpdatedAt: s(12), firstUnappliedTime: s(11) },
      { at: s(30), head: 12, checkpoint: 12 },
    ]);
    expect(out[0]?.advance).toBeUndefined();
    expect(out[1]?.advance).toEqual({ from: 5, to: 9, appliedAt: s(12), writes: [{ position: 9, at: s(12) }] });
    expect(out[2]?.advance).toEqual({ from: 9, to: 12, appliedAt: s(30), writes: [{ position: 12, at: s(30) }] });
  });

  it('writes probed between readings charge the events they covered: first write, not last', () => {
    const out = run([
      { at: s(0), head: 10, checkpoint: 10, checkpointUpdatedAt: s(-1) },
      // Written at 3 s (13) and 8 s (20); only the later one is left for the reading to see.
      { at: s(15), head: 20, checkpoint: 20, checkpointUpdatedAt: s(8), probedWrites: [{ position: 13, at: s(3) }] },
    ]);
    expect(out[1]?.advance?.writes).toEqual([
      { position: 13, at: s(3) },
      { position: 20, at: s(8) },
    ]);
  });
});
