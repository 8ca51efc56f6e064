import { describe, expect, test } from 'vitest';
import { regexHazard } from '../../../src/config/safe-regex.js';

describe('regexHazard', () => {
  test.each([
    ['^(a+)+$', 'nested repetition'],
    ['(\\w*\\.)*x', 'nested repetition'],
    ['^(?:[a-z]+-?)*$', 'nested repetition'],
    ['(a|a)+$', 'alternatives'],
    ['(a|ab)*c', 'alternatives'],
    ['(ab?|cd)+', 'alternatives'],
    ['(.|x)*', 'alternatives'],
    ['(a)\\1', 'backreference \\1'],
    ['(?<n>a)\\k<n>', 'named backreference'],
    ['a(?=b)', 'lookaround'],
    ['(?<!x)y', 'lookaround'],
    ['(?!x)', 'lookaround'],
  ])('refuses %s', (pattern, what) => {
    expect(regexHazard(pattern)).toContain(what);
  });

  test.each([
    '^orders\\.',
    '^orders-(v1|v2)$',
    '(ab|cd)+',
    '(?:foo|bar)*x',
    '^[a-z0-9._-]+$',
    '.*-dlq$',
    '[(a+)+]',
    'a{2,}(b+)?',
    '(\\.)+',
    '^(?<env>prod|stage)-',
    '',
  ])('accepts %s', (pattern) => {
    expect(regexHazard(pattern)).toBeUndefined();
  });

  // Regression: `^(a+)+$` was accepted and took seconds on a name of 30 letters and a `!`.
  test('the refused catastrophic pattern is indeed exponential on V8', () => {
    const t0 = performance.now();
    /^(a+)+$/.test(`${'a'.repeat(18)}!`);
    expect(performance.now() - t0).toBeGreaterThan(5);
  });
});
