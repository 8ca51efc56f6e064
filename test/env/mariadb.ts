import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from './ports.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { waitUntil } from './wait.js';

/**
 * A throw-away MariaDB server from Debian's `mariadb-server`: mariadb-install-db into a temp
 * dir, mariadbd on a free loopback port (as root with `--user=root`, else as the current user),
 * a database and a password user for the tests. Tests start one per file (beforeAll).
 */
export interface MariadbHandle {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** A user with a password and every privilege on `database`. */
  readonly user: string;
  readonly password: string;
  /** `mysql://user:password@127.0.0.1:port/database`. */
  readonly url: string;
  /** Server version string (SELECT VERSION()). */
  readonly version: string;
  /** A new admin connection (root over the unix socket, multipleStatements on); the caller ends it. */
  admin(database?: string): Promise<mysql.Connection>;
  /** Runs statements as root in `database` (default the test database). */
  exec(sql: string, values?: unknown[]): Promise<unknown>;
  /** SIGKILL the server, as a crash would; data stays. */
  kill(): Promise<void>;
  /** Normal shutdown (SIGTERM: clients are disconnected); data stays. */
  shutdown(): Promise<void>;
  /** Start again on the same port with the same data (after `kill` or `shutdown`; stops it first if running). */
  restart(): Promise<void>;
  /** Shutdown and removal of the data directory. Idempotent. */
  stop(): Promise<void>;
}

export interface StartMariadbOptions {
  database?: string;
  readyTimeoutMs?: number;
  /** Extra `--name=value` server options. */
  settings?: Record<string, string>;
}

const PASSWORD = 'cqrs-maria-Secret-7';
const USER = 'cqrs';

/** Why MariaDB cannot be started here, or undefined when it can. */
export function mariadbUnavailable(): string | undefined {
  if (!existsSync('/usr/sbin/mariadbd')) return 'mariadbd not installed (apt-get install mariadb-server)';
  if (spawnSync('mariadb-install-db', ['--help'], { encoding: 'utf8' }).error) return 'mariadb-install-db not found';
  return undefined;
}

export async function startMariadb(opts: StartMariadbOptions = {}): Promise<MariadbHandle> {
  const database = opts.database ?? 'cqrs_test';
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const userFlag = `--user=${process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root')}`;
  // Short base path: the socket lives in it (socket paths are limited to ~107 bytes).
  const base = await mkdtemp(join(tmpdir(), 'cqrs-maria-'));
  const dataDir = join(base, 'data');
  const socket = join(base, 'sock');
  const r = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${dataDir}`, userFlag, '--auth-root-authentication-method=normal', '--skip-test-db'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`mariadb-install-db failed (${r.status}): ${(r.stderr || r.stdout || '').slice(-800)}`);
  const port = await freePort();

  let child: ChildProcess | undefined;
  let logTail: string[] = [];
  const admin = (db?: string) => mysql.createConnection({ socketPath: socket, user: 'root', multipleStatements: true, ...(db ? { database: db } : {}) });

  const launch = async (): Promise<void> => {
    const args = [
      '--no-defaults',
      `--datadir=${dataDir}`,
      userFlag,
      '--skip-networking=0',
      '--bind-address=127.0.0.1',
      `--port=${port}`,
      `--socket=${socket}`,
      `--pid-file=${join(base, 'pid')}`,
      '--skip-log-bin',
      // A test server: small and fast, durability not needed.
      '--innodb-buffer-pool-size=16M',
      '--innodb-log-file-size=16M',
      '--innodb-flush-log-at-trx-commit=2',
      '--performance-schema=OFF',
      ...Object.entries(opts.settings ?? {}).map(([k, v]) => `--${k}=${v}`),
    ];
    logTail = [];
    const c = spawn('/usr/sbin/mariadbd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    const onData = (b: Buffer) => {
      logTail.push(...b.toString('utf8').split('\n').filter(Boolean));
      if (logTail.length > 40) logTail = logTail.slice(-40);
    };
    c.stdout?.on('data', onData);
    c.stderr?.on('data', onData);
    let dead = false;
    c.once('exit', () => (dead = true));
    // Ready when root logs in over the socket (mysql2 prefers socketPath to host/port).
    await waitUntil(
      `mariadbd on port ${port} to accept a root login`,
      async () => {
        const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', socketPath: socket, connectTimeout: 1000 });
        await conn.end();
        return true;
      },
      { timeoutMs: readyTimeoutMs, stopIf: () => dead && 'mariadbd exited', detail: () => logTail.join('\n') },
    );
  };

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(signal);
    const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(timer);
  };

  await launch();
  const a = await admin();
  try {
    await a.query(
      `CREATE DATABASE ${database};
       CREATE USER '${USER}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}';
       GRANT ALL ON ${database}.* TO '${USER}'@'127.0.0.1';`,
    );
  } finally {
    await a.end();
  }
  const probe = await mysql.createConnection({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database });
  const [rows] = await probe.query('SELECT VERSION() AS v');
  await probe.end();
  const version = String((rows as { v: string }[])[0]?.v);

  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    database,
    user: USER,
    password: PASSWORD,
    url: `mysql://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${database}`,
    version,
    admin,
    async exec(sql, values) {
      const c = await admin(database);
      try {
        return (await c.query(sql, values))[0];
      } finally {
        await c.end();
      }
    },
    kill: () => shutdown('SIGKILL'),
    shutdown: () => shutdown('SIGTERM'),
    restart: async () => {
      await shutdown('SIGTERM');
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await shutdown('SIGTERM');
      await rm(base, { recursive: true, force: true });
    },
  };
}
