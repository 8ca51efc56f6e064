import { parseAllDocuments } from 'yaml';
import { InputError } from './errors.js';
import { describeDoc, obj } from './obj.js';
import type { InputDoc } from './types.js';

/** The non-empty YAML documents of one input file. */
export function readDocuments(text: string, file: string): InputDoc[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new InputError(file, 'document 1', 'is not YAML');
  const out: InputDoc[] = [];
  docs.forEach((d, index) => {
    if (d.errors.length > 0) throw new InputError(file, `document ${index + 1}`, `invalid YAML: ${d.errors[0]!.message.split('\n')[0]}`);
    const value = d.toJS() as unknown;
    if (value === null || value === undefined) return;
    const raw = obj(value);
    if (!raw) throw new InputError(file, `document ${index + 1}`, 'must be a mapping');
    out.push({ file, index, raw, where: `document ${index + 1} (${describeDoc(raw)})` });
  });
  return out;
}
