import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/config-error.js';

function messageOf(yaml: string): string {
  try {
    parseConfig(yaml, 'cfg.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const prom = 'prometheus: {url: "http://127.0.0.1:9090"}\n';

describe('reports config', () => {
  test('defaults: Mondays 08:00 UTC, reports/, 12 kept, 5 incidents; the top-level prometheus is used', () => {
    const c = parseConfig(`${prom}reports: {}`, 'cfg.yaml');
    expect(c.reports).toMatchObject({ schedule: '0 8 * * 1', timezone: 'UTC', outDir: 'reports', keep: 12, maxIncidents: 5 });
    expect(c.reports?.prometheus).toBeUndefined();
  });

  test.each([
    ['day of week 9', `${prom}reports: {schedule: "0 8 * * 9"}`, 'cfg.yaml: reports.schedule: must be a node-cron expression such as "0 8 * * 1"'],
    ['too few fields', `${prom}reports: {schedule: "0 8 *"}`, 'got "0 8 *": expected 5 or 6 fields but got 3'],
    [
      'unknown time zone',
      `${prom}reports: {timezone: Mars/Olympus}`,
      'cfg.yaml: reports.timezone: must be an IANA time zone such as UTC or Europe/Berlin, got "Mars/Olympus"',
    ],
    ['no prometheus anywhere', 'reports: {}', 'cfg.yaml: reports.prometheus: is required when there is no top-level prometheus section'],
    ['keep zero', `${prom}reports: {keep: 0}`, 'cfg.yaml: reports.keep:'],
    [
      'webhook not a URL',
      `${prom}reports: {webhook: {url: "hooks.slack.com/x"}}`,
      'cfg.yaml: reports.webhook.url: must be an absolute http:// or https:// URL, or a reference env:NAME or file:/path (the value is not shown)',
    ],
    ['webhook env unset', `${prom}reports: {webhook: {url: "env:CQRS_TEST_NO_SUCH_VAR"}}`, 'cfg.yaml: reports.webhook.url: '],
  ])('%s', (_name, yaml, expected) => {
    expect(messageOf(yaml)).toContain(expected);
  });

  test('a webhook URL becomes a secret: never in JSON or inspect output', () => {
    const c = parseConfig(
      `${prom}reports: {schedule: "*/1 * * * * *", timezone: Europe/Berlin, webhook: {url: "https://hooks.example/T000/B000/XXXX"}}`,
      'cfg.yaml',
    );
    expect(c.reports?.webhook?.url.reveal()).toBe('https://hooks.example/T000/B000/XXXX');
    expect(JSON.stringify(c.reports)).not.toContain('XXXX');
    expect(c.reports?.webhook?.timeoutSeconds).toBe(10);
  });
});
