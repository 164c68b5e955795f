import { scopesOf } from '@renkei/persistence';
import { createApiKey } from '../../services/tenancy.js';
import { audit } from '../../services/scope.js';
import { notFound } from '../../errors.js';
import { apiKeyCreateInput, byId } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

/** The intake API keys (`POST /api/v1/orders`) of the tenant. */
export const apiKeysRouter = router({
  list: authedProcedure.query(async ({ ctx }) =>
    (await ctx.repos.apiKeys.find({}, { orderBy: { createdAt: 'desc', id: 'desc' } })).map((k) => ({
      id: k.id,
      name: k.name,
      keyPrefix: k.keyPrefix,
      scopes: scopesOf(k),
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  ),
  /** The plaintext key is returned once, here; only its hash is stored. */
  create: authedProcedure.input(apiKeyCreateInput).mutation(async ({ ctx, input }) => {
    const scope = scopeOf(ctx);
    const { key, plaintext } = await createApiKey(ctx.em, {
      tenantId: scope.tenantId,
      name: input.name,
      ...(input.scopes === undefined ? {} : { scopes: input.scopes }),
    });
    audit(scope, 'apiKey.create', 'apiKey', key.id, null, {
      name: key.name,
      keyPrefix: key.keyPrefix,
      scopes: scopesOf(key),
    });
    await ctx.em.flush();
    return {
      id: key.id,
      name: key.name,
      keyPrefix: key.keyPrefix,
      scopes: scopesOf(key),
      key: plaintext,
    };
  }),
  /**
   * Revokes a key: the intake refuses it from now on (this process forgets it at once; another
   * API process within its cache time, see http/api-key-auth.ts). Revoking again changes nothing.
   */
  revoke: authedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    const key = await ctx.repos.apiKeys.findById(input.id);
    if (key === null) throw notFound('APIキー', 'API key');
    if (key.revokedAt == null) {
      key.revokedAt = ctx.deps.now();
      audit(
        scopeOf(ctx),
        'apiKey.revoke',
        'apiKey',
        key.id,
        { name: key.name, keyPrefix: key.keyPrefix, revokedAt: null },
        { name: key.name, keyPrefix: key.keyPrefix, revokedAt: key.revokedAt.toISOString() },
      );
      await ctx.em.flush();
    }
    ctx.deps.apiKeys.forget(key.keyHash);
    return { ok: true as const, revokedAt: key.revokedAt.toISOString() };
  }),
});
