import { defineMessages } from '../define';

export default defineMessages({
  ja: {
    intro:
      'OMSやモールから書き出した受注CSVを取り込みます。受注の明細1行につき1行で、同じ受注番号の行は1つの受注になります。',
    file: {
      heading: 'ファイルを選ぶ',
      label: '受注CSVファイル',
      help: 'UTF-8・Shift_JIS(Excelで保存したCSV)のどちらでも、文字コードは自動で判定します。6 MBまで、20,000行まで。',
      chosen: '{name}({size})',
      upload: '取り込む',
      uploading: '取り込んでいます…',
      problems: {
        tooBig: 'ファイルが大きすぎます({size})。6 MBまでのファイルにしてください。',
        empty: 'ファイルが空です。',
        notCsv: 'CSVファイルを選んでください(Excelブックは「CSV」形式で保存し直してください)。',
      },
      failed: 'ファイルを取り込めませんでした',
    },
    template: {
      heading: '見本のCSV',
      help: '列の見出しと記入例です。店舗ID・支払方法ID・受注ステータスIDには、この店の値が入っています。',
      download: '見本のCSVをダウンロード',
    },
    report: {
      heading: '取込結果',
      summary:
        '{orders}件の受注({rows}行): 新規 {created}件、更新 {updated}件、変更なし {unchanged}件、取込不可 {refused}件',
      encoding: { 'utf-8': '文字コード: UTF-8', shift_jis: '文字コード: Shift_JIS' },
      allGood: 'すべての受注を取り込みました。',
      someRefused:
        '取込不可の受注は保存していません(ほかの受注は取り込み済みです)。理由の列と行を直して、もう一度取り込んでください。',
      columns: {
        rows: '行',
        orderNumber: '受注番号',
        outcome: '結果',
        reasons: '理由',
      },
      outcomes: {
        created: '新規',
        updated: '更新',
        unchanged: '変更なし',
        refused: '取込不可',
      },
      reason: '{row}行目「{column}」: {message}',
      reasonRow: '{row}行目: {message}',
      openOrders: '受注一覧を開く',
    },
  },
  en: {
    intro:
      'Import an order CSV exported from your OMS or a mall. One row per order line; rows with the same order number make one order.',
    file: {
      heading: 'Choose a file',
      label: 'Order CSV file',
      help: 'UTF-8 or Shift_JIS (a CSV saved by Excel): the encoding is detected. Up to 6 MB and 20,000 rows.',
      chosen: '{name} ({size})',
      upload: 'Import',
      uploading: 'Importing…',
      problems: {
        tooBig: 'The file is too large ({size}). Files may be at most 6 MB.',
        empty: 'The file is empty.',
        notCsv: 'Choose a CSV file (save an Excel workbook as CSV first).',
      },
      failed: 'The file could not be imported',
    },
    template: {
      heading: 'Sample CSV',
      help: "The column headers with an example order, filled in with this shop's shop, payment method and status IDs.",
      download: 'Download the sample CSV',
    },
    report: {
      heading: 'Import result',
      summary:
        '{orders} orders ({rows} rows): {created} new, {updated} updated, {unchanged} unchanged, {refused} refused',
      encoding: { 'utf-8': 'Encoding: UTF-8', shift_jis: 'Encoding: Shift_JIS' },
      allGood: 'Every order was imported.',
      someRefused:
        'Refused orders were not stored (the others were imported). Fix the row and column given as the reason and import again.',
      columns: {
        rows: 'Rows',
        orderNumber: 'Order number',
        outcome: 'Result',
        reasons: 'Reasons',
      },
      outcomes: {
        created: 'New',
        updated: 'Updated',
        unchanged: 'Unchanged',
        refused: 'Refused',
      },
      reason: 'Row {row}, {column}: {message}',
      reasonRow: 'Row {row}: {message}',
      openOrders: 'Open the order list',
    },
  },
});
