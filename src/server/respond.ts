import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Sends a whole text body as express 5's `res.send` did: Content-Type (unless set),
 * Content-Length, a weak ETag, and 304 without a body when the request's If-None-Match matches
 * (only for GET/HEAD and a 2xx status). HEAD gets the headers only (node drops the body).
 */
export function sendText(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', contentType);
  const buf = Buffer.from(body, 'utf8');
  res.setHeader('Content-Length', buf.length);
  const tag = weakEtag(buf);
  res.setHeader('ETag', tag);
  if (fresh(req, status, tag)) {
    res.statusCode = 304;
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.end();
    return;
  }
  res.end(buf);
}

/** `res.json`: JSON.stringify of the value, `application/json; charset=utf-8`. */
export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  sendText(req, res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** An HTML page with the pages' Content-Security-Policy (inline styles only, nothing fetched). */
export function sendHtml(req: IncomingMessage, res: ServerResponse, html: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  sendText(req, res, 200, 'text/html; charset=utf-8', html);
}

/** The `etag` package's weak tag: `W/"<length hex>-<sha1 base64, 27 chars>"`. */
export function weakEtag(body: Buffer): string {
  if (body.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${body.length.toString(16)}-${createHash('sha1').update(body).digest('base64').slice(0, 27)}"`;
}

/** The `fresh` package's rule without Last-Modified: If-None-Match `*` or a matching tag, unless no-cache. */
export function fresh(req: Pick<IncomingMessage, 'method' | 'headers'>, status: number, etag: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!((status >= 200 && status < 300) || status === 304)) return false;
  const noneMatch = req.headers['if-none-match'];
  const modifiedSince = req.headers['if-modified-since'];
  if (!noneMatch && !modifiedSince) return false;
  const cacheControl = req.headers['cache-control'];
  if (cacheControl && /(?:^|,)\s*?no-cache\s*?(?:,|$)/.test(cacheControl)) return false;
  // If-None-Match decides when present; there is no Last-Modified, so If-Modified-Since alone
  // never makes a response fresh.
  if (!noneMatch) return false;
  if (noneMatch === '*') return true;
  return noneMatch.split(/[ ,]+/).some((t) => t !== '' && (t === etag || t === `W/${etag}` || `W/${t}` === etag));
}
