/**
 * Why an event was skipped: the bounded values of `cqrs_events_unparseable_total{reason}`.
 * - `tombstone`: null value (a compaction delete marker, not an event);
 * - `oversize`: value larger than the configured limit (not parsed, to bound CPU and memory);
 * - `non_json`: a JSON path is configured and the value is not JSON;
 * - `missing_id`: the event id is absent or empty;
 * - `wrong_type`: a configured field is present with the wrong type (id not text/number,
 *   version not an integer, aggregate id not text/number, occurred-at not a timestamp).
 */
export const UNPARSEABLE_REASONS = ['tombstone', 'oversize', 'non_json', 'missing_id', 'wrong_type'] as const;
export type UnparseableReason = (typeof UNPARSEABLE_REASONS)[number];
