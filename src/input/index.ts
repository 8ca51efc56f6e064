import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { sloSchema, type SloConfig } from '../config/schema/slos.js';
import { formatPath } from '../config/config-error.js';
import { InputError } from './errors.js';
import { fromOpenSlo } from './openslo.js';
import { fromSloth } from './sloth.js';
import type { SloInput } from './types.js';

export { InputError } from './errors.js';
export { fromOpenSlo } from './openslo.js';
export { fromSloth } from './sloth.js';

/** Converts the documents of one YAML text (OpenSLO v1 `kind: SLO` or Sloth `prometheus/v1`) into validated SLOs. */
export function parseSloInputs(text: string, file: string): SloConfig[] {
  const docs = parseAllDocuments(text);
  const inputs: SloInput[] = [];
  if (!Array.isArray(docs)) throw new InputError(file, 'document 1', 'is not YAML');
  docs.forEach((d, i) => {
    if (d.errors.length > 0) throw new InputError(file, `document ${i + 1}`, `invalid YAML: ${d.errors[0]!.message.split('\n')[0]}`);
    const raw = d.toJS() as Record<string, unknown> | null;
    if (!raw) return;
    if (raw.apiVersion === 'openslo/v1') {
      if (raw.kind !== 'SLO') return; // Services, SLIs, alert policies: nothing to generate from alone.
      inputs.push(fromOpenSlo(raw, file, i));
    } else if (raw.version === 'prometheus/v1') {
      inputs.push(...fromSloth(raw, file, i));
    } else {
      throw new InputError(file, `document ${i + 1}`, 'is neither OpenSLO (apiVersion: openslo/v1) nor Sloth (version: prometheus/v1)');
    }
  });
  return inputs.map((input, i) => {
    const r = sloSchema.safeParse(input);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new InputError(file, `SLO ${JSON.stringify(input.name)} (#${i + 1})`, `${formatPath(issue.path) || 'slo'}: ${issue.message}`);
    }
    return r.data;
  });
}

/** Reads input files. */
export function readSloInputs(files: readonly string[]): SloConfig[] {
  return files.flatMap((f) => parseSloInputs(readFileSync(f, 'utf8'), f));
}
