import type { ConnectionOptions } from 'node:tls';
import type { ClusterConfig } from '../../config/schema/kafka.js';

/** SASL settings in the shape kafkajs takes. */
export type KafkajsSasl =
  | { mechanism: 'plain'; username: string; password: string }
  | { mechanism: 'scram-sha-256'; username: string; password: string }
  | { mechanism: 'scram-sha-512'; username: string; password: string };

/** Connection settings of one cluster, as kafkajs takes them. */
export interface KafkajsConnection {
  brokers: string[];
  clientId: string;
  /** `true` for TLS with the system CAs, an object for explicit CA / client certificate, absent for plaintext. */
  ssl?: boolean | ConnectionOptions;
  sasl?: KafkajsSasl;
  connectionTimeout: number;
  requestTimeout: number;
}

/**
 * Maps a cluster's config to kafkajs connection options. Secrets are revealed here, at the point
 * of use, and nowhere else. Timeouts follow the cycle timeout: a request may take at most half
 * of it, so a slow broker fails its request, not the whole cycle (bounded to 1-30 s).
 */
export function kafkajsConnection(c: ClusterConfig): KafkajsConnection {
  const cycleMs = (c.timeout ?? c.interval) * 1000;
  const out: KafkajsConnection = {
    brokers: [...c.brokers],
    clientId: c.clientId,
    connectionTimeout: Math.min(10_000, Math.max(1000, cycleMs / 4)),
    requestTimeout: Math.min(30_000, Math.max(1000, cycleMs / 2)),
  };
  if (c.tls?.enabled) {
    const tls: ConnectionOptions = { rejectUnauthorized: c.tls.rejectUnauthorized };
    if (c.tls.ca) tls.ca = [c.tls.ca.reveal()];
    if (c.tls.cert) tls.cert = c.tls.cert.reveal();
    if (c.tls.key) tls.key = c.tls.key.reveal();
    if (c.tls.passphrase) tls.passphrase = c.tls.passphrase.reveal();
    if (c.tls.servername) tls.servername = c.tls.servername;
    out.ssl = Object.keys(tls).length === 1 && tls.rejectUnauthorized ? true : tls;
  }
  if (c.sasl) out.sasl = { mechanism: c.sasl.mechanism, username: c.sasl.username, password: c.sasl.password.reveal() };
  return out;
}
