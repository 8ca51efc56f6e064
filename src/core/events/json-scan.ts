import type { JsonPath } from './field-ref.js';

/** The value at a path is an object or an array (the caller's `wrong_type`). */
export const COMPOSITE = Symbol('composite');
/** Value read at a path: absent or null values are `undefined`. */
export type ScannedValue = string | number | boolean | typeof COMPOSITE | undefined;

interface Node {
  /** Slot in the result array when a path ends here. */
  slot: number;
  keys: Map<string, Node>;
  /** Property names as UTF-8 bytes, to compare against the record without decoding keys. */
  keyBytes: { bytes: Buffer; node: Node }[];
  indexes: Map<number, Node>;
}

/** Thrown on anything that is not JSON; the parser turns it into `non_json`. */
export class NotJson extends Error {
  override readonly name = 'NotJson';
}

const node = (): Node => ({ slot: -1, keys: new Map(), keyBytes: [], indexes: new Map() });

/**
 * A compiled set of JSON paths, read straight from the record bytes in one pass without
 * building the document: only the wanted values are decoded, everything else is skipped
 * (but still checked against the JSON grammar, so `non_json` means the same as for
 * JSON.parse). This is what lets the tail keep up with a bare consumer: JSON.parse of a
 * ~200-byte event costs about as much as kafkajs' own decoding of it (docs/performance.md).
 *
 * Returns undefined for path sets it does not handle (the root path, or one path inside
 * another); the caller then uses JSON.parse.
 */
export function compileJsonScanner(paths: readonly JsonPath[]): ((buf: Buffer) => ScannedValue[]) | undefined {
  const root = node();
  for (const [slot, path] of paths.entries()) {
    if (path.length === 0) return undefined;
    let cur = root;
    for (const seg of path) {
      if (cur.slot >= 0) return undefined;
      const map = typeof seg === 'number' ? cur.indexes : cur.keys;
      let next = (map as Map<string | number, Node>).get(seg);
      if (!next) {
        next = node();
        (map as Map<string | number, Node>).set(seg, next);
        if (typeof seg === 'string') cur.keyBytes.push({ bytes: Buffer.from(seg, 'utf8'), node: next });
      }
      cur = next;
    }
    if (cur.keys.size > 0 || cur.indexes.size > 0) return undefined;
    cur.slot = slot;
  }
  const n = paths.length;
  return (buf) => {
    const out: ScannedValue[] = new Array<ScannedValue>(n).fill(undefined);
    const end = value(buf, ws(buf, 0), root, out);
    if (ws(buf, end) !== buf.length) throw new NotJson('trailing characters');
    return out;
  };
}

function ws(b: Buffer, i: number): number {
  for (;;) {
    const c = b[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** Parses or skips the value at i; `at` is the path node for it (undefined: skip). */
function value(b: Buffer, i: number, at: Node | undefined, out: ScannedValue[]): number {
  const c = b[i];
  if (c === 0x7b) return object(b, i, at, out);
  if (c === 0x5b) return array(b, i, at, out);
  if (c === 0x22) {
    const e = string(b, i);
    if (at && at.slot >= 0) out[at.slot] = lastEscaped ? (JSON.parse(b.toString('utf8', i, e)) as string) : b.toString('utf8', i + 1, e - 1);
    return e;
  }
  if (c === 0x74 || c === 0x66 || c === 0x6e) {
    const lit = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
    for (let k = 1; k < lit.length; k++) if (b[i + k] !== lit[k]) throw new NotJson('bad literal');
    if (at && at.slot >= 0) out[at.slot] = lit === NULL ? undefined : lit === TRUE;
    return i + lit.length;
  }
  const e = number(b, i);
  if (at && at.slot >= 0) out[at.slot] = Number(b.toString('latin1', i, e));
  return e;
}

function object(b: Buffer, i: number, at: Node | undefined, out: ScannedValue[]): number {
  if (at && at.slot >= 0) out[at.slot] = COMPOSITE;
  const wanted = at && at.keyBytes.length > 0 ? at : undefined;
  i = ws(b, i + 1);
  if (b[i] === 0x7d) return i + 1;
  for (;;) {
    if (b[i] !== 0x22) throw new NotJson('expected a key');
    const ke = string(b, i);
    let child: Node | undefined;
    if (wanted) {
      if (lastEscaped) child = wanted.keys.get(JSON.parse(b.toString('utf8', i, ke)) as string);
      else {
        const len = ke - i - 2;
        for (const k of wanted.keyBytes) {
          if (k.bytes.length === len && sameBytes(b, i + 1, k.bytes)) {
            child = k.node;
            break;
          }
        }
      }
    }
    i = ws(b, ke);
    if (b[i] !== 0x3a) throw new NotJson('expected :');
    i = value(b, ws(b, i + 1), child, out);
    i = ws(b, i);
    if (b[i] === 0x2c) i = ws(b, i + 1);
    else if (b[i] === 0x7d) return i + 1;
    else throw new NotJson('expected , or }');
  }
}

function array(b: Buffer, i: number, at: Node | undefined, out: ScannedValue[]): number {
  if (at && at.slot >= 0) out[at.slot] = COMPOSITE;
  const wanted = at && at.indexes.size > 0 ? at : undefined;
  i = ws(b, i + 1);
  if (b[i] === 0x5d) return i + 1;
  for (let k = 0; ; k++) {
    i = ws(b, value(b, i, wanted?.indexes.get(k), out));
    if (b[i] === 0x2c) i = ws(b, i + 1);
    else if (b[i] === 0x5d) return i + 1;
    else throw new NotJson('expected , or ]');
  }
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function sameBytes(b: Buffer, at: number, key: Buffer): boolean {
  for (let k = 0; k < key.length; k++) if (b[at + k] !== key[k]) return false;
  return true;
}

/** Whether the last string scanned had escapes (a module variable instead of a tuple: no garbage per string). */
let lastEscaped = false;

/** Returns the end (after the closing quote); sets `lastEscaped`. Checks escapes and control characters. */
function string(b: Buffer, i: number): number {
  let escaped = false;
  const n = b.length;
  for (let j = i + 1; j < n; j++) {
    const c = b[j]!;
    if (c === 0x22) {
      lastEscaped = escaped;
      return j + 1;
    }
    if (c < 0x20) throw new NotJson('control character in string');
    if (c === 0x5c) {
      escaped = true;
      const e = b[++j];
      if (e === 0x75) {
        for (let h = 1; h <= 4; h++) if (!isHex(b[j + h])) throw new NotJson('bad \\u escape');
        j += 4;
      } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
        throw new NotJson('bad escape');
      }
    }
  }
  throw new NotJson('unterminated string');
}

const isHex = (c: number | undefined): boolean => c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
function number(b: Buffer, i: number): number {
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else throw new NotJson('bad value');
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i])) throw new NotJson('bad fraction');
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) throw new NotJson('bad exponent');
    while (isDigit(b[i])) i++;
  }
  return i;
}
