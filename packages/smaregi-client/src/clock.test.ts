import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';

describe('systemClock.sleep', () => {
  it('waits about the time asked', async () => {
    const started = Date.now();
    await systemClock.sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rejects with the signal’s own reason when aborted while waiting', async () => {
    const controller = new AbortController();
    const stop = new Error('worker stopping');
    const waiting = systemClock.sleep(10_000, controller.signal);
    controller.abort(stop);
    await expect(waiting).rejects.toBe(stop);
  });

  it('rejects at once for a signal already aborted, with an AbortError when no reason was given', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(systemClock.sleep(10_000, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
