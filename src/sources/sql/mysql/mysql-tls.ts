import type { SslOptions } from 'mysql2';
import type { StoreConfig } from '../../../config/schema/stores.js';

/**
 * Maps `connection.tls` (libpq's mode names, shared with PostgreSQL) to mysql2's `ssl` option;
 * undefined for plaintext. mysql2 checks the chain with `rejectUnauthorized` and the host name
 * only with `verifyIdentity`, which gives the same three levels:
 * - require: encrypted, the server certificate is not checked;
 * - verify-ca: the certificate must chain to `ca` (system CAs without it), any host name;
 * - verify-full: verify-ca and the certificate must name the host connected to.
 * `connection.ssl: true` is verify-full against the system CAs. Secrets are revealed here.
 */
export function mysqlSslOptions(c: StoreConfig['connection']): SslOptions | undefined {
  if (c.tls === undefined) return c.ssl ? { rejectUnauthorized: true, verifyIdentity: true } : undefined;
  const t = c.tls;
  if (t.mode === 'disable') return undefined;
  const out: SslOptions = { rejectUnauthorized: t.mode !== 'require', verifyIdentity: t.mode === 'verify-full' };
  if (t.ca) out.ca = [t.ca.reveal()];
  if (t.cert) out.cert = t.cert.reveal();
  if (t.key) out.key = t.key.reveal();
  if (t.passphrase) out.passphrase = t.passphrase.reveal();
  return out;
}
