import type { trpc } from '../../api/trpc';

/*
 * The progress of a product import as the merchant sees it. Smaregi does not say how many products
 * it has, so the run carries an estimate taken when it was asked for (`expectedTotal`: the products
 * already linked, or what the last finished run read). With an estimate the bar is determinate,
 * stays below 100 % until the run has ended, and the estimate grows when the run passes it (by one
 * page: a run still running after a full page has at least one page to read); the remaining time
 * follows from the pace so far. Without one (the first import) the bar is indeterminate and the
 * text says the total is not known yet, with the pages and products done and the time elapsed.
 */

export type ImportRunView = Awaited<ReturnType<typeof trpc.products.importRun.query>>;
export type ImportRunState = ImportRunView['state'];
export type ImportRunMode = ImportRunView['mode'];

/** The operations of the panel's pull-down, in its order. */
export const IMPORT_MODES: readonly ImportRunMode[] = ['createNew', 'createAndUpdate'];

export type ImportProgressKey =
  | 'queued'
  | 'running'
  | 'runningUnknownTotal'
  | 'succeeded'
  | 'succeededWithFailures'
  | 'failed'
  | 'canceled';

export interface ImportProgress {
  /** Queued or running: the screen polls the run every second. */
  active: boolean;
  percent: number;
  indeterminate: boolean;
  /** Element Plus' progress status ('' = in progress). */
  status: '' | 'success' | 'warning' | 'exception';
  /** Message key under `products.import.progress` and its parameters. */
  key: ImportProgressKey;
  params: Record<string, number>;
  /** The total shown (the estimate, grown if passed; what was read once ended); null: unknown. */
  total: number | null;
  /** Since the worker started the run (until it ended); null before it started. */
  elapsedMs: number | null;
  /** From the pace so far, while running with an estimate; null when it cannot be told. */
  remainingMs: number | null;
}

export function isActiveRun(state: string | undefined): boolean {
  return state === 'queued' || state === 'running';
}

export type ImportRunFigures = Pick<
  ImportRunView,
  | 'state'
  | 'expectedTotal'
  | 'pagesDone'
  | 'processed'
  | 'created'
  | 'updated'
  | 'skipped'
  | 'failed'
  | 'startedAt'
  | 'finishedAt'
>;

/** The estimate while running: grown by one page (the pace of pages so far) once passed. */
function runningTotal(run: ImportRunFigures): number | null {
  if (run.expectedTotal === null || run.expectedTotal <= 0) return null;
  if (run.processed < run.expectedTotal) return run.expectedTotal;
  const page = run.pagesDone > 0 ? Math.ceil(run.processed / run.pagesDone) : 1;
  return run.processed + Math.max(page, 1);
}

const msBetween = (from: string | null, to: number): number | null =>
  from === null ? null : Math.max(0, to - Date.parse(from));

/** The bar, the text and the times of a run at `now` (epoch ms). */
export function importProgress(run: ImportRunFigures, now: number): ImportProgress {
  const params = {
    pages: run.pagesDone,
    processed: run.processed,
    created: run.created,
    updated: run.updated,
    skipped: run.skipped,
    failed: run.failed,
  };
  const ended = (status: ImportProgress['status'], key: ImportProgressKey): ImportProgress => ({
    active: false,
    percent: 100,
    indeterminate: false,
    status,
    key,
    params: { ...params, total: run.processed },
    total: run.processed,
    elapsedMs:
      run.finishedAt === null ? null : msBetween(run.startedAt, Date.parse(run.finishedAt)),
    remainingMs: null,
  });
  switch (run.state) {
    case 'queued': {
      const total = runningTotal(run);
      return {
        active: true,
        percent: 0,
        indeterminate: false,
        status: '',
        key: 'queued',
        params: { ...params, total: total ?? 0 },
        total,
        elapsedMs: null,
        remainingMs: null,
      };
    }
    case 'running': {
      const total = runningTotal(run);
      const elapsedMs = msBetween(run.startedAt, now);
      if (total === null) {
        // The animated segment of an indeterminate bar is drawn at this width.
        return {
          active: true,
          percent: 50,
          indeterminate: true,
          status: '',
          key: 'runningUnknownTotal',
          params,
          total: null,
          elapsedMs,
          remainingMs: null,
        };
      }
      const remainingMs =
        elapsedMs !== null && elapsedMs > 0 && run.processed > 0
          ? Math.round(((total - run.processed) * elapsedMs) / run.processed)
          : null;
      return {
        active: true,
        // Never full while it runs: the estimate may be short.
        percent: Math.min(99, Math.floor((run.processed * 100) / total)),
        indeterminate: false,
        status: '',
        key: 'running',
        params: { ...params, total },
        total,
        elapsedMs,
        remainingMs,
      };
    }
    case 'succeeded':
      return run.failed > 0
        ? ended('warning', 'succeededWithFailures')
        : ended('success', 'succeeded');
    case 'failed':
      return ended('exception', 'failed');
    default:
      return ended('warning', 'canceled');
  }
}

/** A duration as message key under `products.import.duration` and its parameters. */
export function durationParts(ms: number): {
  key: 'hours' | 'minutes' | 'seconds';
  params: { h: number; m: number; s: number };
} {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return { key: h > 0 ? 'hours' : m > 0 ? 'minutes' : 'seconds', params: { h, m, s } };
}
