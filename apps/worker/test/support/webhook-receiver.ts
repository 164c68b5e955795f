import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/*
 * A real HTTP receiver of Renkei's outbound webhooks, for the tests and the benches: it verifies
 * every request with the `standardwebhooks` package (as an OMS would, with off-the-shelf code)
 * and can be down, slow, answer 500 or reset the connection.
 */

export type ReceiverMode = 'ok' | 'error500' | 'slow' | 'reset';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The request's headers as received. */
  headers: IncomingHttpHeaders;
  /** Parsed body (`{ type, timestamp, data }`). */
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** When it was answered 2xx (Date.now()). */
  at: number;
}

export interface Receiver {
  url: string;
  port: number;
  mode: ReceiverMode;
  /** Answer delay in `ok` mode (ms). */
  delayMs: number;
  /** Every request that got a 2xx and whose signature verified, in arrival order. */
  delivered: ReceivedWebhook[];
  /** Requests whose signature did not verify (answered 401). */
  rejected: number;
  /** Every request, whatever the answer (`webhook-id` of each). */
  requests: string[];
  /** Requests being answered right now (slow mode holds them). */
  open(): number;
  /** Most requests open at once so far. */
  maxOpen(): number;
  /** Stops listening and cuts every connection (connections are refused until `up`). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(
  secret: () => string,
  options: { delayMs?: number; port?: number } = {},
): Promise<Receiver> {
  const sockets = new Set<Socket>();
  const held = new Set<() => void>();
  let open = 0;
  let maxOpen = 0;
  const receiver: Receiver = {
    url: '',
    port: 0,
    mode: 'ok',
    delayMs: options.delayMs ?? 0,
    delivered: [],
    rejected: 0,
    requests: [],
    open: () => open,
    maxOpen: () => maxOpen,
    down: async () => {
      for (const release of held) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
    },
    up: () => listen(server, receiver.port),
    close: async () => {
      await receiver.down().catch(() => undefined);
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      receiver.requests.push(id);
      open++;
      maxOpen = Math.max(maxOpen, open);
      const done = () => {
        open--;
      };
      const body = Buffer.concat(chunks).toString('utf8');
      switch (receiver.mode) {
        case 'reset':
          done();
          req.socket.destroy();
          return;
        case 'error500':
          done();
          res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver broke: try later');
          return;
        case 'slow': {
          // Never answers (the sender's timeout ends it); released when the receiver goes down.
          const release = () => {
            held.delete(release);
            done();
            res.destroy();
          };
          held.add(release);
          res.on('close', () => {
            if (held.delete(release)) done();
          });
          return;
        }
        case 'ok': {
          const answer = () => {
            done();
            try {
              new Webhook(secret()).verify(body, req.headers as Record<string, string>);
            } catch {
              receiver.rejected++;
              res.writeHead(401).end('bad signature');
              return;
            }
            receiver.delivered.push({
              id,
              timestamp: String(req.headers['webhook-timestamp']),
              signature: String(req.headers['webhook-signature']),
              body,
              headers: req.headers,
              payload: JSON.parse(body) as ReceivedWebhook['payload'],
              at: Date.now(),
            });
            res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
          };
          if (receiver.delayMs > 0) setTimeout(answer, receiver.delayMs);
          else answer();
        }
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 30_000;
  await listen(server, options.port ?? 0);
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/renkei/webhooks`;
  return receiver;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A clock the test moves (the retry window); sleeps are real. */
export class ManualClock {
  #offset = 0;
  now(): number {
    return Date.now() + this.#offset;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      });
    });
  }
  /** Moves the clock to `at` (epoch ms) if that is later. */
  advanceTo(at: number): void {
    this.#offset = Math.max(this.#offset, at - Date.now());
  }
}
