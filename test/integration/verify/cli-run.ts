import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/cqrs-slo.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (dist/, `npm run build`) as a user would, without blocking the test's own loops. */
export function runCli(args: string[], env: Record<string, string> = {}, started?: (child: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    started?.(child);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The JSON report a run wrote into `dir` (the only one there). */
export function readReport(dir: string, check: string): { json: Record<string, any>; md: string } {
  const files = readdirSync(dir).filter((f) => f.startsWith(`verify-${check}-`));
  const json = files.find((f) => f.endsWith('.json'));
  const md = files.find((f) => f.endsWith('.md'));
  if (!json || !md) throw new Error(`no ${check} report in ${dir}: ${files.join(', ')}`);
  return { json: JSON.parse(readFileSync(join(dir, json), 'utf8')), md: readFileSync(join(dir, md), 'utf8') };
}
