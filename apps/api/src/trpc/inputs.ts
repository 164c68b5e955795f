import { z } from 'zod';
import { ORDER_SYNC_STATES, SYNC_OUTCOMES, SYNC_SUBJECT_TYPES } from '@renkei/persistence';

const msg = (ja: string, en: string) => ({ error: `${ja} / ${en}` });

/** An entity ID (Renkei IDs are UUIDs; anything else is simply not found). */
export const idSchema = z
  .string(msg('IDを指定してください', 'ID (id) is required'))
  .trim()
  .min(1, msg('IDを指定してください', 'ID (id) is required'))
  .max(64, msg('IDが長すぎます', 'ID (id) is too long'));

export const byId = z.strictObject({ id: idSchema });

export const pagingShape = {
  page: z
    .int(msg('ページは整数で指定してください', 'Page (page) must be an integer'))
    .min(1, msg('ページは1以上です', 'Page (page) must be at least 1'))
    .max(100_000)
    .default(1),
  pageSize: z
    .int(msg('件数は整数で指定してください', 'Page size (pageSize) must be an integer'))
    .min(1, msg('件数は1以上です', 'Page size (pageSize) must be at least 1'))
    .max(200, msg('件数は200以下です', 'Page size (pageSize) must be at most 200'))
    .default(50),
};

export const searchSchema = z
  .string(msg('検索語は文字列です', 'Search (search) must be a string'))
  .trim()
  .max(100, msg('検索語は100文字以下です', 'Search (search) must be at most 100 characters'))
  .optional();

export const orderListInput = z.strictObject({
  ...pagingShape,
  statusId: idSchema.optional(),
  shopId: idSchema.optional(),
  syncState: z
    .enum(
      ORDER_SYNC_STATES,
      msg(
        '連携状態の値が正しくありません',
        `Sync state (syncState) must be one of: ${ORDER_SYNC_STATES.join(', ')}`,
      ),
    )
    .optional(),
  search: searchSchema,
});

export const syncLogInput = z.strictObject({
  ...pagingShape,
  subjectType: z
    .enum(
      SYNC_SUBJECT_TYPES,
      msg('対象の値が正しくありません', 'Subject type (subjectType) is not valid'),
    )
    .optional(),
  outcome: z
    .enum(SYNC_OUTCOMES, msg('結果の値が正しくありません', 'Outcome (outcome) is not valid'))
    .optional(),
});

export const productListInput = z.strictObject({ ...pagingShape, search: searchSchema });

export const csvImportInput = z.strictObject({
  fileName: z.string().max(255).optional(),
  /** The file's bytes, base64-encoded (the admin reads the file and sends it as is). */
  contentBase64: z
    .string(msg('CSVファイルの内容がありません', 'File content (contentBase64) is required'))
    .min(1, msg('CSVファイルの内容がありません', 'File content (contentBase64) is required'))
    .max(
      8_000_000,
      msg('CSVファイルが大きすぎます(6MBまで)', 'The CSV file is too large (6 MB max)'),
    ),
  encoding: z
    .enum(
      ['auto', 'utf-8', 'shift_jis'],
      msg(
        '文字コードは auto / utf-8 / shift_jis です',
        'Encoding (encoding) must be auto, utf-8 or shift_jis',
      ),
    )
    .default('auto'),
});

export const apiKeyCreateInput = z.strictObject({
  name: z
    .string(msg('名前を入力してください', 'Name (name) is required'))
    .trim()
    .min(1, msg('名前を入力してください', 'Name (name) is required'))
    .max(100, msg('名前は100文字以下です', 'Name (name) must be at most 100 characters')),
});

/** [認証]: the admin page's `window.location.origin` (optional; unknown origins are ignored). */
export const connectionStartInput = z
  .strictObject({
    origin: z
      .string(msg('オリジンは文字列です', 'Origin (origin) must be a string'))
      .max(200, msg('オリジンが長すぎます', 'Origin (origin) is too long'))
      .optional(),
  })
  .optional();
