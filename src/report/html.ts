/**
 * Control characters (C0 but tab and newline, DEL, C1) and Unicode bidirectional controls
 * (U+200E/U+200F, U+202A-U+202E, U+2066-U+2069). A character reference (`&#x202E;`) would still
 * be the character to the browser, so these are replaced, not escaped.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escapes text for HTML element content and quoted attribute values. Control and bidirectional
 * characters become U+FFFD (visible, inert): NUL never reaches the page.
 */
export function escapeHtml(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Text a user wrote (SLO names, owners, descriptions) as element content: escaped, and isolated
 * in `<bdi>` so that right-to-left text cannot reorder the cells around it.
 */
export function userText(text: string): string {
  return `<bdi>${escapeHtml(text)}</bdi>`;
}
