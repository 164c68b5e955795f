import type { Prng } from '../lib/prng.js';
import type { ContractState } from '../state/contract.js';

/** A JAN-like 13-digit code: prefix 49 + 10 digits + the EAN-13 check digit. */
export function janCode(rng: Prng): string {
  let body = '49';
  while (body.length < 12) body += String(rng.int(0, 9));
  return body + eanCheckDigit(body);
}

/** EAN-13 check digit of the first 12 digits. */
export function eanCheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

/** A JAN-like code no product of the contract has yet (product codes are unique). */
export function uniqueJan(contract: ContractState, rng: Prng): string {
  for (;;) {
    const code = janCode(rng);
    if (!contract.products.getByCode(code)) return code;
  }
}
