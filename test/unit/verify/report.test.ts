import { describe, expect, it } from 'vitest';
import { safeUrl, describeHook } from '../../../src/verify/hooks.js';
import { clock, etaText } from '../../../src/verify/progress.js';
import { MAX_SAMPLES, pushSample, renderMarkdown, stamp, type ReportSample, type VerifyReport } from '../../../src/verify/report.js';

const report: VerifyReport = {
  check: 'drain',
  verdict: 'fail',
  reasons: ['3 lost events (missing aggregate versions)', 'a | pipe'],
  target: { kind: 'projection', store: 'app', projection: 'orders' },
  startedAt: '2026-12-03T12:00:00.000Z',
  endedAt: '2026-12-03T12:25:00.000Z',
  fields: { 'drain time (s)': 612.5, 'lost events': 3, 'duplicated events': null },
  hooks: [{ action: 'pause', how: 'POST http://h:1/pause', at: '2026-12-03T12:00:01.000Z', ok: false, detail: 'HTTP 503' }],
  samples: [
    { t: 0, phase: 'before', value: 10 },
    { t: 1, phase: 'pause', error: 'down' },
  ],
};

describe('renderMarkdown', () => {
  it('states verdict, reasons, measured numbers (unknown for null), hooks and the reading count', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('# cqrs-slo verify drain: FAIL');
    expect(md).toContain('- 3 lost events (missing aggregate versions)');
    expect(md).toContain('- a \\| pipe'); // a table or list never breaks on user text
    expect(md).toContain('| drain time (s) | 612.5 |');
    expect(md).toContain('| duplicated events | unknown |');
    expect(md).toContain('| pause | POST http://h:1/pause | 2026-12-03T12:00:01.000Z | failed: HTTP 503 |');
    expect(md).toContain('2 readings, 1 failed;');
  });
});

describe('pushSample', () => {
  it('keeps memory bounded: past MAX_SAMPLES every other sample is dropped, first and order kept', () => {
    const s: ReportSample[] = [];
    for (let i = 0; i <= MAX_SAMPLES; i++) pushSample(s, { t: i, phase: 'drain', value: i });
    expect(s.length).toBe(MAX_SAMPLES / 2 + 1);
    expect(s[0]!.t).toBe(0);
    expect(s[1]!.t).toBe(2);
    expect(s[s.length - 1]!.t).toBe(MAX_SAMPLES);
  });
});

describe('printing without secrets', () => {
  it('safeUrl drops user info and query string', () => {
    expect(safeUrl('https://user:s3cret@ops.example:8443/pause?token=abc')).toBe('https://ops.example:8443/pause');
    expect(safeUrl('not a url')).toBe('(invalid URL)');
    expect(describeHook({ kind: 'shell', command: 'curl -u admin:s3cret http://x' })).toBe('shell command');
    expect(describeHook({ kind: 'http', url: 'http://a:b@h/x?k=v' })).toBe('POST http://h/x');
  });
});

describe('formatting', () => {
  it('clock, ETA text and report stamps', () => {
    expect(clock(0)).toBe('00:00');
    expect(clock(612.4)).toBe('10:12');
    expect(clock(3725)).toBe('1:02:05');
    expect(etaText(0.4)).toBe('0.4 s');
    expect(etaText(90)).toBe('01:30');
    expect(stamp(Date.UTC(2026, 11, 3, 12, 4, 18, 123))).toBe('2026-12-03T12-04-18Z');
  });
});
