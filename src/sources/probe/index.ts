import type { Config } from '../../config/schema/index.js';
import type { ProbeConfig } from '../../config/schema/probes.js';
import { classifyRows } from '../../core/probe/answer.js';
import type { SourceDeps } from '../deps.js';
import type { Source } from '../source.js';
import { queryHttp, sendExpecting } from './http-step.js';
import { ProbeSource } from './probe-source.js';
import { ProbeSql } from './sql-step.js';
import type { ProbeSteps } from './steps.js';

export { ProbeSource } from './probe-source.js';
export type { ProbeSteps } from './steps.js';

/** The steps of a probe from its config: HTTP requests, or statements on its store's own pool. */
export function probeSteps(cfg: ProbeConfig, config: Pick<Config, 'stores'>, deps: SourceDeps): ProbeSteps {
  const store = cfg.store !== undefined ? config.stores.find((s) => s.name === cfg.store) : undefined;
  const sql = store ? new ProbeSql(store, cfg.maxConcurrency + 1, deps.logger) : undefined;
  const needSql = (): ProbeSql => {
    // The schema requires `store` for sql steps; this guards a caller that skipped it.
    if (!sql) throw new Error(`probe ${cfg.name}: sql step without a store`);
    return sql;
  };
  const { command, query, cleanup } = cfg;
  const condition = { status: 200, pendingStatus: [404], ...query.condition };
  return {
    command: command.http
      ? (id, signal) => sendExpecting(command.http!, id, signal)
      : async (id, signal) => void (await needSql().run('command', command.sql!, id, signal)),
    query: query.http
      ? (id, signal) => queryHttp(query.http!, condition, id, signal)
      : async (id, signal) => classifyRows(await needSql().run('query', query.sql!, id, signal)) as 'visible' | 'pending',
    cleanup: !cleanup
      ? undefined
      : cleanup.http
        ? (id, signal) => sendExpecting(cleanup.http!, id, signal)
        : async (id, signal) => void (await needSql().run('cleanup', cleanup.sql!, id, signal)),
    close: async () => sql?.close(),
  };
}

/** One source per configured read-after-write probe. */
export function createProbeSources(config: Config, deps: SourceDeps): Source[] {
  return config.probes.map((cfg) => new ProbeSource(cfg, deps, probeSteps(cfg, config, deps)));
}
