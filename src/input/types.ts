import type { z } from 'zod';
import type { sloSchema } from '../config/schema/slos.js';

/** An SLO as written in our YAML, before validation. */
export type SloInput = z.input<typeof sloSchema>;
