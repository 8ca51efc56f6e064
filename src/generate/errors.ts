/** A configuration the generators cannot turn into rules; names the SLO and the reason. */
export class GenerateError extends Error {
  override readonly name = 'GenerateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
