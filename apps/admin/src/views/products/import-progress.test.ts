import { describe, expect, it } from 'vitest';
import { createAdminI18n } from '../../i18n';
import {
  durationParts,
  importProgress,
  type ImportRunFigures,
  type ImportRunState,
} from './import-progress';

const ja = createAdminI18n('ja').global.t;
const en = createAdminI18n('en').global.t;
const START = '2026-12-02T01:00:00.000Z';
const at = (seconds: number) => Date.parse(START) + seconds * 1000;
const counts = {
  pagesDone: 2,
  processed: 2000,
  created: 1200,
  updated: 790,
  skipped: 6,
  failed: 4,
};
const run = (over: Partial<ImportRunFigures> = {}): ImportRunFigures => ({
  state: 'running',
  expectedTotal: 5000,
  ...counts,
  startedAt: START,
  finishedAt: null,
  ...over,
});

describe('importProgress: the bar, the text and the times of an import run', () => {
  // [case, run, now (s after start), percent, indeterminate, status, total, remaining (s), text]
  const cases: [
    string,
    ImportRunFigures,
    number,
    number,
    boolean,
    string,
    number | null,
    number | null,
    string,
  ][] = [
    [
      'queued, with an estimate',
      run({ state: 'queued', ...{ pagesDone: 0, processed: 0, created: 0, updated: 0 } }),
      0,
      0,
      false,
      '',
      5000,
      null,
      '取得の開始を待っています…',
    ],
    [
      'running against the estimate: 40 % and the pace so far',
      run(),
      20,
      40,
      false,
      '',
      5000,
      30,
      '取得中: 2ページ・2000 / 約5000件 (新規 1200件・更新 790件・スキップ 6件・失敗 4件)',
    ],
    [
      'running just short of the estimate: never full before the end',
      run({ processed: 4999 }),
      50,
      99,
      false,
      '',
      5000,
      0,
      '取得中: 2ページ・4999 / 約5000件 (新規 1200件・更新 790件・スキップ 6件・失敗 4件)',
    ],
    [
      'running past the estimate: it grows by one page',
      run({ expectedTotal: 1500, pagesDone: 2, processed: 2000 }),
      10,
      66,
      false,
      '',
      3000,
      5,
      '取得中: 2ページ・2000 / 約3000件 (新規 1200件・更新 790件・スキップ 6件・失敗 4件)',
    ],
    [
      'running, first page not yet done: no pace to tell the remaining time',
      run({ pagesDone: 0, processed: 0, created: 0, updated: 0, skipped: 0, failed: 0 }),
      3,
      0,
      false,
      '',
      5000,
      null,
      '取得中: 0ページ・0 / 約5000件 (新規 0件・更新 0件・スキップ 0件・失敗 0件)',
    ],
    [
      'first import: no estimate, indeterminate, the total is said to be unknown',
      run({ expectedTotal: null }),
      20,
      50,
      true,
      '',
      null,
      null,
      '取得中: 2ページ・2000件 (新規 1200件・更新 790件・スキップ 6件・失敗 4件)。初回の取得のため、全体の件数はまだわかりません',
    ],
    [
      'succeeded',
      run({ state: 'succeeded', failed: 0, finishedAt: '2026-12-02T01:01:05.000Z' }),
      999,
      100,
      false,
      'success',
      2000,
      null,
      '取得が完了しました: 2000件を処理 (新規 1200件・更新 790件・スキップ 6件)',
    ],
    [
      'succeeded with products it could not take',
      run({ state: 'succeeded', finishedAt: '2026-12-02T01:01:05.000Z' }),
      999,
      100,
      false,
      'warning',
      2000,
      null,
      '取得が完了しました: 2000件を処理 (新規 1200件・更新 790件・スキップ 6件・失敗 4件)',
    ],
    [
      'failed',
      run({ state: 'failed', finishedAt: '2026-12-02T01:00:30.000Z' }),
      999,
      100,
      false,
      'exception',
      2000,
      null,
      '取得に失敗しました (2000件を処理したところで停止しました)',
    ],
    [
      'canceled',
      run({ state: 'canceled', finishedAt: '2026-12-02T01:00:30.000Z' }),
      999,
      100,
      false,
      'warning',
      2000,
      null,
      '取得は中止されました (2000件を処理しました)',
    ],
  ];
  it.each(cases)(
    '%s',
    (_case, r, seconds, percent, indeterminate, status, total, remaining, text) => {
      const p = importProgress(r, at(seconds));
      expect({
        percent: p.percent,
        indeterminate: p.indeterminate,
        status: p.status,
        total: p.total,
        remaining: p.remainingMs === null ? null : Math.round(p.remainingMs / 1000),
      }).toEqual({
        percent,
        indeterminate,
        status,
        total,
        remaining,
      });
      expect(ja(`products.import.progress.${p.key}`, p.params)).toBe(text);
      // Every text has its English twin with the same figures.
      expect(en(`products.import.progress.${p.key}`, p.params)).not.toContain('{');
    },
  );

  it('is active (polled) only while queued or running', () => {
    const states: ImportRunState[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];
    expect(states.map((state) => importProgress(run({ state }), at(1)).active)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('elapsed time runs with the clock while running and stops at the end', () => {
    expect(importProgress(run(), at(75)).elapsedMs).toBe(75_000);
    expect(importProgress(run({ state: 'queued', startedAt: null }), at(75)).elapsedMs).toBeNull();
    const ended = run({ state: 'succeeded', finishedAt: '2026-12-02T01:01:05.000Z' });
    expect(importProgress(ended, at(3600)).elapsedMs).toBe(65_000);
    // Cancelled before the worker took it: it never started.
    const neverStarted = run({
      state: 'canceled',
      startedAt: null,
      finishedAt: '2026-12-02T01:00:30.000Z',
    });
    expect(importProgress(neverStarted, at(60)).elapsedMs).toBeNull();
  });
});

describe('durationParts: a duration in the largest unit that applies', () => {
  it.each([
    [0, '0秒', '0 s'],
    [42_400, '42秒', '42 s'],
    [65_000, '1分5秒', '1 min 5 s'],
    [3_725_000, '1時間2分5秒', '1 h 2 min 5 s'],
  ])('%i ms', (ms, jaText, enText) => {
    const { key, params } = durationParts(ms);
    expect(ja(`products.import.duration.${key}`, params)).toBe(jaText);
    expect(en(`products.import.duration.${key}`, params)).toBe(enText);
  });
});
