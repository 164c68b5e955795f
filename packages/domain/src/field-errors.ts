import type { z } from 'zod';
import type { FieldLabel } from './field-messages.js';
import {
  isMessageCode,
  renderMessageBoth,
  type MessageRef,
  type MessageRefOf,
} from './message-catalog.js';
import type { LocalizedMessage } from './messages.js';

export type { FieldLabel } from './field-messages.js';

/*
 * Validation messages for the zod input schemas, by code (message-catalog.ts).
 *
 * The same schemas serve tRPC `.input()`, the REST intake and the admin forms, none of which pass
 * an error map. So each field's schema carries its own error function, which turns zod's issue
 * into a message reference naming the field. zod keeps only a string of what an error function
 * returns, so the reference travels as JSON in the issue's message; {@link fieldErrorsOf} reads
 * it back and renders it in both languages. An issue raised without such a function is rendered
 * with zod's own Japanese and English locales.
 */

type RawIssue = z.core.$ZodRawIssue;

/** The message reference of one issue of a labelled field. */
function refOf(field: FieldLabel, iss: RawIssue): MessageRef {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined
        ? { code: 'fieldRequired', params: { field } }
        : { code: 'fieldWrongType', params: { field, expected: String(iss.expected) } };
    case 'too_small': {
      const min = Number(iss.minimum);
      if (iss.origin === 'string')
        return min <= 1
          ? { code: 'fieldEmpty', params: { field } }
          : { code: 'fieldTooShort', params: { field, min } };
      if (iss.origin === 'array') return { code: 'fieldTooFewItems', params: { field, min } };
      return { code: 'fieldTooSmall', params: { field, min } };
    }
    case 'too_big': {
      const max = Number(iss.maximum);
      if (iss.origin === 'string') return { code: 'fieldTooLong', params: { field, max } };
      if (iss.origin === 'array') return { code: 'fieldTooManyItems', params: { field, max } };
      return { code: 'fieldTooBig', params: { field, max } };
    }
    case 'invalid_format':
      if (iss.format === 'datetime') return { code: 'fieldNotDateTime', params: { field } };
      if (iss.format === 'date') return { code: 'fieldNotDate', params: { field } };
      return { code: 'fieldNotAscii', params: { field } };
    case 'invalid_value':
      return { code: 'fieldNotOneOf', params: { field, values: iss.values.map(String) } };
    case 'unrecognized_keys':
      return { code: 'fieldUnknownKeys', params: { field, keys: [...iss.keys] } };
    default:
      return { code: 'fieldInvalid', params: { field } };
  }
}

/** The issue message that carries `ref` (pass it as a `refine` / `addIssue` message). */
export function issueMessage(ref: MessageRef): string {
  return JSON.stringify(ref);
}

/** The reference an issue message carries, or null for a message written some other way. */
function refInMessage(message: string): MessageRef | null {
  if (!message.startsWith('{"code":')) return null;
  try {
    const ref = JSON.parse(message) as { code?: unknown; params?: unknown };
    return typeof ref.code === 'string' && isMessageCode(ref.code) && typeof ref.params === 'object'
      ? (ref as MessageRef)
      : null;
  } catch {
    return null;
  }
}

/**
 * The zod error function of one field: pass it as `{ error: fieldError(label) }` to the schema
 * and to each of its checks.
 */
export function fieldError(label: FieldLabel): (iss: RawIssue) => string {
  return (iss) => issueMessage(refOf(label, iss));
}

/** A validation error of one field, ready for a form or an API response. */
export interface FieldError {
  /** Dotted path of the field, e.g. `lines.0.quantity`; empty for the whole input. */
  path: string;
  message: LocalizedMessage;
}

/** A validation error of one field as code and parameters (rendered by the reader). */
export interface FieldErrorRef {
  path: string;
  message: MessageRef;
}

/**
 * The per-field errors of a zod error from one of this package's schemas, as message references.
 * Unknown keys (a misspelt `shipping_fee`, `__proto__`) give one error per key whose path is the
 * key itself (under its object's path), so a form or an integrator sees which key to remove.
 */
export function fieldErrorRefsOf(error: z.ZodError): FieldErrorRef[] {
  return error.issues.flatMap((issue): FieldErrorRef[] => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...at, key].join('.');
        const message: MessageRefOf<'unknownField'> = { code: 'unknownField', params: { path } };
        return { path, message };
      });
    }
    const message = refInMessage(issue.message) ?? { code: 'zodIssue', params: { issue } };
    return [{ path: at.join('.'), message }];
  });
}

/** The per-field errors of a zod error, rendered in both languages. */
export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return fieldErrorRefsOf(error).map((e) => ({
    path: e.path,
    message: renderMessageBoth(e.message),
  }));
}
