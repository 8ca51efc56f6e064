/**
 * Removes credentials that client libraries sometimes put into error messages
 * (`postgres://user:secret@host`, `password=...`, bearer tokens).
 */
export function redactMessage(message: string): string {
  return message
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s]+@/gi, '$1[redacted]@')
    .replace(/(password|passwd|pwd|secret|token)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1$2[redacted]')
    .replace(/(bearer\s+)[A-Za-z0-9._~+/-]+=*/gi, '$1[redacted]');
}
