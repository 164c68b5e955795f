import { describe, expect, it } from 'vitest';
import { createFakeClock } from './testing.js';

const START = Date.UTC(2026, 0, 1);

describe('createFakeClock', () => {
  it('wakes sleeps in due order, and a sleep started by a woken one when it falls in the range', async () => {
    const clock = createFakeClock();
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push(`300 at ${clock.now() - START}`));
    void clock.sleep(100).then(async () => {
      woke.push(`100 at ${clock.now() - START}`);
      await clock.sleep(50);
      woke.push(`100+50 at ${clock.now() - START}`);
    });
    expect(clock.pendingSleeps()).toBe(2);
    expect(clock.nextDueAt()).toBe(START + 100);

    await clock.advance(200);
    expect(woke).toEqual(['100 at 100', '100+50 at 150']);
    expect(clock.now()).toBe(START + 200);
    expect(clock.nextDueAt()).toBe(START + 300);

    await clock.setNow(START + 1000);
    expect(woke).toEqual(['100 at 100', '100+50 at 150', '300 at 300']);
    expect(clock.pendingSleeps()).toBe(0);
    expect(clock.sleeps).toEqual([300, 100, 50]);
  });

  it('rejects a waiting sleep with the signal’s reason when aborted, and forgets it', async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    const stop = new Error('worker stopping');
    const waiting = clock.sleep(10_000, controller.signal);
    controller.abort(stop);
    await expect(waiting).rejects.toBe(stop);
    expect(clock.pendingSleeps()).toBe(0);
    expect(clock.nextDueAt()).toBeUndefined();
  });

  it('waits the whole time of a sleep longer than one timer can hold (about 24.8 days)', async () => {
    const clock = createFakeClock();
    const thirtyDays = 30 * 86_400_000;
    let done = false;
    void clock.sleep(thirtyDays).then(() => (done = true));
    await clock.advance(thirtyDays - 1);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
  });

  it('never ends a sleep early: a fraction of a millisecond rounds up', async () => {
    const clock = createFakeClock();
    let done = false;
    void clock.sleep(10.2).then(() => (done = true));
    await clock.advance(10);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
  });

  it('with autoAdvance, moves time by each sleep and resolves at once', async () => {
    const clock = createFakeClock({ start: 5_000, autoAdvance: true });
    await clock.sleep(1_500);
    await clock.sleep(0);
    expect(clock.now()).toBe(6_500);
    expect(clock.sleeps).toEqual([1_500, 0]);
    expect(clock.pendingSleeps()).toBe(0);
  });
});
