import { z } from 'zod';

export const runtimeSchema = z
  .strictObject({
    heapGrowthPercent: z.number().int().min(0).max(400).default(25).meta({
      description:
        "How far V8's old generation may grow past the live heap before the next full collection, in percent (V8's --heap-growing-percent). Node's default lets a 60 MB live heap grow up to 4x between collections; 25 keeps RSS near the live set for a little more GC CPU. 0 leaves V8's default",
    }),
    semiSpaceGrowthFactor: z.number().int().min(0).max(16).default(0).meta({
      description:
        "By how much V8's young generation grows when it is busy (V8's --semi-space-growth-factor; V8 doubles it from two 1 MB semi-spaces up to two 16 MB ones). 1 keeps it at its initial size: a lower peak RSS for more scavenges. 0 leaves V8's default",
    }),
  })
  .default({ heapGrowthPercent: 25, semiSpaceGrowthFactor: 0 })
  .meta({ description: 'Node.js runtime settings applied at start-up' });

export type RuntimeConfig = z.output<typeof runtimeSchema>;
