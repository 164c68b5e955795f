import { dashboardSummary } from '../../services/dashboard.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const dashboardRouter = router({
  /** Sync health: orders per sync state, last stock reconciliation, last error, last sync. */
  summary: authedProcedure.query(({ ctx }) => dashboardSummary(scopeOf(ctx))),
});
