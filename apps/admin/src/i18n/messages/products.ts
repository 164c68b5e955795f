import { defineMessages } from '../define';

export default defineMessages({
  ja: {
    intro:
      'スマレジの商品を取り込み、OMS の出品商品と紐付けます。スマレジが商品のマスタです: 新しい商品は追加され、取り込み済みの商品は更新されます (スマレジ商品ID、次に商品コードで照合)。',
    search: {
      label: '商品検索',
      placeholder: '商品ID・商品名・スマレジ商品ID',
      submit: '検索する',
      clear: 'クリア',
    },
    listHeading: '商品一覧',
    columns: {
      code: '商品ID',
      smaregiId: 'スマレジ商品ID',
      name: '商品名',
      price: '販売価格',
    },
    smaregiIdParen: '({id})',
    noSmaregiId: '(スマレジ未連携)',
    noPrice: '未設定',
    empty:
      '商品がまだありません。[スマレジから新規商品情報一括取得] でスマレジの商品を取り込んでください。',
    noMatch: '「{search}」に該当する商品はありません',
    loadFailed: '商品の一覧を読み込めませんでした',
    pagination: '商品一覧のページ',
    sync: {
      off: '商品連携設定が[連携しない]のため、スマレジの商品の取り込みと更新は行いません。',
      offLink: '商品連携設定を変更する',
      follows:
        '商品連携設定が[連携する]の間は、スマレジで登録・変更された商品が自動でこの一覧に反映されます。',
    },
    import: {
      heading: 'スマレジから商品を取り込む',
      start: 'スマレジから新規商品情報一括取得',
      started: '商品情報の取得を開始しました',
      alreadyRunning: 'すでに取得中です。進み具合を表示します',
      startFailed: '商品情報の取得を開始できませんでした',
      progressLabel: 'スマレジからの商品取得の進み具合',
      none: 'まだ商品を取り込んでいません。',
      progress: {
        queued: '取得の開始を待っています…',
        running:
          '取得中: {pages}ページ・{processed}件を処理しました (新規 {created}件・更新 {updated}件)',
        succeeded:
          '取得が完了しました: {processed}件を処理 (新規 {created}件・更新 {updated}件・スキップ {skipped}件)',
        succeededWithFailures:
          '取得が完了しました: {processed}件を処理 (新規 {created}件・更新 {updated}件・スキップ {skipped}件・失敗 {failed}件)',
        failed: '取得に失敗しました ({processed}件を処理したところで停止しました)',
        canceled: '取得は中止されました ({processed}件を処理しました)',
      },
      lastError: 'スマレジからの応答: {message}',
      finishedAt: '終了日時',
      startedAt: '開始日時',
      requestedBy: '実行者',
    },
  },
  en: {
    intro:
      'Import the products from Smaregi and link them to the OMS listings. Smaregi is the master: new products are added and known ones updated (matched by Smaregi product ID, then by product code).',
    search: {
      label: 'Search products',
      placeholder: 'Product ID, name or Smaregi product ID',
      submit: 'Search',
      clear: 'Clear',
    },
    listHeading: 'Products',
    columns: {
      code: 'Product ID',
      smaregiId: 'Smaregi product ID',
      name: 'Product name',
      price: 'Price',
    },
    smaregiIdParen: '({id})',
    noSmaregiId: '(not linked to Smaregi)',
    noPrice: 'Not set',
    empty: 'No products yet. Use [Import new products from Smaregi] to import them.',
    noMatch: 'No product matches “{search}”',
    loadFailed: 'Could not load the products',
    pagination: 'Product list pages',
    sync: {
      off: 'Product sync (商品連携設定) is [連携しない]: Smaregi products are not imported or updated.',
      offLink: 'Change the product sync setting',
      follows:
        'While product sync is [連携する], products created or changed in Smaregi appear in this list by themselves.',
    },
    import: {
      heading: 'Import products from Smaregi',
      start: 'Import new products from Smaregi',
      started: 'The product import has started',
      alreadyRunning: 'An import is already running; showing its progress',
      startFailed: 'Could not start the product import',
      progressLabel: 'Progress of the product import from Smaregi',
      none: 'No products have been imported yet.',
      progress: {
        queued: 'Waiting for the import to start…',
        running:
          'Importing: {pages} page(s), {processed} product(s) processed ({created} new, {updated} updated)',
        succeeded:
          'Import finished: {processed} product(s) processed ({created} new, {updated} updated, {skipped} skipped)',
        succeededWithFailures:
          'Import finished: {processed} product(s) processed ({created} new, {updated} updated, {skipped} skipped, {failed} failed)',
        failed: 'The import failed (stopped after {processed} product(s))',
        canceled: 'The import was cancelled ({processed} product(s) processed)',
      },
      lastError: 'Smaregi answered: {message}',
      finishedAt: 'Finished',
      startedAt: 'Started',
      requestedBy: 'Requested by',
    },
  },
});
