import { readFileSync } from 'node:fs';
import { sloSchema, type SloConfig } from '../config/schema/slos.js';
import { formatPath } from '../config/config-error.js';
import { readDocuments } from './documents.js';
import { InputError } from './errors.js';
import { text } from './obj.js';
import { OpenSloCatalog, REFERABLE_KINDS, type ReferableKind } from './openslo/catalog.js';
import { fromOpenSlo } from './openslo/slo.js';
import { fromPyrra } from './pyrra.js';
import { fromSloth } from './sloth.js';
import type { ImportedSlo, InputDoc, SloInput, Warn } from './types.js';

export type { SloInput } from './types.js';

export { InputError } from './errors.js';

/** One input file's name and content. */
export interface InputFile {
  readonly file: string;
  readonly text: string;
}

/** Imported SLOs, and what the inputs held that was not used (printed by the CLI). */
export interface SloImport {
  readonly slos: SloConfig[];
  /** The same SLOs as they would be written under `slos:` in our config (before defaults). */
  readonly inputs: SloInput[];
  readonly warnings: string[];
}

/** OpenSLO kinds that generate nothing here; said as a warning, never skipped silently. */
const UNUSED_OPENSLO_KINDS: Record<string, string> = {
  AlertNotificationTarget: 'notifications are routed by the generated alertmanager.yml (by severity)',
};

const SUPPORTED =
  'OpenSLO (apiVersion: openslo/v1), Sloth (version: prometheus/v1, or apiVersion: sloth.slok.dev/v1 kind: PrometheusServiceLevel) or Pyrra (apiVersion: pyrra.dev/v1alpha1 kind: ServiceLevelObjective)';

/**
 * Converts the documents of all input files, given together, into validated SLOs: OpenSLO v1
 * (SLO, SLI, Service, AlertPolicy, AlertCondition, DataSource; references resolve across
 * files), Sloth prometheus/v1 and its PrometheusServiceLevel CRD, and Pyrra
 * ServiceLevelObjective. Throws `InputError` naming the file, the document and the field of
 * the first thing that cannot be imported.
 */
export function importSloInputs(files: readonly InputFile[]): SloImport {
  const warnings: string[] = [];
  const warn: Warn = (m) => warnings.push(m);
  const docs = files.flatMap((f) => readDocuments(f.text, f.file));
  const catalog = new OpenSloCatalog();
  const slos: InputDoc[] = [];
  const imported: ImportedSlo[] = [];
  for (const doc of docs) {
    const { raw } = doc;
    const kind = text(raw.kind);
    if (raw.apiVersion === 'openslo/v1') {
      if (kind === 'SLO') slos.push(doc);
      else if ((REFERABLE_KINDS as readonly string[]).includes(kind ?? '')) catalog.add(kind as ReferableKind, doc);
      else if (kind && UNUSED_OPENSLO_KINDS[kind]) warn(`${doc.file}: ${doc.where} is not used: ${UNUSED_OPENSLO_KINDS[kind]}`);
      else
        throw new InputError(
          doc.file,
          `${doc.where}.kind`,
          `unknown OpenSLO v1 kind ${JSON.stringify(kind ?? null)}: expected SLO, ${REFERABLE_KINDS.join(', ')} or AlertNotificationTarget`,
        );
    } else if (raw.version === 'prometheus/v1') {
      imported.push(...fromSloth(doc, 'file', warn).map((s) => ({ ...s, doc })));
    } else if (raw.apiVersion === 'sloth.slok.dev/v1') {
      if (kind !== 'PrometheusServiceLevel')
        throw new InputError(
          doc.file,
          `${doc.where}.kind`,
          `must be PrometheusServiceLevel for apiVersion sloth.slok.dev/v1, got ${JSON.stringify(kind ?? null)}`,
        );
      imported.push(...fromSloth(doc, 'crd', warn).map((s) => ({ ...s, doc })));
    } else if (raw.apiVersion === 'pyrra.dev/v1alpha1') {
      if (kind !== 'ServiceLevelObjective')
        throw new InputError(
          doc.file,
          `${doc.where}.kind`,
          `must be ServiceLevelObjective for apiVersion pyrra.dev/v1alpha1, got ${JSON.stringify(kind ?? null)}`,
        );
      imported.push({ input: fromPyrra(doc), doc, where: doc.where });
    } else {
      const found =
        raw.apiVersion !== undefined
          ? `apiVersion ${JSON.stringify(raw.apiVersion)}`
          : raw.version !== undefined
            ? `version ${JSON.stringify(raw.version)}`
            : 'no apiVersion or version';
      throw new InputError(doc.file, doc.where, `is not ${SUPPORTED}: found ${found}`);
    }
  }
  // OpenSLO SLOs last: their references may point at documents later in the inputs.
  for (const doc of slos) imported.push({ input: fromOpenSlo(doc, catalog, warn), doc, where: doc.where });
  for (const d of catalog.unused()) warn(`${d.file}: ${d.where} is not used by any SLO`);
  const seen = new Map<string, ImportedSlo>();
  const out = imported.map((s) => {
    const r = sloSchema.safeParse(s.input);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new InputError(s.doc.file, `${s.where}: SLO ${JSON.stringify(s.input.name)}`, `${formatPath(issue.path) || 'slo'}: ${issue.message}`);
    }
    const prior = seen.get(r.data.name);
    if (prior) throw new InputError(s.doc.file, s.where, `SLO name ${JSON.stringify(r.data.name)} is also used by ${prior.doc.file} ${prior.where}`);
    seen.set(r.data.name, s);
    return r.data;
  });
  return { slos: out, inputs: imported.map((s) => s.input), warnings };
}

/** The SLOs of one YAML text (references resolve within it only). */
export function parseSloInputs(text: string, file: string): SloConfig[] {
  return importSloInputs([{ file, text }]).slos;
}

/** Reads and imports input files together; warnings go to `onWarning`. */
export function readSloInputs(files: readonly string[], onWarning: (message: string) => void): SloConfig[] {
  const r = importSloInputs(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
  r.warnings.forEach(onWarning);
  return r.slos;
}
