import type { Secret } from '../config/secret.js';

/** Instant-vector values of a PromQL query, keyed by one label. */
export type VectorByLabel = Map<string, number>;

/**
 * Runs an instant query against the Prometheus HTTP API (`/api/v1/query`) and returns the value
 * per value of `label`. Throws with a message naming the query (never the token) on failure.
 */
export async function queryVector(
  baseUrl: string,
  promql: string,
  label: string,
  opts: { timeoutMs: number; bearerToken?: Secret | undefined },
): Promise<VectorByLabel> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', promql);
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
