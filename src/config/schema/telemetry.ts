import { z } from 'zod';
import { text } from './common.js';

export const telemetrySchema = z
  .strictObject({
    otlpEndpoint: z
      .url()
      .optional()
      .meta({ description: 'OTLP/HTTP base URL (e.g. http://127.0.0.1:4318); OTEL_EXPORTER_OTLP_ENDPOINT overrides; tracing is off when neither is set' }),
    serviceName: text().min(1).default('cqrs-slo'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .default({ serviceName: 'cqrs-slo', logLevel: 'info' });
