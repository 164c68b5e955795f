import type { z } from 'zod';
import { ProblemError, type ProblemField } from './problem.js';

/** `details[2].quantity` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? 'リクエストボディ' : out;
}

const TYPE_NAMES: Record<string, string> = {
  string: '文字列',
  number: '数値',
  int: '整数',
  boolean: '真偽値(true/false)',
  array: '配列',
  object: 'オブジェクト',
};

/** Non-ASCII means the schema author wrote the (Japanese) message: keep it as it is. */
const AUTHORED = /[^\u0020-\u007e]/u;

/**
 * Turns one zod issue into a Japanese sentence that names the field, as Smaregi's `detail`
 * does (`更新後の在庫数は[999999999]以下である必要があります`).
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  const field = formatPath(issue.path);
  if (AUTHORED.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.message.endsWith('received undefined')) return `${field}は必須です`;
      return `${field}は${TYPE_NAMES[issue.expected] ?? issue.expected}で指定してください`;
    case 'too_big':
      if (issue.origin === 'string')
        return `${field}は${String(issue.maximum)}文字以下で指定してください`;
      if (issue.origin === 'array')
        return `${field}は${String(issue.maximum)}件以下で指定してください`;
      return `${field}は${String(issue.maximum)}以下で指定してください`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? `${field}は必須です`
          : `${field}は${String(issue.minimum)}文字以上で指定してください`;
      }
      if (issue.origin === 'array')
        return `${field}は${String(issue.minimum)}件以上で指定してください`;
      return `${field}は${String(issue.minimum)}以上で指定してください`;
    case 'invalid_value':
      return `${field}は${issue.values.map((v) => String(v)).join(', ')}のいずれかで指定してください`;
    case 'invalid_format':
      return `${field}の形式が正しくありません`;
    case 'unrecognized_keys':
      return `${field}に指定できない項目があります: ${issue.keys.join(', ')}`;
    default:
      return `${field}が正しくありません`;
  }
}

/**
 * Parses `input` with `schema` or throws a 400 ProblemError whose `detail` names the first bad
 * field and whose `fields` extension lists them all.
 */
export function parseOrProblem<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: ProblemField[] = result.error.issues.map((issue) => ({
    name: formatPath(issue.path),
    message: issueMessage(issue),
  }));
  throw new ProblemError(400, fields[0]?.message ?? 'リクエストが正しくありません', { fields });
}
