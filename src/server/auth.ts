import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Secret } from '../config/secret.js';

/** Constant-time check of `Authorization: Bearer <token>`; /healthz stays open for probes. */
export function bearerAuth(token: Secret | undefined, openPaths: ReadonlySet<string>): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  // Hash both sides so that timingSafeEqual always compares equal lengths.
  const expected = createHash('sha256').update(token.reveal()).digest();
  return (req, res, next) => {
    if (openPaths.has(req.path)) return next();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    const given = createHash('sha256')
      .update(m?.[1] ?? '')
      .digest();
    if (m && timingSafeEqual(given, expected)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer realm="cqrs-slo"').json({ error: 'unauthorized' });
  };
}
