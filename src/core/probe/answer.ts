import { evalJsonPath } from './json-path.js';
import type { Answer } from './outcome.js';

/** When a query's HTTP answer shows the change (config `query.condition`). */
export interface AnswerCondition {
  /** Status of an answer that may show the change. */
  readonly status: number;
  /** Statuses that mean "not yet" (e.g. 404 before the read model has the entity). */
  readonly pendingStatus: readonly number[];
  /** A JSON path into the body (subset: `$.a.b[0]`); absent: the status alone decides. */
  readonly jsonPath?: string | undefined;
  /** With `jsonPath`: the value there, as text, must equal this (probe id already substituted). */
  readonly equals?: string | undefined;
}

/** What an HTTP query returned. `body` is the (bounded) text of the answer. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * Classifies an HTTP query's answer:
 * - the condition's status and (when set) the JSON path holds: visible;
 * - the condition's status but the path is missing or holds another value, or a pending status: pending;
 * - any other status, or a body that is not JSON when a path is asked: error (the probe cannot tell).
 */
export function classifyHttpAnswer(a: HttpAnswer, c: AnswerCondition): Answer {
  if (a.status !== c.status) return c.pendingStatus.includes(a.status) ? 'pending' : 'error';
  if (c.jsonPath === undefined) return 'visible';
  let doc: unknown;
  try {
    doc = JSON.parse(a.body);
  } catch {
    return 'error';
  }
  const found = evalJsonPath(doc, c.jsonPath);
  if (!found.found) return 'pending';
  if (c.equals === undefined) return 'visible';
  return textOf(found.value) === c.equals ? 'visible' : 'pending';
}

/** Text of a JSON value for `equals`: strings as they are, numbers and booleans as JSON. */
function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (v === null) return 'null';
  return undefined;
}

/** An SQL query shows the change when it returns at least one row. */
export function classifyRows(rowCount: number): Answer {
  return rowCount > 0 ? 'visible' : 'pending';
}

/** A command succeeded when its status is one of `expect` (default: any 2xx). */
export function commandAccepted(status: number, expect: readonly number[]): boolean {
  return expect.length > 0 ? expect.includes(status) : status >= 200 && status < 300;
}
