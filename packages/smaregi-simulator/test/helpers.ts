import {
  DEMO_APP_SCOPES,
  OIDC_SCOPES,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../src/index.js';

/** Starts a simulator on free ports (rate limits off unless the test asks for them). */
export function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ rateLimits: false, seed: 'test', ...options });
}

export function basic(clientId = DEMO_CLIENT_ID, secret = DEMO_CLIENT_SECRET): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

async function read<T>(res: Response): Promise<HttpResult<T>> {
  const text = await res.text();
  let body: unknown = text;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json') && text !== '') body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as T, text };
}

/** POSTs a form to the ID host. */
export async function form<T = Record<string, unknown>>(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return read<T>(res);
}

/** Every scope of the demo app a client-credentials token can carry (no OpenID scopes). */
export const DEMO_APP_TOKEN_SCOPES = DEMO_APP_SCOPES.filter(
  (s) => !(OIDC_SCOPES as readonly string[]).includes(s),
).join(' ');

/** Gets an app access token by client credentials (default: every scope of the demo app). */
export async function appToken(
  sim: RunningSimulator,
  scope: string = DEMO_APP_TOKEN_SCOPES,
  contractId = DEMO_CONTRACT_ID,
): Promise<string> {
  const res = await form<{ access_token: string }>(
    `${sim.idBaseUrl}/app/${contractId}/token`,
    { grant_type: 'client_credentials', scope },
    { authorization: basic() },
  );
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.body.access_token;
}

/** Calls the API host. `path` is relative to the contract (e.g. `/pos/products`). */
export async function api<T = unknown>(
  sim: RunningSimulator,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  contractId = DEMO_CONTRACT_ID,
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.apiBaseUrl}/${contractId}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return read<T>(res);
}

/** Asserts the shape of a problem+json body and returns it. */
export interface Problem {
  type: string;
  title: string;
  detail: string;
  status: number;
  fields?: { name: string; message: string }[];
}

/** A clock tests move by hand. */
export function manualClock(start = '2026-11-28T03:00:00.000Z'): {
  now: () => Date;
  advance: (ms: number) => void;
  set: (iso: string) => void;
} {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (iso) => {
      t = Date.parse(iso);
    },
  };
}

/** A tiny local HTTP receiver for webhooks and bulk callbacks. */
export interface Receiver {
  url: string;
  received: {
    path: string;
    headers: Record<string, string | string[] | undefined>;
    body: Record<string, unknown>;
  }[];
  /** Status to answer with (default 200). */
  status: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const { createServer } = await import('node:http');
  const received: Receiver['received'] = [];
  const receiver = { received, status: 200 } as Receiver;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      res.statusCode = receiver.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  receiver.url = `http://127.0.0.1:${port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
