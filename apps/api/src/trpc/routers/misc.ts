import { evaluateReadiness } from '../../services/readiness.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const readinessRouter = router({
  /** The domain's readiness checklist evaluated on this tenant's data and live Smaregi lists. */
  get: authedProcedure.query(({ ctx }) => evaluateReadiness(scopeOf(ctx))),
});
