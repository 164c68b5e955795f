import { WorkerQueries, type ActiveTenant, type Em } from '@renkei/persistence';

export type { ActiveTenant } from '@renkei/persistence';

/**
 * Tenants the worker may call Smaregi for: integration switched on and the connection 有効化済み
 * (`WorkerQueries.activeTenants`, the worker's cross-tenant queries in one place).
 */
export function activeTenants(em: Em): Promise<ActiveTenant[]> {
  return new WorkerQueries(em).activeTenants();
}

/** The tenant when it is active (see {@link activeTenants}), else null. */
export function activeTenant(em: Em, tenantId: string): Promise<ActiveTenant | null> {
  return new WorkerQueries(em).activeTenant(tenantId);
}

/**
 * The active tenants as this process saw them within the last `maxAgeMs`, for the queued order
 * tasks. Each task checked its own tenant with a statement of its own before starting: the
 * largest single count in the statement profile (`pnpm bench:scale`, about five an order). A
 * listing younger than one tick of the order loop — the loop's own listing, or one read shared
 * by the tasks starting together — answers the same question: a switch flipped off or a
 * connection revoked is seen by the tasks that start after it, as by the loop's next tick.
 */
export class RecentActiveTenants {
  #listed: { at: number; byId: Map<string, ActiveTenant> } | undefined;
  #reading: Promise<Map<string, ActiveTenant>> | undefined;

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A listing just read (the order loop reads one every tick). */
  seen(tenants: readonly ActiveTenant[], at = this.now()): void {
    this.#keep(byTenant(tenants), at);
  }

  /** Keeps a listing unless a newer one is kept already. */
  #keep(byId: Map<string, ActiveTenant>, at: number): void {
    if (this.#listed !== undefined && this.#listed.at > at) return;
    this.#listed = { at, byId };
  }

  /** The tenant when it is active, from a listing at most `maxAgeMs` old, else null. */
  async get(em: Em, tenantId: string): Promise<ActiveTenant | null> {
    const listed = this.#listed;
    if (listed !== undefined && this.now() - listed.at <= this.maxAgeMs)
      return listed.byId.get(tenantId) ?? null;
    this.#reading ??= this.#read(em).finally(() => (this.#reading = undefined));
    return (await this.#reading).get(tenantId) ?? null;
  }

  async #read(em: Em): Promise<Map<string, ActiveTenant>> {
    const at = this.now();
    const byId = byTenant(await activeTenants(em));
    this.#keep(byId, at);
    return byId;
  }
}

const byTenant = (tenants: readonly ActiveTenant[]): Map<string, ActiveTenant> =>
  new Map(tenants.map((t) => [t.tenantId, t]));
