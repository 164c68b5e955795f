import { describe, expect, it } from 'vitest';
import { startSimulator } from '../src/index.js';

describe('startSimulator lifecycle', () => {
  it('listens on two free loopback ports and closes (twice is harmless)', async () => {
    const sim = await startSimulator({ rateLimits: false });
    expect(sim.idBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.apiBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.idBaseUrl).not.toBe(sim.apiBaseUrl);
    await sim.close();
    await sim.close();
    await expect(fetch(`${sim.apiBaseUrl}/__sim/state`)).rejects.toThrow();
  });

  it('rejects a port that is taken, leaving nothing listening', async () => {
    const first = await startSimulator({ rateLimits: false });
    const port = Number(new URL(first.apiBaseUrl).port);
    await expect(startSimulator({ apiPort: port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.close();
  });

  it('refuses bad options', async () => {
    await expect(startSimulator({ tokenTtlSeconds: 0 })).rejects.toThrow('tokenTtlSeconds');
    await expect(startSimulator({ redirectUris: ['not a url'] })).rejects.toThrow('redirectUris');
    await expect(
      startSimulator({ rateLimits: { readsPerSecond: 0, writesPerSecond: 1 } }),
    ).rejects.toThrow('readsPerSecond');
  });

  it('uses the injected clock for token times and updDateTime', async () => {
    const sim = await startSimulator({
      rateLimits: false,
      now: () => new Date('2030-01-02T03:04:05Z'),
    });
    expect(sim.control.product('8000001')!.updDateTime).toBe('2030-01-02T12:04:05+09:00');
    expect(sim.control.now().toISOString()).toBe('2030-01-02T03:04:05.000Z');
    await sim.close();
  });
});
