/**
 * The directory relative `file:` secret references resolve against while a configuration is
 * validated. Zod transforms take no context argument, so parseConfig sets it around its
 * (synchronous) parse; outside a parse it is the working directory.
 */
let current: string | undefined;

export function secretBaseDir(): string {
  return current ?? process.cwd();
}

/** Runs `fn` (synchronous) with relative secret files resolved against `dir`. */
export function withSecretBaseDir<T>(dir: string, fn: () => T): T {
  const previous = current;
  current = dir;
  try {
    return fn();
  } finally {
    current = previous;
  }
}
