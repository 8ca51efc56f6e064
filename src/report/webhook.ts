import type { Secret } from '../config/secret.js';
import type { SlackMessage } from './render-slack.js';

/** A webhook POST that failed; the message never holds the URL (a Slack URL is a credential). */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** POSTs the message as JSON; throws WebhookError unless the receiver answers 2xx within the timeout. */
export async function postWebhook(url: Secret, message: SlackMessage, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url.reveal(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((e.cause as Error | undefined)?.message ?? e.message);
    throw new WebhookError(`webhook ${url.ref} unreachable: ${why}`, true, { cause: err });
  }
  await res.body?.cancel();
  if (!res.ok) throw new WebhookError(`webhook ${url.ref} answered HTTP ${res.status}`, res.status >= 500 || res.status === 429);
}
