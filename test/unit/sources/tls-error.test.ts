import { describe, expect, it } from 'vitest';
import { reasonOf } from '../../../src/sources/source-error.js';
import { tlsProblem, withTlsProblem } from '../../../src/sources/tls-error.js';

const REJECTED = "the server rejected the client certificate or got none (tls.cert, tls.key; untrusted, expired or missing: the server's log says which)";
const err = (message: string, code?: string, cause?: unknown) => Object.assign(new Error(message, { cause }), code ? { code } : {});

describe('tlsProblem', () => {
  it.each([
    ['CERT_HAS_EXPIRED', 'certificate has expired', 'the server certificate has expired'],
    ['CERT_NOT_YET_VALID', 'certificate is not yet valid', 'the server certificate is not valid yet'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', 'the server certificate is not signed by a trusted CA (tls.ca)'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'the server certificate is not signed by a trusted CA (tls.ca)'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", 'the server certificate does not name the host connected to'],
    ['ERR_OSSL_BAD_DECRYPT', 'error:1C800064:Provider routines::bad decrypt', 'the client key cannot be decrypted (tls.passphrase)'],
    [
      'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      'error:0A00045C:SSL routines::tlsv13 alert certificate required',
      'the server requires a client certificate (tls.cert, tls.key)',
    ],
    [
      'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
      'error:0A000415:SSL routines::sslv3 alert certificate expired',
      'the server rejected the client certificate as expired',
    ],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'error:0A000418:SSL routines::tlsv1 alert unknown ca', REJECTED],
    [
      '',
      'Connection error: 80:error:0A000416:SSL routines:ssl3_read_bytes:sslv3 alert certificate unknown:../ssl/record/rec_layer_s3.c:1601:SSL alert number 46',
      REJECTED,
    ],
    [
      '',
      'Connection error: 80:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../ssl/record/rec_layer_s3.c:1601:SSL alert number 42',
      REJECTED,
    ],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'error:0A00010B:SSL routines::wrong version number', 'the server does not speak TLS on this port'],
  ])('%s', (code, message, what) => {
    expect(tlsProblem(err(message, code))).toBe(what);
    expect(reasonOf(err(message, code))).toBe('tls');
  });

  it('finds the TLS failure under wrappers (cause, kafkajs originalError)', () => {
    const inner = err('Connection error: certificate has expired', 'CERT_HAS_EXPIRED');
    expect(tlsProblem(err('Number of retries exceeded', undefined, inner))).toBe('the server certificate has expired');
    expect(tlsProblem(Object.assign(new Error('wrapped'), { originalError: inner }))).toBe('the server certificate has expired');
  });

  it('other errors are not TLS failures and keep their message', () => {
    expect(tlsProblem(err('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toBeUndefined();
    expect(tlsProblem('a string')).toBeUndefined();
    expect(withTlsProblem(err('boom'), 'boom')).toBe('boom');
    expect(withTlsProblem(err('certificate has expired', 'CERT_HAS_EXPIRED'), 'x')).toBe('TLS: the server certificate has expired: x');
  });

  it('a cyclic cause chain ends', () => {
    const a = err('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(tlsProblem(a)).toBeUndefined();
  });
});
