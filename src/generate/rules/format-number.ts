/** A number as PromQL/YAML text without binary noise: 14.399999999999999 -> 14.4. */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(Number(n.toPrecision(12)));
}
