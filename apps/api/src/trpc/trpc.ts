import { initTRPC } from '@trpc/server';
import { reposFor, type AuthedContext, type Context } from './context.js';
import { AppError } from '../errors.js';
import { toPublicError, toTRPCError } from './errors.js';

const t = initTRPC.context<Context>().create({
  /**
   * Every error carries the merchant-facing message in both languages and, for validation
   * failures, one entry per field (`data.fieldErrors`) that forms show next to the input.
   */
  errorFormatter({ shape, error }) {
    const pub = toPublicError(error);
    return {
      ...shape,
      message: pub.message.en,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        messages: pub.message,
        fieldErrors: pub.fieldErrors,
        details: pub.details,
      },
    };
  },
});

/** Maps whatever a procedure throws in one place (see errors.ts). */
const mapErrors = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error);
    if (mapped.code === 'INTERNAL_SERVER_ERROR') {
      ctx.deps.logger.error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
    }
    throw mapped;
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

/** Procedures for a signed-in admin: the tenant is the session's; repositories are scoped to it. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.user === null) {
    throw new AppError('UNAUTHORIZED', { ja: 'ログインしてください', en: 'Please sign in' });
  }
  const authed: AuthedContext = {
    ...ctx,
    user: ctx.user,
    repos: reposFor(ctx.em, ctx.user.tenantId),
  };
  return next({ ctx: authed });
});
