import { CallPriority } from '@renkei/domain';
import {
  forkEm,
  IntegrationSettings,
  JOB_NAMES,
  SmaregiToken,
  Tenant,
  tenantRepositories,
} from '@renkei/persistence';
import type { AppDeps } from '../deps.js';
import { prefillShopFromStore } from '../services/catalog.js';
import { audit, type TenantScope } from '../services/scope.js';
import { DEMO_TENANT_ID } from './constants.js';

/** The simulator's demo contract (packages/smaregi-simulator DEMO_CONTRACT_ID). */
export const DEMO_CONTRACT_ID = 'sb_renkei_demo';

export type DemoConnectResult = 'connected' | 'alreadyConnected' | 'noDemoTenant';

/**
 * Demo mode only: connects the demo tenant to the simulator's demo contract without the consent
 * screen (the simulator's demo contract has approved the demo app, so a client-credentials app
 * token is enough), maps the demo shops to the 受注店舗 with the same tax mode and the payment
 * methods by name, switches the integration on and queues a product import, so that an order
 * posted to the intake reaches the simulator's 受注 by itself. Throws while Smaregi is unreachable.
 */
export async function connectDemoTenant(deps: AppDeps): Promise<DemoConnectResult> {
  const em = forkEm(deps.orm);
  if ((await em.count(Tenant, { id: DEMO_TENANT_ID })) === 0) return 'noDemoTenant';
  const scope: TenantScope = {
    deps,
    em,
    tenantId: DEMO_TENANT_ID,
    repos: tenantRepositories(em, DEMO_TENANT_ID),
    actor: { userId: null, label: 'demo-auto-connect' },
  };
  const connection = await scope.repos.connection.getOrCreate();
  if (connection.status !== 'unauthenticated') return 'alreadyConnected';

  const token = await deps.smaregi.auth.requestAppToken(DEMO_CONTRACT_ID);
  const contract = deps.smaregi.forContract(DEMO_CONTRACT_ID);
  const stores = [];
  // 受注管理 pages hold at most 100 (its maximum is unpublished): read every page.
  for await (const store of contract.orderShipment.stores.iterate()) stores.push(store);
  const methods = await contract.pos.paymentMethods.list({ limit: 1000 });

  const now = deps.now();
  Object.assign(connection, {
    contractId: DEMO_CONTRACT_ID,
    status: 'active',
    statusReason: null,
    scopes: token.scopes,
    connectedAt: now,
    statusChangedAt: now,
    lastError: null,
  });
  const { ciphertext, keyId } = deps.vault.encrypt(token.accessToken, DEMO_TENANT_ID);
  em.create(SmaregiToken, {
    tenant: em.getReference(Tenant, DEMO_TENANT_ID),
    kind: 'appAccess',
    contractId: DEMO_CONTRACT_ID,
    ciphertext,
    keyId,
    expiresAt: new Date(token.expiresAt),
    scope: token.scopes.join(' '),
  });
  for (const shop of await scope.repos.shops.list()) {
    const store = stores.find((s) => s.sellDivision === shop.taxMode);
    if (store !== undefined) {
      Object.assign(shop, { orderStoreId: store.storeId, orderStoreName: store.storeName });
      prefillShopFromStore(shop, store);
    }
  }
  for (const method of await scope.repos.paymentMethods.list()) {
    const match = methods.find((m) => m.paymentMethodName === method.name);
    if (match !== undefined)
      Object.assign(method, {
        smaregiPaymentMethodId: match.paymentMethodId,
        smaregiPaymentMethodName: match.paymentMethodName,
      });
  }
  const settings = await em.findOneOrFail(IntegrationSettings, { tenant: DEMO_TENANT_ID });
  settings.integrationEnabled = true;
  const run = scope.repos.importRuns.create({ requestedBy: 'demo-auto-connect' });
  await scope.repos.jobs.enqueue(
    JOB_NAMES.importProducts,
    { runId: run.id },
    { dedupKey: run.id, priority: CallPriority.products },
  );
  audit(scope, 'demo.autoConnect', 'connection', connection.id, null, {
    contractId: DEMO_CONTRACT_ID,
    integrationEnabled: true,
  });
  await em.flush();
  return 'connected';
}

/**
 * Tries {@link connectDemoTenant} now and then every `intervalMs` until it succeeds (the
 * simulator may start after the API). Returns a function that stops trying.
 */
export function startDemoAutoConnect(deps: AppDeps, intervalMs = 3000): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let warned = false;
  const attempt = async () => {
    if (stopped) return;
    try {
      const result = await connectDemoTenant(deps);
      if (result === 'connected')
        deps.logger.info(
          { contractId: DEMO_CONTRACT_ID },
          'demo tenant connected to the simulator',
        );
      return;
    } catch (error) {
      if (!warned)
        deps.logger.warn(
          { err: error instanceof Error ? error.message : error },
          'simulator not reachable yet; will keep trying to connect the demo tenant',
        );
      warned = true;
    }
    if (!stopped) {
      timer = setTimeout(() => void attempt(), intervalMs);
      timer.unref();
    }
  };
  void attempt();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
