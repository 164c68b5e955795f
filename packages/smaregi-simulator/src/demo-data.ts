import {
  DEMO_APP_NAME,
  DEMO_APP_SCOPES,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_LOGIN,
} from './constants.js';
import { seedShop } from './demo/demo-shop.js';
import type { Prng } from './lib/prng.js';
import type { PlatformState } from './state/contract.js';

export { seedShop } from './demo/demo-shop.js';

/**
 * Creates the demo app, the demo contract with its login user and approved scopes, and the
 * shop's data (demo/demo-shop.ts). `redirectUris` are registered for the demo app.
 */
export function seedDemo(
  platform: PlatformState,
  rng: Prng,
  now: Date,
  redirectUris: readonly string[],
): void {
  platform.apps.set(DEMO_CLIENT_ID, {
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    name: DEMO_APP_NAME,
    scopes: DEMO_APP_SCOPES,
    redirectUris: [...redirectUris],
  });
  const contract = platform.addContract(DEMO_CONTRACT_ID);
  platform.install(DEMO_CONTRACT_ID, DEMO_CLIENT_ID, DEMO_APP_SCOPES);
  contract.users.set(DEMO_LOGIN.loginId, {
    loginId: DEMO_LOGIN.loginId,
    password: DEMO_LOGIN.password,
    userId: DEMO_LOGIN.userId,
    name: DEMO_LOGIN.name,
    email: DEMO_LOGIN.loginId,
    isOwner: true,
  });
  seedShop(contract, rng, now);
}
