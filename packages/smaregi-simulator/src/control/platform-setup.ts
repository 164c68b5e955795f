import { DEMO_CLIENT_ID, DEMO_CONTRACT_ID } from '../constants.js';
import type { SimulatorContext } from '../context.js';
import { formatJstDate } from '../lib/time.js';
import type { RateLimits } from '../api-host/rate-limit.js';
import type { AppRegistration, ContractState } from '../state/contract.js';
import { emitAppSubscription, type AppSubscriptionAction } from '../webhooks/events.js';
import { asControlError, ControlError, controlContract } from './control-error.js';

/*
 * The platform around the merchant: apps registered on the developer portal and the contracts that
 * install them, with the 利用者契約 notices Smaregi sends when that changes.
 */

export interface AddContractInput {
  contractId: string;
  /** The app that is installed (default the demo app). */
  clientId?: string;
  /** Approved scopes (default every scope the app has). */
  scopes?: string[];
  /** A login user for the consent screen. */
  user?: { loginId: string; password: string; name?: string };
  /** Give the contract the demo shop's data too. */
  withDemoShop?: boolean;
  /** The contract's own rate limits (`false`: none); default the simulator's limits. */
  rateLimits?: RateLimits | false;
}

export interface AddContractsInput extends Omit<AddContractInput, 'contractId' | 'user'> {
  /** How many contracts (1..10,000). */
  count: number;
  /** Contract IDs are the prefix and a 4-digit number from 0001 (default `sb_tenant_`). */
  contractIdPrefix?: string;
}

/** Registers another app (developer portal). */
export function addApp(ctx: SimulatorContext, input: AppRegistration): void {
  if (ctx.platform.apps.has(input.clientId))
    throw new ControlError(`clientId[${input.clientId}]は既に登録されています`);
  for (const uri of input.redirectUris) {
    if (!URL.canParse(uri)) throw new ControlError(`redirectUris: URLではありません: ${uri}`);
  }
  ctx.platform.apps.set(input.clientId, {
    ...input,
    scopes: [...input.scopes],
    redirectUris: [...input.redirectUris],
  });
}

/** Creates another contract that subscribed to an app; sends `AppSubscription` start. */
export function addContract(
  ctx: SimulatorContext,
  input: AddContractInput,
  seedShop: (contract: ContractState) => void,
): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(input.contractId))
    throw new ControlError('contractId は英数字・_・- で指定してください');
  if (ctx.platform.contract(input.contractId))
    throw new ControlError(`契約[${input.contractId}]は既に存在します`);
  const clientId = input.clientId ?? DEMO_CLIENT_ID;
  const app = ctx.platform.apps.get(clientId);
  if (!app) throw new ControlError(`clientId[${clientId}]のアプリが見つかりません`);
  const scopes = input.scopes ?? [...app.scopes];
  if (input.rateLimits !== undefined) {
    const limits = input.rateLimits;
    asControlError(() => ctx.rateLimiter.setContractLimits(input.contractId, limits));
  }
  const contract = ctx.platform.addContract(input.contractId);
  ctx.platform.install(input.contractId, clientId, scopes);
  if (input.user) {
    contract.users.set(input.user.loginId, {
      loginId: input.user.loginId,
      password: input.user.password,
      userId: '1',
      name: input.user.name ?? input.user.loginId,
      email: input.user.loginId,
      isOwner: true,
    });
  }
  if (input.withDemoShop) seedShop(contract);
  notify(ctx, input.contractId, clientId, 'start');
}

/**
 * Many contracts at once (benchmarks of a hosted Renkei): each its own installation of the app,
 * token, limits, data (`withDemoShop`) and faults. Returns their IDs in order.
 */
export function addContracts(
  ctx: SimulatorContext,
  input: AddContractsInput,
  seedShop: (contract: ContractState) => void,
): string[] {
  const { count, contractIdPrefix = 'sb_tenant_', ...each } = input;
  if (!Number.isInteger(count) || count < 1 || count > 10_000)
    throw new ControlError('count は1〜10000の整数で指定してください');
  const ids = Array.from(
    { length: count },
    (_, i) => `${contractIdPrefix}${String(i + 1).padStart(4, '0')}`,
  );
  for (const contractId of ids) addContract(ctx, { ...each, contractId }, seedShop);
  return ids;
}

/** The contract stops using the app: its tokens are revoked and `AppSubscription` end is sent. */
export function uninstallApp(
  ctx: SimulatorContext,
  input: { contractId: string; clientId?: string },
): void {
  const clientId = input.clientId ?? DEMO_CLIENT_ID;
  controlContract(ctx, input.contractId);
  ctx.platform.uninstall(input.contractId, clientId);
  ctx.tokens.revokeContract(input.contractId, clientId);
  notify(ctx, input.contractId, clientId, 'end');
}

/** Sends an app subscription notice (利用者通知) without changing anything. */
export function sendAppSubscription(
  ctx: SimulatorContext,
  input: { contractId?: string; clientId?: string; action: AppSubscriptionAction },
): void {
  const contractId = input.contractId ?? DEMO_CONTRACT_ID;
  controlContract(ctx, contractId);
  notify(ctx, contractId, input.clientId ?? DEMO_CLIENT_ID, input.action);
}

function notify(
  ctx: SimulatorContext,
  contractId: string,
  clientId: string,
  action: AppSubscriptionAction,
): void {
  emitAppSubscription(ctx, contractId, clientId, action, formatJstDate(ctx.now()));
}
