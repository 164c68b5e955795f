import { createI18n } from 'vue-i18n';
import apiKeys from './messages/apiKeys';
import audit from './messages/audit';
import auth from './messages/auth';
import common from './messages/common';
import connection from './messages/connection';
import dashboard from './messages/dashboard';
import orders from './messages/orders';
import orderImport from './messages/orderImport';
import orderPayload from './messages/orderPayload';
import orderStatuses from './messages/orderStatuses';
import paymentMethods from './messages/paymentMethods';
import products from './messages/products';
import settings from './messages/settings';
import shippingCsv from './messages/shippingCsv';
import shops from './messages/shops';
import syncLog from './messages/syncLog';
import webhooks from './messages/webhooks';

/*
 * Every string the merchant reads goes through vue-i18n (no literal UI text in components).
 * Japanese is the default; English is the second language. One file per feature under messages/,
 * each holding both languages side by side so a missing translation is a compile error.
 */

export const LOCALES = ['ja', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const features = {
  common,
  auth,
  dashboard,
  connection,
  settings,
  shops,
  paymentMethods,
  orderStatuses,
  products,
  orders,
  orderPayload,
  shippingCsv,
  orderImport,
  syncLog,
  audit,
  apiKeys,
  webhooks,
};

type Features = typeof features;
const pick = <L extends Locale>(locale: L) =>
  Object.fromEntries(Object.entries(features).map(([k, v]) => [k, v[locale]])) as {
    [K in keyof Features]: Features[K][L];
  };

export type MessageSchema = ReturnType<typeof pick<'ja'>>;

const STORAGE_KEY = 'renkei.locale';

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'ja' || saved === 'en') return saved;
  } catch {
    // Storage can be disabled; Japanese is the default.
  }
  return 'ja';
}

export function createAdminI18n(locale: Locale = initialLocale()) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'ja',
    messages: { ja: pick('ja'), en: pick('en') as unknown as MessageSchema },
    datetimeFormats: {
      ja: {
        // 2026/11/30 17:05 (Japan time: merchants read Smaregi's times in JST)
        dateTime: {
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          timeZone: 'Asia/Tokyo',
        },
        date: { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Tokyo' },
      },
      en: {
        dateTime: {
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZone: 'Asia/Tokyo',
          timeZoneName: 'short',
        },
        date: { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'Asia/Tokyo' },
      },
    },
    numberFormats: {
      ja: { yen: { style: 'currency', currency: 'JPY' }, count: { style: 'decimal' } },
      en: { yen: { style: 'currency', currency: 'JPY' }, count: { style: 'decimal' } },
    },
  });
}

export type AdminI18n = ReturnType<typeof createAdminI18n>;

/** Remembers the merchant's choice of language and tells the browser (`<html lang>`). */
export function rememberLocale(value: Locale): void {
  document.documentElement.lang = value;
  try {
    localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // Not saved: the choice lasts for this page only.
  }
}
