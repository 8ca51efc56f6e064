/** One problem in a configuration file, located by its field path. */
export interface ConfigIssue {
  /** e.g. `slos[2].objective` (empty for the document root). */
  readonly path: string;
  readonly message: string;
}

/** A configuration that cannot be used. The CLI prints it and exits with status 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `${file}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
    this.file = file;
    this.issues = issues;
  }
}

/** `['slos', 2, 'objective']` -> `slos[2].objective`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}
