import { defineMessages } from '../define';

/*
 * スマレジ連携設定: ■スマレジ連携開始設定 and EC受注・在庫連携設定 (screens 4 and 5 of the setup),
 * in the help page's words. Help texts explain each setting as docs/flows.md "Settings" describes
 * it.
 */
export default defineMessages({
  ja: {
    title: 'スマレジ連携設定',
    intro:
      'スマレジとの連携の開始・停止と、受注・在庫・商品の連携方法を設定します。設定を変更するときは、連携を停止した状態で保存してください。',
    loadFailed: '設定を読み込めませんでした。',
    start: {
      heading: '■スマレジ連携開始設定',
      help: 'スマレジへの受注登録・在庫引当・出荷連携をまとめて開始または停止します。連携に必要な設定がすべて完了するまでは[連携を停止する]にしておき、準備が整ったら[連携を開始する]を選んで[設定を保存する]を押してください。',
      current: '現在の状態',
      running: '連携中',
      stopped: '停止中',
      enable: '連携を開始する',
      disable: '連携を停止する',
      saveHint: '選んだ内容は、ページ下部の[設定を保存する]で保存されます。',
    },
    refusal: {
      title: '連携を開始できませんでした',
      body: '次の準備項目が完了していません。それぞれの画面で設定してから、もう一度[連携を開始する]を選んで[設定を保存する]を押してください。このページの変更も保存されていません。',
      liveError: 'スマレジから情報を取得できなかったため、確認できない項目があります: {message}',
      targets: '対象: {list}',
      separator: '、',
      fixIn: '「{screen}」で設定する',
      fixInSmaregi: 'スマレジの管理画面（受注店舗の設定）で設定してください',
      screens: {
        connection: 'スマレジ連携 (アプリ認証)',
        orderSync: '受注連携設定',
        allocation: '在庫引当自動照会設定',
        bulkShipping: '受注一括出荷連携設定',
        shops: '店舗 (モール) ごとの設定',
        paymentMethods: '支払方法',
        products: '出品商品一覧',
      },
    },
    ec: {
      heading: 'EC受注・在庫連携設定',
      help: 'ECの受注をスマレジに登録するときの方法と、在庫・出荷・商品の連携方法を設定します。',
    },
    choices: {
      sync: '連携する',
      noSync: '連携しない',
      placeholder: '選択してください',
      emptyMeansUnset: '空欄にすると未設定になります。',
    },
    orderSync: {
      heading: '受注連携設定',
      syncEnclosures: {
        label: '■封入物商品連携',
        help: '受注に追加される封入物（チラシ・サンプル・ノベルティなど）を、受注明細としてスマレジに連携するかを設定します。[連携する]にすると封入物もスマレジで在庫引当され、在庫数を管理できます。封入物の在庫を管理しない場合は[連携しない]を選んでください。',
      },
      adjustmentProductCode: {
        label: '■調整額用商品番号',
        help: '受注に調整額（受注金額の手動での増減）があるときに使う商品番号です。プラスの調整額は、この商品番号・数量1・単価＝調整額の明細としてスマレジに登録されます。マイナスの調整額は明細にせず、プロモーション値引きとして登録されます。スマレジに登録済みの商品の商品コードを入力してください（保存するときにスマレジにあるか確認します）。',
      },
      dummyProductCode: {
        label: '■ダミー商品番号',
        help: '商品番号も商品管理番号も入っていない受注明細を、スマレジに登録するときに使う商品番号です。スマレジに登録済みの商品の商品コードを入力してください（保存するときにスマレジにあるか確認します）。',
      },
    },
    allocation: {
      heading: '在庫引当設定',
      shippingCsvUnallocated: {
        label: '■送り状・出荷CSV出力制御',
        include: '引当未完了の受注を出力する',
        exclude: '引当未完了の受注を出力しない',
        help: '送り状・出荷CSVを出力するときに、在庫引当が完了していない受注を含めるかを設定します。[出力しない]にすると、在庫を確保できていない商品の送り状を誤って発行するのを防げます。',
      },
      stockBasis: {
        label: '■在庫数合算設定',
        orderStoreWarehouse: '受注店舗の在庫数を使用する',
        allStores: '受注店舗とPOS店舗を合算した在庫数を使用する',
        help: '有効在庫数の計算に使うスマレジの在庫数を選びます。[受注店舗の在庫数を使用する]は、受注店舗に紐付けた倉庫の在庫数だけを使います。[受注店舗とPOS店舗を合算した在庫数を使用する]は、スマレジのすべての店舗の在庫数を合計して使います。実店舗の在庫もECで販売する場合に選んでください。',
      },
      effectiveStockMode: {
        label: '■有効在庫数計算設定',
        smaregiAllocation: '受注在庫引当数量で計算',
        omsPurchase: '受注購入数量で計算',
        recommended: '（推奨）',
        help: '有効在庫数（新しい受注に販売できる在庫数）の計算方法を選びます。[受注在庫引当数量で計算]は、スマレジの在庫数からスマレジで引当済みの数量を差し引きます。スマレジの引当結果に基づくため、通常はこちらをおすすめします。[受注購入数量で計算]は、在庫数から出荷前の受注の購入数量を差し引きます。',
      },
      recompute: {
        label: '在庫数の再計算',
        queued: '在庫数合算設定・有効在庫数計算設定の変更を反映する準備をしています',
        orders: '受注の引当状況を読み直しています ({done} / {total} 件)',
        stock: '商品の有効在庫数を計算し直しています ({done} / {total} 件)',
        plan: 'Renkei の引当を計画しています',
        succeeded: '反映しました (商品 {total} 件)',
        failed: '反映できませんでした: {error}',
        canceled: 'より新しい変更の反映に引き継ぎました',
      },
    },
    allocationInquiry: {
      heading: '在庫引当自動照会設定',
      help: 'スマレジの受注店舗で自動引当がOFFのときに使う設定です。受注が指定したステータスになると、スマレジに在庫引当を依頼して結果を照会します。',
      checking: '受注店舗の自動引当の設定を確認しています…',
      notApplicableTitle: 'この設定は対象外です',
      notApplicable:
        '紐付けられている受注店舗（{stores}）は、すべてスマレジの自動引当がONです。在庫引当はスマレジが受注登録時に自動で行うため、この設定は使われません。自動引当をOFFにした場合に設定してください。',
      applicable: '自動引当がOFFの受注店舗（{stores}）の受注に、この設定が使われます。',
      noMappedStores:
        'まだ受注店舗が紐付けられた店舗がありません。自動引当がOFFの受注店舗を使う場合は、この設定が必要です。',
      liveFailed:
        'スマレジの受注店舗を読み込めなかったため、自動引当のON/OFFを確認できません。設定はこのまま入力・保存できます。',
      triggerStatuses: {
        label: '■在庫引当自動照会対象ステータス',
        help: '受注がこのいずれかのステータスになったときに、スマレジに在庫引当を依頼します。複数選べます。',
      },
      allocatedStatus: {
        label: '■在庫引当完了後ステータス',
        help: 'すべての明細の在庫引当が完了した受注を、このステータスに変更します。引当できなかった明細がある場合はステータスを変えず、在庫が足りない明細をお知らせします。対象ステータスとは別のステータスを選んでください。',
      },
    },
    bulkShipping: {
      heading: '受注一括出荷連携設定',
      triggerStatus: {
        label: '■自動連携対象ステータス',
        help: 'このステータスの受注のうち、スマレジに登録済みで出荷日が入っているものを、スマレジでまとめて出荷済みにします。未設定の場合、一括出荷は自動では行いません。',
      },
    },
    productSync: {
      heading: '商品連携設定',
      enabled: {
        label: '■商品連携設定',
        help: '[連携する]にすると、出品商品一覧に商品連携の操作パネルが表示され、出品商品をスマレジの商品として登録・更新できます。スマレジの商品を書き込む権限が必要です。許可されていない場合は、「スマレジ連携 (アプリ認証)」で再度認証してください。',
      },
    },
    statuses: {
      loadFailed: '受注ステータスを読み込めませんでした。',
      none: '受注ステータスが登録されていません。',
      manage: '受注ステータスを登録する',
    },
    save: {
      button: '設定を保存する',
      unsaved: '保存されていない変更があります',
      saved: '設定を保存しました',
      started: '設定を保存し、連携を開始しました',
      stopped: '設定を保存し、連携を停止しました',
      noChanges: '変更された項目はありません',
    },
    leave: {
      title: '保存されていない変更があります',
      body: '変更した設定はまだ保存されていません。保存せずにこのページを離れますか？',
      confirm: '保存せずに離れる',
      stay: 'このページに留まる',
    },
    confirmStop: {
      title: '連携中です',
      body: '連携中は設定を変更できません。連携を停止して設定を保存しますか？',
      confirm: '連携を停止して保存する',
    },
  },
  en: {
    title: 'Smaregi integration settings',
    intro:
      'Start or stop the integration with Smaregi and choose how orders, stock and products are synchronised. Stop the integration before you change the settings.',
    loadFailed: 'The settings could not be loaded.',
    start: {
      heading: 'Start the Smaregi integration',
      help: 'Starts or stops order registration, stock allocation and shipping with Smaregi, all together. Keep it stopped until every setting is complete; then choose [Start the integration] and press [Save settings].',
      current: 'Current state',
      running: 'Running',
      stopped: 'Stopped',
      enable: 'Start the integration',
      disable: 'Stop the integration',
      saveHint: 'Your choice is saved with [Save settings] at the bottom of the page.',
    },
    refusal: {
      title: 'The integration could not start',
      body: 'These setup items are not complete. Fix each one on its screen, then choose [Start the integration] again and press [Save settings]. The changes on this page were not saved either.',
      liveError: 'Some items could not be checked because Smaregi could not be read: {message}',
      targets: 'Affected: {list}',
      separator: ', ',
      fixIn: 'Fix it in “{screen}”',
      fixInSmaregi: "Set it in Smaregi's admin (order store settings)",
      screens: {
        connection: 'Smaregi connection (app authorisation)',
        orderSync: 'Order sync',
        allocation: 'Automatic allocation inquiry',
        bulkShipping: 'Bulk shipping',
        shops: 'Shop (mall) settings',
        paymentMethods: 'Payment methods',
        products: 'Listed products',
      },
    },
    ec: {
      heading: 'EC order and stock settings',
      help: 'How EC orders are registered in Smaregi, and how stock, shipping and products are synchronised.',
    },
    choices: {
      sync: 'Sync',
      noSync: 'Do not sync',
      placeholder: 'Select',
      emptyMeansUnset: 'Leave empty for "not set".',
    },
    orderSync: {
      heading: 'Order sync',
      syncEnclosures: {
        label: 'Enclosure sync',
        help: 'Whether enclosures added to orders (flyers, samples, gifts) are sent to Smaregi as order lines. With [Sync], Smaregi allocates them too and their stock is managed. Choose [Do not sync] if you do not manage their stock.',
      },
      adjustmentProductCode: {
        label: 'Adjustment product code',
        help: 'Product code used when an order has an adjustment (a manual change of the order total). A positive adjustment is registered in Smaregi as a line with this code, quantity 1 and the amount as price; a negative one becomes a promotion discount instead. Enter the code of a product that exists in Smaregi (checked with Smaregi when you save).',
      },
      dummyProductCode: {
        label: 'Dummy product code',
        help: 'Product code used for order lines that have neither a product code nor a management number. Enter the code of a product that exists in Smaregi (checked with Smaregi when you save).',
      },
    },
    allocation: {
      heading: 'Stock allocation',
      shippingCsvUnallocated: {
        label: 'Shipping CSV for unallocated orders',
        include: 'Export orders whose allocation is incomplete',
        exclude: 'Do not export orders whose allocation is incomplete',
        help: 'Whether the shipping CSV includes orders whose stock is not fully allocated. Excluding them prevents printing labels for goods that are not reserved.',
      },
      stockBasis: {
        label: 'Stock basis',
        orderStoreWarehouse: "Use the order store's stock",
        allStores: 'Use the stock of the order store and the POS stores combined',
        help: "Which Smaregi stock the effective stock is computed from. The order store's stock is the stock of the warehouse linked to the order store; the combined stock is the total over every Smaregi store. Choose it when you also sell the stock of your physical stores online.",
      },
      effectiveStockMode: {
        label: 'Effective stock mode',
        smaregiAllocation: 'Compute from allocated quantities',
        omsPurchase: 'Compute from ordered quantities',
        recommended: ' (recommended)',
        help: 'How the effective stock (what can still be sold) is computed. From allocated quantities: Smaregi stock minus what Smaregi has allocated; based on Smaregi’s own allocation, recommended. From ordered quantities: stock minus the quantities of orders not yet shipped.',
      },
      recompute: {
        label: 'Stock recompute',
        queued: 'Getting ready to apply the changed stock settings',
        orders: 'Reading the allocation of the orders again ({done} / {total})',
        stock: "Recomputing the products' effective stock ({done} / {total})",
        plan: "Planning Renkei's allocation",
        succeeded: 'Applied ({total} products)',
        failed: 'Could not apply: {error}',
        canceled: 'Taken over by a newer change',
      },
    },
    allocationInquiry: {
      heading: 'Automatic allocation inquiry',
      help: 'Used when automatic allocation is OFF for a Smaregi order store. When an order enters one of the chosen statuses, Smaregi is asked to allocate its stock and the result is read back.',
      checking: "Checking the order stores' automatic allocation…",
      notApplicableTitle: 'These settings do not apply',
      notApplicable:
        'Automatic allocation is ON for every mapped order store ({stores}). Smaregi allocates stock when an order is registered, so these settings are not used. Set them if you switch automatic allocation OFF.',
      applicable: 'Used for orders of the order stores with automatic allocation OFF ({stores}).',
      noMappedStores:
        'No shop is mapped to an order store yet. These settings are needed for order stores with automatic allocation OFF.',
      liveFailed:
        "Smaregi's order stores could not be read, so automatic allocation cannot be checked. You can still edit and save these settings.",
      triggerStatuses: {
        label: 'Allocation inquiry statuses',
        help: 'When an order enters one of these statuses, Smaregi is asked to allocate its stock. You can choose several.',
      },
      allocatedStatus: {
        label: 'Status after allocation',
        help: 'Orders whose lines are all allocated move to this status. When a line cannot be allocated the status stays and the lines lacking stock are shown. Choose a status other than the inquiry statuses.',
      },
    },
    bulkShipping: {
      heading: 'Bulk shipping',
      triggerStatus: {
        label: 'Automatic shipping status',
        help: 'Orders in this status that are registered in Smaregi and have a shipping date are shipped in Smaregi in bulk. When not set, nothing is shipped automatically.',
      },
    },
    productSync: {
      heading: 'Product sync',
      enabled: {
        label: 'Product sync',
        help: 'With [Sync], the product list shows the product sync panel and listed products can be created and updated as Smaregi products. This needs write access to Smaregi products; if it was not granted, authorise again in “Smaregi connection (app authorisation)”.',
      },
    },
    statuses: {
      loadFailed: 'The order statuses could not be loaded.',
      none: 'No order status is registered.',
      manage: 'Register order statuses',
    },
    save: {
      button: 'Save settings',
      unsaved: 'There are unsaved changes',
      saved: 'Settings saved',
      started: 'Settings saved; the integration has started',
      stopped: 'Settings saved; the integration is stopped',
      noChanges: 'Nothing has changed',
    },
    leave: {
      title: 'There are unsaved changes',
      body: 'The changed settings are not saved yet. Leave this page without saving?',
      confirm: 'Leave without saving',
      stay: 'Stay on this page',
    },
    confirmStop: {
      title: 'The integration is running',
      body: 'Settings cannot be changed while the integration runs. Stop the integration and save the settings?',
      confirm: 'Stop the integration and save',
    },
  },
});
