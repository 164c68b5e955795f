import { defineMessages } from '../define';

/* APIキー: the keys an OMS uses with Renkei's REST API v1, each with the scopes chosen for it. */
export default defineMessages({
  ja: {
    intro:
      'OMS などが Renkei の REST API (受注の登録・参照、在庫の参照、Webhook の管理) を使うときのキーです。連携するシステムごとに必要な権限だけを選んで発行し、使わなくなったキーは無効化してください。',
    create: {
      heading: 'APIキーを発行',
      name: 'キーの名前',
      namePlaceholder: '例: 基幹OMS',
      nameHelp: 'どの OMS で使うキーか分かる名前を付けてください (100文字まで)。',
      nameRequired: 'キーの名前を入力してください',
      nameTooLong: 'キーの名前は100文字以内で入力してください',
      scopes: '権限',
      scopesHelp:
        'このキーでできることを選んでください。必要なものだけを選ぶと、キーが漏れたときの影響を小さくできます。',
      scopesRequired: '権限を1つ以上選んでください',
      submit: 'APIキーを発行する',
      failed: 'APIキーを発行できませんでした',
    },
    created: {
      title: 'APIキーを発行しました',
      warning: 'このキーが表示されるのは今回だけです',
      warningBody:
        'Renkei はキーそのものを保存していないため、この画面を閉じると二度と表示できません。今すぐコピーして、OMS の設定に貼り付けてください。なくした場合は、新しいキーを発行して古いキーを無効化してください。',
      keyLabel: 'APIキー ({name})',
      copy: 'コピー',
      copied: 'コピーしました',
      copyFailed: 'コピーできませんでした。キーを選択してコピーしてください',
      close: 'コピーしたので閉じる',
    },
    listHeading: '発行済みのAPIキー',
    empty: 'APIキーはまだありません。',
    loadFailed: 'APIキーを読み込めませんでした',
    columns: {
      name: '名前',
      prefix: 'キーの先頭',
      scopes: '権限',
      createdAt: '発行日時',
      lastUsedAt: '最終利用日時',
      state: '状態',
      actions: '操作',
    },
    /** The words of each scope (views/api-keys/api-keys.ts maps `orders:write` to ordersWrite). */
    scopes: {
      ordersWrite: '受注の登録・変更',
      ordersRead: '受注の参照',
      stockRead: '在庫の参照',
      webhooksManage: 'Webhook の管理',
    },
    scopeHints: {
      ordersWrite: '受注を送る・受注ステータスや出荷日を変える (POST / PATCH /api/v1/orders)',
      ordersRead: '受注と連携の状態を読む (GET /api/v1/orders)',
      stockRead: '有効在庫数を読む (GET /api/v1/stock)',
      webhooksManage: 'Webhook の送信先を登録・変更する (/api/v1/webhook-endpoints)',
    },
    never: '未使用',
    active: '有効',
    revokedAt: '無効化済み ({at})',
    revoke: '無効化する',
    revokeLabel: 'APIキー「{name}」を無効化する',
    revokeConfirm:
      'APIキー「{name}」({prefix}…) を無効化します。このキーを使っている OMS からの受注は、すぐに受け付けられなくなります。元に戻すことはできません。',
    revokeTitle: 'APIキーの無効化',
    revokeOk: '無効化する',
    revoked: 'APIキー「{name}」を無効化しました',
    revokeFailed: 'APIキーを無効化できませんでした',
  },
  en: {
    intro:
      "Keys an OMS or another system uses with Renkei's REST API (sending and reading orders, reading stock, managing webhooks). Create one per system with only the scopes it needs, and revoke keys no longer used.",
    create: {
      heading: 'Create an API key',
      name: 'Key name',
      namePlaceholder: 'e.g. Main OMS',
      nameHelp: 'A name that tells which OMS uses the key (up to 100 characters).',
      nameRequired: 'Enter a name for the key',
      nameTooLong: 'The key name must be at most 100 characters',
      scopes: 'Scopes',
      scopesHelp:
        'Choose what this key may do. Choosing only what is needed limits the harm if the key leaks.',
      scopesRequired: 'Choose at least one scope',
      submit: 'Create API key',
      failed: 'The API key could not be created',
    },
    created: {
      title: 'API key created',
      warning: 'This key is shown only this once',
      warningBody:
        'Renkei does not keep the key itself, so it cannot be shown again once this window is closed. Copy it now and paste it into your OMS. If it is lost, create a new key and revoke the old one.',
      keyLabel: 'API key ({name})',
      copy: 'Copy',
      copied: 'Copied',
      copyFailed: 'Could not copy. Select the key and copy it',
      close: 'I have copied it, close',
    },
    listHeading: 'API keys',
    empty: 'No API key yet.',
    loadFailed: 'The API keys could not be loaded',
    columns: {
      name: 'Name',
      prefix: 'Key begins with',
      scopes: 'Scopes',
      createdAt: 'Created',
      lastUsedAt: 'Last used',
      state: 'State',
      actions: 'Actions',
    },
    scopes: {
      ordersWrite: 'Create and change orders',
      ordersRead: 'Read orders',
      stockRead: 'Read stock',
      webhooksManage: 'Manage webhooks',
    },
    scopeHints: {
      ordersWrite:
        'Send orders, change their status or shipping date (POST / PATCH /api/v1/orders)',
      ordersRead: 'Read orders and where they stand (GET /api/v1/orders)',
      stockRead: 'Read effective stock (GET /api/v1/stock)',
      webhooksManage: 'Register and change webhook endpoints (/api/v1/webhook-endpoints)',
    },
    never: 'Never',
    active: 'Active',
    revokedAt: 'Revoked ({at})',
    revoke: 'Revoke',
    revokeLabel: 'Revoke API key "{name}"',
    revokeConfirm:
      'Revoke API key "{name}" ({prefix}…)? Orders sent with it are refused at once. This cannot be undone.',
    revokeTitle: 'Revoke API key',
    revokeOk: 'Revoke',
    revoked: 'API key "{name}" revoked',
    revokeFailed: 'The API key could not be revoked',
  },
});
