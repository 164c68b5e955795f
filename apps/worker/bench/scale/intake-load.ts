/**
 * The OMS of the back-pressure part (`pressure.ts`), in a process of its own so that neither the
 * simulator (which shares the bench's event loop) nor the bench's sampling delays the clock of
 * the requests. Sends `POST /api/v1/orders` at a fixed rate, open loop: the n-th order leaves at
 * start + n / rate whatever the earlier ones are doing (a slow answer does not hold back the next
 * order, so slowness shows in the latencies instead of being hidden by sending less). The
 * latency of an order is from that planned moment to the last byte of its answer, queueing for
 * a socket included.
 *
 * Messages: in {@link LoadRun}, out {@link LoadResult}.
 */
import { Agent, request } from 'node:http';

export interface LoadRun {
  url: string;
  apiKey: string;
  /** Orders per second. */
  rate: number;
  durationMs: number;
  /** Order numbers are `${prefix}-${n}`. */
  prefix: string;
  /** The order without its number (`orderNumber` is set per request). */
  order: Record<string, unknown>;
}

export interface LoadResult {
  sent: number;
  /** Latency in ms of every answered request, in sending order. */
  latencies: number[];
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  /** Requests that got no answer (connection error). */
  errors: number;
  /** The first few answers other than 201, for the report. */
  samples: string[];
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(
  run: LoadRun,
  n: number,
): Promise<{ status: number; body: string } | { error: string }> {
  const body = JSON.stringify({ ...run.order, orderNumber: `${run.prefix}-${n}` });
  return new Promise((resolve) => {
    const req = request(
      run.url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${run.apiKey}`,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', (e) => resolve({ error: e.message }));
    req.end(body);
  });
}

async function runLoad(run: LoadRun): Promise<LoadResult> {
  const result: LoadResult = { sent: 0, latencies: [], statuses: {}, errors: 0, samples: [] };
  const start = performance.now();
  const total = Math.floor((run.rate * run.durationMs) / 1000);
  const pending: Promise<void>[] = [];
  const one = async (n: number, planned: number): Promise<void> => {
    const answer = await send(run, n);
    if ('error' in answer) {
      result.errors++;
      if (result.samples.length < 5) result.samples.push(answer.error);
      return;
    }
    result.latencies[n] = performance.now() - planned;
    result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
    if (answer.status !== 201 && result.samples.length < 5)
      result.samples.push(`${answer.status} ${answer.body.slice(0, 300)}`);
  };
  while (result.sent < total) {
    const now = performance.now();
    // Every order whose moment has come leaves now (several when the timer fired late).
    while (result.sent < total && start + (result.sent * 1000) / run.rate <= now) {
      const n = result.sent++;
      pending.push(one(n, start + (n * 1000) / run.rate));
    }
    const next = start + (result.sent * 1000) / run.rate;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  await Promise.all(pending);
  result.latencies = result.latencies.filter((x) => x !== undefined);
  return result;
}

process.on('message', (m: LoadRun | 'stop') => {
  if (m === 'stop') {
    agent.destroy();
    process.exit(0);
  }
  void runLoad(m).then((r) => process.send?.(r));
});
// The bench went away: nothing more to send.
process.on('disconnect', () => process.exit(0));
process.send?.('ready');
