import { z } from 'zod';
import { duration, secretRef, text } from './common.js';
import { MAX_TIMER_SECONDS } from '../duration.js';

export const serverSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65535).default(9464).meta({ description: 'HTTP port (0 picks a free one)' }),
    address: text().min(1).default('127.0.0.1').meta({ description: 'Bind address; 0.0.0.0 to listen on all interfaces' }),
    bearerToken: secretRef().optional().meta({ description: 'When set, every endpoint but /healthz requires "Authorization: Bearer <token>"' }),
    shutdownTimeout: duration({ max: MAX_TIMER_SECONDS, numberAsSeconds: true }).default(10).meta({
      description: 'How long running cycles may finish on SIGTERM/SIGINT before they are aborted, e.g. 10s (a bare number is read as seconds, the former form)',
    }),
  })
  .default({ port: 9464, address: '127.0.0.1', shutdownTimeout: 10 });
