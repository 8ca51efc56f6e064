import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../../../src/config/load.js';
import { importSloInputs } from '../../../src/input/index.js';

/**
 * Golden files in the manner of Sloth: golden/in-<case>.yaml (examples written after each
 * format's documentation) -> golden/out-<case>.yaml (our `slos:` config, with the import's
 * warnings as comments). Update with `npx vitest run --project unit test/unit/input -u`.
 */
const GOLDEN = join(import.meta.dirname, 'golden');
const CASES = readdirSync(GOLDEN)
  .filter((n) => n.startsWith('in-') && n.endsWith('.yaml'))
  .map((n) => n.slice('in-'.length, -'.yaml'.length));

/** Renders an import as the config a user would write. */
function renderImport(name: string): { text: string; imported: ReturnType<typeof importSloInputs> } {
  const file = `in-${name}.yaml`;
  const imported = importSloInputs([{ file, text: readFileSync(join(GOLDEN, file), 'utf8') }]);
  const header = [`# Imported from ${file} by test/unit/input/golden.test.ts; do not edit.`, ...imported.warnings.map((w) => `# warning: ${w}`)];
  return { text: `${header.join('\n')}\n${stringify({ slos: imported.inputs }, { lineWidth: 0, aliasDuplicateObjects: false })}`, imported };
}

describe('input golden files', () => {
  it('has a case per format', () => {
    expect(CASES).toEqual(['openslo', 'pyrra-latency', 'pyrra-ratio', 'sloth-getting-started', 'sloth-k8s']);
  });

  it.each(CASES)('%s', async (name) => {
    const { text, imported } = renderImport(name);
    await expect(text).toMatchFileSnapshot(join(GOLDEN, `out-${name}.yaml`));
    // The written config loads to exactly the SLOs the import produced.
    expect(parseConfig(text, `out-${name}.yaml`).slos).toEqual(imported.slos);
  });
});
