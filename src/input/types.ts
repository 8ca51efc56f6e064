import type { z } from 'zod';
import type { sloSchema } from '../config/schema/slos.js';

/** An SLO as written in our YAML, before validation. */
export type SloInput = z.input<typeof sloSchema>;

/** A YAML mapping as parsed. */
export type Obj = Record<string, unknown>;

/** One YAML document of an input file, with the place to name in messages. */
export interface InputDoc {
  readonly file: string;
  /** 0-based position in its file. */
  readonly index: number;
  readonly raw: Obj;
  /** `document 2 (SLO web-availability)` */
  readonly where: string;
}

/** An imported SLO and the document it came from (for messages naming the document). */
export interface ImportedSlo {
  readonly input: SloInput;
  readonly doc: InputDoc;
  /** Place of this SLO inside its document, e.g. `document 1 (sloth myservice).slos[0]`. */
  readonly where: string;
}

/** Collects what an import could not carry over but that does not stop it; the CLI prints them. */
export type Warn = (message: string) => void;
