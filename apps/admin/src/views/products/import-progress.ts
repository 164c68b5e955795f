import type { trpc } from '../../api/trpc';

/*
 * The progress of スマレジから新規商品情報一括取得 as the merchant sees it. Smaregi does not say
 * how many products there are, so while the import runs the bar is indeterminate and the text
 * counts pages and products done; the bar is full when the run has ended.
 */

export type ImportRunView = Awaited<ReturnType<typeof trpc.products.importRun.query>>;
export type ImportRunState = ImportRunView['state'];

export interface ImportProgress {
  /** Queued or running: the screen polls the run every second. */
  active: boolean;
  percent: number;
  indeterminate: boolean;
  /** Element Plus' progress status ('' = in progress). */
  status: '' | 'success' | 'warning' | 'exception';
  /** Message key under `products.import.progress` and its parameters. */
  key: 'queued' | 'running' | 'succeeded' | 'succeededWithFailures' | 'failed' | 'canceled';
  params: Record<string, number>;
}

export function isActiveRun(state: string | undefined): boolean {
  return state === 'queued' || state === 'running';
}

export function importProgress(
  run: Pick<
    ImportRunView,
    'state' | 'pagesDone' | 'processed' | 'created' | 'updated' | 'skipped' | 'failed'
  >,
): ImportProgress {
  const params = {
    pages: run.pagesDone,
    processed: run.processed,
    created: run.created,
    updated: run.updated,
    skipped: run.skipped,
    failed: run.failed,
  };
  switch (run.state) {
    case 'queued':
      return { active: true, percent: 0, indeterminate: false, status: '', key: 'queued', params };
    case 'running':
      // The animated segment of an indeterminate bar is drawn at this width.
      return { active: true, percent: 50, indeterminate: true, status: '', key: 'running', params };
    case 'succeeded':
      return run.failed > 0
        ? {
            active: false,
            percent: 100,
            indeterminate: false,
            status: 'warning',
            key: 'succeededWithFailures',
            params,
          }
        : {
            active: false,
            percent: 100,
            indeterminate: false,
            status: 'success',
            key: 'succeeded',
            params,
          };
    case 'failed':
      return {
        active: false,
        percent: 100,
        indeterminate: false,
        status: 'exception',
        key: 'failed',
        params,
      };
    default:
      return {
        active: false,
        percent: 100,
        indeterminate: false,
        status: 'warning',
        key: 'canceled',
        params,
      };
  }
}
