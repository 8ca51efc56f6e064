import type { ChildProcess } from 'node:child_process';

/** What a started `cqrs-slo run` printed, and the URL it serves on once its start-up line says so. */
export interface ServiceOutput {
  /** The `url` of the start-up log line; rejects if the process exits or says nothing in time. */
  readonly url: Promise<string>;
  /** Everything printed so far, stdout and stderr (those that are piped). */
  text(): string;
}

const URL_FIELD = /"url":"(http:\/\/[^"]+)"/;

export function watchService(child: ChildProcess, timeoutMs: number): ServiceOutput {
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line in ${timeoutMs} ms: ${out}`)), timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before serving: ${out}`));
    };
    child.once('exit', onExit);
    child.stderr?.on('data', (c: Buffer) => void (out += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = URL_FIELD.exec(out);
      if (m) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(m[1]!);
      }
    });
  });
  return { url, text: () => out };
}
