import type { PaymentMethodInput } from '@renkei/domain';
import { Order, type PaymentMethod } from '@renkei/persistence';
import { AppError, fieldError, invalid, notFound } from '../errors.js';
import { livePaymentMethods } from '../smaregi/live.js';
import { audit, pick, type TenantScope } from './scope.js';

/*
 * The OMS's payment methods (支払方法), each mapped to a Smaregi payment method picked from the
 * list read live from Smaregi. Every change is audited with before and after.
 */

const PAYMENT_FIELDS = [
  'name',
  'code',
  'smaregiPaymentMethodId',
  'smaregiPaymentMethodName',
] as const;

export function paymentMethodView(method: PaymentMethod) {
  return {
    id: method.id,
    name: method.name,
    code: method.code ?? null,
    smaregiPaymentMethodId: method.smaregiPaymentMethodId ?? null,
    smaregiPaymentMethodName: method.smaregiPaymentMethodName ?? null,
    updatedAt: method.updatedAt.toISOString(),
  };
}

export async function getPaymentMethod(scope: TenantScope, id: string): Promise<PaymentMethod> {
  return (
    (await scope.repos.paymentMethods.findById(id)) ??
    Promise.reject(notFound('支払方法', 'Payment method'))
  );
}

async function smaregiPaymentName(scope: TenantScope, id: string | null): Promise<string | null> {
  if (id === null) return null;
  const methods = await livePaymentMethods(scope);
  const method = methods.find((m) => m.paymentMethodId === id);
  if (method === undefined) {
    throw invalid([
      fieldError(
        'smaregiPaymentMethodId',
        `スマレジの支払方法(ID: ${id})はありません。一覧から選んでください`,
        `Smaregi payment method ${id} does not exist; pick one from the list`,
      ),
    ]);
  }
  return method.paymentMethodName;
}

export async function createPaymentMethod(
  scope: TenantScope,
  input: PaymentMethodInput,
): Promise<PaymentMethod> {
  const name = await smaregiPaymentName(scope, input.smaregiPaymentMethodId);
  const method = scope.repos.paymentMethods.create({ ...input, smaregiPaymentMethodName: name });
  audit(
    scope,
    'paymentMethod.create',
    'paymentMethod',
    method.id,
    null,
    pick(method, PAYMENT_FIELDS),
  );
  await scope.em.flush();
  return method;
}

export async function updatePaymentMethod(
  scope: TenantScope,
  id: string,
  input: PaymentMethodInput,
): Promise<PaymentMethod> {
  const method = await getPaymentMethod(scope, id);
  const before = pick(method, PAYMENT_FIELDS);
  const name =
    input.smaregiPaymentMethodId === method.smaregiPaymentMethodId
      ? (method.smaregiPaymentMethodName ?? null)
      : await smaregiPaymentName(scope, input.smaregiPaymentMethodId);
  Object.assign(method, input, { smaregiPaymentMethodName: name });
  audit(
    scope,
    'paymentMethod.update',
    'paymentMethod',
    method.id,
    before,
    pick(method, PAYMENT_FIELDS),
  );
  await scope.em.flush();
  return method;
}

export async function deletePaymentMethod(scope: TenantScope, id: string): Promise<void> {
  const method = await getPaymentMethod(scope, id);
  if ((await scope.em.count(Order, { tenant: scope.tenantId, paymentMethod: method.id })) > 0) {
    throw new AppError('CONFLICT', {
      ja: 'この支払方法は受注で使われているため削除できません',
      en: 'This payment method is used by orders and cannot be deleted',
    });
  }
  audit(
    scope,
    'paymentMethod.delete',
    'paymentMethod',
    method.id,
    pick(method, PAYMENT_FIELDS),
    null,
  );
  scope.repos.paymentMethods.remove(method);
  await scope.em.flush();
}
