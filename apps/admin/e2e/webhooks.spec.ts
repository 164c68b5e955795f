import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { GUIDED, walkGuidedSetup } from './support/guided-setup';
import { importedProduct, omsIds, postOrder } from './support/order-life';
import { saveScreen } from './support/screens';
import { openMenu, toastsGone } from './support/setup-screens';

/*
 * Outbound webhooks from the merchant's side, against the real API, worker and Smaregi
 * simulator: a key issued with the scopes chosen for it, an endpoint added on the Webhook screen
 * pointing at a receiver this test runs, the order event delivered to it signed with the secret
 * shown once, the delivery in the endpoint's log, a re-delivery with the same event ID, and the
 * endpoint paused, changed and deleted, each in the 操作履歴.
 */

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1: records every request and answers 200. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/renkei`, received, server };
}

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the secret's key. */
function signatureValid(secret: string, r: Received): boolean {
  const id = String(r.headers['webhook-id']);
  const timestamp = String(r.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${id}.${timestamp}.${r.body}`)
    .digest('base64');
  return String(r.headers['webhook-signature'])
    .split(' ')
    .some((s) => s === `v1,${expected}`);
}

/**
 * Ticks an Element Plus check box as a merchant does, by its label (its input has no size of its
 * own), and waits until it is checked.
 */
async function tick(checkbox: Locator): Promise<void> {
  await checkbox.locator('xpath=ancestor::label[1]').click();
  await expect(checkbox).toBeChecked();
}

async function checkA11y(page: Page, name: string): Promise<void> {
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name });
  await saveScreen(page, name);
}

test('a merchant issues a scoped key, adds a webhook endpoint and sees an order event delivered, signed, logged and re-delivered', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(300_000);
  const receiver = await startReceiver();
  try {
    const merchant = await createMerchant({ intakeKey: true });
    await walkGuidedSetup(page, merchant);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);

    // APIキー: a key for the integration that manages webhooks and reads orders, nothing else.
    await openMenu(page, 'APIキー');
    await page.getByLabel('キーの名前').fill('連携ツール');
    await tick(page.getByRole('checkbox', { name: 'Webhook の管理' }));
    await tick(page.getByRole('checkbox', { name: '受注の参照' }));
    await page.getByRole('button', { name: 'APIキーを発行する' }).click();
    const keyDialog = page.getByRole('dialog', { name: 'APIキーを発行しました' });
    const key = await keyDialog.getByLabel('APIキー (連携ツール)').inputValue();
    await keyDialog.getByRole('button', { name: 'コピーしたので閉じる' }).click();
    const keyRow = page.locator(`tr[data-key="${key.slice(0, 8)}"]`);
    await expect(keyRow.locator('[data-scope]')).toHaveText(['受注の参照', 'Webhook の管理']);

    // Webhook: beside APIキー in the menu; a URL, a description and the events to receive.
    await openMenu(page, 'Webhook');
    await expect(page.getByText('送信先はまだありません。')).toBeVisible();
    await page.getByRole('button', { name: '送信先を追加する' }).click();
    await expect(page.getByText('URL を入力してください')).toBeVisible();
    await expect(page.getByText('イベントを1つ以上選んでください')).toBeVisible();
    await page.getByLabel('URL', { exact: true }).fill(receiver.url);
    await page.getByLabel('説明', { exact: true }).fill('受注連携の受信テスト');
    await tick(page.getByRole('checkbox', { name: '受注をスマレジに登録した' }));
    await tick(page.getByRole('checkbox', { name: '受注を出荷した' }));
    await page.getByRole('button', { name: '送信先を追加する' }).click();

    // The signing secret, shown this once, with a copy button.
    const secretDialog = page.getByRole('dialog', { name: '送信先を追加しました' });
    await expect(secretDialog).toContainText('署名用シークレットが表示されるのは今回だけです');
    const secret = await secretDialog
      .getByLabel(`署名用シークレット (${receiver.url})`)
      .inputValue();
    expect(secret).toMatch(/^whsec_/);
    await secretDialog.getByRole('button', { name: 'コピー', exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await checkA11y(page, 'webhook-secret');
    await secretDialog.getByRole('button', { name: 'コピーしたので閉じる' }).click();
    await expect(secretDialog).toBeHidden();
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    const endpointRow = page.locator(`tr[data-endpoint="${receiver.url}"]`);
    await expect(endpointRow).toContainText('有効');
    await expect(endpointRow).toContainText('受注連携の受信テスト');
    await expect(endpointRow.locator('[data-event]')).toHaveText([
      '受注をスマレジに登録した',
      '受注を出荷した',
    ]);
    await checkA11y(page, 'webhooks');

    // The integration reads the same endpoint with the key (and never its secret).
    const listed = await fetch(`${stack.apiUrl}/api/v1/webhook-endpoints`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(listed.status).toBe(200);
    const listedText = await listed.text();
    expect(listedText).toContain(receiver.url);
    expect(listedText).not.toContain(secret);

    // An order from the OMS is registered in Smaregi: order.synced reaches the receiver, signed.
    const product = await importedProduct(page);
    const ids = await omsIds(page, { shop: GUIDED.shop, paymentMethod: GUIDED.paymentMethod });
    await postOrder(stack, merchant, {
      ...ids,
      orderNumber: 'WH-E2E-0001',
      orderedAt: new Date().toISOString(),
      lines: [{ productCode: product.code, name: product.name, unitPrice: 3300, quantity: 1 }],
    });
    await expect
      .poll(() => receiver.received.length, { timeout: 90_000, intervals: [1_000] })
      .toBeGreaterThan(0);
    const first = receiver.received[0]!;
    const event = JSON.parse(first.body) as {
      type: string;
      data: { orderNumber: string; syncState: string };
    };
    expect(event.type).toBe('order.synced');
    expect(event.data.orderNumber).toBe('WH-E2E-0001');
    expect(signatureValid(secret, first)).toBe(true);
    expect(signatureValid(`whsec_${Buffer.from('another secret').toString('base64')}`, first)).toBe(
      false,
    );
    const eventId = String(first.headers['webhook-id']);

    // 配信履歴: the delivery with its result, HTTP status, duration and the answer's beginning.
    await page.getByRole('button', { name: `${receiver.url} の配信履歴を見る` }).click();
    await expect(
      page.getByRole('heading', { level: 2, name: `配信履歴: ${receiver.url}` }),
    ).toBeVisible();
    const delivery = page.locator('tr[data-delivery]').filter({ hasText: eventId });
    await expect(delivery).toHaveCount(1);
    await expect(delivery).toHaveAttribute('data-result', 'delivered');
    const cells = delivery.locator('td');
    await expect(cells.nth(1)).toContainText('受注をスマレジに登録した');
    await expect(cells.nth(2)).toHaveText('成功');
    await expect(cells.nth(3)).toHaveText('200');
    await expect(cells.nth(4)).toContainText('ミリ秒');
    await expect(cells.nth(5)).toHaveText('{"received":true}');
    await checkA11y(page, 'webhook-deliveries');

    // 再送: the same event, with the same ID, arrives again.
    const before = receiver.received.length;
    await delivery.getByRole('button', { name: `イベント ${eventId} を再送する` }).click();
    await expect(page.getByText(`イベント ${eventId} を再送します`)).toBeVisible();
    await expect
      .poll(() => receiver.received.length, { timeout: 60_000, intervals: [500] })
      .toBeGreaterThan(before);
    const again = receiver.received.at(-1)!;
    expect(again.headers['webhook-id']).toBe(eventId);
    expect(signatureValid(secret, again)).toBe(true);
    await expect(async () => {
      await page.reload();
      await expect(delivery).toHaveAttribute('data-result', 'delivered', { timeout: 1_000 });
      await expect(delivery.locator('td').nth(6)).toContainText('2 回', { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });

    // Pause, change, resume, delete (asked first).
    await page.getByRole('button', { name: `${receiver.url} への配信を一時停止する` }).click();
    await expect(page.getByText(`${receiver.url} への配信を一時停止しました`)).toBeVisible();
    await expect(endpointRow).toContainText('一時停止');
    await page.getByRole('button', { name: `${receiver.url} を編集する` }).click();
    const edit = page.getByRole('dialog', { name: '送信先を編集' });
    await tick(edit.getByRole('checkbox', { name: '有効在庫数が変わった' }));
    await edit.getByRole('button', { name: '保存する' }).click();
    await expect(edit).toBeHidden();
    await expect(endpointRow.locator('[data-event]')).toHaveText([
      '受注をスマレジに登録した',
      '受注を出荷した',
      '有効在庫数が変わった',
    ]);
    await page.getByRole('button', { name: `${receiver.url} への配信を再開する` }).click();
    await expect(endpointRow).toContainText('有効');
    await page.getByRole('button', { name: `${receiver.url} を削除する` }).click();
    const confirm = page.getByRole('dialog', { name: '送信先の削除' });
    await expect(confirm).toContainText('配信履歴も削除され');
    await confirm.getByRole('button', { name: '削除する', exact: true }).click();
    await expect(page.getByText(`送信先 ${receiver.url} を削除しました`)).toBeVisible();
    await expect(page.getByText('送信先はまだありません。')).toBeVisible();

    // 操作履歴: every change, in words.
    await openMenu(page, '操作履歴');
    for (const [action, words] of [
      ['webhook.create', 'Webhook の送信先を追加'],
      ['webhook.redeliver', 'Webhook を再送'],
      ['webhook.pause', 'Webhook の配信を一時停止'],
      ['webhook.update', 'Webhook の送信先を変更'],
      ['webhook.resume', 'Webhook の配信を再開'],
      ['webhook.delete', 'Webhook の送信先を削除'],
    ] as const) {
      const entry = page.locator(`tbody tr[data-action="${action}"]`);
      await expect(entry).toHaveCount(1);
      await expect(entry).toContainText(words);
    }
    await expect(page.locator('tbody tr[data-action="webhook.create"]')).toContainText(
      'イベント:受注をスマレジに登録した、受注を出荷した',
    );
    await expect(page.locator('tbody tr[data-action="webhook.update"]')).toContainText(
      '有効在庫数が変わった',
    );
    await expect(
      page.locator('tbody tr[data-action="webhook.create"]').getByRole('link', {
        name: `Webhook の送信先 ${receiver.url}`,
      }),
    ).toHaveAttribute('href', /^\/webhooks\?endpoint=/);
    await expect(page.locator('tbody tr[data-action="webhook.redeliver"]')).toContainText(
      '結果:成功→送信待ち',
    );
    expect(await page.content()).not.toContain(secret);
    await checkA11y(page, 'webhooks-audit');
  } finally {
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  }
});
