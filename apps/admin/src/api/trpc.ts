import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@renkei/api';

/**
 * The admin's typed client of the API (`apps/api/src/trpc/root.ts`). Only the router's type is
 * imported: requests and answers are checked by the compiler, not by hand-written types.
 *
 * Every call carries the CSRF header (`apps/api/src/http/csrf.ts`): a cross-site form cannot set a
 * custom header, so a mutation without it is refused. The session cookie travels by itself
 * (same origin: the API serves the built admin; the dev server forwards `/api`).
 */
export const CSRF_HEADER = 'x-renkei-csrf';

export const trpc = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: '/api/trpc',
      headers: () => ({ [CSRF_HEADER]: '1' }),
      // Long batches of live Smaregi reads must not hold short ones hostage.
      maxItems: 8,
    }),
  ],
});

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}
