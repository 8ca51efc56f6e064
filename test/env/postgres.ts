import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { chmod, chown, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { freePort } from './ports.js';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import pg from 'pg';
import { waitUntil } from './wait.js';

/**
 * A throw-away PostgreSQL server from the Debian packages: initdb into a temp dir, started on
 * a free loopback port, as a non-root OS user (postgres refuses to run as root).
 */
export interface PostgresHandle {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<database>` (password auth over TCP). */
  readonly connectionString: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** The server's data directory (kept across `kill`/`restart`, removed by `stop`). */
  readonly dataDir: string;
  /** Fast shutdown and removal of the data directory. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL the postmaster and every backend, as a crash would; data stays. */
  kill(): Promise<void>;
  /** Start again on the same port with the same data (after `kill` or while running). */
  restart(): Promise<void>;
  /**
   * With `tls`: replaces the server certificate and key and reloads the configuration (new
   * connections get the new certificate, as after a rotation).
   */
  setServerCertificate(certFile: string, keyFile: string): Promise<void>;
}

/** A server that speaks TLS; with the default `hba`, TCP clients must use TLS. */
export interface PostgresTlsOptions {
  /** Server certificate (PEM) and its unencrypted key. */
  certFile: string;
  keyFile: string;
  /** CA of client certificates (`ssl_ca_file`), for `cert` authentication. */
  caFile?: string;
  /**
   * pg_hba.conf lines for TCP, first match wins; default `hostssl all all 127.0.0.1/32
   * scram-sha-256` only, so a connection without TLS finds no entry and is refused. Local
   * (unix socket) connections are always trusted.
   */
  hba?: string[];
}

export interface StartPostgresOptions {
  /** Database created after start; default `cqrs_test`. */
  database?: string;
  /** Extra `-c name=value` settings for the server. */
  settings?: Record<string, string>;
  /** How long to wait for the server to accept connections; default 30 s. */
  readyTimeoutMs?: number;
  /** Serve TLS with these files and (by default) refuse TCP connections without it. */
  tls?: PostgresTlsOptions;
}

const PASSWORD = 'cqrs-test-password';
const USER = 'postgres';

/** Finds the newest Debian PostgreSQL binaries, or PG_BIN when set. */
function findBinDir(): string | undefined {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'postgres'))) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin');
  }
  const cfg = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = cfg.status === 0 ? cfg.stdout.trim() : '';
  return dir && existsSync(join(dir, 'postgres')) ? dir : undefined;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Binaries, installing the Debian package when missing and running as root (CI images). */
function binDir(): string {
  let dir = findBinDir();
  if (!dir && isRoot()) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
    const r = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'postgresql'], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`apt-get install postgresql failed: ${(r.stderr || '').slice(-500)}`);
    dir = findBinDir();
  }
  if (!dir) throw new Error('PostgreSQL binaries not found (install the Debian package "postgresql" or set PG_BIN)');
  return dir;
}

/** The OS user the server runs as: ourselves, or (as root) the `postgres` / `nobody` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const u = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (u.status === 0 && g.status === 0) return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
  }
  throw new Error('running as root and no non-root user (postgres, nobody) to run PostgreSQL as');
}

function run(cmd: string, args: string[], as: { uid: number; gid: number } | undefined): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...(as ?? {}), env: { ...process.env, LC_ALL: 'C' } });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${(r.stderr || r.stdout || '').slice(-800)}`);
}

/** Starts a PostgreSQL server; resolves when `database` accepts password logins over TCP. */
export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const bin = binDir();
  const as = runAs();
  const database = opts.database ?? 'cqrs_test';
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;

  // Short base path: the unix socket lives in it and socket paths are limited to ~107 bytes.
  const base = await mkdtemp(join(tmpdir(), 'cqrs-pg-'));
  const dataDir = join(base, 'data');
  const pwFile = join(base, 'pw');
  await writeFile(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (as) {
    await chown(base, as.uid, as.gid);
    await chown(pwFile, as.uid, as.gid);
  }
  run(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', USER, '--pwfile', pwFile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync', '--locale=C'],
    as,
  );
  await rm(pwFile, { force: true });

  const tls = opts.tls;
  const serverCert = join(base, 'server.pem');
  const serverKey = join(base, 'server.key');
  /** Copies the server certificate and key where the server reads them; the key must be private to its owner. */
  const placeCertificate = async (certFile: string, keyFile: string): Promise<void> => {
    await copyFile(certFile, serverCert);
    await copyFile(keyFile, serverKey);
    await chmod(serverKey, 0o600);
    if (as) {
      await chown(serverCert, as.uid, as.gid);
      await chown(serverKey, as.uid, as.gid);
    }
  };
  const tlsSettings: Record<string, string> = {};
  if (tls) {
    await placeCertificate(tls.certFile, tls.keyFile);
    tlsSettings.ssl = 'on';
    tlsSettings.ssl_cert_file = serverCert;
    tlsSettings.ssl_key_file = serverKey;
    if (tls.caFile) {
      const caCopy = join(base, 'client-ca.pem');
      await copyFile(tls.caFile, caCopy);
      if (as) await chown(caCopy, as.uid, as.gid);
      tlsSettings.ssl_ca_file = caCopy;
    }
    const hba = ['local all all trust', ...(tls.hba ?? ['hostssl all all 127.0.0.1/32 scram-sha-256'])];
    await writeFile(join(dataDir, 'pg_hba.conf'), `${hba.join('\n')}\n`);
  }
  // The harness's own connections: TLS when the server demands it, its certificate unchecked
  // (tests about verification use their own clients).
  const adminSsl = tls ? { rejectUnauthorized: false } : undefined;

  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: base,
    // A test server: durability is not needed, speed is. (fsync=off survives a killed server,
    // only an OS crash loses data; synchronous_commit=off can lose the last commits on kill():
    // tests that kill pass synchronous_commit=on.)
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '100',
    ...tlsSettings,
    ...opts.settings,
  };

  let child: ChildProcess | undefined;
  let logTail: string[] = [];
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    logTail = [];
    // detached: own process group, so kill() can SIGKILL the postmaster and its backends at once.
    const c = spawn(join(bin, 'postgres'), args, { ...(as ?? {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    child = c;
    const onData = (b: Buffer) => {
      logTail.push(...b.toString('utf8').split('\n').filter(Boolean));
      if (logTail.length > 40) logTail = logTail.slice(-40);
    };
    c.stdout?.on('data', onData);
    c.stderr?.on('data', onData);
    let dead = false;
    exited = new Promise<void>((resolve) =>
      c.once('exit', () => {
        dead = true;
        resolve();
      }),
    );
    c.once('error', (e) => logTail.push(`spawn error: ${e.message}`));
    await waitUntil(
      `postgres on port ${port} to answer a query`,
      async () => {
        const client = new pg.Client({
          host: '127.0.0.1',
          port,
          user: USER,
          password: PASSWORD,
          database: 'postgres',
          connectionTimeoutMillis: 1000,
          ...(adminSsl ? { ssl: adminSsl } : {}),
        });
        // a connection dropped while the server starts fails the promise; the event must not throw
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query('select 1');
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { timeoutMs: readyTimeoutMs, stopIf: () => dead && 'postgres exited', detail: () => logTail.join('\n') },
    );
  };

  const adminQuery = async (sql: string): Promise<void> => {
    const admin = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres', ...(adminSsl ? { ssl: adminSsl } : {}) });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    try {
      if (signal === 'SIGKILL' && c.pid) process.kill(-c.pid, 'SIGKILL');
      else c.kill(signal);
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        if (c.pid) process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
    await adminQuery(`create database "${database.replace(/"/g, '""')}"`);
  } catch (err) {
    await shutdown('SIGKILL');
    await rm(base, { recursive: true, force: true });
    throw err;
  }

  let stopped = false;
  return {
    connectionString: `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${database}`,
    host: '127.0.0.1',
    port,
    database,
    user: USER,
    password: PASSWORD,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await shutdown('SIGINT'); // SIGINT = "fast" shutdown: disconnects clients, no waiting.
      await rm(base, { recursive: true, force: true });
    },
    async kill() {
      await shutdown('SIGKILL');
    },
    async restart() {
      if (stopped) throw new Error('restart after stop(): the data directory is gone');
      await shutdown('SIGINT');
      await launch();
    },
    async setServerCertificate(certFile, keyFile) {
      if (!tls) throw new Error('setServerCertificate needs a server started with tls');
      await placeCertificate(certFile, keyFile);
      await adminQuery('select pg_reload_conf()');
      // The postmaster reloads on SIGHUP, asynchronously: wait until a new connection gets the new certificate.
      const want = new X509Certificate(await readFile(certFile)).fingerprint256;
      await waitUntil(
        `postgres on port ${port} to serve the certificate ${certFile}`,
        async () => {
          const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres', ssl: { rejectUnauthorized: false } });
          client.on('error', () => undefined);
          await client.connect();
          const stream = (client as unknown as { connection: { stream: TLSSocket } }).connection.stream;
          const got = stream.getPeerCertificate().fingerprint256;
          await client.end();
          return got === want;
        },
        { timeoutMs: 10_000, retryErrors: false },
      );
    },
  };
}
