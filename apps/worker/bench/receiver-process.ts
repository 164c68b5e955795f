/**
 * The bench's webhook receiver in a process of its own (as an OMS's would be), so that the
 * worker's figures are the worker's: started by webhooks.bench.ts with the endpoint's secret and
 * answer delay, it reports what it received when asked.
 */
import { startReceiver } from '../test/support/webhook-receiver.js';

const secret = process.env.RECEIVER_SECRET ?? '';
const receiver = await startReceiver(() => secret, {
  delayMs: Number(process.env.RECEIVER_DELAY_MS ?? 0),
});
process.send?.({ url: receiver.url });
process.on('message', (message: string) => {
  if (message !== 'stats') return;
  process.send?.({
    delivered: receiver.delivered.length,
    distinct: new Set(receiver.delivered.map((w) => w.id)).size,
    requests: receiver.requests.length,
    maxOpen: receiver.maxOpen(),
    rejected: receiver.rejected,
  });
});
process.on('disconnect', () => {
  void receiver.close().then(() => process.exit(0));
});
