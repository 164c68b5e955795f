import type { trpc } from '../../api/trpc';

/*
 * 受注CSV取込: the file the merchant picks, checked before it is sent (the API checks again and
 * says the same), and the API's report read as the screen shows it.
 */

export type OrderCsvReport = Awaited<ReturnType<typeof trpc.orders.importCsv.mutate>>;
export type OrderCsvResult = OrderCsvReport['results'][number];

/** The largest file the import takes (the API refuses more, saying so). */
export const MAX_ORDER_CSV_BYTES = 6_000_000;

/** Why a picked file cannot be sent, as the screen's message key, or null when it can. */
export function fileProblem(file: {
  name: string;
  size: number;
}): 'tooBig' | 'empty' | 'notCsv' | null {
  if (file.size === 0) return 'empty';
  if (file.size > MAX_ORDER_CSV_BYTES) return 'tooBig';
  // A workbook saved as .xlsx is the usual mistake; the API tells any other binary file apart.
  if (/\.(xlsx?|xlsm|ods|numbers|zip|pdf)$/i.test(file.name)) return 'notCsv';
  return null;
}

/** The size as merchants read it: `1.2 MB`, `34 KB`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} KB`;
}

/** The file's bytes as base64 (what the API takes), in chunks so a 6 MB file does not overflow. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** An order's rows as the report shows them: `5`, or `2–4` for consecutive rows, else `2, 5`. */
export function rowsLabel(rows: readonly number[]): string {
  if (rows.length === 0) return '';
  const consecutive = rows.every((r, i) => i === 0 || r === rows[i - 1]! + 1);
  if (rows.length > 1 && consecutive) return `${rows[0]}–${rows[rows.length - 1]}`;
  return rows.join(', ');
}

/** The report's results, refused orders first (what the merchant must fix), then file order. */
export function resultsForReview(results: readonly OrderCsvResult[]): OrderCsvResult[] {
  return [...results].sort(
    (a, b) =>
      Number(b.outcome === 'refused') - Number(a.outcome === 'refused') ||
      (a.rows[0] ?? 0) - (b.rows[0] ?? 0),
  );
}

/** A text file download started from the page (the template): a Blob behind a temporary link. */
export function saveText(fileName: string, content: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
