import { demoDataDir, openDemoDb, removeDemoDataDir, type DemoDb } from './demo-db.js';
import { DEMO_DDL } from './schema.js';
import { DemoWriter } from './writer.js';
import { DEMO_PROJECTORS, DemoProjector } from './projector.js';
import { DemoMaintenance } from './maintenance.js';

export interface Demo {
  readonly db: DemoDb;
  readonly writer: DemoWriter;
  readonly projectors: readonly DemoProjector[];
  readonly maintenance: DemoMaintenance;
  stop(): Promise<void>;
}

/**
 * The embedded demo CQRS system that `npm start` watches: an Emmett-layout event store in
 * PGlite, a command side appending order events (with occasional poison events, duplicates and
 * version gaps), three projectors (healthy with dead letters, slow with stalls, periodically
 * rebuilt) and an operator that replays dead letters and prunes old data.
 */
export async function startDemo(opts: { autostart?: boolean } = {}): Promise<Demo> {
  const dir = await demoDataDir();
  const db = await openDemoDb(dir);
  await db.exec(DEMO_DDL);
  const writer = new DemoWriter(db);
  const projectors = DEMO_PROJECTORS.map((p) => new DemoProjector(db, p));
  const maintenance = new DemoMaintenance(db);
  // Register every processor at position 0, as a framework does on first start.
  for (const p of projectors) await p.reset();
  if (opts.autostart ?? true) {
    const startedAt = Date.now();
    writer.start(startedAt);
    for (const p of projectors) p.start(startedAt);
    maintenance.start(startedAt);
  }
  return {
    db,
    writer,
    projectors,
    maintenance,
    async stop() {
      await writer.stop();
      await Promise.all(projectors.map((p) => p.stop()));
      await maintenance.stop();
      try {
        await db.close();
      } finally {
        await removeDemoDataDir(dir);
      }
    },
  };
}
