import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@renkei/persistence/testing';
import { createFakeClock } from '@renkei/smaregi-client/testing';
import { createLogger } from '../src/logger.js';
import { Loop, type TickFn } from '../src/lifecycle/loop.js';

/** Lets pending promise callbacks run (no timers involved). */
const settle = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('Loop (lifecycle of a worker loop, on a fake clock)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await db.close();
  });

  const make = (tick: TickFn, clock = createFakeClock()) => ({
    clock,
    loop: new Loop({
      name: 'test',
      intervalMs: 1000,
      tick,
      orm: db.orm,
      clock,
      logger: createLogger('silent'),
    }),
  });

  it('ticks, sleeps for its interval on the injected clock, and ticks again', async () => {
    let ticks = 0;
    const { loop, clock } = make(() => {
      ticks++;
      return Promise.resolve();
    });
    loop.start();
    await settle();
    expect(ticks).toBe(1);
    await clock.advance(999);
    await settle();
    expect(ticks).toBe(1);
    await clock.advance(1);
    await settle();
    expect(ticks).toBe(2);
    await loop.stop();
    expect(loop.state).toBe('stopped');
  });

  it('runs again at once when a tick says more work is waiting, and wakes early on wake()', async () => {
    let ticks = 0;
    const { loop } = make(() => Promise.resolve(++ticks < 3));
    loop.start();
    await settle(20);
    expect(ticks).toBe(3);
    loop.wake();
    await settle();
    expect(ticks).toBe(4);
    await loop.stop();
  });

  it('keeps going after a failing tick (a poison item never stops the engine)', async () => {
    let ticks = 0;
    const { loop, clock } = make(() => {
      ticks++;
      return ticks === 1 ? Promise.reject(new Error('boom')) : Promise.resolve();
    });
    loop.start();
    await settle();
    expect(loop.lastError).toBe('boom');
    await clock.advance(1000);
    await settle();
    expect(ticks).toBe(2);
    expect(loop.lastError).toBeUndefined();
    await loop.stop();
  });

  it('stop() lets the tick in progress finish without aborting it; abort() aborts it', async () => {
    let release: () => void = () => undefined;
    let sawAbort = false;
    const { loop } = make(
      ({ signal }) =>
        new Promise<void>((resolve) => {
          release = resolve;
          signal.addEventListener('abort', () => {
            sawAbort = true;
            resolve();
          });
        }),
    );
    loop.start();
    await settle();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    expect(loop.state).toBe('stopping');
    release();
    await stopping;
    expect(sawAbort).toBe(false);

    const second = make(
      ({ signal }) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            sawAbort = true;
            resolve();
          }),
        ),
    );
    second.loop.start();
    await settle();
    const done = second.loop.stop();
    second.loop.abort();
    await done;
    expect(sawAbort).toBe(true);
  });
});
