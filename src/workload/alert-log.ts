import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';

/** One alert as Alertmanager's webhook (version 4) delivers it. */
export interface ReceivedAlert {
  readonly receiver: string;
  readonly status: string;
  readonly labels: Record<string, string>;
  readonly at: string;
}

const KEEP = 200;

/**
 * The stack's Alertmanager receiver: POST /page, /ticket and /monitor log every alert as a JSON line
 * (`docker compose logs workload`), and GET /alerts lists the last 200 (memory is bounded).
 */
export class AlertLog {
  readonly received: ReceivedAlert[] = [];
  #server?: Server;

  constructor(private readonly logger: Logger) {}

  /** Records the alerts of one webhook body; returns how many. */
  record(receiver: string, body: unknown): number {
    const b = body as { status?: string; alerts?: { status?: string; labels?: Record<string, string> }[] };
    let n = 0;
    for (const a of b.alerts ?? []) {
      const alert: ReceivedAlert = { receiver, status: a.status ?? b.status ?? 'unknown', labels: a.labels ?? {}, at: new Date().toISOString() };
      this.received.push(alert);
      if (this.received.length > KEEP) this.received.shift();
      this.logger.warn(
        { receiver, status: alert.status, alertname: alert.labels.alertname, slo: alert.labels.slo, severity: alert.labels.severity },
        'alert received',
      );
      n++;
    }
    return n;
  }

  listen(port: number, address = '0.0.0.0'): Promise<number> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (req.method === 'GET' && path === '/healthz') return void res.end('ok\n');
      if (req.method === 'GET' && path === '/alerts') {
        res.setHeader('content-type', 'application/json');
        return void res.end(JSON.stringify(this.received));
      }
      if (req.method === 'POST' && (path === '/page' || path === '/ticket' || path === '/monitor')) {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 1_048_576) chunks.push(c);
        });
        req.on('end', () => {
          try {
            this.record(path.slice(1), JSON.parse(Buffer.concat(chunks).toString('utf8')));
            res.end('ok\n');
          } catch {
            res.statusCode = 400;
            res.end('bad request\n');
          }
        });
        return;
      }
      res.statusCode = 404;
      res.end('not found\n');
    });
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
