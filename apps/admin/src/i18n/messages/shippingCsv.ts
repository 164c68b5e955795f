import { defineMessages } from '../define';

export default defineMessages({
  ja: {
    intro:
      '出荷する受注の送り状・出荷CSVを、配送会社の送り状ソフトが読み込めるShift_JIS形式でダウンロードします。受注の明細1行につき1行で、受注番号・お届け先・商品・数量・引当状態が入ります。',
    setting: {
      heading: '出力される受注を決める設定',
      include:
        '■送り状・出荷CSV出力制御は[引当未完了の受注を出力する]です。在庫引当が完了していない受注も出力されます(引当状態の列で確認できます)。',
      exclude:
        '■送り状・出荷CSV出力制御は[引当未完了の受注を出力しない]です。スマレジで在庫引当が完了した受注だけが出力され、それ以外は下の「出力しない受注」に理由とともに表示されます。',
      link: 'スマレジ連携設定の在庫引当設定を開く',
    },
    filters: {
      heading: '出力する受注',
      shop: '店舗',
      allShops: 'すべての店舗',
      statuses: '受注ステータス',
      allStatuses: '出荷待ちの受注すべて(出荷済み・キャンセルを除く)',
      statusesHelp:
        'ステータスを選ばないと、出荷済みとキャンセル以外のすべての受注が対象です。出荷済み・キャンセルの受注は出力されません。',
      shippingDateFrom: '出荷日(開始)',
      shippingDateTo: '出荷日(終了)',
      shippingDateHelp: '出荷日を指定すると、出荷日が未入力の受注は対象外になります。',
      apply: '件数を確認する',
      clear: '条件をクリア',
    },
    preview: {
      heading: 'ダウンロードの前に',
      loading: '件数を確認しています…',
      failed: '件数を確認できませんでした',
      included: '出力する受注',
      rows: 'CSVの行数(明細)',
      held: '出力しない受注',
      count: '{count}件',
      rowCount: '{count}行',
      nothing: '条件に合う、出力できる受注はありません。',
    },
    held: {
      heading: '出力しない受注(■送り状・出荷CSV出力制御)',
      intro:
        '次の受注は在庫引当が完了していないため、送り状・出荷CSVに含まれません。スマレジで引当が完了すると、次のダウンロードから含まれます。',
      columns: { orderNumber: '受注番号', reason: '理由' },
      more: 'ほかに{count}件あります。条件を絞ると確認できます。',
    },
    encoding: {
      heading: 'Shift_JISで表せない文字',
      folded: '{count}文字を、Shift_JISにある同じ意味の文字に置き換えて出力します(例: 〜 → ～)。',
      lost: '次の文字はShift_JISにないため「〓」で出力します。送り状の印字を確認してください。',
      loss: '受注 {orderNumber} の「{column}」: {character} ({codePoint})',
    },
    download: '送り状・出荷CSVをダウンロード',
    downloadHelp: 'ファイル名は「送り状_日付_時刻.csv」です。文字コードはShift_JISです。',
    downloadNothing: '出力できる受注がないため、ダウンロードできません。',
  },
  en: {
    intro:
      "Download the shipping CSV of the orders to ship, in Shift_JIS as carriers' label software reads it. One row per order line, with order number, ship-to, product, quantity and allocation.",
    setting: {
      heading: 'The setting that decides which orders go out',
      include:
        'Shipping CSV for unallocated orders is set to export them: orders whose stock is not fully allocated are exported too (see the Allocation column).',
      exclude:
        'Shipping CSV for unallocated orders is set not to export them: only orders Smaregi has fully allocated are exported; the others are listed below under "Orders left out", each with the reason.',
      link: 'Open the allocation settings',
    },
    filters: {
      heading: 'Orders to export',
      shop: 'Shop',
      allShops: 'All shops',
      statuses: 'Order statuses',
      allStatuses: 'All orders to ship (not shipped or cancelled)',
      statusesHelp:
        'With no status chosen, every order that is not shipped or cancelled is a candidate. Shipped and cancelled orders are never exported.',
      shippingDateFrom: 'Shipping date from',
      shippingDateTo: 'Shipping date to',
      shippingDateHelp: 'With a shipping date range, orders without a shipping date are left out.',
      apply: 'Check the counts',
      clear: 'Clear',
    },
    preview: {
      heading: 'Before downloading',
      loading: 'Counting…',
      failed: 'The counts could not be read',
      included: 'Orders exported',
      rows: 'CSV rows (order lines)',
      held: 'Orders left out',
      count: '{count}',
      rowCount: '{count}',
      nothing: 'No order matching these filters can be exported.',
    },
    held: {
      heading: 'Orders left out (shipping CSV setting)',
      intro:
        'These orders are not in the shipping CSV because their stock is not fully allocated. Once Smaregi allocates them, the next download includes them.',
      columns: { orderNumber: 'Order number', reason: 'Reason' },
      more: '{count} more. Narrow the filters to see them.',
    },
    encoding: {
      heading: 'Characters Shift_JIS cannot hold',
      folded: '{count} characters are written as their Shift_JIS equivalent (e.g. 〜 → ～).',
      lost: 'These characters are not in Shift_JIS and are written as 〓. Check the printed labels.',
      loss: 'Order {orderNumber}, {column}: {character} ({codePoint})',
    },
    download: 'Download the shipping CSV',
    downloadHelp: 'The file is named 送り状_date_time.csv and is encoded in Shift_JIS.',
    downloadNothing: 'No order can be exported, so there is nothing to download.',
  },
});
