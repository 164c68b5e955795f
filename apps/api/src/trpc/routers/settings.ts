import { integrationSettingsUpdateInputSchema } from '@renkei/domain';
import { getSettings, stockRecomputeStatus, updateSettings } from '../../services/settings.js';
import { readinessGate } from '../../services/readiness.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const settingsRouter = router({
  get: authedProcedure.query(({ ctx }) => getSettings(scopeOf(ctx))),
  /** Any subset of the settings; switching on is refused while a blocking readiness item fails. */
  update: authedProcedure
    .input(integrationSettingsUpdateInputSchema)
    .mutation(({ ctx, input }) => updateSettings(scopeOf(ctx), input, readinessGate)),
  /**
   * The recompute of every product's 有効在庫数 after 在庫数合算設定 / 有効在庫数計算設定 changed:
   * state, phase and progress (orders re-read, products recomputed); null before any change.
   */
  stockRecompute: authedProcedure.query(({ ctx }) => stockRecomputeStatus(scopeOf(ctx))),
});
