import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A response read whole (management API answers are JSON documents, bounded by paging). */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** Largest response body read (a page of 500 queues with the listed columns is ~300 kB). */
const MAX_BODY = 32 * 1024 * 1024;

/**
 * GET with node:http(s), which (unlike the global fetch) takes a CA for https. Rejects with the
 * socket or TLS error itself (its `code` says what failed), or an AbortError when `signal` fires.
 */
export function httpGet(
  url: URL,
  headers: Record<string, string>,
  tls: { ca?: string; rejectUnauthorized: boolean } | undefined,
  signal: AbortSignal,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const opts = { method: 'GET', headers, signal, ...(url.protocol === 'https:' && tls ? { ca: tls.ca, rejectUnauthorized: tls.rejectUnauthorized } : {}) };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, opts, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          req.destroy(new Error(`response larger than ${MAX_BODY} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
