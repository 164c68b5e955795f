import type { trpc } from '../../api/trpc';

/** One intake API key as the list shows it (never the key itself). */
export type ApiKeyRow = Awaited<ReturnType<typeof trpc.apiKeys.list.query>>[number];

/** What the API answers once, on creation: the new key with its plaintext (never shown again). */
export type CreatedApiKey = Awaited<ReturnType<typeof trpc.apiKeys.create.mutate>>;
