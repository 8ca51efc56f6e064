import { trace, type Tracer } from '@opentelemetry/api';

export interface Tracing {
  readonly tracer: Tracer;
  /** Whether spans are exported. */
  readonly enabled: boolean;
  /** Flushes pending spans and stops the exporter. Never throws. */
  shutdown(): Promise<void>;
}

/**
 * Tracing is on when an OTLP/HTTP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT wins over
 * the config) and off otherwise, in which case the API's no-op tracer costs nothing.
 * Only our own spans are recorded: no auto-instrumentation, so the hot path stays quiet.
 * The SDK is loaded only when tracing is on: importing it costs ~55 MB of RSS.
 */
export async function startTracing(opts: { endpoint?: string | undefined; serviceName: string; version: string }): Promise<Tracing> {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || opts.endpoint;
  if (!endpoint) {
    return { tracer: trace.getTracer('cqrs-slo', opts.version), enabled: false, shutdown: async () => {} };
  }
  const [{ NodeSDK }, { OTLPTraceExporter }, { BatchSpanProcessor }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const sdk = new NodeSDK({
    serviceName: opts.serviceName,
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
    instrumentations: [],
    // Metrics are served by /metrics; logs go to stdout.
    metricReaders: [],
  });
  sdk.start();
  return {
    tracer: trace.getTracer('cqrs-slo', opts.version),
    enabled: true,
    shutdown: async () => {
      try {
        await sdk.shutdown();
      } catch {
        // A collector that went away must not block shutdown.
      }
    },
  };
}
