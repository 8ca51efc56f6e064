import { z } from 'zod';
import { secretRef } from './common.js';

export const serverSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65535).default(9464).meta({ description: 'HTTP port (0 picks a free one)' }),
    address: z.string().min(1).default('127.0.0.1').meta({ description: 'Bind address; 0.0.0.0 to listen on all interfaces' }),
    bearerToken: secretRef().optional().meta({ description: 'When set, every endpoint but /healthz requires "Authorization: Bearer <token>"' }),
    shutdownTimeout: z.number().positive().default(10).meta({ description: 'Seconds to finish running cycles on SIGTERM before aborting them' }),
  })
  .default({ port: 9464, address: '127.0.0.1', shutdownTimeout: 10 });
