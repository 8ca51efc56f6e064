import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Test certificates made with the `openssl` command line at test time: a CA, and leaf
 * certificates it signs, valid now or with any validity window (an expired one included:
 * `openssl ca -startdate/-enddate` works on OpenSSL 3.0, which has no `x509 -not_after`).
 * Keys are EC P-256 in PKCS#8 PEM, which Node, PostgreSQL and Kafka's PEM keystore all read.
 */
export interface TestCa {
  readonly name: string;
  /** PEM file of the CA certificate (the truststore). */
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
}

export interface Leaf {
  /** PEM certificate file. */
  readonly certFile: string;
  /** PEM PKCS#8 key file (encrypted when a passphrase was given). */
  readonly keyFile: string;
  /** Key then certificate in one PEM file: Kafka's `ssl.keystore.type=PEM` keystore. */
  readonly keystoreFile: string;
  readonly cert: string;
  readonly key: string;
}

export interface LeafOptions {
  /** Subject CN (also the PostgreSQL user for `cert` authentication). */
  cn: string;
  /** Subject alternative names, e.g. `['DNS:localhost', 'IP:127.0.0.1']`; none when absent. */
  san?: string[];
  /** serverAuth, clientAuth or both (default both). */
  usage?: 'server' | 'client' | 'both';
  /** Validity window as openssl dates (`YYYYMMDDHHMMSSZ`); default from 1 day ago for 30 days. */
  notBefore?: string;
  notAfter?: string;
  /** Encrypt the key (PKCS#8, AES-256) with this passphrase. */
  passphrase?: string;
}

function openssl(args: string[], cwd: string): string {
  try {
    return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr || e.message}`);
  }
}

/** An openssl date (`YYYYMMDDHHMMSSZ`) `days` from now (negative: in the past). */
export function opensslDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000)
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** A new self-signed CA in `dir/<name>/`. */
export function createCa(dir: string, name: string): TestCa {
  const d = join(dir, name);
  mkdirSync(join(d, 'issued'), { recursive: true });
  writeFileSync(join(d, 'index.txt'), '');
  writeFileSync(join(d, 'serial'), '01\n');
  writeFileSync(join(d, 'index.txt.attr'), 'unique_subject = no\n');
  writeFileSync(
    join(d, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `dir = ${d}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir/issued',
      'default_md = sha256',
      'policy = any',
      'copy_extensions = none',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      '[req]',
      'distinguished_name = dn',
      '[dn]',
      '[v3_ca]',
      'basicConstraints = critical, CA:true',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  const keyFile = join(d, 'ca.key');
  const certFile = join(d, 'ca.pem');
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile], d);
  openssl(
    ['req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=${name}`, '-days', '30', '-config', join(d, 'ca.cnf'), '-extensions', 'v3_ca', '-out', certFile],
    d,
  );
  return { name, certFile, keyFile, cert: readFileSync(certFile, 'utf8') };
}

/** A leaf certificate signed by `ca`, written to `dir/<cn>-<random>.*`. */
export function issue(ca: TestCa, dir: string, opts: LeafOptions): Leaf {
  const { cn, san = [], usage = 'both', notBefore = opensslDate(-1), notAfter = opensslDate(30), passphrase } = opts;
  const base = join(dir, `${cn.replace(/[^A-Za-z0-9_.-]/g, '_')}-${randomBytes(3).toString('hex')}`);
  const caDir = join(dir, ca.name);
  const plainKey = `${base}.plain.key`;
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', plainKey], dir);
  openssl(['req', '-new', '-key', plainKey, '-subj', `/CN=${cn}`, '-config', join(caDir, 'ca.cnf'), '-out', `${base}.csr`], dir);
  const eku = { server: 'serverAuth', client: 'clientAuth', both: 'serverAuth, clientAuth' }[usage];
  writeFileSync(
    `${base}.ext`,
    [
      '[leaf]',
      'basicConstraints = critical, CA:false',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      `extendedKeyUsage = ${eku}`,
      ...(san.length ? [`subjectAltName = ${san.join(', ')}`] : []),
      '',
    ].join('\n'),
  );
  const certFile = `${base}.pem`;
  openssl(
    [
      'ca',
      '-batch',
      '-notext',
      '-rand_serial',
      '-config',
      join(caDir, 'ca.cnf'),
      '-cert',
      ca.certFile,
      '-keyfile',
      ca.keyFile,
      '-startdate',
      notBefore,
      '-enddate',
      notAfter,
      '-extfile',
      `${base}.ext`,
      '-extensions',
      'leaf',
      '-in',
      `${base}.csr`,
      '-out',
      certFile,
    ],
    dir,
  );
  let keyFile = plainKey;
  if (passphrase !== undefined) {
    keyFile = `${base}.key`;
    openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', plainKey, '-passout', `pass:${passphrase}`, '-out', keyFile], dir);
  }
  const cert = readFileSync(certFile, 'utf8');
  const key = readFileSync(keyFile, 'utf8');
  const keystoreFile = `${base}.keystore.pem`;
  writeFileSync(keystoreFile, key + cert, { mode: 0o600 });
  return { certFile, keyFile, keystoreFile, cert, key };
}
