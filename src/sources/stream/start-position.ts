import type { Admin } from 'kafkajs';

/** Where a new tail group starts: `end` (default), `beginning`, or an ISO time. */
export type StartFrom = 'end' | 'beginning' | string;

/**
 * Gives the group a committed offset on every partition that has none, so that `end` and a
 * start time are exact: kafkajs resolves `latest` only at its first fetch, which would skip
 * events produced between start-up and that fetch. Partitions the group already committed are
 * left alone (a restart resumes). Returns the partitions initialised.
 *
 * `setOffsets` is refused while the group has members (another monitor replica already runs
 * it; kafkajs says "must have no running instances"); that replica has then initialised the
 * group, so the refusal is not an error.
 */
export async function initGroupOffsets(admin: Admin, groupId: string, topics: readonly string[], startFrom: StartFrom): Promise<number> {
  if (startFrom === 'beginning') return 0; // fromBeginning on the consumer does it
  const at = startFrom === 'end' ? undefined : Date.parse(startFrom);
  let initialised = 0;
  const committed = await retrying(() => admin.fetchOffsets({ groupId, topics: [...topics] }));
  for (const { topic, partitions } of committed) {
    const missing = new Set(partitions.filter((p) => Number(p.offset) < 0).map((p) => p.partition));
    if (missing.size === 0) continue;
    const positions = at === undefined ? await admin.fetchTopicOffsets(topic) : await admin.fetchTopicOffsetsByTimestamp(topic, at);
    const target = positions
      .filter((p) => missing.has(p.partition))
      // By timestamp, -1 means "after the last record": that is the high watermark.
      .map((p) => ({ partition: p.partition, offset: Number(p.offset) < 0 && 'high' in p ? String((p as { high: string }).high) : p.offset }));
    if (at !== undefined) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const t of target) if (Number(t.offset) < 0) t.offset = ends.find((e) => e.partition === t.partition)?.high ?? '0';
    }
    try {
      await admin.setOffsets({ groupId, topic, partitions: target });
      initialised += target.length;
    } catch (err) {
      if (!/member|rebalanc|not empty|UNKNOWN_MEMBER|non.?empty|running instances/i.test(String((err as Error).message))) throw err;
    }
  }
  return initialised;
}

/**
 * Retries errors kafkajs marks retriable (e.g. "the coordinator is loading" on a broker that
 * just started, which admin.fetchOffsets does not retry itself), for up to ~15 s.
 */
export async function retrying<T>(fn: () => Promise<T>, attempts = 30): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || (err as { retriable?: unknown }).retriable !== true) throw err;
      await new Promise((r) => setTimeout(r, Math.min(1000, 100 * i)));
    }
  }
}
