import type { JsonPath } from './field-ref.js';
import * as hash from './hash64.js';
import type { Hash64 } from './hash64.js';

// Imports used per byte or per event, as module constants: a module runner (vite-node, which
// runs the benchmarks and tests) turns every use of an imported name into a getter call.
const HASH_SEED1 = hash.HASH_SEED1;
const HASH_SEED2 = hash.HASH_SEED2;
const HASH_STEP1 = hash.HASH_STEP1;
const HASH_STEP2 = hash.HASH_STEP2;
const hash64Finish = hash.hash64Finish;

/** The value at a path is an object or an array (the caller's `wrong_type`). */
export const COMPOSITE = Symbol('composite');
/** Value read at a path: absent or null values are `undefined`. */
export type ScannedValue = string | number | boolean | typeof COMPOSITE | undefined;

/** What the scanner found at a path (`JsonSpans.kind`). */
export const JSON_ABSENT = 0; // absent, or null
export const JSON_STRING = 1; // a string without escapes: its bytes are its UTF-8 text
export const JSON_ESCAPED = 2; // a string with escapes (decode it with JSON.parse)
export const JSON_NUMBER = 3;
export const JSON_TRUE = 4;
export const JSON_FALSE = 5;
export const JSON_COMPOSITE = 6; // an object or an array

/**
 * Where each wanted value lies in the record, per path (slot): what it is, and its byte range
 * (for strings, inside the quotes; for numbers, the number's text). Reused by every scan.
 */
export interface JsonSpans {
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /**
   * For slots compiled with `fingerprint`: 1 when the value is a JSON_STRING of ASCII bytes,
   * whose `hash64` is then in hashHi/hashLo (computed in the same pass as the scan).
   */
  readonly hashed: Uint8Array;
  readonly hashHi: Uint32Array;
  readonly hashLo: Uint32Array;
  /** 1 for each slot given a value (null included) by this scan; reset and read only when stopping after the fields. */
  readonly seen: Uint8Array;
}

/**
 * How much of a value the scan checks. `document`: every byte, so "not JSON" means what it
 * means to JSON.parse. `fields`: the scan stops once every wanted path has a value; what follows
 * is not read (a value broken after its last wanted field still reads as an event, and a
 * duplicate key after it is not seen). The cost then no longer grows with the payload.
 */
export type JsonCheck = 'document' | 'fields';

/** A compiled set of paths: `scan` fills `spans` for one record, or returns false if it is not JSON. */
export interface SpanScanner {
  readonly spans: JsonSpans;
  scan(buf: Uint8Array): boolean;
}

interface Node {
  /** Slot in the result when a path ends here. */
  slot: number;
  /** Fingerprint the value of this slot while scanning it. */
  hash: boolean;
  keys: Map<string, Node>;
  indexes: Map<number, Node>;
  /** The wanted property names as UTF-8 bytes, to compare against the record without decoding keys. */
  keyNodes: Node[];
  keyLen: number[];
  keyOff: number[];
  keyData: Uint8Array;
  /** `dispatchIndex(length, first byte)` -> first candidate + 1, then `keyNext` (0 ends the chain). */
  dispatch: Int32Array;
  keyNext: number[];
}

/** Thrown on anything that is not JSON; the parser turns it into `non_json`. */
export class NotJson extends Error {
  override readonly name = 'NotJson';
}

const node = (): Node => ({
  slot: -1,
  hash: false,
  keys: new Map(),
  indexes: new Map(),
  keyNodes: [],
  keyLen: [],
  keyOff: [],
  keyData: EMPTY,
  dispatch: NO_DISPATCH,
  keyNext: [],
});
const EMPTY = new Uint8Array(0);
const NO_DISPATCH = new Int32Array(0);

/** Bucket of a property name in a node's dispatch table: its length and first byte, 256 buckets. */
const dispatchIndex = (len: number, first: number): number => ((len & 15) << 4) | (first & 15);

/** Builds the byte tables of the wanted keys of `n` and of every node below it. */
function compileKeys(n: Node): void {
  if (n.keys.size > 0) {
    const names = [...n.keys.keys()].map((k) => Buffer.from(k, 'utf8'));
    n.keyData = new Uint8Array(names.reduce((a, b) => a + b.length, 0));
    n.dispatch = new Int32Array(256);
    let off = 0;
    for (const [c, child] of [...n.keys.values()].entries()) {
      const bytes = names[c]!;
      n.keyData.set(bytes, off);
      n.keyNodes.push(child);
      n.keyLen.push(bytes.length);
      n.keyOff.push(off);
      off += bytes.length;
      // an empty name has no first byte: the scan then reads the closing quote
      const at = dispatchIndex(bytes.length, bytes.length > 0 ? bytes[0]! : 0x22);
      n.keyNext.push(n.dispatch[at]!);
      n.dispatch[at] = c + 1;
    }
  }
  for (const child of n.keys.values()) compileKeys(child);
  for (const child of n.indexes.values()) compileKeys(child);
}

/**
 * A compiled set of JSON paths, found straight in the record bytes in one pass without
 * building the document or decoding anything: the scan only notes where each wanted value
 * lies (`JsonSpans`), and the caller reads the few it needs from the bytes. Everything else is
 * skipped, but still checked against the JSON grammar, so `non_json` means the same as for
 * JSON.parse (except that, like `Buffer.toString`, invalid UTF-8 inside strings is not an
 * error). This is what lets the tail keep up with a bare consumer: JSON.parse of a ~200-byte
 * event costs about as much as kafkajs' own decoding of it (docs/performance.md).
 *
 * Returns undefined for path sets it does not handle (the root path, or one path inside
 * another); the caller then uses JSON.parse.
 */
export function compileSpanScanner(paths: readonly JsonPath[], fingerprint: readonly boolean[] = [], check: JsonCheck = 'document'): SpanScanner | undefined {
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
      }
      cur = next;
    }
    if (cur.keys.size > 0 || cur.indexes.size > 0) return undefined;
    cur.slot = slot;
    cur.hash = fingerprint[slot] === true;
  }
  compileKeys(root);
  const n = paths.length;
  const spans: JsonSpans = {
    kind: new Uint8Array(n),
    start: new Int32Array(n),
    end: new Int32Array(n),
    hashed: new Uint8Array(n),
    hashHi: new Uint32Array(n),
    hashLo: new Uint32Array(n),
    seen: new Uint8Array(n),
  };
  // -1: never stop early (a count of slots seen is never negative)
  const stopAt = check === 'fields' ? n : -1;
  return {
    spans,
    scan(buf: Uint8Array): boolean {
      spans.kind.fill(JSON_ABSENT);
      if (stopAt > 0) spans.seen.fill(0);
      last.found = 0;
      return scanDocument(buf, root, spans, stopAt);
    },
  };
}

/**
 * The decoded form of `compileSpanScanner`: the value at each path (strings decoded, numbers
 * converted, objects and arrays as COMPOSITE, null as undefined). Throws NotJson.
 */
export function compileJsonScanner(paths: readonly JsonPath[], check: JsonCheck = 'document'): ((buf: Buffer) => ScannedValue[]) | undefined {
  const s = compileSpanScanner(paths, [], check);
  if (!s) return undefined;
  return (buf) => {
    if (!s.scan(buf)) throw new NotJson('not JSON');
    const out: ScannedValue[] = [];
    for (let k = 0; k < paths.length; k++) out.push(spanValue(buf, s.spans, k));
    return out;
  };
}

/** The decoded value of slot k after a scan of `buf`. */
export function spanValue(buf: Buffer, spans: JsonSpans, k: number): ScannedValue {
  const a = spans.start[k]!;
  const e = spans.end[k]!;
  switch (spans.kind[k]) {
    case JSON_STRING:
      return buf.toString('utf8', a, e);
    case JSON_ESCAPED:
      return JSON.parse(buf.toString('utf8', a - 1, e + 1)) as string;
    case JSON_NUMBER:
      return Number(buf.toString('latin1', a, e));
    case JSON_TRUE:
      return true;
    case JSON_FALSE:
      return false;
    case JSON_COMPOSITE:
      return COMPOSITE;
    default:
      return undefined;
  }
}

function ws(b: Uint8Array, i: number): number {
  let c = b[i]!;
  // JSON from programs seldom has white space: one compare in the usual case
  if (c > 0x20) return i;
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i]!;
  return i;
}

/** Per depth: the path node of the open container (undefined: nothing wanted inside). */
const stackNode: (Node | undefined)[] = [];
/** Per depth: the container's first byte, and for arrays the index of the current element (-1: an object). */
const stackStart: number[] = [];
const stackIndex: number[] = [];

/** What `string` and `key` report besides their return value (an object: no module `let` checks in the loop). */
const last = { escaped: false, ascii: false, child: undefined as Node | undefined, found: 0 };
const lastHash: Hash64 = { hi: 0, lo: 0 };

/**
 * The scan, iterative (an explicit stack instead of recursion: any depth that JSON.parse
 * accepts is accepted). Returns false on anything that is not JSON. Each value is scanned at
 * `i` with `at` its path node; after it, the loop below closes containers and moves to the
 * next key or element.
 */
function scanDocument(b: Uint8Array, root: Node, spans: JsonSpans, stopAt: number): boolean {
  const n = b.length;
  let depth = 0;
  let at: Node | undefined = root;
  let i = ws(b, 0);
  for (;;) {
    // one value at i
    const c = b[i];
    if (c === 0x22) {
      let e: number;
      if (at !== undefined && at.slot >= 0) {
        const slot = at.slot;
        if (at.hash) {
          e = hashedString(b, i, n);
          spans.hashed[slot] = e >= 0 && !last.escaped && last.ascii ? 1 : 0;
          spans.hashHi[slot] = lastHash.hi;
          spans.hashLo[slot] = lastHash.lo;
        } else e = string(b, i, n);
        if (e < 0) return false;
        mark(spans, slot, last.escaped ? JSON_ESCAPED : JSON_STRING, i + 1, e);
      } else {
        e = string(b, i, n);
        if (e < 0) return false;
      }
      i = e + 1;
    } else if ((c === 0x7b || c === 0x5b) && at === undefined) {
      // nothing wanted inside: the whole container in the tight loop
      i = skipValue(b, i, n);
      if (i < 0) return false;
    } else if (c === 0x7b || c === 0x5b) {
      stackNode[depth] = at;
      stackStart[depth] = i;
      i = ws(b, i + 1);
      if (c === 0x7b) {
        stackIndex[depth++] = -1;
        if (b[i] !== 0x7d) {
          i = key(b, i, n, at);
          if (i < 0) return false;
          at = last.child;
          continue;
        }
      } else {
        stackIndex[depth++] = 0;
        if (b[i] !== 0x5d) {
          at = at !== undefined && at.indexes.size > 0 ? at.indexes.get(0) : undefined;
          continue;
        }
      }
      // an empty container: closed at once
      i = close(i, --depth, spans);
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const lit = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
      for (let k = 1; k < lit.length; k++) if (b[i + k] !== lit[k]) return false;
      if (at !== undefined && at.slot >= 0) mark(spans, at.slot, lit === NULL ? JSON_ABSENT : lit === TRUE ? JSON_TRUE : JSON_FALSE, i, i + lit.length);
      i += lit.length;
    } else {
      const e = number(b, i);
      if (e < 0) return false;
      if (at !== undefined && at.slot >= 0) mark(spans, at.slot, JSON_NUMBER, i, e);
      i = e;
    }
    // after a value: close containers, or go on to the next key or element
    for (;;) {
      if (last.found === stopAt) return true;
      i = ws(b, i);
      if (depth === 0) return i === n;
      const d = depth - 1;
      const x = b[i];
      if (x === 0x2c) {
        i = ws(b, i + 1);
        const parent = stackNode[d];
        const idx = stackIndex[d]!;
        if (idx < 0) {
          i = key(b, i, n, parent);
          if (i < 0) return false;
          at = last.child;
        } else {
          stackIndex[d] = idx + 1;
          at = parent !== undefined && parent.indexes.size > 0 ? parent.indexes.get(idx + 1) : undefined;
        }
        break;
      }
      if (x !== (stackIndex[d]! < 0 ? 0x7d : 0x5d)) return false;
      depth = d;
      i = close(i, d, spans);
    }
  }
}

/** Per depth of `skipValue`: 1 for an object, 2 for an array (grown when a document nests deeper). */
let skipKinds: Uint8Array = new Uint8Array(64);

/**
 * Skips the value at i where no path leads (with everything inside it), checking it against
 * the JSON grammar like the rest of the scan; returns the position after it, or -1. One loop
 * with no path state and no calls in the usual case, written out by hand: most bytes of a
 * large payload pass here (docs/performance.md).
 */
function skipValue(b: Uint8Array, i: number, n: number): number {
  const stop = STRING_STOP;
  let kinds = skipKinds;
  let depth = 0;
  let c: number | undefined;
  // a key comes before the value at i (set after `{` and after `,` in an object)
  let key = false;
  for (;;) {
    if (key) {
      key = false;
      if (b[i] !== 0x22) return -1;
      let j = i + 1;
      while (j < n && stop[b[j]!] === 0) j++;
      if (b[j] !== 0x22) {
        j = escapedString(b, j, n);
        if (j < 0) return -1;
      }
      c = b[(i = j + 1)];
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
      if (c !== 0x3a) return -1;
      c = b[++i];
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
    }
    // one value at i (white space before it already skipped)
    c = b[i];
    if (c === 0x22) {
      let j = i + 1;
      while (j < n && stop[b[j]!] === 0) j++;
      if (b[j] !== 0x22) {
        j = escapedString(b, j, n);
        if (j < 0) return -1;
      }
      i = j + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (depth === kinds.length) kinds = skipKinds = grow(kinds);
      const open = c;
      c = b[++i];
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
      if (open === 0x7b ? c !== 0x7d : c !== 0x5d) {
        kinds[depth++] = open === 0x7b ? 1 : 2;
        key = open === 0x7b;
        continue;
      }
      // an empty container
      i++;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const lit = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
      for (let k = 1; k < lit.length; k++) if (b[i + k] !== lit[k]) return -1;
      i += lit.length;
    } else {
      i = number(b, i);
      if (i < 0) return -1;
    }
    // after a value: close containers, or go on to the next key or element
    for (;;) {
      if (depth === 0) return i;
      c = b[i];
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
      const kind = kinds[depth - 1];
      if (c === 0x2c) {
        c = b[++i];
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
        key = kind === 1;
        break;
      }
      if (c !== (kind === 1 ? 0x7d : 0x5d)) return -1;
      depth--;
      i++;
    }
  }
}

function grow(a: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

/** Closes the container of depth d whose closing bracket is at i; returns the position after it. */
function close(i: number, d: number, spans: JsonSpans): number {
  const node = stackNode[d];
  if (node !== undefined) {
    if (node.slot >= 0) mark(spans, node.slot, JSON_COMPOSITE, stackStart[d]!, i + 1);
    stackNode[d] = undefined;
  }
  return i + 1;
}

/**
 * Reads `"key" :` at i in an object whose path node is `obj`; sets `last.child` to the key's
 * node (undefined when not wanted); returns where the value starts, or -1.
 */
function key(b: Uint8Array, i: number, n: number, obj: Node | undefined): number {
  if (b[i] !== 0x22) return -1;
  const ke = string(b, i, n);
  if (ke < 0) return -1;
  let child: Node | undefined;
  if (obj !== undefined && obj.keyNodes.length > 0) {
    if (last.escaped) child = obj.keys.get(JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8', i, ke + 1)) as string);
    else child = keyNode(obj, b, i + 1, ke);
  }
  last.child = child;
  i = ws(b, ke + 1);
  if (b[i] !== 0x3a) return -1;
  return ws(b, i + 1);
}

/** The wanted key whose name is the bytes `b[from, to)`, if any. */
function keyNode(wanted: Node, b: Uint8Array, from: number, to: number): Node | undefined {
  const len = to - from;
  let c = wanted.dispatch[dispatchIndex(len, b[from]!)]! - 1;
  while (c >= 0) {
    if (wanted.keyLen[c] === len) {
      const data = wanted.keyData;
      const off = wanted.keyOff[c]! - from;
      let j = from;
      while (j < to && b[j] === data[off + j]) j++;
      if (j === to) return wanted.keyNodes[c];
    }
    c = wanted.keyNext[c]! - 1;
  }
  return undefined;
}

function mark(spans: JsonSpans, slot: number, kind: number, start: number, end: number): void {
  spans.kind[slot] = kind;
  spans.start[slot] = start;
  spans.end[slot] = end;
  if (spans.seen[slot] === 0) {
    spans.seen[slot] = 1;
    last.found++;
  }
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** Bytes that end the fast run inside a string: the quote, the backslash, control characters. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[0x22] = 1;
STRING_STOP[0x5c] = 1;

/**
 * The position of the closing quote of the string opening at i, or -1; sets `last.escaped`.
 * Checks escapes and control characters.
 */
function string(b: Uint8Array, i: number, n: number): number {
  let j = i + 1;
  while (j < n && STRING_STOP[b[j]!] === 0) j++;
  if (b[j] === 0x22) {
    last.escaped = false;
    return j;
  }
  return escapedString(b, j, n);
}

/**
 * `string`, also fingerprinting the bytes (`hash64BytesInto`, in the same loop): sets
 * `lastHash` and `last.ascii` when the string has no escapes.
 */
function hashedString(b: Uint8Array, i: number, n: number): number {
  let j = i + 1;
  let h1 = HASH_SEED1;
  let h2 = HASH_SEED2;
  let any = 0;
  while (j < n) {
    const c = b[j]!;
    if (STRING_STOP[c] !== 0) break;
    any |= c;
    h1 = Math.imul(h1 ^ c, HASH_STEP1);
    h2 = Math.imul(h2 ^ c, HASH_STEP2);
    j++;
  }
  if (b[j] === 0x22) {
    last.escaped = false;
    last.ascii = any < 0x80;
    hash64Finish(h1, h2, j - i - 1, lastHash);
    return j;
  }
  return escapedString(b, j, n);
}

/** `string` from its first backslash (or a control character, or the end) at j. */
function escapedString(b: Uint8Array, j: number, n: number): number {
  for (;;) {
    if (j >= n) return -1;
    const c = b[j]!;
    if (c === 0x22) {
      last.escaped = true;
      return j;
    }
    if (c < 0x20) return -1;
    // a backslash
    const e = b[++j];
    if (e === 0x75) {
      for (let h = 1; h <= 4; h++) if (!isHex(b[j + h])) return -1;
      j += 4;
    } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
      return -1;
    }
    j++;
    while (j < n && STRING_STOP[b[j]!] === 0) j++;
  }
}

const isHex = (c: number | undefined): boolean => c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));

/** JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; returns the end or -1. */
function number(b: Uint8Array, i: number): number {
  // each byte read once (`undefined` past the end compares false everywhere)
  let c = b[i];
  if (c === 0x2d) c = b[++i];
  if (c === 0x30) c = b[++i];
  else if (c !== undefined && c >= 0x31 && c <= 0x39) {
    do c = b[++i];
    while (c !== undefined && c >= 0x30 && c <= 0x39);
  } else return -1;
  if (c === 0x2e) {
    c = b[++i];
    if (c === undefined || c < 0x30 || c > 0x39) return -1;
    do c = b[++i];
    while (c !== undefined && c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45) {
    c = b[++i];
    if (c === 0x2b || c === 0x2d) c = b[++i];
    if (c === undefined || c < 0x30 || c > 0x39) return -1;
    do c = b[++i];
    while (c !== undefined && c >= 0x30 && c <= 0x39);
  }
  return i;
}
