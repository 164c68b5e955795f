/**
 * Redaction of secrets in request snapshots and raw bodies, so that errors and log lines can be
 * stored and shown without leaking tokens or client secrets (docs/reliability.md item 4).
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are secrets. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);

/**
 * Body keys whose values are secrets: OAuth parameters and anything named like a token, secret or
 * password. `code` is only secret in OAuth form bodies (in JSON it is e.g. a product code).
 */
const SECRET_KEY = /token|secret|password|verifier|assertion|^authorization$/i;
const SECRET_FORM_KEYS = new Set(['code', 'client_secret', 'code_verifier', 'refresh_token']);

/** Copies headers with secret values replaced. Header names are lower-cased. */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    out[lower] = SECRET_HEADERS.has(lower) || SECRET_KEY.test(lower) ? REDACTED : value;
  }
  return out;
}

/** Deep-copies a JSON value with secret-named keys redacted. */
export function redactJson(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactJson(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : redactJson(item, depth + 1);
    }
    return out;
  }
  return value;
}

/** Redacts an `application/x-www-form-urlencoded` body, returned as a plain object. */
export function redactForm(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) {
    out[key] = SECRET_FORM_KEYS.has(key) || SECRET_KEY.test(key) ? REDACTED : value;
  }
  return out;
}

/**
 * Redacts a raw response body: JSON is redacted key by key; any other text has bearer-like
 * tokens (long base64url runs and JWTs) masked, since we cannot know what it contains.
 */
export function redactText(text: string): string {
  try {
    return JSON.stringify(redactJson(JSON.parse(text)));
  } catch {
    return text
      .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, REDACTED)
      .replace(/[A-Za-z0-9_-]{32,}/g, REDACTED);
  }
}
