import { Tenant } from '@renkei/persistence';
import { login, loginInputSchema, logout } from '../../auth/session-service.js';
import { authedProcedure, publicProcedure, router } from '../trpc.js';

export const authRouter = router({
  /** Signs in; the session cookie is set by the HTTP layer (HttpOnly, SameSite=Lax). */
  login: publicProcedure.input(loginInputSchema).mutation(async ({ ctx, input }) => {
    const result = await login(ctx.deps, ctx.em, input, {
      userAgent: ctx.userAgent,
      ip: ctx.ip,
    });
    ctx.cookies.setSession(result.token, result.expiresAt);
    return {
      email: result.email,
      tenantId: result.tenantId,
      expiresAt: result.expiresAt.toISOString(),
    };
  }),
  logout: authedProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.em, ctx.user.sessionId);
    ctx.cookies.clearSession();
    return { ok: true as const };
  }),
  /** The signed-in admin, or null. */
  me: publicProcedure.query(async ({ ctx }) => {
    if (ctx.user === null) return null;
    const tenant = await ctx.em.findOneOrFail(Tenant, { id: ctx.user.tenantId });
    return {
      email: ctx.user.email,
      tenantId: tenant.id,
      tenantName: tenant.name,
      demo: tenant.demo,
    };
  }),
});
