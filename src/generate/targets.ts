/** What `cqrs-slo generate` writes; apart from generate.ts so that the CLI can list them without loading the generators. */
export type GenerateTarget = 'alerts' | 'alertmanager' | 'dashboards' | 'all';
export const GENERATE_TARGETS: readonly GenerateTarget[] = ['alerts', 'alertmanager', 'dashboards', 'all'];
