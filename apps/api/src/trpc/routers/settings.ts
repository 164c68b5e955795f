import { integrationSettingsUpdateInputSchema } from '@renkei/domain';
import { getSettings, updateSettings } from '../../services/settings.js';
import { readinessGate } from '../../services/readiness.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const settingsRouter = router({
  get: authedProcedure.query(({ ctx }) => getSettings(scopeOf(ctx))),
  /** Any subset of the settings; switching on is refused while a blocking readiness item fails. */
  update: authedProcedure
    .input(integrationSettingsUpdateInputSchema)
    .mutation(({ ctx, input }) => updateSettings(scopeOf(ctx), input, readinessGate)),
});
