import { z } from 'zod';

export const runtimeSchema = z
  .strictObject({
    heapGrowthPercent: z.number().int().min(0).max(400).default(25).meta({
      description:
        "How far V8's old generation may grow past the live heap before the next full collection, in percent (V8's --heap-growing-percent). Node's default lets a 60 MB live heap grow up to 4x between collections; 25 keeps RSS near the live set for a little more GC CPU. 0 leaves V8's default",
    }),
  })
  .default({ heapGrowthPercent: 25 })
  .meta({ description: 'Node.js runtime settings applied at start-up' });

export type RuntimeConfig = z.output<typeof runtimeSchema>;
