import { connectionView, disconnect, startConnection } from '../../smaregi/connection-service.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const connectionRouter = router({
  /** 未認証 / 有効化済み / 要再認証 with the reason, scopes and when. */
  status: authedProcedure.query(async ({ ctx }) =>
    connectionView(await ctx.repos.connection.getOrCreate()),
  ),
  /** [認証]: returns the Smaregi authorize URL (state + PKCE kept server-side, bound to this session). */
  start: authedProcedure.mutation(async ({ ctx }) =>
    startConnection(scopeOf(ctx), ctx.user.sessionId),
  ),
  disconnect: authedProcedure.mutation(async ({ ctx }) =>
    connectionView(await disconnect(scopeOf(ctx))),
  ),
});
