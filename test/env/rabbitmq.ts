import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { httpOk, waitUntil } from './wait.js';

/** Debian's rabbitmq-server 3.10 scripts (run directly: /usr/sbin/rabbitmq-server switches to the rabbitmq user). */
const BIN = '/usr/lib/rabbitmq/bin';

/** A throw-away RabbitMQ node with the management plugin, on free loopback ports. */
export interface RabbitHandle {
  /** `amqp://guest:guest@127.0.0.1:<port>` */
  readonly amqpUrl: string;
  /** `http://127.0.0.1:<port>` (management API). */
  readonly managementUrl: string;
  readonly user: string;
  readonly password: string;
  readonly nodeName: string;
  /** With `tls`: `https://127.0.0.1:<port>` (management API over TLS). */
  readonly managementTlsUrl?: string;
  /** With `tls`: `amqps://127.0.0.1:<port>` (no credentials). */
  readonly amqpsUrl?: string;
  /** Stops the node and its own epmd, removes its directories. Idempotent. */
  stop(): Promise<void>;
  /** Stops the node (keeps its data); `start` brings it back on the same ports. */
  halt(): Promise<void>;
  start(): Promise<void>;
}

/** True when the Debian package is installed. */
export function rabbitAvailable(): { ok: true } | { ok: false; reason: string } {
  return existsSync(join(BIN, 'rabbitmq-server')) ? { ok: true } : { ok: false, reason: `${BIN}/rabbitmq-server not found (apt-get install rabbitmq-server)` };
}

/**
 * Starts a node with its own directories, node name (`rabbit-test-<port>@localhost`), AMQP,
 * management, distribution and epmd ports. Its own epmd (ERL_EPMD_PORT) keeps it apart from any
 * other Erlang node on the machine and lets `stop` end it without touching theirs.
 */
export async function startRabbit(opts: { readyTimeoutMs?: number; tls?: { caFile: string; certFile: string; keyFile: string } } = {}): Promise<RabbitHandle> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? 90_000;
  const base = await mkdtemp(join(tmpdir(), 'cqrs-rmq-'));
  const [port, mgmtPort, distPort, epmdPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const nodeName = `rabbit-test-${port}@localhost`;
  const [tlsMgmtPort, amqpsPort] = opts.tls ? [await freePort(), await freePort()] : [0, 0];
  // TLS listeners for AMQP and the management API, beside the plain ones (readiness uses plain).
  const tlsConf = opts.tls
    ? [
        `listeners.ssl.default = 127.0.0.1:${amqpsPort}`,
        `ssl_options.cacertfile = ${opts.tls.caFile}`,
        `ssl_options.certfile = ${opts.tls.certFile}`,
        `ssl_options.keyfile = ${opts.tls.keyFile}`,
        'ssl_options.verify = verify_none',
        'ssl_options.fail_if_no_peer_cert = false',
        `management.ssl.port = ${tlsMgmtPort}`,
        'management.ssl.ip = 127.0.0.1',
        `management.ssl.cacertfile = ${opts.tls.caFile}`,
        `management.ssl.certfile = ${opts.tls.certFile}`,
        `management.ssl.keyfile = ${opts.tls.keyFile}`,
      ]
    : [];
  const confFile = join(base, 'rabbitmq.conf');
  await writeFile(
    confFile,
    `${[
      `listeners.tcp.default = 127.0.0.1:${port}`,
      `management.tcp.port = ${mgmtPort}`,
      `management.tcp.ip = 127.0.0.1`,
      'loopback_users = none',
      // Stats every second (default 5 s): tests read rates and counters soon after acting.
      'collect_statistics_interval = 1000',
      'log.console = false',
      'log.file.level = warning',
      ...tlsConf,
    ].join('\n')}\n`,
  );
  await writeFile(join(base, 'enabled_plugins'), '[rabbitmq_management].\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: base, // the Erlang cookie is created (and read by rabbitmqctl) here
    RABBITMQ_MNESIA_BASE: join(base, 'mnesia'),
    RABBITMQ_LOG_BASE: join(base, 'log'),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: confFile,
    RABBITMQ_ENABLED_PLUGINS_FILE: join(base, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(base, 'rabbit.pid'),
    RABBITMQ_CONF_ENV_FILE: join(base, 'rabbitmq-env.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(base, 'advanced.config'),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    LC_ALL: 'C.UTF-8',
  };
  await writeFile(join(base, 'rabbitmq-env.conf'), '');
  const managementUrl = `http://127.0.0.1:${mgmtPort}`;
  const auth = `Basic ${Buffer.from('guest:guest').toString('base64')}`;
  let child: ChildProcess | undefined;
  let logTail: string[] = [];

  const ctl = (...args: string[]) => spawnSync(join(BIN, 'rabbitmqctl'), ['-n', nodeName, ...args], { env, encoding: 'utf8', timeout: 60_000 });

  const start = async (): Promise<void> => {
    logTail = [];
    // detached: own process group (beam, its port programs and the epmd it spawns).
    const c = spawn(join(BIN, 'rabbitmq-server'), [], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    const onData = (b: Buffer) => {
      logTail.push(...b.toString('utf8').split('\n').filter(Boolean));
      if (logTail.length > 40) logTail = logTail.slice(-40);
    };
    c.stdout?.on('data', onData);
    c.stderr?.on('data', onData);
    let dead = false;
    c.once('exit', () => (dead = true));
    await waitUntil(`rabbitmq management API at ${managementUrl}/api/overview`, () => httpOk(`${managementUrl}/api/overview`, { authorization: auth }), {
      timeoutMs: readyTimeoutMs,
      everyMs: 300,
      stopIf: () => dead && 'rabbitmq-server exited',
      detail: () => logTail.join('\n'),
    });
  };

  const halt = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    ctl('stop');
    const killed = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 20_000))]);
    if (killed) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      await exited;
    }
    child = undefined;
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await halt();
    // Our own epmd (on our port only): `epmd -kill` asks exactly that daemon to exit.
    spawnSync('epmd', ['-port', String(epmdPort), '-kill'], { env, timeout: 10_000 });
    await rm(base, { recursive: true, force: true });
  };

  try {
    await start();
  } catch (err) {
    await stop();
    throw err;
  }
  const tlsUrls = opts.tls ? { managementTlsUrl: `https://127.0.0.1:${tlsMgmtPort}`, amqpsUrl: `amqps://127.0.0.1:${amqpsPort}` } : {};
  return { amqpUrl: `amqp://guest:guest@127.0.0.1:${port}`, managementUrl, user: 'guest', password: 'guest', nodeName, stop, halt, start, ...tlsUrls };
}
