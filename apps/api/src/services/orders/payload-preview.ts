import {
  fixLocationOfProblem,
  problemMessage,
  unsendableOutcome,
  type DetailSource,
  type DetailSourceKind,
} from '@renkei/domain';
import {
  orderPayloadNow,
  orderRegistrationKey,
  parseSettings,
  problemInMerchantWords,
  sentBodyReachedSmaregi,
  sentRegistrationOf,
  type Operation,
  type Order,
  type SentOrderBody,
} from '@renkei/persistence';
import type { TenantScope } from '../scope.js';
import { getOrder } from './views.js';

/*
 * The order page's payload: what was sent to Smaregi's 受注登録 — the exact body, kept on the
 * registration's ledger row by the worker with the in-flight mark (persistence's
 * `SentRegistration`) — and the payload Renkei would send now with the current settings and
 * mappings, built by the same code and from the same stored facts as the worker's registration
 * (persistence's `orderPayloadNow`), with the fields where the two differ. Each detail line of
 * either is labelled with where it came from by one function, from the domain's `detailSources`.
 */

/** One detail line as sent (or to be sent), and where it came from (never sent). */
export interface PreviewLine {
  productId: string;
  productCode: string;
  productName: string;
  salesPrice: number;
  quantity: number;
  /** Where it came from; null when not known (a body kept without its sources). */
  source: DetailSourceKind | null;
  /** The merchant's line it came from (its 行番号); null for the 調整額 line. */
  lineNo: number | null;
  /** The merchant's line is a 封入物 (also when it goes out as the ダミー商品). */
  isEnclosure: boolean;
}

/** The header fields of the body (everything but `details`), as scalars. */
export type PayloadHeader = Record<string, string | number | boolean | null>;

/** How the kept body fared: what the ledger row says of the attempt that sent it. */
export type SentOutcome =
  /** Smaregi registered it. */
  | 'registered'
  /** Smaregi refused it (the reason is on the order). */
  | 'refused'
  /** Refused because another order holds the order code (held until the code changes). */
  | 'codeInUse'
  /** No answer was read (timeout, 5xx): Renkei reads Smaregi before sending again. */
  | 'unknown'
  /** Being sent now. */
  | 'inFlight';

/** A line that differs between what was sent and what would be sent now (`line`: 1-based). */
export interface PayloadDifference {
  field: string;
  /** The detail line (1-based) for a line's field; null for a header field. */
  line: number | null;
  sent: string | number | boolean | null;
  now: string | number | boolean | null;
}

const DETAIL_FIELDS = [
  'productId',
  'productCode',
  'productName',
  'salesPrice',
  'quantity',
] as const;

/**
 * Labels detail lines with where they came from: `sources[i]` for `details[i]` (the domain's
 * `detailSources`), the merchant's line by its index among the order's lines. Without sources
 * for every line (a body kept without them), no line is labelled rather than a wrong one.
 */
function labelledLines(
  order: Order,
  details: readonly {
    productId: string;
    productCode?: string | undefined;
    productName?: string | undefined;
    salesPrice: number;
    quantity: number;
  }[],
  sources: readonly DetailSource[],
): PreviewLine[] {
  const lines = [...order.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo);
  const known = sources.length === details.length;
  return details.map((detail, i): PreviewLine => {
    const source = known ? (sources[i] ?? null) : null;
    const line =
      source === null || source.kind === 'adjustment' ? undefined : lines[source.lineIndex];
    return {
      productId: detail.productId,
      productCode: detail.productCode ?? '',
      productName: detail.productName ?? '',
      salesPrice: detail.salesPrice,
      quantity: detail.quantity,
      source: source?.kind ?? null,
      lineNo: line?.lineNo ?? null,
      isEnclosure: line?.isEnclosure ?? false,
    };
  });
}

function headerOf(body: SentOrderBody | Record<string, unknown>): PayloadHeader {
  const header: PayloadHeader = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'details') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      header[key] = value as PayloadHeader[string];
  }
  return header;
}

/** The fields where what was sent and what would be sent now differ, header first. */
function differencesOf(
  sent: { header: PayloadHeader; lines: PreviewLine[] },
  now: { header: PayloadHeader; lines: PreviewLine[] },
): PayloadDifference[] {
  const out: PayloadDifference[] = [];
  const keys = new Set([...Object.keys(sent.header), ...Object.keys(now.header)]);
  for (const field of keys) {
    const a = sent.header[field] ?? null;
    const b = now.header[field] ?? null;
    if (a !== b) out.push({ field, line: null, sent: a, now: b });
  }
  const count = Math.max(sent.lines.length, now.lines.length);
  for (let i = 0; i < count; i++) {
    const a = sent.lines[i];
    const b = now.lines[i];
    if (a === undefined || b === undefined) {
      // A line only one side has: named by its product.
      const name = (l: PreviewLine | undefined) => (l === undefined ? null : l.productCode);
      out.push({ field: 'line', line: i + 1, sent: name(a), now: name(b) });
      continue;
    }
    for (const field of DETAIL_FIELDS)
      if (a[field] !== b[field]) out.push({ field, line: i + 1, sent: a[field], now: b[field] });
  }
  return out;
}

const OUTCOME: Record<Operation['state'], SentOutcome> = {
  succeeded: 'registered',
  failed: 'refused',
  pending: 'codeInUse',
  unknown: 'unknown',
  in_flight: 'inFlight',
};

/** The body kept on the order's registration row, labelled; null when none reached Smaregi. */
async function sentPayload(scope: TenantScope, order: Order) {
  const row = await scope.repos.operations.findByKey(
    'registerOrder',
    orderRegistrationKey(order.id),
  );
  if (row === null || !sentBodyReachedSmaregi(row.state, row.payload)) return null;
  const sent = sentRegistrationOf(row.payload);
  if (sent === null) return null;
  return {
    at: sent.at,
    outcome: OUTCOME[row.state],
    header: headerOf(sent.body),
    lines: labelledLines(order, sent.body.details, sent.detailSources),
  };
}

/**
 * The order's payload: what was sent (`sent`, null before anything reached Smaregi or when it was
 * sent before bodies were kept), and what would be sent now — the payload, or every reason it
 * cannot be sent — with `differences` from what was sent (null when there is nothing to compare).
 */
export async function payloadPreview(scope: TenantScope, id: string) {
  const order = await getOrder(scope, id);
  const settings = parseSettings(await scope.repos.settings.get());
  const [built, sent] = await Promise.all([
    orderPayloadNow(scope.repos, order, settings),
    sentPayload(scope, order),
  ]);
  if (!built.ok) {
    return {
      ok: false as const,
      // 保留 (fixed elsewhere, then sent by itself) or エラー (the order itself must change).
      outcome: unsendableOutcome(built.problems),
      problems: built.problems.map((p) => {
        const ref = problemInMerchantWords(p, order);
        return {
          code: p.code,
          field: p.field,
          lineNo: p.lineIndex === undefined ? null : p.lineIndex + 1,
          message: problemMessage(ref.code, ref.params),
          fixAt: fixLocationOfProblem(p.code),
        };
      }),
      sent,
      differences: null,
    };
  }
  const { details, ...header } = built.payload;
  const now = {
    header: headerOf(header),
    lines: labelledLines(order, details, built.detailSources),
  };
  return {
    ok: true as const,
    header,
    lines: now.lines,
    sent,
    differences: sent === null ? null : differencesOf(sent, now),
  };
}
