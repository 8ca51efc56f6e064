import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { MAX_CONFIG_BYTES, MAX_SECRET_BYTES, readRegularFile } from '../../../src/config/read-file.js';

// Regressions from the "Hardening" issue: hostile configuration gets a clear error naming the
// field path, and never echoes a secret or a file's content.

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
const parseError = (yaml: string) => errorOf(() => parseConfig(yaml, 'cfg.yaml'));
const tmp = () => mkdtempSync(join(tmpdir(), 'cqrs-slo-hostile-'));

describe('secret values are never echoed', () => {
  test.each([
    ['a number', 'stores: [{name: s, preset: marten, connection: {host: h, password: 987654321}}]', 'stores[0].connection.password', 'a number'],
    ['a list', 'server: {bearerToken: [987654321]}', 'server.bearerToken', 'a list'],
    ['a mapping', 'stores: [{name: s, preset: marten, connection: {connectionString: {pw: 987654321}}}]', 'stores[0].connection.connectionString', 'a mapping'],
    ['true', 'server: {bearerToken: true}', 'server.bearerToken', 'true or false'],
  ])('%s where a reference is expected', (_what, yaml, path, kind) => {
    const e = parseError(yaml);
    expect(e.message).toBe(`cfg.yaml: ${path}: must be a reference env:NAME or file:/path, got ${kind} (the value is not shown)`);
    expect(e.message).not.toContain('987654321');
  });
});

describe('YAML', () => {
  test('an alias bomb is a ConfigError naming the file', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    const e = parseError(bomb);
    expect(e.message).toMatch(/^cfg\.yaml: invalid YAML: Excessive alias count/);
  });

  test.each([
    ['a PEM key', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n', 'a string of 86 characters'],
    ['a number', '42', 'a number'],
    ['a list', '[a, b]', 'a list of 2 items'],
  ])('a document that is %s is described by type and size, never echoed', (_what, text, described) => {
    const e = parseError(text);
    expect(e.message).toBe(`cfg.yaml: must be a mapping of sections (clusters, stores, slos, ...), got ${described}`);
    expect(e.message).not.toContain('MIIE');
  });
});

describe('files are read only when regular and under the size cap', () => {
  test('a FIFO, /dev/zero, a directory and an oversized file are refused at once', () => {
    const dir = tmp();
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(errorOf(() => loadConfig(fifo)).message).toBe(`${fifo}: cannot read file (it is a FIFO, not a regular file)`);
    expect(errorOf(() => loadConfig('/dev/zero')).message).toBe('/dev/zero: cannot read file (it is a character device, not a regular file)');
    expect(errorOf(() => loadConfig(dir)).message).toBe(`${dir}: cannot read file (it is a directory, not a regular file)`);
    expect(errorOf(() => loadConfig(big)).message).toBe(`${big}: cannot read file (${MAX_CONFIG_BYTES + 3} bytes, more than the 4 MiB limit)`);
    expect(() => readRegularFile('/dev/zero', MAX_SECRET_BYTES)).toThrow('character device');
  });

  test('secret files: FIFO and /dev/zero are refused with the field path', () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'pw')]);
    expect(parseError(`server: {bearerToken: "file:${join(dir, 'pw')}"}`).message).toBe(
      `cfg.yaml: server.bearerToken: cannot read secret file ${join(dir, 'pw')}: it is a FIFO, not a regular file`,
    );
    expect(parseError('server: {bearerToken: "file:/dev/zero"}').message).toContain(
      'server.bearerToken: cannot read secret file /dev/zero: it is a character device',
    );
  });

  test('a relative file: reference resolves against the directory of the config file', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'token'), 'tok-rel\n');
    writeFileSync(join(dir, 'c.yaml'), 'server: {bearerToken: "file:secrets/token"}\n');
    // The working directory (the repository) has no secrets/token.
    expect(loadConfig(join(dir, 'c.yaml')).server.bearerToken!.reveal()).toBe('tok-rel');
  });
});

describe('durations', () => {
  const store = (extra: string) => `stores: [{name: s, preset: marten, connection: {host: h}${extra}}]`;
  test.each([
    [
      'a timeout past what a timer holds',
      store(', timeout: 30d'),
      'stores[0].timeout: must be at most 24d (timers hold at most 2^31-1 ms, about 24.8 days), got "30d"',
    ],
    ['statementTimeout past what a timer holds', store(', statementTimeout: 25d'), 'stores[0].statementTimeout: must be at most 24d'],
    [
      'shutdownTimeout 1e300',
      'server: {shutdownTimeout: 1e300}',
      'server.shutdownTimeout: must be at most 24d (timers hold at most 2^31-1 ms, about 24.8 days), got 1e+300',
    ],
    ['shutdownTimeout negative', 'server: {shutdownTimeout: -1}', 'server.shutdownTimeout: must be at least 0s, got -1'],
    ['a bare number as interval', store(', interval: 5'), 'stores[0].interval: must be a duration with a unit such as 5s (a bare number has no unit), got 5'],
    [
      'a huge duration',
      'slos: [{name: a, objective: 99, period: 99999999999999999999d, sli: {kind: duplicates, stream: s}}]',
      'slos[0].period: must be one of "month", or at most 3650d',
    ],
    ['a cluster interval of 25d', 'clusters: [{name: c, brokers: ["h:1"], interval: 25d}]', 'clusters[0].interval: must be at most 24d'],
  ])('%s', (_what, yaml, message) => {
    expect(parseError(yaml).message).toContain(`cfg.yaml: ${message}`);
  });

  test('shutdownTimeout: a duration string, or a bare number read as seconds (the former form)', () => {
    expect(parseConfig('server: {shutdownTimeout: 15s}', 'x.yaml').server.shutdownTimeout).toBe(15);
    expect(parseConfig('server: {shutdownTimeout: 15}', 'x.yaml').server.shutdownTimeout).toBe(15);
    expect(parseConfig('', 'x.yaml').server.shutdownTimeout).toBe(10);
    expect(parseConfig('server: {shutdownTimeout: 24d}', 'x.yaml').server.shutdownTimeout).toBe(24 * 86_400);
  });
});

describe('filters and text', () => {
  const cluster = (extra: string) => `clusters: [{name: c, brokers: ["h:1"]${extra}}]`;
  test.each([
    [
      'nested quantifiers',
      cluster(', groups: {include: ["^(a+)+$"]}'),
      'clusters[0].groups.include[0]: must be a regular expression that runs in linear time, got "^(a+)+$": nested repetition',
    ],
    [
      'a backreference',
      cluster(', topics: {exclude: ["(a)\\\\1"]}'),
      'clusters[0].topics.exclude[0]: must be a regular expression that runs in linear time, got "(a)\\\\1": backreference',
    ],
    [
      'a lookahead',
      `stores: [{name: s, preset: marten, connection: {host: h}, projections: {include: ["^(?!tmp)"]}}]`,
      'stores[0].projections.include[0]: must be a regular expression that runs in linear time, got "^(?!tmp)": lookaround',
    ],
    [
      'U+202E in an owner',
      'slos: [{name: a, objective: 99, owner: "te\\u202Eam", sli: {kind: duplicates, stream: s}}]',
      'slos[0].owner: must not contain a bidirectional control character (U+202E at index 2)',
    ],
    [
      'NUL in a description',
      'slos: [{name: a, objective: 99, description: "a\\0b", sli: {kind: duplicates, stream: s}}]',
      'slos[0].description: must not contain a control character (U+0000 at index 1)',
    ],
    [
      'U+2066 in a topic',
      `${cluster('')}\nstreams: [{name: s, cluster: c, topics: ["a\\u2066"], eventId: {header: id}}]`,
      'streams[0].topics[0]: must not contain a bidirectional control character (U+2066 at index 1)',
    ],
    [
      'a newline in an owner',
      'slos: [{name: a, objective: 99, owner: "a\\nb", sli: {kind: duplicates, stream: s}}]',
      'slos[0].owner: must not contain a control character (U+000A at index 1)',
    ],
  ])('%s is refused with the field path', (_what, yaml, message) => {
    expect(parseError(yaml).message).toContain(`cfg.yaml: ${message}`);
  });

  test('a description may hold newlines and tabs', () => {
    const c = parseConfig('slos: [{name: a, objective: 99, description: "line one\\n\\tline two", sli: {kind: duplicates, stream: s}}]', 'x.yaml');
    expect(c.slos[0]!.description).toBe('line one\n\tline two');
  });
});
