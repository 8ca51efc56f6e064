/**
 * The memory floor of the small cluster's job on Node (not a timed test): a minimal program with
 * the service's libraries and nothing else. Per cycle (every INTERVAL seconds) a kafkajs admin
 * lists the groups, fetches each group's committed offsets and each topic's offsets; a
 * prom-client registry (default metrics on, like the service) holds one gauge row per
 * group-partition and topic-partition (~2 800 series at 20 x 10 partitions and 50 groups); a
 * node:http server answers GET /metrics. No config, logger, status or SLO code.
 *
 * The driver starts the program as a child (`node [FLAGS] bench/small-floor.mjs --child`), waits
 * for its first cycle and CYCLES more, scrapes /metrics once per cycle (as Prometheus does),
 * then reads VmHWM from /proc/<pid>/status. RUNS runs per setting, settings alternated; SETTINGS
 * is a `|`-separated list of node flag sets (`-` for none).
 *
 *   BROKERS=127.0.0.1:PORT RUNS=3 CYCLES=10 SETTINGS='-|--max-semi-space-size=2' node bench/small-floor.mjs
 *
 * REGISTRY=plain replaces prom-client with plain maps rendered as exposition text by hand (no
 * default metrics): the floor of kafkajs and node:http alone.
 *
 * BROKERS: a broker held by `TOPICS=20 PARTITIONS=10 GROUP_COUNT=50 HOLD=1 npx vite-node bench/kafka-lag.ts`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const brokers = (process.env.BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) throw new Error('BROKERS=host:port is required (see the header)');
const INTERVAL = Number(process.env.INTERVAL ?? 5) * 1000;

if (process.argv.includes('--child')) await child();
else await driver();

async function child() {
  const { Kafka, logLevel } = await import('kafkajs');
  const { registry, g } = process.env.REGISTRY === 'plain' ? plainRegistry() : await promRegistry();
  const gp = ['group', 'topic', 'partition'];
  const tp = ['topic', 'partition'];
  const lag = g('floor_lag_messages', gp);
  const committed = g('floor_committed_offset', gp);
  const end = g('floor_group_end_offset', gp);
  const behind = g('floor_lag_nonzero', gp);
  const high = g('floor_end_offset', tp);
  const low = g('floor_start_offset', tp);
  const size = g('floor_messages', tp);
  const total = g('floor_group_lag_messages', ['group']);
  const max = g('floor_group_lag_max_messages', ['group']);
  const parts = g('floor_group_partitions', ['group']);
  const up = g('floor_group_up', ['group']);

  const admin = new Kafka({ clientId: 'small-floor', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  let cycles = 0;
  const cycle = async () => {
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    const ends = new Map();
    for (const [topic, offsets] of await Promise.all(topics.map(async (t) => [t, await admin.fetchTopicOffsets(t)]))) {
      for (const o of offsets) {
        ends.set(`${topic}/${o.partition}`, Number(o.high));
        high.set({ topic, partition: o.partition }, Number(o.high));
        low.set({ topic, partition: o.partition }, Number(o.low));
        size.set({ topic, partition: o.partition }, Number(o.high) - Number(o.low));
      }
    }
    const { groups } = await admin.listGroups();
    await Promise.all(
      groups.map(async ({ groupId: group }) => {
        let sum = 0;
        let top = 0;
        let n = 0;
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group })) {
          for (const p of partitions) {
            const e = ends.get(`${topic}/${p.partition}`) ?? 0;
            const l = Math.max(0, e - Number(p.offset));
            const labels = { group, topic, partition: p.partition };
            lag.set(labels, l);
            committed.set(labels, Number(p.offset));
            end.set(labels, e);
            behind.set(labels, l > 0 ? 1 : 0);
            sum += l;
            top = Math.max(top, l);
            n++;
          }
        }
        total.set({ group }, sum);
        max.set({ group }, top);
        parts.set({ group }, n);
        up.set({ group }, 1);
      }),
    );
    cycles++;
  };
  const server = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType }).end(body);
    } else if (req.url === '/cycles') res.end(String(cycles));
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
  const loop = async () => {
    await cycle();
    setTimeout(loop, INTERVAL - (Date.now() % INTERVAL));
  };
  setTimeout(loop, INTERVAL - (Date.now() % INTERVAL));
}

async function promRegistry() {
  const { Registry, Gauge, collectDefaultMetrics } = await import('prom-client');
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const g = (name, labelNames) => new Gauge({ name, help: name, labelNames, registers: [registry] });
  return { registry, g };
}

/** Gauges as maps of label text to value, rendered by hand: what the job needs with no metrics library. */
function plainRegistry() {
  const gauges = [];
  const g = (name, labelNames) => {
    const rows = new Map();
    gauges.push({ name, rows });
    return { set: (labels, v) => rows.set(labelNames.map((l) => `${l}="${labels[l]}"`).join(','), v) };
  };
  const metrics = async () =>
    gauges.map(({ name, rows }) => `# HELP ${name} ${name}\n# TYPE ${name} gauge\n${[...rows].map(([k, v]) => `${name}{${k}} ${v}\n`).join('')}`).join('');
  return { registry: { metrics, contentType: 'text/plain; version=0.0.4; charset=utf-8' }, g };
}

async function driver() {
  const RUNS = Number(process.env.RUNS ?? 3);
  const CYCLES = Number(process.env.CYCLES ?? 10);
  const settings = (process.env.SETTINGS ?? '-').split('|').map((s) => (s.trim() === '-' ? [] : s.trim().split(/\s+/)));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const status = (pid, key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  const results = settings.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    for (const [i, flags] of settings.entries()) {
      const c = spawn(process.execPath, [...flags, new URL(import.meta.url).pathname, '--child'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const port = await new Promise((resolve) => c.stdout.on('data', (d) => /port (\d+)/.test(d) && resolve(/port (\d+)/.exec(d)[1])));
      const get = async (path) => (await fetch(`http://127.0.0.1:${port}${path}`)).text();
      const startRss = status(c.pid, 'VmRSS');
      let seen = 0;
      let series = 0;
      while (seen < CYCLES + 1) {
        const n = Number(await get('/cycles'));
        if (n === seen) {
          await sleep(200);
          continue;
        }
        seen = n;
        series = (await get('/metrics')).split('\n').filter((l) => l && !l.startsWith('#')).length;
      }
      const r = { flags: flags.join(' ') || '(none)', vmHWM: +status(c.pid, 'VmHWM').toFixed(1), startRss: +startRss.toFixed(1), series };
      c.kill('SIGTERM');
      console.log(`run ${run + 1}: ${JSON.stringify(r)}`);
      results[i].push(r);
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  for (const rs of results) {
    console.log(
      `${rs[0].flags}: VmHWM median ${median(rs.map((r) => r.vmHWM))} MB (${rs.map((r) => r.vmHWM).join(', ')}), RSS before the first cycle ${median(rs.map((r) => r.startRss))} MB, ${rs[0].series} series`,
    );
  }
}
