import { spawn } from 'node:child_process';
import type { Seconds } from '../core/units.js';

/** A pause, resume or start action: a shell command, or an HTTP POST to a URL. */
export type Hook = { readonly kind: 'shell'; readonly command: string } | { readonly kind: 'http'; readonly url: string };

/** Outcome of a hook; a failure carries what went wrong (never the command's text or a URL's credentials). */
export type HookResult = { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly detail: string };

/** Most bytes of a command's output kept for the failure message. */
const MAX_OUTPUT = 2000;

/** The URL as it may be printed: no user info, no query string (tokens live there). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** How a hook is named in progress lines and reports. */
export function describeHook(h: Hook): string {
  return h.kind === 'http' ? `POST ${safeUrl(h.url)}` : 'shell command';
}

/** Runs a hook with a timeout: the command through `sh -c` (its process group killed on timeout), the URL by POST. */
export function runHook(h: Hook, timeout: Seconds): Promise<HookResult> {
  return h.kind === 'shell' ? runShell(h.command, timeout) : runHttp(h.url, timeout);
}

function runShell(command: string, timeout: Seconds): Promise<HookResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < MAX_OUTPUT) err += b.toString('utf8').slice(0, MAX_OUTPUT - err.length);
    });
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve({ ok: false, detail: `timed out after ${timeout} s` });
    }, timeout * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true, detail: 'exit 0' });
      else resolve({ ok: false, detail: `${code !== null ? `exit ${code}` : `killed by ${signal}`}${err.trim() ? `: ${err.trim()}` : ''}` });
    });
  });
}

async function runHttp(url: string, timeout: Seconds): Promise<HookResult> {
  try {
    const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(timeout * 1000), redirect: 'error' });
    await res.body?.cancel();
    return res.ok ? { ok: true, detail: `HTTP ${res.status}` } : { ok: false, detail: `HTTP ${res.status}` };
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError') return { ok: false, detail: `timed out after ${timeout} s` };
    return { ok: false, detail: `request failed: ${(err.cause as Error | undefined)?.message ?? err.message}` };
  }
}
