import { createServer, type Server } from 'node:http';

/** One Alertmanager webhook notification (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export interface WebhookMessage {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
}

/** A webhook receiver on a free loopback port; remembers every POST by path. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: { path: string; body: WebhookMessage }[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: { path: string; body: WebhookMessage }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      try {
        received.push({ path: req.url ?? '/', body: JSON.parse(text) as WebhookMessage });
      } catch {
        // ignore non-JSON
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
