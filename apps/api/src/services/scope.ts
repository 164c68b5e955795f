import type { AuditAction, Em, TenantRepositories } from '@renkei/persistence';
import type { AppDeps } from '../deps.js';

/** Who acts: an admin user, or a system actor (CLI, REST intake key, OAuth callback, webhook). */
export interface Actor {
  userId: string | null;
  label: string;
  ip?: string | null;
}

/** One unit of work for one tenant: the services' only way to touch data. */
export interface TenantScope {
  deps: AppDeps;
  em: Em;
  tenantId: string;
  repos: TenantRepositories;
  actor: Actor;
}

/** Appends an audit entry (who, when, before, after) in the current unit of work. */
export function audit(
  scope: TenantScope,
  action: AuditAction,
  entityType: string,
  entityId: string | null,
  before: unknown,
  after: unknown,
): void {
  scope.repos.audit.create({
    actorUserId: scope.actor.userId,
    actorLabel: scope.actor.label,
    action,
    entityType,
    entityId,
    before: before ?? null,
    after: after ?? null,
    ip: scope.actor.ip ?? null,
    at: scope.deps.now(),
  });
}

/** Plain JSON copy of selected fields (for audit before/after). */
export function pick<T extends object, K extends keyof T>(
  entity: T,
  keys: readonly K[],
): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = entity[key];
  return out;
}
