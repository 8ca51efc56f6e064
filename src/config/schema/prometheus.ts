import { z } from 'zod';
import { duration, secretRef } from './common.js';
import { MAX_TIMER_SECONDS } from '../duration.js';

export const prometheusSchema = z.strictObject({
  url: z.url().meta({ description: 'Base URL of the Prometheus HTTP API, e.g. http://prometheus:9090' }),
  bearerToken: secretRef().optional(),
  timeout: duration({ min: 0.1, max: MAX_TIMER_SECONDS }).default(5),
});
