import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter (sliding 1-second window)', () => {
  it.each([
    // [arrival times in ms, limit, expected admitted pattern]
    [[0, 100, 200, 999], 3, [true, true, true, false]],
    [[0, 100, 200, 1000], 3, [true, true, true, true]],
    [[0, 999, 1000, 1998, 1999], 2, [true, true, true, false, true]],
    [[500, 900, 1100, 1400, 1600], 2, [true, true, false, false, true]],
  ])('arrivals %j with limit %i admit %j', (times, limit, expected) => {
    const limiter = new RateLimiter({ readsPerSecond: limit, writesPerSecond: 1 });
    expect(times.map((t) => limiter.check('c', 'k', 'GET', t).allowed)).toEqual(expected);
  });

  it('answers Retry-After as whole seconds, at least 1', () => {
    const limiter = new RateLimiter({ readsPerSecond: 1, writesPerSecond: 1 });
    limiter.check('c', 'k', 'GET', 0);
    const refused = limiter.check('c', 'k', 'GET', 10);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('keeps reads, writes, apps and contracts apart; release() takes a request back', () => {
    const limiter = new RateLimiter({ readsPerSecond: 1, writesPerSecond: 1 });
    expect(limiter.check('c', 'k', 'GET', 0).allowed).toBe(true);
    expect(limiter.check('c', 'k', 'POST', 0).allowed).toBe(true);
    expect(limiter.check('c', 'other', 'GET', 0).allowed).toBe(true);
    expect(limiter.check('d', 'k', 'GET', 0).allowed).toBe(true);
    const write = limiter.check('c', 'k2', 'PATCH', 0);
    expect(write.allowed).toBe(true);
    if (write.allowed) write.release();
    expect(limiter.check('c', 'k2', 'DELETE', 1).allowed).toBe(true);
    expect(limiter.check('c', 'k', 'HEAD', 5).allowed).toBe(false);
  });

  it('never admits more than N in any 1-second window under a dense random load', () => {
    const limiter = new RateLimiter({ readsPerSecond: 10, writesPerSecond: 4 });
    const admitted: number[] = [];
    let t = 0;
    for (let i = 0; i < 5000; i++) {
      t += (i * 7919) % 37;
      if (limiter.check('c', 'k', 'GET', t).allowed) admitted.push(t);
    }
    for (let i = 0; i < admitted.length; i++) {
      let n = 0;
      for (let j = i; j < admitted.length && admitted[j]! < admitted[i]! + 1000; j++) n++;
      expect(n).toBeLessThanOrEqual(10);
    }
    expect(admitted.length).toBeGreaterThan(100);
  });
});
