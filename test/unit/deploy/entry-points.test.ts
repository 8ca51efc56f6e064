import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCompose, ROOT } from '../../helpers/compose.js';

// The default young generation is set by bin/cqrs-slo.js's shebang, which `node bin/cqrs-slo.js`
// skips: every documented way of running the service must execute the file itself
// (test/integration/runtime/young-generation.test.ts checks the effect on the running service).
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

describe('entry points run bin/cqrs-slo.js as a command', () => {
  test('the bin is executable and its shebang puts the default in front of the user NODE_OPTIONS', () => {
    expect(statSync(join(ROOT, 'bin/cqrs-slo.js')).mode & 0o111).toBe(0o111);
    expect(read('bin/cqrs-slo.js').split('\n')[0]).toBe('#!/usr/bin/env -S NODE_OPTIONS="--max-semi-space-size=2 ${NODE_OPTIONS}" node');
  });

  test('the Dockerfile executes the bin, not node with it', () => {
    const entry = /^ENTRYPOINT (\[.*\])$/m.exec(read('Dockerfile'));
    expect(JSON.parse(entry![1]!)).toEqual(['/app/bin/cqrs-slo.js']);
    expect(read('Dockerfile')).not.toMatch(/^ENV NODE_OPTIONS/m);
  });

  test('compose services built from the Dockerfile keep its ENTRYPOINT', () => {
    const compose = readCompose();
    const built = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
    expect(built.map(([n]) => n).sort()).toEqual(['cqrs-slo', 'workload']);
    for (const [name, s] of built) expect(s, name).not.toHaveProperty('entrypoint');
  });

  test("the Helm chart's container passes args only (a command would replace the ENTRYPOINT)", () => {
    const deployment = read('deploy/helm/cqrs-slo/templates/deployment.yaml');
    expect(deployment).toMatch(/^\s+args: \["run", /m);
    expect(deployment).not.toMatch(/^\s+command:/m);
  });

  test('npm start and the README run the bin as a command', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain('bin/cqrs-slo.js run');
    for (const [name, script] of Object.entries(scripts)) {
      if (/\brun --config\b/.test(script)) expect(script, name).not.toMatch(/node bin\/cqrs-slo\.js run/);
    }
    expect(read('README.md')).not.toMatch(/node (\S+ )*bin\/cqrs-slo\.js run/);
  });
});

describe('benches start the service as shipped', () => {
  test('the node options read from the shebang are the default the command sets', async () => {
    const { shebangNodeOptions, shippedNodeArgs } = await import('../../../bench/shipped-node-args.js');
    expect(shippedNodeArgs(join(ROOT, 'bin/cqrs-slo.js'), {})).toEqual(['--max-semi-space-size=2']);
    expect(shippedNodeArgs(join(ROOT, 'bin/cqrs-slo.js'), { SHIPPED: '0' })).toEqual([]);
    expect(shebangNodeOptions('#!/usr/bin/env -S NODE_OPTIONS="--a=1 --b ${NODE_OPTIONS}" node')).toEqual(['--a=1', '--b']);
    expect(shebangNodeOptions('#!/usr/bin/env node')).toEqual([]);
  });
});
