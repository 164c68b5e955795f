import type { TenantScope } from '../services/scope.js';
import type { AuthedContext } from './context.js';

/** The services' tenant scope for a signed-in admin's request. */
export function scopeOf(ctx: AuthedContext): TenantScope {
  return {
    deps: ctx.deps,
    em: ctx.em,
    tenantId: ctx.user.tenantId,
    repos: ctx.repos,
    actor: { userId: ctx.user.userId, label: ctx.user.email, ip: ctx.ip },
  };
}
