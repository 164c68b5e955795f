import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  webhookAddressRefusal,
  webhookUrlPolicy,
  webhookUrlRefusal,
  type WebhookUrlPolicy,
  type WebhookUrlRefusal,
} from '@renkei/domain';
import type { AppDeps } from '../deps.js';
import { fieldError, invalid } from '../errors.js';

/*
 * The URL of a webhook endpoint, checked when the merchant registers or changes it (the domain's
 * rule, packages/domain/src/webhook-url.ts). Where private addresses are refused (production,
 * unless self-hosted), the host name is also resolved here and every address it resolves to is
 * judged, so that a name pointing into the private network is refused at once, naming the field,
 * rather than failing every delivery later (the worker judges the addresses again when it
 * connects: a name may change what it resolves to).
 */

/** The addresses a host name resolves to (all of them, IPv4 and IPv6). */
export type HostResolver = (host: string) => Promise<string[]>;

const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The URL policy of this API process: strict in production unless the self-hosted switch is on. */
export function webhookPolicyOf(config: AppDeps['config']): WebhookUrlPolicy {
  return webhookUrlPolicy({
    production: config.env.NODE_ENV === 'production',
    allowPrivateUrls: config.env.RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS === true,
  });
}

const MESSAGES: Record<WebhookUrlRefusal, { ja: string; en: string }> = {
  invalidUrl: {
    ja: 'URL は https://example.com/webhooks のような形で入力してください',
    en: 'Enter a URL such as https://example.com/webhooks',
  },
  scheme: {
    ja: 'URL は https:// (または http://) で始めてください',
    en: 'The URL must start with https:// (or http://)',
  },
  httpsRequired: {
    ja: 'URL は https:// で始めてください (暗号化されない http:// は使えません)',
    en: 'The URL must use https:// (unencrypted http:// is not allowed)',
  },
  credentials: {
    ja: 'URL にユーザー名やパスワードを含めないでください',
    en: 'The URL must not contain a user name or password',
  },
  loopback: {
    ja: 'この URL はサーバー自身 (localhost・ループバックアドレス) を指しているため登録できません',
    en: 'The URL points at the server itself (localhost or a loopback address) and cannot be used',
  },
  private: {
    ja: 'この URL はプライベートネットワークのアドレスを指しているため登録できません',
    en: 'The URL points at a private network address and cannot be used',
  },
  linkLocal: {
    ja: 'この URL はリンクローカルアドレスを指しているため登録できません',
    en: 'The URL points at a link-local address and cannot be used',
  },
  sharedAddress: {
    ja: 'この URL は共有アドレス空間 (100.64.0.0/10) を指しているため登録できません',
    en: 'The URL points at the shared address space (100.64.0.0/10) and cannot be used',
  },
  multicast: {
    ja: 'この URL はマルチキャストアドレスを指しているため登録できません',
    en: 'The URL points at a multicast address and cannot be used',
  },
  metadata: {
    ja: 'この URL はクラウドのメタデータサービスを指しているため登録できません',
    en: "The URL points at a cloud's metadata service and cannot be used",
  },
  reserved: {
    ja: 'この URL はインターネット上で使えないアドレスを指しているため登録できません',
    en: 'The URL points at an address that is not on the public internet and cannot be used',
  },
};

/** The refusal of the `url` field (the address it resolved to, when a name led there). */
function refused(refusal: WebhookUrlRefusal, resolved?: { host: string; address: string }) {
  const message = MESSAGES[refusal];
  const via =
    resolved === undefined
      ? { ja: '', en: '' }
      : {
          ja: ` (${resolved.host} は ${resolved.address} に解決されます)`,
          en: ` (${resolved.host} resolves to ${resolved.address})`,
        };
  return invalid([fieldError('url', `${message.ja}${via.ja}`, `${message.en}${via.en}`)]);
}

/**
 * The URL to register (trimmed), or a BAD_REQUEST naming `url`: the domain's rule under this
 * process's policy, then, where private addresses are refused, every address of the host name.
 * A name that does not resolve is refused there too: nothing could be delivered to it.
 */
export async function checkWebhookUrl(
  deps: Pick<AppDeps, 'config'>,
  raw: string,
  resolve: HostResolver = systemResolver,
): Promise<string> {
  const url = raw.trim();
  const policy = webhookPolicyOf(deps.config);
  const refusal = webhookUrlRefusal(url, policy);
  if (refusal !== null) throw refused(refusal);
  if (policy.allowPrivateAddresses) return url;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(host) !== 0) return url;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0)
    throw invalid([
      fieldError(
        'url',
        `ホスト名 ${host} のアドレスが見つかりません。URL を確認してください`,
        `The host name ${host} does not resolve; check the URL`,
      ),
    ]);
  for (const address of addresses) {
    const byAddress = webhookAddressRefusal(address, policy);
    if (byAddress !== null) throw refused(byAddress, { host, address });
  }
  return url;
}
