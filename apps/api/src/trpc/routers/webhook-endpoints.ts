import {
  changeEndpoint,
  createEndpoint,
  deleteEndpoint,
  endpointDeliveries,
  getEndpoint,
  endpointView,
  listEndpoints,
  redeliver,
} from '../../services/webhook-endpoints.js';
import {
  byId,
  webhookDeliveriesInput,
  webhookEndpointCreateInput,
  webhookEndpointUpdateInput,
} from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

/**
 * The admin's Webhook screen: the tenant's outbound webhook endpoints, each one's delivery log,
 * and re-delivery (services/webhook-endpoints.ts, shared with the REST API v1).
 */
export const webhookEndpointsRouter = router({
  list: authedProcedure.query(({ ctx }) => listEndpoints(scopeOf(ctx))),
  get: authedProcedure
    .input(byId)
    .query(async ({ ctx, input }) => endpointView(await getEndpoint(scopeOf(ctx), input.id))),
  /** The signing secret is returned once, here; Renkei keeps it only encrypted. */
  create: authedProcedure
    .input(webhookEndpointCreateInput)
    .mutation(({ ctx, input }) => createEndpoint(scopeOf(ctx), input)),
  /** URL, description, events; `state` pauses (`paused`) or resumes (`active`). */
  update: authedProcedure
    .input(webhookEndpointUpdateInput)
    .mutation(({ ctx, input: { id, ...change } }) => changeEndpoint(scopeOf(ctx), id, change)),
  delete: authedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await deleteEndpoint(scopeOf(ctx), input.id);
    return { ok: true as const };
  }),
  /** One page of an endpoint's delivery log, newest first, with every attempt. */
  deliveries: authedProcedure
    .input(webhookDeliveriesInput)
    .query(({ ctx, input }) =>
      endpointDeliveries(scopeOf(ctx), input.endpointId, input.page, input.pageSize),
    ),
  /** Sends a delivery again (same event ID), now, with a new retry window. */
  redeliver: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => redeliver(scopeOf(ctx), input.id)),
});
