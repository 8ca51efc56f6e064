import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Secret } from '../config/secret.js';

/**
 * Constant-time check of `Authorization: Bearer <token>`; the open paths (/healthz, for probes)
 * need none. `path` is the request's path as sent (not decoded, case kept). No token: all open.
 */
export function bearerAuth(token: Secret | undefined, openPaths: ReadonlySet<string>): (path: string, headers: IncomingHttpHeaders) => boolean {
  if (!token) return () => true;
  // Hash both sides so that timingSafeEqual always compares equal lengths.
  const expected = createHash('sha256').update(token.reveal()).digest();
  return (path, headers) => {
    if (openPaths.has(path)) return true;
    const m = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
    const given = createHash('sha256')
      .update(m?.[1] ?? '')
      .digest();
    return m !== null && timingSafeEqual(given, expected);
  };
}

/** The refusal's headers: the realm tells a client which token to send. */
export const UNAUTHORIZED_CHALLENGE = 'Bearer realm="cqrs-slo"';
