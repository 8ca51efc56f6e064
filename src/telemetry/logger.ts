import { pino, type Logger, type LevelWithSilent } from 'pino';

/**
 * Structured JSON logs on stdout. Secrets are `Secret` objects that serialise as `[redacted]`;
 * the redact paths are a second line of defence for raw values that slip into log fields.
 */
export function createLogger(level: LevelWithSilent = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      name: 'cqrs-slo',
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'connectionString', '*.connectionString'],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}

export type { Logger };
