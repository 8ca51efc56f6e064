import { parse } from 'node:url';

/**
 * The path of a request target without its query, as express 5 read it (parseurl): the target
 * as sent when it starts with `/` and holds no whitespace, `#` or NBSP/BOM (query cut at the first
 * `?`); otherwise node's legacy parser, which also takes `http://host/path` and `*`. Not decoded:
 * `/%6Detrics` is not `/metrics`.
 */
export function requestPath(target: string): string {
  if (target.charCodeAt(0) === 0x2f) {
    let end = target.length;
    for (let i = 1; i < target.length; i++) {
      const c = target.charCodeAt(i);
      if (c === 0x3f) {
        if (end === target.length) end = i;
      } else if (c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20 || c === 0x23 || c === 0xa0 || c === 0xfeff) {
        return parse(target).pathname ?? '';
      }
    }
    return target.slice(0, end);
  }
  return parse(target).pathname ?? '';
}

/**
 * Whether `path` names `route` as express 5's router matched it by default: case-insensitive,
 * and one trailing slash allowed (`/metrics/`, not `/metrics//`).
 */
export function pathMatches(route: string, path: string): boolean {
  const p = path.length > 1 && path.endsWith('/') && path.length === route.length + 1 ? path.slice(0, -1) : path;
  return p.length === route.length && p.toLowerCase() === route.toLowerCase();
}
