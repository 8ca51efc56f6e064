import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

/** The parts of docker-compose.yml the deploy tests read. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  volumes?: string[];
  secrets?: string[];
  environment?: Record<string, string>;
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
}

export const ROOT = new URL('../../', import.meta.url).pathname;

export function readCompose(): ComposeFile {
  return parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as ComposeFile;
}

/** Container path -> repo path for one service: its bind mounts and its secrets (/run/secrets/<name>). */
export function mounts(compose: ComposeFile, service: string): Map<string, string> {
  const svc = compose.services[service];
  if (!svc) throw new Error(`no service ${service}`);
  const out = new Map<string, string>();
  for (const v of svc.volumes ?? []) {
    const [src, dst] = v.split(':');
    if (src!.startsWith('./')) out.set(dst!, join(ROOT, src!));
  }
  for (const s of svc.secrets ?? []) {
    const def = compose.secrets[s];
    if (def) out.set(`/run/secrets/${s}`, join(ROOT, def.file));
  }
  return out;
}

/** The repo path a container path of `service` comes from (longest mount prefix), or undefined. */
export function toRepoPath(compose: ComposeFile, service: string, containerPath: string): string | undefined {
  let best: [string, string] | undefined;
  for (const [dst, src] of mounts(compose, service)) {
    if ((containerPath === dst || containerPath.startsWith(`${dst}/`)) && (!best || dst.length > best[0].length)) best = [dst, src];
  }
  return best ? best[1] + containerPath.slice(best[0].length) : undefined;
}

/** Absolute container paths named by a service's command (`/x` or `--flag=/x`). */
export function commandPaths(svc: ComposeService): string[] {
  return (svc.command ?? []).map((a) => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : a)).filter((a) => isAbsolute(a));
}

/** `text` with every container path of `service` found in it replaced by its repo path. */
export function mapContainerPaths(compose: ComposeFile, service: string, text: string): string {
  const entries = [...mounts(compose, service)].sort((a, b) => b[0].length - a[0].length);
  let out = text;
  for (const [dst, src] of entries) out = out.split(dst).join(src);
  return out;
}
