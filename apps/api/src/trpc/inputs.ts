import { z } from 'zod';
import { fieldError, type FieldLabel } from '@renkei/domain';
import { ORDER_SYNC_STATES, SYNC_OUTCOMES, SYNC_SUBJECT_TYPES } from '@renkei/persistence';

/** The domain's validation messages for a field, rendered in the reader's language. */
const field = (ja: string, en: string, key: string) => {
  const label: FieldLabel = { ja, en, key };
  return { error: fieldError(label) };
};

const id = field('ID', 'ID', 'id');
/** An entity ID (Renkei IDs are UUIDs; anything else is simply not found). */
export const idSchema = z.string(id).trim().min(1, id).max(64, id);

export const byId = z.strictObject({ id: idSchema });

const page = field('ページ', 'Page', 'page');
const pageSize = field('件数', 'Page size', 'pageSize');
export const pagingShape = {
  page: z.int(page).min(1, page).max(100_000, page).default(1),
  pageSize: z.int(pageSize).min(1, pageSize).max(200, pageSize).default(50),
};

const search = field('検索語', 'Search', 'search');
export const searchSchema = z.string(search).trim().max(100, search).optional();

export const orderListInput = z.strictObject({
  ...pagingShape,
  statusId: idSchema.optional(),
  shopId: idSchema.optional(),
  syncState: z.enum(ORDER_SYNC_STATES, field('連携状態', 'Sync state', 'syncState')).optional(),
  search: searchSchema,
});

export const syncLogInput = z.strictObject({
  ...pagingShape,
  subjectType: z.enum(SYNC_SUBJECT_TYPES, field('対象', 'Subject type', 'subjectType')).optional(),
  outcome: z.enum(SYNC_OUTCOMES, field('結果', 'Outcome', 'outcome')).optional(),
});

export const productListInput = z.strictObject({ ...pagingShape, search: searchSchema });

const fileName = field('ファイル名', 'File name', 'fileName');
const content = field('CSVファイルの内容', 'File content', 'contentBase64');
export const csvImportInput = z.strictObject({
  fileName: z.string(fileName).max(255, fileName).optional(),
  /** The file's bytes, base64-encoded (the admin reads the file and sends it as is; 6 MB). */
  contentBase64: z.string(content).min(1, content).max(8_000_000, content),
  encoding: z
    .enum(['auto', 'utf-8', 'shift_jis'], field('文字コード', 'Encoding', 'encoding'))
    .default('auto'),
});

const name = field('名前', 'Name', 'name');
export const apiKeyCreateInput = z.strictObject({
  name: z.string(name).trim().min(1, name).max(100, name),
});

const origin = field('オリジン', 'Origin', 'origin');
/** [認証]: the admin page's `window.location.origin` (optional; unknown origins are ignored). */
export const connectionStartInput = z
  .strictObject({ origin: z.string(origin).max(200, origin).optional() })
  .optional();
