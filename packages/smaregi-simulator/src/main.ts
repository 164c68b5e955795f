/**
 * `pnpm simulator`: starts the simulator with the demo data on fixed ports. The environment is
 * read here and only here (validated with zod); the library itself takes options.
 */
import {
  ConfigError,
  DEMO_SIMULATOR,
  DEMO_SMAREGI_APP,
  parseEnv,
  port as anyPort,
  processEnv,
} from '@renkei/config';
import { z } from 'zod';
import {
  DEFAULT_REDIRECT_URIS,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_LOGIN,
  DEMO_PRODUCT_CODES,
  DEMO_STORE_IDS,
} from './constants.js';
import { startSimulator } from './simulator.js';

const port = (fallback: number) => anyPort(fallback).pipe(z.number().min(1));
const envSchema = z.object({
  SMAREGI_SIM_ID_PORT: port(DEMO_SIMULATOR.idPort),
  SMAREGI_SIM_API_PORT: port(DEMO_SIMULATOR.apiPort),
  SMAREGI_SIM_HOST: z.string().default(DEMO_SIMULATOR.host),
  SMAREGI_SIM_SEED: z.string().default('1'),
  SMAREGI_SIM_REDIRECT_URIS: z
    .string()
    .default(DEFAULT_REDIRECT_URIS.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .refine((list) => list.length > 0 && list.every((u) => URL.canParse(u)), {
      error: 'SMAREGI_SIM_REDIRECT_URIS はカンマ区切りのURLで指定してください',
    }),
  // The demo app's webhook settings (開発者ポータル: 環境設定 / Webhook), like the default redirect
  // URI above: they point at Renkei's demo API so that `pnpm start` is wired end to end.
  // `off` disables webhooks.
  SMAREGI_SIM_WEBHOOK_URL: z
    .string()
    .default('http://localhost:3000/webhooks/smaregi')
    .transform((v) => (v.trim() === '' || v.trim() === 'off' ? undefined : v.trim()))
    .refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), {
      error: 'SMAREGI_SIM_WEBHOOK_URL はhttp(s)のURL、または off で指定してください',
    }),
  // The demo app's 利用者契約通知先URL: app subscription notices, apart from webhooks.
  SMAREGI_SIM_APP_SUBSCRIPTION_URL: z
    .string()
    .default('http://localhost:3000/webhooks/smaregi/app-subscription')
    .transform((v) => (v.trim() === '' || v.trim() === 'off' ? undefined : v.trim()))
    .refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), {
      error: 'SMAREGI_SIM_APP_SUBSCRIPTION_URL はhttp(s)のURL、または off で指定してください',
    }),
  SMAREGI_SIM_WEBHOOK_SECRET_HEADER: z.string().min(1).default(DEMO_SMAREGI_APP.webhookHeader),
  SMAREGI_SIM_WEBHOOK_SECRET: z.string().min(1).default(DEMO_SMAREGI_APP.webhookSecret),
  SMAREGI_SIM_POS_ACTIVITY_SECONDS: z.coerce
    .number()
    .min(0)
    .max(3600)
    .default(0)
    .describe('0 = off; otherwise one emulated register sale every N seconds'),
  SMAREGI_SIM_RATE_LIMITS: z
    .string()
    .default('10,4')
    .transform((v, c) => {
      if (v === 'off') return false as const;
      const m = /^(\d+),(\d+)$/.exec(v);
      if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
        c.addIssue({
          code: 'custom',
          message:
            'SMAREGI_SIM_RATE_LIMITS は "読み取り/秒,書き込み/秒" または off で指定してください',
        });
        return z.NEVER;
      }
      return { readsPerSecond: Number(m[1]), writesPerSecond: Number(m[2]) };
    }),
});

async function main(): Promise<void> {
  let env;
  try {
    env = parseEnv(envSchema, processEnv());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`環境変数エラー ${error.message}`);
    process.exit(1);
  }
  const sim = await startSimulator({
    idPort: env.SMAREGI_SIM_ID_PORT,
    apiPort: env.SMAREGI_SIM_API_PORT,
    host: env.SMAREGI_SIM_HOST,
    seed: env.SMAREGI_SIM_SEED,
    redirectUris: env.SMAREGI_SIM_REDIRECT_URIS,
    rateLimits: env.SMAREGI_SIM_RATE_LIMITS,
    log: (message) => console.log(`[${new Date().toISOString()}] ${message}`),
    ...(env.SMAREGI_SIM_WEBHOOK_URL
      ? {
          webhook: {
            url: env.SMAREGI_SIM_WEBHOOK_URL,
            secretHeaderName: env.SMAREGI_SIM_WEBHOOK_SECRET_HEADER,
            secretHeaderValue: env.SMAREGI_SIM_WEBHOOK_SECRET,
          },
        }
      : {}),
    ...(env.SMAREGI_SIM_APP_SUBSCRIPTION_URL
      ? { appSubscriptionUrl: env.SMAREGI_SIM_APP_SUBSCRIPTION_URL }
      : {}),
  });
  if (env.SMAREGI_SIM_POS_ACTIVITY_SECONDS > 0) {
    sim.control.startPosActivity({
      intervalMs: Math.round(env.SMAREGI_SIM_POS_ACTIVITY_SECONDS * 1000),
    });
  }
  const summary = sim.control.summary();
  console.log(`スマレジ シミュレーター started (seed ${env.SMAREGI_SIM_SEED})
  ID host   ${sim.idBaseUrl}    (/authorize, /authorize/token, /userinfo, /app/{contract_id}/token)
  API host  ${sim.apiBaseUrl}    (/${DEMO_CONTRACT_ID}/pos/..., /${DEMO_CONTRACT_ID}/order-shipment/...)
  Control   ${sim.apiBaseUrl}/__sim  (journal, faults, POS activity, webhooks)

  contract ID     ${DEMO_CONTRACT_ID}
  client ID       ${DEMO_CLIENT_ID}
  client secret   ${DEMO_CLIENT_SECRET}
  login           契約ID ${DEMO_LOGIN.contractId} / ログインID ${DEMO_LOGIN.loginId} / パスワード ${DEMO_LOGIN.password}
  redirect URIs   ${env.SMAREGI_SIM_REDIRECT_URIS.join(', ')}
  webhook         ${env.SMAREGI_SIM_WEBHOOK_URL ? `${env.SMAREGI_SIM_WEBHOOK_URL} (header ${env.SMAREGI_SIM_WEBHOOK_SECRET_HEADER})` : 'off (SMAREGI_SIM_WEBHOOK_URL=off)'}
  app subscription ${env.SMAREGI_SIM_APP_SUBSCRIPTION_URL ?? 'off (SMAREGI_SIM_APP_SUBSCRIPTION_URL=off)'} (no secret header)
  POS activity    ${env.SMAREGI_SIM_POS_ACTIVITY_SECONDS > 0 ? `one register sale every ${env.SMAREGI_SIM_POS_ACTIVITY_SECONDS} s` : 'off (SMAREGI_SIM_POS_ACTIVITY_SECONDS)'}
  rate limits     ${env.SMAREGI_SIM_RATE_LIMITS === false ? 'off' : `${env.SMAREGI_SIM_RATE_LIMITS.readsPerSecond} reads/s, ${env.SMAREGI_SIM_RATE_LIMITS.writesPerSecond} writes/s per app and contract`}

  demo data       ${summary.products} products, ${summary.categories} categories, ${summary.posStores} POS stores/warehouses, ${summary.orderStores} 受注店舗, ${summary.paymentMethods} payment methods
  stores          渋谷店 ${DEMO_STORE_IDS.shibuya}, 吉祥寺店 ${DEMO_STORE_IDS.kichijoji}, 梅田店 ${DEMO_STORE_IDS.umeda}, 東京倉庫 ${DEMO_STORE_IDS.warehouse}
                  受注店舗 税込 ${DEMO_STORE_IDS.orderStoreIncluded} (引当 手動), 税別 ${DEMO_STORE_IDS.orderStoreExcluded} (自動引当)
  product codes   調整額 ${DEMO_PRODUCT_CODES.adjustment}, ダミー ${DEMO_PRODUCT_CODES.dummy}`);

  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    console.error(
      `ポートが使用中です (${e.message})。SMAREGI_SIM_ID_PORT / SMAREGI_SIM_API_PORT を変えてください`,
    );
  } else {
    console.error('シミュレーターを起動できませんでした', error);
  }
  process.exit(1);
});
