import { describe, expect, test } from 'vitest';
import { pathMatches, requestPath } from '../../../src/server/request-path.js';

// Expected values are what the express 5 app answered for the same targets (its 404 body names the path).
describe('requestPath', () => {
  test('query cut, nothing decoded, absolute-form and * as express read them', () => {
    expect(requestPath('/metrics')).toBe('/metrics');
    expect(requestPath('/metrics?x=%ff')).toBe('/metrics');
    expect(requestPath('/nope?x=1?y')).toBe('/nope');
    expect(requestPath('/%6Detrics')).toBe('/%6Detrics');
    expect(requestPath('//metrics')).toBe('//metrics');
    expect(requestPath('/metrics#frag')).toBe('/metrics');
    expect(requestPath('http://evil/metrics')).toBe('/metrics');
    expect(requestPath('http://evil')).toBe('/');
    expect(requestPath('*')).toBe('*');
  });
  test('a target the URL parser refuses throws (the server answers 404)', () => {
    expect(() => requestPath('http://[bad')).toThrow();
  });
});

describe('pathMatches', () => {
  test('case-insensitive, one trailing slash', () => {
    expect(pathMatches('/metrics', '/metrics')).toBe(true);
    expect(pathMatches('/metrics', '/METRICS')).toBe(true);
    expect(pathMatches('/metrics', '/metrics/')).toBe(true);
    expect(pathMatches('/metrics', '/metrics//')).toBe(false);
    expect(pathMatches('/metrics', '//metrics')).toBe(false);
    expect(pathMatches('/metrics', '/metrics.txt')).toBe(false);
    expect(pathMatches('/api/status', '/API/Status/')).toBe(true);
    expect(pathMatches('/', '/')).toBe(true);
    expect(pathMatches('/', '//')).toBe(true);
    expect(pathMatches('/', '///')).toBe(false);
    expect(pathMatches('/slo', '/')).toBe(false);
  });
});
