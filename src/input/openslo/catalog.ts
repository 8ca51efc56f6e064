import { InputError } from '../errors.js';
import { obj, text } from '../obj.js';
import type { InputDoc } from '../types.js';

/** OpenSLO v1 kinds other documents refer to by name (https://github.com/OpenSLO/OpenSLO). */
export const REFERABLE_KINDS = ['SLI', 'Service', 'AlertPolicy', 'AlertCondition', 'DataSource'] as const;
export type ReferableKind = (typeof REFERABLE_KINDS)[number];

/**
 * The named OpenSLO documents of every input file given together, so that a reference in one
 * file resolves against a document in another. Remembers which ones were used, so that the
 * unused ones can be reported instead of being dropped silently.
 */
export class OpenSloCatalog {
  readonly #docs = new Map<string, InputDoc>();
  readonly #used = new Set<string>();

  add(kind: ReferableKind, doc: InputDoc): void {
    const name = text(obj(doc.raw.metadata)?.name);
    if (!name) throw new InputError(doc.file, `${doc.where}.metadata.name`, 'is required');
    const key = `${kind}/${name}`;
    const prior = this.#docs.get(key);
    if (prior) throw new InputError(doc.file, `${doc.where}.metadata.name`, `${kind} ${JSON.stringify(name)} is also defined in ${prior.file} ${prior.where}`);
    this.#docs.set(key, doc);
  }

  /** The document of that kind and name; throws naming the referring field when there is none. */
  resolve(kind: ReferableKind, name: string, from: InputDoc, field: string): InputDoc {
    const doc = this.#docs.get(`${kind}/${name}`);
    if (!doc) {
      const known = [...this.#docs.keys()].filter((k) => k.startsWith(`${kind}/`)).map((k) => k.slice(kind.length + 1));
      throw new InputError(
        from.file,
        `${from.where}.${field}`,
        `no kind: ${kind} named ${JSON.stringify(name)} in the inputs (${known.length ? `found: ${known.join(', ')}` : `none given`})`,
      );
    }
    this.#used.add(`${kind}/${name}`);
    return doc;
  }

  /** The document of that kind and name, when given (for optional references such as a Service). */
  find(kind: ReferableKind, name: string): InputDoc | undefined {
    const doc = this.#docs.get(`${kind}/${name}`);
    if (doc) this.#used.add(`${kind}/${name}`);
    return doc;
  }

  /** Documents no SLO referred to. */
  unused(): InputDoc[] {
    return [...this.#docs.entries()].filter(([k]) => !this.#used.has(k)).map(([, d]) => d);
  }
}
