import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { freePort } from './ports.js';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { SUPPORTED_KAFKA_VERSIONS, fetchKafkaJars } from './kafka/fetch.mjs';
import { waitUntil } from './wait.js';

export { freePort } from './ports.js';

export { SUPPORTED_KAFKA_VERSIONS, fetchKafkaJars };

/** The broker version the suite runs against unless `KAFKA_VERSION` says otherwise. */
export const DEFAULT_KAFKA_VERSION = '4.1.1';

// This folder; from the working directory when bundled elsewhere (`npm run bench` runs a bundle from a temp dir).
const HERE = ((own: string) => (existsSync(join(own, 'kafka', 'log4j2.properties')) ? own : join(process.cwd(), 'test', 'env')))(
  dirname(fileURLToPath(import.meta.url)),
);
const HOST = '127.0.0.1';

/**
 * A throw-away single-node Apache Kafka broker in KRaft mode (combined broker and controller),
 * started from the Maven Central jars on free loopback ports.
 */
export interface KafkaHandle {
  readonly version: string;
  /** `['127.0.0.1:<port>']`. */
  readonly brokers: string[];
  readonly port: number;
  readonly controllerPort: number;
  /** Temp dir with server.properties and the log dirs (kept across `kill`/`restart`). */
  readonly dataDir: string;
  /** Directory of the broker's jars: `java -cp '<classpath>/*'` runs Kafka's own Java clients. */
  readonly jarDir: string;
  /** Address of each extra listener by name (`{ SASL_SSL: ['127.0.0.1:<port>'] }`); `brokers` stays PLAINTEXT. */
  readonly listeners: Readonly<Record<string, string[]>>;
  /** Last lines the broker printed (warnings, errors, start-up), for failure messages. */
  logTail(): string;
  /** Controlled shutdown and removal of the data dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL the broker, as a crash would; data stays, ports stay reserved for `restart`. */
  kill(): Promise<void>;
  /** Start again on the same ports with the same data (after `kill`, or shutting down first). */
  restart(): Promise<void>;
}

export interface StartKafkaOptions {
  /** One of SUPPORTED_KAFKA_VERSIONS; default DEFAULT_KAFKA_VERSION. */
  version?: string;
  /** Extra or overriding server.properties entries. */
  properties?: Record<string, string | number | boolean>;
  /** Max heap; default `512m` (the box has 2 cores and runs several parts at once). */
  heap?: string;
  /** How long to wait for the broker to answer an admin request; default 90 s. */
  readyTimeoutMs?: number;
  /**
   * Secured listeners beside the PLAINTEXT one (which stays: the broker talks to itself and the
   * tests set up topics and offsets through it). Each gets its own free port.
   */
  listeners?: KafkaListener[];
  /** SCRAM credentials written into the metadata at format time (`kafka-storage format --add-scram`). */
  scramUsers?: { mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; name: string; password: string }[];
}

/** A TLS listener with a PEM keystore (Kafka 3.x/4.x read `ssl.keystore.type=PEM`). */
export interface KafkaListener {
  /** Listener name, upper case letters and `_` (`SASL_SSL`, `MTLS`, `EXPIRED`). */
  name: string;
  protocol: 'SSL' | 'SASL_SSL';
  /** PEM file with the unencrypted PKCS#8 key, then the certificate chain. */
  keystoreFile: string;
  /** PEM CA file that client certificates must chain to. */
  truststoreFile?: string;
  /** `ssl.client.auth`; default none. */
  clientAuth?: 'required' | 'requested' | 'none';
  /** SASL mechanisms of a SASL_SSL listener; default SCRAM-SHA-512. */
  saslMechanisms?: ('SCRAM-SHA-256' | 'SCRAM-SHA-512')[];
}

/** server.properties entries of the secured listeners (the `listener.name.<name>.` prefix scopes each). */
function listenerProperties(listeners: readonly KafkaListener[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of listeners) {
    const p = `listener.name.${l.name.toLowerCase()}.`;
    out[`${p}ssl.keystore.type`] = 'PEM';
    out[`${p}ssl.keystore.location`] = l.keystoreFile;
    if (l.truststoreFile) {
      out[`${p}ssl.truststore.type`] = 'PEM';
      out[`${p}ssl.truststore.location`] = l.truststoreFile;
    }
    out[`${p}ssl.client.auth`] = l.clientAuth ?? 'none';
    if (l.protocol === 'SASL_SSL') {
      const mechanisms = l.saslMechanisms ?? ['SCRAM-SHA-512'];
      out[`${p}sasl.enabled.mechanisms`] = mechanisms.join(',');
      for (const m of mechanisms) out[`${p}${m.toLowerCase()}.sasl.jaas.config`] = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
    }
  }
  return out;
}

/**
 * A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, as `kafka-storage
 * random-uuid` prints; Kafka never hands out ids starting with `-` (they read as options).
 */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(
  dataDir: string,
  port: number,
  controllerPort: number,
  extra: StartKafkaOptions['properties'],
  secured: readonly (KafkaListener & { port: number })[] = [],
): string {
  const more = (f: (l: KafkaListener & { port: number }) => string): string => secured.map((l) => `,${f(l)}`).join('');
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    // A static voter set works the same on 3.9 and 4.x, without `--standalone`.
    'controller.quorum.voters': `1@${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}${more((l) => `${l.name}://${HOST}:${l.port}`)}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}${more((l) => `${l.name}://${HOST}:${l.port}`)}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${more((l) => `${l.name}:${l.protocol}`)}`,
    ...listenerProperties(secured),
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': join(dataDir, 'logs'),
    'num.partitions': 1,
    // Single node: every internal topic must live with one replica.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Fewer offsets partitions: the first group coordinator lookup creates them all.
    'offsets.topic.num.partitions': 10,
    // Tests want consumers assigned now, not after the default 3 s grace.
    'group.initial.rebalance.delay.ms': 0,
    // Two cores: keep the thread count small.
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    ...extra,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n')}\n`;
}

/** Runs a Java main class from the jar dir to completion; rejects with its output on failure. */
function runJava(jarDir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-Xmx256m', '-cp', `${jarDir}/*`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out = (out + String(d)).slice(-8000)));
    child.stderr.on('data', (d) => (out = (out + String(d)).slice(-8000)));
    child.on('error', (err) => reject(new Error(`java could not run (${err.message}); install a JDK (Debian: default-jre-headless)`, { cause: err })));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`java ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

/** Resolves when an admin client can list topics; rejects when `timeoutMs` passes or `failed()` says the broker died. */
async function waitReady(brokers: string[], timeoutMs: number, failed: () => string | undefined): Promise<void> {
  await waitUntil(
    `the broker at ${brokers.join(',')} to list topics`,
    async () => {
      const admin = new Kafka({
        clientId: 'test-env-probe',
        brokers,
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        connectionTimeout: 1000,
        requestTimeout: 3000,
      }).admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return true;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    { timeoutMs, everyMs: 300, stopIf: failed },
  );
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
/** A test run that dies must not leave JVMs behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

/**
 * Starts a broker: resolves the jars (cached), formats storage in a temp dir, starts
 * `kafka.Kafka` and waits until an admin client can list topics.
 */
export async function startKafka(opts: StartKafkaOptions = {}): Promise<KafkaHandle> {
  const { version = DEFAULT_KAFKA_VERSION, properties = {}, heap = '512m', readyTimeoutMs = 90_000, listeners = [], scramUsers = [] } = opts;
  const jarDir = await fetchKafkaJars(version);
  const [port, controllerPort] = [await freePort(), await freePort()];
  const secured: (KafkaListener & { port: number })[] = [];
  for (const l of listeners) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(l.name) || ['PLAINTEXT', 'CONTROLLER'].includes(l.name))
      throw new Error(`listener name ${l.name}: upper case, not PLAINTEXT or CONTROLLER`);
    secured.push({ ...l, port: await freePort() });
  }
  const dataDir = await mkdtemp(join(tmpdir(), `cqrs-kafka-${version}-`));
  const propsFile = join(dataDir, 'server.properties');
  await writeFile(propsFile, serverProperties(dataDir, port, controllerPort, properties, secured));

  const v4 = Number(version.split('.')[0]) >= 4;
  // 3.x logs through reload4j (log4j 1 config), 4.x through log4j 2.
  const logArgs = v4
    ? [`-Dlog4j2.configurationFile=${join(HERE, 'kafka', 'log4j2.properties')}`]
    : [`-Dlog4j.configuration=file:${join(HERE, 'kafka', 'log4j.properties')}`];
  const scram = scramUsers.flatMap((u) => ['--add-scram', `${u.mechanism}=[name=${u.name},password=${u.password}]`]);
  await runJava(jarDir, [...logArgs, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', propsFile, ...scram]);

  const brokers = [`${HOST}:${port}`];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let tail = '';
  let stopped = false;

  const launch = async (): Promise<void> => {
    let exitInfo: string | undefined;
    const c = spawn(
      'java',
      [
        `-Xmx${heap}`,
        '-Xms64m',
        // Two cores: a serial collector avoids GC threads competing with the tests.
        '-XX:+UseSerialGC',
        '-Djava.awt.headless=true',
        ...logArgs,
        '-cp',
        `${jarDir}/*`,
        'kafka.Kafka',
        propsFile,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = c;
    live.add(c);
    installExitHook();
    const keep = (d: Buffer): void => {
      tail = (tail + d.toString()).slice(-16_000);
    };
    c.stdout?.on('data', keep);
    c.stderr?.on('data', keep);
    exited = new Promise<void>((resolve) => {
      c.once('error', (err) => {
        exitInfo = `java could not start: ${err.message}`;
        live.delete(c);
        resolve();
      });
      c.once('exit', (code, signal) => {
        exitInfo ??= `broker exited (${signal ?? code}) before it was ready`;
        live.delete(c);
        resolve();
      });
    });
    try {
      await waitReady(brokers, readyTimeoutMs, () => exitInfo && `${exitInfo}\n${tail.slice(-4000)}`);
    } catch (err) {
      c.kill('SIGKILL');
      await exited;
      throw new Error(`Kafka ${version}: ${(err as Error).message}`, { cause: err });
    }
  };

  const shutdown = async (signal: NodeJS.Signals, graceMs: number): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill(signal);
    const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }

  return {
    version,
    brokers,
    port,
    controllerPort,
    dataDir,
    jarDir,
    listeners: Object.fromEntries(secured.map((l) => [l.name, [`${HOST}:${l.port}`]])),
    logTail: () => tail,
    async stop() {
      if (stopped) return;
      stopped = true;
      await shutdown('SIGTERM', 20_000);
      await rm(dataDir, { recursive: true, force: true });
    },
    async kill() {
      await shutdown('SIGKILL', 0);
    },
    async restart() {
      if (stopped) throw new Error('Kafka handle was stopped; start a new one');
      await shutdown('SIGTERM', 20_000);
      await launch();
    },
  };
}
