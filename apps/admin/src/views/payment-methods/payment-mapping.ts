import type { trpc } from '../../api/trpc';

/*
 * What the 支払方法 screen derives from its data: whether each OMS payment method is mapped to a
 * Smaregi payment method that exists, and the updates [この内容で登録する] sends.
 */

export type PaymentMethodView = Awaited<ReturnType<typeof trpc.paymentMethods.list.query>>[number];
export type SmaregiPaymentMethod = Awaited<
  ReturnType<typeof trpc.paymentMethods.smaregiList.query>
>[number];
export type PaymentMethodUpdate = Parameters<typeof trpc.paymentMethods.update.mutate>[0];

/** The editable fields of a payment method ('' for no code, null for not mapped). */
export interface PaymentMethodDraft {
  name: string;
  code: string;
  smaregiPaymentMethodId: string | null;
}

export function paymentDraftFrom(view: PaymentMethodView): PaymentMethodDraft {
  return {
    name: view.name,
    code: view.code ?? '',
    smaregiPaymentMethodId: view.smaregiPaymentMethodId,
  };
}

/**
 * - `unmapped`: no Smaregi payment method chosen (orders paid so cannot be registered);
 * - `missing`: the chosen one is not in Smaregi's list any more;
 * - `mapped`: chosen and present; `unverified`: chosen, but the live list is not loaded.
 */
export type MappingState = 'unmapped' | 'missing' | 'mapped' | 'unverified';

export function mappingState(
  draft: Pick<PaymentMethodDraft, 'smaregiPaymentMethodId'>,
  smaregi: readonly SmaregiPaymentMethod[] | undefined,
): MappingState {
  const id = draft.smaregiPaymentMethodId;
  if (id === null || id === '') return 'unmapped';
  if (smaregi === undefined) return 'unverified';
  return smaregi.some((m) => m.paymentMethodId === id) ? 'mapped' : 'missing';
}

/** How many methods need the merchant's attention (not mapped, or mapped to nothing). */
export function needsMappingCount(
  drafts: readonly Pick<PaymentMethodDraft, 'smaregiPaymentMethodId'>[],
  smaregi: readonly SmaregiPaymentMethod[] | undefined,
): number {
  return drafts.filter((d) => {
    const state = mappingState(d, smaregi);
    return state === 'unmapped' || state === 'missing';
  }).length;
}

export function isPaymentChanged(view: PaymentMethodView, draft: PaymentMethodDraft): boolean {
  const saved = paymentDraftFrom(view);
  return (
    saved.name.trim() !== draft.name.trim() ||
    saved.code.trim() !== draft.code.trim() ||
    (saved.smaregiPaymentMethodId ?? null) !== (draft.smaregiPaymentMethodId ?? null)
  );
}

/** Exactly the API's strict input: `{ id, name, code, smaregiPaymentMethodId }`. */
export function paymentUpdateOf(id: string, draft: PaymentMethodDraft): PaymentMethodUpdate {
  const code = draft.code.trim();
  return {
    id,
    name: draft.name.trim(),
    code: code === '' ? null : code,
    smaregiPaymentMethodId:
      draft.smaregiPaymentMethodId === '' ? null : draft.smaregiPaymentMethodId,
  };
}

export function changedPaymentUpdates(
  views: readonly PaymentMethodView[],
  drafts: Readonly<Record<string, PaymentMethodDraft>>,
): PaymentMethodUpdate[] {
  return views.flatMap((view) => {
    const draft = drafts[view.id];
    return draft !== undefined && isPaymentChanged(view, draft)
      ? [paymentUpdateOf(view.id, draft)]
      : [];
  });
}
