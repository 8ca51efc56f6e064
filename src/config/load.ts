import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema/index.js';
import { ConfigError, formatPath, type ConfigIssue } from './config-error.js';
import { FileReadError, MAX_CONFIG_BYTES, readRegularFile } from './read-file.js';
import { withSecretBaseDir } from './secret-base.js';
import { withSecretsUnread } from './secret.js';

/** Longest text of a found value quoted in a message; longer values are cut. */
const MAX_QUOTED = 80;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string' && value.length > MAX_QUOTED) return `${JSON.stringify(value.slice(0, MAX_QUOTED))}... (${value.length} characters)`;
  return JSON.stringify(value);
}

/** What a whole document is, by type and size only: a file given by mistake (a PEM key) is never echoed. */
function describeDocument(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'string') return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true or false';
  return value === null ? 'null' : `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  int: 'an integer',
};

function expected(kind: string): string {
  return EXPECTED[kind] ?? kind;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** A field that belongs to another form of the same entry: say which form. */
function hint(path: readonly PropertyKey[], key: string): string | undefined {
  if (path.length === 2 && path[0] === 'streams' && key === 'store') return 'is not a field of a Kafka stream: a stream read from a SQL store needs kind: sql';
  return undefined;
}

/** Turns zod's issues into messages that say what was expected and what was found. */
function toIssues(err: z.ZodError, raw: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of err.issues) {
    const got = valueAt(raw, issue.path);
    let message = issue.message;
    switch (issue.code) {
      case 'invalid_type':
        // A schema that words its own type error (secrets: never the value; durations: the unit hint) keeps it.
        if (message.startsWith('must be ') && message.includes(', got ')) break;
        message = got === undefined ? `is required (expected ${expected(issue.expected)})` : `must be ${expected(issue.expected)}, got ${describe(got)}`;
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), message: hint(issue.path, key) ?? 'is not a known field' });
        continue;
      case 'invalid_value':
        message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(got)}`;
        break;
      case 'too_small':
        if (typeof got === 'number') message = `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}, got ${got}`;
        else if (Array.isArray(got) && !/^Too small/.test(issue.message)) break;
        else if (Array.isArray(got)) message = `must have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}, got ${got.length}`;
        else if (typeof got === 'string') message = `must be at least ${issue.minimum} characters long`;
        break;
      case 'too_big':
        if (typeof got === 'number') message = `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, got ${got}`;
        break;
      case 'invalid_union': {
        const options = (issue as { options?: unknown[] }).options;
        if ((issue as { discriminator?: string }).discriminator || (issue as { note?: string }).note === 'No matching discriminator') {
          message = `must be one of the known kinds${options?.length ? ` (${options.map((o) => JSON.stringify(o)).join(', ')})` : ''}, got ${describe(got)}`;
        } else {
          // Say what each accepted form expects: `must be one of "month", or a duration like 30s, ...`.
          const branches = ((issue as { errors?: z.core.$ZodIssue[][] }).errors ?? []).flat();
          const forms = new Set<string>();
          for (const b of branches) {
            if (b.path.length > 0) continue;
            if (b.code === 'invalid_value') forms.add(`one of ${b.values.map((v) => JSON.stringify(v)).join(', ')}`);
            else if (b.code === 'custom' && b.message.startsWith('must be ')) forms.add(b.message.slice(8).replace(/, got .*$/, ''));
            else if (b.code === 'invalid_type') forms.add(expected(b.expected));
          }
          message = forms.size > 0 ? `must be ${[...forms].join(', or ')}, got ${describe(got)}` : `does not match any accepted form, got ${describe(got)}`;
        }
        break;
      }
      default:
        // Refinements say what is expected ("must be ..."); add what was found. Secret fields
        // never reach here with "must be": their messages do not echo values.
        if (issue.code === 'custom' && message.startsWith('must be') && got !== undefined && typeof got !== 'object' && !message.includes('got ')) {
          message = `${message}, got ${describe(got)}`;
        }
    }
    out.push({ path: formatPath(issue.path), message });
  }
  return out;
}

/**
 * Parses and validates configuration text. `file` names the source in error messages; relative
 * `file:` secret references resolve against its directory.
 */
export function parseConfig(text: string, file: string): Config {
  const lines = new LineCounter();
  let raw: unknown;
  try {
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        file,
        doc.errors.map((e) => {
          const pos = lines.linePos(e.pos[0]);
          return { path: '', message: `invalid YAML at line ${pos.line} column ${pos.col}: ${e.message.split('\n')[0]}` };
        }),
      );
    }
    // toJS expands aliases; the yaml package refuses an alias bomb ("Excessive alias count") here.
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(file, [
      {
        path: '',
        message: `invalid YAML: ${String((err as Error).message ?? err)
          .split('\n')[0]!
          .slice(0, 200)}`,
      },
    ]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: '', message: `must be a mapping of sections (clusters, stores, slos, ...), got ${describeDocument(raw)}` }]);
  }
  const result = withSecretBaseDir(dirname(resolve(file)), () => configSchema.safeParse(raw));
  if (!result.success) throw new ConfigError(file, toIssues(result.error, raw));
  return result.data;
}

/**
 * Reads, parses and validates a configuration file: a regular file of at most
 * MAX_CONFIG_BYTES (4 MiB). Throws ConfigError.
 */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readRegularFile(file, MAX_CONFIG_BYTES);
  } catch (err) {
    const reason = err instanceof FileReadError ? err.reason : 'error';
    throw new ConfigError(file, [{ path: '', message: `cannot read file (${reason})` }]);
  }
  return parseConfig(text, file);
}

/**
 * A configuration file as `generate` reads it: validated whole (stores, clusters, streams and
 * DLQs shape the rules and dashboards), with secret references checked for form but not read.
 */
export function loadConfigForGenerate(file: string): Config {
  return withSecretsUnread(() => loadConfig(file));
}
