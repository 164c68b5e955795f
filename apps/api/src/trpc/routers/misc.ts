import { renderMessageBoth } from '@renkei/domain';
import { syncEventMessage } from '@renkei/persistence';
import { createApiKey } from '../../services/tenancy.js';
import { evaluateReadiness } from '../../services/readiness.js';
import { audit } from '../../services/scope.js';
import { notFound } from '../../errors.js';
import { apiKeyCreateInput, byId, syncLogInput } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const readinessRouter = router({
  /** The domain's readiness checklist evaluated on this tenant's data and live Smaregi lists. */
  get: authedProcedure.query(({ ctx }) => evaluateReadiness(scopeOf(ctx))),
});

export const syncLogRouter = router({
  list: authedProcedure.input(syncLogInput).query(async ({ ctx, input }) => {
    const page = await ctx.repos.syncEvents.page(
      { subjectType: input.subjectType, outcome: input.outcome },
      input.page,
      input.pageSize,
    );
    return {
      ...page,
      items: page.items.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        subjectType: e.subjectType,
        subjectId: e.subjectId ?? null,
        kind: e.kind,
        outcome: e.outcome,
        messageCode: e.messageCode,
        message: renderMessageBoth(syncEventMessage(e)),
      })),
    };
  }),
});

export const apiKeysRouter = router({
  list: authedProcedure.query(async ({ ctx }) =>
    (await ctx.repos.apiKeys.find({}, { orderBy: { createdAt: 'desc' } })).map((k) => ({
      id: k.id,
      name: k.name,
      keyPrefix: k.keyPrefix,
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
    });
    audit(scope, 'apiKey.create', 'apiKey', key.id, null, {
      name: key.name,
      keyPrefix: key.keyPrefix,
    });
    await ctx.em.flush();
    return { id: key.id, name: key.name, key: plaintext };
  }),
  revoke: authedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    const key = await ctx.repos.apiKeys.findById(input.id);
    if (key === null) throw notFound('APIキー', 'API key');
    key.revokedAt ??= ctx.deps.now();
    audit(scopeOf(ctx), 'apiKey.revoke', 'apiKey', key.id, null, {
      revokedAt: key.revokedAt.toISOString(),
    });
    await ctx.em.flush();
    return { ok: true as const };
  }),
});

export const auditRouter = router({
  list: authedProcedure.query(async ({ ctx }) =>
    (await ctx.repos.audit.latest(200)).map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      actor: a.actorLabel,
      action: a.action,
      entityType: a.entityType,
      entityId: a.entityId ?? null,
      before: a.before ?? null,
      after: a.after ?? null,
    })),
  ),
});
