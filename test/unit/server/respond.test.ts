import { describe, expect, test } from 'vitest';
import { fresh, weakEtag } from '../../../src/server/respond.js';

describe('weakEtag', () => {
  test('the tags express 5 sent for the same bodies', () => {
    expect(weakEtag(Buffer.from('{"status":"ok"}'))).toBe('W/"f-VaSQ4oDUiZblZNAEkkN+sX+q3Sg"');
    expect(weakEtag(Buffer.from('{"error":"not found","path":"/nope"}'))).toBe('W/"24-I83yCEiSLfkhO9vz9MldlGmByQw"');
    expect(weakEtag(Buffer.alloc(0))).toBe('W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"');
  });
});

describe('fresh', () => {
  const tag = 'W/"f-VaSQ4oDUiZblZNAEkkN+sX+q3Sg"';
  const req = (headers: Record<string, string>, method = 'GET') => ({ method, headers });
  test('If-None-Match * or a matching tag (weak or not) on GET/HEAD with a 2xx', () => {
    expect(fresh(req({ 'if-none-match': '*' }), 200, tag)).toBe(true);
    expect(fresh(req({ 'if-none-match': tag }, 'HEAD'), 200, tag)).toBe(true);
    expect(fresh(req({ 'if-none-match': '"x", "f-VaSQ4oDUiZblZNAEkkN+sX+q3Sg"' }), 200, tag)).toBe(true);
    expect(fresh(req({ 'if-none-match': '"other"' }), 200, tag)).toBe(false);
  });
  test('never for other methods, other statuses, no-cache, or If-Modified-Since alone', () => {
    expect(fresh(req({ 'if-none-match': '*' }, 'POST'), 200, tag)).toBe(false);
    expect(fresh(req({ 'if-none-match': '*' }), 404, tag)).toBe(false);
    expect(fresh(req({ 'if-none-match': '*' }), 503, tag)).toBe(false);
    expect(fresh(req({ 'if-none-match': '*', 'cache-control': 'no-cache' }), 200, tag)).toBe(false);
    expect(fresh(req({ 'if-modified-since': 'Thu, 01 Jan 2026 00:00:00 GMT' }), 200, tag)).toBe(false);
    expect(fresh(req({}), 200, tag)).toBe(false);
  });
});
