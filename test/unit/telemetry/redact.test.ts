import { describe, expect, test } from 'vitest';
import { redactMessage } from '../../../src/telemetry/redact.js';

// The expressions redactMessage used before its scanner: the reference for what it redacts.
const reference = (m: string): string =>
  m
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s]+@/gi, '$1[redacted]@')
    .replace(/(password|passwd|pwd|secret|token)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1$2[redacted]')
    .replace(/(bearer\s+)[A-Za-z0-9._~+/-]+=*/gi, '$1[redacted]');

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('redactMessage', () => {
  test('redacts URL passwords, key=value secrets and bearer tokens', () => {
    expect(redactMessage('connect postgres://app:s3cr3t@db:5432/x failed')).toBe('connect postgres://app:[redacted]@db:5432/x failed');
    expect(redactMessage('password=hunter2 user=a')).toBe('password=[redacted] user=a');
    expect(redactMessage('Authorization: Bearer abc.def')).toBe('Authorization: Bearer [redacted]');
    expect(redactMessage('a://u:p@h b://v:q@i')).toBe('a://u:[redacted]@h b://v:[redacted]@i');
  });

  test('same output as the former regular expressions on 20 000 random messages', () => {
    const next = rng(42);
    const parts = ['a', 'Z', '9', ':', '/', '://', '@', ' ', '\t', 'pg', 'password', 'token', '=', '"', "'", 'bearer ', '-', '.', 'x+y'];
    for (let n = 0; n < 20_000; n++) {
      let m = '';
      const len = Math.floor(next() * 24);
      for (let i = 0; i < len; i++) m += parts[Math.floor(next() * parts.length)];
      expect(redactMessage(m), JSON.stringify(m)).toBe(reference(m));
    }
  });

  // Regression: the URL expression backtracked quadratically (3.8 s on an 80 000-character message).
  test.each([
    ['letters', 'a'.repeat(80_000)],
    ['schemes', 'ab://'.repeat(16_000)],
    ['users without password', 'a://b:'.repeat(13_334)],
    ['one long user', `x://${'u'.repeat(80_000)}`],
    ['open quotes', 'password="'.repeat(8_000)],
    ['spaces after bearer', `bearer ${' '.repeat(80_000)}!`],
  ])('80 000 characters (%s) in well under 50 ms', (_name, message) => {
    redactMessage(message.slice(0, 1000));
    const t0 = performance.now();
    redactMessage(message);
    expect(performance.now() - t0).toBeLessThan(50);
  });
});
