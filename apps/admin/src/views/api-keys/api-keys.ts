import type { trpc } from '../../api/trpc';
import type apiKeysMessages from '../../i18n/messages/apiKeys';

/** One intake API key as the list shows it (never the key itself). */
export type ApiKeyRow = Awaited<ReturnType<typeof trpc.apiKeys.list.query>>[number];

/** What the API answers once, on creation: the new key with its plaintext (never shown again). */
export type CreatedApiKey = Awaited<ReturnType<typeof trpc.apiKeys.create.mutate>>;

/** What a key may do on the REST API v1 (`orders:write` ...), as the API names it. */
export type ApiKeyScope = ApiKeyRow['scopes'][number];

type ScopeWord = keyof typeof apiKeysMessages.ja.scopes;

/**
 * Each scope's key in the messages (`apiKeys.scopes.<word>`, `apiKeys.scopeHints.<word>`), in the
 * API's order: the compiler fails when the API gains a scope this screen has no words for.
 */
export const SCOPE_WORDS = {
  'orders:write': 'ordersWrite',
  'orders:read': 'ordersRead',
  'stock:read': 'stockRead',
  'webhooks:manage': 'webhooksManage',
} as const satisfies Record<ApiKeyScope, ScopeWord>;

export const API_KEY_SCOPES = Object.keys(SCOPE_WORDS) as ApiKeyScope[];

/** Whether `value` is a scope this screen has words for (a value recorded by the 操作履歴, say). */
export const isApiKeyScope = (value: unknown): value is ApiKeyScope =>
  typeof value === 'string' && Object.hasOwn(SCOPE_WORDS, value);
