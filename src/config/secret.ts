import { isAbsolute, resolve } from 'node:path';
import { type FileReadError, MAX_SECRET_BYTES, readRegularFile } from './read-file.js';

/**
 * A secret resolved from a reference (`env:NAME` or `file:/path`). Its value never reaches a
 * log line, an error message or JSON: every string conversion yields `[redacted]`.
 */
export class Secret {
  readonly #value: string;
  /** Where the value came from, safe to print (`env:PG_PASSWORD`). */
  readonly ref: string;

  constructor(value: string, ref: string) {
    this.#value = value;
    this.ref = ref;
  }

  /** The secret itself; call only at the point of use (client constructor). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return `[redacted ${this.ref}]`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${this.ref})`;
  }
}

export const SECRET_REF_RE = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/;

/**
 * Resolves a reference. A relative `file:` path is relative to `baseDir` (the directory of the
 * configuration file), not to the working directory of the process. Throws an Error whose
 * message names the reference, never the value.
 */
let unread = false;

/**
 * Runs `fn` with secret references checked for their form only, never read: for commands that
 * open no connection (`generate` runs where the service's secrets do not exist, e.g. a config
 * whose passwords are container secrets under /run/secrets).
 */
export function withSecretsUnread<T>(fn: () => T): T {
  const prev = unread;
  unread = true;
  try {
    return fn();
  } finally {
    unread = prev;
  }
}

export function resolveSecretRef(ref: string, env: NodeJS.ProcessEnv = process.env, baseDir: string = process.cwd()): Secret {
  if (unread && SECRET_REF_RE.test(ref)) return new Secret('', ref);
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const v = env[name];
    if (v === undefined) throw new Error(`environment variable ${name} is not set (from ${ref})`);
    return new Secret(v, ref);
  }
  if (ref.startsWith('file:')) {
    const given = ref.slice(5);
    const path = isAbsolute(given) ? given : resolve(baseDir, given);
    try {
      return new Secret(readRegularFile(path, MAX_SECRET_BYTES).replace(/\r?\n$/, ''), ref);
    } catch (err) {
      throw new Error(`cannot read secret file ${path}: ${(err as FileReadError).reason ?? 'error'}`);
    }
  }
  throw new Error('inline secrets are not accepted: give a reference env:NAME or file:/path');
}
