import { isApiError } from './trpc';

/** A message in the two languages of the admin (the API sends both). */
export interface Localized {
  ja: string;
  en: string;
}

/** What a screen needs to know about a failed call, in the merchant's language. */
export interface UiError {
  /** The tRPC / app error code (`UNAUTHORIZED`, `BAD_REQUEST`, `BAD_GATEWAY` ...), or `NETWORK`. */
  code: string;
  message: Localized;
  /** Field path (`adjustmentProductCode`, `lines.0.quantity`) → message, for the form item it names. */
  fieldErrors: Record<string, Localized>;
  /** Extra data of the error (e.g. `readiness` items when starting is refused). */
  details: Record<string, unknown> | null;
}

const NETWORK: Localized = {
  ja: 'サーバーに接続できません。ネットワークを確認して、もう一度お試しください',
  en: 'Cannot reach the server. Check the network and try again',
};
const UNKNOWN: Localized = {
  ja: '予期しないエラーが発生しました。もう一度お試しください',
  en: 'Something unexpected happened. Please try again',
};

function isLocalized(value: unknown): value is Localized {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Localized).ja === 'string' &&
    typeof (value as Localized).en === 'string'
  );
}

/**
 * Turns anything a call can throw into a {@link UiError}. The API's error formatter
 * (`apps/api/src/trpc/trpc.ts`) sends `messages` (ja + en) and `fieldErrors`; whatever does not
 * have them (a proxy's HTML page, a dropped connection) becomes a generic message, never raw JSON
 * or a stack trace.
 */
export function toUiError(error: unknown): UiError {
  if (isApiError(error)) {
    const data = error.data as
      | {
          code?: unknown;
          messages?: unknown;
          fieldErrors?: unknown;
          details?: unknown;
        }
      | undefined;
    if (data === undefined || data === null) {
      // No formatted body: the request never reached the API (or a proxy answered).
      return { code: 'NETWORK', message: NETWORK, fieldErrors: {}, details: null };
    }
    const fieldErrors: Record<string, Localized> = {};
    if (Array.isArray(data.fieldErrors)) {
      for (const fe of data.fieldErrors as { path?: unknown; message?: unknown }[]) {
        if (typeof fe.path === 'string' && isLocalized(fe.message) && !(fe.path in fieldErrors))
          fieldErrors[fe.path] = fe.message;
      }
    }
    return {
      code: typeof data.code === 'string' ? data.code : 'INTERNAL_SERVER_ERROR',
      message: isLocalized(data.messages) ? data.messages : UNKNOWN,
      fieldErrors,
      details:
        typeof data.details === 'object' && data.details !== null
          ? (data.details as Record<string, unknown>)
          : null,
    };
  }
  if (error instanceof TypeError) {
    return { code: 'NETWORK', message: NETWORK, fieldErrors: {}, details: null };
  }
  return { code: 'UNKNOWN', message: UNKNOWN, fieldErrors: {}, details: null };
}

/** True when the error means the session is gone (expired, logged out elsewhere). */
export function isUnauthorized(error: unknown): boolean {
  return (
    isApiError(error) && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED'
  );
}
