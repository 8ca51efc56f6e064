import type { Secret } from '../config/secret.js';

/** How to reach Prometheus; `at` (epoch seconds) evaluates an instant query at that time instead of now. */
export interface PrometheusQueryOptions {
  readonly timeoutMs: number;
  readonly bearerToken?: Secret | undefined;
  readonly at?: number | undefined;
}

/** Instant-vector values of a PromQL query, keyed by one label. */
export type VectorByLabel = Map<string, number>;

/**
 * Runs an instant query (at `opts.at`, else now) against the Prometheus HTTP API (`/api/v1/query`) and returns the value
 * per value of `label`. Throws with a message naming the query (never the token) on failure.
 */
export async function queryVector(baseUrl: string, promql: string, label: string, opts: PrometheusQueryOptions): Promise<VectorByLabel> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', promql);
  if (opts.at !== undefined) url.searchParams.set('time', String(opts.at));
  const headers: Record<string, string> = {};
  if (opts.bearerToken) headers.authorization = `Bearer ${opts.bearerToken.reveal()}`;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(opts.timeoutMs) });
  if (!res.ok) throw new Error(`prometheus query ${JSON.stringify(promql)} failed: HTTP ${res.status}`);
  const body = (await res.json()) as { status: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new Error(`prometheus query ${JSON.stringify(promql)} returned no vector`);
  const out: VectorByLabel = new Map();
  for (const r of body.data.result) {
    const key = r.metric[label];
    if (key !== undefined) out.set(key, Number(r.value[1]));
  }
  return out;
}

/** Range-vector values of a PromQL query (`/api/v1/query_range`) keyed by one label: [epoch s, value] oldest first. */
export async function queryRange(
  baseUrl: string,
  promql: string,
  label: string,
  range: { start: number; end: number; step: number },
  opts: PrometheusQueryOptions,
): Promise<Map<string, [number, number][]>> {
  const url = new URL('api/v1/query_range', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', promql);
  url.searchParams.set('start', String(range.start));
  url.searchParams.set('end', String(range.end));
  url.searchParams.set('step', String(range.step));
  const headers: Record<string, string> = {};
  if (opts.bearerToken) headers.authorization = `Bearer ${opts.bearerToken.reveal()}`;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(opts.timeoutMs) });
  if (!res.ok) throw new Error(`prometheus range query ${JSON.stringify(promql)} failed: HTTP ${res.status}`);
  const body = (await res.json()) as {
    status: string;
    data?: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };
  };
  if (body.status !== 'success' || body.data?.resultType !== 'matrix') throw new Error(`prometheus range query ${JSON.stringify(promql)} returned no matrix`);
  const out = new Map<string, [number, number][]>();
  for (const r of body.data.result) {
    const key = r.metric[label];
    if (key !== undefined)
      out.set(
        key,
        r.values.map(([t, v]) => [t, Number(v)]),
      );
  }
  return out;
}
