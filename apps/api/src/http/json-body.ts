import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import iconv from 'iconv-lite';
import { AppError, fieldError } from '../errors.js';

/*
 * The JSON body reader of the REST intake and the admin tRPC endpoint, in place of express.json:
 * express.json decodes leniently, so bytes that are not valid UTF-8 (a Shift_JIS file sent as
 * UTF-8, a broken byte) became U+FFFD in a customer's name and travelled to Smaregi that way.
 * Here the bytes are decoded strictly in the declared charset:
 *   - no charset, utf-8: strict UTF-8 (a leading BOM is allowed);
 *   - shift_jis and its aliases (windows-31j, sjis, cp932, ...): Windows-31J, as Japanese OMS and
 *     Excel write it (～ is U+FF5E, － U+FF0D, ① and 髙 exist), via iconv-lite's cp932 table;
 *   - utf-16le / utf-16be / utf-16 (which express.json accepted): strict.
 * A body that does not decode is not answered here: the error is kept on `res.locals` so the route
 * answers it after authentication, in its own error format (problem+json for the REST intake, a
 * tRPC error for the admin), naming the fields whose text holds the bad bytes.
 */

const SHIFT_JIS = new Set([
  'shift_jis',
  'shift-jis',
  'sjis',
  'x-sjis',
  'ms_kanji',
  'csshiftjis',
  'windows-31j',
  'cswindows31j',
  'cp932',
  'ms932',
  'windows-932',
  'x-ms-cp932',
]);
const STRICT: Record<string, string> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

/** The `charset` parameter of a Content-Type, lower-cased, or undefined. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType ?? '');
  const value = match?.[1] ?? match?.[2];
  return value === undefined ? undefined : value.trim().toLowerCase();
}

type Decoded = { ok: true; text: string } | { ok: false; error: AppError };

const REPLACEMENT = '\uFFFD';

/** Decodes a body strictly in its declared charset (see the comment at the top). */
export function decodeBody(bytes: Buffer, charset: string | undefined): Decoded {
  const name = charset ?? 'utf-8';
  if (SHIFT_JIS.has(name)) {
    // iconv-lite replaces bytes that are not Windows-31J with U+FFFD, which Shift_JIS text
    // cannot contain otherwise: any U+FFFD means broken input.
    const text = iconv.decode(bytes, 'cp932');
    return text.includes(REPLACEMENT)
      ? { ok: false, error: encodingError(text, 'Shift_JIS (Windows-31J)') }
      : { ok: true, text };
  }
  const encoding = STRICT[name];
  if (encoding === undefined) {
    return {
      ok: false,
      error: new AppError(
        'BAD_REQUEST',
        {
          ja: `文字コード ${name} には対応していません。UTF-8 で送るか、Shift_JIS の場合は Content-Type に charset=shift_jis を指定してください`,
          en: `Charset ${name} is not supported; send UTF-8, or Shift_JIS with charset=shift_jis in Content-Type`,
        },
        [],
        { encoding: name },
      ),
    };
  }
  try {
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    const label = encoding === 'utf-8' ? 'UTF-8' : encoding.toUpperCase();
    return {
      ok: false,
      error: encodingError(new TextDecoder(encoding).decode(bytes), label),
    };
  }
}

/**
 * The refusal of a body with bytes that are not valid in its charset. `lenient` is the body
 * decoded with replacement characters: when it still parses, every string (value or key) holding
 * one is named as a field.
 */
function encodingError(lenient: string, label: string): AppError {
  const paths = pathsWithReplacement(lenient);
  const where = paths.length > 0 ? ` (${paths.join(', ')})` : '';
  const hint =
    label === 'UTF-8'
      ? {
          ja: 'UTF-8 で送るか、Shift_JIS の場合は Content-Type に charset=shift_jis を指定してください',
          en: 'send UTF-8, or declare Shift_JIS with charset=shift_jis in Content-Type',
        }
      : { ja: '文字コードを確認してください', en: 'check the encoding' };
  return new AppError(
    'BAD_REQUEST',
    {
      ja: `リクエスト本文に ${label} として読めないバイト列があります${where}。${hint.ja}`,
      en: `The request body has bytes that are not valid ${label}${where}; ${hint.en}`,
    },
    paths.map((path) =>
      fieldError(
        path,
        `${label} として読めない文字が含まれています(文字化け)`,
        `Contains bytes that are not valid ${label} (garbled text)`,
      ),
    ),
    { encoding: label },
  );
}

/** Dotted JSON paths of the strings (values or keys) that contain U+FFFD; [] if not JSON. */
export function pathsWithReplacement(text: string): string[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return [];
  }
  const found: string[] = [];
  // Iterative walk: the body may be nested deeply on purpose.
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0 && found.length < 50) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes(REPLACEMENT)) found.push(path.join('.'));
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: [...path, String(i)] });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (key.includes(REPLACEMENT)) found.push([...path, key].join('.'));
        else stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return found;
}

/** The decoding refusal of this request's body, if any (see {@link jsonBody}). */
export function bodyErrorOf(res: Response): AppError | undefined {
  const error = (res.locals as { bodyError?: unknown }).bodyError;
  return error instanceof AppError ? error : undefined;
}

/**
 * The refusal as one call of a tRPC batch sees it: a batch body is `{"0": input, ...}`, so field
 * paths lose their leading call index (`0.name` → `name`, the field the form shows).
 */
export function unbatched(error: AppError): AppError {
  return new AppError(
    error.code,
    error.localized,
    error.fieldErrors.map((f) => ({ ...f, path: f.path.replace(/^\d+(\.|$)/, '') })),
    error.details,
  );
}

/** A JSON syntax error in the form express.json reports it (the app's error handler answers 400). */
function parseFailure(cause: unknown): Error {
  return Object.assign(new SyntaxError('Body is not valid JSON', { cause }), {
    type: 'entity.parse.failed',
    status: 400,
  });
}

/**
 * Reads a JSON body (Content-Type application/json) up to `limit`: `req.body` becomes the parsed
 * value, like express.json with `strict` (an object or an array); an empty body is `{}`. A body
 * that is not valid in its charset leaves `req.body` as `{}` and the refusal in
 * {@link bodyErrorOf}; malformed JSON goes to the error handler as express.json's would.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const raw = express.raw({ type: 'application/json', limit });
  const decode = (req: Request, res: Response, next: NextFunction): void => {
    if (!Buffer.isBuffer(req.body)) {
      next();
      return;
    }
    const decoded = decodeBody(req.body, charsetOf(req.get('content-type')));
    if (!decoded.ok) {
      res.locals.bodyError = decoded.error;
      req.body = {};
      next();
      return;
    }
    const text = decoded.text.replace(/^\uFEFF/, '');
    const first = /^[ \t\n\r]*(.)/.exec(text)?.[1];
    if (first === undefined) {
      req.body = {};
      next();
      return;
    }
    if (first !== '{' && first !== '[') {
      next(parseFailure(undefined));
      return;
    }
    try {
      req.body = JSON.parse(text) as unknown;
    } catch (error) {
      next(parseFailure(error));
      return;
    }
    next();
  };
  return [raw, decode];
}
