import {
  fixLocationOfProblem,
  problemMessage,
  unsendableOutcome,
  type DetailSourceKind,
} from '@renkei/domain';
import { orderPayloadNow, parseSettings, problemInMerchantWords } from '@renkei/persistence';
import type { TenantScope } from '../scope.js';
import { getOrder } from './views.js';

/*
 * The order page's preview: the payload Renkei would send for the order now, with the current
 * settings and mappings, built by the same code and from the same stored facts as the worker's
 * registration (persistence's `orderPayloadNow`). The payload actually sent is not kept: the
 * ledger row keeps only where it went, its order code and a fingerprint of its lines and total.
 */

/** One detail line of the preview: what is sent, and where it came from (never sent). */
export interface PreviewLine {
  productId: string;
  productCode: string;
  productName: string;
  salesPrice: number;
  quantity: number;
  source: DetailSourceKind;
  /** The merchant's line it came from (its 行番号); null for the 調整額 line. */
  lineNo: number | null;
  /** The merchant's line is a 封入物 (also when it goes out as the ダミー商品). */
  isEnclosure: boolean;
}

/** The payload for the order as it would be sent now, or every reason it cannot be sent. */
export async function payloadPreview(scope: TenantScope, id: string) {
  const order = await getOrder(scope, id);
  const settings = parseSettings(await scope.repos.settings.get());
  const built = await orderPayloadNow(scope.repos, order, settings);
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
    };
  }
  const lines = [...order.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo);
  const { details, ...header } = built.payload;
  return {
    ok: true as const,
    header,
    lines: details.map((detail, i): PreviewLine => {
      // One source per detail line (the builder's property tests); the fallback never applies.
      const source = built.detailSources[i] ?? { kind: 'adjustment' as const };
      const line = source.kind === 'adjustment' ? undefined : lines[source.lineIndex];
      return {
        ...detail,
        source: source.kind,
        lineNo: line?.lineNo ?? null,
        isEnclosure: line?.isEnclosure ?? false,
      };
    }),
  };
}
