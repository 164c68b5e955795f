import { describe, expect, it } from 'vitest';
import { AppTokenManager, MemoryTokenStore, type AppToken } from './app-tokens.js';

/** A store that counts its reads, like the database-backed store whose reads cost queries. */
class CountingStore extends MemoryTokenStore {
  reads = 0;
  override get(contractId: string): Promise<AppToken | undefined> {
    this.reads++;
    return super.get(contractId);
  }
}

function setup(memoMs: number) {
  let now = 1_000_000;
  let issued = 0;
  const store = new CountingStore();
  const tokens = new AppTokenManager(
    {
      requestAppToken: () => {
        issued++;
        return Promise.resolve({
          accessToken: `token-${issued}`,
          expiresAt: now + 3_600_000,
          scopes: [],
          obtainedAt: now,
        });
      },
    },
    store,
    () => now,
    { expirySkewMs: 300_000, memoMs },
  );
  return { store, tokens, advance: (ms: number) => (now += ms), issued: () => issued };
}

describe('app tokens read from the store', () => {
  it('reads the store at every call by default', async () => {
    const { store, tokens } = setup(0);
    await tokens.getAccessToken('c1');
    const reads = store.reads;
    await tokens.getAccessToken('c1');
    await tokens.getAccessToken('c1');
    expect(store.reads - reads).toBe(2);
  });

  it('reuses a token read within memoMs, and reads again after it or after a 401', async () => {
    const { store, tokens, advance, issued } = setup(10_000);
    expect(await tokens.getAccessToken('c1')).toBe('token-1');
    await tokens.getAccessToken('c1'); // read from the store once, then kept
    const reads = store.reads;
    await tokens.getAccessToken('c1');
    await tokens.getAccessToken('c1');
    expect(store.reads).toBe(reads);
    advance(10_000);
    await tokens.getAccessToken('c1');
    expect(store.reads).toBe(reads + 1);
    // Another process replaced the token: the one kept here is refused once, then read again.
    await store.set('c1', { accessToken: 'token-other', expiresAt: 9e15, scopes: [] });
    expect(await tokens.getAccessToken('c1')).toBe('token-1');
    await tokens.invalidate('c1', 'token-1');
    expect(await tokens.getAccessToken('c1')).toBe('token-other');
    expect(issued()).toBe(1);
  });

  it('never keeps a token past its renewal time', async () => {
    const { tokens, advance, issued } = setup(10_000_000);
    await tokens.getAccessToken('c1');
    advance(3_600_000 - 300_000);
    expect(await tokens.getAccessToken('c1')).toBe('token-2');
    expect(issued()).toBe(2);
  });
});
