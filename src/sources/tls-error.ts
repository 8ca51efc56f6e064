/**
 * Plain words for TLS failures. Node reports them with OpenSSL's terse texts ("unable to verify
 * the first certificate", "bad decrypt"), often wrapped by the client library; an operator needs
 * to know which side and which setting to look at. Pure: looks at codes and messages only.
 */

/** Node/OpenSSL verification codes of a server certificate that does not chain to a trusted CA. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

/** [test on code, test on message, what it means], first match wins. */
const RULES: [(code: string, msg: string) => boolean, string][] = [
  [(c) => c === 'CERT_HAS_EXPIRED', 'the server certificate has expired'],
  [(c) => c === 'CERT_NOT_YET_VALID', 'the server certificate is not valid yet'],
  [(c) => UNTRUSTED.has(c), 'the server certificate is not signed by a trusted CA (tls.ca)'],
  [(c) => c === 'ERR_TLS_CERT_ALTNAME_INVALID', 'the server certificate does not name the host connected to'],
  [(c, m) => c === 'ERR_OSSL_BAD_DECRYPT' || /bad decrypt/i.test(m), 'the client key cannot be decrypted (tls.passphrase)'],
  [
    (c, m) => c === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /key values mismatch/i.test(m),
    'the client key does not belong to the client certificate (tls.cert, tls.key)',
  ],
  [(_c, m) => /alert certificate required/i.test(m), 'the server requires a client certificate (tls.cert, tls.key)'],
  [(_c, m) => /alert certificate expired/i.test(m), 'the server rejected the client certificate as expired'],
  // Java servers (Kafka) answer every refusal with one of these: a missing, untrusted or expired
  // certificate look the same from the client; the server's log says which it was.
  [
    (_c, m) => /alert (bad certificate|unknown ca|certificate unknown|certificate revoked|unsupported certificate)/i.test(m),
    "the server rejected the client certificate or got none (tls.cert, tls.key; untrusted, expired or missing: the server's log says which)",
  ],
  [(c, m) => c === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(m), 'the server does not speak TLS on this port'],
];

/** The error and its causes (`cause`, kafkajs' `originalError`), outermost first, at most 8 deep. */
function chain(err: unknown): { code: string; message: string }[] {
  const out: { code: string; message: string }[] = [];
  let e = err as { code?: unknown; message?: unknown; cause?: unknown; originalError?: unknown } | undefined;
  for (let i = 0; i < 8 && e && typeof e === 'object'; i++) {
    out.push({ code: typeof e.code === 'string' ? e.code : '', message: typeof e.message === 'string' ? e.message : '' });
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return out;
}

/** What a TLS failure means, in words naming the side and the setting; undefined when `err` is no TLS failure. */
export function tlsProblem(err: unknown): string | undefined {
  for (const { code, message } of chain(err)) {
    for (const [test, what] of RULES) if (test(code, message)) return what;
  }
  return undefined;
}

/** `message` prefixed with `TLS: <what it means>: ` when `err` is a TLS failure. */
export function withTlsProblem(err: unknown, message: string): string {
  const what = tlsProblem(err);
  return what ? `TLS: ${what}: ${message}` : message;
}
