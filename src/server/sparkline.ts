import type { BudgetPoint } from '../report/slo-report.js';

/**
 * Pure: an inline SVG sparkline of the error budget left over time (no script, no external
 * resource: the page's Content-Security-Policy allows neither). The band runs from the lowest
 * value (at most 0) to the highest (at least 100 % left); a dashed line marks 0.
 */
export function budgetSparkline(points: readonly BudgetPoint[], size = { width: 128, height: 28 }): string {
  const pts = points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  if (pts.length < 2) return '';
  const t0 = pts[0]![0];
  const t1 = pts[pts.length - 1]![0];
  const lo = Math.min(0, ...pts.map(([, v]) => v));
  const hi = Math.max(1, ...pts.map(([, v]) => v));
  const x = (t: number) => (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * size.width);
  const y = (v: number) => size.height - ((v - lo) / (hi - lo)) * size.height;
  const line = pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const zero = y(0).toFixed(1);
  return `<svg class="spark" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}" role="img" aria-label="error budget left over the period"><line x1="0" y1="${zero}" x2="${size.width}" y2="${zero}" stroke="#adb5bd" stroke-dasharray="2 2"/><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${line}"/></svg>`;
}
