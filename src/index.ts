/**
 * Public API of cqrs-slo as a library: configuration, the app, and the source contract.
 */
export { loadConfig, parseConfig } from './config/load.js';
export { ConfigError, type ConfigIssue } from './config/config-error.js';
export type { Config } from './config/schema/index.js';
export { startApp, type App, type AppOptions } from './app.js';
export type { Source, CycleContext, CycleReport } from './sources/source.js';
export { SourceError, type SourceErrorReason } from './sources/source-error.js';
export { catalog } from './metrics/catalog.js';
