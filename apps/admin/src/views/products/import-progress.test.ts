import { describe, expect, it } from 'vitest';
import { createAdminI18n } from '../../i18n';
import { importProgress, type ImportRunState } from './import-progress';

const { t } = createAdminI18n('ja').global;
const counts = { pagesDone: 2, processed: 1500, created: 1200, updated: 290, skipped: 10 };

describe('importProgress: the bar and the text of an import run', () => {
  const cases: [ImportRunState, number, boolean, string, boolean, string][] = [
    ['queued', 0, false, '', true, '取得の開始を待っています…'],
    [
      'running',
      50,
      true,
      '',
      true,
      '取得中: 2ページ・1500件を処理しました (新規 1200件・更新 290件)',
    ],
    [
      'succeeded',
      100,
      false,
      'success',
      false,
      '取得が完了しました: 1500件を処理 (新規 1200件・更新 290件・スキップ 10件)',
    ],
    [
      'failed',
      100,
      false,
      'exception',
      false,
      '取得に失敗しました (1500件を処理したところで停止しました)',
    ],
    ['canceled', 100, false, 'warning', false, '取得は中止されました (1500件を処理しました)'],
  ];
  it.each(cases)('%s', (state, percent, indeterminate, status, active, text) => {
    const p = importProgress({ state, ...counts, failed: 0 });
    expect({
      percent: p.percent,
      indeterminate: p.indeterminate,
      status: p.status,
      active: p.active,
    }).toEqual({ percent, indeterminate, status, active });
    expect(t(`products.import.progress.${p.key}`, p.params)).toBe(text);
  });

  it('a finished run with failed products says how many, in words and a warning bar', () => {
    const p = importProgress({ state: 'succeeded', ...counts, failed: 3 });
    expect(p.status).toBe('warning');
    expect(t(`products.import.progress.${p.key}`, p.params)).toContain('失敗 3件');
  });
});
