/** Minimal HTML escaping for the login and consent pages. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(title)} | スマレジ (シミュレーター)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;background:#f3f5f7;margin:0;color:#222}
main{max-width:28rem;margin:4rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.25rem;margin-top:0}label{display:block;margin:.75rem 0 .25rem;font-size:.9rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #bbb;border-radius:4px}
button{margin-top:1.25rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d6fc9;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#888}.error{color:#b00020}.note{font-size:.8rem;color:#666}ul{padding-left:1.2rem}
</style></head><body><main>${body}<p class="note">これはスマレジ・プラットフォームAPIのローカルシミュレーターです。</p></main></body></html>`;
}

/** The login form (契約ID, ログインID, パスワード), posted back to /authorize. */
export function loginPage(params: {
  transactionId: string;
  appName: string;
  error?: string;
  contractId?: string;
  loginId?: string;
}): string {
  return page(
    'ログイン',
    `<h1>スマレジにログイン</h1>
<p>「${escapeHtml(params.appName)}」がスマレジへのアクセスを求めています。</p>
${params.error ? `<p class="error" role="alert">${escapeHtml(params.error)}</p>` : ''}
<form method="post" action="/authorize">
<input type="hidden" name="step" value="login">
<input type="hidden" name="transaction_id" value="${escapeHtml(params.transactionId)}">
<label for="contract_id">契約ID</label><input type="text" id="contract_id" name="contract_id" value="${escapeHtml(params.contractId ?? '')}" required>
<label for="login_id">ログインID</label><input type="text" id="login_id" name="login_id" value="${escapeHtml(params.loginId ?? '')}" required>
<label for="password">パスワード</label><input type="password" id="password" name="password" required>
<button type="submit">ログイン</button>
</form>`,
  );
}

/** The 許可 screen listing the requested scopes. */
export function consentPage(params: {
  transactionId: string;
  appName: string;
  contractId: string;
  userName: string;
  scopes: readonly string[];
}): string {
  return page(
    'アクセスの許可',
    `<h1>アクセスの許可</h1>
<p>${escapeHtml(params.userName)} さん(契約ID: ${escapeHtml(params.contractId)})</p>
<p>「${escapeHtml(params.appName)}」に次の権限を許可しますか?</p>
<ul>${params.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
<form method="post" action="/authorize">
<input type="hidden" name="step" value="consent">
<input type="hidden" name="transaction_id" value="${escapeHtml(params.transactionId)}">
<button type="submit" name="decision" value="allow">許可する</button>
<button type="submit" name="decision" value="deny" class="secondary">許可しない</button>
</form>`,
  );
}

/** An error page for requests that cannot be redirected back (unknown client or redirect URI). */
export function errorPage(message: string): string {
  return page('エラー', `<h1>エラー</h1><p class="error" role="alert">${escapeHtml(message)}</p>`);
}
