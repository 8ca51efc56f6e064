/**
 * Characters refused in configuration text that people read (names, owners, descriptions):
 * C0 controls (tab allowed; newline only in multi-line text), DEL, C1 controls, and the Unicode
 * bidirectional controls (U+200E/U+200F marks, U+202A-U+202E embeddings and overrides,
 * U+2066-U+2069 isolates), which reorder how the text around them is displayed (CVE-2021-42574,
 * "Trojan Source").
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Pure: names the first unsafe character in `value` (`U+202E at index 3`), or undefined. */
export function unsafeCharacter(value: string, multiline: boolean): string | undefined {
  const re = multiline ? UNSAFE : /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const m = re.exec(value);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0);
  const kind = code >= 0x200e ? 'a bidirectional control character' : 'a control character';
  return `${kind} (U+${code.toString(16).toUpperCase().padStart(4, '0')} at index ${m.index})`;
}
