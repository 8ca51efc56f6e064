import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure and network-free; `integration` runs against real
// Kafka / PostgreSQL / Prometheus / Alertmanager started by test/env/global-setup.ts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/generated/**/*.test.ts'],
          environment: 'node',
          // Some unit tests do real work (hash tables of a million entries, the CLI as a child
          // process): 5 s is too tight on a loaded 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/env/global-setup.ts'],
          // Real brokers and databases on 2 cores: one file at a time keeps timings honest.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
