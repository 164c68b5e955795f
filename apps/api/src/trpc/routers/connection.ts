import {
  authorizedBy,
  connectionView,
  disconnect,
  startConnection,
} from '../../smaregi/connection-service.js';
import { connectionStartInput } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const connectionRouter = router({
  /**
   * 未認証 / 有効化済み / 要再認証 with the reason, scopes and when, and who authorised it (the
   * admin's e-mail, null when not connected or connected without an admin's consent).
   */
  status: authedProcedure.query(async ({ ctx }) => {
    const connection = await ctx.repos.connection.getOrCreate();
    return {
      ...connectionView(connection),
      authorizedBy: await authorizedBy(ctx, connection),
    };
  }),
  /**
   * [認証]: returns the Smaregi authorize URL (state + PKCE kept server-side, bound to this
   * session). `origin` is the admin page's origin: Smaregi sends the browser back there when it
   * is one of the configured admin origins.
   */
  start: authedProcedure
    .input(connectionStartInput)
    .mutation(async ({ ctx, input }) =>
      startConnection(scopeOf(ctx), ctx.user.sessionId, input?.origin),
    ),
  disconnect: authedProcedure.mutation(async ({ ctx }) => ({
    ...connectionView(await disconnect(scopeOf(ctx))),
    authorizedBy: null,
  })),
});
