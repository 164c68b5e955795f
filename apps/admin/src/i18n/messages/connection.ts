import { defineMessages } from '../define';

export default defineMessages({
  ja: {
    title: 'スマレジ連携 (アプリ認証)',
    intro:
      'Renkei をお使いのスマレジの契約に接続します。[認証]を押すとスマレジのログイン画面が開きます。ログインして[許可]を押すと、この画面に戻ります。',
    statusHeading: '認証状態',
    result: '結果：{label}',
    fields: {
      contractId: '契約ID',
      authorizedBy: '認証したユーザー',
      connectedAt: '認証日時',
      statusChangedAt: '状態の変更日時',
    },
    unknownUser: '記録がありません',
    unauthenticated: 'まだスマレジと接続されていません。[認証]から接続してください。',
    reauth: {
      title: 'スマレジとの接続をもう一度認証してください',
      body: 'スマレジが Renkei の認証を受け付けなくなりました。[再認証する]を押して、スマレジにログインし直し[許可]してください。再認証するまで、受注の送信と在庫の取得は止まっています。',
      reasonLine: '理由：{reason}',
      reasons: {
        invalid_grant: '認証の有効期限が切れたか、スマレジ側で取り消されました',
        unauthorized: 'スマレジが Renkei の認証を受け付けませんでした',
        invalid_client: 'アプリの設定がスマレジに受け付けられませんでした',
        insufficient_scope: '必要な権限 (スコープ) が許可されていません',
        other: 'スマレジが認証を受け付けませんでした (コード：{code})',
      },
    },
    scopes: {
      summary: '許可された権限 (スコープ) {count}件',
      none: '許可された権限はありません',
    },
    actions: {
      authorize: '認証',
      reauthorize: '再認証する',
      disconnect: '連携を解除する',
      redirecting: 'スマレジのログイン画面へ移動しています…',
      groupLabel: 'アプリ認証の操作',
    },
    activeHint:
      '権限 (スコープ) を追加したときやスマレジのユーザーを変えるときは、[再認証する]で認証し直せます。',
    startFailed: 'スマレジのログイン画面を開けませんでした',
    disconnect: {
      title: '連携を解除しますか？',
      body: '連携を解除すると、スマレジへの受注の送信と在庫の取得が止まります。設定や店舗・支払方法の紐付けは残ります。もう一度[認証]すると再開できます。',
      confirm: '連携を解除する',
      cancel: 'キャンセル',
      done: 'スマレジとの連携を解除しました',
      failed: '連携を解除できませんでした',
    },
    callback: {
      connected: 'スマレジとの連携が有効になりました。',
      errorTitle: 'スマレジ連携を完了できませんでした',
      reasons: {
        missingParameters:
          'スマレジから戻ってきた情報が足りませんでした。もう一度[認証]からやり直してください',
        unknownState:
          'この認証のリンクは無効か、すでに使われています。もう一度[認証]からやり直してください',
        replayed: 'この認証のリンクはすでに使われています。もう一度[認証]からやり直してください',
        expired:
          'スマレジでの認証に時間がかかりすぎたため、無効になりました。もう一度[認証]からやり直し、続けてログインと[許可]を済ませてください',
        wrongSession:
          'この認証のリンクは無効です。[認証]を押したのと同じブラウザで、同じユーザーのまま、もう一度[認証]からやり直してください',
        denied: 'スマレジで連携が許可されませんでした。もう一度[認証]からやり直してください',
        exchangeFailed:
          'スマレジで認証を確認できませんでした。しばらくしてから、もう一度[認証]からやり直してください',
        contractTaken:
          'このスマレジの契約は、すでに別の Renkei アカウントに連携されています。そちらの連携を解除するか、別のスマレジ契約のユーザーでログインしてください',
        other: 'スマレジ連携を完了できませんでした。もう一度[認証]からやり直してください',
      },
    },
    requirements: {
      heading: 'スマレジ側で必要なもの',
      contract: 'スマレジのアプリマーケットで、このアプリを契約していること (アプリ契約)',
      login:
        'スマレジの管理画面にログインでき、アプリの利用を許可できる権限を持つユーザー (契約の管理者など)',
      consent: '同意画面では、次の権限 (スコープ) の許可を求められます。すべて許可してください。',
      scopes: {
        products: '商品の参照 (商品連携設定を[連携する]にした場合は商品の登録・更新も)',
        stock: '在庫の参照',
        stores: '店舗・受注店舗の参照',
        transactions: '取引の参照 (支払方法の一覧)',
        orders: '受注の参照と登録・更新 (出荷・キャンセルを含む)',
      },
    },
  },
  en: {
    title: 'Smaregi connection (app authorisation)',
    intro:
      'Connects Renkei to your Smaregi contract. [認証] opens the Smaregi login; after you log in and press [許可] (allow), you come back to this screen.',
    statusHeading: 'Authorisation status',
    result: 'Result: {label}',
    fields: {
      contractId: 'Contract ID',
      authorizedBy: 'Authorised by',
      connectedAt: 'Authorised at',
      statusChangedAt: 'Status changed at',
    },
    unknownUser: 'Not recorded',
    unauthenticated: 'Not connected to Smaregi yet. Connect with [認証] (authorise).',
    reauth: {
      title: 'Authorise the Smaregi connection again',
      body: 'Smaregi no longer accepts the authorisation of Renkei. Press [再認証する] (re-authorise), log in to Smaregi again and press [許可]. Until then, no orders are sent and no stock is read.',
      reasonLine: 'Reason: {reason}',
      reasons: {
        invalid_grant: 'The authorisation expired or was revoked in Smaregi',
        unauthorized: 'Smaregi did not accept the authorisation of Renkei',
        invalid_client: 'Smaregi did not accept the app settings',
        insufficient_scope: 'A required scope is not granted',
        other: 'Smaregi did not accept the authorisation (code: {code})',
      },
    },
    scopes: {
      summary: 'Granted scopes ({count})',
      none: 'No scopes granted',
    },
    actions: {
      authorize: 'Authorise (認証)',
      reauthorize: 'Re-authorise',
      disconnect: 'Disconnect',
      redirecting: 'Opening the Smaregi login…',
      groupLabel: 'Authorisation actions',
    },
    activeHint:
      'After adding scopes or to use another Smaregi user, authorise again with [再認証する] (re-authorise).',
    startFailed: 'Could not open the Smaregi login',
    disconnect: {
      title: 'Disconnect from Smaregi?',
      body: 'After disconnecting, no orders are sent to Smaregi and no stock is read. Settings and the shop and payment method mappings are kept. Authorise again to resume.',
      confirm: 'Disconnect',
      cancel: 'Cancel',
      done: 'Disconnected from Smaregi',
      failed: 'Could not disconnect',
    },
    callback: {
      connected: 'The Smaregi connection is now active.',
      errorTitle: 'The Smaregi connection could not be completed',
      reasons: {
        missingParameters:
          'Smaregi sent back incomplete information. Please start again with [認証] (authorise)',
        unknownState:
          'This authorisation link is invalid or was already used. Please start again with [認証]',
        replayed: 'This authorisation link was already used. Please start again with [認証]',
        expired:
          'The authorisation in Smaregi took too long and expired. Please start again with [認証] and finish the login and [許可] right away',
        wrongSession:
          'This authorisation link is not valid here. Start again with [認証] in the same browser, signed in as the same user',
        denied: 'The connection was not allowed in Smaregi. Please start again with [認証]',
        exchangeFailed:
          'Smaregi could not confirm the authorisation. Please wait a moment and start again with [認証]',
        contractTaken:
          'This Smaregi contract is already connected to another Renkei account. Disconnect it there, or log in with a user of another Smaregi contract',
        other: 'The Smaregi connection could not be completed. Please start again with [認証]',
      },
    },
    requirements: {
      heading: 'What you need in Smaregi',
      contract: 'A contract for this app in the Smaregi app market (app contract)',
      login:
        'A user who can log in to the Smaregi admin and may allow apps (e.g. the contract administrator)',
      consent: 'The consent screen asks you to allow the following scopes. Allow all of them.',
      scopes: {
        products: 'Read products (and create / update them when product sync is set to [連携する])',
        stock: 'Read stock',
        stores: 'Read stores and order stores',
        transactions: 'Read transactions (the payment method list)',
        orders: 'Read, register and update orders (including shipping and cancelling)',
      },
    },
  },
});
