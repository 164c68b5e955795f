/** Helpers shared by the resource modules. */
import type { z } from 'zod';
import type { ApiRequest, CallOptions } from '../client.js';
import { SmaregiApiError } from '../errors.js';

export type RequestFn = <S extends z.ZodType>(
  request: ApiRequest<S>,
  options?: CallOptions,
) => Promise<z.output<S>>;

/** Options of the `iterate` methods. */
export interface IterateOptions extends CallOptions {
  /** Page size, 1..1000 (default 1000, the fewest requests). */
  limit?: number;
  /** Request the next page while the current one is consumed (default false). */
  prefetch?: boolean;
}

/**
 * Validates caller input with a strict schema before anything is sent. Failures become an
 * `invalid_request` error naming each field (docs/reliability.md item 7), with no status.
 */
export function validateInput<S extends z.ZodType>(
  operation: string,
  schema: S,
  input: unknown,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const inputIssues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
  const summary = inputIssues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new SmaregiApiError(`${operation}: invalid input (${summary})`, {
    kind: 'invalid_request',
    operation,
    inputIssues,
    cause: result.error,
  });
}

/** Validates a path ID (positive integer as string or number) and returns it as a string. */
export function pathId(operation: string, name: string, value: unknown): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text)) {
    throw new SmaregiApiError(`${operation}: ${name} must be a numeric ID`, {
      kind: 'invalid_request',
      operation,
      inputIssues: [{ path: name, message: 'must be a numeric ID (1-15 digits)' }],
    });
  }
  return text;
}

/** Drops the paging keys so `iterate` can set them. */
export function withoutPaging<T extends { page?: unknown; limit?: unknown }>(
  params: T,
): Omit<T, 'page' | 'limit'> {
  const { page: _page, limit: _limit, ...rest } = params;
  return rest;
}

/**
 * Makes every method of a resource report input errors as a rejected promise instead of a
 * synchronous throw, so `await` / `.catch` see every failure the same way.
 */
export function rejectingMethods<T extends object>(resource: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resource)) {
    out[name] =
      typeof value === 'function'
        ? (...args: unknown[]): unknown => {
            try {
              return (value as (...a: unknown[]) => unknown)(...args);
            } catch (error) {
              return Promise.reject(error instanceof Error ? error : new Error(String(error)));
            }
          }
        : value;
  }
  return out as T;
}
