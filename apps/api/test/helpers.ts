import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  forkEm,
  OrderStatus,
  PaymentMethod,
  Shop,
  Tenant,
  type Dialect,
} from '@renkei/persistence';
import { createTestDatabase, type TestDatabase } from '@renkei/persistence/testing';
import type { Express } from 'express';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { createDeps } from '../src/create-deps.js';
import type { AppDeps } from '../src/deps.js';
import { loadConfig } from '../src/env.js';
import { createAdminUser, createApiKey, createTenant } from '../src/services/tenancy.js';
import { createContext } from '../src/trpc/context.js';
import { createCaller } from '../src/trpc/root.js';
import { registerContractApp } from './openapi-contract.js';

export interface TestApp {
  db: TestDatabase;
  deps: AppDeps;
  app: Express;
  close(): Promise<void>;
}

/** A fresh database of the dialect and the API's dependencies (Smaregi hosts configurable). */
export async function createTestApp(
  dialect: Dialect,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const db = await createTestDatabase(dialect);
  // Removed by close(): every test file makes several, and they piled up in /tmp by thousands.
  const dataDir = mkdtempSync(join(tmpdir(), 'renkei-api-test-'));
  const config = loadConfig({
    RENKEI_DATA_DIR: dataDir,
    RENKEI_TOKEN_KEYS: `test-key:${randomBytes(32).toString('base64')}`,
    // Nothing listens on port 9 (discard): live Smaregi calls fail unless a test starts the simulator.
    SMAREGI_ID_BASE_URL: 'http://127.0.0.1:9',
    SMAREGI_API_BASE_URL: 'http://127.0.0.1:9',
    SMAREGI_WEBHOOK_SECRET: 'test-webhook-secret-0123456789',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const deps = createDeps(config, db.orm, { logger: pino({ level: 'silent' }) });
  const app = createApp(deps);
  // Its REST answers are checked against the document it serves (openapi-contract.setup.ts).
  await registerContractApp(app, deps);
  return {
    db,
    deps,
    app,
    close: async () => {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SeededTenant {
  tenantId: string;
  email: string;
  password: string;
  apiKey: string;
  shopId: string;
  paymentMethodId: string;
  statusId: string;
  otherStatusId: string;
}

let counter = 0;

/** A tenant with an admin, an intake key, one shop, one payment method and two statuses. */
export async function seedTenant(deps: AppDeps, name = 'テスト商店'): Promise<SeededTenant> {
  counter += 1;
  const em = forkEm(deps.orm);
  const tenant = await createTenant(em, { name: `${name} ${counter}` });
  const email = `owner${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const password = 'correct horse battery';
  await createAdminUser(em, { tenantId: tenant.id, email, password });
  const { plaintext } = await createApiKey(em, { tenantId: tenant.id, name: 'test' });
  const t = em.getReference(Tenant, tenant.id);
  const shop = em.create(Shop, {
    tenant: t,
    name: '楽天市場店',
    mallKind: 'rakuten',
    taxMode: 'included',
  });
  const method = em.create(PaymentMethod, { tenant: t, name: 'クレジットカード', code: 'credit' });
  const status = em.create(OrderStatus, {
    tenant: t,
    name: '新規受付',
    category: 'open',
    sortOrder: 1,
  });
  const other = em.create(OrderStatus, {
    tenant: t,
    name: '出荷待ち',
    category: 'open',
    sortOrder: 2,
  });
  await em.flush();
  return {
    tenantId: tenant.id,
    email,
    password,
    apiKey: plaintext,
    shopId: shop.id,
    paymentMethodId: method.id,
    statusId: status.id,
    otherStatusId: other.id,
  };
}

/** A tRPC caller signed in as the tenant's admin (login through the real procedure). */
export async function signedInCaller(
  deps: AppDeps,
  tenant: Pick<SeededTenant, 'email' | 'password'>,
) {
  let token = '';
  const anonymous = createCaller(
    await createContext(deps, {
      cookies: { setSession: (t) => (token = t), clearSession: () => undefined },
    }),
  );
  await anonymous.auth.login({ email: tenant.email, password: tenant.password });
  const caller = createCaller(await createContext(deps, { sessionToken: token }));
  return { caller, token };
}

/** A valid intake order for the seeded tenant. */
export function validOrder(
  t: SeededTenant,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    shopId: t.shopId,
    orderNumber: 'R-0001',
    orderedAt: '2026-01-05T10:00:00+09:00',
    paymentMethodId: t.paymentMethodId,
    statusId: t.statusId,
    lines: [{ productCode: 'TS-001', name: 'Tシャツ', unitPrice: 3300, quantity: 2 }],
    shippingFee: 550,
    shipTo: {
      name: '山田 太郎',
      postalCode: '150-0041',
      address: '東京都渋谷区神南1-1-1',
      phone: '03-0000-0000',
    },
    ...overrides,
  };
}
