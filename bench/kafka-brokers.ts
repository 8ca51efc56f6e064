/**
 * Broker-only nodes that join the KRaft cluster of a `startKafka` handle (its node 1 is the
 * combined broker and controller). Used by the large-cluster bench: a broker keeps one open file
 * per partition and this machine's hard limit is 20 000 open files per process, so 50 000 and
 * more partitions need several brokers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type KafkaHandle } from '../test/env/kafka.js';

const HOST = '127.0.0.1';

export interface ExtraBroker {
  readonly nodeId: number;
  readonly address: string;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out = (out + String(d)).slice(-4000)));
    c.stderr.on('data', (d) => (out = (out + String(d)).slice(-4000)));
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

/** Starts broker `nodeId` (>= 2) against the controller of `first`, with the same properties. */
export async function addBroker(first: KafkaHandle, nodeId: number, opts: { heap: string; properties: Record<string, string | number> }): Promise<ExtraBroker> {
  const clusterId = /cluster\.id=(\S+)/.exec(readFileSync(join(first.dataDir, 'logs', 'meta.properties'), 'utf8'))?.[1];
  if (!clusterId) throw new Error(`no cluster.id in ${first.dataDir}/logs/meta.properties`);
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), `cqrs-kafka-node${nodeId}-`));
  const props: Record<string, string | number> = {
    'process.roles': 'broker',
    'node.id': nodeId,
    'controller.quorum.voters': `1@${HOST}:${first.controllerPort}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: `PLAINTEXT://${HOST}:${port}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': join(dataDir, 'logs'),
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    ...opts.properties,
  };
  const propsFile = join(dataDir, 'server.properties');
  await writeFile(
    propsFile,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  const log = [`-Dlog4j2.configurationFile=${join(process.cwd(), 'test', 'env', 'kafka', 'log4j2.properties')}`];
  await run('java', ['-Xmx256m', ...log, '-cp', `${first.jarDir}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile]);
  const child: ChildProcess = spawn(
    'java',
    [`-Xmx${opts.heap}`, '-Xms64m', '-XX:+UseSerialGC', '-Djava.awt.headless=true', ...log, '-cp', `${first.jarDir}/*`, 'kafka.Kafka', propsFile],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    nodeId,
    address: `${HOST}:${port}`,
    pid: child.pid!,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(t);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
