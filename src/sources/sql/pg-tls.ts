import type { ConnectionOptions } from 'node:tls';
import type { StoreConfig } from '../../config/schema/stores.js';

/** What node-postgres takes as `ssl`: false (plaintext), true (verify against system CAs) or tls.connect options. */
export type PgSsl = boolean | ConnectionOptions;

/** verify-ca: the chain is checked, the host name is not (libpq's meaning). */
const skipHostCheck = (): undefined => undefined;

/**
 * Maps a store's `connection.ssl` / `connection.tls` to node-postgres' `ssl` option, undefined
 * when neither is set (node-postgres then follows the URL or PGSSLMODE). Secrets are revealed
 * here, at the point of use. Modes follow libpq's sslmode:
 * - require: encrypted, the server certificate is not checked;
 * - verify-ca: the certificate must chain to `ca` (system CAs without it), any host name;
 * - verify-full: verify-ca and the certificate must name the host connected to (SAN DNS or IP),
 *   with Node's own `checkServerIdentity`.
 */
export function pgSslOptions(c: StoreConfig['connection']): PgSsl | undefined {
  if (c.tls === undefined) return c.ssl;
  const t = c.tls;
  if (t.mode === 'disable') return false;
  const out: ConnectionOptions = { rejectUnauthorized: t.mode !== 'require' };
  if (t.mode === 'verify-ca') out.checkServerIdentity = skipHostCheck;
  if (t.ca) out.ca = [t.ca.reveal()];
  if (t.cert) out.cert = t.cert.reveal();
  if (t.key) out.key = t.key.reveal();
  if (t.passphrase) out.passphrase = t.passphrase.reveal();
  return out;
}

/** The secret texts of the TLS settings, to scrub from messages (a key or passphrase must never be printed). */
export function pgTlsSecrets(c: StoreConfig['connection']): string[] {
  const t = c.tls;
  return t ? [t.key?.reveal(), t.passphrase?.reveal()].filter((s): s is string => !!s) : [];
}
