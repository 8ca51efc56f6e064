import { openDemoDb, type DemoDb } from './demo-db.js';
import { DEMO_DDL } from './schema.js';
import { DemoWriter } from './writer.js';
import { DEMO_PROJECTORS, DemoProjector } from './projector.js';

export interface Demo {
  readonly db: DemoDb;
  readonly writer: DemoWriter;
  readonly projectors: readonly DemoProjector[];
  stop(): Promise<void>;
}

/**
 * The embedded demo CQRS system that `npm start` watches: an Emmett-layout event store in
 * PGlite, a command side appending order events, and three projectors (healthy, slow with
 * stalls, periodically rebuilt).
 */
export async function startDemo(opts: { autostart?: boolean } = {}): Promise<Demo> {
  const db = await openDemoDb();
  await db.exec(DEMO_DDL);
  const writer = new DemoWriter(db);
  const projectors = DEMO_PROJECTORS.map((p) => new DemoProjector(db, p));
  // Register every processor at position 0, as a framework does on first start.
  for (const p of projectors) await p.reset();
  if (opts.autostart ?? true) {
    writer.start();
    for (const p of projectors) p.start();
  }
  return {
    db,
    writer,
    projectors,
    async stop() {
      await writer.stop();
      await Promise.all(projectors.map((p) => p.stop()));
      await db.close();
    },
  };
}
