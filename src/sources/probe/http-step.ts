import type { ProbeHttpRequest } from '../../config/schema/probes.js';
import { classifyHttpAnswer, commandAccepted, type AnswerCondition } from '../../core/probe/answer.js';
import { fill } from '../../core/probe/template.js';
import { reasonOf, SourceError } from '../source-error.js';

/** Bytes of an answer body read at most: a condition reads an id, not a report. */
export const MAX_BODY_BYTES = 1 << 20;

/** An HTTP answer, its body cut at MAX_BODY_BYTES. */
export interface HttpResult {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends one templated request: `{{probeId}}` filled in the URL (URL-encoded), headers and body;
 * secret headers added last, by value, never logged. No redirects are followed (a probe tests
 * one endpoint). Errors are SourceErrors naming method and URL (which never carry credentials).
 */
export async function send(req: ProbeHttpRequest, id: string, signal: AbortSignal): Promise<HttpResult> {
  const url = fill(req.url, encodeURIComponent(id));
  const what = `${req.method} ${url.replace(/\?.*$/, '')}`;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = fill(v, id);
  for (const [k, v] of Object.entries(req.secretHeaders)) headers[k] = v.reveal();
  const body = req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD' ? fill(req.body, id) : undefined;
  let res: Response;
  try {
    res = await fetch(url, {
      method: req.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(req.timeout * 1000)]),
    });
  } catch (err) {
    // fetch wraps the socket error (ECONNREFUSED, ...) as `cause`.
    const cause = (err as { cause?: unknown }).cause ?? err;
    const name = (err as Error).name;
    const reason = name === 'AbortError' || name === 'TimeoutError' ? 'timeout' : reasonOf(cause);
    throw new SourceError(`${what}: ${(cause as Error).message ?? String(cause)}`, { reason: reason === 'unknown' ? 'unreachable' : reason, cause: err });
  }
  return { status: res.status, body: await boundedText(res) };
}

/** The body as text, at most MAX_BODY_BYTES (the rest is cancelled, not read). */
async function boundedText(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size >= MAX_BODY_BYTES) {
        await reader.cancel();
        break;
      }
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

/** A command or cleanup: fails unless the status is expected (default any 2xx). */
export async function sendExpecting(req: ProbeHttpRequest, id: string, signal: AbortSignal): Promise<void> {
  const r = await send(req, id, signal);
  if (!commandAccepted(r.status, req.expectStatus)) {
    const reason = r.status === 401 || r.status === 403 ? 'auth' : 'protocol';
    throw new SourceError(`${req.method} ${req.url.replace(/\?.*$/, '')}: HTTP ${r.status} ${r.body.slice(0, 200)}`, { reason });
  }
}

/** A query: visible or pending by the condition; an answer it cannot judge throws. */
export async function queryHttp(req: ProbeHttpRequest, condition: AnswerCondition, id: string, signal: AbortSignal): Promise<'visible' | 'pending'> {
  const r = await send(req, id, signal);
  const c = condition.equals !== undefined ? { ...condition, equals: fill(condition.equals, id) } : condition;
  const answer = classifyHttpAnswer(r, c);
  if (answer === 'error')
    throw new SourceError(`${req.method} ${req.url.replace(/\?.*$/, '')}: HTTP ${r.status}, not an answer the condition can judge: ${r.body.slice(0, 200)}`, {
      reason: 'protocol',
    });
  return answer;
}
