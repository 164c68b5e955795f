import type { Response } from 'express';

/**
 * RFC 7807 errors as the Smaregi API host sends them:
 * `{"type":"about:blank","title":"NotFound","detail":"指定されたIDのリソースが見つかりません","status":404}`
 * (docs/smaregi-wire.md §5.3 [OFF]). Titles are fixed per status (modeled, same section).
 */
export const PROBLEM_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** One field named in a validation error (modeled extension member `fields`). */
export interface ProblemField {
  name: string;
  message: string;
}

/** Thrown by handlers; the API host turns it into a problem+json response. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly options: { fields?: ProblemField[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

/** The official "not found" detail for an ID in the path. */
export const NOT_FOUND_DETAIL = '指定されたIDのリソースが見つかりません';

/** Throws the standard 404 of the API host. */
export function notFound(detail: string = NOT_FOUND_DETAIL): never {
  throw new ProblemError(404, detail);
}

/** Throws a 400 naming the field. */
export function badRequest(detail: string, fields?: ProblemField[]): never {
  throw new ProblemError(400, detail, fields ? { fields } : {});
}

/** Writes a problem+json response. */
export function sendProblem(
  res: Response,
  status: number,
  detail: string,
  options: { fields?: ProblemField[]; headers?: Record<string, string> } = {},
): void {
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: PROBLEM_TITLES[status] ?? 'Error',
    detail,
    status,
  };
  if (options.fields && options.fields.length > 0) body.fields = options.fields;
  res.status(status).type('application/problem+json').send(JSON.stringify(body));
}
